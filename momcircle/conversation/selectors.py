"""Reads of meetup conversations: what a member sees on the page, and the new messages an
email lists for her. Both leave out hidden and deleted messages and those of women kept apart
from her by a block, either way."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from momcircle.conversation.models import ConversationMute, Message
from momcircle.profiles.models import Block
from scheduling.models import Meetup

# The page lists the latest messages; "Show earlier messages" lists them all.
LATEST = 30


def shown_to(viewer, meetup: Meetup) -> QuerySet:
    """The meetup's messages she may read, with their authors' names (the block is a
    subquery, so this stays one query)."""
    return (
        Message.objects.shown()
        .filter(meetup=meetup)
        .exclude(author__in=Block.objects.kept_apart_from(viewer))
        .select_related("author__profile")
    )


@dataclass(frozen=True)
class Conversation:
    meetup: Meetup
    messages: list[Message]  # oldest first
    earlier: bool  # older messages were left out
    muted: bool  # she wants no emails about it

    @property
    def fingerprint(self) -> str:
        """Changes whenever what she sees changes: a message new, edited, hidden or deleted."""
        edits = max((m.edited_at.timestamp() for m in self.messages if m.edited_at), default=0)
        seen = [len(self.messages), self.earlier, edits, *(m.pk for m in self.messages)]
        return hashlib.sha256(repr(seen).encode()).hexdigest()[:16]


def conversation_of(
    meetup: Meetup, viewer, *, everything: bool = False, latest: int = LATEST
) -> Conversation:
    """Her view of the meetup's conversation: the latest messages, or all of them (two
    queries however many there are)."""
    newest_first = shown_to(viewer, meetup).order_by("-created_at", "-pk")
    rows = list(newest_first if everything else newest_first[: latest + 1])
    earlier = not everything and len(rows) > latest
    messages = rows[:latest] if earlier else rows
    for message in messages:
        message.meetup = meetup
    messages.reverse()
    return Conversation(
        meetup=meetup, messages=messages, earlier=earlier, muted=is_muted(viewer, meetup)
    )


def news_for(
    member, meetup: Meetup, *, since: datetime | None, limit: int
) -> tuple[list[Message], bool]:
    """The latest `limit` messages posted since `since` that she may read, not her own,
    oldest first, and whether there were more."""
    news = shown_to(member, meetup).exclude(author=member)
    if since is not None:
        news = news.filter(created_at__gt=since)
    latest = list(news.order_by("-created_at", "-pk")[: limit + 1])
    more = len(latest) > limit
    latest = latest[:limit]
    latest.reverse()
    return latest, more


def is_muted(member, meetup: Meetup) -> bool:
    return ConversationMute.objects.filter(meetup=meetup, member=member).exists()
