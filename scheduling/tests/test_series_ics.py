"""A series in calendar apps: its .ics and her private feed, expanded by a second library
(recurring-ical-events) across Chicago's DST change and compared with the database."""

from datetime import UTC, date, datetime, timedelta

import pytest
import recurring_ical_events
from django.urls import reverse
from icalendar import Calendar

from scheduling.models import Meetup, Rsvp
from scheduling.services import (
    calendar_feed_regenerate,
    meetup_cancel,
    meetup_update,
    rsvp_set,
    standing_answer_set,
)
from scheduling.tests.factories import MeetupFactory
from scheduling.tests.series import in_chicago, occurrences, plan_series
from scheduling.tests.test_meetup_services import details_of
from scheduling.tests.test_series_services import BEFORE_DST, FIRST_TUESDAY, split_at_the_third

pytestmark = pytest.mark.django_db

# 1 March to 14 April 2027: Chicago's clocks go forward on 14 March.
SPAN = (datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 14, tzinfo=UTC))


@pytest.fixture
def tuesdays(circle):
    """Every Tuesday at 20:30 from 2 March 2027, with Maya standing in it; the organizer
    cancelled 23 March and moved 30 March to 19:00 at another place; Maya can't go on 9
    March."""
    series = plan_series(
        circle.group, circle.organizer, starts_at=in_chicago(FIRST_TUESDAY, 20, 30), now=BEFORE_DST
    )
    standing_answer_set(series=series, member=circle.member, now=BEFORE_DST)
    by_date = {meetup.occurrence_date: meetup for meetup in occurrences(series)}
    meetup_cancel(meetup=by_date[date(2027, 3, 23)], by=circle.organizer, now=BEFORE_DST)
    moved = by_date[date(2027, 3, 30)]
    earlier = in_chicago(date(2027, 3, 30), 19)
    meetup_update(
        meetup=moved,
        by=circle.organizer,
        details=details_of(
            moved, starts_at=earlier, ends_at=earlier + timedelta(hours=2), venue_name="Hula"
        ),
        now=BEFORE_DST,
    )
    rsvp_set(
        meetup=by_date[date(2027, 3, 9)], member=circle.member, response="cant_go", now=BEFORE_DST
    )
    return series


def download(client, series) -> Calendar:
    response = client.get(reverse("scheduling:series_ics", args=[series.pk]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def expanded(calendar: Calendar, uid: str | None = None) -> set[tuple]:
    """(start, end, where) of each occurrence a calendar app shows in SPAN, in UTC (of one
    UID's events when given)."""
    return {
        (
            event.decoded("DTSTART").astimezone(UTC),
            event.decoded("DTEND").astimezone(UTC),
            str(event["LOCATION"]),
        )
        for event in recurring_ical_events.of(calendar).between(*SPAN)
        if uid is None or str(event["UID"]) == uid
    }


def in_the_database(member, *series_list) -> set[tuple]:
    """The same, from the occurrences she has not said she can't go to, cancelled ones left out."""
    meetups = (
        Meetup.objects.filter(series__in=series_list, starts_at__gte=SPAN[0], starts_at__lt=SPAN[1])
        .exclude(status=Meetup.Status.CANCELLED)
        .exclude(rsvps__member=member, rsvps__response=Rsvp.Response.CANT_GO)
    )
    return {(m.starts_at, m.ends_at, m.place) for m in meetups}


@pytest.fixture
def maya(client, circle):
    client.force_login(circle.member)
    return client


def test_the_series_expands_to_the_database_s_occurrences_across_the_dst_change(
    maya, circle, tuesdays
):
    got = expanded(download(maya, tuesdays))
    assert got == in_the_database(circle.member, tuesdays)
    # Before the change 20:30 CST is 02:30 UTC; after it 20:30 CDT is 01:30 UTC.
    starts = sorted(start for start, _, _ in got)
    assert starts[0] == datetime(2027, 3, 3, 2, 30, tzinfo=UTC)
    assert datetime(2027, 3, 17, 1, 30, tzinfo=UTC) in starts


def test_one_vevent_with_its_rule_the_dates_left_out_and_the_one_moved(maya, tuesdays):
    calendar = download(maya, tuesdays)
    master, override = calendar.walk("VEVENT")
    uid = f"series-{tuesdays.pk}@momcircle"
    assert str(master["UID"]) == str(override["UID"]) == uid
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert master.decoded("DTSTART") == in_chicago(FIRST_TUESDAY, 20, 30)
    excluded = [moment.dt for moment in master["EXDATE"].dts]
    assert excluded == [in_chicago(date(2027, 3, 9), 20, 30), in_chicago(date(2027, 3, 23), 20, 30)]
    assert override.decoded("RECURRENCE-ID") == in_chicago(date(2027, 3, 30), 20, 30)
    assert override.decoded("DTSTART") == in_chicago(date(2027, 3, 30), 19)
    assert str(override["LOCATION"]).startswith("Hula")
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["America/Chicago"]


def test_another_member_s_calendar_leaves_out_only_what_is_cancelled(client, circle, tuesdays):
    client.force_login(circle.other_member.member)
    master = download(client, tuesdays).walk("VEVENT")[0]
    assert [moment.dt.date() for moment in master["EXDATE"].dts] == [date(2027, 3, 23)]


def test_a_change_to_the_following_ones_raises_the_sequence_under_the_same_uid(
    maya, circle, tuesdays
):
    before = download(maya, tuesdays).walk("VEVENT")[0]
    new = split_at_the_third(tuesdays, circle.organizer)
    after = download(maya, tuesdays).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert b"UNTIL=20270316T045959Z" in after["RRULE"].to_ical()
    both = download(maya, tuesdays)
    for event in download(maya, new).walk("VEVENT"):
        both.add_component(event)
    assert expanded(both) == in_the_database(circle.member, tuesdays, new)


def test_her_feed_carries_the_series_she_stands_in_instead_of_its_meetups(client, circle, tuesdays):
    single = MeetupFactory(group=circle.group, title="Book swap")
    rsvp_set(meetup=single, member=circle.member, response="going")
    feed = calendar_feed_regenerate(member=circle.member)
    response = client.get(reverse("scheduling:calendar_feed", args=[feed.token]))
    calendar = Calendar.from_ical(response.content)
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    series_uid = f"series-{tuesdays.pk}@momcircle"
    assert sorted(uids) == sorted([f"meetup-{single.pk}@momcircle", series_uid, series_uid])
    assert expanded(calendar, series_uid) == in_the_database(circle.member, tuesdays)


def test_without_a_standing_answer_her_feed_lists_the_meetups_she_goes_to(client, circle, tuesdays):
    tess = circle.other_member.member
    first = occurrences(tuesdays)[0]
    rsvp_set(meetup=first, member=tess, response="going", now=BEFORE_DST)
    feed = calendar_feed_regenerate(member=tess)
    calendar = Calendar.from_ical(
        client.get(reverse("scheduling:calendar_feed", args=[feed.token])).content
    )
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [
        f"meetup-{first.pk}@momcircle"
    ]
