"""Writes of the scheduling app: meetups, RSVPs, series and standing answers, calendar feeds.

Meetup rules are checked here, with the meetup row locked wherever a count decides something
(seats, the waitlist, a quorum), so concurrent answers never overfill a meetup or skip a place
in line. A broken rule raises RuleBroken with the sentence the member reads.

A series (MeetupSeries) makes real meetups, its occurrences, a few weeks ahead. What writes
to a series and its occurrences takes the series row's lock first and each meetup's after, so
the horizon job, a standing answer and an organizer's change never miss each other's rows.
"""

import copy
import dataclasses
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from groups import permissions as group_permissions
from groups.models import Group
from momcircle.availability.recurrence import MONTHLY, InvalidRecurrence, monthly_position
from momcircle.events import send_after_commit
from momcircle.profiles.models import (
    KidMode,
)
from momcircle.ratelimit import RSVP_CHANGES, spend
from momcircle.rules import RuleBroken
from scheduling import events, permissions
from scheduling.models import (
    HOME_ADDRESS_KEPT_AFTER,
    CalendarFeed,
    Meetup,
    MeetupChange,
    MeetupSeries,
    Rsvp,
    SeriesChange,
    StandingAnswer,
    new_feed_token,
)

User = get_user_model()

GOING = Rsvp.Response.GOING
WAITLISTED = Rsvp.Response.WAITLISTED
ANSWERS = (GOING, Rsvp.Response.MAYBE, Rsvp.Response.CANT_GO)
TENTATIVE = Meetup.Status.TENTATIVE
CONFIRMED = Meetup.Status.CONFIRMED
CANCELLED = Meetup.Status.CANCELLED

MAX_KIDS = 10
MAX_CUTOFF_HOURS = 7 * 24
MAX_LENGTH = timedelta(hours=24)
# Fields a calendar app shows: a change to any of them is a new SEQUENCE in the .ics.
CALENDAR_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "at_home",
    "online_link",
)
# Fields members are told about when they change.
TIME_AND_PLACE = ("starts_at", "ends_at", "venue_name", "venue_address", "online_link")


@dataclasses.dataclass(frozen=True)
class MeetupDetails:
    """What an organizer enters about a meetup; times are aware datetimes."""

    title: str
    starts_at: datetime
    ends_at: datetime
    kid_mode: str
    description: str = ""
    venue_name: str = ""
    venue_address: str = ""
    at_home: bool = False
    online_link: str = ""
    capacity: int | None = None
    kids_take_seats: bool = False
    waitlist_cutoff_hours: int = 3
    quorum: int | None = None
    quorum_deadline: datetime | None = None


def _check_details(details: MeetupDetails, now: datetime) -> MeetupDetails:
    """The details as they will be stored, or RuleBroken saying what to fix."""
    for moment in (details.starts_at, details.ends_at, details.quorum_deadline):
        if moment is not None and timezone.is_naive(moment):
            raise ValueError("Meetup times must be aware datetimes.")
    RuleBroken.unless(bool(details.title.strip()), gettext("Give the meetup a title."))
    RuleBroken.unless(
        details.kid_mode in KidMode.values, gettext("Choose kid-friendly or kid-free.")
    )
    RuleBroken.unless(
        details.ends_at > details.starts_at, gettext("The meetup must end after it starts.")
    )
    RuleBroken.unless(
        details.ends_at - details.starts_at <= MAX_LENGTH,
        gettext("A meetup lasts 24 hours at most."),
    )
    RuleBroken.unless(
        bool(details.venue_name.strip() or details.online_link.strip()),
        gettext("Add a venue or an online link, so members know where to go."),
    )
    RuleBroken.unless(
        details.capacity is None or details.capacity >= 1,
        gettext("Make room for at least one member, or leave the seats empty for no limit."),
    )
    RuleBroken.unless(
        0 <= details.waitlist_cutoff_hours <= MAX_CUTOFF_HOURS,
        gettext("The waitlist can stop moving up to %(count)s hours before the start.")
        % {"count": MAX_CUTOFF_HOURS},
    )
    _check_quorum(details, now)
    return dataclasses.replace(
        details,
        title=details.title.strip(),
        description=details.description.strip(),
        venue_name=details.venue_name.strip(),
        venue_address=details.venue_address.strip(),
        online_link=details.online_link.strip(),
        kids_take_seats=details.kids_take_seats and details.kid_mode == KidMode.KIDS_ALONG,
    )


