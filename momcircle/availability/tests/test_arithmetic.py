"""The weekly availability arithmetic: examples, then properties against brute-force oracles.

Plain functions: no Django, no database.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momcircle.availability.slots import describe_slots, weekly_slot_mask
from momcircle.availability.tests.oracles import (
    EPOCH,
    MINUTE,
    interval_minutes,
    oracle_expand,
    oracle_free_for_whole,
    oracle_merge,
    oracle_suggest,
    resolve_wall,
    runs,
    walk_fixed_offset_minutes,
    week_coverage,
    window_minutes,
)
from momcircle.availability.times import Suggestion, expand, free_for_whole, suggest_times
from momcircle.availability.windows import (
    MODES,
    InvalidWindow,
    WeeklyWindow,
    merge_windows,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
KF, KA = MODES


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def W(weekday: int, start: int, end: int, mode: str = KF) -> WeeklyWindow:
    return WeeklyWindow(weekday, start, end, mode)


# --- validation and description -------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (W(7, hm(9), hm(10)), "Choose a day from Monday to Sunday."),
        (W(-1, hm(9), hm(10)), "Choose a day from Monday to Sunday."),
        (W(MON, hm(9), hm(10), "kids"), "Choose whether the time is kid-free or with kids along."),
        (W(MON, hm(9, 10), hm(10)), "Times must be on a 15-minute step."),
        (W(MON, hm(9), hm(10, 5)), "Times must be on a 15-minute step."),
        (W(MON, 540.0, hm(10)), "Times must be on a 15-minute step."),
        (W(MON, hm(24), hm(1)), "The start time must be between 00:00 and 23:45."),
        (W(MON, -15, hm(1)), "The start time must be between 00:00 and 23:45."),
        (W(MON, hm(9), 0), "The end time must be between 00:15 and 24:00."),
        (W(MON, hm(9), hm(24, 15)), "The end time must be between 00:15 and 24:00."),
        (W(MON, hm(9), hm(9)), "The end time must be different from the start time."),
    ],
)
def test_validate_rejects_with_a_readable_message(window, message):
    with pytest.raises(InvalidWindow) as excinfo:
        window.validate()
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    "window", [W(MON, 0, hm(24)), W(SUN, hm(23, 45), hm(0, 15), KA), W(FRI, hm(21), hm(0, 30))]
)
def test_validate_accepts_edges(window):
    window.validate()


def test_invalid_window_is_a_value_error():
    assert issubclass(InvalidWindow, ValueError)


@pytest.mark.parametrize(
    ("window", "length"),
    [(W(TUE, hm(20, 30), hm(22)), 90), (W(FRI, hm(21), hm(0, 30)), 210), (W(MON, 0, hm(24)), 1440)],
)
def test_length(window, length):
    assert window.length == length


# --- merge ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("windows", "merged"),
    [
        pytest.param(
            [W(TUE, hm(20), hm(21)), W(TUE, hm(21), hm(22))],
            [W(TUE, hm(20), hm(22))],
            id="touching",
        ),
        pytest.param(
            [W(TUE, hm(20), hm(21, 30)), W(TUE, hm(21), hm(22))],
            [W(TUE, hm(20), hm(22))],
            id="overlapping",
        ),
        pytest.param(
            [W(FRI, hm(21), hm(0, 30)), W(SAT, hm(0, 30), hm(2))],
            [W(FRI, hm(21), hm(2))],
            id="cross-midnight",
        ),
        pytest.param(
            [W(SUN, hm(23), hm(1)), W(MON, hm(1), hm(2))],
            [W(SUN, hm(23), hm(2))],
            id="sun-mon wrap",
        ),
        pytest.param(
            [W(TUE, hm(22), hm(24)), W(WED, 0, hm(1))], [W(TUE, hm(22), hm(1))], id="24:00 touches"
        ),
        pytest.param(
            [W(MON, 0, hm(24)), W(TUE, 0, hm(24))],
            [W(MON, 0, hm(24)), W(TUE, 0, hm(24))],
            id="two whole days",
        ),
        pytest.param(
            [W(MON, hm(20), hm(8)), W(TUE, hm(8), hm(21))],
            [W(MON, hm(20), hm(24)), W(TUE, 0, hm(21))],
            id="longer than a day is split at midnight",
        ),
        pytest.param(
            [W(MON, hm(6), hm(18)), W(MON, hm(18), hm(6))],
            [W(MON, hm(6), hm(24)), W(TUE, 0, hm(6))],
            id="exactly 24h not from midnight",
        ),
        pytest.param(
            [W(d, 0, hm(24)) for d in (SUN, MON, TUE, WED, THU, FRI, SAT)],
            [W(d, 0, hm(24)) for d in range(7)],
            id="whole week",
        ),
        pytest.param(
            [W(SAT, hm(12), hm(12, 15)), W(SAT, hm(9), hm(10))],
            [W(SAT, hm(9), hm(10)), W(SAT, hm(12), hm(12, 15))],
            id="sorted",
        ),
    ],
)
def test_merge_windows(windows, merged):
    assert merge_windows(windows) == merged
    assert merge_windows(merged) == merged


def test_merge_keeps_modes_apart():
    windows = [W(SAT, hm(9), hm(12), KA), W(SAT, hm(11), hm(13), KF)]
    assert merge_windows(windows) == [W(SAT, hm(9), hm(12), KA), W(SAT, hm(11), hm(13), KF)]


def test_merge_validates():
    with pytest.raises(InvalidWindow):
        merge_windows([W(MON, hm(9), hm(9))])


# --- expand: examples -----------------------------------------------------------------------

EVENING = W(TUE, hm(20, 30), hm(22))


@pytest.mark.parametrize(
    ("tz", "before", "after"),
    [
        # Spring forward 2026-03-08: EST (UTC-5) then EDT (UTC-4).
        ("America/New_York", date(2026, 3, 3), date(2026, 3, 10)),
        # Fall back 2026-11-01: EDT then EST.
        ("America/New_York", date(2026, 10, 27), date(2026, 11, 3)),
        # BST starts 2026-03-29.
        ("Europe/London", date(2026, 3, 24), date(2026, 3, 31)),
        # Southern hemisphere: AEDT (UTC+11) ends 2026-04-05, AEST (UTC+10) after.
        ("Australia/Sydney", date(2026, 3, 31), date(2026, 4, 7)),
    ],
)
def test_wall_clock_is_kept_across_dst(tz, before, after):
    intervals = expand([EVENING], tz, before, after + timedelta(days=1))
    assert len(intervals) == 2
    zone = ZoneInfo(tz)
    for (lo, hi), day in zip(intervals, (before, after), strict=True):
        assert lo.tzinfo is UTC
        assert lo.astimezone(zone).replace(tzinfo=None) == datetime(
            day.year, day.month, day.day, 20, 30
        )
        assert hi - lo == timedelta(minutes=90)
    assert abs(intervals[1][0].hour - intervals[0][0].hour) in (1, 23)


def test_new_york_utc_hours_across_changes():
    spring = expand([EVENING], "America/New_York", date(2026, 3, 3), date(2026, 3, 11))
    assert [lo for lo, _ in spring] == [utc(2026, 3, 4, 1, 30), utc(2026, 3, 11, 0, 30)]
    fall = expand([EVENING], "America/New_York", date(2026, 10, 27), date(2026, 11, 4))
    assert [lo for lo, _ in fall] == [utc(2026, 10, 28, 0, 30), utc(2026, 11, 4, 1, 30)]


SPRING = date(2026, 3, 8)  # America/New_York: 02:00 EST -> 03:00 EDT
FALL = date(2026, 11, 1)  # America/New_York: 02:00 EDT -> 01:00 EST


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        # Times in the skipped hour move forward by an hour: 02:30 -> 03:30 EDT = 07:30 UTC.
        (W(SUN, hm(2, 30), hm(4)), [(utc(2026, 3, 8, 7, 30), utc(2026, 3, 8, 8))]),
        (W(SUN, hm(2), hm(2, 30)), [(utc(2026, 3, 8, 7), utc(2026, 3, 8, 7, 30))]),
        (W(SUN, hm(1), hm(3)), [(utc(2026, 3, 8, 6), utc(2026, 3, 8, 7))]),
        (W(SAT, hm(23), hm(2, 30)), [(utc(2026, 3, 8, 4), utc(2026, 3, 8, 7, 30))]),
        # 02:30-03:15 resolves to 03:30-03:15 EDT: dropped.
        (W(SUN, hm(2, 30), hm(3, 15)), []),
    ],
)
def test_spring_forward_gap(window, expected):
    assert (
        expand([window], "America/New_York", SPRING - timedelta(days=1), SPRING + timedelta(1))
        == expected
    )


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        # 01:00-01:30 happens twice; the first pass (EDT, UTC-4) is used.
        (W(SUN, hm(1), hm(1, 30)), [(utc(2026, 11, 1, 5), utc(2026, 11, 1, 5, 30))]),
        # 01:30 EDT to 02:00 EST: wall clock says 30 minutes, real time is 90.
        (W(SUN, hm(1, 30), hm(2)), [(utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 7))]),
        (W(SAT, hm(22), hm(1, 30)), [(utc(2026, 11, 1, 2), utc(2026, 11, 1, 5, 30))]),
    ],
)
def test_fall_back_overlap(window, expected):
    assert (
        expand([window], "America/New_York", FALL - timedelta(days=1), FALL + timedelta(1))
        == expected
    )


def test_resolve_matches_documented_examples():
    new_york = ZoneInfo("America/New_York")
    assert resolve_wall(datetime(2026, 3, 8, 2, 30), new_york) == utc(2026, 3, 8, 7, 30)
    assert resolve_wall(datetime(2026, 11, 1, 1, 30), new_york) == utc(2026, 11, 1, 5, 30)
    sydney = ZoneInfo("Australia/Sydney")  # 2026-10-04 02:00 AEST -> 03:00 AEDT
    assert resolve_wall(datetime(2026, 10, 4, 2, 30), sydney) == utc(2026, 10, 3, 16, 30)


@pytest.mark.parametrize(
    ("tz", "utc_start"),
    [
        ("Asia/Kolkata", utc(2026, 6, 2, 15)),  # UTC+05:30
        ("Asia/Kathmandu", utc(2026, 6, 2, 14, 45)),  # UTC+05:45
        ("Australia/Sydney", utc(2026, 6, 2, 10, 30)),  # AEST, UTC+10
        ("Europe/London", utc(2026, 6, 2, 19, 30)),  # BST, UTC+1
        ("UTC", utc(2026, 6, 2, 20, 30)),
    ],
)
def test_expand_offsets(tz, utc_start):
    tuesday = date(2026, 6, 2)
    assert expand([EVENING], tz, tuesday, tuesday + timedelta(1)) == [
        (utc_start, utc_start + timedelta(minutes=90))
    ]


def test_expand_takes_occurrences_by_start_date():
    friday_late = W(FRI, hm(21), hm(0, 30))
    friday, saturday = date(2026, 6, 5), date(2026, 6, 6)
    # Starting on the last date: included whole, past the end date.
    assert expand([friday_late], "UTC", friday, saturday) == [
        (utc(2026, 6, 5, 21), utc(2026, 6, 6, 0, 30))
    ]
    # Started the day before the range: excluded, even the part after midnight.
    assert expand([friday_late], "UTC", saturday, saturday + timedelta(1)) == []
    assert expand([friday_late], "UTC", saturday, friday) == []


def test_expand_filters_modes_and_merges():
    windows = [W(SAT, hm(9), hm(12), KA), W(SAT, hm(12), hm(13), KF)]
    saturday = date(2026, 6, 6)
    assert expand(windows, "UTC", saturday, saturday + timedelta(1), modes=[KF]) == [
        (utc(2026, 6, 6, 12), utc(2026, 6, 6, 13))
    ]
    assert expand(windows, "UTC", saturday, saturday + timedelta(1)) == [
        (utc(2026, 6, 6, 9), utc(2026, 6, 6, 13))
    ]


def test_whole_week_window_expands_to_one_interval():
    week = [W(d, 0, hm(24)) for d in range(7)]
    assert expand(week, "Asia/Kolkata", date(2026, 6, 1), date(2026, 6, 15)) == [
        (utc(2026, 5, 31, 18, 30), utc(2026, 6, 14, 18, 30))
    ]


# --- free_for_whole and suggest_times: examples ---------------------------------------------


def test_free_for_whole_is_half_open():
    members = {
        "ana": [(utc(2026, 6, 1, 18), utc(2026, 6, 1, 20))],
        "bea": [(utc(2026, 6, 1, 18, 15), utc(2026, 6, 1, 21))],
        "cat": [
            (utc(2026, 6, 1, 17), utc(2026, 6, 1, 18)),
            (utc(2026, 6, 1, 18), utc(2026, 6, 1, 19)),
        ],
    }
    assert free_for_whole(members, utc(2026, 6, 1, 18), utc(2026, 6, 1, 19)) == {"ana", "cat"}
    assert free_for_whole(members, utc(2026, 6, 1, 19), utc(2026, 6, 1, 20)) == {"ana", "bea"}
    assert free_for_whole(members, utc(2026, 6, 1, 19), utc(2026, 6, 1, 20, 1)) == {"bea"}
    assert free_for_whole(members, utc(2026, 6, 1, 17, 59), utc(2026, 6, 1, 18, 30)) == {"cat"}
    with pytest.raises(ValueError, match="after start"):
        free_for_whole(members, utc(2026, 6, 1, 19), utc(2026, 6, 1, 19))


DAY = utc(2026, 6, 1)


def at(hours: float) -> datetime:
    return DAY + timedelta(hours=hours)


def test_suggest_ranks_by_count_then_earlier_and_never_overlaps():
    members = {
        "a": [(at(9), at(12))],
        "b": [(at(10), at(12)), (at(18), at(19))],
        "c": [(at(10), at(11)), (at(18), at(20))],
        "d": [(at(14), at(15))],
    }
    result = suggest_times(
        members, window_start=at(0), window_end=at(24), duration=timedelta(hours=1), limit=4
    )
    # 10:15-10:45 (a, b) overlap the 10:00 pick; 11:00 and 18:00 tie and the earlier comes
    # first; 09:00 only touches 10:00, so it is allowed.
    assert result == [
        Suggestion(at(10), at(11), frozenset("abc")),
        Suggestion(at(11), at(12), frozenset("ab")),
        Suggestion(at(18), at(19), frozenset("bc")),
        Suggestion(at(9), at(10), frozenset("a")),
    ]


def test_suggest_limit_and_zero_free_excluded():
    members = {"a": [(at(9), at(10))], "b": []}
    window = {"window_start": at(0), "window_end": at(24), "duration": timedelta(minutes=30)}
    assert suggest_times(members, **window, limit=10) == [
        Suggestion(at(9), at(9.5), frozenset("a")),
        Suggestion(at(9.5), at(10), frozenset("a")),
    ]
    assert suggest_times(members, **window, limit=1) == [Suggestion(at(9), at(9.5), frozenset("a"))]
    assert suggest_times(members, **window, limit=0) == []
    assert suggest_times({"b": []}, **window) == []


def test_suggest_rounds_window_start_up_to_the_grid_and_respects_window_end():
    members = {"a": [(at(9), at(12))]}
    result = suggest_times(
        members,
        window_start=at(9) + timedelta(minutes=1),
        window_end=at(10) + timedelta(minutes=40),
        duration=timedelta(minutes=30),
    )
    assert [s.start for s in result] == [at(9.25), at(9.75)]
    assert all(s.end <= at(10) + timedelta(minutes=40) for s in result)
    assert result[0].count == 1


def test_suggest_members_in_different_time_zones():
    # 20:30-22:00 in New York (EDT) is 00:30-02:00 UTC; 06:00-08:00 Saturday in Kolkata is
    # 00:30-02:30 UTC; 01:00-03:00 Saturday in London (BST) is 00:00-02:00 UTC.
    people = {
        "new_york": ("America/New_York", [W(FRI, hm(20, 30), hm(22))]),
        "kolkata": ("Asia/Kolkata", [W(SAT, hm(6), hm(8), KA)]),
        "london": ("Europe/London", [W(SAT, hm(1), hm(3))]),
    }
    first, last = date(2026, 6, 4), date(2026, 6, 8)
    intervals = {name: expand(ws, tz, first, last) for name, (tz, ws) in people.items()}
    result = suggest_times(
        intervals,
        window_start=utc(2026, 6, 4),
        window_end=utc(2026, 6, 8),
        duration=timedelta(hours=1),
        limit=1,
    )
    assert result == [Suggestion(utc(2026, 6, 6, 0, 30), utc(2026, 6, 6, 1, 30), frozenset(people))]


def test_suggest_rejects_non_positive_duration():
    with pytest.raises(ValueError, match="positive"):
        suggest_times({}, window_start=at(0), window_end=at(1), duration=timedelta(0))


# --- weekly slots ---------------------------------------------------------------------------


def test_weekly_slot_mask_needs_whole_slots():
    windows = [W(MON, hm(20, 15), hm(21, 30)), W(SUN, hm(23, 30), hm(0, 30), KA)]
    assert weekly_slot_mask(windows) == {41, 42, 335, 0}
    assert weekly_slot_mask(windows, modes=[KF]) == {41, 42}
    assert weekly_slot_mask(windows, slot_minutes=60) == frozenset()
    assert weekly_slot_mask(windows, slot_minutes=15) == {81, 82, 83, 84, 85, 670, 671, 0, 1}


def test_weekly_slot_mask_unites_touching_windows_of_allowed_modes():
    windows = [W(TUE, hm(9), hm(9, 15), KF), W(TUE, hm(9, 15), hm(9, 30), KA)]
    assert weekly_slot_mask(windows) == {48 + 18}
    assert weekly_slot_mask(windows, modes=[KA]) == frozenset()


def test_describe_slots():
    mask = weekly_slot_mask(
        [
            W(SAT, hm(9), hm(12), KA),
            W(TUE, hm(20), hm(22, 30)),
            W(FRI, hm(22), hm(1)),
            W(MON, hm(1), hm(2)),
            W(WED, hm(12), hm(13)),
            W(THU, hm(16), hm(18)),
        ]
    )
    assert describe_slots(mask) == [
        "Tue evenings",
        "Wed lunchtime",
        "Thu afternoons",
        "Thu evenings",
        "Fri evenings",
        "Fri late nights",
        "Sat mornings",
        "Sun late nights",
    ]
    assert describe_slots([]) == []
    with pytest.raises(ValueError, match="outside the week"):
        describe_slots([336])


# --- properties against the oracles ---------------------------------------------------------

ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
)
# Dates on which each zone changes its offset in 2026 (all Sundays); other zones get these too.
CHANGES = {
    "America/New_York": (date(2026, 3, 8), date(2026, 11, 1)),
    "America/Los_Angeles": (date(2026, 3, 8), date(2026, 11, 1)),
    "Europe/London": (date(2026, 3, 29), date(2026, 10, 25)),
    "Australia/Sydney": (date(2026, 4, 5), date(2026, 10, 4)),
}
ANY_CHANGE = tuple(sorted({d for dates in CHANGES.values() for d in dates}))
PROPERTY = settings(max_examples=300, deadline=None, database=None)


def test_change_dates_are_real():
    for tz, dates in CHANGES.items():
        zone = ZoneInfo(tz)
        for day in dates:
            before = datetime.combine(day - timedelta(1), datetime.min.time(), zone).utcoffset()
            after = datetime.combine(day + timedelta(1), datetime.min.time(), zone).utcoffset()
            assert before != after, (tz, day)


# Quarter hours, biased towards 01:00-03:00 where DST changes happen.
quarters = st.one_of(st.integers(0, 96), st.integers(4, 12))


@st.composite
def windows(draw) -> WeeklyWindow:
    weekday = draw(st.one_of(st.integers(0, 6), st.sampled_from([SAT, SUN])))
    start = min(draw(quarters), 95) * 15
    end = max(draw(quarters), 1) * 15
    if end == start:
        end = start + 15
    return WeeklyWindow(weekday, start, end, draw(st.sampled_from(MODES)))


window_lists = st.lists(windows(), max_size=6)


@st.composite
def zone_and_range(draw, max_days: int = 8) -> tuple[str, date, date]:
    tz = draw(st.sampled_from(ZONES))
    anchor = draw(st.sampled_from(CHANGES.get(tz, ANY_CHANGE)))
    start = anchor - timedelta(days=draw(st.integers(0, 4)))
    return tz, start, start + timedelta(days=draw(st.integers(1, max_days)))


@PROPERTY
@given(window_lists, zone_and_range(), st.sampled_from([MODES, (KF,), (KA,)]))
def test_expand_matches_minute_oracle(ws, zr, modes):
    tz, start, end = zr
    assert expand(ws, tz, start, end, modes) == oracle_expand(ws, tz, start, end, modes)


@settings(max_examples=80, deadline=None, database=None)
@given(
    window_lists,
    st.sampled_from(["UTC", "Asia/Kolkata", "Asia/Kathmandu"]),
    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    st.integers(1, 4),
)
def test_expand_matches_clock_walk_where_offset_is_fixed(ws, tz, start, n_days):
    end = start + timedelta(days=n_days)
    assert interval_minutes(expand(ws, tz, start, end)) == walk_fixed_offset_minutes(
        ws, tz, start, end
    )


@PROPERTY
@given(window_lists)
def test_merge_preserves_coverage_is_idempotent_and_disjoint(ws):
    merged = merge_windows(ws)
    assert merged == oracle_merge(ws)
    assert week_coverage(merged) == week_coverage(ws)
    assert merge_windows(merged) == merged
    assert merged == sorted(merged)
    for w in merged:
        w.validate()
    for mode in MODES:
        same_mode = [w for w in merged if w.mode == mode]
        assert sum(w.length for w in same_mode) == len(week_coverage(same_mode))


@settings(max_examples=150, deadline=None, database=None)
@given(
    window_lists,
    st.sampled_from(["UTC", "Asia/Kolkata", "Asia/Kathmandu"]),
    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    st.integers(2, 9),
)
def test_expanding_merged_windows_covers_the_same_time(ws, tz, start, n_days):
    # Occurrences last at most a day, so from the second local day of the range on, every
    # minute is covered exactly as the weekly pattern says, whichever way it is cut into windows.
    # (Across a DST gap the two may differ: the ends of touching windows resolve separately.)
    end = start + timedelta(days=n_days)
    zone = ZoneInfo(tz)
    settled = set(
        range(
            (datetime.combine(start + timedelta(1), datetime.min.time(), zone) - EPOCH) // MINUTE,
            (datetime.combine(end, datetime.min.time(), zone) - EPOCH) // MINUTE,
        )
    )
    merged_minutes = interval_minutes(expand(merge_windows(ws), tz, start, end))
    assert merged_minutes & settled == interval_minutes(expand(ws, tz, start, end)) & settled


@PROPERTY
@given(window_lists, st.sampled_from([7, 15, 20, 30, 45, 60, 90, 120]))
def test_weekly_slot_mask_matches_minute_coverage(ws, slot_minutes):
    covered = {minute for minute, mode in week_coverage(ws)}
    expected = {
        slot
        for slot in range(10080 // slot_minutes)
        if all(m in covered for m in range(slot * slot_minutes, (slot + 1) * slot_minutes))
    }
    assert weekly_slot_mask(ws, slot_minutes=slot_minutes) == expected


@st.composite
def members(draw, max_members: int = 5) -> tuple[dict, date, date]:
    """Members in random zones with random windows, expanded over 1-4 days around a change."""
    start = draw(st.sampled_from(ANY_CHANGE)) - timedelta(days=draw(st.integers(0, 3)))
    end = start + timedelta(days=draw(st.integers(1, 4)))
    group = {}
    for key in range(draw(st.integers(1, max_members))):
        tz = draw(st.sampled_from(ZONES))
        group[key] = (tz, draw(st.lists(windows(), min_size=1, max_size=6)))
    return group, start, end


@PROPERTY
@given(members(), st.data())
def test_free_for_whole_matches_minute_oracle(case, data):
    group, start, end = case
    intervals = {k: expand(ws, tz, start, end) for k, (tz, ws) in group.items()}
    minutes = {k: window_minutes(ws, tz, start, end) for k, (tz, ws) in group.items()}
    edges = sorted({t for ivs in intervals.values() for iv in ivs for t in iv}) or [utc(2026, 3, 8)]
    lo = data.draw(st.sampled_from(edges)) + timedelta(minutes=data.draw(st.integers(-20, 20)))
    hi = lo + timedelta(minutes=data.draw(st.integers(1, 300)))
    assert free_for_whole(intervals, lo, hi) == oracle_free_for_whole(minutes, lo, hi)


suggest_params = st.fixed_dictionaries(
    {
        "duration": st.sampled_from([15, 30, 45, 50, 60, 90, 120, 180]).map(
            lambda m: timedelta(minutes=m)
        ),
        "step": st.sampled_from([15, 15, 30, 60, 7]).map(lambda m: timedelta(minutes=m)),
        "limit": st.integers(1, 6),
    }
)


@PROPERTY
@given(members(), suggest_params, st.integers(-180, 600), st.integers(0, 4 * 24 * 60))
def test_suggest_times_matches_brute_force(case, params, lead, span):
    group, start, end = case
    intervals = {k: expand(ws, tz, start, end) for k, (tz, ws) in group.items()}
    window_start = utc(start.year, start.month, start.day) + timedelta(minutes=lead)
    window_end = window_start + timedelta(minutes=span)
    args = {"window_start": window_start, "window_end": window_end, **params}
    assert suggest_times(intervals, **args) == oracle_suggest(intervals, **args)


@st.composite
def raw_intervals(draw) -> dict[int, list[tuple[datetime, datetime]]]:
    """Arbitrary minute-precision intervals, merged per member like expand's output."""
    group = {}
    for key in range(draw(st.integers(1, 6))):
        minutes = set()
        for _ in range(draw(st.integers(0, 5))):
            lo = draw(st.integers(0, 2 * 24 * 60))
            minutes.update(range(lo, lo + draw(st.integers(1, 400))))
        base = (utc(2026, 6, 1) - EPOCH) // timedelta(minutes=1)
        group[key] = runs(base + m for m in minutes)
    return group


@PROPERTY
@given(raw_intervals(), suggest_params, st.integers(-100, 300), st.integers(0, 3 * 24 * 60))
def test_suggest_times_matches_brute_force_off_grid(group, params, lead, span):
    window_start = utc(2026, 6, 1) + timedelta(minutes=lead, seconds=lead % 7)
    window_end = window_start + timedelta(minutes=span)
    args = {"window_start": window_start, "window_end": window_end, **params}
    assert suggest_times(group, **args) == oracle_suggest(group, **args)
