"""Answers arriving at the same moment, each in its own thread and database connection."""

from functools import partial

import pytest

from groups.tests.test_concurrency import JOINED as DONE  # what its at_once says of a success
from groups.tests.test_concurrency import at_once
from scheduling.models import Meetup, Rsvp
from scheduling.services import rsvp_set, series_keep_horizon, standing_answer_set
from scheduling.tests.factories import MeetupFactory
from scheduling.tests.series import plan_series
from tests.factories import MembershipFactory, organized_group

pytestmark = pytest.mark.django_db(transaction=True)

SEATS = 10
CROWD = 50
# A race is won or lost by timing, so it is run more than once.
ROUNDS = 2


@pytest.fixture(autouse=True)
def _fresh_connections(settings):
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture
def crowd():
    group = organized_group(size_cap=CROWD)
    meetup = MeetupFactory(group=group, capacity=SEATS)
    return meetup, [MembershipFactory(group=group).member for _ in range(CROWD)]


def going(meetup, member):
    return partial(rsvp_set, meetup=meetup, member=member, response="going")


def answers(meetup) -> tuple[list[Rsvp], list[Rsvp]]:
    """Those going and those waiting, each in the order they answered."""
    rsvps = list(Rsvp.objects.filter(meetup=meetup).order_by("pk"))
    return (
        [rsvp for rsvp in rsvps if rsvp.response == "going"],
        [rsvp for rsvp in rsvps if rsvp.response == "waitlisted"],
    )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_fifty_answers_at_once_fill_ten_seats_and_line_up_the_rest_in_order(crowd, round_):
    meetup, members = crowd
    assert at_once(*[going(meetup, member) for member in members]) == [DONE] * CROWD
    seated, waiting = answers(meetup)
    assert len(seated) == SEATS
    assert [rsvp.waitlist_position for rsvp in waiting] == list(range(1, CROWD - SEATS + 1))
    # Each answer is written after taking the meetup's lock, so row order is arrival order.
    assert max(rsvp.pk for rsvp in seated) < min(rsvp.pk for rsvp in waiting)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_each_cancellation_promotes_exactly_one_while_others_answer(crowd, round_):
    meetup, members = crowd
    for member in members[:-5]:
        rsvp_set(meetup=meetup, member=member, response="going")
    _, line = answers(meetup)
    cancelling = members[:3]
    cancel = [partial(rsvp_set, meetup=meetup, member=m, response="cant_go") for m in cancelling]
    newcomers = [going(meetup, member) for member in members[-5:]]

    assert at_once(*cancel, *newcomers) == [DONE] * 8

    seated, waiting = answers(meetup)
    promoted = {rsvp.member_id for rsvp in line[:3]}
    assert len(seated) == SEATS
    assert promoted <= {rsvp.member_id for rsvp in seated}
    assert [rsvp.waitlist_position for rsvp in waiting] == list(range(1, len(waiting) + 1))
    assert len(waiting) == CROWD - SEATS - len(cancelling)


# --- series -----------------------------------------------------------------------------------

SERIES = 12


@pytest.fixture
def series_to_fill():
    """Weekly series whose occurrences (as many as planning them made) are all still to be
    made, each with a member standing in it."""
    made = []
    for _ in range(SERIES):
        group = organized_group()
        organizer = group.memberships.get().member
        series = plan_series(group, organizer)
        standing_answer_set(series=series, member=MembershipFactory(group=group).member)
        made.append(series)
    occurrences = Meetup.objects.filter(series__in=made)
    expected = occurrences.count()
    occurrences.delete()
    return made, expected


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_horizon_runs_at_once_make_each_occurrence_once(series_to_fill, round_):
    series, expected = series_to_fill
    made = []

    def run():
        made.append(series_keep_horizon())

    assert at_once(run, run) == [DONE, DONE]
    occurrences = Meetup.objects.filter(series__in=series)
    assert sum(made) == occurrences.count() == expected >= SERIES * 7
    assert occurrences.values("series", "occurrence_date").distinct().count() == expected
    assert Rsvp.objects.filter(meetup__in=occurrences, response="going").count() == expected


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_standing_answer_given_while_the_horizon_job_runs_answers_every_occurrence(round_):
    group = organized_group()
    series = plan_series(group, group.memberships.get().member)
    expected = Meetup.objects.filter(series=series).count()
    Meetup.objects.filter(series=series).delete()
    her = MembershipFactory(group=group).member

    assert at_once(
        series_keep_horizon, partial(standing_answer_set, series=series, member=her)
    ) == [DONE, DONE]
    series_keep_horizon()  # a run that found the series locked leaves it to the next one
    answered = Rsvp.objects.filter(meetup__series=series, member=her, response="going")
    assert answered.count() == Meetup.objects.filter(series=series).count() == expected