def _check_quorum(details: MeetupDetails, now: datetime) -> None:
    if details.quorum is None and details.quorum_deadline is None:
        return
    RuleBroken.unless(
        details.quorum is not None and details.quorum_deadline is not None,
        gettext("Give both the number of members needed and the deadline, or neither."),
    )
    RuleBroken.unless(details.quorum >= 1, gettext("At least one member must be needed."))
    RuleBroken.unless(
        details.capacity is None or details.quorum <= details.capacity,
        gettext("The number of members needed can't be more than the seats."),
    )
    RuleBroken.unless(details.quorum_deadline > now, gettext("Choose a deadline in the future."))
    RuleBroken.unless(
        details.quorum_deadline <= details.starts_at,
        gettext("The deadline must be before the start."),
    )


def _full_clean(meetup: Meetup) -> None:
    """The model's own limits (lengths, a well-formed link) as sentences."""
    try:
        meetup.full_clean(exclude=["group", "created_by"])
    except ValidationError as error:
        raise RuleBroken(" ".join(error.messages)) from error


def _locked_meetup(meetup_pk: int) -> Meetup:
    return Meetup.objects.select_for_update(of=("self",)).select_related("group").get(pk=meetup_pk)


def _record(
    meetup: Meetup,
    kind: str,
    *,
    by: User | None,
    old: dict,
    new: dict,
    reason: str = "",
    cause: str = "",
    series_change: SeriesChange | None = None,
):
    change = MeetupChange.objects.create(
        meetup=meetup,
        kind=kind,
        by=by,
        old=old,
        new=new,
        reason=reason,
        cause=cause,
        sequence=meetup.sequence,
        series_change=series_change,
    )
    send_after_commit(events.meetup_changed, sender=Meetup, change=change)
    return change


def _as_json(value):
    return value.isoformat() if isinstance(value, datetime) else value


@transaction.atomic
def meetup_create(
    *, group: Group, by: User, details: MeetupDetails, now: datetime | None = None
) -> Meetup:
    """A new meetup; tentative when it needs a quorum, confirmed otherwise."""
    now = now or timezone.now()
    group = Group.objects.get(pk=group.pk)
    RuleBroken.unless(permissions.can_plan(by, group), group_permissions.ONLY_ORGANIZERS)
    details = _check_details(details, now)
    RuleBroken.unless(details.starts_at > now, gettext("Choose a start time in the future."))
    meetup = Meetup(
        group=group,
        created_by=by,
        status=TENTATIVE if details.quorum else CONFIRMED,
        **dataclasses.asdict(details),
    )
    _full_clean(meetup)
    meetup.save()
    send_after_commit(events.meetup_created, sender=Meetup, meetup=meetup)
    return meetup


@transaction.atomic
def meetup_update(
    *, meetup: Meetup, by: User, details: MeetupDetails, now: datetime | None = None
) -> Meetup:
    """New details; a new time or place is recorded for the members, and a calendar change
    raises the sequence. More seats move the waitlist up."""
    now = now or timezone.now()
    meetup = _locked_meetup(meetup.pk)
    RuleBroken.unless(permissions.can_organize(by, meetup), group_permissions.ONLY_ORGANIZERS)
    RuleBroken.when(permissions.change_refusal(meetup, now))
    details = _check_details(details, now)
    if details.starts_at != meetup.starts_at:
        RuleBroken.unless(details.starts_at > now, gettext("Choose a start time in the future."))
    _check_quorum_change(meetup, details)
    if meetup.series_id and details != _details_of(meetup):
        meetup.is_override = True  # changed on its own: its series' changes leave it alone
    _set_details(meetup, details, by=by, now=now)
    return meetup


def _details_of(meetup: Meetup) -> MeetupDetails:
    return MeetupDetails(
        **{field.name: getattr(meetup, field.name) for field in dataclasses.fields(MeetupDetails)}
    )


def _set_details(
    meetup: Meetup,
    details: MeetupDetails,
    *,
    by: User | None,
    now: datetime,
    series_change: SeriesChange | None = None,
) -> None:
    """With the meetup locked and the details checked: they are saved, a calendar change
    raises the sequence, a new time or place is recorded for the members, more seats move
    the waitlist up."""
    _check_room_for_those_going(meetup, details)
    old = {field: getattr(meetup, field) for field in CALENDAR_FIELDS}
    for field, value in dataclasses.asdict(details).items():
        setattr(meetup, field, value)
    _full_clean(meetup)
    changed = [field for field in CALENDAR_FIELDS if getattr(meetup, field) != old[field]]
    if changed:
        meetup.sequence += 1
    meetup.save()
    moved = [field for field in TIME_AND_PLACE if field in changed]
    if moved:
        _record(
            meetup,
            MeetupChange.Kind.CHANGED,
            by=by,
            old={field: _as_json(old[field]) for field in moved},
            new={field: _as_json(getattr(meetup, field)) for field in moved},
            series_change=series_change,
        )
    _settle(meetup, now=now, by=by)


