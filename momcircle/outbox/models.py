from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """One email to send: what, to whom, when. The row is the source of truth, so a message
    survives a broker outage or a killed worker, and the unique constraint makes a second
    send of the same message impossible."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        DROPPED = "dropped", "No longer needed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    subject = models.CharField(
        max_length=80,
        blank=True,
        help_text='What the message is about, as "<model>:<id>" (see subject_key), if anything.',
    )
    kind = models.CharField(max_length=40)
    occurrence = models.CharField(
        max_length=80, blank=True, help_text="Tells apart repeats of a kind, e.g. a start time."
    )
    due_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.BigIntegerField(
        null=True, blank=True, help_text="The claiming worker holds an advisory lock on it."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject", "kind", "occurrence"],
                name="outbox_each_message_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} ({self.status})"

    def subject_pk(self, model_name: str) -> int | None:
        """The id in the subject when the message is about a `model_name`, else None."""
        name, _, pk = self.subject.partition(":")
        return int(pk) if name == model_name and pk.isascii() and pk.isdigit() else None


def subject_key(instance: models.Model) -> str:
    """The subject key of what a message is about: "meetup:42". The outbox knows no model,
    so any app can queue mail about its own things."""
    return f"{instance._meta.model_name}:{instance.pk}"
