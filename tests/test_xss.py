"""Everything a member types is shown as text, never run as markup: payloads go in through the
real forms and come out escaped on every page that shows them."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from groups.models import Group, Membership
from momcircle.circles.tests.factories import proposal_for
from momcircle.conversation.models import Message
from momcircle.notifications.links import circle_token
from momcircle.notifications.services import ANSWER_KINDS
from scheduling.tests.factories import MeetupFactory
from tests.factories import member, organized_group

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
]


class MarkupScan(HTMLParser):
    """What in a page could run: inline scripts, event-handler attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.dangers: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self.dangers.append("an inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.dangers.append(f"<{tag} {name}=...>")
            url = (value or "").strip().lower()
            if name in ("href", "src", "action", "formaction") and url.startswith("javascript:"):
                self.dangers.append(f"<{tag} {name}={value}>")


def dangers_in(html: str) -> list[str]:
    scan = MarkupScan()
    scan.feed(html)
    return scan.dangers


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def profile_fields(text: str) -> dict:
    return {
        "first_name": text,
        "last_initial": "K",
        "zip_code": "60614",
        "time_zone": "",
        "work_pattern": "hybrid",
        "kids_toddler": "1",
        "looking_for": ["moms_night_out"],
        "interests_text": text,
        "bio": text,
    }


def group_fields(text: str) -> dict:
    return {
        "name": text,
        "description": text,
        "focus_text": text,
        "zip_code": "60614",
        "meeting_style": "both",
        "size_cap": "10",
        "join_policy": "request",
        "join_question": text,
        "is_listed": "on",
    }


@pytest.fixture(params=PAYLOADS, ids=["script", "attribute", "javascript-url"])
def payload_everywhere(request):
    """Olivia's profile and group, Maya's and Priya's answers to join it, the organizers'
    message to Maya and Maya's message on the group's meetup all carry the payload."""
    text = request.param
    olivia, maya, priya, sara = member(), member(), member(), member()
    for woman in (olivia, maya, priya):
        assert as_(woman).post("/me/", profile_fields(text)).status_code == 302
    assert as_(olivia).post("/groups/new/", group_fields(text)).status_code == 302
    group = Group.objects.get()
    for woman in (maya, priya):
        as_(woman).post(reverse("groups:join", args=[group.slug]), {"answer": text})
    maya_request = Membership.objects.get(member=maya)
    as_(olivia).post(
        reverse("groups:approve", args=[group.slug, maya_request.pk]), {"message": text}
    )
    assert Membership.objects.get(member=maya).decision_message == text
    proposal = proposal_for([sara, olivia, maya, priya])
    meetup = MeetupFactory(group=group, created_by=olivia)
    posted = as_(maya).post(reverse("conversation:messages", args=[meetup.pk]), {"text": text})
    assert posted.status_code == 302
    assert Message.objects.get().text == text
    return {
        "meetup": meetup,
        "text": text,
        "group": group,
        "olivia": olivia,
        "maya": maya,
        "sara": sara,
        "approval": Membership.objects.get(member=maya),
        "proposal": proposal,
    }


PAGES = {
    "group page, for a member": ("maya", lambda p: p["group"].get_absolute_url()),
    "group page, with the join form": ("sara", lambda p: p["group"].get_absolute_url()),
    "browse cards": ("sara", lambda p: reverse("groups:browse")),
    "organizer tools": ("olivia", lambda p: reverse("groups:manage", args=[p["group"].slug])),
    "member profile": ("maya", lambda p: reverse("members:detail", args=[p["olivia"].pk])),
    "my groups": ("maya", lambda p: reverse("groups:mine")),
    "group form": ("olivia", lambda p: reverse("groups:edit", args=[p["group"].slug])),
    "report form": ("maya", lambda p: reverse("moderation:report_member", args=[p["olivia"].pk])),
    "meet your circle": ("sara", lambda p: p["proposal"].get_absolute_url()),
    "meet your circle, from the email": (
        "sara",
        lambda p: reverse(
            "notifications:email_circle",
            args=[circle_token(member=p["sara"], proposal=p["proposal"])],
        ),
    ),
    "meetup conversation": ("olivia", lambda p: p["meetup"].get_absolute_url()),
    "message edit form": (
        "maya",
        lambda p: reverse("conversation:edit", args=[Message.objects.get().pk]),
    ),
}


def test_every_page_shows_what_members_typed_as_text(payload_everywhere):
    text = payload_everywhere["text"]
    failures = {}
    for page, (viewer, path) in PAGES.items():
        response = as_(payload_everywhere[viewer]).get(path(payload_everywhere))
        assert response.status_code == 200, page
        html = response.content.decode()
        problems = dangers_in(html)
        if escape(text) not in html:
            problems.append("the text is missing")
        if escape(text) != text and text in html:
            problems.append("the text is there unescaped")
        if problems:
            failures[page] = problems
    assert failures == {}


def test_flash_messages_naming_her_are_escaped(payload_everywhere):
    group, olivia = payload_everywhere["group"], payload_everywhere["olivia"]
    approval = payload_everywhere["approval"]
    response = as_(olivia).post(
        reverse("groups:remove", args=[group.slug, approval.pk]), follow=True
    )
    html = response.content.decode()
    assert f"{escape(approval.member.profile.display_name)} is no longer in the group." in html
    assert dangers_in(html) == []


@pytest.mark.parametrize("status", sorted(ANSWER_KINDS))
def test_the_organizers_message_is_escaped_in_the_answer_email(payload_everywhere, status):
    text = payload_everywhere["text"]
    context = {"group": payload_everywhere["group"], "note": text, "site_url": "https://x.test"}
    html = render_to_string(f"email/{ANSWER_KINDS[status]}.html", context)
    assert escape(text) in html
    assert dangers_in(html) == []


def test_the_scan_spots_markup_that_could_run():
    html = (
        '<p><img src=x onerror="alert(1)"><a href=" JavaScript:alert(1)">x</a></p>'
        "<script>x</script>"
    )
    assert len(dangers_in(html)) == 3


LINKS_WITH_MARKUP = [
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/?q=<img src=x onerror=alert(1)>",
    'www.example.com" onmouseover="alert(1)',
    "javascript:alert(1)//https://example.com",
    "<a href='javascript:alert(1)'>https://example.com</a>",
]


@pytest.mark.parametrize("text", LINKS_WITH_MARKUP)
def test_links_in_a_message_are_safe_links_and_the_rest_is_text(text):
    olivia = member()
    group = organized_group(olivia)
    meetup = MeetupFactory(group=group, created_by=olivia)
    client = as_(olivia)
    client.post(reverse("conversation:messages", args=[meetup.pk]), {"text": text})
    html = client.get(meetup.get_absolute_url()).content.decode()
    assert dangers_in(html) == []
    assert "<script>alert" not in html
    assert "<img src=x" not in html