def _check_quorum_change(meetup: Meetup, details: MeetupDetails) -> None:
    unchanged = (details.quorum, details.quorum_deadline) == (
        meetup.quorum,
        meetup.quorum_deadline,
    )
    RuleBroken.unless(
        meetup.status == TENTATIVE or unchanged,
        gettext("This meetup is already confirmed, so it no longer needs a minimum number going."),
    )


def _check_room_for_those_going(meetup: Meetup, details: MeetupDetails) -> None:
    if details.capacity is None:
        return
    going = _going(meetup)
    taken = going["adults"] + (going["kids"] if details.kids_take_seats else 0)
    RuleBroken.unless(
        taken <= details.capacity,
        ngettext(
            "%(count)s seat is already taken, so there must be at least %(count)s.",
            "%(count)s seats are already taken, so there must be at least %(count)s.",
            taken,
        )
        % {"count": taken},
    )


@transaction.atomic
def meetup_cancel(
    *, meetup: Meetup, by: User, reason: str = "", now: datetime | None = None
) -> Meetup:
    """Cancelled for everyone, with the reason members will read."""
    now = now or timezone.now()
    meetup = _locked_meetup(meetup.pk)
    RuleBroken.unless(permissions.can_cancel(by, meetup), group_permissions.ONLY_ORGANIZERS)
    RuleBroken.when(permissions.change_refusal(meetup, now))
    return _change_status(meetup, CANCELLED, by=by, reason=reason.strip()[:500])


def _change_status(
    meetup: Meetup,
    status: str,
    *,
    by: User | None,
    reason: str = "",
    cause: str = "",
    series_change: SeriesChange | None = None,
) -> Meetup:
    """Cancelled or confirmed: calendars see a new sequence, members hear of it (of the
    series' change instead, when it comes from one)."""
    old_status, meetup.status = meetup.status, status
    meetup.sequence += 1
    meetup.save(update_fields=["status", "sequence", "updated_at"])
    changed = {"old": {"status": old_status}, "new": {"status": status}}
    _record(
        meetup,
        MeetupChange.Kind(status),
        by=by,
        reason=reason,
        cause=cause,
        series_change=series_change,
        **changed,
    )
    return meetup


def meetups_cancel_without_quorum(*, now: datetime | None = None) -> list[Meetup]:
    """Cancels every tentative meetup whose deadline has passed without enough going. Each in
    its own transaction, so one meetup's trouble does not hold back the others."""
    now = now or timezone.now()
    due = Meetup.objects.filter(status=TENTATIVE, quorum_deadline__lte=now).values_list(
        "pk", flat=True
    )
    cancelled = [_cancel_if_short(pk, now=now) for pk in due]
    return [meetup for meetup in cancelled if meetup is not None]


@transaction.atomic
def _cancel_if_short(meetup_pk: int, *, now: datetime) -> Meetup | None:
    meetup = _locked_meetup(meetup_pk)
    if meetup.status != TENTATIVE:
        return None
    if _going(meetup)["adults"] >= meetup.quorum:
        _change_status(meetup, CONFIRMED, by=None)
        return None
    return _change_status(meetup, CANCELLED, by=None, cause=MeetupChange.Cause.QUORUM_MISSED)


@transaction.atomic
def home_addresses_erase(*, now: datetime | None = None) -> int:
    """A week after a meetup at someone's home has ended, its address is erased from the
    meetup and from the changes recorded about it; calendars see a new sequence and drop it
    from their copy. Running it again erases nothing more. Returns how many were erased."""
    now = now or timezone.now()
    over = Meetup.objects.filter(at_home=True, ends_at__lte=now - HOME_ADDRESS_KEPT_AFTER)
    for change in MeetupChange.objects.filter(meetup__in=over).filter(
        Q(old__has_key="venue_address") | Q(new__has_key="venue_address")
    ):
        change.old.pop("venue_address", None)
        change.new.pop("venue_address", None)
        change.save(update_fields=["old", "new"])
    return over.exclude(venue_address="").update(
        venue_address="", sequence=F("sequence") + 1, updated_at=now
    )


# --- RSVPs ------------------------------------------------------------------------------------


def _going(meetup: Meetup, *, besides: Rsvp | None = None) -> dict[str, int]:
    going = Rsvp.objects.filter(meetup=meetup, response=GOING)
    if besides is not None and besides.pk:
        going = going.exclude(pk=besides.pk)
    return going.aggregate(adults=Count("pk"), kids=Coalesce(Sum("kids"), 0))


def _seats_taken(meetup: Meetup, *, besides: Rsvp | None = None) -> int:
    going = _going(meetup, besides=besides)
    return going["adults"] + (going["kids"] if meetup.counts_kids else 0)


def _fits(meetup: Meetup, taken: int, need: int) -> bool:
    return meetup.capacity is None or taken + need <= meetup.capacity


