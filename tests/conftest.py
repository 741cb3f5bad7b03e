import os
import shutil

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django would
# otherwise refuse database access from that thread in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("The system Chromium is missing: `make test` installs the Debian package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The narrowest phone the site is made for, and a common one (an iPhone 13 to 15).
PHONE_SCREENS = {"360px": (360, 740), "390px": (390, 844)}


def _browser_page(chromium, width: int, height: int, **options):
    context = chromium.new_context(viewport={"width": width, "height": height}, **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(chromium):
    context, page = _browser_page(chromium, 1200, 900)
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    context, page = _browser_page(chromium, *PHONE_SCREENS["360px"], is_mobile=True)
    yield page
    context.close()


@pytest.fixture
def spanish_phone_page(chromium):
    """The narrowest phone, in a browser that asks for Spanish (its Accept-Language)."""
    context, page = _browser_page(chromium, *PHONE_SCREENS["360px"], is_mobile=True, locale="es-ES")
    yield page
    context.close()


@pytest.fixture(params=list(PHONE_SCREENS))
def phone_screens(request, chromium):
    """A page on each phone screen in PHONE_SCREENS."""
    context, page = _browser_page(chromium, *PHONE_SCREENS[request.param], is_mobile=True)
    yield page
    context.close()
