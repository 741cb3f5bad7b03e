"""A woman who leaves a group, is removed, banned, suspended or deletes her account gives
her seats at coming meetups to the first woman waiting."""

import pytest

from groups.services import membership_ban, membership_leave, membership_remove
from momcircle.moderation.services import member_suspend
from momcircle.privacy.services import account_delete
from scheduling.models import Rsvp
from scheduling.services import rsvp_set
from scheduling.tests.factories import MeetupFactory
from tests.factories import MembershipFactory, member, organized_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_meetup():
    group = organized_group()
    meetup = MeetupFactory(group=group, capacity=1)
    seated, waiting = (MembershipFactory(group=group) for _ in range(2))
    rsvp_set(meetup=meetup, member=seated.member, response="going")
    rsvp_set(meetup=meetup, member=waiting.member, response="going")
    return meetup, seated, waiting


def response_of(meetup, membership) -> str | None:
    rsvp = Rsvp.objects.filter(meetup=meetup, member=membership.member).first()
    return rsvp.response if rsvp else None


def organizer_of(meetup):
    return meetup.group.memberships.get(role="organizer").member


def test_leaving_the_group_promotes_the_first_waiting(run_on_commit, full_meetup):
    meetup, seated, waiting = full_meetup
    run_on_commit(membership_leave, group=meetup.group, member=seated.member)
    assert (response_of(meetup, seated), response_of(meetup, waiting)) == (None, "going")


@pytest.mark.parametrize("service", [membership_remove, membership_ban])
def test_being_removed_or_banned_promotes_the_first_waiting(run_on_commit, full_meetup, service):
    meetup, seated, waiting = full_meetup
    run_on_commit(service, membership=seated, by=organizer_of(meetup))
    assert (response_of(meetup, seated), response_of(meetup, waiting)) == (None, "going")


def test_deleting_her_account_promotes_the_first_waiting(full_meetup):
    meetup, seated, waiting = full_meetup
    account_delete(user=seated.member)
    assert response_of(meetup, waiting) == "going"


def test_a_suspension_promotes_the_first_waiting(full_meetup):
    meetup, seated, waiting = full_meetup
    member_suspend(member=seated.member, by=_staff())
    assert (response_of(meetup, seated), response_of(meetup, waiting)) == (None, "going")


def _staff():
    staff = member()
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    return staff
