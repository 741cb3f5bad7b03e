"""Weekly slot arithmetic for group summaries (pure Python).

A week has 336 half-hour slots in local wall-clock time; slot 0 is Monday 00:00–00:30.
A group's summary counts, per slot, how many of its members are free for the whole slot.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from scheduling.availability import DAY_NAMES, describe_slots

SLOT_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
HEATMAP_FIRST_SLOT = 6 * 60 // SLOT_MINUTES  # the heatmap shows 06:00–24:00


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