def _line_moves(meetup: Meetup, now: datetime) -> bool:
    """Freed seats go down the waitlist automatically until the cut-off."""
    return now < meetup.waitlist_closes_at


@transaction.atomic
def rsvp_set(
    *,
    meetup: Meetup,
    member: User,
    response: str,
    kids: int = 0,
    now: datetime | None = None,
) -> Rsvp:
    """Her answer. "Going" takes a seat, or a place at the end of the waitlist when the
    meetup is full or others are already waiting; giving up a seat moves the line up."""
    now = now or timezone.now()
    spend(RSVP_CHANGES, member=member)
    meetup = _locked_meetup(meetup.pk)
    rsvp = _answer(meetup, member, response, kids, now)
    _settle(meetup, now=now, by=None)
    rsvp.refresh_from_db()
    send_after_commit(events.rsvp_changed, sender=Meetup, rsvp=rsvp)
    return rsvp


def _answer(meetup: Meetup, member: User, response: str, kids: int, now: datetime) -> Rsvp:
    """Her answer written by the rules, with the meetup locked; the caller settles the line
    and tells the apps above. Her RSVP rate limit is the caller's to spend."""
    RuleBroken.when(permissions.rsvp_refusal(member, meetup, now))
    RuleBroken.unless(response in ANSWERS, gettext("Choose going, maybe or can't go."))
    kids = _checked_kids(meetup, response, kids)
    rsvp = Rsvp.objects.filter(meetup=meetup, member=member).first() or Rsvp(
        meetup=meetup, member=member
    )
    if response == GOING:
        _place_going(meetup, rsvp, kids, now)
    else:
        rsvp.response, rsvp.kids, rsvp.waitlist_position = response, kids, None
        rsvp.save()
    return rsvp


def _checked_kids(meetup: Meetup, response: str, kids: int) -> int:
    if response == Rsvp.Response.CANT_GO:
        return 0
    RuleBroken.unless(
        0 <= kids <= MAX_KIDS, gettext("Count from 0 to %(count)s kids.") % {"count": MAX_KIDS}
    )
    RuleBroken.unless(
        kids == 0 or meetup.kids_welcome, gettext("This meetup is kid-free, so kids stay home.")
    )
    return kids


def _place_going(meetup: Meetup, rsvp: Rsvp, kids: int, now: datetime) -> None:
    taken = _seats_taken(meetup, besides=rsvp)
    fits = _fits(meetup, taken, meetup.seats_for(kids))
    if rsvp.response == GOING:
        left = meetup.capacity - taken - 1 if meetup.capacity else 0
        RuleBroken.unless(
            fits,
            ngettext(
                "There isn't room for %(count)s kid:", "There isn't room for %(count)s kids:", kids
            )
            % {"count": kids}
            + " "
            + ngettext(
                "%(count)s seat left besides yours.", "%(count)s seats left besides yours.", left
            )
            % {"count": left},
        )
        goes = True
    elif rsvp.response == WAITLISTED:
        # After the cut-off the line stands still, and whoever asks first takes a free seat.
        goes = fits and not _line_moves(meetup, now)
    else:
        goes = fits and _nobody_ahead(meetup, now, waiting=_waiting(meetup).exists)
    rsvp.kids = kids
    if goes:
        rsvp.response, rsvp.waitlist_position = GOING, None
    elif rsvp.response != WAITLISTED:
        last = _waiting(meetup).aggregate(last=Max("waitlist_position"))["last"] or 0
        rsvp.response, rsvp.waitlist_position = WAITLISTED, last + 1
    rsvp.save()


def _nobody_ahead(meetup: Meetup, now: datetime, *, waiting: Callable[[], bool]) -> bool:
    """A new answer may take a free seat: nobody is waiting for one, or the line stands still
    (after the cut-off, whoever asks first takes a free seat)."""
    return not _line_moves(meetup, now) or not waiting()


def _waiting(meetup: Meetup):
    return Rsvp.objects.filter(meetup=meetup, response=WAITLISTED).order_by(
        "waitlist_position", "pk"
    )


def _settle(meetup: Meetup, *, now: datetime, by: User | None) -> None:
    """After any change, with the meetup locked: the line has no gaps, free seats go to the
    front of the line (until the cut-off), and a tentative meetup with enough going is on."""
    line = list(_waiting(meetup))
    if _line_moves(meetup, now) and line:
        taken = _seats_taken(meetup)
        while line and _fits(meetup, taken, meetup.seats_for(line[0].kids)):
            promoted = line.pop(0)
            taken += meetup.seats_for(promoted.kids)
            promoted.response, promoted.waitlist_position = GOING, None
            promoted.save(update_fields=["response", "waitlist_position", "updated_at"])
            send_after_commit(events.rsvp_promoted, sender=Meetup, rsvp=promoted)
    moved = []
    for place, rsvp in enumerate(line, start=1):
        if rsvp.waitlist_position != place:
            rsvp.waitlist_position = place
            moved.append(rsvp)
    Rsvp.objects.bulk_update(moved, ["waitlist_position"])
    if meetup.status == TENTATIVE and (
        meetup.quorum is None or _going(meetup)["adults"] >= meetup.quorum
    ):
        _change_status(meetup, CONFIRMED, by=by)


