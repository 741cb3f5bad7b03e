import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower, Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from momcircle.availability.windows import (
    KID_FREE,
    KIDS_ALONG,
    MINUTES_PER_DAY,
    STEP_MINUTES,
    WeeklyWindow,
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Email is the login; there is no username."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class WorkPattern(models.TextChoices):
    FULL_TIME_ON_SITE = "full_time_on_site", _("Full-time on site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE = "remote", _("Remote")
    PART_TIME = "part_time", _("Part-time")
    SHIFTS = "shifts", _("Shifts")


class AgeBand(models.TextChoices):
    BABY = "baby", _("Baby (under 1)")
    TODDLER = "toddler", _("Toddler (1–2)")
    PRESCHOOL = "preschool", _("Preschool (3–5)")
    SCHOOL_AGE = "school_age", _("School age (6–12)")
    TEEN = "teen", _("Teen (13+)")


class LookingFor(models.TextChoices):
    MOMS_NIGHT_OUT = "moms_night_out", _("Moms' night out")
    WEEKEND_FAMILY = "weekend_family", _("Weekend family meetups")
    WALKS = "walks", _("Walks")
    ONLINE_CHATS = "online_chats", _("Online chats")


class ReminderTiming(models.TextChoices):
    EVENING_BEFORE = "evening_before", _("The evening before")
    HOURS_BEFORE = "hours_before", _("A few hours before")
    BOTH = "both", _("Both")
    NONE = "none", _("No reminders")


class Announcements(models.TextChoices):
    IMMEDIATELY = "immediately", _("Right away")
    WEEKLY_DIGEST = "weekly_digest", _("In a weekly digest")
    OFF = "off", _("Off")


class KidMode(models.TextChoices):
    """Whether the kids come along: to a weekly window, a meetup, a circle's shared time."""

    KID_FREE = KID_FREE, _("Kid-free")
    KIDS_ALONG = KIDS_ALONG, _("Kids along")


def _no_kids() -> dict[str, int]:
    return {}


class Profile(models.Model):
    """What a member tells about herself. Location is a ZIP centroid, never an address."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    first_name = models.CharField(max_length=40)
    last_initial = models.CharField(max_length=1, help_text=_("The first letter of her last name."))
    zip_code = models.CharField(_("ZIP code"), max_length=5)
    latitude = models.FloatField(help_text="Centroid of the ZIP code.")
    longitude = models.FloatField(help_text="Centroid of the ZIP code.")
    time_zone = models.CharField(max_length=64)
    work_pattern = models.CharField(max_length=20, choices=WorkPattern.choices)
    kids = models.JSONField(default=_no_kids, blank=True, help_text="Count per age band.")
    looking_for = ArrayField(models.CharField(max_length=20, choices=LookingFor.choices))
    interests = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the site and of your emails once you are logged in."),
    )

    reminder_timing = models.CharField(
        max_length=20, choices=ReminderTiming.choices, default=ReminderTiming.BOTH
    )
    reminder_evening_time = models.TimeField(default=datetime.time(20, 0))
    reminder_hours_before = models.PositiveSmallIntegerField(default=2)
    announcements = models.CharField(
        max_length=20, choices=Announcements.choices, default=Announcements.IMMEDIATELY
    )
    meetup_updates = models.BooleanField(
        _("updates about my meetups"),
        default=True,
        help_text="Changes, cancellations, a seat off the waitlist, quorum reached or missed.",
    )
    conversation_emails = models.BooleanField(
        _("new messages in my meetups' conversations"),
        default=True,
        help_text="At most one email per meetup every 30 minutes, while she is going or maybe.",
    )
    circle_proposals = models.BooleanField(
        "circle proposals",
        default=True,
        help_text="A circle MomCircle found for her, and a pause when she let two pass.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="profile_lat_lng")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reminder_hours_before__gte=1, reminder_hours_before__lte=48),
                name="profile_reminder_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """What other members see: first name and last initial."""
        initial = f" {self.last_initial}." if self.last_initial else ""
        return f"{self.first_name}{initial}"

    @property
    def kids_summary(self) -> list[str]:
        return [
            f"{self.kids[band]} × {label}" for band, label in AgeBand.choices if self.kids.get(band)
        ]

    @property
    def looking_for_labels(self) -> list[str]:
        labels = dict(LookingFor.choices)
        return [labels[value] for value in self.looking_for if value in labels]

    @property
    def is_onboarded(self) -> bool:
        return self.onboarded_at is not None


def weekly_window_checks(prefix: str) -> list[models.CheckConstraint]:
    """What makes the columns weekday, start_minute, end_minute and mode one weekly window (see
    momcircle.availability.windows): a day of the week, times on the step, not empty, a known
    kid mode. The constraints are named `<prefix>_...`."""
    return [
        models.CheckConstraint(condition=models.Q(weekday__lte=6), name=f"{prefix}_weekday_range"),
        models.CheckConstraint(
            condition=models.Q(start_minute__lte=MINUTES_PER_DAY - STEP_MINUTES)
            & models.Q(Exact(Mod("start_minute", STEP_MINUTES), 0)),
            name=f"{prefix}_start_on_step",
        ),
        models.CheckConstraint(
            condition=models.Q(end_minute__gte=STEP_MINUTES, end_minute__lte=MINUTES_PER_DAY)
            & models.Q(Exact(Mod("end_minute", STEP_MINUTES), 0)),
            name=f"{prefix}_end_on_step",
        ),
        models.CheckConstraint(
            condition=~models.Q(start_minute=models.F("end_minute")), name=f"{prefix}_not_empty"
        ),
        models.CheckConstraint(
            condition=models.Q(mode__in=KidMode.values), name=f"{prefix}_mode_known"
        ),
    ]


class AvailabilityWindow(models.Model):
    """One recurring weekly window of a member, in her local wall-clock time.

    Minutes count from local midnight; an end at or before the start is on the next day
    (see momcircle.availability.windows). Services store windows merged, so they do not overlap
    within a mode.
    """

    member = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="availability_windows",
        db_index=False,  # the named index in Meta is the one index on member
    )
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday.")
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=10, choices=KidMode.choices)

    class Meta:
        indexes = [models.Index(fields=["member"], name="availability_member")]
        constraints = weekly_window_checks("availability")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.weekday} {self.start_minute}-{self.end_minute} {self.mode}"

    def to_weekly(self) -> WeeklyWindow:
        return WeeklyWindow(self.weekday, self.start_minute, self.end_minute, self.mode)


class WeeklyFreeSlots(models.Model):
    """The half-hour slots of her local week that her windows cover, kept in step with her
    windows so group summaries and browse never expand windows per request."""

    member = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="weekly_free_slots",
    )
    slots = ArrayField(models.SmallIntegerField(), default=list, blank=True)

    class Meta:
        verbose_name_plural = "weekly free slots"

    def __str__(self) -> str:
        return f"{self.member_id}: {len(self.slots)} slots"


class BlockQuerySet(models.QuerySet):
    def between(self, first, second) -> "BlockQuerySet":
        """Blocks either way between two women."""
        return self.filter(
            models.Q(blocker=first, blocked=second) | models.Q(blocker=second, blocked=first)
        )

    def kept_apart_from(self, user) -> models.QuerySet:
        """The ids of the women she blocked and of those who blocked her, as a subquery:
        `.exclude(member__in=Block.objects.kept_apart_from(viewer))`."""
        return (
            self.filter(models.Q(blocker=user) | models.Q(blocked=user))
            .annotate(
                other=models.Case(
                    models.When(blocker=user, then=models.F("blocked")),
                    default=models.F("blocker"),
                )
            )
            .values("other")
        )


class Block(models.Model):
    """She never wants to meet this member: neither sees the other in member lists or
    suggestions, and the blocked one cannot join a group the blocker organizes."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    objects = BlockQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_herself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"
