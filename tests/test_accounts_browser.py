import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, member
from tests.test_accessibility_browser import serious_violations
from tests.tour import ARTIFACTS, horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_PASSWORD = "evening-walks-after-bedtime"
NEW_PASSWORD = "saturday-pancakes-with-kids"
ONBOARDING_HEADING = "Welcome! Tell us a little about you"


def link_in(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Account").click()
    page.get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    ).to_be_visible()


def test_a_new_member_signs_up_verifies_logs_in_and_resets_her_password(
    page, live_server, mailoutbox
):
    email = "dana@example.com"
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mom friends who also work")
    page.get_by_role("link", name="Join MomCircle, it's free").click()

    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(FIRST_PASSWORD)
    page.locator("input[name=password2]").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [email]
    page.goto(link_in(mailoutbox[0]))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have confirmed")).to_be_visible()
    expect(page.get_by_role("heading", name=ONBOARDING_HEADING)).to_be_visible()
    log_out(page)

    log_in(page, live_server.url, email, FIRST_PASSWORD)
    expect(page.get_by_role("heading", name=ONBOARDING_HEADING)).to_be_visible()
    log_out(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.locator("input[name=email]").fill(email)
    page.get_by_role("button", name="Reset my password").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    assert len(mailoutbox) == 2
    page.goto(link_in(mailoutbox[1]))
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is now changed")).to_be_visible()

    log_in(page, live_server.url, email, FIRST_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    log_in(page, live_server.url, email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name=ONBOARDING_HEADING)).to_be_visible()


def fits_a_phone_and_passes_the_scan(page, name: str) -> None:
    """At 360 px (a screenshot lands in test-artifacts/360px/), and axe finds nothing serious."""
    folder = ARTIFACTS / "360px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)
    assert horizontal_overflow(page) <= 0
    assert serious_violations(page) == []


def test_five_wrong_passwords_lock_her_out_and_a_code_from_her_email_lets_her_in(
    phone_page, live_server, mailoutbox
):
    dana = member(first_name="Dana")
    page = phone_page
    for _ in range(5):
        log_in(page, live_server.url, dana.email, "a-wrong-guess-of-hers")
        expect(page.get_by_role("alert")).to_contain_text("not correct")
    log_in(page, live_server.url, dana.email, PASSWORD)
    locked = page.get_by_role("region", name="Your password is locked for a few minutes")
    expect(locked).to_be_visible()
    fits_a_phone_and_passes_the_scan(page, "log-in-locked-out")

    locked.get_by_role("link", name="Email me a code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email me a code")
    fits_a_phone_and_passes_the_scan(page, "log-in-ask-for-a-code")
    page.get_by_label("Email").fill(dana.email)
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Type the code we emailed you")
    fits_a_phone_and_passes_the_scan(page, "log-in-type-the-code")

    [message] = mailoutbox
    assert message.to == [dana.email]
    code = re.search(r"^([A-Z]{4}-[A-Z]{4})$", message.body, re.MULTILINE).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("region", name="Your profile")).to_contain_text("Dana")


@pytest.mark.parametrize(
    ("menu_link", "words"),
    [("Log in", "Log in"), ("Sign up", "Sign up")],
)
def test_the_menu_the_page_and_its_button_say_the_same(page, live_server, menu_link, words):
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=menu_link).click()
    expect(page).to_have_title(f"{words} · MomCircle")
    expect(page.get_by_role("heading", level=1)).to_have_text(words)
    expect(page.get_by_role("button", name=words, exact=True)).to_be_visible()
    main = page.get_by_role("main")
    for other_words in ("Sign In", "Sign Up", "sign in", "Signup", "Sign Out"):
        expect(main).not_to_contain_text(other_words)


def test_the_verification_page_says_how_to_get_a_new_link_or_help(page, live_server, settings):
    settings.SUPPORT_EMAIL = "help@momcircle.example"
    page.goto(f"{live_server.url}/accounts/signup/")
    page.locator("input[name=email]").fill("dana@example.com")
    page.locator("input[name=password1]").fill(FIRST_PASSWORD)
    page.locator("input[name=password2]").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Verify your email address")
    expect(main).not_to_contain_text("contact us")
    expect(main.get_by_role("link", name="Log in")).to_have_attribute("href", "/accounts/login/")
    write_to_us = main.get_by_role("link", name="help@momcircle.example")
    expect(write_to_us).to_have_attribute("href", "mailto:help@momcircle.example")


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"],
)
def test_public_pages_fit_a_360px_phone_screen(phone_page, live_server, path):
    phone_page.goto(f"{live_server.url}{path}")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    expect(phone_page.get_by_role("link", name="Skip to content")).to_be_attached()
