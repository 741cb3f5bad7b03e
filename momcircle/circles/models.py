"""Her wish for a circle, and the circles proposed to members (see the README, "How circles
form"). The engine modules of this package are pure; these are its rows."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from momcircle.availability.windows import EITHER, WeeklyWindow
from momcircle.profiles.models import KidMode, weekly_window_checks


class Radius(models.IntegerChoices):
    ONE = 1, _("1 mile")
    THREE = 3, _("3 miles")
    FIVE = 5, _("5 miles")
    TEN = 10, _("10 miles")


class CircleSize(models.TextChoices):
    SMALL = "small", _("Small: 4 or 5 of us")
    LARGE = "large", _("Larger: 6 to 8 of us")

    @property
    def bounds(self) -> tuple[int, int]:
        """(smallest, largest) circle she likes."""
        return (4, 5) if self == CircleSize.SMALL else (6, 8)


class Style(models.TextChoices):
    """The kid mode she wants her circle to meet in (KidMode), or either."""

    KID_FREE = KidMode.KID_FREE, _("Kid-free evenings")
    KIDS_ALONG = KidMode.KIDS_ALONG, _("Family weekends, kids along")
    EITHER = EITHER, _("Either")


class CircleWish(models.Model):
    """She asked MomCircle to find her a circle ("Find me a circle"), with what she likes.

    ``lapses`` counts the proposals in a row she let pass without an answer; at two she is
    paused (``paused_at``) until she resumes."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_wish"
    )
    radius_miles = models.PositiveSmallIntegerField(
        "how far she will go", choices=Radius.choices, default=Radius.THREE
    )
    size = models.CharField(max_length=10, choices=CircleSize.choices, default=CircleSize.SMALL)
    match_kids = models.BooleanField("kids' ages should match", default=False)
    style = models.CharField(max_length=10, choices=Style.choices, default=Style.EITHER)
    active = models.BooleanField(default=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    lapses = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(radius_miles__in=Radius.values), name="wish_radius_known"
            ),
            models.CheckConstraint(
                condition=models.Q(size__in=CircleSize.values), name="wish_size_known"
            ),
            models.CheckConstraint(
                condition=models.Q(style__in=Style.values), name="wish_style_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Circle wish of {self.member_id}"

    @property
    def is_looking(self) -> bool:
        return self.active and self.paused_at is None


class Proposal(models.Model):
    """A circle the engine proposed: its members have a seat each, and the weekly window they
    all share on the wall clock of its zone (``weekday``, ``start_minute``, ``end_minute``, as
    availability windows are stored). ``proposed_start``/``proposed_end``: the first meetup
    it would book. Once enough said _("I'm in") it is ``formed``: a group with its first meetup;
    later answers join the group until the deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for answers")
        FORMED = "formed", _("Formed a group")
        LAPSED = "lapsed", _("Lapsed")

    zone = models.CharField(max_length=64)
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday.")
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=10, choices=KidMode.choices)
    proposed_start = models.DateTimeField()
    proposed_end = models.DateTimeField()
    deadline = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    group = models.OneToOneField(
        "groups.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    first_meetup = models.OneToOneField(
        "scheduling.Meetup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            *weekly_window_checks("proposal"),
            models.CheckConstraint(
                condition=models.Q(proposed_start__lt=models.F("proposed_end")),
                name="proposal_meetup_starts_before_it_ends",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("created_at")),
                name="proposal_deadline_after_it_was_made",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "formed", "lapsed"]),
                name="proposal_status_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="proposal_status_deadline")]

    def __str__(self) -> str:
        return f"Circle proposal {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("circles:proposal", args=[self.pk])

    @property
    def window(self) -> WeeklyWindow:
        return WeeklyWindow(self.weekday, self.start_minute, self.end_minute, self.mode)


class ProposalSeat(models.Model):
    """Her place in a proposed circle and her answer. ``live`` while the seat holds her out of
    the pool: her answer is still to come (or she said _("I'm in") before the circle formed) and
    the proposal still takes answers. A member holds at most one live seat."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        IN = "in", _("I'm in")
        OUT = "out", _("Not this one")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_seats"
    )
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    live = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="one_seat_per_proposal"),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(live=True),
                name="one_live_seat_per_member",
                violation_error_message="She is already in another proposed circle.",
            ),
            models.CheckConstraint(
                condition=models.Q(answer__in=["pending", "in", "out"]),
                name="seat_answer_known",
            ),
            models.CheckConstraint(
                condition=models.Q(answer="pending", answered_at__isnull=True)
                | (~models.Q(answer="pending") & models.Q(answered_at__isnull=False)),
                name="seat_answered_when_she_answered",
            ),
            models.CheckConstraint(
                condition=~models.Q(answer="out", live=True), name="seat_out_is_not_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in proposal {self.proposal_id}: {self.answer}"
