"""The signed links in emails that work without a login: "change my answer" for one member and
one meetup (expiring), "can't go this week" (the same token, to a page with that one button),
and "stop these emails" for one member and one topic. A link that does not work raises
RuleBroken with the sentence she reads."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from momcircle.notifications.kinds import TOPICS
from momcircle.rules import RuleBroken
from scheduling.models import Meetup

RSVP_LINK_SALT = "scheduling.rsvp-link"
RSVP_LINK_MAX_AGE = timedelta(days=14)
UNSUBSCRIBE_SALT = "scheduling.unsubscribe"
NOT_VALID_FOR_MEETUP = "This link is not valid. Open the meetup on MomCircle instead."
NOT_VALID_FOR_EMAILS = "This link is not valid. Change your email preferences instead."


@dataclass(frozen=True)
class RsvpLink:
    member_id: int
    meetup_id: int


def rsvp_token(*, member, meetup) -> str:
    return signing.TimestampSigner(salt=RSVP_LINK_SALT).sign(f"{member.pk}:{meetup.pk}")


def rsvp_url(*, member, meetup) -> str:
    token = rsvp_token(member=member, meetup=meetup)
    return settings.SITE_URL + reverse("notifications:email_rsvp", args=[token])


def skip_url(*, member, meetup) -> str:
    """ "Can't go this week", for a meetup of a series she stands in."""
    token = rsvp_token(member=member, meetup=meetup)
    return settings.SITE_URL + reverse("notifications:email_skip", args=[token])


def rsvp_link_from(token: str) -> RsvpLink:
    try:
        value = signing.TimestampSigner(salt=RSVP_LINK_SALT).unsign(
            token, max_age=RSVP_LINK_MAX_AGE
        )
    except signing.SignatureExpired as expired:
        raise RuleBroken(
            "This link has expired. Open the meetup on MomCircle to change your answer."
        ) from expired
    except signing.BadSignature as bad:
        raise RuleBroken(NOT_VALID_FOR_MEETUP) from bad
    member_id, meetup_id = (int(part) for part in value.split(":"))
    return RsvpLink(member_id=member_id, meetup_id=meetup_id)


def rsvp_target(link: RsvpLink, *, viewer) -> tuple[Meetup, object]:
    """(meetup, member) the link answers for; someone else signed in may not use it."""
    RuleBroken.unless(
        not viewer.is_authenticated or viewer.pk == link.member_id,
        "This link was sent to another member. Open the meetup on MomCircle to answer.",
    )
    meetup = Meetup.objects.select_related("group").filter(pk=link.meetup_id).first()
    member = get_user_model().objects.filter(pk=link.member_id, is_active=True).first()
    RuleBroken.unless(
        meetup is not None and member is not None, "This meetup or account no longer exists."
    )
    return meetup, member


def unsubscribe_token(*, member, topic: str) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{member.pk}:{topic}")


def unsubscribe_url(*, member, topic: str) -> str:
    token = unsubscribe_token(member=member, topic=topic)
    return settings.SITE_URL + reverse("notifications:email_unsubscribe", args=[token])


def unsubscribe_from(token: str) -> tuple[int, str]:
    """(member id, topic) of a valid token."""
    try:
        member_id, topic = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token).split(":")
    except (signing.BadSignature, ValueError) as bad:
        raise RuleBroken(NOT_VALID_FOR_EMAILS) from bad
    RuleBroken.unless(topic in TOPICS, NOT_VALID_FOR_EMAILS)
    return int(member_id), topic
