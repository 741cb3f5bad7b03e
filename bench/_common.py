"""Shared pieces of the availability benchmarks: realistic members and a timer.

The benchmarks are run as ``python bench/<name>.py`` from the repository root; this module
puts the root on ``sys.path`` so that ``momcircle.availability`` imports without Django.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from momcircle.availability.windows import WeeklyWindow

T = TypeVar("T")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAYS = (MON, TUE, WED, THU, FRI)

# Where the members live, weighted: mostly one metro area, a few elsewhere.
ZONES = {
    "America/New_York": 8,
    "America/Chicago": 3,
    "America/Los_Angeles": 3,
    "Europe/London": 2,
    "Australia/Sydney": 1,
    "Asia/Kolkata": 1,
}


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


def some(rng: random.Random, days: tuple[int, ...], low: int, high: int) -> list[int]:
    return sorted(rng.sample(days, rng.randint(low, min(high, len(days)))))


def after_bedtime(rng: random.Random) -> list[WeeklyWindow]:
    start = rng.choice([hm(19, 30), hm(20), hm(20), hm(20, 30), hm(21)])
    end = rng.choice([hm(22), hm(22, 30), hm(22, 30), hm(23)])
    return [WeeklyWindow(d, start, end, "kid_free") for d in some(rng, (SUN, *WEEKDAYS), 2, 5)]


def weekend_mornings(rng: random.Random) -> list[WeeklyWindow]:
    start = rng.choice([hm(8, 30), hm(9), hm(9), hm(9, 30)])
    end = rng.choice([hm(11, 30), hm(12), hm(12), hm(12, 30)])
    return [WeeklyWindow(d, start, end, "kids_along") for d in some(rng, (SAT, SUN), 1, 2)]


def lunch_breaks(rng: random.Random) -> list[WeeklyWindow]:
    start = rng.choice([hm(12), hm(12), hm(12, 30)])
    return [WeeklyWindow(d, start, start + 60, "kid_free") for d in some(rng, WEEKDAYS, 1, 5)]


def school_hours(rng: random.Random) -> list[WeeklyWindow]:
    end = rng.choice([hm(14), hm(14, 30), hm(15)])
    return [WeeklyWindow(d, hm(9, 30), end, "kid_free") for d in some(rng, WEEKDAYS, 1, 3)]


def shift_worker(rng: random.Random) -> list[WeeklyWindow]:
    """Nurses, cleaners, warehouse staff: afternoons with kids, nights after a late shift."""
    days = some(rng, tuple(range(7)), 2, 4)
    if rng.random() < 0.5:
        return [WeeklyWindow(d, hm(14), hm(16, 30), "kids_along") for d in days]
    start = rng.choice([hm(22, 30), hm(23), hm(23, 30)])
    return [WeeklyWindow(d, start, rng.choice([hm(1), hm(1, 30)]), "kid_free") for d in days]


PROFILES = {
    after_bedtime: 6,
    weekend_mornings: 4,
    lunch_breaks: 3,
    school_hours: 1,
    shift_worker: 2,
}


def make_members(
    rng: random.Random, count: int, zones: dict[str, int] = ZONES
) -> dict[int, tuple[str, list[WeeklyWindow]]]:
    """Member id -> (zone, windows) built from one to three typical routines."""
    members = {}
    for member in range(count):
        zone = rng.choices(list(zones), weights=list(zones.values()))[0]
        profiles = rng.choices(list(PROFILES), weights=list(PROFILES.values()), k=rng.randint(1, 3))
        members[member] = (zone, [w for make in dict.fromkeys(profiles) for w in make(rng)])
    return members


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """Best wall time of ``repeat`` runs in milliseconds, and the last result."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - began)
    return best * 1000, result
