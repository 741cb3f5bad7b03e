import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TARGETS = ("reported_user", "reported_group", "reported_meetup", "reported_message")


def exactly_one_of(fields: tuple[str, ...]) -> models.Q:
    """One of the fields is set and every other one is empty."""
    return reduce(
        operator.or_,
        (
            models.Q(**{f"{field}__isnull": field != chosen for field in fields})
            for chosen in fields
        ),
    )


class Report(models.Model):
    """A member tells the site's team about a member, a group, a meetup or a message in a
    meetup's conversation. The reported side is never told who reported. A reported message
    is protected: deleting it (her own delete, her account's) only hides it, so the team can
    still read what was said."""

    class Reason(models.TextChoices):
        HARASSMENT = "harassment", _("Harassment or bullying")
        INAPPROPRIATE = "inappropriate", _("Offensive or inappropriate content")
        SPAM = "spam", _("Spam, scams or selling")
        FAKE = "fake", _("Fake profile or not who she says she is")
        CHILD_SAFETY = "child_safety", _("A risk to children")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        ACTIONED = "actioned", _("Actioned")

    class Outcome(models.TextChoices):
        """What the team did, stored as a code and read in the reader's language."""

        DISMISSED = "dismissed", _("Dismissed.")
        WARNED = "warned", _("Warned.")
        SUSPENDED = "suspended", _("Suspended.")
        GROUP_ARCHIVED = "group_archived", _("Group archived.")
        GROUP_ALREADY_ARCHIVED = "group_already_archived", _("The group was already archived.")
        MEETUP_CANCELLED = "meetup_cancelled", _("Meetup cancelled.")
        MEETUP_ALREADY_CANCELLED = (
            "meetup_already_cancelled",
            _("The meetup was already cancelled."),
        )
        MESSAGE_HIDDEN = "message_hidden", _("Message hidden.")
        MESSAGE_ALREADY_GONE = "message_already_gone", _("The message was already off the page.")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reports_made"
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports_received",
    )
    reported_group = models.ForeignKey(
        "groups.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    reported_meetup = models.ForeignKey(
        "scheduling.Meetup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    reported_message = models.ForeignKey(
        "conversation.Message",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(
        max_length=200, choices=Outcome.choices, blank=True, help_text="What the team did about it."
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_of(TARGETS), name="report_has_exactly_one_target"
            ),
        ]

    def __str__(self) -> str:
        return f"Report #{self.pk} about {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.reported_group_id:
            return f"the group {self.reported_group}"
        if self.reported_meetup_id:
            return f"the meetup {self.reported_meetup}"
        if self.reported_message_id:
            return f"a message in the meetup {self.reported_message.meetup}"
        profile = getattr(self.reported_user, "profile", None)
        return f"{profile.display_name if profile else 'a member'} ({self.reported_user})"
