"""Organizers plan, change and cancel meetups; quorum decides tentative ones."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from momcircle.profiles.models import KidMode
from momcircle.rules import RuleBroken
from scheduling import events
from scheduling.models import Meetup, MeetupChange, Rsvp
from scheduling.services import (
    MeetupDetails,
    meetup_cancel,
    meetup_create,
    meetup_update,
    meetups_cancel_without_quorum,
    rsvp_set,
)
from scheduling.tasks import cancel_meetups_without_quorum
from scheduling.tests.factories import MeetupFactory, in_days
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def details(**changes) -> MeetupDetails:
    starts_at = changes.pop("starts_at", in_days(7))
    fields = {
        "title": "Moms' night out",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=90),
        "kid_mode": KidMode.KID_FREE,
        "venue_name": "Café Lula",
        "venue_address": "2537 N Kedzie Blvd",
    }
    return MeetupDetails(**{**fields, **changes})


def details_of(meetup: Meetup, **changes) -> MeetupDetails:
    fields = {name: getattr(meetup, name) for name in MeetupDetails.__dataclass_fields__}
    return MeetupDetails(**{**fields, **changes})


@pytest.fixture
def heard():
    """What the notices would hear: events sent after commit."""
    received = []

    def listen(signal, **kwargs):
        received.append((signal, kwargs))

    for signal in (events.meetup_created, events.meetup_changed, events.rsvp_promoted):
        signal.connect(listen, weak=False)
    yield received
    for signal in (events.meetup_created, events.meetup_changed, events.rsvp_promoted):
        signal.disconnect(listen)


def fill(meetup: Meetup, count: int, **answer) -> list:
    members = [MembershipFactory(group=meetup.group).member for _ in range(count)]
    for member in members:
        rsvp_set(meetup=meetup, member=member, response=Rsvp.Response.GOING, **answer)
    return members


# Planning


def test_an_organizer_plans_a_confirmed_meetup(circle):
    meetup = meetup_create(group=circle.group, by=circle.organizer, details=details())
    assert (meetup.status, meetup.created_by, meetup.sequence) == ("confirmed", circle.organizer, 0)


def test_a_co_organizer_plans_meetups_too(circle):
    meetup_create(group=circle.group, by=circle.co_organizer, details=details())
    assert Meetup.objects.filter(group=circle.group).count() == 1


@pytest.mark.parametrize("position", ["member", "pending", "stranger"])
def test_only_organizers_plan_meetups(circle, position):
    with pytest.raises(RuleBroken, match="Only the organizers"):
        meetup_create(group=circle.group, by=circle.person(position), details=details())
    assert not Meetup.objects.exists()


def test_a_meetup_with_a_quorum_is_tentative_until_enough_say_going(circle):
    meetup = meetup_create(
        group=circle.group,
        by=circle.organizer,
        details=details(quorum=3, quorum_deadline=in_days(5)),
    )
    assert meetup.status == Meetup.Status.TENTATIVE


def test_planning_is_announced_after_commit(circle, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meetup = meetup_create(group=circle.group, by=circle.organizer, details=details())
    assert heard == [(events.meetup_created, {"sender": Meetup, "meetup": meetup})]


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"title": "   "}, "Give the meetup a title"),
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "Choose a start time in the future"),
        ({"ends_at": in_days(7) - timedelta(hours=1)}, "The meetup must end after it starts"),
        ({"ends_at": in_days(8, hour=23)}, "A meetup lasts 24 hours at most"),
        ({"venue_name": "", "venue_address": ""}, "Add a venue or an online link"),
        ({"capacity": 0}, "Make room for at least one member"),
        ({"quorum": 3}, "Give both the number of members needed and the deadline"),
        ({"quorum": 5, "quorum_deadline": in_days(5), "capacity": 4}, "can't be more than the"),
        ({"quorum": 2, "quorum_deadline": in_days(9)}, "The deadline must be before the start"),
        ({"quorum": 2, "quorum_deadline": in_days(-1)}, "Choose a deadline in the future"),
        ({"online_link": "not a link", "venue_name": ""}, "Enter a valid URL"),
        ({"kid_mode": "teens_only"}, "Choose kid-friendly or kid-free"),
    ],
)
def test_a_meetup_that_breaks_a_rule_is_explained_and_not_saved(circle, changes, sentence):
    with pytest.raises(RuleBroken, match=sentence):
        meetup_create(group=circle.group, by=circle.organizer, details=details(**changes))
    assert not Meetup.objects.exists()


def test_an_online_meetup_needs_no_venue(circle):
    online = details(venue_name="", venue_address="", online_link="https://meet.example.com/m")
    meetup = meetup_create(group=circle.group, by=circle.organizer, details=online)
    assert meetup.place == "https://meet.example.com/m"


def test_kids_take_seats_only_at_a_kid_friendly_meetup(circle):
    meetup = meetup_create(
        group=circle.group, by=circle.organizer, details=details(kids_take_seats=True)
    )
    assert meetup.kids_take_seats is False


@pytest.mark.parametrize(
    "fields",
    [
        {"ends_at": in_days(7) - timedelta(minutes=1)},
        {"capacity": 0},
        {"quorum": 0, "quorum_deadline": in_days(5)},
        {"quorum": 2},
        {"quorum_deadline": in_days(5)},
        {"venue_name": "", "online_link": ""},
    ],
)
def test_the_database_refuses_an_impossible_meetup(circle, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetupFactory(group=circle.group, starts_at=in_days(7), **fields)


# Changing


def test_a_new_time_is_recorded_with_old_and_new_values(meetup, circle):
    old_start = meetup.starts_at
    later = old_start + timedelta(hours=1)
    meetup_update(
        meetup=meetup,
        by=circle.organizer,
        details=details_of(meetup, starts_at=later, ends_at=later + timedelta(hours=2)),
    )
    change = MeetupChange.objects.get(meetup=meetup)
    assert (change.kind, change.by, change.sequence) == ("changed", circle.organizer, 1)
    assert change.old == {
        "starts_at": old_start.isoformat(),
        "ends_at": (old_start + timedelta(minutes=90)).isoformat(),
    }
    assert change.new == {
        "starts_at": later.isoformat(),
        "ends_at": (later + timedelta(hours=2)).isoformat(),
    }


def test_a_new_place_is_recorded(meetup, circle):
    meetup_update(
        meetup=meetup, by=circle.co_organizer, details=details_of(meetup, venue_name="Hula")
    )
    change = MeetupChange.objects.get(meetup=meetup)
    assert (change.old, change.new) == ({"venue_name": "Café Lula"}, {"venue_name": "Hula"})


def test_a_new_title_raises_the_sequence_without_a_change_to_announce(meetup, circle):
    meetup_update(meetup=meetup, by=circle.organizer, details=details_of(meetup, title="Wine!"))
    meetup.refresh_from_db()
    assert (meetup.title, meetup.sequence) == ("Wine!", 1)
    assert not MeetupChange.objects.exists()


def test_saving_the_same_details_changes_nothing(meetup, circle):
    meetup_update(meetup=meetup, by=circle.organizer, details=details_of(meetup))
    meetup.refresh_from_db()
    assert meetup.sequence == 0
    assert not MeetupChange.objects.exists()


def test_a_change_is_announced_after_commit(
    meetup, circle, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meetup_update(
            meetup=meetup, by=circle.organizer, details=details_of(meetup, venue_name="X")
        )
    [(signal, kwargs)] = heard
    assert (signal, kwargs["change"].kind) == (events.meetup_changed, "changed")


def test_only_organizers_change_a_meetup(meetup, circle):
    with pytest.raises(RuleBroken, match="Only the organizers"):
        meetup_update(meetup=meetup, by=circle.member, details=details_of(meetup, title="Mine"))
    meetup.refresh_from_db()
    assert meetup.title == "Moms' night out"


def test_a_meetup_that_has_started_cannot_be_changed(meetup, circle):
    with pytest.raises(RuleBroken, match="already started"):
        meetup_update(
            meetup=meetup,
            by=circle.organizer,
            details=details_of(meetup, title="Late"),
            now=meetup.starts_at + timedelta(minutes=5),
        )


def test_the_seats_cannot_drop_below_those_already_taken(meetup, circle):
    fill(meetup, 3)
    with pytest.raises(RuleBroken, match="3 seats are already taken"):
        meetup_update(meetup=meetup, by=circle.organizer, details=details_of(meetup, capacity=2))


def test_more_seats_move_the_waitlist_up(circle):
    meetup = MeetupFactory(group=circle.group, capacity=1)
    _, second, third = fill(meetup, 3)
    meetup_update(meetup=meetup, by=circle.organizer, details=details_of(meetup, capacity=2))
    assert Rsvp.objects.get(member=second).response == "going"
    assert Rsvp.objects.get(member=third).waitlist_position == 1


def test_dropping_the_quorum_confirms_a_tentative_meetup(circle):
    meetup = MeetupFactory(
        group=circle.group, status="tentative", quorum=4, quorum_deadline=in_days(5)
    )
    meetup_update(
        meetup=meetup,
        by=circle.organizer,
        details=details_of(meetup, quorum=None, quorum_deadline=None),
    )
    meetup.refresh_from_db()
    assert meetup.status == "confirmed"
    assert MeetupChange.objects.get(meetup=meetup).kind == "confirmed"


def test_a_confirmed_meetup_takes_no_new_quorum(meetup, circle):
    with pytest.raises(RuleBroken, match="already confirmed"):
        meetup_update(
            meetup=meetup,
            by=circle.organizer,
            details=details_of(meetup, quorum=2, quorum_deadline=in_days(5)),
        )


# Cancelling


def test_cancelling_is_recorded_with_the_reason_and_a_new_sequence(meetup, circle):
    meetup_cancel(meetup=meetup, by=circle.organizer, reason="  Snow storm.  ")
    meetup.refresh_from_db()
    change = MeetupChange.objects.get(meetup=meetup)
    assert (meetup.status, meetup.sequence) == ("cancelled", 1)
    assert (change.kind, change.reason, change.old, change.new) == (
        "cancelled",
        "Snow storm.",
        {"status": "confirmed"},
        {"status": "cancelled"},
    )


def test_a_cancelled_meetup_stays_cancelled(meetup, circle):
    meetup_cancel(meetup=meetup, by=circle.organizer)
    with pytest.raises(RuleBroken, match="This meetup is cancelled"):
        meetup_update(meetup=meetup, by=circle.organizer, details=details_of(meetup, title="Back"))


def test_only_organizers_cancel(meetup, circle):
    with pytest.raises(RuleBroken, match="Only the organizers"):
        meetup_cancel(meetup=meetup, by=circle.member)
    meetup.refresh_from_db()
    assert meetup.status == "confirmed"


# Quorum


@pytest.fixture
def tentative(circle):
    return MeetupFactory(
        group=circle.group, status="tentative", quorum=2, quorum_deadline=in_days(5)
    )


def test_a_tentative_meetup_is_confirmed_the_moment_enough_say_going(tentative, circle):
    rsvp_set(meetup=tentative, member=circle.member, response="going")
    tentative.refresh_from_db()
    assert tentative.status == "tentative"
    rsvp_set(meetup=tentative, member=circle.organizer, response="going")
    tentative.refresh_from_db()
    assert (tentative.status, tentative.sequence) == ("confirmed", 1)
    assert MeetupChange.objects.get(meetup=tentative).kind == "confirmed"


def test_maybe_does_not_count_towards_the_quorum(tentative, circle):
    rsvp_set(meetup=tentative, member=circle.member, response="going")
    rsvp_set(meetup=tentative, member=circle.organizer, response="maybe")
    tentative.refresh_from_db()
    assert tentative.status == "tentative"


def test_past_its_deadline_without_quorum_a_tentative_meetup_is_cancelled(tentative, circle):
    rsvp_set(meetup=tentative, member=circle.member, response="going")
    cancelled = meetups_cancel_without_quorum(now=tentative.quorum_deadline)
    tentative.refresh_from_db()
    change = MeetupChange.objects.get(meetup=tentative)
    assert cancelled == [tentative]
    assert (tentative.status, change.kind, change.by) == ("cancelled", "cancelled", None)
    assert (change.cause, change.reason) == ("quorum_missed", "")


def test_before_its_deadline_a_tentative_meetup_waits(tentative):
    assert meetups_cancel_without_quorum(now=tentative.quorum_deadline - timedelta(minutes=1)) == []
    tentative.refresh_from_db()
    assert tentative.status == "tentative"


def test_the_beat_task_cancels_through_the_service(circle):
    for deadline in (timezone.now() - timedelta(minutes=1), in_days(5)):
        MeetupFactory(group=circle.group, status="tentative", quorum=2, quorum_deadline=deadline)
    assert cancel_meetups_without_quorum() == 1
    assert Meetup.objects.filter(status="cancelled").count() == 1


def test_the_quorum_job_runs_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["cancel-meetups-without-quorum"]
    assert entry["task"] == cancel_meetups_without_quorum.name
    assert entry["schedule"].minute == set(range(0, 60, 5))
