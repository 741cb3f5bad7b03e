"""The seekers of one run, checked and prepared for the engine (pure).

Defines the input (``Seeker``) and what the engine knows about each seeker once: her accepted
modes, age bands as a bitmask, her site (distinct point) and, lazily, her weekly 90-minute
starts on any zone's clock. ``assess`` scores a set of seekers as a circle.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from momcircle.circles.partition import Point, distance_miles
from momcircle.circles.windows import MODES, SLOT_MINUTES, Calendar, WeeklyWindow, longest_minutes

STYLES = {"kid_free": ("kid_free",), "kids_along": ("kids_along",), "either": MODES}
SMALLEST, LARGEST = 4, 8
SCORE_MINUTES = 4 * 60  # shared time beyond four hours scores no more
KIDS_POINTS = 2


@dataclass(frozen=True)
class Seeker:
    """A member asking for a circle, as plain data.

    ``radius_miles``: how far she will go; ``zone``: her IANA time zone, in whose wall clock
    her ``windows`` are; ``kid_bands``: her kids' age bands; ``style``: "kid_free" (kid-free
    evenings), "kids_along" (family weekends) or "either"; ``size``: the circle sizes she
    likes, (smallest, largest) within 4..8; ``match_kids``: every other member must share an
    age band with her."""

    id: int
    latitude: float
    longitude: float
    radius_miles: float
    zone: str
    windows: tuple[WeeklyWindow, ...]
    kid_bands: frozenset[str] = frozenset()
    style: str = "either"
    size: tuple[int, int] = (SMALLEST, LARGEST)
    match_kids: bool = False

    @property
    def point(self) -> Point:
        return (self.latitude, self.longitude)

    @property
    def modes(self) -> tuple[str, ...]:
        return STYLES[self.style]

    def check(self) -> None:
        """Raise ValueError naming what is wrong with this seeker."""
        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise ValueError(f"Seeker {self.id}: latitude or longitude out of range.")
        if not (isinstance(self.radius_miles, int | float) and 0 < self.radius_miles < math.inf):
            raise ValueError(f"Seeker {self.id}: radius_miles must be a positive number.")
        if self.style not in STYLES:
            raise ValueError(f"Seeker {self.id}: style must be one of {', '.join(STYLES)}.")
        low, high = self.size
        if not SMALLEST <= low <= high <= LARGEST:
            raise ValueError(f"Seeker {self.id}: size must be (smallest, largest) in 4..8.")
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Seeker {self.id}: unknown time zone {self.zone!r}.") from error
        for window in self.windows:
            window.validate()


def reference_zone(zones: Iterable[str]) -> str:
    """The zone most members of a circle live in; on a tie, the first alphabetically."""
    counts = Counter(zones)
    if len(counts) == 1:
        return next(iter(counts))
    return min(counts, key=lambda zone: (-counts[zone], zone))


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Assessment:
    """A valid circle's reference zone and its terms in the objective."""

    zone: str
    score: int
    distance: int


