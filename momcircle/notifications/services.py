"""Writes of notifications: each notice, reminder and weekly digest becomes a row in the
outbox (momcircle.outbox) for the audience that audiences.py names, and the renderers in
emails.py and digest.py write the emails when they are due."""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import Membership
from momcircle.circles.models import CircleWish, Proposal
from momcircle.notifications import audiences
from momcircle.notifications.digest import DIGEST_CATCH_UP, digest_moment, digest_week
from momcircle.notifications.kinds import (
    CIRCLE_KINDS,
    CIRCLE_PROPOSED,
    JOIN_APPROVED,
    JOIN_DECLINED,
    MEETUP_CANCELLED,
    MEETUP_CHANGED,
    MEETUP_CONVERSATION,
    MEETUP_NEW,
    QUORUM_MISSED,
    QUORUM_REACHED,
    REMINDER_KINDS,
    SERIES_CHANGED,
    SERIES_ENDED,
    SERIES_NEW,
    TOPICS,
    UPDATE_KINDS,
    WAITLIST_PROMOTED,
    WEEKLY_DIGEST,
    WISH_PAUSED,
)
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.services import Message, outbox_drop, outbox_enqueue, outbox_enqueue_new
from momcircle.outbox.tasks import dispatch_soon
from momcircle.profiles.models import Announcements, Profile
from momcircle.profiles.services import profile_set_notification_preferences
from scheduling.models import Meetup, MeetupChange, MeetupSeries, Rsvp, SeriesChange

# What decides when her reminders go: the evening one is at her chosen time on her clock.
REMINDER_PREFERENCES = frozenset(
    {"reminder_timing", "reminder_evening_time", "reminder_hours_before", "time_zone"}
)
ANNOUNCED_BY = {
    Announcements.IMMEDIATELY: (MEETUP_NEW, SERIES_NEW),
    Announcements.WEEKLY_DIGEST: (WEEKLY_DIGEST,),
}
SERIES_NOTICES = {SeriesChange.Kind.CHANGED: SERIES_CHANGED, SeriesChange.Kind.ENDED: SERIES_ENDED}
ANSWER_KINDS = {Membership.Status.ACTIVE: JOIN_APPROVED, Membership.Status.DECLINED: JOIN_DECLINED}
# At most one email about a meetup's conversation in this long, for each member.
CONVERSATION_SPACING = timedelta(minutes=30)


def _tell(members, *, kind: str, subject: str, occurrence: str = "") -> None:
    """Queue one message of the kind for each member, due now, and ask for a dispatch."""
    members = list(members)
    if not members:
        return
    outbox_enqueue(
        recipients=members,
        kind=kind,
        due_at=timezone.now(),
        subject=subject,
        occurrence=occurrence,
    )
    transaction.on_commit(dispatch_soon)


@transaction.atomic
def announcement_queue(*, meetup: Meetup) -> None:
    """A new meetup in her group, for those who want to hear right away."""
    _tell(audiences.announced_to(meetup), kind=MEETUP_NEW, subject=subject_key(meetup))


@transaction.atomic
def series_announcement_queue(*, series: MeetupSeries) -> None:
    """A new series in her group, once for all its meetups, for those who want to hear right
    away."""
    _tell(audiences.announced_to(series), kind=SERIES_NEW, subject=subject_key(series))


@transaction.atomic
def series_notice_queue(*, change: SeriesChange) -> None:
    """New details from a date on, or the series ended: one notice to each member concerned
    (not the organizer who changed it), however many of its meetups it moved or cancelled."""
    series = MeetupSeries.objects.get(pk=change.series_id)
    told = audiences.told_of_series(series, since=change.from_date)
    if change.kind == SeriesChange.Kind.CHANGED:
        told = told.exclude(pk=change.by_id)
    _tell(
        told,
        kind=SERIES_NOTICES[change.kind],
        subject=subject_key(series),
        occurrence=str(change.pk),
    )


