"""Weekly availability arithmetic for MomCircle (pure Python, standard library only).

A member states recurring weekly windows in the wall-clock time of her own IANA zone,
e.g. "Tue 20:30-22:00, kid-free". This module validates, merges and describes such
windows, turns them into concrete UTC intervals, and finds meeting times for a group.

Windows
    ``WeeklyWindow(weekday, start, end, mode)``: weekday 0=Monday..6=Sunday, ``start`` and
    ``end`` in minutes from local midnight on a 15-minute step (start 0..1425, end 15..1440).
    ``end <= start`` means the window ends at ``end`` on the next day (Fri 21:00-00:30 is
    ``WeeklyWindow(4, 1260, 30, ...)``), so a window lasts at most 24 h (only 00:00-24:00).

Merge canonical form (``merge_windows``)
    Windows of the same mode are united on the weekly circle (Sunday 24:00 is Monday 00:00;
    touching windows merge). Each maximal run becomes ONE window when one can hold it: it is
    shorter than 24 h (so it crosses local midnight at most once) or it is exactly 00:00-24:00
    of one day. A longer run is split at every local midnight inside it: a first piece ending at
    24:00, whole days 00:00-24:00, then a last piece starting at 00:00. A run covering the whole
    week is the seven days 00:00-24:00. The result is sorted by (weekday, start, end, mode);
    merging it again returns it unchanged.

Dates and DST (``expand``)
    An occurrence belongs to the local date on which it STARTS; ``expand(..., start, end)``
    returns the occurrences starting on a local date in ``[start, end)``, each taken whole (one
    starting on ``end - 1`` and crossing midnight is included up to its end). Wall-clock times
    are kept: "Tue 20:30" is 20:30 local on both sides of a DST change. The start and the end
    wall times of an occurrence are each resolved to UTC as ``zoneinfo`` does with ``fold=0``:
    - a time that does not exist (spring-forward gap) uses the UTC offset in effect before
      the gap, i.e. it moves forward by the gap length: on 2026-03-08 in America/New_York,
      02:30 becomes 03:30 EDT (07:30 UTC);
    - an ambiguous time (fall-back overlap) is its first occurrence, the earlier UTC instant:
      on 2026-11-01 in America/New_York, 01:30 is 01:30 EDT (05:30 UTC).
    An occurrence whose resolved end is not after its resolved start is dropped (02:30-03:15
    on a spring-forward night resolves to 03:30-03:15). An occurrence straddling a change
    lasts longer or shorter than its wall-clock length by the size of the change. Expanding
    merged windows covers the same time as expanding the originals except at the edges of the
    date range (occurrences may start on other dates) and around a spring-forward gap (the
    ends of touching windows are resolved separately).

Meeting times (``free_for_whole``, ``suggest_times``)
    A member is free for ``[s, e)`` when the union of her UTC intervals contains it (touching
    intervals count as one). Candidate starts lie on a grid aligned to the UTC epoch, which
    for a 15-minute step is also the local 15-minute grid of every current zone.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import accumulate
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

STEP_MINUTES = 15
MODES = ("kid_free", "kids_along")
MODE_LABELS = {"kid_free": "kid-free", "kids_along": "kids along"}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

# Parts of the day used by describe_slots, in the order they are listed within a weekday.
# "late nights" are 00:00-06:00 of the NEXT day: a Sat 01:00 slot is a "Fri late night".
PARTS_OF_DAY = (
    ("mornings", 6 * 60, 12 * 60),
    ("lunchtime", 12 * 60, 14 * 60),
    ("afternoons", 14 * 60, 17 * 60),
    ("evenings", 17 * 60, 24 * 60),
    ("late nights", 0, 6 * 60),
)

K = TypeVar("K", bound=Hashable)
Interval = tuple[datetime, datetime]
T = TypeVar("T", int, datetime)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InvalidWindow(ValueError):
    """A weekly window a member entered is not valid; the message can be shown to her."""


@dataclass(frozen=True, order=True)
class WeeklyWindow:
    """A recurring weekly window in the member's local wall-clock time.

    Construction does not validate, so that a form can build one and show the message of
    ``validate()``; every function of this module validates the windows it is given.
    """

    weekday: int
    start: int
    end: int
    mode: str

    @property
    def length(self) -> int:
        """Wall-clock length in minutes (an end at or before the start is on the next day)."""
        if self.end > self.start:
            return self.end - self.start
        return self.end + MINUTES_PER_DAY - self.start

    def validate(self) -> None:
        """Raise InvalidWindow, with a sentence a member can read, if the window is invalid."""
        if not _is_int(self.weekday) or not 0 <= self.weekday <= 6:
            raise InvalidWindow("Choose a day from Monday to Sunday.")
        if self.mode not in MODES:
            raise InvalidWindow("Choose whether the time is kid-free or with kids along.")
        if not (_is_int(self.start) and _is_int(self.end)) or (
            self.start % STEP_MINUTES or self.end % STEP_MINUTES
        ):
            raise InvalidWindow(f"Times must be on a {STEP_MINUTES}-minute step.")
        if not 0 <= self.start <= MINUTES_PER_DAY - STEP_MINUTES:
            raise InvalidWindow("The start time must be between 00:00 and 23:45.")
        if not STEP_MINUTES <= self.end <= MINUTES_PER_DAY:
            raise InvalidWindow("The end time must be between 00:15 and 24:00.")
        if self.end == self.start:
            raise InvalidWindow("The end time must be different from the start time.")


@dataclass(frozen=True)
class Suggestion:
    """A suggested meeting time and the members free for all of it."""

    start: datetime
    end: datetime
    free: frozenset

    @property
    def count(self) -> int:
        return len(self.free)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- weekly windows -------------------------------------------------------------------------


def merge_windows(windows: Iterable[WeeklyWindow]) -> list[WeeklyWindow]:
    """Merge overlapping or touching windows of the same mode into the canonical form."""
    spans_by_mode: dict[str, list[tuple[int, int]]] = {}
    for window in windows:
        window.validate()
        spans_by_mode.setdefault(window.mode, []).extend(_week_spans(window))
    merged: list[WeeklyWindow] = []
    for mode, spans in spans_by_mode.items():
        for run_start, run_end in _circular_runs(spans):
            merged.extend(_run_to_windows(run_start, run_end, mode))
    return sorted(merged)


def _week_spans(window: WeeklyWindow) -> list[tuple[int, int]]:
    """The window as [start, end) minutes of the week, split where it wraps past Sunday 24:00."""
    start = window.weekday * MINUTES_PER_DAY + window.start
    end = start + window.length
    if end <= MINUTES_PER_WEEK:
        return [(start, end)]
    return [(start, MINUTES_PER_WEEK), (0, end - MINUTES_PER_WEEK)]


def _circular_runs(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Maximal runs on the weekly circle; a run wrapping past Sunday 24:00 ends after it."""
    runs = _merge_intervals(spans)
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == MINUTES_PER_WEEK:
        first, last = runs.pop(0), runs.pop()
        runs.append((last[0], first[1] + MINUTES_PER_WEEK))
    return runs


