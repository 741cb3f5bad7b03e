from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

MAX_LENGTH = 2000
# Her own message is hers to edit or delete for this long after she posted it.
CHANGE_WINDOW = timedelta(minutes=15)


class MessageQuerySet(models.QuerySet):
    def shown(self) -> "MessageQuerySet":
        """Neither hidden by the organizers nor deleted by her: what a page may list."""
        return self.filter(hidden_at__isnull=True, deleted_at__isnull=True)


class Message(models.Model):
    """A member's short message on a meetup's page, in plain text.

    A deleted message is gone, unless a report to the team refers to it (the report's foreign
    key protects it): then it stays for the team, marked deleted and shown to nobody. Its author
    is emptied when her account is deleted for the same reason."""

    meetup = models.ForeignKey(
        "scheduling.Meetup", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="meetup_messages",
    )
    text = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        indexes = [
            # The page lists a meetup's latest shown messages; an email, those since a moment.
            models.Index(
                fields=["meetup", "-created_at"],
                condition=models.Q(hidden_at__isnull=True, deleted_at__isnull=True),
                name="message_meetup_shown",
            ),
            models.Index(fields=["author"], name="message_author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    GreaterThanOrEqual(Length("text"), 1),
                    LessThanOrEqual(Length("text"), MAX_LENGTH),
                ),
                name="message_text_length",
            ),
            models.CheckConstraint(
                condition=models.Q(hidden_by__isnull=True) | models.Q(hidden_at__isnull=False),
                name="message_hidden_by_only_when_hidden",
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 60 else f"{self.text[:59]}…"

    @property
    def is_shown(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None

    def changeable_until(self) -> datetime:
        return self.created_at + CHANGE_WINDOW


class ConversationMute(models.Model):
    """She wants no emails about this meetup's conversation (she still sees it on the page)."""

    meetup = models.ForeignKey("scheduling.Meetup", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_mutes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meetup", "member"], name="one_mute_per_meetup"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} muted meetup {self.meetup_id}"