class Pool:
    """Seekers sorted by id; engine code refers to them by position (``k``)."""

    def __init__(
        self,
        seekers: Iterable[Seeker],
        apart: Iterable[Collection[int]],
        starting: date,
        weeks: int,
    ):
        self.seekers = sorted(seekers, key=lambda seeker: seeker.id)
        position = {}
        for k, seeker in enumerate(self.seekers):
            seeker.check()
            if seeker.id in position:
                raise ValueError(f"Seeker {seeker.id} is given twice.")
            position[seeker.id] = k
        self.apart: set[tuple[int, int]] = set()
        self.apart_from: dict[int, set[int]] = {}
        for pair in apart:
            a, b = pair
            if a != b and a in position and b in position:
                j, k = position[a], position[b]
                self.apart.add(pair_key(j, k))
                self.apart_from.setdefault(j, set()).add(k)
                self.apart_from.setdefault(k, set()).add(j)
        self.calendar = Calendar(starting, weeks)
        bands = sorted({band for seeker in self.seekers for band in seeker.kid_bands})
        bit = {band: 1 << n for n, band in enumerate(bands)}
        self.bands = [sum(bit[band] for band in s.kid_bands) for s in self.seekers]
        sites = sorted({seeker.point for seeker in self.seekers})
        self.site_points = sites
        site_of = {point: n for n, point in enumerate(sites)}
        self.site = [site_of[seeker.point] for seeker in self.seekers]
        self._distances: dict[tuple[int, int], float] = {}
        self._free: dict[tuple[int, str], int] = {}
        self._starts: dict[tuple[int, str, str], int] = {}

    def __len__(self) -> int:
        return len(self.seekers)

    def site_distance(self, a: int, b: int) -> float:
        """Miles between sites a and b."""
        if a == b:
            return 0.0
        key = pair_key(a, b)
        if key not in self._distances:
            self._distances[key] = distance_miles(self.site_points[a], self.site_points[b])
        return self._distances[key]

    def distance(self, j: int, k: int) -> float:
        return self.site_distance(self.site[j], self.site[k])

    def starts(self, k: int, zone: str, mode: str) -> int:
        """Weekly 90-minute starts of seeker k on ``zone``'s clock (0 if she refuses mode)."""
        key = (k, zone, mode)
        if key not in self._starts:
            seeker = self.seekers[k]
            if mode not in seeker.modes:
                self._starts[key] = 0
            else:
                if (k, mode) not in self._free:
                    self._free[k, mode] = self.calendar.free(seeker.zone, seeker.windows, mode)
                self._starts[key] = self.calendar.starts(self._free[k, mode], zone)
        return self._starts[key]

    def compatible(self, j: int, k: int) -> bool:
        """The pair rules, time aside: each within the other's radius, sizes and modes that
        agree, kids' ages when either asked, and not kept apart."""
        a, b = self.seekers[j], self.seekers[k]
        return (
            self.distance(j, k) <= min(a.radius_miles, b.radius_miles)
            and max(a.size[0], b.size[0]) <= min(a.size[1], b.size[1])
            and bool(set(a.modes) & set(b.modes))
            and (not (a.match_kids or b.match_kids) or bool(self.bands[j] & self.bands[k]))
            and pair_key(j, k) not in self.apart
        )

    def shared(self, members: Sequence[int], zone: str) -> dict[str, int]:
        """Mode -> the weekly starts all members share on ``zone``'s clock (non-zero only)."""
        found = {}
        for mode in MODES:
            bits = -1
            for k in members:
                bits &= self.starts(k, zone, mode)
                if not bits:
                    break
            if bits:
                found[mode] = bits
        return found

    def assess(self, members: Sequence[int]) -> Assessment | None:
        """The circle's zone and objective terms, or None when its size does not suit every
        member or it shares no 90-minute window. Pair rules are the caller's to check."""
        count = len(members)
        seekers = [self.seekers[k] for k in members]  # a list: read several times below
        if not max(s.size[0] for s in seekers) <= count <= min(s.size[1] for s in seekers):
            return None
        zone = reference_zone(s.zone for s in seekers)
        shared = self.shared(members, zone)
        if not shared:
            return None
        minutes = max(longest_minutes(bits, SCORE_MINUTES) for bits in shared.values())
        return self.terms(
            zone, minutes, [self.bands[k] for k in members], [self.site[k] for k in members]
        )

    def terms(
        self, zone: str, minutes: int, bands: Sequence[int], sites: Sequence[int]
    ) -> Assessment:
        """The objective's terms of a valid circle whose members have these age bands and
        sites, sharing at most ``minutes`` (see the engine's docstring)."""
        count = len(bands)
        kid_pairs = sum(1 for n, a in enumerate(bands) for b in bands[n + 1 :] if a & b)
        places = sorted(set(sites))
        span = max(
            (self.site_distance(a, b) for n, a in enumerate(places) for b in places[n + 1 :]),
            default=0.0,
        )
        return Assessment(
            zone=zone,
            score=count * (minutes // SLOT_MINUTES) + 2 * KIDS_POINTS * kid_pairs,
            distance=count * round(span * 10),
        )
