"""Meetups in calendar apps: the .ics download and her private feed, read back with icalendar."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from groups.models import Membership
from scheduling.models import CalendarFeed
from scheduling.services import (
    calendar_feed_regenerate,
    meetup_cancel,
    meetup_update,
    rsvp_set,
)
from scheduling.tests.factories import MeetupFactory
from scheduling.tests.test_meetup_services import details_of
from tests.factories import organized_group

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def download(client, meetup) -> Calendar:
    response = client.get(reverse("scheduling:meetup_ics", args=[meetup.pk]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def event_of(calendar: Calendar):
    [event] = calendar.events
    return event


@pytest.fixture
def member_client(client, circle):
    client.force_login(circle.member)
    return client


def test_the_download_is_a_calendar_file_named_after_the_meetup(member_client, meetup):
    response = member_client.get(reverse("scheduling:meetup_ics", args=[meetup.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="moms-night-out.ics"'


def cache_directives(response) -> set[str]:
    return {directive.strip() for directive in response["Cache-Control"].split(",")}


def test_the_download_is_kept_by_no_cache_at_all(member_client, meetup):
    response = member_client.get(reverse("scheduling:meetup_ics", args=[meetup.pk]))
    assert cache_directives(response) == {"private", "no-store"}


def test_the_download_reads_back_as_the_meetup(member_client, meetup):
    event = event_of(download(member_client, meetup))
    assert str(event["uid"]) == f"meetup-{meetup.pk}@momcircle"
    assert (event["summary"], event["status"], event["sequence"]) == (
        "Moms' night out",
        "CONFIRMED",
        0,
    )
    assert event["location"] == "Café Lula, 2537 N Kedzie Blvd"
    assert str(event["url"]).endswith(meetup.get_absolute_url())


def test_times_carry_the_groups_zone_across_the_dst_change(member_client, circle):
    # 20:30 on the first evening of daylight time in Chicago is 01:30 UTC the next day.
    starts_at = datetime(2027, 3, 14, 20, 30, tzinfo=CHICAGO)
    meetup = MeetupFactory(
        group=circle.group, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2)
    )
    calendar = download(member_client, meetup)
    event = event_of(calendar)
    assert event["dtstart"].dt == starts_at
    assert event["dtstart"].dt.tzinfo.key == "America/Chicago"
    assert event["dtstart"].dt.utcoffset() == timedelta(hours=-5)
    assert event["dtend"].dt == datetime(2027, 3, 15, 3, 30, tzinfo=ZoneInfo("UTC"))
    assert [str(tz["tzid"]) for tz in calendar.timezones] == ["America/Chicago"]


def test_each_change_raises_the_sequence_under_the_same_uid(member_client, circle, meetup):
    uid = str(event_of(download(member_client, meetup))["uid"])
    later = meetup.starts_at + timedelta(hours=1)
    meetup_update(
        meetup=meetup,
        by=circle.organizer,
        details=details_of(meetup, starts_at=later, ends_at=later + timedelta(hours=1)),
    )
    moved = event_of(download(member_client, meetup))
    assert (str(moved["uid"]), moved["sequence"], moved["dtstart"].dt) == (uid, 1, later)
    meetup_cancel(meetup=meetup, by=circle.organizer)
    cancelled = event_of(download(member_client, meetup))
    assert (str(cancelled["uid"]), cancelled["sequence"], cancelled["status"]) == (
        uid,
        2,
        "CANCELLED",
    )


def test_a_tentative_meetup_is_tentative_in_the_calendar(member_client, circle):
    meetup = MeetupFactory(
        group=circle.group,
        status="tentative",
        quorum=3,
        quorum_deadline=datetime(2030, 1, 1, tzinfo=CHICAGO),
        starts_at=datetime(2030, 1, 5, 19, tzinfo=CHICAGO),
        ends_at=datetime(2030, 1, 5, 21, tzinfo=CHICAGO),
    )
    assert event_of(download(member_client, meetup))["status"] == "TENTATIVE"


# Her private feed


def feed(client, token: str):
    return client.get(reverse("scheduling:calendar_feed", args=[token]))


def uids(response) -> set[str]:
    return {str(event["uid"]) for event in Calendar.from_ical(response.content).events}


def test_her_feed_lists_what_she_is_going_to_or_may_go_to(client, circle):
    going, maybe, not_going, full = MeetupFactory.create_batch(4, group=circle.group)
    full.capacity = 1
    full.save()
    rsvp_set(meetup=full, member=circle.organizer, response="going")
    for meetup, response in ((going, "going"), (maybe, "maybe"), (not_going, "cant_go")):
        rsvp_set(meetup=meetup, member=circle.member, response=response)
    rsvp_set(meetup=full, member=circle.member, response="going")
    token = calendar_feed_regenerate(member=circle.member).token
    response = feed(client, token)
    assert response.status_code == 200
    assert uids(response) == {f"meetup-{going.pk}@momcircle", f"meetup-{maybe.pk}@momcircle"}


def test_her_feed_keeps_a_cancelled_meetup_so_calendars_drop_it(client, circle, meetup):
    rsvp_set(meetup=meetup, member=circle.member, response="going")
    meetup_cancel(meetup=meetup, by=circle.organizer)
    token = calendar_feed_regenerate(member=circle.member).token
    [event] = Calendar.from_ical(feed(client, token).content).events
    assert event["status"] == "CANCELLED"


def test_her_feed_leaves_out_groups_she_has_left(client, circle, meetup):
    rsvp_set(meetup=meetup, member=circle.member, response="going")
    Membership.objects.filter(member=circle.member).delete()
    token = calendar_feed_regenerate(member=circle.member).token
    assert uids(feed(client, token)) == set()


def test_her_feed_leaves_out_other_womens_meetups(client, circle):
    elsewhere = MeetupFactory(group=organized_group(circle.stranger))
    rsvp_set(meetup=elsewhere, member=circle.stranger, response="going")
    token = calendar_feed_regenerate(member=circle.member).token
    assert uids(feed(client, token)) == set()


def test_her_feed_is_kept_by_no_shared_cache_and_checked_at_every_refresh(client, circle):
    token = calendar_feed_regenerate(member=circle.member).token
    assert cache_directives(feed(client, token)) == {"private", "no-cache"}


def test_her_calendar_app_is_told_when_its_copy_of_the_feed_is_still_current(
    client, circle, meetup
):
    rsvp_set(meetup=meetup, member=circle.member, response="going")
    token = calendar_feed_regenerate(member=circle.member).token
    etag = feed(client, token)["ETag"]
    path = reverse("scheduling:calendar_feed", args=[token])
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    meetup_cancel(meetup=meetup, by=circle.organizer)
    refreshed = client.get(path, headers={"If-None-Match": etag})
    assert refreshed.status_code == 200
    assert refreshed["ETag"] != etag


def test_a_new_link_retires_the_old_one(client, circle):
    old = calendar_feed_regenerate(member=circle.member).token
    new = calendar_feed_regenerate(member=circle.member).token
    assert new != old
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_the_calendar_page_gives_her_the_link_after_she_asks(client, circle):
    client.force_login(circle.member)
    assert 'id="feed-url"' not in client.get(reverse("scheduling:calendar")).content.decode()
    response = client.post(reverse("scheduling:calendar_new_link"), follow=True)
    token = CalendarFeed.objects.get(member=circle.member).token
    assert f"/calendar/{token}.ics" in response.content.decode()
