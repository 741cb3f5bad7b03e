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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from momcircle.circles.models import ProposalSeat
from momcircle.notifications.kinds import TOPICS
from momcircle.rules import RuleBroken
from scheduling.models import Meetup

RSVP_LINK_SALT = "scheduling.rsvp-link"
RSVP_LINK_MAX_AGE = timedelta(days=14)
UNSUBSCRIBE_SALT = "scheduling.unsubscribe"
NOT_VALID_FOR_MEETUP = _("This link is not valid. Open the meetup on MomCircle instead.")
CIRCLE_LINK_SALT = "circles.answer-link"
NOT_VALID_FOR_CIRCLE = _(
    "This link no longer works. Your circle, if it is still open, is on your home page."
)
NOT_VALID_FOR_EMAILS = _("This link is not valid. Change your email preferences instead.")


@dataclass(frozen=True)
class RsvpLink:
    member_id: int
    meetup_id: int


def _pair_token(salt: str, member, thing) -> str:
    """A link for one member and one thing (a meetup, a proposed circle), expiring."""
    return signing.TimestampSigner(salt=salt).sign(f"{member.pk}:{thing.pk}")


def _pair_from(token: str, *, salt: str, expired: str, invalid: str) -> tuple[int, int]:
    """(member id, thing id) of a valid, unexpired token."""
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token, max_age=RSVP_LINK_MAX_AGE)
    except signing.SignatureExpired as gone:
        raise RuleBroken(expired) from gone
    except signing.BadSignature as bad:
        raise RuleBroken(invalid) from bad
    member_id, thing_id = (int(part) for part in value.split(":"))
    return member_id, thing_id


def rsvp_token(*, member, meetup) -> str:
    return _pair_token(RSVP_LINK_SALT, member, meetup)


def rsvp_url(*, member, meetup) -> str:
    token = rsvp_token(member=member, meetup=meetup)
    return settings.SITE_URL + reverse("notifications:email_rsvp", args=[token])


def skip_url(*, member, meetup) -> str:
    """ "Can't go this week", for a meetup of a series she stands in."""
    token = rsvp_token(member=member, meetup=meetup)
    return settings.SITE_URL + reverse("notifications:email_skip", args=[token])


def rsvp_link_from(token: str) -> RsvpLink:
    member_id, meetup_id = _pair_from(
        token,
        salt=RSVP_LINK_SALT,
        expired=gettext(
            "This link has expired. Open the meetup on MomCircle to change your answer."
        ),
        invalid=NOT_VALID_FOR_MEETUP,
    )
    return RsvpLink(member_id=member_id, meetup_id=meetup_id)


def rsvp_target(link: RsvpLink, *, viewer) -> tuple[Meetup, object]:
    """(meetup, member) the link answers for; someone else signed in may not use it."""
    RuleBroken.unless(
        not viewer.is_authenticated or viewer.pk == link.member_id,
        gettext("This link was sent to another member. Open the meetup on MomCircle to answer."),
    )
    meetup = Meetup.objects.select_related("group").filter(pk=link.meetup_id).first()
    member = get_user_model().objects.filter(pk=link.member_id, is_active=True).first()
    RuleBroken.unless(
        meetup is not None and member is not None,
        gettext("This meetup or account no longer exists."),
    )
    return meetup, member


def circle_token(*, member, proposal) -> str:
    return _pair_token(CIRCLE_LINK_SALT, member, proposal)


def circle_url(*, member, proposal) -> str:
    token = circle_token(member=member, proposal=proposal)
    return settings.SITE_URL + reverse("notifications:email_circle", args=[token])


def circle_seat_from(token: str, *, viewer) -> ProposalSeat:
    """Her seat in the proposed circle the link is for; someone else signed in may not use it."""
    member_id, proposal_id = _pair_from(
        token, salt=CIRCLE_LINK_SALT, expired=NOT_VALID_FOR_CIRCLE, invalid=NOT_VALID_FOR_CIRCLE
    )
    RuleBroken.unless(
        not viewer.is_authenticated or viewer.pk == member_id,
        gettext("This link was sent to another member. Your own circle is on your home page."),
    )
    seat = (
        ProposalSeat.objects.select_related("proposal__group", "member__profile")
        .filter(proposal_id=proposal_id, member_id=member_id, member__is_active=True)
        .first()
    )
    RuleBroken.unless(seat is not None, gettext("This circle or account no longer exists."))
    return seat


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
