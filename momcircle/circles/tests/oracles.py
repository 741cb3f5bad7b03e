"""Brute-force oracle for the circles engine, shared by the tests and the benchmark.

Slow on purpose and sharing nothing with the engine's search: a circle is valid when its pair
rules hold one pair at a time and some 90-minute weekly window on its reference zone's clock
(tried at every one of the week's 672 quarter-hours) has every coming occurrence, from
``expand``, inside each member's free time; the most members placed is found by trying every
way of cutting the seekers into valid circles.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from itertools import combinations

from momcircle.circles.pool import Seeker
from momcircle.circles.windows import WeeklyWindow, expand

Interval = tuple[datetime, datetime]
ACCEPTS = {
    "kid_free": {"kid_free"},
    "kids_along": {"kids_along"},
    "either": {"kid_free", "kids_along"},
}


def miles(a: Seeker, b: Seeker) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlng = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * 3958.8 * math.asin(min(1.0, math.sqrt(h)))


def home_zone(members: Iterable[Seeker]) -> str:
    counts = Counter(s.zone for s in members)
    most = max(counts.values())
    return sorted(zone for zone, count in counts.items() if count == most)[0]


@cache
def occurrences(zone: str, weekday: int, minute: int, starting: date, weeks: int) -> tuple:
    end_minute = (minute + 90) % (24 * 60) or 24 * 60
    window = WeeklyWindow(weekday, minute, end_minute, "kid_free")
    return tuple(expand([window], zone, starting, starting + timedelta(weeks=weeks)))


@lru_cache(maxsize=4096)
def free_starts(seeker: Seeker, zone: str, mode: str, starting: date, weeks: int) -> frozenset:
    """(weekday, minute) of the 90-minute windows on ``zone``'s clock she is free for on
    every coming occurrence."""
    if mode not in ACCEPTS[seeker.style]:
        return frozenset()
    end = starting + timedelta(weeks=weeks)
    free = expand(
        seeker.windows, seeker.zone, starting - timedelta(days=2), end + timedelta(days=2), (mode,)
    )
    lows = [lo for lo, _ in free]

    def inside(start: datetime, stop: datetime) -> bool:
        at = bisect.bisect_right(lows, start) - 1
        return at >= 0 and stop <= free[at][1]

    return frozenset(
        (weekday, minute)
        for weekday in range(7)
        for minute in range(0, 24 * 60, 15)
        if all(inside(s, e) for s, e in occurrences(zone, weekday, minute, starting, weeks))
    )


def pair_ok(a: Seeker, b: Seeker, apart: set[frozenset[int]]) -> bool:
    return (
        miles(a, b) <= min(a.radius_miles, b.radius_miles)
        and frozenset((a.id, b.id)) not in apart
        and not ((a.match_kids or b.match_kids) and not a.kid_bands & b.kid_bands)
    )


def valid(
    members: Sequence[Seeker], apart: set[frozenset[int]], starting: date, weeks: int
) -> bool:
    if not all(s.size[0] <= len(members) <= s.size[1] for s in members):
        return False
    if not all(pair_ok(a, b, apart) for a, b in combinations(members, 2)):
        return False
    zone = home_zone(members)
    for mode in ("kid_free", "kids_along"):
        shared = None
        for s in members:
            starts = free_starts(s, zone, mode, starting, weeks)
            shared = starts if shared is None else shared & starts
            if not shared:
                break
        if shared:
            return True
    return False


def most_placed(
    seekers: Sequence[Seeker],
    *,
    apart: Iterable[Collection[int]] = (),
    starting: date,
    weeks: int = 8,
) -> int:
    """The largest number of seekers that valid, disjoint circles can hold."""
    kept_apart = {frozenset(pair) for pair in apart}
    people = sorted(seekers, key=lambda s: s.id)
    circles_of: dict[int, list[int]] = {n: [] for n in range(len(people))}  # by lowest member
    for size in range(4, 9):
        for combo in combinations(range(len(people)), size):
            if valid([people[n] for n in combo], kept_apart, starting, weeks):
                circles_of[combo[0]].append(sum(1 << n for n in combo))

    @cache
    def best(left: int) -> int:
        if not left:
            return 0
        first = (left & -left).bit_length() - 1
        found = best(left & ~(1 << first))  # she stays out
        for circle in circles_of[first]:
            if circle & left == circle:
                found = max(found, circle.bit_count() + best(left & ~circle))
                if found == left.bit_count():
                    break
        return found

    return best((1 << len(people)) - 1)
