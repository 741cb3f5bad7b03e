"""The emails the scheduling app sends: reminders and notices about meetups.

Each renderer looks again at the meetup when the message is due, and returns None (the row is
dropped) when the email no longer makes sense: she said she can't go, the meetup moved or
was cancelled, she turned that kind of email off, a digest has nothing new to list."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from groups.models import Membership
from momcircle.outbox.compose import compose
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.registry import renders
from momcircle.profiles.models import Announcements
from scheduling import ics
from scheduling.email_links import (
    ANNOUNCEMENTS,
    MEETUP_CANCELLED,
    MEETUP_CHANGED,
    MEETUP_NEW,
    MEETUP_UPDATES,
    QUORUM_MISSED,
    QUORUM_REACHED,
    REMINDER_EVENING,
    REMINDER_HOURS,
    REMINDERS,
    WAITLIST_PROMOTED,
    WEEKLY_DIGEST,
    rsvp_url,
    unsubscribe_url,
)
from scheduling.models import Meetup, MeetupChange, Rsvp
from scheduling.notices import REMINDED, TIMINGS, digest_moment, occurrence_of
from scheduling.templatetags.meetups import span

FIELD_LABELS = {
    "starts_at": "Starts",
    "ends_at": "Ends",
    "venue_name": "Place",
    "venue_address": "Address",
    "online_link": "Online link",
}


def _zone_of(member) -> str:
    profile = getattr(member, "profile", None)
    return profile.time_zone if profile else settings.TIME_ZONE


def _moment(instant: datetime, zone: str) -> str:
    moment = instant.astimezone(ZoneInfo(zone))
    return f"{moment:%a %-d %b, %H:%M %Z}"


def _meetup_of(message) -> Meetup | None:
    pk = message.subject_pk("meetup")
    if pk is None:
        return None
    return Meetup.objects.select_related("group").filter(pk=pk).first()


def _wants_updates(member) -> bool:
    profile = getattr(member, "profile", None)
    return profile is not None and profile.meetup_updates


def _her_answer(meetup: Meetup, member) -> Rsvp | None:
    return Rsvp.objects.filter(meetup=meetup, member=member).first()


# A batch of reminders for one meetup attaches the same calendar to every email, and building
# one takes milliseconds (its VTIMEZONE most of all): build it once. All it shows is on the
# meetup's row, saved with a new updated_at each time, or is its group's zone.
_calendars: dict[tuple, bytes] = {}
CALENDARS_KEPT = 64


def _calendar_of(meetup: Meetup, meetup_url: str) -> bytes:
    key = (meetup.pk, meetup.updated_at, meetup.group.time_zone, meetup_url)
    if key not in _calendars:
        if len(_calendars) >= CALENDARS_KEPT:
            _calendars.clear()
        _calendars[key] = ics.calendar_bytes([meetup], url_of=lambda _: meetup_url)
    return _calendars[key]


def _email(message, meetup: Meetup, *, template: str, topic: str | None = None, **context):
    member = message.recipient
    zone = _zone_of(member)
    meetup_url = settings.SITE_URL + meetup.get_absolute_url()
    context = {
        "meetup": meetup,
        "group": meetup.group,
        "when": span(meetup.starts_at, meetup.ends_at, zone),
        "meetup_url": meetup_url,
        "rsvp_url": rsvp_url(member=member, meetup=meetup),
        **context,
    }
    calendar = _calendar_of(meetup, meetup_url)
    return compose(
        message=message,
        template=template,
        context=context,
        unsubscribe_url=unsubscribe_url(member=member, topic=topic) if topic else None,
        attachments=(("meetup.ics", calendar, "text/calendar"),),
    )


def _reminder(message, kind: str):
    meetup = _meetup_of(message)
    if meetup is None or meetup.is_cancelled or meetup.has_started():
        return None
    if message.occurrence != occurrence_of(kind, meetup.starts_at):
        return None  # the meetup moved; the reminders for its new time are their own rows
    rsvp = _her_answer(meetup, message.recipient)
    profile = getattr(message.recipient, "profile", None)
    if rsvp is None or rsvp.response not in REMINDED or profile is None:
        return None
    if kind not in TIMINGS.get(profile.reminder_timing, ()):
        return None
    return _email(message, meetup, template="reminder", topic=REMINDERS, rsvp=rsvp)


@renders(REMINDER_EVENING)
def reminder_evening(message):
    return _reminder(message, REMINDER_EVENING)


@renders(REMINDER_HOURS)
def reminder_hours(message):
    return _reminder(message, REMINDER_HOURS)


@renders(MEETUP_NEW)
def meetup_new(message):
    meetup = _meetup_of(message)
    profile = getattr(message.recipient, "profile", None)
    if meetup is None or meetup.is_cancelled or meetup.has_started() or profile is None:
        return None
    if profile.announcements != Announcements.IMMEDIATELY:
        return None
    still_member = Membership.objects.filter(
        group_id=meetup.group_id, member=message.recipient, status=Membership.Status.ACTIVE
    ).exists()
    if not still_member:
        return None
    return _email(message, meetup, template="meetup_new", topic=ANNOUNCEMENTS)


def _change_of(message) -> MeetupChange | None:
    if not message.occurrence.isdigit():
        return None
    return MeetupChange.objects.filter(
        pk=message.occurrence, meetup_id=message.subject_pk("meetup")
    ).first()


@renders(MEETUP_CHANGED)
def meetup_changed(message):
    meetup, change = _meetup_of(message), _change_of(message)
    if meetup is None or change is None or not _wants_updates(message.recipient):
        return None
    zone = _zone_of(message.recipient)
    changes = []
    for field, label in FIELD_LABELS.items():
        if field not in change.new:
            continue
        old, new = change.old.get(field) or "", change.new.get(field) or ""
        if field.endswith("_at"):
            old, new = (_moment(datetime.fromisoformat(v), zone) if v else "" for v in (old, new))
        changes.append({"label": label, "old": old or "(none)", "new": new or "(none)"})
    return _email(message, meetup, template="meetup_changed", topic=MEETUP_UPDATES, changes=changes)


def _status_notice(message, meetup: Meetup | None, template: str, **context):
    change = _change_of(message)
    if meetup is None or change is None or not _wants_updates(message.recipient):
        return None
    return _email(
        message, meetup, template=template, topic=MEETUP_UPDATES, reason=change.reason, **context
    )


@renders(MEETUP_CANCELLED)
def meetup_cancelled(message):
    return _status_notice(message, _meetup_of(message), "meetup_cancelled")


@renders(QUORUM_MISSED)
def quorum_missed(message):
    meetup = _meetup_of(message)
    if meetup is None or meetup.quorum_deadline is None:
        return None
    deadline = _moment(meetup.quorum_deadline, _zone_of(message.recipient))
    return _status_notice(message, meetup, "quorum_missed", deadline=deadline)


@renders(QUORUM_REACHED)
def quorum_reached(message):
    meetup = _meetup_of(message)
    if meetup is None or meetup.is_cancelled:
        return None
    return _status_notice(message, meetup, "quorum_reached")


@renders(WAITLIST_PROMOTED)
def waitlist_promoted(message):
    meetup = _meetup_of(message)
    if meetup is None or meetup.is_cancelled or not _wants_updates(message.recipient):
        return None
    rsvp = _her_answer(meetup, message.recipient)
    if rsvp is None or rsvp.response != Rsvp.Response.GOING:
        return None
    return _email(message, meetup, template="waitlist_promoted", topic=MEETUP_UPDATES, rsvp=rsvp)


def _digest_starts(message) -> datetime:
    """Where the previous digest left off; without one, her Sunday 17:00 a week before (on her
    clock: the week clocks fall back is 169 hours long)."""
    week_before = digest_moment(_zone_of(message.recipient), message.due_at - timedelta(seconds=1))
    previous = (
        OutboxMessage.objects.filter(
            recipient=message.recipient,
            kind=WEEKLY_DIGEST,
            due_at__gt=week_before - timedelta(days=1),  # a move across time zones shifts it
            due_at__lt=message.due_at,
        )
        .order_by("-due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return previous or week_before


def _new_in_her_groups(member, *, since: datetime, until: datetime) -> list[Meetup]:
    """Meetups announced in her groups between two digests that she can still go to."""
    return list(
        Meetup.objects.filter(
            group__memberships__member=member,
            group__memberships__status=Membership.Status.ACTIVE,
            group__is_archived=False,
            created_at__gte=since,
            created_at__lt=until,
            starts_at__gt=timezone.now(),
        )
        .exclude(status=Meetup.Status.CANCELLED)
        .exclude(created_by=member)
        .select_related("group")
        .order_by("starts_at", "pk")
    )


@renders(WEEKLY_DIGEST)
def weekly_digest(message):
    member = message.recipient
    profile = getattr(member, "profile", None)
    if profile is None or profile.announcements != Announcements.WEEKLY_DIGEST:
        return None
    meetups = _new_in_her_groups(member, since=_digest_starts(message), until=message.due_at)
    if not meetups:
        return None
    entries = [
        {
            "meetup": meetup,
            "group": meetup.group,
            "when": span(meetup.starts_at, meetup.ends_at, profile.time_zone),
            "meetup_url": settings.SITE_URL + meetup.get_absolute_url(),
            "rsvp_url": rsvp_url(member=member, meetup=meetup),
        }
        for meetup in meetups
    ]
    return compose(
        message=message,
        template="weekly_digest",
        context={"entries": entries},
        unsubscribe_url=unsubscribe_url(member=member, topic=ANNOUNCEMENTS),
    )
