"""The emails the groups app sends: a join request's answer."""

from groups.models import Membership
from momcircle.outbox.compose import compose
from momcircle.outbox.registry import renders

ANSWER_KINDS = {
    Membership.Status.ACTIVE: "join_approved",
    Membership.Status.DECLINED: "join_declined",
}


def _answered(message, status: str):
    membership = (
        Membership.objects.select_related("group", "member__profile")
        .filter(pk=message.occurrence, member=message.recipient, status=status)
        .first()
    )
    if membership is None:  # she left, or the decision was undone before the email went
        return None
    context = {"group": membership.group, "note": membership.decision_message}
    return compose(message=message, template=ANSWER_KINDS[status], context=context)


@renders("join_approved")
def join_approved(message):
    return _answered(message, Membership.Status.ACTIVE)


@renders("join_declined")
def join_declined(message):
    return _answered(message, Membership.Status.DECLINED)
