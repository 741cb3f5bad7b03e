"""The emails about circles, written when each is due: "Meet your circle" to those a circle
was proposed to, and the pause of her search. Each renderer asks audiences.py again whether
she is still one of those it is for (she may have answered already)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from momcircle.circles.models import CircleWish, ProposalSeat
from momcircle.circles.selectors import meet_your_circle
from momcircle.notifications import audiences
from momcircle.notifications.kinds import CIRCLE_PROPOSALS, CIRCLE_PROPOSED, WISH_PAUSED
from momcircle.notifications.language import renders_in_her_language
from momcircle.notifications.links import circle_url, unsubscribe_url
from momcircle.outbox.compose import compose
from scheduling.templatetags.meetups import moment, span


@renders_in_her_language(CIRCLE_PROPOSED)
def circle_proposed(message):
    member = message.recipient
    seat = (
        ProposalSeat.objects.select_related("proposal__group")
        .filter(proposal_id=message.subject_pk("proposal"), member=member)
        .first()
    )
    if seat is None or seat.proposal.deadline <= timezone.now():
        return None
    if not audiences.includes(audiences.proposed_to(seat.proposal), member):
        return None
    circle = meet_your_circle(seat=seat, viewer=member)
    proposal = seat.proposal
    context = {
        "circle": circle,
        "first_meetup": span(proposal.proposed_start, proposal.proposed_end, circle.zone),
        "deadline": moment(proposal.deadline, circle.zone),
        "answer_url": circle_url(member=member, proposal=proposal),
    }
    return compose(
        message=message,
        template=CIRCLE_PROPOSED,
        context=context,
        unsubscribe_url=unsubscribe_url(member=member, topic=CIRCLE_PROPOSALS),
    )


@renders_in_her_language(WISH_PAUSED)
def wish_paused(message):
    member = message.recipient
    wish = CircleWish.objects.filter(pk=message.subject_pk("circlewish"), member=member).first()
    if wish is None or not audiences.includes(audiences.told_of_the_pause(wish), member):
        return None
    context = {"wish_url": settings.SITE_URL + reverse("circles:wish")}
    return compose(
        message=message,
        template=WISH_PAUSED,
        context=context,
        unsubscribe_url=unsubscribe_url(member=member, topic=CIRCLE_PROPOSALS),
    )
