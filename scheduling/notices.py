"""Who hears about what happens to meetups, and when: each notice, reminder and weekly digest
becomes a row in the outbox (momcircle.outbox), and the renderers in scheduling.emails write
the emails when they are due. Receivers run after the change committed (see scheduling.events)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.utils import timezone

from groups.models import Membership
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.services import outbox_drop, outbox_enqueue
from momcircle.outbox.tasks import dispatch_soon
from momcircle.profiles.models import Announcements, Profile, ReminderTiming
from scheduling import events
from scheduling.email_links import (
    MEETUP_CANCELLED,
    MEETUP_CHANGED,
    MEETUP_NEW,
    QUORUM_MISSED,
    QUORUM_REACHED,
    REMINDER_EVENING,
    REMINDER_HOURS,
    REMINDER_KINDS,
    UPDATE_KINDS,
    WAITLIST_PROMOTED,
    WEEKLY_DIGEST,
)
from scheduling.models import Meetup, MeetupChange, Rsvp

REMINDED = (Rsvp.Response.GOING, Rsvp.Response.MAYBE)
# Who hears about a change: everyone who did not say she can't go.
CONCERNED = (Rsvp.Response.GOING, Rsvp.Response.MAYBE, Rsvp.Response.WAITLISTED)
TIMINGS = {
    ReminderTiming.EVENING_BEFORE: (REMINDER_EVENING,),
    ReminderTiming.HOURS_BEFORE: (REMINDER_HOURS,),
    ReminderTiming.BOTH: (REMINDER_EVENING, REMINDER_HOURS),
    ReminderTiming.NONE: (),
}
# What decides when her reminders go: the evening one is at her chosen time on her clock.
REMINDER_PREFERENCES = frozenset(
    {"reminder_timing", "reminder_evening_time", "reminder_hours_before", "time_zone"}
)
ANNOUNCED_BY = {Announcements.IMMEDIATELY: MEETUP_NEW, Announcements.WEEKLY_DIGEST: WEEKLY_DIGEST}

DIGEST_WEEKDAY = 6  # Sunday: she plans her week on Sunday evening
DIGEST_TIME = time(17, 0)
# A beat that was down for a few hours still sends that week's digests, a little late.
DIGEST_CATCH_UP = timedelta(hours=6)


def occurrence_of(kind: str, starts_at: datetime) -> str:
    """A reminder belongs to one start time: a moved meetup gets new ones."""
    return f"{kind}@{starts_at.astimezone(ZoneInfo('UTC')).isoformat()}"


def reminder_due(kind: str, *, starts_at: datetime, profile) -> datetime:
    if kind == REMINDER_HOURS:
        return starts_at - timedelta(hours=profile.reminder_hours_before)
    zone = ZoneInfo(profile.time_zone)
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day_before, profile.reminder_evening_time, tzinfo=zone)


def wanted_reminders(
    *, meetup: Meetup, response: str, profile, now: datetime
) -> dict[str, datetime]:
    """occurrence -> due time of the reminders she should get for her answer."""
    if response not in REMINDED or meetup.is_cancelled or profile is None:
        return {}
    wanted = {}
    for kind in TIMINGS.get(profile.reminder_timing, ()):
        due = reminder_due(kind, starts_at=meetup.starts_at, profile=profile)
        if now < due < meetup.starts_at:
            wanted[occurrence_of(kind, meetup.starts_at)] = (kind, due)
    return wanted


@transaction.atomic
def reminders_plan(
    *, meetup: Meetup, member, response: str | None = None, now: datetime | None = None
) -> None:
    """Her pending reminders for this meetup, as her answer and its start time now say.
    `response` is her answer when the caller has just read it."""
    now = now or timezone.now()
    if response is None:
        rsvp = Rsvp.objects.filter(meetup=meetup, member=member).first()
        response = rsvp.response if rsvp else ""
    profile = getattr(member, "profile", None)
    wanted = wanted_reminders(meetup=meetup, response=response, profile=profile, now=now)
    # One already due may be waiting for the next dispatch or a retry: it is checked again
    # when it is written (scheduling.emails), so only those still ahead are dropped here.
    outbox_drop(
        kinds=list(REMINDER_KINDS),
        subject=subject_key(meetup),
        recipient=member,
        keep=tuple(wanted),
        due_after=now,
    )
    for occurrence, (kind, due) in wanted.items():
        outbox_enqueue(
            recipients=[member],
            kind=kind,
            due_at=due,
            subject=subject_key(meetup),
            occurrence=occurrence,
        )


@transaction.atomic
def reminders_replan(*, member, now: datetime | None = None) -> None:
    """Her reminders for every meetup still ahead, after her reminder preferences changed."""
    now = now or timezone.now()
    # A waiting reminder keeps its row (one per start time) but not its due time: drop those
    # still ahead, and planning puts each one still wanted back in line at its new time.
    outbox_drop(kinds=list(REMINDER_KINDS), recipient=member, due_after=now)
    ahead = (
        Rsvp.objects.filter(member=member, response__in=REMINDED, meetup__starts_at__gt=now)
        .exclude(meetup__status=Meetup.Status.CANCELLED)
        .select_related("meetup")
        .order_by("meetup__starts_at")
    )
    for rsvp in ahead:
        reminders_plan(meetup=rsvp.meetup, member=member, response=rsvp.response, now=now)


@transaction.atomic
def notices_follow_preferences(*, profile: Profile, changed: frozenset[str]) -> None:
    """What waits in the outbox for her follows the preferences she just saved."""
    member = profile.user
    if changed & REMINDER_PREFERENCES:
        reminders_replan(member=member)
    if "meetup_updates" in changed and not profile.meetup_updates:
        outbox_drop(kinds=list(UPDATE_KINDS), recipient=member)
    if "announcements" in changed:
        unwanted = set(ANNOUNCED_BY.values()) - {ANNOUNCED_BY.get(profile.announcements)}
        outbox_drop(kinds=sorted(unwanted), recipient=member)


def digest_moment(zone: str, now: datetime) -> datetime:
    """When the digest of the week is due in `zone`: the latest Sunday 17:00 there, up to now."""
    local_now = now.astimezone(ZoneInfo(zone))
    sunday = local_now.date() + timedelta(days=DIGEST_WEEKDAY - local_now.weekday())
    moment = datetime.combine(sunday, DIGEST_TIME, tzinfo=ZoneInfo(zone))
    return moment if moment <= now else moment - timedelta(weeks=1)


def digest_week(moment: datetime) -> str:
    """The ISO week a digest belongs to (its occurrence in the outbox), e.g. "2026-W48"."""
    year, week, _ = moment.date().isocalendar()
    return f"{year}-W{week:02d}"


def weekly_digests_queue(*, now: datetime | None = None) -> int:
    """Queue the week's digest for each member who chose one, once her Sunday 17:00 has come,
    at most once per week (whatever became of it). Returns how many were queued."""
    now = now or timezone.now()
    readers = Profile.objects.filter(
        announcements=Announcements.WEEKLY_DIGEST, user__is_active=True
    )
    queued = 0
    for zone in readers.values_list("time_zone", flat=True).distinct().order_by():
        moment = digest_moment(zone, now)
        if now - moment >= DIGEST_CATCH_UP:
            continue
        week = digest_week(moment)
        already = OutboxMessage.objects.filter(
            recipient=OuterRef("user"), kind=WEEKLY_DIGEST, occurrence=week
        )
        readers_due = [
            profile.user
            for profile in readers.filter(time_zone=zone)
            .exclude(Exists(already))
            .select_related("user")
        ]
        outbox_enqueue(recipients=readers_due, kind=WEEKLY_DIGEST, due_at=moment, occurrence=week)
        queued += len(readers_due)
    if queued:
        transaction.on_commit(dispatch_soon)
    return queued


def _tell(members, *, kind: str, meetup: Meetup, occurrence: str = "") -> None:
    if not members:
        return
    outbox_enqueue(
        recipients=members,
        kind=kind,
        due_at=timezone.now(),
        subject=subject_key(meetup),
        occurrence=occurrence,
    )
    transaction.on_commit(dispatch_soon)


def _concerned(meetup: Meetup, *, besides=None) -> list:
    """Who hears about a change to the meetup: those in it who want updates."""
    rsvps = Rsvp.objects.filter(
        meetup=meetup, response__in=CONCERNED, member__profile__meetup_updates=True
    ).select_related("member")
    return [rsvp.member for rsvp in rsvps if besides is None or rsvp.member_id != besides.pk]


@receiver(events.rsvp_changed)
@receiver(events.rsvp_promoted)
def plan_her_reminders(sender, *, rsvp: Rsvp, **kwargs) -> None:
    member = type(rsvp.member).objects.select_related("profile").get(pk=rsvp.member_id)
    reminders_plan(meetup=Meetup.objects.get(pk=rsvp.meetup_id), member=member)


@receiver(events.rsvp_promoted)
def tell_her_she_is_in(sender, *, rsvp: Rsvp, **kwargs) -> None:
    if not Profile.objects.filter(user_id=rsvp.member_id, meetup_updates=True).exists():
        return
    meetup = Meetup.objects.get(pk=rsvp.meetup_id)
    _tell(
        [rsvp.member], kind=WAITLIST_PROMOTED, meetup=meetup, occurrence=rsvp.updated_at.isoformat()
    )


@receiver(events.meetup_created)
def announce_the_meetup(sender, *, meetup: Meetup, **kwargs) -> None:
    members = (
        Membership.objects.filter(
            group_id=meetup.group_id,
            status=Membership.Status.ACTIVE,
            member__profile__announcements=Announcements.IMMEDIATELY,
        )
        .exclude(member_id=meetup.created_by_id)
        .select_related("member")
    )
    _tell([membership.member for membership in members], kind=MEETUP_NEW, meetup=meetup)


@receiver(events.meetup_changed)
def tell_of_the_change(sender, *, change: MeetupChange, **kwargs) -> None:
    meetup = Meetup.objects.get(pk=change.meetup_id)
    kind = _notice_kind(change)
    if kind is None:
        return
    if change.kind == MeetupChange.Kind.CANCELLED:
        outbox_drop(kinds=list(REMINDER_KINDS), subject=subject_key(meetup))
    elif "starts_at" in change.new:
        for rsvp in Rsvp.objects.filter(meetup=meetup, response__in=REMINDED).select_related(
            "member__profile"
        ):
            reminders_plan(meetup=meetup, member=rsvp.member, response=rsvp.response)
    besides = change.by if change.kind == MeetupChange.Kind.CHANGED else None
    _tell(_concerned(meetup, besides=besides), kind=kind, meetup=meetup, occurrence=str(change.pk))


def _notice_kind(change: MeetupChange) -> str | None:
    was_tentative = change.old.get("status") == Meetup.Status.TENTATIVE
    if change.kind == MeetupChange.Kind.CHANGED:
        return MEETUP_CHANGED
    if change.kind == MeetupChange.Kind.CONFIRMED:
        return QUORUM_REACHED if was_tentative else None
    if was_tentative and change.by_id is None:
        return QUORUM_MISSED
    return MEETUP_CANCELLED
