"""The email moderation sends through the outbox: the team's warning to a reported member,
which names the kind of report, never who sent it nor her words."""

from momcircle.moderation.models import Report
from momcircle.notifications.language import renders_in_her_language
from momcircle.outbox.compose import compose

MEMBER_WARNING = "member_warning"


@renders_in_her_language(MEMBER_WARNING)
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
