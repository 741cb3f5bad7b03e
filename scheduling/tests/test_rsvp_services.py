"""Answers, seats and the waitlist."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from momcircle.profiles.models import KidMode
from momcircle.rules import RuleBroken
from scheduling import events
from scheduling.models import Meetup, Rsvp
from scheduling.services import meetup_cancel, rsvp_set, rsvps_release
from scheduling.tests.factories import MeetupFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

GOING, MAYBE, CANT_GO = "going", "maybe", "cant_go"


def members_of(meetup: Meetup, count: int) -> list:
    return [MembershipFactory(group=meetup.group).member for _ in range(count)]


def answer(meetup: Meetup, member, response: str = GOING, **extra) -> Rsvp:
    return rsvp_set(meetup=meetup, member=member, response=response, **extra)


def state(meetup: Meetup) -> list[tuple]:
    """(member, response, place in line), in the order they answered."""
    return list(
        Rsvp.objects.filter(meetup=meetup)
        .order_by("pk")
        .values_list("member", "response", "waitlist_position")
    )


@pytest.fixture
def small(circle):
    """Two seats, a week from now."""
    return MeetupFactory(group=circle.group, capacity=2)


@pytest.fixture
def family(circle):
    """A kid-friendly Saturday morning at the playground with four seats."""
    return MeetupFactory(
        group=circle.group, capacity=4, kid_mode=KidMode.KIDS_ALONG, title="Playground"
    )


# Answering


def test_going_takes_a_seat(small, circle):
    rsvp = answer(small, circle.member)
    assert (rsvp.response, rsvp.waitlist_position, rsvp.in_words) == (GOING, None, "You're going.")


def test_a_full_meetup_puts_her_on_the_waitlist_with_her_place(small):
    first, second, third, fourth = members_of(small, 4)
    for member in (first, second, third):
        answer(small, member)
    rsvp = answer(small, fourth)
    assert (rsvp.response, rsvp.waitlist_position) == ("waitlisted", 2)
    assert rsvp.in_words == "It's full: you're number 2 on the waitlist."


def test_without_a_seat_limit_everyone_goes(circle, meetup):
    for member in members_of(meetup, 5):
        answer(meetup, member)
    assert Rsvp.objects.filter(meetup=meetup, response=GOING).count() == 5


def test_changing_her_answer_keeps_one_answer(meetup, circle):
    answer(meetup, circle.member, MAYBE)
    answer(meetup, circle.member, GOING)
    assert state(meetup) == [(circle.member.pk, GOING, None)]


def test_the_database_keeps_one_answer_per_member(meetup, circle):
    Rsvp.objects.create(meetup=meetup, member=circle.member, response=GOING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rsvp.objects.create(meetup=meetup, member=circle.member, response=MAYBE)


def test_the_database_gives_every_waitlisted_answer_a_place(meetup, circle):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rsvp.objects.create(meetup=meetup, member=circle.member, response="waitlisted")


# The waitlist moving up


def test_a_cancellation_promotes_the_first_on_the_waitlist(small):
    first, second, third, fourth = members_of(small, 4)
    for member in (first, second, third, fourth):
        answer(small, member)
    answer(small, first, CANT_GO)
    assert state(small) == [
        (first.pk, CANT_GO, None),
        (second.pk, GOING, None),
        (third.pk, GOING, None),
        (fourth.pk, "waitlisted", 1),
    ]


def test_maybe_gives_up_the_seat_too(small):
    first, second, third = members_of(small, 3)
    for member in (first, second, third):
        answer(small, member)
    answer(small, second, MAYBE)
    assert Rsvp.objects.get(member=third).response == GOING


def test_leaving_the_waitlist_closes_the_gap(small):
    people = members_of(small, 5)
    for member in people:
        answer(small, member)
    answer(small, people[2], CANT_GO)
    assert [place for _, _, place in state(small)] == [None, None, None, 1, 2]


def test_saying_going_again_keeps_her_place_in_line(small):
    people = members_of(small, 4)
    for member in people:
        answer(small, member)
    rsvp = answer(small, people[2])
    assert (rsvp.response, rsvp.waitlist_position) == ("waitlisted", 1)


def test_a_promotion_is_announced_after_commit(small, django_capture_on_commit_callbacks):
    first, second, third = members_of(small, 3)
    for member in (first, second, third):
        answer(small, member)
    promoted = []

    def listen(**kwargs):
        promoted.append(kwargs["rsvp"].member_id)

    # Only this listener goes afterwards: the notices' own receivers must stay connected.
    events.rsvp_promoted.connect(listen, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            answer(small, first, CANT_GO)
    finally:
        events.rsvp_promoted.disconnect(listen)
    assert promoted == [third.pk]


def test_after_the_cut_off_a_freed_seat_waits(small):
    first, second, third = members_of(small, 3)
    for member in (first, second, third):
        answer(small, member)
    late = small.starts_at - timedelta(hours=2)
    answer(small, first, CANT_GO, now=late)
    assert Rsvp.objects.get(member=third).waitlist_position == 1
    assert Rsvp.objects.filter(meetup=small, response=GOING).count() == 1


def test_after_the_cut_off_whoever_asks_first_takes_the_free_seat(small):
    first, second, third, fourth = members_of(small, 4)
    for member in (first, second, third, fourth):
        answer(small, member)
    late = small.starts_at - timedelta(hours=2)
    answer(small, first, CANT_GO, now=late)
    assert answer(small, fourth, now=late).response == GOING
    assert Rsvp.objects.get(member=third).waitlist_position == 1


def test_the_cut_off_is_the_organizers_choice(circle):
    meetup = MeetupFactory(group=circle.group, capacity=1, waitlist_cutoff_hours=0)
    first, second = members_of(meetup, 2)
    answer(meetup, first)
    answer(meetup, second)
    answer(meetup, first, CANT_GO, now=meetup.starts_at - timedelta(minutes=30))
    assert Rsvp.objects.get(member=second).response == GOING


# Kids


def test_kids_do_not_take_adult_seats_by_default(family):
    people = members_of(family, 4)
    for member in people:
        answer(family, member, kids=2)
    assert Rsvp.objects.filter(meetup=family, response=GOING).count() == 4


def test_kids_take_seats_when_the_organizer_says_so(family):
    family.kids_take_seats = True
    family.save()
    first, second = members_of(family, 2)
    assert answer(family, first, kids=2).response == GOING
    assert answer(family, second, kids=1).response == "waitlisted"


def test_a_big_family_first_in_line_keeps_her_place(family):
    family.kids_take_seats = True
    family.save()
    first, second, third, fourth = members_of(family, 4)
    answer(family, first, kids=2)
    answer(family, second)
    answer(family, third, kids=2)
    answer(family, second, CANT_GO)
    # One seat is free, but she needs three: the line waits for her, and a newcomer joins it.
    assert answer(family, fourth).waitlist_position == 2
    answer(family, first, CANT_GO)
    assert [r for _, r, _ in state(family)] == [CANT_GO, CANT_GO, GOING, GOING]


def test_more_kids_than_seats_left_is_refused_and_she_keeps_her_seat(family):
    family.kids_take_seats = True
    family.save()
    first, second = members_of(family, 2)
    answer(family, first, kids=1)
    answer(family, second)
    with pytest.raises(RuleBroken, match="There isn't room for 2 kids: 1 seat left besides yours"):
        answer(family, second, kids=2)
    assert Rsvp.objects.get(member=second).kids == 0


def test_kids_stay_home_from_a_kid_free_meetup(meetup, circle):
    with pytest.raises(RuleBroken, match="This meetup is kid-free"):
        answer(meetup, circle.member, kids=1)
    assert not Rsvp.objects.exists()


def test_ten_kids_at_most(family, circle):
    with pytest.raises(RuleBroken, match="Count from 0 to 10 kids"):
        answer(family, circle.member, kids=11)


def test_cant_go_brings_no_kids(family, circle):
    assert answer(family, circle.member, CANT_GO, kids=3).kids == 0


# Who may answer, and when


@pytest.mark.parametrize("position", ["stranger", "pending"])
def test_only_members_answer(meetup, circle, position):
    with pytest.raises(RuleBroken, match="Only members of this group can do that"):
        answer(meetup, circle.person(position))
    assert not Rsvp.objects.exists()


def test_answers_close_when_the_meetup_starts(meetup, circle):
    with pytest.raises(RuleBroken, match="already started"):
        answer(meetup, circle.member, now=meetup.starts_at)


def test_she_changes_her_answer_up_to_the_start(meetup, circle):
    answer(meetup, circle.member)
    rsvp = answer(meetup, circle.member, CANT_GO, now=meetup.starts_at - timedelta(minutes=1))
    assert rsvp.response == CANT_GO


def test_a_cancelled_meetup_takes_no_answers(meetup, circle):
    meetup_cancel(meetup=meetup, by=circle.organizer)
    with pytest.raises(RuleBroken, match="This meetup is cancelled"):
        answer(meetup, circle.member)


def test_an_archived_group_takes_no_answers(meetup, circle):
    meetup.group.is_archived = True
    meetup.group.save()
    with pytest.raises(RuleBroken, match="archived"):
        answer(meetup, circle.member)


def test_an_unknown_answer_is_refused(meetup, circle):
    with pytest.raises(RuleBroken, match="Choose going, maybe or can't go"):
        answer(meetup, circle.member, "waitlisted")


# Leaving the group


def test_when_she_leaves_the_group_her_seat_goes_down_the_line(small, circle):
    first, second, third = members_of(small, 3)
    for member in (first, second, third):
        answer(small, member)
    assert rsvps_release(group=small.group, member=first) == 1
    assert state(small) == [(second.pk, GOING, None), (third.pk, GOING, None)]


def test_too_many_answer_changes_in_a_short_while_are_refused(meetup, circle):
    her = members_of(meetup, 1)[0]
    for turn in range(30):
        answer(meetup, her, GOING if turn % 2 else MAYBE)
    with pytest.raises(RuleBroken, match="a lot of requests"):
        answer(meetup, her, CANT_GO)
    assert Rsvp.objects.get(meetup=meetup, member=her).response == GOING
