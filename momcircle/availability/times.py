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
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import accumulate
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from momcircle.availability.windows import MODES, STEP_MINUTES, WeeklyWindow, merge_intervals

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
