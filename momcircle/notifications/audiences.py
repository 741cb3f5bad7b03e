"""Who hears about what: the one place that decides who gets each kind of email.

Queueing asks it for everyone; rendering asks it again about her alone when the message is due,
because she may have changed her answer or her preferences since (a renderer that finds her no
longer in the audience drops the message)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from groups.models import Membership
from momcircle.notifications.kinds import REMINDER_EVENING, REMINDER_HOURS
from momcircle.profiles.models import Announcements, Block, Profile, ReminderTiming
from scheduling.models import Meetup, MeetupSeries, Rsvp

User = get_user_model()
GOING = Rsvp.Response.GOING
REMINDED = (GOING, Rsvp.Response.MAYBE)
# Who hears about a change: everyone in the meetup who did not say she can't go.
CONCERNED = (GOING, Rsvp.Response.MAYBE, Rsvp.Response.WAITLISTED)
TIMINGS = {
    ReminderTiming.EVENING_BEFORE: (REMINDER_EVENING,),
    ReminderTiming.HOURS_BEFORE: (REMINDER_HOURS,),
    ReminderTiming.BOTH: (REMINDER_EVENING, REMINDER_HOURS),
    ReminderTiming.NONE: (),
}


def includes(audience: QuerySet, member) -> bool:
    """Whether she is (still) in the audience: one query."""
    return audience.filter(pk=member.pk).exists()


def announced_to(meetup: Meetup | MeetupSeries) -> QuerySet:
    """A new meetup or series: the active members of its group who want to hear right away,
    except the one who planned it."""
    return User.objects.filter(
        memberships__group_id=meetup.group_id,
        memberships__status=Membership.Status.ACTIVE,
        profile__announcements=Announcements.IMMEDIATELY,
    ).exclude(pk=meetup.created_by_id)


def told_of_updates(meetup: Meetup, *, answers: tuple[str, ...] = CONCERNED) -> QuerySet:
    """A change to the meetup: those who gave one of `answers` and want updates about their
    meetups (a seat off the waitlist: `answers=(GOING,)`)."""
    return User.objects.filter(
        rsvps__meetup=meetup, rsvps__response__in=answers, profile__meetup_updates=True
    )


def told_of_series(series: MeetupSeries, *, since: date) -> QuerySet:
    """A change to a series from a date on: who stands in it, and who gave an open answer to
    one of its meetups from that date, if she wants updates about her meetups."""
    concerned = Q(
        rsvps__meetup__series=series,
        rsvps__meetup__occurrence_date__gte=since,
        rsvps__response__in=CONCERNED,
    )
    return User.objects.filter(
        Q(standing_answers__series=series) | concerned, profile__meetup_updates=True
    ).distinct()


def told_of_messages(meetup: Meetup) -> QuerySet:
    """New messages in the meetup's conversation: those going or maybe, still members of its
    group, who want these emails and did not mute this one. Which messages she is told of is
    conversation.selectors.news_for (not her own, none of a woman kept apart from her)."""
    return User.objects.filter(
        is_active=True,
        rsvps__meetup=meetup,
        rsvps__response__in=REMINDED,
        memberships__group_id=meetup.group_id,
        memberships__status=Membership.Status.ACTIVE,
        profile__conversation_emails=True,
    ).exclude(conversation_mutes__meetup=meetup)


def told_of_message(message) -> QuerySet:
    """A new message: those told of the conversation, except its author and the women kept
    apart from her by a block."""
    return (
        told_of_messages(message.meetup)
        .exclude(pk=message.author_id)
        .exclude(pk__in=Block.objects.kept_apart_from(message.author_id))
    )


def digest_readers() -> QuerySet:
    """Profiles of the members who chose a weekly digest of new meetups."""
    return Profile.objects.filter(announcements=Announcements.WEEKLY_DIGEST, user__is_active=True)


def wants_digest(member) -> bool:
    return digest_readers().filter(user=member).exists()


def reminder_kinds(profile: Profile | None) -> tuple[str, ...]:
    return TIMINGS.get(profile.reminder_timing, ()) if profile else ()


def reminder_due(kind: str, *, starts_at: datetime, profile: Profile) -> datetime:
    """The hours-before one so many hours ahead; the evening one at her chosen time, on her
    clock, the day before."""
    if kind == REMINDER_HOURS:
        return starts_at - timedelta(hours=profile.reminder_hours_before)
    zone = ZoneInfo(profile.time_zone)
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day_before, profile.reminder_evening_time, tzinfo=zone)


def occurrence_of(kind: str, starts_at: datetime) -> str:
    """A reminder belongs to one start time: a moved meetup gets new ones."""
    return f"{kind}@{starts_at.astimezone(ZoneInfo('UTC')).isoformat()}"


def wanted_reminders(
    *, meetup: Meetup, response: str, profile: Profile | None, now: datetime
) -> dict[str, tuple[str, datetime]]:
    """occurrence -> (kind, due time) of the reminders still ahead that her answer and her
    preferences ask for."""
    if response not in REMINDED or meetup.is_cancelled:
        return {}
    wanted = {}
    for kind in reminder_kinds(profile):
        due = reminder_due(kind, starts_at=meetup.starts_at, profile=profile)
        if now < due < meetup.starts_at:
            wanted[occurrence_of(kind, meetup.starts_at)] = (kind, due)
    return wanted


def reminded(kind: str, *, meetup: Meetup, response: str | None, profile: Profile | None) -> bool:
    """A reminder of this kind, due now, still goes to her for this meetup."""
    return (
        response in REMINDED
        and not meetup.is_cancelled
        and not meetup.has_started()
        and kind in reminder_kinds(profile)
    )
