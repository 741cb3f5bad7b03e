"""What a newcomer sees first on a phone: results before filters on "Groups near me", and the
organizer's main action before the long parts of her group's page."""

import re

import pytest
from playwright.sync_api import expect

from groups.models import Membership
from momcircle.profiles.services import availability_replace
from tests.factories import MembershipFactory, member, organized_group
from tests.tour import TUESDAY_EVENING, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPEN = re.compile(r"(^|\s)show(\s|$)")
FIRST_SCREEN = 740  # px: the height of the smallest phone screen the site is made for


def top_of(locator) -> float:
    return locator.first.bounding_box()["y"]


@pytest.fixture
def maya():
    """Maya is in two groups near Lincoln Park and has three more to find."""
    maya = member(first_name="Maya")
    for name in ("Lincoln Park After Bedtime", "Lakeview Saturday Moms"):
        MembershipFactory(group=organized_group(name=name), member=maya)
    for name in ("Old Town Walkers", "Wrightwood Book Club", "DePaul Park Mornings"):
        organized_group(name=name)
    return maya


def test_on_a_phone_the_first_group_found_is_on_the_first_screen(phone_screens, live_server, maya):
    page = phone_screens
    sign_in(page, live_server.url, maya)
    page.goto(f"{live_server.url}/groups/")
    expect(page.get_by_role("heading", name="groups within 5 miles")).to_be_visible()
    assert top_of(page.locator(".group-card")) < FIRST_SCREEN
    expect(page.get_by_label("Within", exact=True)).to_be_hidden()
    expect(page.locator(".filter-summary")).to_have_text("Within 5 miles")


def test_on_a_phone_the_filters_open_with_a_tap_and_say_which_are_in_use(
    phone_screens, live_server, maya
):
    page = phone_screens
    sign_in(page, live_server.url, maya)
    page.goto(f"{live_server.url}/groups/?miles=3&kids=toddler&kids=teen&has_space=on")
    summary = page.locator(".filter-summary")
    expect(summary).to_have_text("Within 3 miles · toddler, teen · has space")
    page.get_by_role("button", name="Change filters").click()
    expect(page.locator("#browse-filters")).to_have_class(OPEN)  # done unfolding
    expect(page.get_by_label("Within", exact=True)).to_have_value("3")
    page.get_by_label("Within", exact=True).select_option("10")
    page.get_by_role("button", name="Show groups").click()
    expect(summary).to_have_text("Within 10 miles · toddler, teen · has space")


def test_on_a_wide_screen_the_filters_are_open_beside_the_results(page, live_server, maya):
    sign_in(page, live_server.url, maya)
    page.goto(f"{live_server.url}/groups/")
    expect(page.get_by_label("Within", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Change filters")).to_be_hidden()
    expect(page.locator(".filter-summary")).to_be_hidden()


def test_on_a_phone_the_organizer_finds_plan_a_meetup_before_the_heat_map(
    phone_screens, live_server
):
    page = phone_screens
    olivia = member(first_name="Olivia")
    group = organized_group(olivia, name="Lincoln Park After Bedtime")
    for _ in range(3):
        MembershipFactory(group=group, role=Membership.Role.MEMBER)
    for membership in group.memberships.all():
        availability_replace(member=membership.member, windows=[TUESDAY_EVENING])
    sign_in(page, live_server.url, olivia)
    page.goto(f"{live_server.url}{group.get_absolute_url()}")

    plan = page.get_by_role("link", name="Plan a meetup")
    heatmap = page.get_by_role("region", name="Members free per half hour")
    leave = page.get_by_role("button", name="Leave this group")
    assert top_of(plan) < FIRST_SCREEN
    assert top_of(plan) < top_of(heatmap) < top_of(leave)
