"""Suggested times for a group, from its members' weekly windows in their own time zones."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momcircle.availability.tests.oracles import oracle_expand, oracle_suggest
from momcircle.availability.tests.test_arithmetic import ANY_CHANGE, ZONES, windows
from momcircle.availability.windows import MODES, WeeklyWindow
from momcircle.profiles.services import availability_replace
from scheduling.selectors import suggest_for_members, suggested_times
from tests.factories import MembershipFactory, join_request, member, organized_group

CHICAGO = ZoneInfo("America/Chicago")
# A Sunday a week before the US spring-forward (Mar 8); London changes on Mar 29.
BEFORE_THE_CHANGE = datetime(2026, 3, 1, 12, 0, tzinfo=CHICAGO)
TUE, WED = 1, 2
NINETY_MINUTES = timedelta(minutes=90)


def join(group, first_name: str, time_zone: str = "America/Chicago", *windows_: WeeklyWindow):
    mom = member(first_name=first_name, last_initial="N", time_zone=time_zone)
    MembershipFactory(group=group, member=mom)
    availability_replace(member=mom, windows=windows_)
    return mom


def local(suggestion) -> str:
    return f"{suggestion.start:%a %-d %b %H:%M}–{suggestion.end:%H:%M %Z}"


def suggest(group, **choices):
    organizer = group.memberships.get(role="organizer").member
    return suggested_times(
        group=group, viewer=organizer, duration=NINETY_MINUTES, now=BEFORE_THE_CHANGE, **choices
    )


@pytest.fixture
def group(db):
    return organized_group(size_cap=20)


TUESDAY_EVENING = WeeklyWindow(TUE, 20 * 60 + 30, 22 * 60, "kid_free")


@pytest.mark.django_db
def test_suggestions_keep_the_wall_clock_across_the_dst_change(group):
    join(group, "Anna", "America/Chicago", TUESDAY_EVENING)
    join(group, "Beth", "America/Chicago", TUESDAY_EVENING)
    suggestions = suggest(group)
    assert [local(s) for s in suggestions] == [
        "Tue 3 Mar 20:30–22:00 CST",
        "Tue 10 Mar 20:30–22:00 CDT",
        "Tue 17 Mar 20:30–22:00 CDT",
    ]
    assert [s.start.astimezone(ZoneInfo("UTC")).hour for s in suggestions] == [2, 1, 1]
    assert [s.free for s in suggestions] == [["Anna N.", "Beth N."]] * 3


@pytest.mark.django_db
def test_a_member_abroad_is_free_at_her_own_local_times(group):
    join(group, "Anna", "America/Chicago", TUESDAY_EVENING)
    join(group, "Beth", "America/Chicago", TUESDAY_EVENING)
    # Wednesday 02:30 in London is Tuesday 20:30 in Chicago only while both are on winter time.
    join(group, "Cleo", "Europe/London", WeeklyWindow(WED, 2 * 60 + 30, 4 * 60, "kid_free"))
    first, *others = suggest(group)
    assert (local(first), first.count, first.members) == ("Tue 3 Mar 20:30–22:00 CST", 3, 4)
    assert [(local(s), s.count) for s in others] == [
        ("Tue 10 Mar 20:30–22:00 CDT", 2),
        ("Tue 17 Mar 20:30–22:00 CDT", 2),
    ]


@pytest.mark.django_db
def test_only_active_members_count(group):
    join(group, "Anna", "America/Chicago", TUESDAY_EVENING)
    waiting = member(first_name="Wren")
    join_request(group, waiting)
    availability_replace(member=waiting, windows=[TUESDAY_EVENING])
    assert {tuple(s.free) for s in suggest(group)} == {("Anna N.",)}


@pytest.mark.django_db
@pytest.mark.parametrize(("mode", "free"), [("kid_free", 1), ("kids_along", 1), ("either", 2)])
def test_the_mode_chooses_whose_windows_count(group, mode, free):
    join(group, "Anna", "America/Chicago", TUESDAY_EVENING)
    join(group, "Beth", "America/Chicago", WeeklyWindow(TUE, 1230, 1320, "kids_along"))
    assert suggest(group, mode=mode)[0].count == free


@pytest.mark.django_db
def test_suggestions_start_tomorrow_and_stop_at_the_horizon(group):
    join(group, "Anna", "America/Chicago", WeeklyWindow(6, 12 * 60, 18 * 60, "kids_along"))
    sundays = suggest(group, horizon_days=7, limit=10)
    assert [f"{s.start:%a %-d %b %H:%M}" for s in sundays] == [
        "Sun 8 Mar 12:00",
        "Sun 8 Mar 13:30",
        "Sun 8 Mar 15:00",
        "Sun 8 Mar 16:30",
    ]


@pytest.mark.django_db
def test_nobody_free_means_no_suggestion(group):
    join(group, "Anna", "America/Chicago")
    assert suggest(group) == []


# The service expands each member's windows over her own dates: checked against the oracle,
# which expands minute by minute over a much wider range.


@st.composite
def groups_and_windows(draw):
    members = {
        key: (draw(st.sampled_from(ZONES)), draw(st.lists(windows(), min_size=1, max_size=4)))
        for key in range(draw(st.integers(1, 4)))
    }
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    day = draw(st.sampled_from(ANY_CHANGE)) - timedelta(days=draw(st.integers(0, 3)))
    start = datetime.combine(day, datetime.min.time(), zone)
    return members, start, start + timedelta(days=draw(st.integers(1, 3)))


@settings(max_examples=120, deadline=None, database=None)
@given(
    groups_and_windows(),
    st.sampled_from([30, 60, 90, 150]).map(lambda m: timedelta(minutes=m)),
    st.sampled_from([MODES, ("kid_free",), ("kids_along",)]),
)
def test_suggestions_for_members_in_their_own_zones_match_the_oracle(case, duration, modes):
    members, window_start, window_end = case
    wide = window_start.date() - timedelta(days=3), window_end.date() + timedelta(days=3)
    intervals = {k: oracle_expand(ws, tz, *wide, modes) for k, (tz, ws) in members.items()}
    args = {"window_start": window_start, "window_end": window_end, "duration": duration}
    assert suggest_for_members(members, modes=modes, **args) == oracle_suggest(intervals, **args)
