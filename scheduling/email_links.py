"""The kinds of email scheduling sends, and the signed links in them that work without a
login: "change my RSVP" for one member and one meetup (expiring), and "stop these emails"
for one member and one topic."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

REMINDER_EVENING = "reminder_evening"
REMINDER_HOURS = "reminder_hours"
REMINDER_KINDS = (REMINDER_EVENING, REMINDER_HOURS)
MEETUP_NEW = "meetup_new"
MEETUP_CHANGED = "meetup_changed"
MEETUP_CANCELLED = "meetup_cancelled"
WAITLIST_PROMOTED = "waitlist_promoted"
QUORUM_REACHED = "quorum_reached"
QUORUM_MISSED = "quorum_missed"
WEEKLY_DIGEST = "weekly_digest"
UPDATE_KINDS = (MEETUP_CHANGED, MEETUP_CANCELLED, WAITLIST_PROMOTED, QUORUM_REACHED, QUORUM_MISSED)

REMINDERS = "reminders"
ANNOUNCEMENTS = "announcements"
MEETUP_UPDATES = "meetup_updates"
TOPIC_KINDS = {
    REMINDERS: REMINDER_KINDS,
    ANNOUNCEMENTS: (MEETUP_NEW, WEEKLY_DIGEST),
    MEETUP_UPDATES: UPDATE_KINDS,
}
# What the unsubscribe page calls each topic: "Stop …?", "You will get no more …".
TOPIC_NAMES = {
    REMINDERS: "meetup reminders",
    ANNOUNCEMENTS: "emails about new meetups in your groups",
    MEETUP_UPDATES: "updates about your meetups (changes, cancellations, waitlist and quorum news)",
}

RSVP_LINK_SALT = "scheduling.rsvp-link"
RSVP_LINK_MAX_AGE = timedelta(days=14)
UNSUBSCRIBE_SALT = "scheduling.unsubscribe"


class BadLink(Exception):
    """The sentence she reads when a link from an email does not work."""


@dataclass(frozen=True)
class RsvpLink:
    member_id: int
    meetup_id: int


def rsvp_token(*, member, meetup) -> str:
    return signing.TimestampSigner(salt=RSVP_LINK_SALT).sign(f"{member.pk}:{meetup.pk}")


def rsvp_url(*, member, meetup) -> str:
    token = rsvp_token(member=member, meetup=meetup)
    return settings.SITE_URL + reverse("scheduling:email_rsvp", args=[token])


def rsvp_link_from(token: str) -> RsvpLink:
    try:
        value = signing.TimestampSigner(salt=RSVP_LINK_SALT).unsign(
            token, max_age=RSVP_LINK_MAX_AGE
        )
    except signing.SignatureExpired as expired:
        raise BadLink(
            "This link has expired. Open the meetup on MomCircle to change your answer."
        ) from expired
    except signing.BadSignature as bad:
        raise BadLink("This link is not valid. Open the meetup on MomCircle instead.") from bad
    member_id, meetup_id = (int(part) for part in value.split(":"))
    return RsvpLink(member_id=member_id, meetup_id=meetup_id)


def unsubscribe_token(*, member, topic: str) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{member.pk}:{topic}")


def unsubscribe_url(*, member, topic: str) -> str:
    token = unsubscribe_token(member=member, topic=topic)
    return settings.SITE_URL + reverse("scheduling:email_unsubscribe", args=[token])


def unsubscribe_from(token: str) -> tuple[int, str]:
    """(member id, topic) of a valid token."""
    try:
        member_id, topic = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token).split(":")
    except (signing.BadSignature, ValueError) as bad:
        raise BadLink("This link is not valid. Change your email preferences instead.") from bad
    if topic not in TOPIC_KINDS:
        raise BadLink("This link is not valid. Change your email preferences instead.")
    return int(member_id), topic


def rsvp_target(link: RsvpLink, *, viewer):
    """(meetup, member) the link answers for; someone else signed in may not use it."""
    from django.contrib.auth import get_user_model

    from scheduling.models import Meetup

    if viewer.is_authenticated and viewer.pk != link.member_id:
        raise BadLink(
            "This link was sent to another member. Open the meetup on MomCircle to answer."
        )
    meetup = Meetup.objects.select_related("group").filter(pk=link.meetup_id).first()
    member = get_user_model().objects.filter(pk=link.member_id, is_active=True).first()
    if meetup is None or member is None:
        raise BadLink("This meetup or account no longer exists.")
    return meetup, member
