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
    meetup = models.ForeignKey(
        "scheduling.Meetup", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
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
                fields=["recipient", "meetup", "kind", "occurrence"],
                nulls_distinct=False,
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