@transaction.atomic
def change_notice_queue(*, change: MeetupChange) -> None:
    """A new time or place, a cancellation, a tentative meetup on or off: her reminders follow,
    and those in the meetup who want updates hear of it (not the organizer who made it); of a
    change its series made, they hear from the series instead."""
    meetup = Meetup.objects.get(pk=change.meetup_id)
    kind = _notice_kind(change)
    if kind is None:
        return
    if change.kind == MeetupChange.Kind.CANCELLED:
        outbox_drop(kinds=list(REMINDER_KINDS), subject=subject_key(meetup))
    elif "starts_at" in change.new:
        answers = Rsvp.objects.filter(meetup=meetup, response__in=audiences.REMINDED)
        for rsvp in answers.select_related("member__profile"):
            reminders_plan(meetup=meetup, member=rsvp.member, response=rsvp.response)
    if change.series_change_id is not None:
        return
    told = audiences.told_of_updates(meetup)
    if change.kind == MeetupChange.Kind.CHANGED:
        told = told.exclude(pk=change.by_id)
    _tell(told, kind=kind, subject=subject_key(meetup), occurrence=str(change.pk))


def _notice_kind(change: MeetupChange) -> str | None:
    was_tentative = change.old.get("status") == Meetup.Status.TENTATIVE
    if change.kind == MeetupChange.Kind.CHANGED:
        return MEETUP_CHANGED
    if change.kind == MeetupChange.Kind.CONFIRMED:
        return QUORUM_REACHED if was_tentative else None
    if was_tentative and change.by_id is None:
        return QUORUM_MISSED
    return MEETUP_CANCELLED


@transaction.atomic
def promotion_notice_queue(*, rsvp: Rsvp) -> None:
    """A seat came free and she moved up from the waitlist."""
    meetup = Meetup.objects.get(pk=rsvp.meetup_id)
    promoted = audiences.told_of_updates(meetup, answers=(audiences.GOING,)).filter(
        pk=rsvp.member_id
    )
    _tell(
        promoted,
        kind=WAITLIST_PROMOTED,
        subject=subject_key(meetup),
        occurrence=rsvp.updated_at.isoformat(),
    )


def conversation_window(due: datetime) -> str:
    """The half hour a conversation email is due in, its occurrence: "2026-03-10T20:30Z"."""
    utc = due.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H}:{utc.minute - utc.minute % 30:02d}Z"


@transaction.atomic
def conversation_email_queue(*, message, now: datetime | None = None) -> None:
    """A new message, for those told of it: an email waiting for her will list it anyway;
    otherwise one is queued, right away or 30 minutes after her last one about this meetup.
    Its occurrence names its half hour, so messages queued at once make one email."""
    now = now or timezone.now()
    subject = subject_key(message.meetup)
    told = list(audiences.told_of_message(message))
    theirs = OutboxMessage.objects.filter(
        kind=MEETUP_CONVERSATION, subject=subject, recipient__in=told
    )
    waiting = set(
        theirs.filter(status=OutboxMessage.Status.PENDING).values_list("recipient", flat=True)
    )
    last_sent = dict(
        theirs.filter(status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.SENDING])
        .values("recipient")
        .annotate(last=Max(Coalesce("sent_at", "claimed_at")))
        .values_list("recipient", "last")
    )
    due_for = defaultdict(list)
    for member in told:
        if member.pk not in waiting:
            last = last_sent.get(member.pk)
            due_for[max(now, last + CONVERSATION_SPACING) if last else now].append(member)
    for due, members in due_for.items():
        outbox_enqueue(
            recipients=members,
            kind=MEETUP_CONVERSATION,
            due_at=due,
            subject=subject,
            occurrence=conversation_window(due),
        )
    if now in due_for:
        transaction.on_commit(dispatch_soon)


@transaction.atomic
def join_answer_queue(*, membership: Membership) -> None:
    """The organizers' answer to her request, whatever her preferences: she asked."""
    _tell(
        [membership.member], kind=ANSWER_KINDS[membership.status], subject=subject_key(membership)
    )


@transaction.atomic
def circle_proposal_queue(*, proposal: Proposal) -> None:
    """A circle was found for her: "Meet your circle", with its I'm in / Not this one link."""
    _tell(audiences.proposed_to(proposal), kind=CIRCLE_PROPOSED, subject=subject_key(proposal))


@transaction.atomic
def wish_paused_queue(*, wish: CircleWish) -> None:
    """Two circles went by without her answer: her search is paused, and how to resume."""
    _tell(
        audiences.told_of_the_pause(wish),
        kind=WISH_PAUSED,
        subject=subject_key(wish),
        occurrence=wish.paused_at.isoformat(),
    )