@transaction.atomic
def rsvps_release(*, group: Group, member: User, now: datetime | None = None) -> int:
    """Her answers to the group's coming meetups are withdrawn (she left the group), her
    standing answers to its series with them, and the seats she held go down the line.
    Returns how many meetup answers were withdrawn."""
    now = now or timezone.now()
    StandingAnswer.objects.filter(series__group=group, member=member).delete()
    meetup_pks = list(
        Rsvp.objects.filter(meetup__group=group, member=member, meetup__ends_at__gt=now)
        .order_by("meetup_id")
        .values_list("meetup_id", flat=True)
    )
    for meetup_pk in meetup_pks:
        meetup = _locked_meetup(meetup_pk)
        Rsvp.objects.filter(meetup=meetup, member=member).delete()
        if not meetup.is_cancelled and not meetup.has_started(now):
            _settle(meetup, now=now, by=None)
    return len(meetup_pks)


# --- calendar feed ----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_regenerate(*, member: User) -> CalendarFeed:
    """Her private calendar link, new: an old link stops working at once."""
    feed, _ = CalendarFeed.objects.update_or_create(
        member=member, defaults={"token": new_feed_token()}
    )
    return feed


def rsvps_release_everywhere(*, member: User, now: datetime | None = None) -> int:
    """Her account is going away or suspended: every coming answer and every standing answer
    is withdrawn and the seats she held go down the line."""
    answering = Q(meetups__rsvps__member=member, meetups__ends_at__gt=now or timezone.now())
    standing = Q(series__standing_answers__member=member)
    groups = Group.objects.filter(answering | standing).distinct()
    return sum(rsvps_release(group=group, member=member, now=now) for group in groups)


# --- series -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Repeat:
    """How a new meetup repeats: every week, every 2 weeks or monthly on the same weekday of
    the month (the last one with `last`), until a date, for `count` times, or open-ended."""

    frequency: str
    last: bool = False
    until: date | None = None
    count: int | None = None


@dataclasses.dataclass(frozen=True)
class SeriesEdit:
    """What "this and following" may change: the time of day and length, the place, the
    seats, the title and notes. The weekday and the rhythm stay."""

    title: str
    start_time: time
    length_minutes: int
    venue_name: str = ""
    venue_address: str = ""
    at_home: bool = False
    online_link: str = ""
    capacity: int | None = None
    description: str = ""


SERIES_FIELDS = ("title", "description", "venue_name", "venue_address", "at_home", "online_link")


def _locked_series(series_pk: int) -> MeetupSeries:
    return (
        MeetupSeries.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=series_pk)
    )


def _local_today(series: MeetupSeries, now: datetime) -> date:
    return timezone.localtime(now, series.zone).date()


def _checked_rule(series: MeetupSeries) -> None:
    try:
        series.rule.validate()
    except InvalidRecurrence as invalid:
        raise RuleBroken(gettext(str(invalid))) from invalid
    try:
        series.full_clean(exclude=["group", "created_by", "continues"])
    except ValidationError as error:
        raise RuleBroken(" ".join(error.messages)) from error


@transaction.atomic
def series_create(
    *,
    group: Group,
    by: User,
    details: MeetupDetails,
    repeat: Repeat,
    now: datetime | None = None,
) -> MeetupSeries:
    """A meetup that repeats from the one described, on the group's wall clock: its first
    weeks of occurrences are made at once (the horizon job makes the rest as time goes by),
    and the group hears of the series once."""
    now = now or timezone.now()
    group = Group.objects.get(pk=group.pk)
    RuleBroken.unless(permissions.can_plan(by, group), group_permissions.ONLY_ORGANIZERS)
    details = _check_details(details, now)
    RuleBroken.unless(details.starts_at > now, gettext("Choose a start time in the future."))
    series = MeetupSeries(group=group, created_by=by, frequency=repeat.frequency)
    local_start = timezone.localtime(details.starts_at, series.zone)
    if repeat.frequency == MONTHLY:
        try:
            series.week_of_month = monthly_position(local_start.date(), last=repeat.last)
        except InvalidRecurrence as invalid:
            raise RuleBroken(gettext(str(invalid))) from invalid
    series.starts_on, series.start_time = local_start.date(), local_start.time()
    series.length_minutes = (details.ends_at - details.starts_at) // timedelta(minutes=1)
    series.ends_on, series.count = repeat.until, repeat.count
    for field in (*SERIES_FIELDS, "kid_mode", "capacity", "kids_take_seats"):
        setattr(series, field, getattr(details, field))
    series.waitlist_cutoff_hours, series.quorum = details.waitlist_cutoff_hours, details.quorum
    if details.quorum:
        series.quorum_lead = details.starts_at - details.quorum_deadline
    _checked_rule(series)
    series.save()
    _fill_horizon(series, now=now)
    send_after_commit(events.series_created, sender=MeetupSeries, series=series)
    return series


