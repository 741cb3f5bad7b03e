import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from momcircle.availability.windows import WeeklyWindow
from momcircle.conversation.services import message_post
from momcircle.profiles.services import availability_replace
from scheduling.models import Meetup
from scheduling.services import rsvp_set
from scheduling.tests.factories import MeetupFactory
from tests.factories import MembershipFactory, member, organized_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVERY_EVENING = [WeeklyWindow(day, 19 * 60, 23 * 60, "kid_free") for day in range(7)]


def sign_in_as(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.fixture
def circle():
    organizer = member(first_name="Olivia", last_initial="N")
    group = organized_group(organizer, name="Logan Square After Bedtime")
    maya = MembershipFactory(group=group, member=member(first_name="Maya", last_initial="R"))
    for mom in (organizer, maya.member):
        availability_replace(member=mom, windows=EVERY_EVENING)
    return group, organizer, maya.member


def test_a_meetup_is_planned_from_a_suggestion_and_a_member_says_going(page, live_server, circle):
    group, organizer, maya = circle
    sign_in_as(page, live_server, organizer)
    page.goto(f"{live_server.url}{group.get_absolute_url()}")
    page.get_by_role("link", name="Plan a meetup").click()
    expect(page.get_by_text("2 of 2 members free").first).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Use ")).first.click()
    expect(page.get_by_label("Starts")).not_to_have_value("")
    page.get_by_label("Title").fill("Moms' night out")
    page.get_by_label("Kid-free: moms only").check()
    page.get_by_label("Venue").fill("Café Lula")
    page.get_by_label("Address").fill("2537 N Kedzie Blvd")
    page.get_by_role("button", name="Create the meetup").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moms' night out")
    meetup = Meetup.objects.get()
    assert (meetup.starts_at.astimezone(meetup.zone).hour, meetup.venue_name) == (19, "Café Lula")

    sign_in_as(page, live_server, maya)
    page.goto(f"{live_server.url}{meetup.get_absolute_url()}")
    counts = page.locator(".answer-counts")
    expect(counts).to_contain_text("0 going")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Going").click()
    expect(counts).to_contain_text("1 going")
    expect(page.locator(".going-list")).to_contain_text("Maya R. (you)")
    expect(page.get_by_role("button", name="Going")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.stillTheSamePage") is True

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the .ics file").click()
    download = download_info.value
    assert download.suggested_filename == "moms-night-out.ics"
    with open(download.path(), encoding="utf-8") as ics:
        content = ics.read()
    assert f"UID:meetup-{meetup.pk}@momcircle" in content
    assert "TZID:America/Chicago" in content


def test_the_organizers_open_page_shows_new_answers_as_they_come(
    page, live_server, circle, settings
):
    settings.ANSWERS_POLL_SECONDS = 1
    group, organizer, maya = circle
    meetup = MeetupFactory(
        group=group,
        title="Picnic if enough come",
        status=Meetup.Status.TENTATIVE,
        quorum=1,
        quorum_deadline=timezone.now() + timedelta(days=2),
    )
    sign_in_as(page, live_server, organizer)
    page.goto(f"{live_server.url}{meetup.get_absolute_url()}")
    expect(page.get_by_text("No answers yet.")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    rsvp_set(meetup=meetup, member=maya, response="going")
    expect(page.locator(".going-list")).to_contain_text("Maya R.")
    expect(page.locator(".answer-counts")).to_contain_text("1 going")
    expect(page.get_by_text("It's on! 1 is going, so this meetup is confirmed.")).to_be_visible()
    expect(page.get_by_text("Tentative", exact=True)).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True


def test_meetup_pages_fit_a_360px_phone_screen(phone_page, live_server, circle):
    group, organizer, _ = circle
    meetup = MeetupFactory(group=group, title="A rather long title for a night out in the city")
    sign_in_as(phone_page, live_server, organizer)
    for path in [
        meetup.get_absolute_url(),
        f"/meetups/new/{group.slug}/",
        f"/meetups/{meetup.pk}/edit/",
        "/",
    ]:
        phone_page.goto(f"{live_server.url}{path}")
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path


def test_a_member_posts_running_late_and_sees_the_reply_come_in(
    page, live_server, circle, settings
):
    settings.CONVERSATION_POLL_SECONDS = 1
    group, organizer, maya = circle
    meetup = MeetupFactory(group=group, title="Moms' night out")
    sign_in_as(page, live_server, maya)
    page.goto(f"{live_server.url}{meetup.get_absolute_url()}")
    expect(page.get_by_text("No messages yet.")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Your message").fill("running late")
    page.get_by_role("button", name="Post the message").click()
    conversation = page.locator("#conversation")
    expect(conversation.get_by_text("running late")).to_be_visible()
    expect(conversation.get_by_text("Maya R. (you)")).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("")
    expect(page.get_by_role("status").filter(has_text="Your message is posted.")).to_be_attached()

    message_post(meetup=meetup, author=organizer, text="No problem, we'll save you a seat!")
    expect(conversation.get_by_text("No problem, we'll save you a seat!")).to_be_visible()
    expect(conversation.get_by_text("Olivia N.")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True


def test_without_javascript_a_message_is_posted_and_the_page_comes_back_to_it(
    chromium, live_server, circle
):
    group, _, maya = circle
    meetup = MeetupFactory(group=group, title="Moms' night out")
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_as(page, live_server, maya)
        page.goto(f"{live_server.url}{meetup.get_absolute_url()}")
        page.get_by_label("Your message").fill("I'll bring snacks")
        page.get_by_role("button", name="Post the message").click()
        expect(page).to_have_url(re.compile(r"#conversation$"))
        expect(page.locator("#conversation").get_by_text("I'll bring snacks")).to_be_visible()
        page.get_by_role("button", name="Delete your message").click()
        expect(page.get_by_text("Your message is deleted.")).to_be_visible()
        expect(page.locator("#conversation").get_by_text("I'll bring snacks")).to_have_count(0)
    finally:
        context.close()
