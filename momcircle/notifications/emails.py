"""The emails about meetups and join requests, written when each is due.

Each renderer looks again at what the email is about and asks audiences.py whether she is
still one of those it is for; when not (she said she can't go, the meetup moved or was
cancelled, she turned that kind of email off), it returns None and the row is dropped."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import Membership
from momcircle.conversation.selectors import news_for
from momcircle.notifications import audiences
from momcircle.notifications.kinds import (
    ANNOUNCEMENTS,
    CONVERSATION,
    JOIN_APPROVED,
    JOIN_DECLINED,
    MEETUP_CANCELLED,
    MEETUP_CHANGED,
    MEETUP_CONVERSATION,
    MEETUP_NEW,
    MEETUP_UPDATES,
    QUORUM_MISSED,
    QUORUM_REACHED,
    REMINDER_EVENING,
    REMINDER_HOURS,
    REMINDERS,
    SERIES_CHANGED,
    SERIES_ENDED,
    SERIES_NEW,
    WAITLIST_PROMOTED,
)
from momcircle.notifications.language import renders_in_her_language
from momcircle.notifications.links import rsvp_url, skip_url, unsubscribe_url
from momcircle.outbox.compose import compose
from momcircle.outbox.models import OutboxMessage
from scheduling import ics
from scheduling.models import Meetup, MeetupChange, MeetupSeries, Rsvp, SeriesChange
from scheduling.permissions import ADDRESS_LATER, can_see_address
from scheduling.templatetags.meetups import series_when, span

FIELD_LABELS = {
    "starts_at": _("Starts"),
    "ends_at": _("Ends"),
    "venue_name": _("Place"),
    "venue_address": _("Address"),
    "online_link": _("Online link"),
}
SERIES_FIELD_LABELS = {
    "title": _("Title"),
    "time": _("Time"),
    "venue_name": _("Place"),
    "venue_address": _("Address"),
    "online_link": _("Online link"),
    "capacity": _("Seats"),
    "description": _("Notes"),
}
# A conversation email lists this many new messages at most (the page has them all).
MESSAGES_LISTED = 20


def _zone_of(member) -> str:
    profile = getattr(member, "profile", None)
    return profile.time_zone if profile else settings.TIME_ZONE


def _moment(instant: datetime, zone: str) -> str:
    moment = instant.astimezone(ZoneInfo(zone))
    return f"{date_format(moment, 'MEETUP_DAY_FORMAT')}, {moment:%H:%M %Z}"


def _meetup_of(message) -> Meetup | None:
    pk = message.subject_pk("meetup")
    if pk is None:
        return None
    return Meetup.objects.select_related("group").filter(pk=pk).first()


def _her_answer(meetup: Meetup, member) -> Rsvp | None:
    return Rsvp.objects.filter(meetup=meetup, member=member).first()


# A batch of reminders for one meetup attaches the same calendar to every email, and building
# one takes milliseconds (its VTIMEZONE most of all): build it once. All it shows is on the
# meetup's row, saved with a new updated_at each time, or is its group's zone, or is whether
# the reader may see a home's address, or is in her language.
_calendars: dict[tuple, bytes] = {}
CALENDARS_KEPT = 64


def _calendar_of(meetup: Meetup, meetup_url: str, address_shown: bool) -> bytes:
    key = (
        meetup.pk,
        meetup.updated_at,
        meetup.group.time_zone,
        meetup_url,
        address_shown,
        translation.get_language(),
    )
    if key not in _calendars:
        if len(_calendars) >= CALENDARS_KEPT:
            _calendars.clear()
        _calendars[key] = ics.calendar_bytes(
            [meetup], url_of=lambda _: meetup_url, address_shown=lambda _: address_shown
        )
    return _calendars[key]


def _email(
    message,
    meetup: Meetup,
    *,
    template: str,
    topic: str | None = None,
    home_address: bool = True,
    **context,
):
    """An email about the meetup, with its calendar attached. The address is in it when she
    may see it now; a home's address only if `home_address` (never in an announcement)."""
    member = message.recipient
    zone = _zone_of(member)
    meetup_url = settings.SITE_URL + meetup.get_absolute_url()
    address_shown = can_see_address(member, meetup) and (home_address or not meetup.at_home)
    context = {
        "meetup": meetup,
        "group": meetup.group,
        "when": span(meetup.starts_at, meetup.ends_at, zone),
        "where": meetup.place if address_shown else meetup.place_without_address,
        "address_later": ADDRESS_LATER if meetup.venue_address and not address_shown else "",
        "meetup_url": meetup_url,
        "rsvp_url": rsvp_url(member=member, meetup=meetup),
        **context,
    }
    calendar = _calendar_of(meetup, meetup_url, address_shown)
    return compose(
        message=message,
        template=template,
        context=context,
        unsubscribe_url=unsubscribe_url(member=member, topic=topic) if topic else None,
        attachments=(("meetup.ics", calendar, "text/calendar"),),
    )


