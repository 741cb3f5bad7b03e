"""Brute-force oracles for the weekly availability arithmetic, for the tests and benchmarks.

They are slow on purpose and share no code with the implementation: coverage is a set of
minutes instead of interval arithmetic, window lengths are recomputed from the fields, and
DST is resolved by probing the zone's UTC offsets instead of relying on ``fold``.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import TypeVar
from zoneinfo import ZoneInfo

from momcircle.availability.times import Suggestion
from momcircle.availability.windows import MODES, WeeklyWindow

K = TypeVar("K", bound=Hashable)
Interval = tuple[datetime, datetime]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def epoch_minute(instant: datetime) -> int:
    return (instant - EPOCH) // MINUTE


def from_epoch_minute(minute: int) -> datetime:
    return EPOCH + minute * MINUTE


def resolve_wall(wall: datetime, zone: ZoneInfo) -> datetime:
    """UTC instant of a naive wall time by the documented rule, without using ``fold``.

    The offsets in force a day before and a day after are the only candidates (real zones
    change offset far less often). A wall time some candidate maps back to exists; the earliest
    such instant is its first occurrence. Otherwise it lies in a gap and takes the offset in
    force before the gap, which moves it forward by the length of the gap.
    """
    as_utc = wall.replace(tzinfo=UTC)
    before = (as_utc - timedelta(days=1)).astimezone(zone).utcoffset()
    after = (as_utc + timedelta(days=1)).astimezone(zone).utcoffset()
    exact = [
        as_utc - offset
        for offset in (before, after)
        if (as_utc - offset).astimezone(zone).replace(tzinfo=None) == wall
    ]
    return min(exact) if exact else as_utc - before


def days(start: date, end: date) -> Iterable[date]:
    day = start
    while day < end:
        yield day
        day += timedelta(days=1)


def window_minutes(
    windows: Iterable[WeeklyWindow],
    tz: str,
    start: date,
    end: date,
    modes: Collection[str] = MODES,
) -> set[int]:
    """Epoch minutes covered by the occurrences starting on a local date in [start, end)."""
    zone = ZoneInfo(tz)
    windows = list(windows)
    covered: set[int] = set()
    for day in days(start, end):
        for w in windows:
            if w.mode not in modes or w.weekday != day.weekday():
                continue
            end_day = day if w.end > w.start else day + timedelta(days=1)
            wall_start = datetime(day.year, day.month, day.day) + w.start * MINUTE
            wall_end = datetime(end_day.year, end_day.month, end_day.day) + w.end * MINUTE
            lo = epoch_minute(resolve_wall(wall_start, zone))
            hi = epoch_minute(resolve_wall(wall_end, zone))
            covered.update(range(lo, hi))
    return covered


def walk_fixed_offset_minutes(
    windows: Iterable[WeeklyWindow],
    tz: str,
    start: date,
    end: date,
    modes: Collection[str] = MODES,
) -> set[int]:
    """Like window_minutes, but walking every UTC minute and reading the local clock.

    Only valid for zones without offset changes, where no DST rule is involved.
    """
    zone = ZoneInfo(tz)
    windows = [w for w in windows if w.mode in modes]
    first = epoch_minute(datetime(start.year, start.month, start.day, tzinfo=zone))
    last = epoch_minute(datetime(end.year, end.month, end.day, tzinfo=zone)) + 24 * 60
    covered = set()
    for minute in range(first, last):
        local = from_epoch_minute(minute).astimezone(zone)
        today, clock = local.date(), local.hour * 60 + local.minute
        yesterday = today - timedelta(days=1)
        for w in windows:
            crosses = w.end <= w.start
            started_today = (
                start <= today < end
                and w.weekday == today.weekday()
                and w.start <= clock
                and (crosses or clock < w.end)
            )
            started_yesterday = (
                crosses
                and start <= yesterday < end
                and w.weekday == yesterday.weekday()
                and clock < w.end
            )
            if started_today or started_yesterday:
                covered.add(minute)
                break
    return covered


def runs(minutes: Iterable[int]) -> list[Interval]:
    """Maximal runs of consecutive epoch minutes, as UTC intervals."""
    bounds: list[list[int]] = []
    for minute in sorted(minutes):
        if bounds and bounds[-1][1] == minute:
            bounds[-1][1] = minute + 1
        else:
            bounds.append([minute, minute + 1])
    return [(from_epoch_minute(lo), from_epoch_minute(hi)) for lo, hi in bounds]


def interval_minutes(intervals: Iterable[Interval]) -> set[int]:
    covered: set[int] = set()
    for lo, hi in intervals:
        covered.update(range(epoch_minute(lo), epoch_minute(hi)))
    return covered


def oracle_expand(
    windows: Iterable[WeeklyWindow],
    tz: str,
    start: date,
    end: date,
    modes: Collection[str] = MODES,
) -> list[Interval]:
    return runs(window_minutes(windows, tz, start, end, modes))


def week_coverage(windows: Iterable[WeeklyWindow]) -> set[tuple[int, str]]:
    """(minute of the week, mode) pairs covered by the windows."""
    covered = set()
    for w in windows:
        length = (w.end - w.start) % (24 * 60) or 24 * 60
        first = w.weekday * 24 * 60 + w.start
        covered.update(((first + i) % (7 * 24 * 60), w.mode) for i in range(length))
    return covered


def oracle_merge(windows: Iterable[WeeklyWindow]) -> list[WeeklyWindow]:
    """The documented canonical form, built minute by minute from the covered week."""
    day, week = 24 * 60, 7 * 24 * 60
    covered = week_coverage(windows)
    result = []
    for mode in {mode for _, mode in covered}:
        minutes = {minute for minute, m in covered if m == mode}
        if len(minutes) == week:
            result += [WeeklyWindow(d, 0, day, mode) for d in range(7)]
            continue
        for first in minutes - {(m + 1) % week for m in minutes}:
            length = 1
            while (first + length) % week in minutes:
                length += 1
            if length < day or (length == day and first % day == 0):
                cuts = [first, first + length]
            else:
                midnights = range((first // day + 1) * day, first + length, day)
                cuts = [first, *midnights, first + length]
            for lo, hi in pairwise(cuts):
                end = (lo % day) + (hi - lo)
                end = end - day if end > day else end
                result.append(WeeklyWindow(lo % week // day, lo % day, end, mode))
    return sorted(result)


def oracle_free_for_whole(
    minutes_by_member: Mapping[K, set[int]], start: datetime, end: datetime
) -> set[K]:
    """Members whose minute set holds every minute of [start, end)."""
    needed = range(epoch_minute(start), epoch_minute(end))
    return {k for k, minutes in minutes_by_member.items() if all(m in minutes for m in needed)}


def oracle_suggest(
    intervals_by_member: Mapping[K, Sequence[Interval]],
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    limit: int = 5,
    step: timedelta = timedelta(minutes=15),
) -> list[Suggestion]:
    """Check every candidate against every interval, rank, then pick greedily.

    Needs merged intervals per member (as expand returns), since it tests single intervals.
    """
    start = EPOCH + (window_start - EPOCH) // step * step
    if start < window_start:
        start += step
    candidates = []
    while start + duration <= window_end:
        free = frozenset(
            k
            for k, intervals in intervals_by_member.items()
            if any(lo <= start and start + duration <= hi for lo, hi in intervals)
        )
        if free:
            candidates.append((start, free))
        start += step
    candidates.sort(key=lambda candidate: (-len(candidate[1]), candidate[0]))
    picked: list[Suggestion] = []
    for start, free in candidates:
        if len(picked) == limit:
            break
        if all(start + duration <= p.start or p.end <= start for p in picked):
            picked.append(Suggestion(start, start + duration, free))
    return picked


# --- recurrences and times for a series ---------------------------------------------------


def oracle_recurrence_dates(
    frequency: str,
    start: date,
    first: date,
    end: date,
    *,
    week_of_month: int | None = None,
    until: date | None = None,
    count: int | None = None,
) -> list[date]:
    """Walk every day from the start: a date is an occurrence when the rule says so by day
    arithmetic alone; `count` keeps the first ones, `until` those on or before it."""
    found = []
    for day in days(start, max(end, until or end) + timedelta(days=1)):
        if count is not None and len(found) == count:
            break
        if until is not None and day > until:
            break
        apart = (day - start).days
        if frequency == "weekly":
            matches = apart % 7 == 0
        elif frequency == "biweekly":
            matches = apart % 14 == 0
        else:
            same_weekday = day.weekday() == start.weekday()
            nth = (day.day - 1) // 7 + 1
            last = (day + timedelta(days=7)).month != day.month
            matches = same_weekday and (nth == week_of_month or (week_of_month == -1 and last))
        if matches:
            found.append(day)
    return [day for day in found if first <= day < end]


def oracle_series_suggest(
    minutes_by_member: Mapping[K, set[int]],
    *,
    dates_by_weekday: Mapping[int, Sequence[date]],
    zone: ZoneInfo,
    duration_minutes: int,
    limit: int,
    step_minutes: int,
) -> list[tuple[int, int, frozenset]]:
    """(weekday, minute, members free) of each pick: every slot's occurrences placed with
    resolve_wall, each member checked minute by minute, ranked, then picked greedily against
    week minutes covered (as sets, wrapping at the end of the week)."""
    week = 7 * 24 * 60
    candidates = []
    for weekday, dates in dates_by_weekday.items():
        if not dates:
            continue
        needed = -(-3 * len(dates) // 4)
        for minute in range(0, 24 * 60, step_minutes):
            starts = [
                epoch_minute(
                    resolve_wall(
                        datetime(day.year, day.month, day.day, minute // 60, minute % 60), zone
                    )
                )
                for day in dates
            ]
            free, total = set(), 0
            for member, minutes in minutes_by_member.items():
                times = sum(
                    1
                    for start in starts
                    if all(m in minutes for m in range(start, start + duration_minutes))
                )
                if times >= needed:
                    free.add(member)
                    total += times
            if free:
                candidates.append(((-len(free), -total, dates[0], minute), weekday, minute, free))
    candidates.sort(key=lambda candidate: candidate[0])
    picked, taken = [], set()
    for _, weekday, minute, free in candidates:
        if len(picked) == limit:
            break
        first = weekday * 24 * 60 + minute
        covered = {(first + i) % week for i in range(duration_minutes)}
        if covered & taken:
            continue
        picked.append((weekday, minute, frozenset(free)))
        taken |= covered
    return picked
