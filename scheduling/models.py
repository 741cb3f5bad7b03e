import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from momcircle.availability import recurrence
from momcircle.profiles.models import KidMode

# A venue at someone's home: its address is shown to those going from this long before the
# start, and erased this long after the end.
HOME_ADDRESS_SHOWN_BEFORE = timedelta(hours=24)
HOME_ADDRESS_KEPT_AFTER = timedelta(days=7)


class MeetupQuerySet(models.QuerySet):
    def upcoming(self, now: datetime | None = None) -> "MeetupQuerySet":
        """Not over yet, soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def with_going(self) -> "MeetupQuerySet":
        """Annotates going_count (adults) and going_kids, for seat counts on list pages."""
        going = models.Q(rsvps__response=Rsvp.Response.GOING)
        return self.annotate(
            going_count=models.Count("rsvps", filter=going),
            going_kids=Coalesce(models.Sum("rsvps__kids", filter=going), 0),
        )

    def with_answer_of(self, member) -> "MeetupQuerySet":
        """Annotates her_response and her_position (None when she has not answered)."""
        hers = Rsvp.objects.filter(meetup=models.OuterRef("pk"), member=member)
        return self.annotate(
            her_response=models.Subquery(hers.values("response")[:1]),
            her_position=models.Subquery(hers.values("waitlist_position")[:1]),
        )


class MeetupFields(models.Model):
    """What a meetup and a series both say: what, where, for whom, how many seats and how
    many needed, who planned it, and the changes a calendar app must pick up (`sequence`)."""

    title = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    venue_name = models.CharField(max_length=120, blank=True)
    venue_address = models.CharField(max_length=300, blank=True)
    at_home = models.BooleanField(
        default=False,
        help_text=_(
            "The venue is someone's home: its address is for the organizers and, from "
            "24 hours before, for those going; it is erased a week after the meetup."
        ),
    )
    online_link = models.URLField(max_length=500, blank=True)
    kid_mode = models.CharField(max_length=20, choices=KidMode.choices)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    kids_take_seats = models.BooleanField(default=False)
    waitlist_cutoff_hours = models.PositiveSmallIntegerField(default=3)
    quorum = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.group.time_zone)

    @property
    def kids_welcome(self) -> bool:
        return self.kid_mode == KidMode.KIDS_ALONG

    @property
    def place(self) -> str:
        """Venue and address, or the online link, in one line (members only)."""
        if self.venue_name:
            return ", ".join(part for part in (self.venue_name, self.venue_address) if part)
        return self.online_link

    @property
    def place_without_address(self) -> str:
        """The venue's name, or the online link: for those who may not see a home's address."""
        return self.venue_name or self.online_link


class MeetupSeries(MeetupFields):
    """A meetup that repeats ("every other Tuesday, 20:30"). Its occurrences are real Meetups,
    created a few weeks ahead (services.series_keep_horizon) with the details below; each
    keeps the date it was made for (`Meetup.occurrence_date`, its RECURRENCE-ID in calendars).

    The time is the group's wall clock: `start_time` on each date in the group's zone, for
    `length_minutes` of elapsed time (momcircle.availability.recurrence says what happens
    across DST). It ends on `ends_on` (inclusive), after `count` occurrences, or never;
    `ended_at` is when an organizer ended it. `sequence` counts the changes a calendar app
    must pick up, as a Meetup's does. Changing "this and following" ends a series the day
    before and continues it as a new one (`continues`)."""

    class Frequency(models.TextChoices):
        WEEKLY = recurrence.WEEKLY, _("Every week")
        BIWEEKLY = recurrence.BIWEEKLY, _("Every 2 weeks")
        MONTHLY = recurrence.MONTHLY, _("Monthly, on the same weekday")

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="series")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    week_of_month = models.SmallIntegerField(
        null=True, blank=True, help_text="Monthly only: 1 to 4, or -1 for the last."
    )
    starts_on = models.DateField()
    start_time = models.TimeField()
    length_minutes = models.PositiveSmallIntegerField()
    ends_on = models.DateField(null=True, blank=True)
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    continues = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="continuations"
    )
    # Its occurrences are made with the details of MeetupFields, and this lead.
    quorum_lead = models.DurationField(
        null=True, blank=True, help_text="How long before each start its quorum is decided."
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "meetup series"
        indexes = [
            models.Index(
                fields=["ends_on"],
                condition=models.Q(ended_at__isnull=True),
                name="series_going_on",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(frequency__in=recurrence.FREQUENCIES),
                name="series_frequency_known",
            ),
            models.CheckConstraint(
                condition=models.Q(frequency="monthly", week_of_month__in=[1, 2, 3, 4, -1])
                | (~models.Q(frequency="monthly") & models.Q(week_of_month__isnull=True)),
                name="series_week_of_month_when_monthly",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(count__isnull=True),
                name="series_ends_one_way",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="series_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(count__isnull=True) | models.Q(count__gte=1),
                name="series_count_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(length_minutes__gte=1, length_minutes__lte=24 * 60),
                name="series_length_within_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="series_capacity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum__isnull=True, quorum_lead__isnull=True)
                | models.Q(quorum__gt=0, quorum_lead__isnull=False),
                name="series_quorum_with_a_lead",
            ),
            models.CheckConstraint(
                condition=~models.Q(venue_name="", online_link=""), name="series_has_a_place"
            ),
            models.CheckConstraint(
                condition=models.Q(kid_mode__in=KidMode.values), name="series_kid_mode_known"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("scheduling:series", args=[self.pk])

    @property
    def rule(self) -> recurrence.Recurrence:
        return recurrence.Recurrence(
            self.frequency,
            self.starts_on,
            week_of_month=self.week_of_month,
            until=self.ends_on,
            count=self.count,
        )

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.length_minutes)

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    @property
    def standing_words(self) -> str:
        """What a member standing in it says: "every week", or "every time" when it repeats
        less often."""
        return (
            gettext("every week")
            if self.frequency == self.Frequency.WEEKLY
            else gettext("every time")
        )

    @property
    def hours(self) -> str:
        """Its wall-clock start and end, e.g. "20:30–22:00"."""
        end = datetime.combine(date.min, self.start_time) + self.length
        return f"{self.start_time:%H:%M}–{end:%H:%M}"

    def span_on(self, day: date) -> tuple[datetime, datetime]:
        """Start and end (UTC) of its occurrence on a local date."""
        return recurrence.occurrence_span(day, self.start_time, self.length, self.zone)

    def original_start(self, day: date) -> datetime:
        """Where its rule puts the occurrence of that date, in the group's zone: what a
        calendar's RECURRENCE-ID and EXDATE name, however that occurrence was moved."""
        return self.span_on(day)[0].astimezone(self.zone)


