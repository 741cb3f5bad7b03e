import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from momcircle.availability.windows import WeeklyWindow
from momcircle.profiles.selectors import weekly_windows_for
from momcircle.profiles.services import availability_replace
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_editor(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/availability/")


def cell(page, label: str):
    return page.get_by_role("gridcell", name=label)


def drag(page, first, last) -> None:
    last.scroll_into_view_if_needed()
    start, end = first.bounding_box(), last.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    page.mouse.up()


def listed(page):
    return page.locator("[data-window-list] label")


def test_she_paints_her_week_by_mouse_and_keyboard_and_it_is_saved(page, live_server):
    her = member()
    open_editor(page, live_server, her)

    drag(
        page,
        cell(page, "Tuesday 20:30 to 21:00, not free"),
        cell(page, "Tuesday 21:30 to 22:00, not free"),
    )
    expect(listed(page)).to_have_text(["Tue 20:30–22:00, kid-free"])

    page.get_by_role("group", name="Paint as").get_by_text("Kids along").click()
    # Tab comes back to the cell she last touched (roving tabindex).
    page.get_by_role("radio", name="Kids along").press("Tab")
    expect(cell(page, "Tuesday 20:30 to 21:00, kid-free")).to_be_focused()
    for key in ["ArrowRight"] * 4 + ["Space", "ArrowDown", "Enter"]:
        page.keyboard.press(key)
    expect(cell(page, "Saturday 21:00 to 21:30, kids along")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(listed(page)).to_have_text(["Tue 20:30–22:00, kid-free", "Sat 20:30–21:30, kids along"])

    page.get_by_role("button", name="Save my week").click()
    expect(page.get_by_text("Your weekly availability is saved.")).to_be_visible()
    page.reload()
    expect(listed(page)).to_have_text(["Tue 20:30–22:00, kid-free", "Sat 20:30–21:30, kids along"])
    expect(cell(page, "Tuesday 21:00 to 21:30, kid-free")).to_have_attribute(
        "aria-selected", "true"
    )
    assert weekly_windows_for(her) == [
        WeeklyWindow(1, 1230, 1320, "kid_free"),
        WeeklyWindow(5, 1230, 1290, "kids_along"),
    ]


def test_the_keyboard_reaches_the_grid_and_moves_within_it(page, live_server):
    open_editor(page, live_server, member())
    page.get_by_role("radio", name="Kids along").press("Tab")
    expect(cell(page, "Monday 06:00 to 06:30, not free")).to_be_focused()
    page.keyboard.press("End")
    expect(cell(page, "Sunday 06:00 to 06:30, not free")).to_be_focused()
    for key in ["ArrowDown", "ArrowLeft", "Home", "ArrowLeft"]:
        page.keyboard.press(key)
    expect(cell(page, "Monday 06:30 to 07:00, not free")).to_be_focused()


def test_painting_keeps_times_the_grid_cannot_show(page, live_server):
    her = member()
    availability_replace(
        member=her,
        windows=[WeeklyWindow(0, 240, 360, "kid_free"), WeeklyWindow(2, 1215, 1260, "kids_along")],
    )
    open_editor(page, live_server, her)
    expect(cell(page, "Wednesday 20:00 to 20:30, partly free, see the list")).to_be_visible()

    cell(page, "Monday 06:00 to 06:30, not free").click()
    expect(listed(page)).to_have_text(["Mon 04:00–06:30, kid-free", "Wed 20:15–21:00, kids along"])
    page.get_by_role("button", name="Save my week").click()

    expect(page.get_by_text("Your weekly availability is saved.")).to_be_visible()
    assert weekly_windows_for(her) == [
        WeeklyWindow(0, 240, 390, "kid_free"),
        WeeklyWindow(2, 1215, 1260, "kids_along"),
    ]


def test_a_preset_paints_the_grid_and_waits_for_save(page, live_server):
    her = member()
    open_editor(page, live_server, her)
    page.get_by_role("button", name="+ Weekend mornings with kids").click()
    expect(listed(page)).to_have_text(
        ["Sat 09:00–12:00, kids along", "Sun 09:00–12:00, kids along"]
    )
    expect(cell(page, "Sunday 11:30 to 12:00, kids along")).to_be_visible()
    assert weekly_windows_for(her) == []


def test_unticking_a_time_clears_it_from_the_grid(page, live_server):
    her = member()
    availability_replace(member=her, windows=[WeeklyWindow(1, 1230, 1320, "kid_free")])
    open_editor(page, live_server, her)
    page.get_by_label("Tue 20:30–22:00, kid-free").click()
    expect(cell(page, "Tuesday 20:30 to 21:00, not free")).to_be_visible()
    expect(page.get_by_text("No times yet.")).to_be_visible()


def test_without_javascript_she_adds_a_time_from_the_lists(chromium, live_server):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    her = member()
    open_editor(page, live_server, her)
    expect(page.get_by_role("grid")).to_have_count(0)
    page.get_by_label("Day", exact=True).first.select_option("Friday")
    page.get_by_label("From", exact=True).first.select_option("21:00")
    page.get_by_label("To", exact=True).first.select_option("00:30")
    page.get_by_label("Who is along", exact=True).first.select_option("Kid-free")
    page.get_by_role("button", name="Save my week").click()
    expect(listed(page)).to_have_text(["Fri 21:00–00:30, kid-free"])
    context.close()


def test_the_editor_fits_a_360px_phone_screen(phone_page, live_server):
    open_editor(phone_page, live_server, member())
    expect(phone_page.get_by_role("grid")).to_be_visible()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    cell(phone_page, "Sunday 20:00 to 20:30, not free").click()
    expect(listed(phone_page)).to_have_text(["Sun 20:00–20:30, kid-free"])
