"""Every other page a member or a visitor reaches, in Spanish, with the check of the main
pages (tests/test_spanish_pages.py): none of the catalogue's English and no common English
word outside what members wrote, on each page and on its form's errors after a bad POST.
allauth's pages have theirs in tests/test_spanish_accounts.py."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from momcircle.circles.tests.factories import proposal_for
from momcircle.conversation.services import message_post
from scheduling.tests.conftest import circle, meetup  # noqa: F401 (fixtures)
from scheduling.tests.series import occurrences, plan_series
from tests import spanish
from tests.test_spanish_pages import SPANISH, member_text
from tests.test_spanish_pages import story as main_story  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
MESSAGE = "Llevo galletas para todas"


@pytest.fixture
def story(main_story):  # noqa: F811
    """The main pages' story, and a series of the group, a proposed circle for Maya and a
    message of hers in the meetup's conversation; the organizer reads Spanish too."""
    main_story.organizer.profile.language = "es"
    main_story.organizer.profile.save()
    main_story.series = plan_series(main_story.group, main_story.organizer)
    main_story.occurrence = occurrences(main_story.series)[0]
    main_story.proposal = proposal_for(
        [main_story.member, main_story.other_member.member, main_story.co_organizer]
    )
    main_story.message = message_post(
        meetup=main_story.meetup, author=main_story.member, text=MESSAGE
    )
    return main_story


PAGES = {
    "find me a circle": ("member", lambda s: reverse("circles:wish")),
    "a proposed circle": ("member", lambda s: reverse("circles:proposal", args=[s.proposal.pk])),
    "series": ("member", lambda s: s.series.get_absolute_url()),
    "series end": ("organizer", lambda s: reverse("scheduling:series_end", args=[s.series.pk])),
    "new meetup": (
        "organizer",
        lambda s: reverse("scheduling:meetup_create", args=[s.group.slug]) + "?repeat=weekly",
    ),
    "meetup edit": ("organizer", lambda s: reverse("scheduling:meetup_edit", args=[s.meetup.pk])),
    "this and following": (
        "organizer",
        lambda s: reverse("scheduling:meetup_edit_following", args=[s.occurrence.pk]),
    ),
    "meetup cancel": (
        "organizer",
        lambda s: reverse("scheduling:meetup_cancel", args=[s.meetup.pk]),
    ),
    "conversation": ("member", lambda s: s.meetup.get_absolute_url()),
    "message edit": ("member", lambda s: reverse("conversation:edit", args=[s.message.pk])),
    "blocked members": ("member", lambda s: reverse("moderation:blocked")),
    "report a member": (
        "member",
        lambda s: reverse("moderation:report_member", args=[s.organizer.pk]),
    ),
    "report a group": ("member", lambda s: reverse("moderation:report_group", args=[s.group.slug])),
    "report a meetup": (
        "member",
        lambda s: reverse("moderation:report_meetup", args=[s.meetup.pk]),
    ),
    "report a message": (
        "organizer",
        lambda s: reverse("moderation:report_message", args=[s.message.pk]),
    ),
    "email preferences": ("member", lambda s: reverse("profiles:notifications")),
    "delete my account": ("member", lambda s: reverse("privacy:delete")),
    "my groups": ("member", lambda s: reverse("groups:mine")),
    "start a group": ("member", lambda s: reverse("groups:create")),
    "calendar": ("member", lambda s: reverse("scheduling:calendar")),
}
# The forms of those pages, sent back empty or wrong.
BAD_POSTS = {
    "find me a circle": {"radius_miles": "999"},
    "series end": {"from_date": "not a date"},
    "new meetup": {"title": "", "repeat": "weekly", "repeat_end": "after", "repeat_count": "999"},
    "meetup edit": {"title": ""},
    "this and following": {"title": ""},
    "meetup cancel": {"reason": "x" * 600},
    "message edit": {"text": ""},
    "report a member": {},
    "report a group": {},
    "report a meetup": {},
    "report a message": {},
    "email preferences": {"reminder_hours": "not a number"},
    "delete my account": {"confirm": "no"},
    "start a group": {"name": ""},
}


def her(client, story, who: str):
    client.force_login(story.organizer if who == "organizer" else story.member)


def written(story) -> tuple[str, ...]:
    return (*member_text(story), MESSAGE, story.series.title)


def assert_reads_as_spanish(text: str, story) -> None:
    assert spanish.english_in(text, member_text=written(story)) == []
    assert spanish.common_english_words(text, member_text=written(story)) == []
    assert spanish.has_spanish(text, member_text=written(story))


def shown(response) -> str:
    html = response.content.decode()
    assert '<html lang="es"' in html
    return spanish.visible_text(html)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_reads_as_spanish(client, story, page):
    who, path_of = PAGES[page]
    her(client, story, who)
    response = client.get(path_of(story), **SPANISH)
    assert response.status_code == 200, response.status_code
    assert_reads_as_spanish(shown(response), story)


@pytest.mark.parametrize("page", BAD_POSTS)
def test_its_form_errors_read_as_spanish(client, story, page):
    who, path_of = PAGES[page]
    her(client, story, who)
    response = client.post(path_of(story), BAD_POSTS[page], follow=True, **SPANISH)
    assert response.status_code == 200, response.status_code
    assert_reads_as_spanish(shown(response), story)


@pytest.mark.parametrize(
    ("status", "path_of"),
    [
        (404, lambda s: "/no-such-page/"),
        (403, lambda s: reverse("scheduling:meetup_edit", args=[s.meetup.pk])),
    ],
    ids=["404", "403"],
)
def test_the_error_pages_read_as_spanish(client, story, status, path_of):
    client.force_login(story.member)
    response = client.get(path_of(story), **SPANISH)
    assert response.status_code == status
    assert_reads_as_spanish(shown(response), story)


def test_the_too_many_tries_page_reads_as_spanish(story):
    request = RequestFactory().get("/")
    request.user = story.member
    with translation.override("es"):
        text = spanish.visible_text(render_to_string("429.html", request=request))
    assert_reads_as_spanish(text, story)