def _occurrence(series: MeetupSeries, day: date) -> Meetup:
    starts_at, ends_at = series.span_on(day)
    quorum_deadline = starts_at - series.quorum_lead if series.quorum else None
    return Meetup(
        group_id=series.group_id,
        series=series,
        occurrence_date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        kid_mode=series.kid_mode,
        capacity=series.capacity,
        kids_take_seats=series.kids_take_seats,
        waitlist_cutoff_hours=series.waitlist_cutoff_hours,
        quorum=series.quorum,
        quorum_deadline=quorum_deadline,
        status=TENTATIVE if series.quorum else CONFIRMED,
        created_by_id=series.created_by_id,
        **{field: getattr(series, field) for field in SERIES_FIELDS},
    )


def _horizon_dates(series: MeetupSeries, now: datetime) -> list:
    """Its dates from today to the horizon (settings.SERIES_HORIZON_WEEKS)."""
    today = _local_today(series, now)
    return series.rule.dates(today, today + timedelta(weeks=settings.SERIES_HORIZON_WEEKS))


def _fill_horizon(series: MeetupSeries, *, now: datetime) -> list[Meetup]:
    """With the series locked: its occurrences still missing from now to the horizon, each
    answered "going" for the members standing in it."""
    if series.is_ended or series.group.is_archived:
        return []
    dates = _horizon_dates(series, now)
    made = set(
        series.occurrences.filter(occurrence_date__in=dates).values_list(
            "occurrence_date", flat=True
        )
    )
    new = [_occurrence(series, day) for day in dates if day not in made]
    new = Meetup.objects.bulk_create([meetup for meetup in new if meetup.starts_at > now])
    if not new:
        return []
    standing = list(series.standing_answers.select_related("member").order_by("created_at", "pk"))
    answers = []
    for meetup in new:
        meetup.group = series.group
        answers += _standing_answers_to(meetup, standing, now=now)
    Rsvp.objects.bulk_create(answers)
    _confirm_reached_quorums(new, answers)
    send_after_commit(events.occurrences_made, sender=Meetup, meetups=new)
    return new


def _standing_answers_to(
    meetup: Meetup, standing: list[StandingAnswer], *, now: datetime
) -> list[Rsvp]:
    """A new occurrence's answers (to be saved): "going" for each member standing in its
    series, first come first seated, by the rules anyone's answer follows (her rate limit
    untouched). One who may no longer answer (she left the group) is passed over."""
    answers, taken, in_line = [], 0, 0
    for answer in standing:
        if permissions.rsvp_refusal(answer.member, meetup, now):
            continue
        try:
            kids = _checked_kids(meetup, GOING, answer.kids)
        except RuleBroken:
            continue
        rsvp = Rsvp(meetup=meetup, member=answer.member, kids=kids)
        need = meetup.seats_for(kids)
        nobody_ahead = _nobody_ahead(meetup, now, waiting=partial(bool, in_line))
        if _fits(meetup, taken, need) and nobody_ahead:
            rsvp.response, taken = GOING, taken + need
        else:
            in_line += 1
            rsvp.response, rsvp.waitlist_position = WAITLISTED, in_line
        answers.append(rsvp)
    return answers


def _confirm_reached_quorums(meetups: list[Meetup], answers: list[Rsvp]) -> None:
    """New occurrences whose standing answers reach their quorum are confirmed from the
    start: nobody saw them tentative, so nobody is told."""
    adults = Counter(rsvp.meetup_id for rsvp in answers if rsvp.response == GOING)
    reached = [
        meetup
        for meetup in meetups
        if meetup.status == TENTATIVE and adults[meetup.pk] >= meetup.quorum
    ]
    for meetup in reached:
        meetup.status = CONFIRMED
    Meetup.objects.bulk_update(reached, ["status"])


