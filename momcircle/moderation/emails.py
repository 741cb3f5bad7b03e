"""The email moderation sends through the outbox: the team's warning to a reported member,
which names the kind of report, never who sent it nor her words."""

from momcircle.moderation.models import Report
from momcircle.outbox.compose import compose
from momcircle.outbox.registry import renders

MEMBER_WARNING = "member_warning"


@renders(MEMBER_WARNING)
def member_warning(message):
    report = Report.objects.filter(
        pk=message.subject_pk("report"), reported_user=message.recipient
    ).first()
    if report is None:  # the report, or her account, is gone
        return None
    context = {
        "profile": getattr(message.recipient, "profile", None),
        "reason": report.get_reason_display(),
    }
    return compose(message=message, template=MEMBER_WARNING, context=context)
