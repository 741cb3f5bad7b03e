"""Answers and engine runs at the same moment, each in its own thread and connection."""

import threading

import pytest
from django.db import connection
from django.db.models import Count

from groups.models import Group, Membership
from momcircle.circles import services
from momcircle.circles.models import Proposal, ProposalSeat
from momcircle.circles.tests.factories import seeker
from scheduling.models import Meetup

pytestmark = pytest.mark.django_db(transaction=True)
IN = ProposalSeat.Answer.IN
# A race is won or lost by timing, so each one is run a few times over.
ROUNDS = 3


def at_once(*actions) -> list:
    """Runs every action at the same moment; returns what each returned or raised."""
    start = threading.Barrier(len(actions))
    outcomes: list = []

    def run(action):
        try:
            start.wait()
            outcomes.append(action())
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def neighbours():
    return [seeker(name) for name in ("Ana", "Bea", "Cleo", "Dana", "Eva")]


def answer(woman):
    seat = ProposalSeat.objects.get(member=woman)
    return lambda: services.proposal_answer(seat=seat, answer=IN)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_yes_answers_at_the_same_moment_make_one_group_with_every_one_of_them(neighbours, round_):
    (proposal,) = services.proposals_make()
    services.proposal_answer(seat=ProposalSeat.objects.get(member=neighbours[0]), answer=IN)
    outcomes = at_once(*(answer(woman) for woman in neighbours[1:4]))
    assert [type(outcome) for outcome in outcomes] == [ProposalSeat] * 3
    assert Group.objects.count() == 1
    proposal.refresh_from_db()
    members = Membership.objects.filter(group=proposal.group, status=Membership.Status.ACTIVE)
    assert {m.member for m in members} == set(neighbours[:4])
    assert members.get(role=Membership.Role.ORGANIZER).member == neighbours[0]
    assert Meetup.objects.filter(group=proposal.group).count() == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_runs_of_the_engine_at_once_never_propose_a_member_twice(neighbours, round_):
    outcomes = at_once(services.proposals_make, services.proposals_make)
    assert sorted(len(made) for made in outcomes) == [0, 1]
    assert Proposal.objects.count() == 1
    seats = ProposalSeat.objects.values("member").annotate(n=Count("pk"))
    assert {row["n"] for row in seats} == {1}
