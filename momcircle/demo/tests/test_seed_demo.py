import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from groups.models import Group, GroupWeek, Membership
from momcircle.conversation.models import Message
from momcircle.demo.city import generate_groups, generate_members
from momcircle.profiles.models import AvailabilityWindow, WeeklyFreeSlots
from scheduling.models import Meetup, MeetupSeries, Rsvp, StandingAnswer

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", members=80, groups=8, seed=3, verbosity=0)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            get_user_model(),
            Group,
            Membership,
            AvailabilityWindow,
            WeeklyFreeSlots,
            GroupWeek,
            MeetupSeries,
            StandingAnswer,
            Meetup,
            Rsvp,
        )
    )


def test_the_demo_city_has_members_with_weekly_windows_and_groups_with_summaries():
    seed()
    users, groups, memberships, windows, weeks, group_weeks, *_ = counts()
    assert (users, groups, weeks, group_weeks) == (80, 8, 80, 8)
    assert windows >= 80
    assert memberships >= 8
    assert Membership.objects.filter(role="organizer").count() == 8
    assert sum(sum(week.slot_counts) for week in GroupWeek.objects.all()) > 0


def test_seeding_twice_changes_nothing():
    seed()
    first = counts()
    seed()
    assert counts() == first


def test_a_few_demo_groups_meet_on_a_rhythm_with_members_in_every_time():
    seed()
    series = list(MeetupSeries.objects.select_related("group"))
    assert len(series) == 2  # groups 1 and 7 of 8
    for one in series:
        standing = set(one.standing_answers.values_list("member", flat=True))
        assert standing
        meetups = Meetup.objects.filter(series=one)
        assert meetups.exists()
        going = Rsvp.objects.filter(meetup__in=meetups, response="going")
        assert set(going.values_list("member", flat=True)) == standing


def test_demo_members_can_log_in_with_the_demo_password(client):
    seed()
    assert client.login(email="demo1@momcircle.demo", password="momcircle-demo")


def test_no_two_demo_groups_share_a_name():
    members = generate_members(4000, seed=1)
    names = [group.name for group in generate_groups(400, seed=1, members=members)]
    assert len(set(names)) == len(names) == 400


def test_a_few_demo_meetups_have_a_conversation_and_seeding_again_adds_none():
    seed()
    talked_about = Meetup.objects.filter(messages__isnull=False).distinct()
    assert talked_about.count() == 3
    assert Message.objects.filter(text__startswith="Running 10 minutes late").exists()
    first = (Meetup.objects.count(), Rsvp.objects.count(), Message.objects.count())
    seed()
    assert (Meetup.objects.count(), Rsvp.objects.count(), Message.objects.count()) == first
