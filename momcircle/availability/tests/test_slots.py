from datetime import UTC, datetime

from momcircle.availability.slots import (
    SLOTS_PER_DAY,
    SLOTS_PER_WEEK,
    best_shared_windows,
    count_slots,
    heatmap_rows,
    shift_slots,
    zone_difference_minutes,
)

TUE_20_30 = 1 * SLOTS_PER_DAY + 41
SAT_09_00 = 5 * SLOTS_PER_DAY + 18


def test_shifting_slots_wraps_around_the_week():
    assert shift_slots([0, 5], -30) == [4, SLOTS_PER_WEEK - 1]
    assert shift_slots([SLOTS_PER_WEEK - 1], 60) == [1]


def test_counts_are_per_member_and_slot():
    counts = count_slots([[TUE_20_30, TUE_20_30 + 1], [TUE_20_30], []])
    assert (counts[TUE_20_30], counts[TUE_20_30 + 1], sum(counts)) == (2, 1, 3)


def test_the_best_shared_windows_are_where_most_members_are_free_when_she_is():
    counts = [0] * SLOTS_PER_WEEK
    counts[TUE_20_30] = 2
    counts[SAT_09_00] = 5
    counts[SAT_09_00 + 1] = 1
    her_slots = [TUE_20_30, SAT_09_00, SAT_09_00 + 1, 3 * SLOTS_PER_DAY + 20]
    assert best_shared_windows(her_slots, counts) == ["Sat mornings", "Tue evenings"]


def test_no_shared_windows_when_nobody_is_free_when_she_is():
    assert best_shared_windows([TUE_20_30], [0] * SLOTS_PER_WEEK) == []


def test_the_heatmap_shows_06_to_24_with_the_busiest_slot_darkest():
    counts = [0] * SLOTS_PER_WEEK
    counts[TUE_20_30] = 4
    counts[SAT_09_00] = 1
    rows = heatmap_rows(counts)
    assert (rows[0].label, rows[-1].label, len(rows)) == ("06:00", "23:30", 36)
    evening = next(row for row in rows if row.label == "20:30")
    assert (evening.cells[1].count, evening.cells[1].level) == (4, 4)
    morning = next(row for row in rows if row.label == "09:00")
    assert (morning.cells[5].count, morning.cells[5].level) == (1, 1)


def test_an_empty_week_has_no_heatmap():
    assert heatmap_rows([0] * SLOTS_PER_WEEK) == []


def test_zone_difference_follows_daylight_saving():
    summer = datetime(2026, 7, 1, tzinfo=UTC)
    assert zone_difference_minutes("America/New_York", "America/Chicago", summer) == -60
    assert zone_difference_minutes("America/Phoenix", "America/Denver", summer) == 60
    winter = datetime(2026, 1, 15, tzinfo=UTC)
    assert zone_difference_minutes("America/Phoenix", "America/Denver", winter) == 0
    assert zone_difference_minutes(None, "America/Chicago", winter) == 0
