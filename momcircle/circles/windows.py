"""Which weekly 90-minute windows a member is free for, read on a circle's clock (pure).

A circle's shared time is a weekly window on the wall clock of its reference zone, e.g.
"Tue 20:00–21:30 in America/Chicago", and it must hold on every one of the coming weeks: each
occurrence starting on a local date in ``[starting, starting + weeks)``, resolved to UTC as
``expand`` resolves it (wall-clock times are kept across DST), lies inside the member's own
free time, which is ``expand`` of her windows in HER zone. A New York member is free for a
Chicago "Tue 20:00" when she is free at 21:00 in New York, and a London member's offset to
Chicago changes for a few weeks each spring and autumn: every week is checked.

Everything is a bitset in a Python int of 15-minute slots (windows are on that step, and every
current zone's offset is a multiple of it, so the grids of all zones line up in UTC):

- a member's free time is a bitset over a UTC grid covering the coming weeks with a margin;
- ``starts`` gives, on a reference zone's clock, the weekly slots (bit 0 = Monday 00:00) at
  which a 90-minute window starts that she is free for on every coming week. Members share a
  window exactly when the AND of their ``starts`` is not zero, which makes circle checks cheap.

Consecutive starts on one weekday make one longer window: 20:00, 20:15 and 20:30 make
20:00–22:00. Starts on the next weekday never extend it, because that occurrence belongs to
the next day's date (see ``windows``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from math import ceil, floor
from zoneinfo import ZoneInfo

from momcircle.availability.times import expand, free_for_whole
from momcircle.availability.windows import MODES, WeeklyWindow

SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
MEETING_MINUTES = 90
MEETING_SLOTS = MEETING_MINUTES // SLOT_MINUTES
WEEK = (1 << SLOTS_PER_WEEK) - 1
DAY = (1 << SLOTS_PER_DAY) - 1
# The longest window reported: it starts after midnight at the latest at 00:15 of its date.
LONGEST_MINUTES = 24 * 60 - SLOT_MINUTES
# Starts s whose next start s+1 is on the same weekday (a window never joins across midnight).
SAME_DAY_NEXT = sum(((DAY >> 1) << (day * SLOTS_PER_DAY)) for day in range(7))
# Zones lie within UTC-12..UTC+14: the UTC grid starts two days early and ends two days late.
MARGIN = timedelta(days=2)
SLOT = timedelta(minutes=SLOT_MINUTES)

# The weekly arithmetic this package uses, imported here only.
__all__ = [
    "MODES",
    "Calendar",
    "WeeklyWindow",
    "expand",
    "free_for_whole",
    "longest_minutes",
    "windows",
]


class Calendar:
    """The coming ``weeks`` weeks from ``starting``, with caches shared by all members."""

    def __init__(self, starting: date, weeks: int):
        if weeks < 1:
            raise ValueError("weeks must be at least 1.")
        self.starting, self.weeks = starting, weeks
        self.end = starting + timedelta(weeks=weeks)
        self._origin = datetime.combine(starting, time(), UTC) - MARGIN
        self._window_bits: dict[tuple[str, WeeklyWindow], int] = {}
        self._clocks: dict[str, _Clock] = {}

    def free(self, zone: str, windows: Iterable[WeeklyWindow], mode: str) -> int:
        """Her free UTC slots in windows of ``mode``, over the coming weeks and the margin.

        Slots line up in every zone, so the union of the windows is the OR of their bits."""
        bits = 0
        for window in windows:
            if window.mode == mode:
                key = (zone, window)
                if key not in self._window_bits:
                    self._window_bits[key] = self._expanded_bits(zone, window)
                bits |= self._window_bits[key]
        return bits

    def _expanded_bits(self, zone: str, window: WeeklyWindow) -> int:
        first, last = self.starting - MARGIN, self.end + MARGIN
        bits = 0
        for lo, hi in expand([window], zone, first, last):
            lo_slot, hi_slot = ceil(self._slot(lo)), floor(self._slot(hi))
            if hi_slot > lo_slot:
                bits |= ((1 << (hi_slot - lo_slot)) - 1) << lo_slot
        return bits

    def _slot(self, instant: datetime) -> float:
        return (instant - self._origin) / SLOT

    def starts(self, free: int, ref_zone: str) -> int:
        """Weekly slots of ``ref_zone``'s clock where a 90-minute window starts whose every
        coming occurrence lies in ``free`` (a bitset from ``free``)."""
        if not free:
            return 0
        fits = free  # bit u: UTC slots u .. u+5 are all free
        for step in range(1, MEETING_SLOTS):
            fits &= free >> step
        clock = self._clock(ref_zone)
        wall = 0  # bit j: the occurrence starting at wall slot j of the horizon fits
        for lo, hi, shift in clock.pieces:
            wall |= (fits >> shift) & ((1 << hi) - (1 << lo))
        for j, lo, hi in clock.exceptions:
            needed = (1 << max(hi - lo, 0)) - 1
            if (free >> lo) & needed == needed:
                wall |= 1 << j
        weekly = WEEK
        for week in range(self.weeks):
            weekly &= wall >> (week * SLOTS_PER_WEEK)
        return _rotate(weekly & WEEK, self.starting.weekday() * SLOTS_PER_DAY)

    def _clock(self, zone: str) -> _Clock:
        if zone not in self._clocks:
            self._clocks[zone] = _Clock(self, zone)
        return self._clocks[zone]


class _Clock:
    """How the 90-minute occurrences starting at each wall slot of a zone map to UTC slots.

    Wall slot j starts at ``starting`` 00:00 local plus j slots; its occurrence needs UTC slots
    [lo, hi). Mostly lo = j + shift and hi = lo + 6 with one shift per stretch between DST
    changes (``pieces``: j in [start, stop) with that shift); the few occurrences around a
    change are listed one by one (``exceptions``). An occurrence that resolves to nothing
    (inside a spring-forward gap) needs nothing, as ``expand`` drops it."""

    def __init__(self, calendar: Calendar, zone: str):
        midnight = datetime.combine(calendar.starting, time(), ZoneInfo(zone))
        count = calendar.weeks * SLOTS_PER_WEEK
        # Aware + timedelta is wall-clock arithmetic with fold=0, exactly as expand resolves.
        utc_slots = [
            calendar._slot((midnight + j * SLOT).astimezone(UTC))
            for j in range(count + MEETING_SLOTS)
        ]
        self.pieces: list[tuple[int, int, int]] = []
        self.exceptions: list[tuple[int, int, int]] = []
        for j in range(count):
            lo, hi = floor(utc_slots[j]), ceil(utc_slots[j + MEETING_SLOTS])
            if hi - lo != MEETING_SLOTS:
                self.exceptions.append((j, lo, hi))
            elif self.pieces and self.pieces[-1][1] == j and self.pieces[-1][2] == lo - j:
                self.pieces[-1] = (self.pieces[-1][0], j + 1, lo - j)
            else:
                self.pieces.append((j, j + 1, lo - j))


def _rotate(bits: int, by: int) -> int:
    """Bit i moves to bit (i + by) mod a week."""
    return ((bits << by) | (bits >> (SLOTS_PER_WEEK - by))) & WEEK


def longest_minutes(starts: int, cap: int = LONGEST_MINUTES) -> int:
    """Length of the longest window made of consecutive starts on one weekday, up to ``cap``
    (0 when there is no start)."""
    if not starts:
        return 0
    minutes, run = MEETING_MINUTES, starts & (starts >> 1) & SAME_DAY_NEXT
    while run and minutes < cap:
        minutes += SLOT_MINUTES
        run &= run >> 1
    return min(minutes, cap)


def windows(starts: int, mode: str) -> list[WeeklyWindow]:
    """The windows the starts make, longest first (then by weekday and time).

    Each run of consecutive starts on one weekday is one window from its first start to 90
    minutes after its last, at most 23:45 long; it may end after midnight."""
    found = []
    for weekday in range(7):
        day = (starts >> (weekday * SLOTS_PER_DAY)) & DAY
        while day:
            first = (day & -day).bit_length() - 1
            count = (~(day >> first) & ((day >> first) + 1)).bit_length() - 1
            day &= ~(((1 << count) - 1) << first)
            length = min(MEETING_MINUTES + (count - 1) * SLOT_MINUTES, LONGEST_MINUTES)
            start = first * SLOT_MINUTES
            end = start + length
            end = end - 24 * 60 if end > 24 * 60 else end
            found.append(WeeklyWindow(weekday, start, end, mode))
    return sorted(found, key=lambda w: (-w.length, w.weekday, w.start))
