"""Weekly windows as dated UTC intervals, and meeting times found in them (pure Python).

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

Times for a series (``suggest_series_times``)
    A weekly slot is a weekday and a wall-clock start on the local ``step`` grid; its
    occurrences start at that wall time on given dates (placed as ``recurrence.instant``
    places them). A member counts for the slot when she is free for the whole of at least
    ``needed`` of its occurrences: by default three in four (``series_majority``: 6 of 8).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import accumulate
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from momcircle.availability.recurrence import instant
from momcircle.availability.windows import (
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    MODES,
    STEP_MINUTES,
    WeeklyWindow,
    merge_intervals,
)

K = TypeVar("K", bound=Hashable)
Interval = tuple[datetime, datetime]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Suggestion:
    """A suggested meeting time and the members free for all of it."""

    start: datetime
    end: datetime
    free: frozenset

    @property
    def count(self) -> int:
        return len(self.free)


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
    return merge_intervals(occurrences)


def free_for_whole(
    intervals_by_member: Mapping[K, Sequence[Interval]], start: datetime, end: datetime
) -> set[K]:
    """Members whose intervals (united) contain all of [start, end)."""
    if end <= start:
        raise ValueError("end must be after start.")
    return {
        member
        for member, intervals in intervals_by_member.items()
        if any(lo <= start and end <= hi for lo, hi in merge_intervals(intervals))
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
        for lo_time, hi_time in merge_intervals(intervals):
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


# --- times for a series -----------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesSuggestion:
    """A weekly slot for a series: its weekday, its wall-clock start (minutes after local
    midnight), the occurrence dates weighed, and the members free for enough of them."""

    weekday: int
    minute: int
    dates: tuple[date, ...]
    free: frozenset
    needed: int

    @property
    def count(self) -> int:
        return len(self.free)


def series_majority(occurrences: int) -> int:
    """How many of a slot's occurrences a member must be free for: three in four, rounded up."""
    return -(-3 * occurrences // 4)


def suggest_series_times(
    intervals_by_member: Mapping[K, Sequence[Interval]],
    *,
    dates_by_weekday: Mapping[int, Sequence[date]],
    zone: tzinfo,
    duration: timedelta,
    limit: int = 5,
    step_minutes: int = STEP_MINUTES,
) -> list[SeriesSuggestion]:
    """Up to ``limit`` weekly slots that do not overlap in the week, best first.

    Each weekday's slots are weighed on that weekday's dates. Ranked by how many members are
    free for at least ``series_majority`` of the occurrences (most first), then by how many
    occurrences those members are free for in all, then soonest (first date, then start).
    A slot nobody counts for is no suggestion. Picked greedily in that order, skipping a slot
    whose week minutes overlap one already picked (the week wraps from Sunday to Monday).
    """
    if duration <= timedelta(0) or step_minutes <= 0 or MINUTES_PER_DAY % step_minutes:
        raise ValueError("duration must be positive and step_minutes divide a day.")
    length = duration // _MINUTE
    intervals = [
        (member, [epoch_minutes(lo) for lo, _ in merged], [epoch_minutes(hi) for _, hi in merged])
        for member, merged in (
            (member, merge_intervals(spans)) for member, spans in intervals_by_member.items()
        )
    ]
    candidates = []
    for weekday, dates in dates_by_weekday.items():
        if not dates:
            continue
        needed = series_majority(len(dates))
        for minute in range(0, MINUTES_PER_DAY, step_minutes):
            wall = time(minute // 60, minute % 60)
            starts = [epoch_minutes(instant(day, wall, zone)) for day in dates]
            free, occurrences = set(), 0
            for member, los, his in intervals:
                times_free = sum(1 for start in starts if _holds(los, his, start, start + length))
                if times_free >= needed:
                    free.add(member)
                    occurrences += times_free
            if free:
                slot = SeriesSuggestion(weekday, minute, tuple(dates), frozenset(free), needed)
                candidates.append(((-len(free), -occurrences, dates[0], minute), slot))
    candidates.sort(key=lambda candidate: candidate[0])
    picked: list[SeriesSuggestion] = []
    for _, suggestion in candidates:
        if len(picked) == limit:
            break
        if not any(_overlap_in_week(suggestion, other, length) for other in picked):
            picked.append(suggestion)
    return picked


_MINUTE = timedelta(minutes=1)


def epoch_minutes(moment: datetime) -> int:
    return (moment - _EPOCH) // _MINUTE


def _holds(los: Sequence[int], his: Sequence[int], start: int, end: int) -> bool:
    """One of the disjoint sorted intervals (los[i], his[i]) contains [start, end)."""
    index = bisect_right(los, start) - 1
    return index >= 0 and end <= his[index]


def _overlap_in_week(a: SeriesSuggestion, b: SeriesSuggestion, length: int) -> bool:
    gap = abs((a.weekday - b.weekday) * MINUTES_PER_DAY + a.minute - b.minute)
    return min(gap, MINUTES_PER_WEEK - gap) < length