def series_keep_horizon(*, now: datetime | None = None) -> int:
    """Beat: every series going on gets its missing occurrences up to the horizon. Returns
    how many were made. Which series miss any is read for all at once, without a lock (an
    hourly run usually finds none); each of those is then filled in a transaction of its own
    with its row locked, and reads again what it has. A series another run holds right now
    is left to that run, so two runs at once make each occurrence once (and the unique
    (series, date) constraint would refuse a second). Running it again makes nothing new."""
    now = now or timezone.now()
    since = (now - timedelta(days=1)).date()
    going_on = list(
        MeetupSeries.objects.filter(ended_at__isnull=True, group__is_archived=False)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .select_related("group")
        .order_by("pk")
    )
    made: dict[int, set] = {}
    for series_pk, day in Meetup.objects.filter(
        series__in=going_on, occurrence_date__gte=since
    ).values_list("series_id", "occurrence_date"):
        made.setdefault(series_pk, set()).add(day)
    missing = [
        series.pk
        for series in going_on
        if set(_horizon_dates(series, now)) - made.get(series.pk, set())
    ]
    return sum(_keep_horizon_of(pk, now=now) for pk in missing)


@transaction.atomic
def _keep_horizon_of(series_pk: int, *, now: datetime) -> int:
    series = (
        MeetupSeries.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("group")
        .filter(pk=series_pk)
        .first()
    )
    return 0 if series is None else len(_fill_horizon(series, now=now))


def _coming(series: MeetupSeries, now: datetime, *, since: date | None = None):
    """Its occurrences that have not started and are not cancelled, soonest first."""
    coming = series.occurrences.filter(starts_at__gt=now).exclude(status=CANCELLED)
    if since is not None:
        coming = coming.filter(occurrence_date__gte=since)
    return coming.order_by("starts_at", "pk")


@transaction.atomic
def standing_answer_set(
    *, series: MeetupSeries, member: User, kids: int = 0, now: datetime | None = None
) -> StandingAnswer:
    """ "I'm in every week": she is going to each occurrence to come, those already made that
    she has not answered included, as seats and the waitlist allow."""
    now = now or timezone.now()
    spend(RSVP_CHANGES, member=member)
    series = _locked_series(series.pk)
    RuleBroken.when(permissions.standing_refusal(member, series))
    kids = _checked_kids(series, GOING, kids)
    standing, _ = StandingAnswer.objects.update_or_create(
        series=series, member=member, defaults={"kids": kids}
    )
    unanswered = _coming(series, now).exclude(rsvps__member=member)
    for meetup_pk in unanswered.values_list("pk", flat=True):
        meetup = _locked_meetup(meetup_pk)
        rsvp = _answer(meetup, member, GOING, kids, now)
        _settle(meetup, now=now, by=None)
        send_after_commit(events.rsvp_changed, sender=Meetup, rsvp=rsvp)
    return standing


@transaction.atomic
def standing_answer_clear(*, series: MeetupSeries, member: User) -> MeetupSeries:
    """No more "every week": the answers she already has stay as they are. Returns the
    series."""
    spend(RSVP_CHANGES, member=member)
    series = _locked_series(series.pk)
    StandingAnswer.objects.filter(series=series, member=member).delete()
    return series


def _series_change_fields(series: MeetupSeries) -> dict:
    """What members read of a series' change, as JSON."""
    return {
        "time": series.hours,
        "capacity": series.capacity,
        **{field: getattr(series, field) for field in SERIES_FIELDS},
    }


@transaction.atomic
def series_update_following(
    *, meetup: Meetup, by: User, edit: SeriesEdit, now: datetime | None = None
) -> MeetupSeries:
    """New details for this occurrence and the ones after it. From the first occurrence the
    series itself changes; from a later one it ends the day before, and a new series goes on
    with the new details, the occurrences from that date on and the same standing answers.
    Occurrences already made take the new details, except those changed on their own and
    those cancelled. Members hear of it once."""
    now = now or timezone.now()
    meetup = Meetup.objects.select_related("series").get(pk=meetup.pk)
    RuleBroken.unless(meetup.series_id is not None, gettext("This meetup is not part of a series."))
    series = _locked_series(meetup.series_id)
    RuleBroken.unless(
        permissions.can_organize_series(by, series), group_permissions.ONLY_ORGANIZERS
    )
    RuleBroken.when(permissions.series_change_refusal(series))
    meetup.group = series.group
    RuleBroken.when(permissions.change_refusal(meetup, now))
    old_fields = _series_change_fields(series)
    edited = copy.copy(series)
    for field, value in dataclasses.asdict(edit).items():
        setattr(edited, field, value.strip() if isinstance(value, str) else value)
    _check_series_edit(edited, meetup.occurrence_date, now)
    new_fields = _series_change_fields(edited)
    changed = [field for field in new_fields if new_fields[field] != old_fields[field]]
    if not changed:
        return series
    target = _series_from(series, edited, meetup.occurrence_date, by=by)
    change = SeriesChange.objects.create(
        series=target,
        kind=SeriesChange.Kind.CHANGED,
        by=by,
        from_date=meetup.occurrence_date,
        old={field: old_fields[field] for field in changed},
        new={field: new_fields[field] for field in changed},
    )
    for pk in (
        _coming(target, now, since=meetup.occurrence_date)
        .filter(is_override=False)
        .values_list("pk", flat=True)
    ):
        _follow_series(_locked_meetup(pk), target, by=by, now=now, change=change)
    send_after_commit(events.series_changed, sender=MeetupSeries, change=change)
    return target