def _reminder(message, kind: str):
    meetup = _meetup_of(message)
    if meetup is None or message.occurrence != audiences.occurrence_of(kind, meetup.starts_at):
        return None  # gone, or moved: the reminders for its new time are their own rows
    rsvp = _her_answer(meetup, message.recipient)
    profile = getattr(message.recipient, "profile", None)
    response = rsvp.response if rsvp else None
    if not audiences.reminded(kind, meetup=meetup, response=response, profile=profile):
        return None
    # A meetup of a series she may skip this once, in one tap (her standing answer stays).
    skip = skip_url(member=message.recipient, meetup=meetup) if meetup.series_id else ""
    return _email(message, meetup, template="reminder", topic=REMINDERS, rsvp=rsvp, skip_url=skip)


@renders_in_her_language(REMINDER_EVENING)
def reminder_evening(message):
    return _reminder(message, REMINDER_EVENING)


@renders_in_her_language(REMINDER_HOURS)
def reminder_hours(message):
    return _reminder(message, REMINDER_HOURS)


@renders_in_her_language(MEETUP_NEW)
def meetup_new(message):
    meetup = _meetup_of(message)
    if meetup is None or meetup.is_cancelled or meetup.has_started():
        return None
    if not audiences.includes(audiences.announced_to(meetup), message.recipient):
        return None
    return _email(message, meetup, template="meetup_new", topic=ANNOUNCEMENTS, home_address=False)


def _change_of(message) -> MeetupChange | None:
    if not (message.occurrence.isascii() and message.occurrence.isdigit()):
        return None
    return MeetupChange.objects.filter(
        pk=message.occurrence, meetup_id=message.subject_pk("meetup")
    ).first()


def _update(message, template: str, *, answers=audiences.CONCERNED, **context):
    """An update about her meetup, if she is still among those told of it."""
    meetup = _meetup_of(message)
    if meetup is None:
        return None
    told = audiences.told_of_updates(meetup, answers=answers)
    if not audiences.includes(told, message.recipient):
        return None
    return _email(message, meetup, template=template, topic=MEETUP_UPDATES, **context)


@renders_in_her_language(MEETUP_CHANGED)
def meetup_changed(message):
    change = _change_of(message)
    if change is None:
        return None
    zone = _zone_of(message.recipient)
    address_hidden = not can_see_address(message.recipient, change.meetup)
    changes = []
    for field, label in FIELD_LABELS.items():
        if field not in change.new:
            continue
        old, new = change.old.get(field) or "", change.new.get(field) or ""
        if field.endswith("_at"):
            old, new = (_moment(datetime.fromisoformat(v), zone) if v else "" for v in (old, new))
        if field == "venue_address" and address_hidden:
            old = new = gettext("(not shown yet)")  # the email's "Where" says when it will be
        changes.append(_change_line(label, old, new))
    return _update(message, "meetup_changed", changes=changes)


def _change_line(label: str, old: str, new: str) -> dict:
    """One line of a change's table, "(none)" for a value that was or is now empty."""
    none = gettext("(none)")
    return {"label": label, "old": old or none, "new": new or none}


def _status_notice(message, template: str, **context):
    change = _change_of(message)
    if change is None:
        return None
    return _update(message, template, reason=change.reason, **context)


@renders_in_her_language(MEETUP_CANCELLED)
def meetup_cancelled(message):
    return _status_notice(message, "meetup_cancelled")


@renders_in_her_language(QUORUM_MISSED)
def quorum_missed(message):
    meetup = _meetup_of(message)
    if meetup is None or meetup.quorum_deadline is None:
        return None
    deadline = _moment(meetup.quorum_deadline, _zone_of(message.recipient))
    return _status_notice(message, "quorum_missed", deadline=deadline)


@renders_in_her_language(QUORUM_REACHED)
def quorum_reached(message):
    meetup = _meetup_of(message)
    if meetup is None or meetup.is_cancelled:
        return None
    return _status_notice(message, "quorum_reached")


@renders_in_her_language(WAITLIST_PROMOTED)
def waitlist_promoted(message):
    meetup = _meetup_of(message)
    if meetup is None or meetup.is_cancelled:
        return None
    rsvp = _her_answer(meetup, message.recipient)
    return _update(message, "waitlist_promoted", answers=(audiences.GOING,), rsvp=rsvp)


