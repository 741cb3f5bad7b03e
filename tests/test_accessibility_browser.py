"""Every page type passes an axe-core scan with no serious or critical violation, and fits a
360 px phone screen (a screenshot of each lands in test-artifacts/360px/, git-ignored).

Each test tours all page types in one neighborhood and reports every page that fails at once.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.tour import ARTIFACTS, PAGE_TYPES, horizontal_overflow, neighborhood, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def test_every_page_type_has_no_serious_accessibility_violation(page, live_server):
    place = neighborhood()
    failures = {}
    for page_type in PAGE_TYPES:
        page.context.clear_cookies()
        open_page(page, live_server.url, page_type, place)
        if violations := serious_violations(page):
            failures[page_type.name] = violations
    assert failures == {}


def test_every_page_type_fits_a_360px_phone_screen(phone_page, live_server):
    place = neighborhood()
    folder = ARTIFACTS / "360px"
    folder.mkdir(parents=True, exist_ok=True)
    overflowing = {}
    for page_type in PAGE_TYPES:
        phone_page.context.clear_cookies()
        open_page(phone_page, live_server.url, page_type, place)
        phone_page.screenshot(path=folder / f"{page_type.name}.png", full_page=True)
        if (overflow := horizontal_overflow(phone_page)) > 0:
            overflowing[page_type.name] = f"{overflow}px too wide"
    assert overflowing == {}


def test_the_scan_finds_a_violation_when_there_is_one(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.querySelector('input[name=login]').labels.forEach(l => l.remove())")
    page.evaluate("document.querySelector('input[name=login]').removeAttribute('placeholder')")
    assert any(line.startswith("label (critical)") for line in serious_violations(page))
