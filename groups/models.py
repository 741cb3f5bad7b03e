import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from momcircle.availability.slots import SLOTS_PER_WEEK
from momcircle.availability.windows import EITHER
from momcircle.profiles.models import AgeBand, KidMode

DEFAULT_SIZE_CAP = 12


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class MeetingStyle(models.TextChoices):
    KID_FREE_EVENINGS = "kid_free_evenings", _("Kid-free evenings")
    FAMILY_WEEKENDS = "family_weekends", _("Family weekends")
    BOTH = "both", _("Both")

    @property
    def kid_wish(self) -> str:
        """The kid mode its meetups have (KidMode), or EITHER."""
        return {
            MeetingStyle.KID_FREE_EVENINGS: KidMode.KID_FREE,
            MeetingStyle.FAMILY_WEEKENDS: KidMode.KIDS_ALONG,
        }.get(self, EITHER)


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone nearby can join")
    REQUEST = "request", _("By request: I approve each newcomer")


def active_member_count(group_pk: OuterRef) -> Coalesce:
    """Counts the active members of the group `group_pk` points at, as a subquery, so the
    count stays right whatever else the outer query joins."""
    active = (
        Membership.objects.filter(group=group_pk, status=Membership.Status.ACTIVE)
        .order_by()
        .values("group")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(active), 0)


class GroupQuerySet(models.QuerySet):
    def with_member_count(self) -> "GroupQuerySet":
        return self.annotate(active_count=active_member_count(OuterRef("pk")))


class Group(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(max_length=2000)
    zip_code = models.CharField(_("ZIP code"), max_length=5)
    latitude = models.FloatField()
    longitude = models.FloatField()
    time_zone = models.CharField(max_length=64)
    focus = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    kids_age_focus = ArrayField(
        models.CharField(max_length=20, choices=AgeBand.choices), default=list, blank=True
    )
    meeting_style = models.CharField(max_length=20, choices=MeetingStyle.choices)
    size_cap = models.PositiveSmallIntegerField(default=DEFAULT_SIZE_CAP)
    join_policy = models.CharField(max_length=10, choices=JoinPolicy.choices)
    join_question = models.CharField(max_length=200, blank=True)
    is_listed = models.BooleanField(default=True)
    invite_token = models.CharField(max_length=64, unique=True, default=new_invite_token)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GroupQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="group_lat_lng")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size_cap__gte=2, size_cap__lte=50),
                name="group_size_cap_range",
                violation_error_message=_("A group has room for 2 to 50 members."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", args=[self.slug])

    @cached_property
    def active_count(self) -> int:
        """Members in the group; list pages annotate it (Group.objects.with_member_count())."""
        return self.memberships.filter(status=Membership.Status.ACTIVE).count()

    @property
    def seats_left(self) -> int:
        return max(self.size_cap - self.active_count, 0)

    @property
    def meeting_style_in_words(self) -> str:
        if self.meeting_style == MeetingStyle.BOTH:
            return _("Kid-free evenings and family weekends")
        return self.get_meeting_style_display()

    @property
    def kids_age_focus_labels(self) -> list[str]:
        return [label for band, label in AgeBand.choices if band in self.kids_age_focus]


class Membership(models.Model):
    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        CO_ORGANIZER = "co_organizer", _("Co-organizer")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        PENDING = "pending", _("Asked to join")
        ACTIVE = "active", _("Member")
        DECLINED = "declined", _("Declined")
        BANNED = "banned", _("Removed and banned")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    answer = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When the organizers approved or declined the request."
    )
    decision_message = models.CharField(
        max_length=500, blank=True, help_text="The organizers' note with their answer."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "group"], name="one_membership_per_group"),
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(role="organizer", status="active"),
                name="one_organizer_per_group",
            ),
        ]
        indexes = [models.Index(fields=["group", "status"], name="membership_group_status")]

    def __str__(self) -> str:
        return f"{self.member} in {self.group} ({self.role}, {self.status})"


class GroupWeek(models.Model):
    """How many active members are free in each half-hour slot of the group's local week
    (slot 0 is Monday 00:00). Kept current by groups.services.group_weeks_refresh, so pages
    never expand members' windows per request."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, primary_key=True, related_name="week"
    )
    slot_counts = ArrayField(models.SmallIntegerField(), size=SLOTS_PER_WEEK)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Week of {self.group}"