class Meetup(MeetupFields):
    """One get-together of a group. Times are stored in UTC and entered and shown in the
    group's time zone. `sequence` counts the changes a calendar app must pick up."""

    class Status(models.TextChoices):
        TENTATIVE = "tentative", _("Tentative")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="meetups")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    quorum_deadline = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    series = models.ForeignKey(
        MeetupSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    occurrence_date = models.DateField(
        null=True, blank=True, help_text="The date its series made it for (its RECURRENCE-ID)."
    )
    is_override = models.BooleanField(
        default=False,
        help_text="Changed on its own (this one only): its series' changes leave it alone.",
    )

    objects = MeetupQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["group", "starts_at"], name="meetup_group_start"),
            models.Index(
                fields=["quorum_deadline"],
                condition=models.Q(status="tentative"),
                name="meetup_tentative_deadline",
            ),
            models.Index(
                fields=["ends_at"],
                condition=models.Q(at_home=True) & ~models.Q(venue_address=""),
                name="meetup_home_address_kept",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="meetup_starts_before_it_ends",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="meetup_capacity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum__isnull=True, quorum_deadline__isnull=True)
                | models.Q(
                    quorum__isnull=False,
                    quorum__gt=0,
                    quorum_deadline__isnull=False,
                    quorum_deadline__lte=models.F("starts_at"),
                ),
                name="meetup_quorum_positive_with_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(venue_name="", online_link=""),
                name="meetup_has_a_place",
            ),
            models.CheckConstraint(
                condition=models.Q(kid_mode__in=KidMode.values), name="meetup_kid_mode_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["tentative", "confirmed", "cancelled"]),
                name="meetup_status_known",
            ),
            # One occurrence per date of a series: creating the same one twice (two runs of
            # the horizon job at once) is impossible.
            models.UniqueConstraint(
                fields=["series", "occurrence_date"], name="one_occurrence_per_series_date"
            ),
            models.CheckConstraint(
                condition=models.Q(series__isnull=True, occurrence_date__isnull=True)
                | models.Q(series__isnull=False, occurrence_date__isnull=False),
                name="meetup_occurrence_has_its_date",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("scheduling:meetup", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    @property
    def counts_kids(self) -> bool:
        """Kids take seats only at a kid-friendly meetup whose organizer said so."""
        return self.kids_welcome and self.kids_take_seats

    def seats_for(self, kids: int) -> int:
        return 1 + (kids if self.counts_kids else 0)

    @property
    def seats_taken(self) -> int:
        """From the with_going() annotations."""
        return self.going_count + (self.going_kids if self.counts_kids else 0)

    @property
    def waitlist_closes_at(self) -> datetime:
        """After this, a freed seat waits for someone to take it instead of going down the line."""
        return self.starts_at - timedelta(hours=self.waitlist_cutoff_hours)

    @property
    def home_address_shown_from(self) -> datetime:
        return self.starts_at - HOME_ADDRESS_SHOWN_BEFORE


class Rsvp(models.Model):
    """Her answer to a meetup. "Going" when the meetup is full becomes "waitlisted", with her
    place in line (1 is next); places stay 1..n without gaps."""

    class Response(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        CANT_GO = "cant_go", _("Can't go")
        WAITLISTED = "waitlisted", _("On the waitlist")

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    response = models.CharField(max_length=10, choices=Response.choices)
    kids = models.PositiveSmallIntegerField(default=0)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meetup", "member"], name="one_rsvp_per_meetup"),
            # Deferred, so closing a gap in the line may shift everyone behind in one statement.
            models.UniqueConstraint(
                fields=["meetup", "waitlist_position"],
                name="one_rsvp_per_waitlist_place",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=models.Q(
                    response="waitlisted", waitlist_position__isnull=False, waitlist_position__gte=1
                )
                | (~models.Q(response="waitlisted") & models.Q(waitlist_position__isnull=True)),
                name="rsvp_waitlisted_has_a_place",
            ),
            models.CheckConstraint(
                condition=models.Q(response__in=["going", "maybe", "cant_go", "waitlisted"]),
                name="rsvp_response_known",
            ),
        ]
        indexes = [models.Index(fields=["member", "response"], name="rsvp_member_response")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.meetup_id}: {self.response}"

    @property
    def in_words(self) -> str:
        """Her answer as she reads it."""
        if self.response == self.Response.WAITLISTED:
            return gettext("It's full: you're number %(position)s on the waitlist.") % {
                "position": self.waitlist_position
            }
        if self.response == self.Response.MAYBE:
            return gettext("You said maybe.")
        if self.response == self.Response.CANT_GO:
            return gettext("You can't go this time. Thanks for letting them know.")
        if self.kids:
            return ngettext(
                "You're going, with %(count)s kid.", "You're going, with %(count)s kids.", self.kids
            ) % {"count": self.kids}
        return gettext("You're going.")


class MeetupChange(models.Model):
    """A change members should hear about: a new time or place, a cancellation, or a tentative
    meetup confirmed. `old` and `new` hold the changed fields (times as ISO 8601 in UTC)."""

    class Kind(models.TextChoices):
        CHANGED = "changed", _("Time or place changed")
        CANCELLED = "cancelled", _("Cancelled")
        CONFIRMED = "confirmed", _("Confirmed")

    class Cause(models.TextChoices):
        """Why MomCircle made a change itself: stored as a code, put into words in the
        reader's language wherever it is shown."""

        QUORUM_MISSED = "quorum_missed", _("Not enough members were going by the deadline")

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when MomCircle made the change (a quorum deadline).",
    )
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=500, blank=True, help_text="What the organizer wrote.")
    cause = models.CharField(
        max_length=20,
        choices=Cause.choices,
        blank=True,
        help_text="Why MomCircle made the change itself (a quorum deadline); empty otherwise.",
    )
    sequence = models.PositiveIntegerField(help_text="The meetup's sequence after the change.")
    series_change = models.ForeignKey(
        "SeriesChange",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetup_changes",
        help_text="The change of its series this comes from: members hear of that one only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meetup_id}: {self.kind} (#{self.sequence})"


class SeriesChange(models.Model):
    """A change to a series members should hear about once, however many of its meetups it
    moves or cancels: new details from `from_date` on (`old` and `new` hold the changed
    fields, times as "HH:MM"), or the series ended."""

    class Kind(models.TextChoices):
        CHANGED = "changed", _("Changed from a date on")
        ENDED = "ended", _("Ended")

    series = models.ForeignKey(MeetupSeries, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_date = models.DateField()
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"series {self.series_id}: {self.kind} from {self.from_date}"


class StandingAnswer(models.Model):
    """ "I'm in every week": she is going to each new occurrence of the series (seats and the
    waitlist decide as for anyone), until she turns it off."""

    series = models.ForeignKey(
        MeetupSeries, on_delete=models.CASCADE, related_name="standing_answers"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standing_answers"
    )
    kids = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "member"], name="one_standing_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} stands in series {self.series_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """Her private calendar subscription: whoever has the token reads her meetups, so she can
    replace it at any time."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.member_id}"
