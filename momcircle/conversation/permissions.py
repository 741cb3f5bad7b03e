"""Who may read, write, change and hide messages: used by services, views and templates.

A meetup's conversation is for the members of its group, like the rest of its details; a block
keeps two women's messages from each other both ways."""

from datetime import datetime

from django.utils import timezone

from groups import permissions as group_permissions
from momcircle.conversation.models import Message
from momcircle.profiles.models import Block
from scheduling import permissions as meetup_permissions
from scheduling.models import Meetup

NOT_YOURS = "You can edit or delete only your own messages."
TOO_LATE = "A message can be edited or deleted only in the first 15 minutes after posting."
GONE = "This message is no longer there."


def can_read(user, meetup: Meetup) -> bool:
    return meetup_permissions.can_see_details(user, meetup)


def post_refusal(user, meetup: Meetup) -> str | None:
    """Why she may not post on the meetup's page, or None when she may."""
    if not group_permissions.is_member(user, meetup.group):
        return group_permissions.NOT_A_MEMBER
    if meetup.group.is_archived:
        return group_permissions.ARCHIVED
    return None


def can_post(user, meetup: Meetup) -> bool:
    return post_refusal(user, meetup) is None


def can_see_message(user, message: Message) -> bool:
    """A member sees a message still shown, unless she and its author are kept apart."""
    return (
        can_read(user, message.meetup)
        and message.is_shown
        and (
            message.author_id in (None, user.pk)
            or not Block.objects.between(user, message.author_id).exists()
        )
    )


def change_refusal(user, message: Message, now: datetime | None = None) -> str | None:
    """Why she may not edit or delete the message, or None: it is hers, still shown, and at
    most 15 minutes old, and she may still post on the meetup."""
    if message.author_id != user.pk:
        return NOT_YOURS
    if not message.is_shown:
        return GONE
    if (now or timezone.now()) > message.changeable_until():
        return TOO_LATE
    return post_refusal(user, message.meetup)


def can_change(user, message: Message, now: datetime | None = None) -> bool:
    return change_refusal(user, message, now) is None


def can_hide(user, message: Message) -> bool:
    """The group's organizers and co-organizers, or the MomCircle team (from a report, in the
    admin; the site's own pages check can_manage)."""
    return group_permissions.can_manage(user, message.meetup.group) or user.is_staff
