"""Recurring meetups as dates and instants, and times for a series: examples, then properties
against brute-force oracles and against the RRULE text read back by dateutil.

Plain functions: no Django, no database.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from momcircle.availability.recurrence import (
    BIWEEKLY,
    LAST,
    MONTHLY,
    WEEKLY,
    InvalidRecurrence,
    Recurrence,
    instant,
    is_last_of_month,
    monthly_position,
    occurrence_span,
)
from momcircle.availability.tests.oracles import (
    interval_minutes,
    oracle_recurrence_dates,
    oracle_series_suggest,
)
from momcircle.availability.times import expand, series_majority, suggest_series_times
from momcircle.availability.windows import WeeklyWindow

CHICAGO = ZoneInfo("America/Chicago")
TUE = 1
PROPERTY = settings(max_examples=200, deadline=None, database=None)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- examples -------------------------------------------------------------------------------


def test_every_other_tuesday_skips_a_week():
    every_other = Recurrence(BIWEEKLY, date(2027, 3, 2))
    assert every_other.dates(date(2027, 3, 1), date(2027, 4, 1)) == [
        date(2027, 3, 2),
        date(2027, 3, 16),
        date(2027, 3, 30),
    ]


def test_the_second_tuesday_of_each_month():
    second = Recurrence(MONTHLY, date(2027, 3, 9), week_of_month=2)
    assert second.next_dates(date(2027, 3, 10), 3) == [
        date(2027, 4, 13),
        date(2027, 5, 11),
        date(2027, 6, 8),
    ]


def test_a_fifth_tuesday_starts_a_series_on_the_last_tuesday():
    assert monthly_position(date(2027, 3, 30)) == LAST
    last = Recurrence(MONTHLY, date(2027, 3, 30), week_of_month=LAST)
    assert last.next_dates(date(2027, 4, 1), 2) == [date(2027, 4, 27), date(2027, 5, 25)]


def test_the_last_tuesday_must_be_the_last_one():
    with pytest.raises(InvalidRecurrence, match="not the last Tuesday"):
        monthly_position(date(2027, 3, 16), last=True)


def test_a_count_counts_from_the_first_date_and_until_includes_its_day():
    assert Recurrence(WEEKLY, date(2027, 3, 2), count=3).last_date() == date(2027, 3, 16)
    assert Recurrence(WEEKLY, date(2027, 3, 2), until=date(2027, 3, 16)).last_date() == date(
        2027, 3, 16
    )
    assert Recurrence(WEEKLY, date(2027, 3, 2)).last_date() is None


@pytest.mark.parametrize(
    ("recurrence", "message"),
    [
        (Recurrence("daily", date(2027, 3, 2)), "every week, every 2 weeks or monthly"),
        (Recurrence(MONTHLY, date(2027, 3, 2), week_of_month=2), "that week of the month"),
        (Recurrence(WEEKLY, date(2027, 3, 2), week_of_month=1), "Only a monthly series"),
        (Recurrence(WEEKLY, date(2027, 3, 2), count=0), "from 1 to 200 times"),
        (Recurrence(WEEKLY, date(2027, 3, 2), until=date(2027, 3, 1)), "before the first"),
        (
            Recurrence(WEEKLY, date(2027, 3, 2), until=date(2027, 4, 1), count=2),
            "not both",
        ),
    ],
)
def test_a_recurrence_that_cannot_be_says_why(recurrence, message):
    with pytest.raises(InvalidRecurrence, match=message):
        recurrence.validate()


@pytest.mark.parametrize(
    ("recurrence", "rule"),
    [
        (Recurrence(WEEKLY, date(2027, 3, 2)), "FREQ=WEEKLY;BYDAY=TU"),
        (
            Recurrence(BIWEEKLY, date(2027, 3, 2), count=6),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=6",
        ),
        (
            Recurrence(MONTHLY, date(2027, 3, 9), week_of_month=2, until=date(2027, 6, 30)),
            # The last second of 30 June in Chicago (CDT, UTC-5).
            "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270701T045959Z",
        ),
        (
            Recurrence(MONTHLY, date(2027, 3, 30), week_of_month=LAST),
            "FREQ=MONTHLY;BYDAY=-1TU",
        ),
    ],
)
def test_a_recurrence_as_an_rrule(recurrence, rule):
    """(Its words are scheduling's: scheduling/tests/test_series_words.py.)"""
    assert recurrence.rrule(CHICAGO, time(20, 30)) == rule


def test_the_wall_clock_stays_across_the_dst_change():
    # 20:30 in Chicago is 02:30 UTC in winter and 01:30 UTC in summer.
    assert instant(date(2027, 3, 9), time(20, 30), CHICAGO) == utc(2027, 3, 10, 2, 30)
    assert instant(date(2027, 3, 16), time(20, 30), CHICAGO) == utc(2027, 3, 17, 1, 30)


def test_a_time_in_the_spring_forward_gap_moves_forward_by_the_gap():
    # 02:30 does not exist on 14 March 2027 in Chicago: it is placed with the offset before
    # the gap (CST), which reads 03:30 CDT.
    start, end = occurrence_span(date(2027, 3, 14), time(2, 30), timedelta(minutes=90), CHICAGO)
    assert start == utc(2027, 3, 14, 8, 30)
    assert start.astimezone(CHICAGO).strftime("%H:%M %Z") == "03:30 CDT"
    assert end - start == timedelta(minutes=90)


def test_an_ambiguous_time_is_its_first_occurrence_and_the_length_is_elapsed_time():
    start, end = occurrence_span(date(2027, 11, 7), time(1, 30), timedelta(minutes=60), CHICAGO)
    assert start.astimezone(CHICAGO).strftime("%H:%M %Z") == "01:30 CDT"
    assert end.astimezone(CHICAGO).strftime("%H:%M %Z") == "01:30 CST"


# --- properties -----------------------------------------------------------------------------


@st.composite
def recurrences(draw) -> Recurrence:
    frequency = draw(st.sampled_from([WEEKLY, BIWEEKLY, MONTHLY]))
    start = draw(st.dates(date(2026, 1, 1), date(2028, 12, 31)))
    week = None
    if frequency == MONTHLY:
        # A 4th Tuesday that is also the month's last may repeat as either.
        last = is_last_of_month(start) and draw(st.booleans())
        week = monthly_position(start, last=last)
    end = draw(st.sampled_from(["open", "until", "count"]))
    until = start + timedelta(days=draw(st.integers(0, 400))) if end == "until" else None
    count = draw(st.integers(1, 30)) if end == "count" else None
    return Recurrence(frequency, start, week_of_month=week, until=until, count=count)


@st.composite
def date_ranges(draw) -> tuple[date, date]:
    first = draw(st.dates(date(2025, 10, 1), date(2029, 3, 1)))
    return first, first + timedelta(days=draw(st.integers(0, 500)))


def oracle_of(recurrence: Recurrence, first: date, end: date) -> list[date]:
    return oracle_recurrence_dates(
        recurrence.frequency,
        recurrence.start,
        first,
        end,
        week_of_month=recurrence.week_of_month,
        until=recurrence.until,
        count=recurrence.count,
    )


@PROPERTY
@given(recurrences(), date_ranges())
def test_dates_match_the_day_by_day_oracle(recurrence, span):
    first, end = span
    assert recurrence.dates(first, end) == oracle_of(recurrence, first, end)


@PROPERTY
@given(recurrences(), date_ranges())
def test_the_rrule_text_read_back_by_dateutil_gives_the_same_dates(recurrence, span):
    first, end = span
    start = datetime.combine(recurrence.start, time(20, 30), CHICAGO)
    rule = rrulestr(recurrence.rrule(CHICAGO, time(20, 30)), dtstart=start)
    expanded = [
        moment.date()
        for moment in rule.between(
            datetime.combine(first, time(), CHICAGO),
            datetime.combine(end, time(), CHICAGO),
            inc=True,
        )
    ]
    assert expanded == oracle_of(recurrence, first, end)


@PROPERTY
@given(recurrences(), st.dates(date(2025, 10, 1), date(2029, 3, 1)), st.integers(1, 10))
def test_next_dates_are_the_first_dates_from_there(recurrence, first, how_many):
    ahead = oracle_of(recurrence, first, first + timedelta(days=4000))
    assert recurrence.next_dates(first, how_many) == ahead[:how_many]


@PROPERTY
@given(recurrences().filter(lambda r: r.until or r.count))
def test_the_last_date_is_the_last_of_the_oracle(recurrence):
    dates = oracle_of(recurrence, recurrence.start, recurrence.start + timedelta(days=4000))
    assert recurrence.last_date() == dates[-1]


# --- times for a series ---------------------------------------------------------------------

SERIES_ZONES = ("America/Chicago", "Europe/London", "Australia/Lord_Howe", "UTC")
# Spring-forward and fall-back weeks in each zone, where the wall clock and UTC part ways.
CHANGE_WEEKS = (date(2027, 3, 8), date(2027, 3, 29), date(2027, 10, 4), date(2027, 11, 1))


def test_a_member_free_on_six_of_eight_tuesdays_counts_and_on_five_does_not():
    tuesdays = [date(2027, 3, 2) + timedelta(weeks=k) for k in range(8)]

    def free_on(count: int):
        return [
            occurrence_span(day, time(20, 0), timedelta(hours=3), CHICAGO)
            for day in tuesdays[:count]
        ]

    [best] = suggest_series_times(
        {"often": free_on(6), "sometimes": free_on(5)},
        dates_by_weekday={TUE: tuesdays},
        zone=CHICAGO,
        duration=timedelta(minutes=90),
        limit=1,
    )
    assert series_majority(8) == 6
    assert (best.weekday, best.minute, best.free) == (TUE, 20 * 60, frozenset({"often"}))


def test_the_slot_most_can_make_most_weeks_wins_over_one_everyone_can_make_once():
    tuesdays = [date(2027, 3, 2) + timedelta(weeks=k) for k in range(8)]
    evening = WeeklyWindow(TUE, 20 * 60, 22 * 60, "kid_free")
    first_week_only = (date(2027, 3, 2), date(2027, 3, 3))
    members = {
        "maya": expand([evening], CHICAGO, tuesdays[0], tuesdays[-1] + timedelta(days=1)),
        "tess": expand([evening], CHICAGO, tuesdays[0], tuesdays[-1] + timedelta(days=1)),
        "olivia": expand(
            [WeeklyWindow(TUE, 18 * 60, 19 * 60, "kid_free")], CHICAGO, *first_week_only
        ),
    }
    [best] = suggest_series_times(
        members,
        dates_by_weekday={TUE: tuesdays},
        zone=CHICAGO,
        duration=timedelta(hours=1),
        limit=1,
    )
    assert (best.minute, best.count) == (20 * 60, 2)


@st.composite
def series_cases(draw):
    zone = ZoneInfo(draw(st.sampled_from(SERIES_ZONES)))
    monday = draw(st.sampled_from(CHANGE_WEEKS)) - timedelta(weeks=draw(st.integers(0, 2)))
    stride = draw(st.sampled_from([7, 14]))
    occurrences = draw(st.integers(1, 4))
    weekdays = draw(st.lists(st.integers(0, 6), min_size=1, max_size=3, unique=True))
    dates_by_weekday = {
        weekday: [monday + timedelta(days=weekday + stride * k) for k in range(occurrences)]
        for weekday in weekdays
    }
    first, last = monday - timedelta(days=1), monday + timedelta(days=stride * occurrences + 8)
    members = {}
    for member in range(draw(st.integers(1, 3))):
        windows = draw(
            st.lists(
                st.builds(
                    WeeklyWindow,
                    st.sampled_from(weekdays),
                    st.integers(0, 23).map(lambda hour: hour * 60),
                    st.integers(1, 24).map(lambda hour: hour * 60),
                    st.just("kid_free"),
                ).filter(lambda window: window.start != window.end),
                max_size=4,
            )
        )
        members[member] = expand(windows, zone, first, last)
    return zone, dates_by_weekday, members


@settings(max_examples=60, deadline=None, database=None)
@given(series_cases(), st.sampled_from([60, 90, 180]), st.integers(1, 4))
def test_times_for_a_series_match_the_minute_oracle(case, duration, limit):
    zone, dates_by_weekday, members = case
    got = suggest_series_times(
        members,
        dates_by_weekday=dates_by_weekday,
        zone=zone,
        duration=timedelta(minutes=duration),
        limit=limit,
        step_minutes=60,
    )
    expected = oracle_series_suggest(
        {member: interval_minutes(spans) for member, spans in members.items()},
        dates_by_weekday=dates_by_weekday,
        zone=zone,
        duration_minutes=duration,
        limit=limit,
        step_minutes=60,
    )
    assert [(s.weekday, s.minute, s.free) for s in got] == expected
