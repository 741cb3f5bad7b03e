"""The weekly digest: when it is due on her clock, and what it lists (the meetups announced in
her groups since the previous one)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from groups.models import Membership
from momcircle.notifications import audiences
from momcircle.notifications.kinds import ANNOUNCEMENTS, WEEKLY_DIGEST
from momcircle.notifications.links import rsvp_url, unsubscribe_url
from momcircle.outbox.compose import compose
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.registry import renders
from scheduling.models import Meetup
from scheduling.templatetags.meetups import span

DIGEST_WEEKDAY = 6  # Sunday: she plans her week on Sunday evening
DIGEST_TIME = time(17, 0)
# A beat that was down for a few hours still sends that week's digests, a little late.
DIGEST_CATCH_UP = timedelta(hours=6)


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


def _digest_starts(message, zone: str) -> datetime:
    """Where the previous digest left off; without one, her Sunday 17:00 a week before (on her
    clock: the week clocks fall back is 169 hours long)."""
    week_before = digest_moment(zone, message.due_at - timedelta(seconds=1))
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
    """Meetups announced in her groups between two digests that she can still go to. A series
    is announced once, by its first meetup: the others are made week by week."""
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
        .filter(Q(series__isnull=True) | Q(occurrence_date=F("series__starts_on")))
        .select_related("group")
        .order_by("starts_at", "pk")
    )


@renders(WEEKLY_DIGEST)
def weekly_digest(message):
    member = message.recipient
    if not audiences.wants_digest(member):
        return None
    zone = member.profile.time_zone
    meetups = _new_in_her_groups(member, since=_digest_starts(message, zone), until=message.due_at)
    if not meetups:
        return None
    entries = [
        {
            "meetup": meetup,
            "group": meetup.group,
            "when": span(meetup.starts_at, meetup.ends_at, zone),
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
