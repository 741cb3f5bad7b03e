"""The main pages in Spanish, as a browser asking for Spanish gets them, for a visitor and for
a member with a group, a meetup and a week of availability.

Always checked: the page says it is Spanish (`<html lang="es">`), and none of the English that
MomCircle's Python writes (form labels, help, choices, errors, messages, times) shows on it.
Once the page templates are marked for translation (their own branch), each page is checked
for all of the catalogue's English and for common English words too, outside what members
wrote (tests/spanish.py)."""

import re

import polib
import pytest
from django.urls import reverse

from momcircle.profiles.models import AvailabilityWindow
from scheduling.models import Rsvp
from scheduling.tests.conftest import circle, meetup  # noqa: F401 (fixtures)
from tests import spanish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9"}
PAGES = {
    "landing": ("visitor", lambda story: reverse("home")),
    "sign-up": ("visitor", lambda story: reverse("account_signup")),
    "login": ("visitor", lambda story: reverse("account_login")),
    "onboarding": ("newcomer", lambda story: reverse("profiles:onboarding")),
    "my week": ("member", lambda story: reverse("home")),
    "browse": ("member", lambda story: reverse("groups:browse")),
    "group": ("member", lambda story: story.group.get_absolute_url()),
    "meetup": ("member", lambda story: story.meetup.get_absolute_url()),
    "availability": ("member", lambda story: reverse("profiles:availability")),
    "profile": ("member", lambda story: reverse("profiles:edit")),
}
TEMPLATES_MARKED = spanish.templates_marked("includes")


def python_english() -> set[str]:
    """The catalogue's English that only Python writes: not also typed into a template (those
    are the templates' until they are marked)."""
    templates = " ".join(
        " ".join(path.read_text().split()) for path in spanish.TEMPLATES.rglob("*.html")
    )
    from_python = {
        entry.msgid
        for entry in polib.pofile(str(spanish.CATALOGUE))
        if entry.occurrences and all(file.endswith(".py") for file, _ in entry.occurrences)
    }
    return {
        fragment
        for fragment in spanish.english_fragments()
        if any(fragment in msgid for msgid in from_python) and fragment not in templates
    }


@pytest.fixture
def story(circle, meetup):  # noqa: F811
    """Maya, who reads MomCircle in Spanish, a member of the circle's group, going to its
    meetup, free on Tuesday evenings."""
    circle.member.profile.language = "es"
    circle.member.profile.save()
    Rsvp.objects.create(meetup=meetup, member=circle.member, response=Rsvp.Response.GOING)
    AvailabilityWindow.objects.create(
        member=circle.member, weekday=1, start_minute=20 * 60, end_minute=22 * 60, mode="kid_free"
    )
    circle.meetup = meetup
    return circle


def member_text(story) -> tuple[str, ...]:
    people = [story.organizer, story.co_organizer, story.member, story.other_member.member]
    return (
        story.group.name,
        story.group.description,
        story.meetup.title,
        story.meetup.description,
        story.meetup.venue_name,
        story.meetup.venue_address,
        *(person.profile.display_name for person in people),
        *(person.profile.first_name for person in people),
    )


def page_text(client, story, page: str) -> str:
    who, path_of = PAGES[page]
    if who == "member":
        client.force_login(story.member)
    elif who == "newcomer":
        client.force_login(UserFactory())
    response = client.get(path_of(story), **SPANISH)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    html = response.content.decode()
    assert re.search(r'<html lang="es"', html), f"{page} does not say it is Spanish"
    return spanish.visible_text(html)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_shows_none_of_the_english_python_writes(client, story, page):
    text = page_text(client, story, page)
    for written in member_text(story):
        text = text.replace(written, " ")
    assert sorted(fragment for fragment in python_english() if fragment in text) == []


@pytest.mark.skipif(
    not TEMPLATES_MARKED,
    reason="the page templates are not marked for translation yet (the templates' branch)",
)
@pytest.mark.parametrize("page", PAGES)
def test_the_page_reads_as_spanish(client, story, page):
    text = page_text(client, story, page)
    written = member_text(story)
    assert spanish.english_in(text, member_text=written) == []
    assert spanish.common_english_words(text, member_text=written) == []
    assert spanish.has_spanish(text, member_text=written)


def test_python_s_english_is_what_the_scan_looks_for():
    """The scan would see a form label, a choice and a sentence a rule says no with."""
    english = python_english()
    assert {"What are you looking for", "Weekend family meetups"} <= english
    assert "Keep your message to" in english


def test_the_scan_sees_words_in_labels_and_buttons():
    html = '<p>Hola</p><input type="submit" value="Save it"><a aria-label="Close this">x</a>'
    assert spanish.visible_text(html) == "Hola Save it Close this x"


def test_the_scan_finds_python_s_english_on_her_page_in_english(client, story):
    story.member.profile.language = "en"
    story.member.profile.save()
    client.force_login(story.member)
    text = spanish.visible_text(client.get(reverse("profiles:edit")).content.decode())
    found = {fragment for fragment in python_english() if fragment in text}
    assert {"What are you looking for", "Weekend family meetups"} <= found
