"""New messages in a meetup's conversation, emailed in batches to those coming, as they arrive
at a real SMTP sink."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from momcircle.conversation.services import conversation_mute, message_hide, message_post
from momcircle.notifications import links
from momcircle.notifications.kinds import CONVERSATION, MEETUP_CONVERSATION
from momcircle.notifications.services import conversation_window
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.services import outbox_dispatch
from momcircle.profiles.models import Block
from momcircle.profiles.services import profile_set_notification_preferences
from scheduling.models import Rsvp

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


@pytest.fixture
def coming(circle, meetup):
    """Maya is going, Tess may go, Corinne can't go; Olivia, the organizer, is going."""
    answers = {
        circle.member: "going",
        circle.other_member.member: "maybe",
        circle.co_organizer: "cant_go",
        circle.organizer: "going",
    }
    for woman, response in answers.items():
        Rsvp.objects.create(meetup=meetup, member=woman, response=response)
    return circle


def say(run_on_commit, author, meetup, text):
    return run_on_commit(message_post, meetup=meetup, author=author, text=text)


def rows_for(woman, meetup):
    return OutboxMessage.objects.filter(
        recipient=woman, kind=MEETUP_CONVERSATION, subject=subject_key(meetup)
    ).order_by("due_at")


def make_due():
    OutboxMessage.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())


def bodies(smtp_sink, woman) -> list[str]:
    return [mail.get_body(("plain",)).get_content() for mail in smtp_sink.inbox.to(woman.email)]


def test_those_going_or_maybe_get_the_new_message_right_away(
    smtp_sink, run_on_commit, coming, meetup
):
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    outbox_dispatch()
    for woman in (coming.member, coming.other_member.member):
        (mail,) = smtp_sink.inbox.to(woman.email)
        assert mail["Subject"] == f"1 new message: {meetup.title}"
        assert "Can we do the café instead?" in mail.get_body(("plain",)).get_content()
        assert (
            f"{meetup.get_absolute_url()}#conversation" in mail.get_body(("plain",)).get_content()
        )
    assert smtp_sink.inbox.to(coming.co_organizer.email) == []


def test_she_gets_no_email_about_her_own_message(smtp_sink, run_on_commit, coming, meetup):
    say(run_on_commit, coming.member, meetup, "I'll bring snacks")
    assert not rows_for(coming.member, meetup).exists()


def test_messages_posted_while_her_email_waits_are_in_that_one_email(
    smtp_sink, run_on_commit, coming, meetup
):
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    say(run_on_commit, coming.other_member.member, meetup, "Fine by me")
    outbox_dispatch()
    (body,) = bodies(smtp_sink, coming.member)
    assert body.index("café instead") < body.index("Fine by me")
    assert rows_for(coming.member, meetup).count() == 1


def test_after_an_email_the_next_waits_30_minutes_and_lists_only_what_is_new(
    smtp_sink, run_on_commit, coming, meetup
):
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    outbox_dispatch()
    first = rows_for(coming.member, meetup).get()
    say(run_on_commit, coming.other_member.member, meetup, "Fine by me")
    say(run_on_commit, coming.organizer, meetup, "Café Lula at 8, then")
    _, waiting = rows_for(coming.member, meetup)
    assert waiting.due_at == first.sent_at + timedelta(minutes=30)
    assert waiting.status == Status.PENDING
    outbox_dispatch()  # not due yet: nothing goes
    assert len(smtp_sink.inbox.to(coming.member.email)) == 1
    make_due()
    outbox_dispatch()
    _, second = bodies(smtp_sink, coming.member)
    assert "Fine by me" in second
    assert "Café Lula at 8, then" in second
    assert "café instead" not in second


def test_the_occurrence_names_the_half_hour_it_is_due_in():
    assert conversation_window(datetime(2026, 3, 10, 20, 44, 59, tzinfo=UTC)) == (
        "2026-03-10T20:30Z"
    )
    assert conversation_window(datetime(2026, 3, 10, 21, 0, tzinfo=UTC)) == "2026-03-10T21:00Z"


