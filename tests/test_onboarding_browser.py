import pytest
from playwright.sync_api import expect

from momcircle.availability.windows import WeeklyWindow
from momcircle.profiles.models import Profile
from momcircle.profiles.selectors import weekly_windows_for
from tests.factories import PASSWORD, UserFactory
from tests.test_availability_grid_browser import cell, drag, listed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_member_onboards_and_paints_her_week_on_a_phone_sized_screen(phone_page, live_server):
    page = phone_page
    her = UserFactory()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(her.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Welcome! Tell us a little about you")).to_be_visible()
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last initial").fill("K")
    page.get_by_label("Hybrid").check()
    page.get_by_label("ZIP code").fill("60614")
    page.get_by_label("Toddler (1–2)").fill("1")
    page.get_by_label("Moms' night out").check()
    page.get_by_role("button", name="Next: when I'm free").click()

    expect(page.get_by_role("heading", name="When are you free each week?")).to_be_visible()
    expect(page.get_by_text("Times are in Chicago time")).to_be_visible()
    drag(
        page,
        cell(page, "Tuesday 20:30 to 21:00, not free"),
        cell(page, "Tuesday 21:30 to 22:00, not free"),
    )
    expect(listed(page)).to_have_text(["Tue 20:30–22:00, kid-free"])
    page.get_by_role("button", name="Save and finish").click()

    expect(page.get_by_text("Welcome to MomCircle!")).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome back, Dana")).to_be_visible()
    profile = Profile.objects.get(user=her)
    assert profile.is_onboarded
    assert (profile.zip_code, profile.time_zone) == ("60614", "America/Chicago")
    assert weekly_windows_for(her) == [WeeklyWindow(1, 1230, 1320, "kid_free")]