def _check_series_edit(edited: MeetupSeries, day: date, now: datetime) -> None:
    """The edited series' first occurrence passes a meetup's checks (its quorum aside: each
    occurrence's deadline is its own) and starts in the future."""
    first = _occurrence(edited, day)
    _check_details(dataclasses.replace(_details_of(first), quorum=None, quorum_deadline=None), now)
    RuleBroken.unless(first.starts_at > now, gettext("Choose a start time in the future."))
    RuleBroken.unless(
        edited.quorum is None or edited.capacity is None or edited.quorum <= edited.capacity,
        gettext("The number of members needed can't be more than the seats."),
    )
    _checked_rule(edited)


def _series_from(
    series: MeetupSeries, edited: MeetupSeries, day: date, *, by: User
) -> MeetupSeries:
    """The series that carries the new details from `day` on: the same one when `day` is its
    first date, else a new one continuing it (the old one ends the day before)."""
    if day == series.starts_on:
        edited.sequence += 1
        edited.save()
        return edited
    edited.pk, edited.continues, edited.created_by, edited.sequence = None, series, by, 0
    edited.starts_on = day
    if series.count is not None:
        edited.count = series.count - len(series.rule.dates(series.starts_on, day))
    edited._state.adding = True
    edited.save()
    series.ends_on, series.count = day - timedelta(days=1), None
    series.sequence += 1
    series.save(update_fields=["ends_on", "count", "sequence", "updated_at"])
    series.occurrences.filter(occurrence_date__gte=day).update(series=edited)
    standing = series.standing_answers.order_by("created_at", "pk")
    StandingAnswer.objects.bulk_create(
        [StandingAnswer(series=edited, member_id=s.member_id, kids=s.kids) for s in standing]
    )
    return edited


def _follow_series(
    meetup: Meetup, series: MeetupSeries, *, by: User, now: datetime, change: SeriesChange
) -> None:
    """An occurrence made before its series changed takes the new details. A tentative one's
    quorum deadline moves with its start; a confirmed one no longer needs it."""
    starts_at, ends_at = series.span_on(meetup.occurrence_date)
    deadline = meetup.quorum_deadline
    if meetup.status == TENTATIVE:
        deadline = starts_at - series.quorum_lead
    elif deadline is not None:
        deadline = min(deadline, starts_at)
    details = dataclasses.replace(
        _details_of(meetup),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=series.capacity,
        quorum_deadline=deadline,
        **{field: getattr(series, field) for field in SERIES_FIELDS},
    )
    try:
        _set_details(meetup, details, by=by, now=now, series_change=change)
    except RuleBroken as broken:
        day = timezone.localtime(meetup.starts_at, series.zone)
        raise RuleBroken(
            gettext("On %(day)s: %(problem)s")
            % {"day": date_format(day, "MEETUP_DAY_FORMAT"), "problem": broken}
        ) from broken


@transaction.atomic
def series_end(
    *, series: MeetupSeries, by: User, reason: str = "", now: datetime | None = None
) -> MeetupSeries:
    """No more occurrences: those still to come are cancelled, and members hear of it once.
    Its calendar keeps the occurrences that took place."""
    now = now or timezone.now()
    series = _locked_series(series.pk)
    RuleBroken.unless(
        permissions.can_organize_series(by, series), group_permissions.ONLY_ORGANIZERS
    )
    RuleBroken.when(permissions.series_change_refusal(series))
    reason = reason.strip()[:500]
    held = series.occurrences.filter(starts_at__lte=now).aggregate(last=Max("occurrence_date"))
    last = held["last"] or series.starts_on
    series.ends_on = last if series.ends_on is None else min(series.ends_on, last)
    series.count, series.ended_at = None, now
    series.sequence += 1
    series.save()
    change = SeriesChange.objects.create(
        series=series,
        kind=SeriesChange.Kind.ENDED,
        by=by,
        from_date=_local_today(series, now),
        reason=reason,
    )
    for pk in _coming(series, now).values_list("pk", flat=True):
        _change_status(_locked_meetup(pk), CANCELLED, by=by, reason=reason, series_change=change)
    send_after_commit(events.series_changed, sender=MeetupSeries, change=change)
    return series