def _series_of(message) -> MeetupSeries | None:
    pk = message.subject_pk("meetupseries")
    if pk is None:
        return None
    return MeetupSeries.objects.select_related("group").filter(pk=pk).first()


def _series_email(message, series: MeetupSeries, *, template: str, topic: str, **context):
    return compose(
        message=message,
        template=template,
        context={
            "series": series,
            "group": series.group,
            "when": series_when(series),
            "series_url": settings.SITE_URL + series.get_absolute_url(),
            **context,
        },
        unsubscribe_url=unsubscribe_url(member=message.recipient, topic=topic),
    )


@renders_in_her_language(SERIES_NEW)
def series_new(message):
    series = _series_of(message)
    if series is None or series.is_ended:
        return None
    if not audiences.includes(audiences.announced_to(series), message.recipient):
        return None
    first = series.occurrences.upcoming().exclude(status=Meetup.Status.CANCELLED).first()
    if first is None:
        return None
    zone = _zone_of(message.recipient)
    first_when = span(first.starts_at, first.ends_at, zone)
    return _series_email(
        message, series, template="series_new", topic=ANNOUNCEMENTS, first_when=first_when
    )


def _series_notice(message, template: str, **context):
    """A change to a series she is still concerned by, with the change itself."""
    series = _series_of(message)
    if series is None or not (message.occurrence.isascii() and message.occurrence.isdigit()):
        return None
    change = SeriesChange.objects.filter(pk=message.occurrence, series=series).first()
    if change is None:
        return None
    told = audiences.told_of_series(series, since=change.from_date)
    if not audiences.includes(told, message.recipient):
        return None
    changes = [
        _change_line(label, change.old[field], change.new[field])
        for field, label in SERIES_FIELD_LABELS.items()
        if field in change.new and (field != "venue_address" or not series.at_home)
    ]
    return _series_email(
        message,
        series,
        template=template,
        topic=MEETUP_UPDATES,
        change=change,
        changes=changes,
        from_day=date_format(change.from_date, "MEETUP_DAY_FORMAT"),
        **context,
    )


@renders_in_her_language(SERIES_CHANGED)
def series_changed(message):
    return _series_notice(message, "series_changed")


@renders_in_her_language(SERIES_ENDED)
def series_ended(message):
    return _series_notice(message, "series_ended")


def _previous_conversation_email(message):
    """When her last email about this conversation was written (its claim came just before),
    or None: what it listed is not listed again."""
    return (
        OutboxMessage.objects.filter(
            recipient=message.recipient,
            kind=MEETUP_CONVERSATION,
            subject=message.subject,
            status=OutboxMessage.Status.SENT,
        )
        .exclude(pk=message.pk)
        .order_by("-sent_at")
        .values_list("claimed_at", flat=True)
        .first()
    )


@renders_in_her_language(MEETUP_CONVERSATION)
def meetup_conversation(message):
    """The messages since her last email about the conversation that she may read, if any."""
    meetup, member = _meetup_of(message), message.recipient
    if meetup is None or not audiences.includes(audiences.told_of_messages(meetup), member):
        return None
    since = _previous_conversation_email(message)
    news, more = news_for(member, meetup, since=since, limit=MESSAGES_LISTED)
    if not news:
        return None
    zone = _zone_of(member)
    entries = [
        {
            "author": entry.author.profile.display_name,
            "when": _moment(entry.created_at, zone),
            "text": entry.text,
        }
        for entry in news
    ]
    context = {
        "meetup": meetup,
        "group": meetup.group,
        "when": span(meetup.starts_at, meetup.ends_at, zone),
        "conversation_url": f"{settings.SITE_URL}{meetup.get_absolute_url()}#conversation",
        "entries": entries,
        "more": more,
    }
    return compose(
        message=message,
        template="meetup_conversation",
        context=context,
        unsubscribe_url=unsubscribe_url(member=member, topic=CONVERSATION),
    )


def _answered(message, status: str):
    membership = (
        Membership.objects.select_related("group", "member__profile")
        .filter(pk=message.subject_pk("membership"), member=message.recipient, status=status)
        .first()
    )
    if membership is None:  # she left, or the decision was undone before the email went
        return None
    context = {"group": membership.group, "note": membership.decision_message}
    return compose(message=message, template=message.kind, context=context)


@renders_in_her_language(JOIN_APPROVED)
def join_approved(message):
    return _answered(message, Membership.Status.ACTIVE)


@renders_in_her_language(JOIN_DECLINED)
def join_declined(message):
    return _answered(message, Membership.Status.DECLINED)
