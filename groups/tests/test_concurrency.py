import threading

import pytest
from django.db import connection

from groups import services
from groups.models import JoinPolicy, Membership
from momcircle.rules import RuleBroken
from tests.factories import join_request, member, organized_group

pytestmark = pytest.mark.django_db(transaction=True)

JOINED = "joined"


def at_once(*actions) -> list[str]:
    """Runs every action at the same moment, each in its own thread and database connection;
    returns what each one said, sorted."""
    start = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action):
        try:
            start.wait()
            action()
            outcomes.append(JOINED)
        except RuleBroken as broken:
            outcomes.append(str(broken))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def seats_taken(group) -> int:
    return Membership.objects.filter(group=group, status=Membership.Status.ACTIVE).count()


# A race is won or lost by timing, so each one is run a few times over.
ROUNDS = 5


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_approvals_racing_for_the_last_seat_let_exactly_one_in(round_):
    group = organized_group(size_cap=2, join_policy=JoinPolicy.REQUEST)
    organizer = Membership.objects.get(group=group).member
    first, second = join_request(group), join_request(group)

    outcomes = at_once(
        lambda: services.membership_approve(membership=first, by=organizer),
        lambda: services.membership_approve(membership=second, by=organizer),
    )

    assert outcomes == [
        "The group is full: a seat must free up before you approve her.",
        JOINED,
    ]
    assert seats_taken(group) == 2


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_three_moms_joining_the_last_seat_at_once_leave_two_outside(round_):
    group = organized_group(size_cap=2)
    moms = [member() for _ in range(3)]

    outcomes = at_once(
        *(lambda mom=mom: services.membership_join(group=group, member=mom) for mom in moms)
    )

    assert outcomes == ["This group is full.", "This group is full.", JOINED]
    assert seats_taken(group) == 2


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_an_approval_and_a_join_racing_for_the_last_seat_let_exactly_one_in(round_):
    group = organized_group(size_cap=2)
    organizer = Membership.objects.get(group=group).member
    waiting = join_request(group)

    outcomes = at_once(
        lambda: services.membership_approve(membership=waiting, by=organizer),
        lambda: services.membership_join(group=group, member=member()),
    )

    assert outcomes.count(JOINED) == 1
    assert seats_taken(group) == 2