def _run_to_windows(start: int, end: int, mode: str) -> list[WeeklyWindow]:
    length = end - start
    if length < MINUTES_PER_DAY or (length == MINUTES_PER_DAY and start % MINUTES_PER_DAY == 0):
        return [_window_at(start, length, mode)]
    pieces = []
    while start < end:
        piece_end = min((start // MINUTES_PER_DAY + 1) * MINUTES_PER_DAY, end)
        pieces.append(_window_at(start, piece_end - start, mode))
        start = piece_end
    return pieces


def _window_at(week_minute: int, length: int, mode: str) -> WeeklyWindow:
    weekday, start = divmod(week_minute % MINUTES_PER_WEEK, MINUTES_PER_DAY)
    end = start + length
    if end > MINUTES_PER_DAY:
        end -= MINUTES_PER_DAY
    return WeeklyWindow(weekday, start, end, mode)


def describe_window(window: WeeklyWindow) -> str:
    """E.g. "Tue 20:30\u201322:00, kid-free" or "Fri 21:00\u201300:30, kids along"."""
    window.validate()
    day = DAY_NAMES[window.weekday]
    times = f"{clock(window.start)}\u2013{clock(window.end)}"
    return f"{day} {times}, {MODE_LABELS[window.mode]}"


def clock(minutes: int) -> str:
    """Minutes after midnight as "HH:MM"."""
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}"


def weekly_slot_mask(
    windows: Iterable[WeeklyWindow], modes: Collection[str] = MODES, slot_minutes: int = 30
) -> frozenset[int]:
    """Slots of the local week (slot 0 starts Monday 00:00) entirely covered by allowed windows.

    Coverage is the union of the windows of the allowed modes, so two touching windows can
    cover one slot together.
    """
    slot_count = _slot_count(slot_minutes)
    covered = bytearray(MINUTES_PER_WEEK)
    for window in windows:
        window.validate()
        if window.mode in modes:
            for lo, hi in _week_spans(window):
                covered[lo:hi] = b"\x01" * (hi - lo)
    return frozenset(
        slot
        for slot in range(slot_count)
        if 0 not in covered[slot * slot_minutes : (slot + 1) * slot_minutes]
    )


def describe_slots(slots: Iterable[int], slot_minutes: int = 30) -> list[str]:
    """Summarise weekly slots as phrases like ["Tue evenings", "Sat mornings"].

    A slot counts in the part of day where it starts (see PARTS_OF_DAY); slots starting
    00:00-06:00 are "late nights" of the previous weekday. Phrases are ordered by weekday,
    then mornings, lunchtime, afternoons, evenings, late nights, without duplicates.
    """
    slot_count = _slot_count(slot_minutes)
    keys = set()
    for slot in slots:
        if not 0 <= slot < slot_count:
            raise ValueError(f"Slot {slot} is outside the week.")
        weekday, minute = divmod(slot * slot_minutes, MINUTES_PER_DAY)
        part = next(i for i, (_, lo, hi) in enumerate(PARTS_OF_DAY) if lo <= minute < hi)
        if PARTS_OF_DAY[part][1] == 0:  # late night: belongs to the evening before
            weekday = (weekday - 1) % 7
        keys.add((weekday, part))
    return [f"{DAY_NAMES[day]} {PARTS_OF_DAY[part][0]}" for day, part in sorted(keys)]


def _slot_count(slot_minutes: int) -> int:
    if slot_minutes <= 0 or MINUTES_PER_WEEK % slot_minutes:
        raise ValueError("slot_minutes must be a positive divisor of the minutes in a week.")
    return MINUTES_PER_WEEK // slot_minutes


# --- concrete intervals ---------------------------------------------------------------------


def expand(
    windows: Iterable[WeeklyWindow],
    tz: str | tzinfo,
    start: date,
    end: date,
    modes: Collection[str] = MODES,
) -> list[Interval]:
    """UTC intervals of the occurrences starting on a local date in [start, end).

    Only windows whose mode is in ``modes`` count. The result is sorted and merged (no two
    intervals overlap or touch). See the module docstring for the DST rule.
    """
    zone = tz if isinstance(tz, tzinfo) else ZoneInfo(tz)
    # Per weekday: (start, end) of each window as wall-clock offsets from local midnight.
    spans: list[list[tuple[timedelta, timedelta]]] = [[] for _ in range(7)]
    for window in windows:
        window.validate()
        if window.mode in modes:
            end_minute = window.start + window.length
            spans[window.weekday].append(
                (timedelta(minutes=window.start), timedelta(minutes=end_minute))
            )
    occurrences = []
    for offset in range((end - start).days):
        day = start + timedelta(days=offset)
        # Adding a timedelta to an aware datetime is wall-clock arithmetic and gives fold=0,
        # so astimezone() applies exactly the documented DST rule.
        midnight = datetime.combine(day, time(), zone)
        for from_midnight, to_midnight in spans[day.weekday()]:
            utc_start = (midnight + from_midnight).astimezone(UTC)
            utc_end = (midnight + to_midnight).astimezone(UTC)
            if utc_end > utc_start:
                occurrences.append((utc_start, utc_end))
    return _merge_intervals(occurrences)


def _merge_intervals(intervals: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """Sorted union of half-open intervals; touching ones merge and empty ones vanish."""
    merged: list[tuple[T, T]] = []
    for lo, hi in sorted(intervals):
        if hi <= lo:
            continue
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def free_for_whole(
    intervals_by_member: Mapping[K, Sequence[Interval]], start: datetime, end: datetime
) -> set[K]:
    """Members whose intervals (united) contain all of [start, end)."""
    if end <= start:
        raise ValueError("end must be after start.")
    return {
        member
        for member, intervals in intervals_by_member.items()
        if any(lo <= start and end <= hi for lo, hi in _merge_intervals(intervals))
    }


# --- suggestions ----------------------------------------------------------------------------


def suggest_times(
    intervals_by_member: Mapping[K, Sequence[Interval]],
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    limit: int = 5,
    step: timedelta = timedelta(minutes=STEP_MINUTES),
) -> list[Suggestion]:
    """Up to ``limit`` non-overlapping meeting times, best first.

    Candidates start on the ``step`` grid aligned to the UTC epoch, at or after
    ``window_start``, and end by ``window_end``. They are ranked by how many members are free
    for the whole meeting (most first, then earliest) and picked greedily in that order,
    skipping any that overlaps a meeting already picked. Nobody free means no suggestion.
    Cost: sorting each member's intervals plus O(candidates log candidates).
    """
    if duration <= timedelta(0) or step <= timedelta(0):
        raise ValueError("duration and step must be positive.")
    first = _EPOCH + _ceil_div(window_start - _EPOCH, step) * step
    candidate_count = (window_end - duration - first) // step + 1
    if limit <= 0 or candidate_count <= 0:
        return []
    ranges = _candidate_ranges(intervals_by_member, first, candidate_count, duration, step)
    counts = _count_free(ranges, candidate_count)
    picks = _pick_greedy(counts, limit, overlap_radius=_ceil_div(duration, step) - 1)
    return [
        Suggestion(
            start=first + index * step,
            end=first + index * step + duration,
            free=frozenset(member for member, lo, hi in ranges if lo <= index <= hi),
        )
        for index in picks
    ]


def _candidate_ranges(
    intervals_by_member: Mapping[K, Sequence[Interval]],
    first: datetime,
    candidate_count: int,
    duration: timedelta,
    step: timedelta,
) -> list[tuple[K, int, int]]:
    """(member, lo, hi): candidates lo..hi (inclusive) fit inside one of her merged intervals.

    Merged intervals neither overlap nor touch, so a member's ranges are disjoint and each
    candidate is counted at most once per member.
    """
    ranges = []
    for member, intervals in intervals_by_member.items():
        for lo_time, hi_time in _merge_intervals(intervals):
            lo = max(_ceil_div(lo_time - first, step), 0)
            hi = min((hi_time - duration - first) // step, candidate_count - 1)
            if lo <= hi:
                ranges.append((member, lo, hi))
    return ranges


def _count_free(ranges: Iterable[tuple[Any, int, int]], candidate_count: int) -> list[int]:
    """Number of members free at each candidate, from a difference array."""
    diff = [0] * (candidate_count + 1)
    for _, lo, hi in ranges:
        diff[lo] += 1
        diff[hi + 1] -= 1
    return list(accumulate(diff[:candidate_count]))


def _pick_greedy(counts: Sequence[int], limit: int, overlap_radius: int) -> list[int]:
    """Greedy picks by (most free, earliest); candidates within overlap_radius overlap."""
    order = sorted((i for i, count in enumerate(counts) if count > 0), key=lambda i: -counts[i])
    blocked = bytearray(len(counts))
    picks: list[int] = []
    for index in order:  # sorted() is stable, so ties stay earliest first
        if blocked[index]:
            continue
        picks.append(index)
        if len(picks) == limit:
            break
        lo, hi = max(index - overlap_radius, 0), min(index + overlap_radius + 1, len(counts))
        blocked[lo:hi] = b"\x01" * (hi - lo)
    return picks


def _ceil_div(numerator: timedelta, denominator: timedelta) -> int:
    return -(-numerator // denominator)