@transaction.atomic
def circle_joined_announcement_queue(*, proposal: Proposal, member) -> None:
    """She joined a circle after it became a group: its first meetup is announced to her as
    it was to the others."""
    meetup = Meetup.objects.filter(pk=proposal.first_meetup_id).first()
    if meetup is None:
        return
    told = audiences.announced_to(meetup).filter(pk=member.pk)
    _tell(told, kind=MEETUP_NEW, subject=subject_key(meetup))


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
    wanted = audiences.wanted_reminders(meetup=meetup, response=response, profile=profile, now=now)
    # One already due may be waiting for the next dispatch or a retry: it is checked again
    # when it is written (emails.py), so only those still ahead are dropped here.
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
def reminders_plan_new(*, meetups: list[Meetup], now: datetime | None = None) -> None:
    """The reminders of the answers given on new meetups (a series' standing answers), all
    in one statement: a new meetup has none waiting, so none is dropped or brought back."""
    now = now or timezone.now()
    answers = Rsvp.objects.filter(
        meetup__in=meetups, response__in=audiences.REMINDED
    ).select_related("meetup", "member__profile")
    reminders = []
    for rsvp in answers:
        profile = getattr(rsvp.member, "profile", None)
        wanted = audiences.wanted_reminders(
            meetup=rsvp.meetup, response=rsvp.response, profile=profile, now=now
        )
        reminders += [
            Message(rsvp.member, kind, due, subject_key(rsvp.meetup), occurrence)
            for occurrence, (kind, due) in wanted.items()
        ]
    outbox_enqueue_new(reminders)


@transaction.atomic
def reminders_replan(*, member, now: datetime | None = None) -> None:
    """Her reminders for every meetup still ahead, after her reminder preferences changed."""
    now = now or timezone.now()
    # A waiting reminder keeps its row (one per start time) but not its due time: drop those
    # still ahead, and planning puts each one still wanted back in line at its new time.
    outbox_drop(kinds=list(REMINDER_KINDS), recipient=member, due_after=now)
    ahead = (
        Rsvp.objects.filter(
            member=member, response__in=audiences.REMINDED, meetup__starts_at__gt=now
        )
        .exclude(meetup__status=Meetup.Status.CANCELLED)
        .select_related("meetup")
        .order_by("meetup__starts_at")
    )
    for rsvp in ahead:
        reminders_plan(meetup=rsvp.meetup, member=member, response=rsvp.response, now=now)


@transaction.atomic
def preferences_follow(*, profile: Profile, changed: frozenset[str]) -> None:
    """What waits in the outbox for her follows the preferences she just saved."""
    member = profile.user
    if changed & REMINDER_PREFERENCES:
        reminders_replan(member=member)
    if "meetup_updates" in changed and not profile.meetup_updates:
        outbox_drop(kinds=list(UPDATE_KINDS), recipient=member)
    if "circle_proposals" in changed and not profile.circle_proposals:
        outbox_drop(kinds=list(CIRCLE_KINDS), recipient=member)
    if "conversation_emails" in changed and not profile.conversation_emails:
        outbox_drop(kinds=[MEETUP_CONVERSATION], recipient=member)
    if "announcements" in changed:
        every = {kind for kinds in ANNOUNCED_BY.values() for kind in kinds}
        unwanted = every - set(ANNOUNCED_BY.get(profile.announcements, ()))
        outbox_drop(kinds=sorted(unwanted), recipient=member)


@transaction.atomic
def email_topic_turn_off(*, member, topic: str) -> None:
    """She wants no more emails of this topic (a one-click unsubscribe): her preference says
    so, and whatever of it was still waiting to go is dropped."""
    profile = Profile.objects.get(user=member)
    profile_set_notification_preferences(profile=profile, preferences=TOPICS[topic].off)
    outbox_drop(kinds=list(TOPICS[topic].kinds), recipient=member)


def weekly_digests_queue(*, now: datetime | None = None) -> int:
    """Queue the week's digest for each member who chose one, once her Sunday 17:00 has come,
    at most once per week (whatever became of it). Returns how many were queued."""
    now = now or timezone.now()
    readers = audiences.digest_readers()
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
