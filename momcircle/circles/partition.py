"""Distances, and cutting a city into small geographic parts (pure).

Members are stored at ZIP centroids, so many share one point: a point (a "site") is never cut
in two unless it alone holds more members than a part may, since members at one point are the
likeliest circle-mates of each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from momcircle.distance import EARTH_RADIUS_MILES
from momcircle.distance import distance_miles as distance

MILES_PER_DEGREE = EARTH_RADIUS_MILES * math.pi / 180  # of latitude, or of longitude at the equator

Point = tuple[float, float]


def distance_miles(a: Point, b: Point) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    return distance(*a, *b)


def split(points: Sequence[Point], limit: int) -> list[list[int]]:
    """Indices of ``points`` in parts of at most ``limit``, each part compact on the map.

    Recursive bisection: a group of sites too big for one part is cut across its wider extent
    (in miles) at the member-weighted median. Parts and the indices in them come in a fixed
    order for a given input."""
    sites: dict[Point, list[int]] = {}
    for index, point in enumerate(points):
        sites.setdefault(point, []).append(index)
    parts: list[list[int]] = []
    pending = [sorted(sites)] if sites else []
    while pending:
        group = pending.pop()
        total = sum(len(sites[site]) for site in group)
        if total <= limit:
            parts.append(sorted(index for site in group for index in sites[site]))
        elif len(group) == 1:
            members = sites[group[0]]
            parts.extend(members[i : i + limit] for i in range(0, len(members), limit))
        else:
            pending.extend(_bisect(group, sites, total))
    return sorted(parts)


def _bisect(
    group: list[Point], sites: dict[Point, list[int]], total: int
) -> tuple[list[Point], list[Point]]:
    scale = math.cos(math.radians(sum(lat for lat, _ in group) / len(group)))
    lats, lngs = [lat for lat, _ in group], [lng for _, lng in group]
    if (max(lngs) - min(lngs)) * scale > max(lats) - min(lats):
        ordered = sorted(group, key=lambda site: (site[1], site[0]))
    else:
        ordered = sorted(group)
    cut, count = 0, 0
    while cut < len(ordered) - 1 and 2 * count < total:
        count += len(sites[ordered[cut]])
        cut += 1
    return ordered[:cut], ordered[cut:]


class Grid:
    """Points in square cells, to find those within some miles of one of them quickly."""

    def __init__(self, points: Sequence[Point], cell_miles: float):
        self.points = points
        widest = max((abs(lat) for lat, _ in points), default=0.0)
        self._lat_step = cell_miles / MILES_PER_DEGREE
        # A longitude step no narrower in miles than cell_miles anywhere among the points.
        self._lng_step = min(360.0, self._lat_step / max(math.cos(math.radians(widest)), 1e-6))
        self._cells: dict[tuple[int, int], list[int]] = {}
        for index, point in enumerate(points):
            self._cells.setdefault(self._cell(point), []).append(index)
        self._cell_miles = cell_miles

    def _cell(self, point: Point) -> tuple[int, int]:
        return (math.floor(point[0] / self._lat_step), math.floor(point[1] / self._lng_step))

    def within(self, point: Point, miles: float) -> list[int]:
        """Indices of the points at most ``miles`` from ``point``, in increasing order."""
        row, col = self._cell(point)
        reach = math.ceil(miles / self._cell_miles)
        found = [
            index
            for d_row in range(-reach, reach + 1)
            for d_col in range(-reach, reach + 1)
            for index in self._cells.get((row + d_row, col + d_col), ())
            if distance_miles(point, self.points[index]) <= miles
        ]
        return sorted(found)
