"""Weekly windows as half-hour slots of the local week (pure Python).

A week has 336 half-hour slots in local wall-clock time; slot 0 is Monday 00:00–00:30. A
member's slots are those her windows cover whole; a group's summary counts, per slot, how
many of its members are free for the whole slot.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from momcircle.availability.windows import (
    DAY_NAMES,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    MODES,
    WeeklyWindow,
    gettext_noop,
    week_spans,
)

SLOT_MINUTES = 30
SLOTS_PER_DAY = MINUTES_PER_DAY // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
HEATMAP_FIRST_SLOT = 6 * 60 // SLOT_MINUTES  # the heatmap shows 06:00–24:00

# Parts of the day used by describe_slots, in the order they are listed within a weekday.
# "late nights" are 00:00-06:00 of the NEXT day: a Sat 01:00 slot is a "Fri late night".
PARTS_OF_DAY = (
    (gettext_noop("mornings"), 6 * 60, 12 * 60),
    (gettext_noop("lunchtime"), 12 * 60, 14 * 60),
    (gettext_noop("afternoons"), 14 * 60, 17 * 60),
    (gettext_noop("evenings"), 17 * 60, 24 * 60),
    (gettext_noop("late nights"), 0, 6 * 60),
)


def weekly_slot_mask(
    windows: Iterable[WeeklyWindow],
    modes: Collection[str] = MODES,
    slot_minutes: int = SLOT_MINUTES,
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
            for lo, hi in week_spans(window):
                covered[lo:hi] = b"\x01" * (hi - lo)
    return frozenset(
        slot
        for slot in range(slot_count)
        if 0 not in covered[slot * slot_minutes : (slot + 1) * slot_minutes]
    )


def describe_slots(slots: Iterable[int], slot_minutes: int = SLOT_MINUTES) -> list[str]:
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


def shift_slots(slots: Iterable[int], minutes: int) -> list[int]:
    """Move slots by a whole number of slots (a member whose zone differs from the group's:
    her 20:00 in New York is the group's 19:00 in Chicago, a shift of -60 minutes)."""
    step = round(minutes / SLOT_MINUTES)
    return sorted({(slot + step) % SLOTS_PER_WEEK for slot in slots})


def zone_difference_minutes(member_zone: str | None, group_zone: str, at: datetime) -> int:
    """Minutes to add to a member's local clock to read the group's local clock at `at`."""
    if not member_zone or member_zone == group_zone:
        return 0
    member_offset = at.astimezone(ZoneInfo(member_zone)).utcoffset()
    group_offset = at.astimezone(ZoneInfo(group_zone)).utcoffset()
    return int((group_offset - member_offset).total_seconds() // 60)


def count_slots(slot_lists: Iterable[Iterable[int]]) -> list[int]:
    counts = [0] * SLOTS_PER_WEEK
    for slots in slot_lists:
        for slot in set(slots):
            counts[slot] += 1
    return counts


def best_shared_windows(
    her_slots: Iterable[int], slot_counts: Sequence[int], limit: int = 3
) -> list[str]:
    """Where most members are free when she is, in words: ["Tue evenings", "Sat mornings"]."""
    best_by_phrase: dict[str, int] = {}
    for slot in her_slots:
        if slot_counts[slot]:
            (phrase,) = describe_slots([slot], SLOT_MINUTES)
            best_by_phrase[phrase] = max(best_by_phrase.get(phrase, 0), slot_counts[slot])
    ranked = sorted(best_by_phrase.items(), key=lambda item: -item[1])
    return [phrase for phrase, _ in ranked[:limit]]


HEAT_LEVELS = 4


@dataclass(frozen=True)
class HeatmapCell:
    count: int
    level: int  # 0 (nobody) to HEAT_LEVELS (the most members free anywhere in the week)


@dataclass(frozen=True)
class HeatmapRow:
    label: str
    cells: tuple[HeatmapCell, ...]


def heatmap_rows(slot_counts: Sequence[int]) -> list[HeatmapRow]:
    """Rows of the 06:00–24:00 heatmap: one per half hour, a cell per weekday; no rows when
    nobody is free at all."""
    most = max(slot_counts, default=0)
    if not most:
        return []
    rows = []
    for slot_of_day in range(HEATMAP_FIRST_SLOT, SLOTS_PER_DAY):
        minutes = slot_of_day * SLOT_MINUTES
        counts = [slot_counts[day * SLOTS_PER_DAY + slot_of_day] for day in range(len(DAY_NAMES))]
        cells = tuple(HeatmapCell(count, -(-count * HEAT_LEVELS // most)) for count in counts)
        rows.append(HeatmapRow(f"{minutes // 60:02d}:{minutes % 60:02d}", cells))
    return rows
