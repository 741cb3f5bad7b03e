from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Mod
from django.db.models.lookups import Exact

from scheduling.availability import MINUTES_PER_DAY, MODES, STEP_MINUTES, WeeklyWindow


class AvailabilityWindow(models.Model):
    """One recurring weekly window of a member, in her local wall-clock time.

    Minutes count from local midnight; an end at or before the start is on the next day
    (see scheduling.availability). Services store windows merged, so they do not overlap
    within a mode.
    """

    class Mode(models.TextChoices):
        KID_FREE = "kid_free", "Kid-free"
        KIDS_ALONG = "kids_along", "Kids along"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="availability_windows",
        db_index=False,  # the named index in Meta is the one index on member
    )
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday.")
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=10, choices=Mode.choices)

    class Meta:
        indexes = [models.Index(fields=["member"], name="availability_member")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="availability_weekday_range"
            ),
            models.CheckConstraint(
                condition=models.Q(start_minute__lte=MINUTES_PER_DAY - STEP_MINUTES)
                & models.Q(Exact(Mod("start_minute", STEP_MINUTES), 0)),
                name="availability_start_on_step",
            ),
            models.CheckConstraint(
                condition=models.Q(end_minute__gte=STEP_MINUTES, end_minute__lte=MINUTES_PER_DAY)
                & models.Q(Exact(Mod("end_minute", STEP_MINUTES), 0)),
                name="availability_end_on_step",
            ),
            models.CheckConstraint(
                condition=~models.Q(start_minute=models.F("end_minute")),
                name="availability_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=MODES), name="availability_mode_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.weekday} {self.start_minute}-{self.end_minute} {self.mode}"

    def to_weekly(self) -> WeeklyWindow:
        return WeeklyWindow(self.weekday, self.start_minute, self.end_minute, self.mode)


class WeeklyFreeSlots(models.Model):
    """The half-hour slots of her local week that her windows cover, kept in step with her
    windows so group summaries and browse never expand windows per request."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="weekly_free_slots",
    )
    slots = ArrayField(models.SmallIntegerField(), default=list, blank=True)

    class Meta:
        verbose_name_plural = "weekly free slots"

    def __str__(self) -> str:
        return f"{self.member_id}: {len(self.slots)} slots"
