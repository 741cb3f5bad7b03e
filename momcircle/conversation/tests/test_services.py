from datetime import timedelta

import pytest
from django.utils import timezone

from groups.models import Group
from momcircle.conversation import events
from momcircle.conversation.models import ConversationMute, Message
from momcircle.conversation.services import (
    conversation_mute,
    message_delete,
    message_edit,
    message_hide,
    messages_erase,
)
from momcircle.moderation.models import Report
from momcircle.ratelimit import MESSAGES
from momcircle.rules import RuleBroken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_posts_a_short_message_on_the_meetup(circle, meetup, say):
    message = say(circle.member, meetup, "  I'll bring snacks  ")
    assert (message.meetup, message.author, message.text) == (
        meetup,
        circle.member,
        "I'll bring snacks",
    )
    assert message.edited_at is None


@pytest.mark.parametrize("position", ["stranger", "pending"])
def test_only_members_of_the_group_post(circle, meetup, say, position):
    with pytest.raises(RuleBroken, match="Only members of this group"):
        say(circle.person(position), meetup, "Hello!")
    assert not Message.objects.exists()


def test_nobody_posts_in_an_archived_group(circle, meetup, say):
    Group.objects.filter(pk=circle.group.pk).update(is_archived=True)
    with pytest.raises(RuleBroken, match="archived"):
        say(circle.organizer, meetup, "Anyone?")


@pytest.mark.parametrize("text", ["", "   ", "\x00\x07", "\r\n\t"])
def test_an_empty_message_is_refused(circle, meetup, say, text):
    with pytest.raises(RuleBroken, match="Write a message first"):
        say(circle.member, meetup, text)


def test_two_thousand_characters_is_the_most_line_breaks_counting_once(circle, meetup, say):
    lines = "\r\n".join(["x" * 99] * 20)  # 1,980 letters and 19 breaks a browser sends as 2
    assert len(say(circle.member, meetup, lines).text) == 1999
    with pytest.raises(RuleBroken, match="2,000 characters or fewer"):
        say(circle.member, meetup, "x" * 2001)


def test_control_characters_are_stripped_and_line_breaks_kept(circle, meetup, say):
    message = say(circle.member, meetup, "Running\x1b late\x00\r\n10 minutes")
    assert message.text == "Running late\n10 minutes"


def test_a_new_message_is_told_after_the_commit(
    circle, meetup, say, django_capture_on_commit_callbacks
):
    heard = []

    def listen(sender, *, message, **kwargs):
        heard.append(message)

    events.message_posted.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = say(circle.member, meetup, "See you there")
            assert heard == []
    finally:
        events.message_posted.disconnect(listen)
    assert heard == [message]


def test_posting_is_limited_per_member(circle, meetup, say):
    for _ in range(MESSAGES.count):
        say(circle.member, meetup, "ok")
    with pytest.raises(RuleBroken, match="try again in a while"):
        say(circle.member, meetup, "one more")
    say(circle.organizer, meetup, "Others still can")


# --- edit and delete --------------------------------------------------------------------------


def test_she_edits_her_own_message_in_its_first_15_minutes(circle, meetup, say):
    message = say(circle.member, meetup, "Runing late")
    later = message.created_at + timedelta(minutes=14)
    edited = message_edit(message=message, by=circle.member, text="Running late", now=later)
    assert (edited.text, edited.edited_at) == ("Running late", later)


def test_after_15_minutes_her_message_stays_as_it_is(circle, meetup, say):
    message = say(circle.member, meetup, "Runing late")
    later = message.created_at + timedelta(minutes=15, seconds=1)
    with pytest.raises(RuleBroken, match="first 15 minutes"):
        message_edit(message=message, by=circle.member, text="Running late", now=later)
    with pytest.raises(RuleBroken, match="first 15 minutes"):
        message_delete(message=message, by=circle.member, now=later)
    assert Message.objects.get().text == "Runing late"


@pytest.mark.parametrize("position", ["organizer", "co_organizer", "other_member"])
def test_nobody_else_edits_or_deletes_her_message(circle, meetup, say, position):
    woman = circle.other_member.member if position == "other_member" else circle.person(position)
    message = say(circle.member, meetup, "I'll bring snacks")
    with pytest.raises(RuleBroken, match="only your own messages"):
        message_edit(message=message, by=woman, text="I'll bring nothing")
    with pytest.raises(RuleBroken, match="only your own messages"):
        message_delete(message=message, by=woman)
    assert Message.objects.get().text == "I'll bring snacks"


def test_she_deletes_her_message_and_it_is_gone(circle, meetup, say):
    message = say(circle.member, meetup, "Wrong meetup, sorry")
    message_delete(message=message, by=circle.member)
    assert not Message.objects.exists()


def test_a_reported_message_she_deletes_stays_for_the_team_shown_to_nobody(circle, meetup, say):
    message = say(circle.member, meetup, "Something rude")
    Report.objects.create(reporter=circle.organizer, reported_message=message, reason="harassment")
    message_delete(message=message, by=circle.member)
    kept = Message.objects.get()
    assert (kept.text, kept.is_shown) == ("Something rude", False)
    assert kept.deleted_at is not None


# --- hide -------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", ["organizer", "co_organizer"])
def test_the_organizers_hide_a_message(circle, meetup, say, position):
    message = say(circle.member, meetup, "Buy my leggings")
    hidden = message_hide(message=message, by=circle.person(position))
    assert hidden.hidden_by == circle.person(position)
    assert not Message.objects.shown().exists()


def test_a_member_does_not_hide_someone_else_s_message(circle, meetup, say):
    message = say(circle.member, meetup, "Buy my leggings")
    with pytest.raises(RuleBroken, match="Only the organizers"):
        message_hide(message=message, by=circle.other_member.member)
    assert Message.objects.shown().exists()


def test_the_team_hides_a_message_from_a_report(circle, meetup, say):
    message = say(circle.member, meetup, "Buy my leggings")
    team = UserFactory(is_staff=True)
    assert message_hide(message=message, by=team).hidden_by == team


# --- mute -------------------------------------------------------------------------------------


def test_she_mutes_a_conversation_and_unmutes_it(circle, meetup):
    conversation_mute(meetup=meetup, member=circle.member, muted=True)
    conversation_mute(meetup=meetup, member=circle.member, muted=True)
    assert ConversationMute.objects.filter(meetup=meetup, member=circle.member).count() == 1
    conversation_mute(meetup=meetup, member=circle.member, muted=False)
    assert not ConversationMute.objects.exists()


def test_only_members_mute_a_conversation(circle, meetup):
    with pytest.raises(RuleBroken, match="Only members"):
        conversation_mute(meetup=meetup, member=circle.stranger, muted=True)


# --- her account goes -------------------------------------------------------------------------


def test_her_messages_go_with_her_account_but_a_reported_one_stays_hidden(circle, meetup, say):
    say(circle.member, meetup, "See you there")
    reported = say(circle.member, meetup, "Something rude")
    say(circle.organizer, meetup, "Welcome!")
    Report.objects.create(reporter=circle.organizer, reported_message=reported, reason="other")
    assert messages_erase(author=circle.member, now=timezone.now()) == 2
    assert list(Message.objects.shown().values_list("text", flat=True)) == ["Welcome!"]
    assert Message.objects.get(pk=reported.pk).deleted_at is not None
