"""The site's own English for allauth's account pages (locale/en/LC_MESSAGES/django.po)."""

from pathlib import Path

import allauth
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import gettext

OURS = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
ALLAUTHS = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def messages(catalog) -> dict[str, str]:
    return {message.id: message.string for message in catalog if message.id}


def po(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        return messages(read_po(file))


def test_the_django_mo_is_compiled_from_the_po():
    with (OURS / "django.mo").open("rb") as file:
        assert messages(read_mo(file)) == po(OURS / "django.po")


def test_each_sentence_replaces_one_that_allauth_really_has():
    assert set(po(OURS / "django.po")) - set(po(ALLAUTHS)) == set()


def test_the_pages_speak_of_logging_in_and_signing_up():
    assert (gettext("Sign In"), gettext("Sign Up"), gettext("Sign Out")) == (
        "Log in",
        "Sign up",
        "Log out",
    )
