"""A venue at someone's home: its address is for the organizers and, from 24 hours before,
for the members going; on the page and in the .ics alike; erased a week after the meetup."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from scheduling.models import Meetup, MeetupChange
from scheduling.permissions import ADDRESS_LATER, can_see_address
from scheduling.services import (
    calendar_feed_regenerate,
    home_addresses_erase,
    meetup_cancel,
    meetup_update,
    rsvp_set,
)
from scheduling.tasks import erase_home_addresses
from scheduling.tests.factories import MeetupFactory
from scheduling.tests.test_meetup_services import details_of
from scheduling.tests.test_meetup_views import new_meetup
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ADDRESS = "1843 N Orchard St"
HTMX = {"HTTP_HX_REQUEST": "true"}


def home_meetup(circle, starts_in: timedelta = timedelta(days=3), **fields) -> Meetup:
    starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    return MeetupFactory(
        group=circle.group,
        created_by=circle.organizer,
        at_home=True,
        venue_name="Olivia's place",
        venue_address=ADDRESS,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        **fields,
    )


def answering(meetup, response: str):
    """A member of the meetup's group who gave that answer."""
    her = MembershipFactory(group=meetup.group).member
    if response:
        rsvp_set(meetup=meetup, member=her, response=response)
    return her


def a_day_before(meetup) -> timezone.datetime:
    return meetup.starts_at - timedelta(hours=24)


# Who sees it, when


@pytest.mark.parametrize("organizer", ["organizer", "co_organizer"])
def test_the_organizers_see_a_home_s_address_from_the_start(circle, organizer):
    meetup = home_meetup(circle, starts_in=timedelta(days=20))
    assert can_see_address(getattr(circle, organizer), meetup, now=timezone.now())


def test_those_going_see_a_home_s_address_from_24_hours_before(circle):
    meetup = home_meetup(circle)
    going = answering(meetup, "going")
    assert not can_see_address(going, meetup, now=a_day_before(meetup) - timedelta(minutes=1))
    assert can_see_address(going, meetup, now=a_day_before(meetup))
    assert can_see_address(going, meetup, now=meetup.ends_at + timedelta(days=1))


@pytest.mark.parametrize("response", ["maybe", "cant_go", ""])
def test_members_not_going_never_see_a_home_s_address(circle, response):
    meetup = home_meetup(circle)
    her = answering(meetup, response)
    assert not can_see_address(her, meetup, now=meetup.starts_at - timedelta(hours=1))


def test_the_waitlist_does_not_see_a_home_s_address(circle):
    meetup = home_meetup(circle, capacity=1)
    answering(meetup, "going")
    waiting = answering(meetup, "going")
    assert not can_see_address(waiting, meetup, now=meetup.starts_at - timedelta(hours=1))


def test_nobody_but_the_organizers_sees_the_address_of_a_cancelled_home_meetup(circle):
    meetup = home_meetup(circle)
    going = answering(meetup, "going")
    meetup_cancel(meetup=meetup, by=circle.organizer)
    meetup.refresh_from_db()
    an_hour_before = meetup.starts_at - timedelta(hours=1)
    assert not can_see_address(going, meetup, now=an_hour_before)
    assert can_see_address(circle.organizer, meetup, now=an_hour_before)


def test_a_venue_that_is_no_home_shows_its_address_to_every_member_and_nobody_else(circle):
    meetup = MeetupFactory(group=circle.group)
    assert can_see_address(answering(meetup, ""), meetup)
    assert not can_see_address(circle.stranger, meetup)


# The meetup page


def test_the_page_tells_those_going_when_a_home_s_address_will_be_shown(client, circle):
    meetup = home_meetup(circle)
    client.force_login(answering(meetup, "going"))
    html = client.get(meetup.get_absolute_url()).content.decode()
    assert "Olivia&#x27;s place" in html
    assert ADDRESS not in html
    assert ADDRESS_LATER in html


def test_the_page_shows_a_home_s_address_to_those_going_in_its_last_day(client, circle):
    meetup = home_meetup(circle, starts_in=timedelta(hours=20))
    client.force_login(answering(meetup, "going"))
    assert ADDRESS in client.get(meetup.get_absolute_url()).content.decode()


