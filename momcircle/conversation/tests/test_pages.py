"""The conversation on the meetup page, with htmx and without JavaScript."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from momcircle.conversation.models import Message
from momcircle.conversation.selectors import LATEST
from momcircle.conversation.services import message_hide
from momcircle.conversation.tests.conftest import history
from momcircle.profiles.models import Block
from scheduling.tests.factories import MeetupFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def as_(woman) -> Client:
    client = Client()
    client.force_login(woman)
    return client


def page_of(woman, meetup, query: str = "") -> str:
    response = as_(woman).get(f"{meetup.get_absolute_url()}{query}")
    assert response.status_code == 200
    return response.content.decode()


def messages_url(meetup) -> str:
    return reverse("conversation:messages", args=[meetup.pk])


def test_the_meetup_page_shows_the_conversation_to_members(circle, meetup, say):
    say(circle.organizer, meetup, "Can we do the café instead?")
    html = page_of(circle.member, meetup)
    assert "Can we do the café instead?" in html
    assert "Post the message" in html


def test_a_woman_outside_the_group_sees_no_conversation(circle, meetup, say):
    say(circle.organizer, meetup, "Can we do the café instead?")
    html = page_of(circle.stranger, meetup)
    assert "café instead" not in html
    assert 'id="conversation"' not in html


def test_without_javascript_a_post_comes_back_to_the_conversation_with_her_message(circle, meetup):
    client = as_(circle.member)
    response = client.post(messages_url(meetup), {"text": "running late"})
    assert response.status_code == 302
    assert response.url == f"{meetup.get_absolute_url()}#conversation"
    html = client.get(response.url).content.decode()
    assert "running late" in html
    assert "Your message is posted." in html


def test_with_htmx_a_post_returns_the_conversation_in_place(circle, meetup):
    response = as_(circle.member).post(messages_url(meetup), {"text": "running late"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="conversation"')
    assert "running late" in html
    assert 'hx-swap-oob="innerHTML">Your message is posted.' in html
    assert "<textarea" in html
    assert "running late</textarea>" not in html


def test_with_htmx_a_refused_post_keeps_what_she_typed(circle, meetup):
    response = as_(circle.member).post(messages_url(meetup), {"text": "x" * 2001}, headers=HTMX)
    html = response.content.decode()
    assert "2,000 characters or fewer" in html
    assert f"{'x' * 2001}</textarea>" in html
    assert not Message.objects.exists()


def test_without_javascript_an_empty_post_says_why(circle, meetup):
    client = as_(circle.member)
    response = client.post(messages_url(meetup), {"text": ""}, follow=True)
    assert "Write a message first." in response.content.decode()


def test_the_open_page_gets_nothing_back_until_something_changed(circle, meetup, say):
    say(circle.organizer, meetup, "Can we do the café instead?")
    client = as_(circle.member)
    first = client.get(messages_url(meetup), headers=HTMX)
    seen = first.context["conversation"].fingerprint
    assert client.get(messages_url(meetup), {"seen": seen}, headers=HTMX).status_code == 204
    say(circle.organizer, meetup, "Café Lula at 8?")
    again = client.get(messages_url(meetup), {"seen": seen}, headers=HTMX)
    assert again.status_code == 200
    assert "Café Lula at 8?" in again.content.decode()


def test_a_hidden_message_changes_what_the_open_page_shows(circle, meetup, say):
    message = say(circle.other_member.member, meetup, "Buy my leggings")
    client = as_(circle.member)
    seen = client.get(messages_url(meetup), headers=HTMX).context["conversation"].fingerprint
    message_hide(message=message, by=circle.organizer)
    again = client.get(messages_url(meetup), {"seen": seen}, headers=HTMX)
    assert "leggings" not in again.content.decode()


def test_the_list_s_own_address_without_htmx_leads_to_the_meetup_page(circle, meetup):
    response = as_(circle.member).get(messages_url(meetup))
    assert response.url == f"{meetup.get_absolute_url()}#conversation"


def test_the_page_lists_the_latest_messages_and_links_to_all_of_them(circle, meetup, say):
    history(meetup, [circle.organizer], LATEST + 5)
    html = page_of(circle.member, meetup)
    assert "Message number 5." in html
    assert "Message number 4." not in html
    assert "Show earlier messages" in html
    everything = page_of(circle.member, meetup, "?messages=all")
    assert "Message number 0." in everything
    assert "Show earlier messages" not in everything


def test_blocks_keep_messages_apart_both_ways(circle, meetup, say):
    say(circle.member, meetup, "Maya here")
    say(circle.organizer, meetup, "Olivia here")
    say(circle.co_organizer, meetup, "Corinne here")
    Block.objects.create(blocker=circle.member, blocked=circle.organizer)
    maya_sees, olivia_sees = page_of(circle.member, meetup), page_of(circle.organizer, meetup)
    assert "Olivia here" not in maya_sees
    assert "Maya here" not in olivia_sees
    assert "Corinne here" in maya_sees
    assert "Corinne here" in olivia_sees


def test_her_own_recent_message_has_edit_and_delete_and_others_a_report_link(circle, meetup, say):
    say(circle.member, meetup, "Maya here")
    say(circle.other_member.member, meetup, "Tess here")
    html = page_of(circle.member, meetup)
    assert html.count("Edit your message") == 1
    assert html.count("Delete your message") == 1
    assert html.count("Report this message") == 1
    assert "Hide this message" not in html


def test_after_15_minutes_her_message_has_no_edit_button(circle, meetup, say):
    say(circle.member, meetup, "Maya here", now=timezone.now() - timedelta(minutes=16))
    assert "Edit your message" not in page_of(circle.member, meetup)


def test_organizers_see_a_hide_button_on_every_message(circle, meetup, say):
    say(circle.member, meetup, "Maya here")
    say(circle.other_member.member, meetup, "Tess here")
    assert page_of(circle.co_organizer, meetup).count("Hide this message") == 2


def test_she_edits_her_message_on_its_page_and_comes_back_to_it(circle, meetup, say):
    message = say(circle.member, meetup, "Runing late")
    client = as_(circle.member)
    path = reverse("conversation:edit", args=[message.pk])
    assert "Runing late</textarea>" in client.get(path).content.decode()
    response = client.post(path, {"text": "Running late"})
    assert response.url == f"{meetup.get_absolute_url()}#message-{message.pk}"
    message.refresh_from_db()
    assert (message.text, message.edited_at is not None) == ("Running late", True)
    assert "edited" in page_of(circle.member, meetup)


def test_the_edit_page_says_when_it_is_too_late(circle, meetup, say):
    message = say(circle.member, meetup, "Runing late", now=timezone.now() - timedelta(hours=1))
    html = as_(circle.member).get(reverse("conversation:edit", args=[message.pk])).content
    assert b"first 15 minutes" in html
    assert b"<textarea" not in html


def test_with_htmx_deleting_her_message_returns_the_conversation_without_it(circle, meetup, say):
    message = say(circle.member, meetup, "Wrong meetup, sorry")
    path = reverse("conversation:delete", args=[message.pk])
    html = as_(circle.member).post(path, headers=HTMX).content.decode()
    assert "Wrong meetup" not in html
    assert "Your message is deleted." in html


def test_without_javascript_an_organizer_hides_a_message(circle, meetup, say):
    message = say(circle.member, meetup, "Buy my leggings")
    client = as_(circle.organizer)
    response = client.post(reverse("conversation:hide", args=[message.pk]), follow=True)
    html = response.content.decode()
    assert "The message is hidden from the conversation." in html
    assert "leggings" not in html


def test_she_mutes_the_conversation_from_the_page(circle, meetup):
    client = as_(circle.member)
    response = client.post(reverse("conversation:mute", args=[meetup.pk]), {"muted": "yes"})
    assert response.url.endswith("#conversation")
    assert "Unmute this conversation" in page_of(circle.member, meetup)


def test_a_message_of_another_group_s_meetup_is_not_found(circle, meetup, say):
    other = MeetupFactory()
    message = Message.objects.create(meetup=other, author=circle.stranger, text="Hi")
    client = as_(circle.organizer)
    assert client.post(reverse("conversation:hide", args=[message.pk])).status_code == 403
    assert client.post(reverse("conversation:hide", args=[10**9])).status_code == 404


def _queries_for(client, meetup, query: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{meetup.get_absolute_url()}{query}").status_code == 200
    return len(queries)


# session, user, her profile, the meetup with its group, her membership, the answers, the
# latest messages with their authors (blocks as a subquery), her mute
MEETUP_PAGE_QUERIES = 8


def test_the_meetup_page_costs_the_same_queries_with_200_messages_as_with_none(
    circle, meetup, django_assert_max_num_queries
):
    quiet = MeetupFactory(group=circle.group, created_by=circle.organizer)
    authors = [circle.organizer, circle.co_organizer, circle.member, circle.other_member.member]
    history(meetup, authors, 200, text="Message {n} https://example.com/{n}")
    Block.objects.create(blocker=circle.member, blocked=circle.co_organizer)
    client = as_(circle.member)
    assert _queries_for(client, meetup) == _queries_for(client, quiet)
    with django_assert_max_num_queries(MEETUP_PAGE_QUERIES):
        client.get(meetup.get_absolute_url())
    with django_assert_max_num_queries(MEETUP_PAGE_QUERIES):
        client.get(f"{meetup.get_absolute_url()}?messages=all")
