"""Writes of meetup conversations: post, edit, delete and hide messages, mute a conversation,
and let go of a member's messages when her account goes.

Each rule is checked here with the message row locked; a broken rule raises RuleBroken with
the sentence the member reads. A new message is told to the apps above after the commit
(conversation.events), which email it in batches to those coming."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from groups import permissions as group_permissions
from momcircle.conversation import events, permissions
from momcircle.conversation.models import MAX_LENGTH, ConversationMute, Message
from momcircle.conversation.text import cleaned
from momcircle.events import send_after_commit
from momcircle.ratelimit import MESSAGES, spend
from momcircle.rules import RuleBroken
from scheduling.models import Meetup

User = get_user_model()


def _checked_text(text: str) -> str:
    text = cleaned(text)
    RuleBroken.unless(bool(text), "Write a message first.")
    RuleBroken.unless(
        len(text) <= MAX_LENGTH, f"Keep your message to {MAX_LENGTH:,} characters or fewer."
    )
    return text


def _locked(message: Message) -> Message:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("meetup__group")
        .get(pk=message.pk)
    )


@transaction.atomic
def message_post(
    *, meetup: Meetup, author: User, text: str, now: datetime | None = None
) -> Message:
    """Her message on the meetup's page, for the members of its group."""
    meetup = Meetup.objects.select_related("group").get(pk=meetup.pk)
    RuleBroken.when(permissions.post_refusal(author, meetup))
    text = _checked_text(text)
    spend(MESSAGES, member=author)
    message = Message.objects.create(
        meetup=meetup, author=author, text=text, created_at=now or timezone.now()
    )
    send_after_commit(events.message_posted, sender=Message, message=message)
    return message


@transaction.atomic
def message_edit(*, message: Message, by: User, text: str, now: datetime | None = None) -> Message:
    """Her own message, said better, in the first 15 minutes."""
    now = now or timezone.now()
    message = _locked(message)
    RuleBroken.when(permissions.change_refusal(by, message, now))
    text = _checked_text(text)
    spend(MESSAGES, member=by)
    if text != message.text:
        message.text, message.edited_at = text, now
        message.save(update_fields=["text", "edited_at"])
    return message


@transaction.atomic
def message_delete(*, message: Message, by: User, now: datetime | None = None) -> None:
    """Her own message, gone, in the first 15 minutes (kept for the team when reported)."""
    now = now or timezone.now()
    message = _locked(message)
    RuleBroken.when(permissions.change_refusal(by, message, now))
    _erase(message, now)


def _erase(message: Message, now: datetime) -> None:
    """Deleted for good, or, when a report protects it, kept for the team and shown nobody."""
    try:
        with transaction.atomic():
            message.delete()
    except ProtectedError:
        Message.objects.filter(pk=message.pk).update(deleted_at=now)


@transaction.atomic
def message_hide(*, message: Message, by: User, now: datetime | None = None) -> Message:
    """Taken off the page by an organizer of the group, or by the team from a report."""
    message = _locked(message)
    RuleBroken.unless(permissions.can_hide(by, message), group_permissions.ONLY_ORGANIZERS)
    if message.hidden_at is None:
        message.hidden_at, message.hidden_by = now or timezone.now(), by
        message.save(update_fields=["hidden_at", "hidden_by"])
    return message


@transaction.atomic
def conversation_mute(*, meetup: Meetup, member: User, muted: bool) -> bool:
    """No more emails about this meetup's conversation for her, or again. Returns `muted`."""
    RuleBroken.unless(permissions.can_read(member, meetup), group_permissions.NOT_A_MEMBER)
    if muted:
        ConversationMute.objects.get_or_create(meetup=meetup, member=member)
    else:
        ConversationMute.objects.filter(meetup=meetup, member=member).delete()
    return muted


@transaction.atomic
def messages_erase(*, author: User, now: datetime | None = None) -> int:
    """Her account is going: every message of hers goes too, but those a report refers to,
    which stay for the team, shown to nobody. Returns how many there were."""
    now = now or timezone.now()
    mine = list(Message.objects.filter(author=author).select_for_update())
    for message in mine:
        _erase(message, now)
    return len(mine)
