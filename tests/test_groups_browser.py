import re

import pytest
from playwright.sync_api import expect

from groups.models import Group
from tests.factories import PASSWORD, member
from tests.test_accounts_browser import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "How old are your kids?"


def start_a_group_by_request(page, base_url: str) -> None:
    page.goto(f"{base_url}/groups/new/")
    page.get_by_label("Group name").fill("Logan Square After Bedtime")
    page.get_by_label("What is the group about?").fill("Working moms, walks after 8:30 pm.")
    page.get_by_label("ZIP code").fill("60647")
    page.get_by_label("Kid-free evenings, after the kids' bedtime").check()
    page.get_by_label("By request: I approve each newcomer").check()
    page.get_by_label("Question for moms asking to join").fill(QUESTION)
    page.get_by_role("button", name="Start the group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logan Square After Bedtime")


def find_it_near_her(page) -> None:
    """Lincoln Park (60614) to Logan Square (60647) is about 2.5 miles."""
    page.get_by_role("link", name="Find groups").click()
    results = page.get_by_role("region", name=re.compile("groups? within|No groups found"))
    page.get_by_label("Within", exact=True).select_option("1")
    page.get_by_role("button", name="Show groups").click()
    expect(page.get_by_text("There is no group like that near you yet.")).to_be_visible()
    page.get_by_label("Within", exact=True).select_option("3")
    page.get_by_label("Meeting style").select_option("kid_free_evenings")
    page.get_by_role("searchbox", name="Search").fill("walk")
    page.get_by_role("button", name="Show groups").click()
    expect(results.get_by_role("heading", level=2)).to_have_text(
        "1 group within 3 miles, best match first"
    )
    expect(results).to_contain_text("about 3 miles away")
    results.get_by_role("link", name="Logan Square After Bedtime").click()


def test_a_mom_asks_to_join_the_organizer_approves_and_she_meets_the_members(page, live_server):
    organizer = member(first_name="Olivia", last_initial="N")
    mom = member(first_name="Priya", last_initial="S")

    log_in(page, live_server.url, organizer.email, PASSWORD)
    start_a_group_by_request(page, live_server.url)
    group_url = page.url
    log_out(page)

    log_in(page, live_server.url, mom.email, PASSWORD)
    find_it_near_her(page)
    assert page.url == group_url
    expect(page.get_by_text("Organized by Olivia N.")).to_be_visible()
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    expect(page.get_by_text("Members see each other's first names here")).to_be_visible()
    page.get_by_label(QUESTION).fill("A toddler and a baby.")
    page.get_by_role("button", name="Request to join").click()
    expect(page.get_by_text("Your request is waiting for the organizer.")).to_be_visible()
    log_out(page)

    log_in(page, live_server.url, organizer.email, PASSWORD)
    page.goto(group_url)
    page.get_by_role("link", name="Organizer tools").click()
    expect(page.get_by_text("A toddler and a baby.")).to_be_visible()
    page.get_by_label("Message to Priya S. (optional)").fill("Welcome, Priya!")
    page.get_by_role("button", name="Approve Priya S.").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Priya S. is now a member.")
    expect(page.get_by_text("No requests waiting.")).to_be_visible()
    log_out(page)

    log_in(page, live_server.url, mom.email, PASSWORD)
    page.goto(group_url)
    members = page.locator(".member-list")
    expect(members).to_contain_text("Olivia N.")
    expect(members).to_contain_text("Priya S. (you)")
    expect(members).not_to_contain_text(organizer.email)


def test_group_pages_fit_a_360px_phone_screen(phone_page, live_server):
    organizer = member()
    log_in(phone_page, live_server.url, organizer.email, PASSWORD)
    start_a_group_by_request(phone_page, live_server.url)
    slug = Group.objects.get().slug
    for path in ["", "manage/", "edit/"]:
        phone_page.goto(f"{live_server.url}/groups/{slug}/{path}")
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    phone_page.goto(f"{live_server.url}/groups/mine/")
    expect(phone_page.get_by_role("link", name=re.compile("Logan Square"))).to_be_visible()