def test_a_muted_meetup_sends_her_nothing(smtp_sink, run_on_commit, coming, meetup):
    conversation_mute(meetup=meetup, member=coming.member, muted=True)
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    assert not rows_for(coming.member, meetup).exists()
    assert rows_for(coming.other_member.member, meetup).exists()


def test_muting_after_the_email_was_queued_drops_it(smtp_sink, run_on_commit, coming, meetup):
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    conversation_mute(meetup=meetup, member=coming.member, muted=True)
    outbox_dispatch()
    assert smtp_sink.inbox.to(coming.member.email) == []
    assert rows_for(coming.member, meetup).get().status == Status.DROPPED


def test_a_message_from_a_woman_she_blocked_is_not_emailed_to_her(
    smtp_sink, run_on_commit, coming, meetup
):
    Block.objects.create(blocker=coming.member, blocked=coming.other_member.member)
    say(run_on_commit, coming.other_member.member, meetup, "Tess here")
    assert not rows_for(coming.member, meetup).exists()


def test_a_message_from_a_woman_who_blocked_her_is_left_out_of_her_email(
    smtp_sink, run_on_commit, coming, meetup
):
    say(run_on_commit, coming.organizer, meetup, "Olivia here")
    say(run_on_commit, coming.other_member.member, meetup, "Tess here")
    Block.objects.create(blocker=coming.other_member.member, blocked=coming.member)
    outbox_dispatch()
    (body,) = bodies(smtp_sink, coming.member)
    assert "Olivia here" in body
    assert "Tess here" not in body


def test_an_email_with_nothing_left_to_list_is_dropped(smtp_sink, run_on_commit, coming, meetup):
    message = say(run_on_commit, coming.other_member.member, meetup, "Buy my leggings")
    message_hide(message=message, by=coming.organizer)
    outbox_dispatch()
    assert smtp_sink.inbox.to(coming.member.email) == []
    assert rows_for(coming.member, meetup).get().status == Status.DROPPED


def test_she_gets_none_once_she_says_she_can_t_go(smtp_sink, run_on_commit, coming, meetup):
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    Rsvp.objects.filter(meetup=meetup, member=coming.member).update(response="cant_go")
    outbox_dispatch()
    assert smtp_sink.inbox.to(coming.member.email) == []


def test_the_email_offers_a_one_click_stop_for_conversation_emails(
    smtp_sink, run_on_commit, coming, meetup
):
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(coming.member.email)
    url = mail["List-Unsubscribe"].strip()[1:-1]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert links.unsubscribe_from(url.rstrip("/").rsplit("/", 1)[-1])[1] == CONVERSATION
    assert f"Stop these emails: {url}" in mail.get_body(("plain",)).get_content()
    assert escape(url) in mail.get_body(("html",)).get_content()


def test_the_one_click_post_turns_conversation_emails_off_and_drops_waiting_ones(
    run_on_commit, coming, meetup
):
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    token = links.unsubscribe_token(member=coming.member, topic=CONVERSATION)
    response = Client(enforce_csrf_checks=True).post(
        reverse("notifications:email_unsubscribe", args=[token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert "emails about meetup conversations" in response.content.decode()
    coming.member.profile.refresh_from_db()
    assert coming.member.profile.conversation_emails is False
    assert rows_for(coming.member, meetup).get().status == Status.DROPPED


def test_turning_them_off_in_her_preferences_drops_what_waits(run_on_commit, coming, meetup):
    say(run_on_commit, coming.organizer, meetup, "Can we do the café instead?")
    run_on_commit(
        profile_set_notification_preferences,
        profile=coming.member.profile,
        preferences={"conversation_emails": False},
    )
    assert rows_for(coming.member, meetup).get().status == Status.DROPPED
    say(run_on_commit, coming.organizer, meetup, "Anyone?")
    assert rows_for(coming.member, meetup).count() == 1


def test_what_members_wrote_is_escaped_in_the_html_email(smtp_sink, run_on_commit, coming, meetup):
    say(run_on_commit, coming.organizer, meetup, '<img src=x onerror=alert(1)> "quoted"')
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(coming.member.email)
    html = mail.get_body(("html",)).get_content()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