def test_the_page_tells_the_organizer_who_sees_the_address(client, circle):
    meetup = home_meetup(circle)
    client.force_login(circle.organizer)
    html = client.get(meetup.get_absolute_url()).content.decode()
    assert ADDRESS in html
    assert "shown only to those going, from 24 hours before" in html


def test_answering_going_in_the_last_day_brings_the_address_in_place(client, circle):
    meetup = home_meetup(circle, starts_in=timedelta(hours=20))
    client.force_login(answering(meetup, ""))
    url = reverse("scheduling:rsvp", args=[meetup.pk])
    html = client.post(url, {"response": "going"}, **HTMX).content.decode()
    where = html[html.index('<section id="where"') :]
    assert 'hx-swap-oob="true"' in where[: where.index(">")]
    assert ADDRESS in where


# Calendars


def event_in(content: bytes):
    [event] = Calendar.from_ical(content).events
    return event


def test_the_download_leaves_a_home_s_address_out_until_she_may_see_it(client, circle):
    meetup = home_meetup(circle)
    client.force_login(answering(meetup, "going"))
    event = event_in(client.get(reverse("scheduling:meetup_ics", args=[meetup.pk])).content)
    assert str(event["location"]) == "Olivia's place"
    assert ADDRESS_LATER in str(event["description"])


def test_her_feed_has_a_home_s_address_in_its_last_day_as_one_change_more(client, circle):
    meetup = home_meetup(circle, starts_in=timedelta(hours=20))
    going = answering(meetup, "going")
    token = calendar_feed_regenerate(member=going).token
    event = event_in(client.get(reverse("scheduling:calendar_feed", args=[token])).content)
    assert str(event["location"]) == f"Olivia's place, {ADDRESS}"
    assert event["sequence"] == meetup.sequence + 1


# The organizer's form


def test_the_organizer_says_the_venue_is_someone_s_home(client, circle):
    client.force_login(circle.organizer)
    url = reverse("scheduling:meetup_create", args=[circle.group.slug])
    html = client.get(url).content.decode()
    assert "This is someone&#x27;s home" in html
    assert "the address is shown only to those going, from 24 hours before" in html
    client.post(url, new_meetup(at_home="on"))
    assert Meetup.objects.get(group=circle.group).at_home


# Erasing it a week after


def test_a_home_s_address_is_erased_a_week_after_the_meetup(circle):
    meetup = home_meetup(circle)
    a_week_after = meetup.ends_at + timedelta(days=7)
    assert home_addresses_erase(now=a_week_after - timedelta(minutes=1)) == 0
    assert home_addresses_erase(now=a_week_after) == 1
    erased = Meetup.objects.get(pk=meetup.pk)
    assert erased.venue_address == ""
    assert erased.venue_name == "Olivia's place"
    assert erased.sequence == meetup.sequence + 1


def test_erasing_again_changes_nothing(circle):
    meetup = home_meetup(circle)
    later = meetup.ends_at + timedelta(days=8)
    home_addresses_erase(now=later)
    sequence = Meetup.objects.get(pk=meetup.pk).sequence
    assert home_addresses_erase(now=later + timedelta(days=1)) == 0
    assert Meetup.objects.get(pk=meetup.pk).sequence == sequence


def test_erasing_leaves_the_address_of_a_venue_that_is_no_home(circle):
    meetup = MeetupFactory(group=circle.group)
    home_addresses_erase(now=meetup.ends_at + timedelta(days=30))
    assert Meetup.objects.get(pk=meetup.pk).venue_address == meetup.venue_address


def test_erasing_takes_the_address_out_of_the_recorded_changes_too(circle):
    meetup = home_meetup(circle)
    meetup_update(
        meetup=meetup,
        by=circle.organizer,
        details=details_of(meetup, venue_address="1901 N Orchard St", title="Pancakes"),
    )
    meetup.refresh_from_db()
    home_addresses_erase(now=meetup.ends_at + timedelta(days=7))
    change = MeetupChange.objects.get(meetup=meetup)
    assert "Orchard" not in str(change.old) + str(change.new)


def test_the_erasing_job_runs_every_hour_through_the_service(circle):
    entry = settings.CELERY_BEAT_SCHEDULE["erase-home-addresses"]
    assert entry["task"] == erase_home_addresses.name
    assert len(entry["schedule"].minute) == 1
    assert entry["schedule"].hour == set(range(24))
    home_meetup(circle, starts_in=timedelta(days=-9))
    assert erase_home_addresses() == 1
