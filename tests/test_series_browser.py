"""Recurring meetups in the browser: an organizer turns a suggested Tuesday into "every 2
weeks", a member says she is in every time and skips one from her reminder's link, and the
series' .ics, read back by a calendar library, leaves the skipped date out."""

import re
from datetime import UTC, timedelta

import pytest
import recurring_ical_events
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from momcircle.availability.windows import WeeklyWindow
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.registry import RENDERERS
from momcircle.profiles.services import availability_replace
from scheduling.models import MeetupSeries, Rsvp
from scheduling.tests.series import occurrences
from tests import test_meetups_browser
from tests.test_accessibility_browser import serious_violations
from tests.test_meetups_browser import sign_in_as
from tests.tour import horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The meetups tests' circle: Olivia organizes, Maya is a member.
circle = test_meetups_browser.circle
TUESDAY_AFTER_BEDTIME = WeeklyWindow(1, 20 * 60 + 30, 22 * 60, "kid_free")


@pytest.fixture
def tuesday_circle(circle):
    """The meetups tests' circle, Olivia and Maya both free on Tuesdays after bedtime."""
    _, organizer, maya = circle
    for mom in (organizer, maya):
        availability_replace(member=mom, windows=[TUESDAY_AFTER_BEDTIME])
    return circle


def plan_every_other_tuesday(page, live_server, group) -> MeetupSeries:
    page.goto(f"{live_server.url}/meetups/new/{group.slug}/")
    page.get_by_label("Repeat").select_option("biweekly")
    page.get_by_role("button", name="Show times").click()
    expect(page.get_by_role("heading", name="Suggested times for a series")).to_be_visible()
    expect(page.get_by_text("2 of 2 members free for at least 6 of the next 8")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Use Tue ")).first.click()
    expect(page.get_by_label("How often")).to_have_value("biweekly")
    page.get_by_label("Title").fill("Book club")
    page.get_by_label("Kid-free: moms only").check()
    page.get_by_label("Venue").fill("Café Lula")
    page.get_by_role("button", name="Create the meetup").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book club")
    expect(page.get_by_text("Every other Tuesday, 20:30–22:00 Chicago time")).to_be_visible()
    return MeetupSeries.objects.get()


def skip_link_in_her_reminder(maya, meetup) -> str:
    """The "Can't go this week" link of her reminder, as the outbox writes the email."""
    reminder = OutboxMessage.objects.filter(
        recipient=maya, subject=subject_key(meetup), kind__startswith="reminder"
    ).first()
    body = RENDERERS[reminder.kind](reminder).body
    return re.search(r"Can't go this week: (\S+)", body).group(1)


def test_every_other_tuesday_with_a_standing_answer_and_a_skipped_week(
    page, live_server, tuesday_circle
):
    group, organizer, maya = tuesday_circle
    sign_in_as(page, live_server, organizer)
    series = plan_every_other_tuesday(page, live_server, group)
    assert (series.frequency, series.starts_on.weekday()) == ("biweekly", 1)
    first, *later = occurrences(series)

    sign_in_as(page, live_server, maya)
    page.goto(f"{live_server.url}{series.get_absolute_url()}")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="I'm in every time").click()
    expect(page.get_by_role("status")).to_contain_text("You're in every time: you're going")
    assert page.evaluate("window.stillTheSamePage") is True
    assert serious_violations(page) == []
    going = Rsvp.objects.filter(member=maya, meetup__series=series, response="going")
    assert going.count() == len(later) + 1

    link = skip_link_in_her_reminder(maya, first)
    page.context.clear_cookies()  # she taps it in her mail app, signed out
    page.goto(link.replace(settings.SITE_URL, live_server.url))
    assert serious_violations(page) == []
    page.get_by_role("button", name="Can't go this week").click()
    expect(page.get_by_role("status")).to_contain_text("You can't go this time")
    assert first.rsvps.get(member=maya).response == "cant_go"
    assert series.standing_answers.filter(member=maya).exists()

    sign_in_as(page, live_server, maya)
    page.goto(f"{live_server.url}{series.get_absolute_url()}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the series (.ics)").click()
    with open(download_info.value.path(), "rb") as ics:
        calendar = Calendar.from_ical(ics.read())
    span = (timezone.now(), timezone.now() + timedelta(weeks=8))
    expanded = [
        event.decoded("DTSTART").astimezone(UTC)
        for event in recurring_ical_events.of(calendar).between(*span)
    ]
    assert first.starts_at not in expanded
    assert expanded == [meetup.starts_at for meetup in later]


def test_series_pages_fit_a_360px_phone_screen(phone_page, live_server, tuesday_circle):
    group, organizer, _ = tuesday_circle
    sign_in_as(phone_page, live_server, organizer)
    series = plan_every_other_tuesday(phone_page, live_server, group)
    first = occurrences(series)[0]
    for path in [
        series.get_absolute_url(),
        first.get_absolute_url(),
        f"/meetups/{first.pk}/edit-following/",
        f"/series/{series.pk}/end/",
        f"/meetups/new/{group.slug}/?duration=90&mode=either&horizon=21&repeat=weekly",
    ]:
        phone_page.goto(f"{live_server.url}{path}")
        assert horizontal_overflow(phone_page) <= 0, path
