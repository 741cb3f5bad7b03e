"""With the Content-Security-Policy on, no page and no interaction makes the browser refuse
anything: every script, style and image comes from files of this site."""

import pytest
from playwright.sync_api import expect

from momcircle.moderation.models import Report
from tests.factories import UserFactory
from tests.tour import PAGE_TYPES, neighborhood, open_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def refusals_on(page) -> list[str]:
    """Collects, as the page goes on, what the browser says it refused or what broke."""
    seen: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.append(f"uncaught: {error}"))
    return seen


def test_no_page_type_breaks_the_content_security_policy(page, live_server):
    place = neighborhood()
    refused = refusals_on(page)
    for page_type in PAGE_TYPES:
        page.context.clear_cookies()
        open_page(page, live_server.url, page_type, place)
        assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0
        assert page.evaluate("typeof htmx") == "object", page_type.name
    assert refused == []


def test_scripts_still_work_under_the_policy(page, phone_page, live_server):
    place = neighborhood()
    refused, refused_on_the_phone = refusals_on(page), refusals_on(phone_page)
    sign_in(page, live_server.url, place.member)
    page.goto(f"{live_server.url}/availability/")
    monday_evening = page.get_by_role("gridcell", name="Monday 20:00 to 20:30")
    monday_evening.click()
    expect(monday_evening).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name="Account").click()
    expect(page.get_by_role("link", name="Email preferences")).to_be_visible()

    sign_in(phone_page, live_server.url, place.member)
    phone_page.goto(f"{live_server.url}/groups/")
    phone_page.get_by_role("button", name="Open the menu").click()
    expect(phone_page.get_by_role("link", name="My groups")).to_be_visible()
    assert refused == []
    assert refused_on_the_phone == []


def test_the_moderation_queue_works_under_the_policy(page, live_server):
    place = neighborhood()
    Report.objects.create(reporter=place.member, reported_user=place.organizer, reason="spam")
    refused = refusals_on(page)
    sign_in(page, live_server.url, UserFactory(is_staff=True, is_superuser=True))
    page.goto(f"{live_server.url}/admin/moderation/report/")
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    page.get_by_label("Action:").select_option(label="Dismiss")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 report(s) dismissed.")).to_be_visible()
    assert refused == []


def test_the_listener_hears_a_refused_inline_style(page, live_server):
    refused = refusals_on(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    assert any("style-src" in message for message in refused)
