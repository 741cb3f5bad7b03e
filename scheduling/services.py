"""Writes of the scheduling app: meetups, RSVPs, calendar feeds.

Meetup rules are checked here, with the meetup row locked wherever a count decides something
(seats, the waitlist, a quorum), so concurrent answers never overfill a meetup or skip a place
in line. A broken rule raises RuleBroken with the sentence the member reads.
"""

import dataclasses
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.utils import timezone

from groups import permissions as group_permissions
from groups.models import Group
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
    Rsvp,
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
    RuleBroken.unless(bool(details.title.strip()), "Give the meetup a title.")
    RuleBroken.unless(details.kid_mode in KidMode.values, "Choose kid-friendly or kid-free.")
    RuleBroken.unless(details.ends_at > details.starts_at, "The meetup must end after it starts.")
    RuleBroken.unless(
        details.ends_at - details.starts_at <= MAX_LENGTH, "A meetup lasts 24 hours at most."
    )
    RuleBroken.unless(
        bool(details.venue_name.strip() or details.online_link.strip()),
        "Add a venue or an online link, so members know where to go.",
    )
    RuleBroken.unless(
        details.capacity is None or details.capacity >= 1,
        "Make room for at least one member, or leave the seats empty for no limit.",
    )
    RuleBroken.unless(
        0 <= details.waitlist_cutoff_hours <= MAX_CUTOFF_HOURS,
        f"The waitlist can stop moving up to {MAX_CUTOFF_HOURS} hours before the start.",
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
        "Give both the number of members needed and the deadline, or neither.",
    )
    RuleBroken.unless(details.quorum >= 1, "At least one member must be needed.")
    RuleBroken.unless(
        details.capacity is None or details.quorum <= details.capacity,
        "The number of members needed can't be more than the seats.",
    )
    RuleBroken.unless(details.quorum_deadline > now, "Choose a deadline in the future.")
    RuleBroken.unless(
        details.quorum_deadline <= details.starts_at, "The deadline must be before the start."
    )


def _full_clean(meetup: Meetup) -> None:
    """The model's own limits (lengths, a well-formed link) as sentences."""
    try:
        meetup.full_clean(exclude=["group", "created_by"])
    except ValidationError as error:
        raise RuleBroken(" ".join(error.messages)) from error


def _locked_meetup(meetup_pk: int) -> Meetup:
    return Meetup.objects.select_for_update(of=("self",)).select_related("group").get(pk=meetup_pk)


def _record(meetup: Meetup, kind: str, *, by: User | None, old: dict, new: dict, reason: str = ""):
    change = MeetupChange.objects.create(
        meetup=meetup, kind=kind, by=by, old=old, new=new, reason=reason, sequence=meetup.sequence
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
    RuleBroken.unless(details.starts_at > now, "Choose a start time in the future.")
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
        RuleBroken.unless(details.starts_at > now, "Choose a start time in the future.")
    _check_quorum_change(meetup, details)
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
        )
    _settle(meetup, now=now, by=by)
    return meetup


def _check_quorum_change(meetup: Meetup, details: MeetupDetails) -> None:
    unchanged = (details.quorum, details.quorum_deadline) == (
        meetup.quorum,
        meetup.quorum_deadline,
    )
    RuleBroken.unless(
        meetup.status == TENTATIVE or unchanged,
        "This meetup is already confirmed, so it no longer needs a minimum number going.",
    )


def _check_room_for_those_going(meetup: Meetup, details: MeetupDetails) -> None:
    if details.capacity is None:
        return
    going = _going(meetup)
    taken = going["adults"] + (going["kids"] if details.kids_take_seats else 0)
    RuleBroken.unless(
        taken <= details.capacity,
        f"{taken} seats are already taken, so there must be at least {taken}.",
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


def _change_status(meetup: Meetup, status: str, *, by: User | None, reason: str = "") -> Meetup:
    """Cancelled or confirmed: calendars see a new sequence, members hear of it."""
    old_status, meetup.status = meetup.status, status
    meetup.sequence += 1
    meetup.save(update_fields=["status", "sequence", "updated_at"])
    changed = {"old": {"status": old_status}, "new": {"status": status}}
    _record(meetup, MeetupChange.Kind(status), by=by, reason=reason, **changed)
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
    deadline = timezone.localtime(meetup.quorum_deadline, meetup.zone)
    reason = f"Fewer than {meetup.quorum} going by {deadline:%a %-d %b, %H:%M %Z}."
    return _change_status(meetup, CANCELLED, by=None, reason=reason)


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
    RuleBroken.when(permissions.rsvp_refusal(member, meetup, now))
    RuleBroken.unless(response in ANSWERS, "Choose going, maybe or can't go.")
    kids = _checked_kids(meetup, response, kids)
    rsvp = Rsvp.objects.filter(meetup=meetup, member=member).first() or Rsvp(
        meetup=meetup, member=member
    )
    if response == GOING:
        _place_going(meetup, rsvp, kids, now)
    else:
        rsvp.response, rsvp.kids, rsvp.waitlist_position = response, kids, None
        rsvp.save()
    _settle(meetup, now=now, by=None)
    rsvp.refresh_from_db()
    send_after_commit(events.rsvp_changed, sender=Meetup, rsvp=rsvp)
    return rsvp


def _checked_kids(meetup: Meetup, response: str, kids: int) -> int:
    if response == Rsvp.Response.CANT_GO:
        return 0
    RuleBroken.unless(0 <= kids <= MAX_KIDS, f"Count from 0 to {MAX_KIDS} kids.")
    RuleBroken.unless(
        kids == 0 or meetup.kids_welcome, "This meetup is kid-free, so kids stay home."
    )
    return kids


def _place_going(meetup: Meetup, rsvp: Rsvp, kids: int, now: datetime) -> None:
    taken = _seats_taken(meetup, besides=rsvp)
    fits = _fits(meetup, taken, meetup.seats_for(kids))
    if rsvp.response == GOING:
        left = meetup.capacity - taken - 1 if meetup.capacity else 0
        RuleBroken.unless(
            fits,
            f"There isn't room for {kids} kid{pluralize(kids)}: "
            f"{left} seat{pluralize(left)} left besides yours.",
        )
        goes = True
    elif rsvp.response == WAITLISTED:
        # After the cut-off the line stands still, and whoever asks first takes a free seat.
        goes = fits and not _line_moves(meetup, now)
    else:
        nobody_ahead = not _line_moves(meetup, now) or not _waiting(meetup).exists()
        goes = fits and nobody_ahead
    rsvp.kids = kids
    if goes:
        rsvp.response, rsvp.waitlist_position = GOING, None
    elif rsvp.response != WAITLISTED:
        last = _waiting(meetup).aggregate(last=Max("waitlist_position"))["last"] or 0
        rsvp.response, rsvp.waitlist_position = WAITLISTED, last + 1
    rsvp.save()


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
    """Her answers to the group's coming meetups are withdrawn (she left the group), and the
    seats she held go down the line. Returns how many answers were withdrawn."""
    now = now or timezone.now()
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
    """Her account is going away or suspended: every coming answer is withdrawn and the
    seats she held go down the line."""
    groups = Group.objects.filter(
        meetups__rsvps__member=member, meetups__ends_at__gt=now or timezone.now()
    ).distinct()
    return sum(rsvps_release(group=group, member=member, now=now) for group in groups)
