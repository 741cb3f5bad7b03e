"""Writes of moderation: reports about a member, a group, a meetup or a message, and what the
team does about them (dismiss, warn, suspend, archive the group, cancel the meetup, hide the
message)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from groups.models import Group
from groups.services import group_archive
from momcircle.conversation.models import Message
from momcircle.conversation.services import message_hide
from momcircle.moderation import permissions
from momcircle.moderation.emails import MEMBER_WARNING
from momcircle.moderation.models import Report
from momcircle.outbox.models import subject_key
from momcircle.outbox.services import outbox_enqueue
from momcircle.outbox.tasks import dispatch_soon
from momcircle.ratelimit import REPORTS, spend
from momcircle.rules import RuleBroken
from scheduling.models import Meetup
from scheduling.services import meetup_cancel, rsvps_release_everywhere

User = get_user_model()


@transaction.atomic
def report_file(
    *,
    reporter: User,
    reason: str,
    details: str = "",
    reported_user: User | None = None,
    reported_group: Group | None = None,
    reported_meetup: Meetup | None = None,
    reported_message: Message | None = None,
) -> Report:
    """A report for the team about one member, group, meetup or message she can see."""
    targets = (reported_user, reported_group, reported_meetup, reported_message)
    if sum(target is not None for target in targets) != 1:
        raise TypeError(
            "report_file() takes exactly one of reported_user, reported_group, reported_meetup "
            "and reported_message"
        )
    spend(REPORTS, member=reporter)
    if reported_user is not None:
        RuleBroken.unless(reported_user.pk != reporter.pk, gettext("You can't report yourself."))
        RuleBroken.unless(
            permissions.can_report_member(reporter, reported_user),
            gettext("You can report members of your groups only."),
        )
    elif reported_group is not None:
        RuleBroken.unless(
            permissions.can_report_group(reporter, reported_group),
            gettext("That group can't be found."),
        )
    elif reported_meetup is not None:
        RuleBroken.unless(
            permissions.can_report_meetup(reporter, reported_meetup),
            gettext("That meetup can't be found."),
        )
    else:
        RuleBroken.unless(
            permissions.can_report_message(reporter, reported_message),
            gettext("That message can't be found."),
        )
    RuleBroken.unless(reason in Report.Reason.values, gettext("Choose what the report is about."))
    details = details.strip()
    max_length = Report._meta.get_field("details").max_length
    RuleBroken.unless(
        len(details) <= max_length,
        gettext("Keep it to %(count)s characters or fewer.") % {"count": max_length},
    )
    return Report.objects.create(
        reporter=reporter,
        reported_user=reported_user,
        reported_group=reported_group,
        reported_meetup=reported_meetup,
        reported_message=reported_message,
        reason=reason,
        details=details,
    )


def _open_report(report: Report, by: User) -> Report:
    RuleBroken.unless(by.is_staff, gettext("Only the MomCircle team can handle reports."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    RuleBroken.unless(
        report.status == Report.Status.OPEN, f"Report #{report.pk} is already handled."
    )
    return report


def _close_report(report: Report, *, by: User, status: str, outcome: Report.Outcome) -> Report:
    report.status = status
    report.outcome = outcome
    report.handled_by = by
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "outcome", "handled_by", "handled_at"])
    return report


def _reported_member(report: Report) -> User:
    RuleBroken.unless(
        report.reported_user_id is not None, f"Report #{report.pk} is not about a member."
    )
    return report.reported_user


@transaction.atomic
def report_dismiss(*, report: Report, by: User) -> Report:
    report = _open_report(report, by)
    return _close_report(
        report, by=by, status=Report.Status.DISMISSED, outcome=Report.Outcome.DISMISSED
    )


@transaction.atomic
def report_warn(*, report: Report, by: User) -> Report:
    """Emails the reported member a warning that names the kind of report, never who sent it
    nor her words."""
    report = _open_report(report, by)
    member = _reported_member(report)
    outbox_enqueue(
        recipients=[member],
        kind=MEMBER_WARNING,
        due_at=timezone.now(),
        subject=subject_key(report),
    )
    transaction.on_commit(dispatch_soon)
    return _close_report(
        report, by=by, status=Report.Status.ACTIONED, outcome=Report.Outcome.WARNED
    )


@transaction.atomic
def member_suspend(*, member: User, by: User) -> User:
    """She can no longer log in (sessions she has open stop working on their next request:
    Django's backends refuse inactive accounts), and her places at coming meetups go to
    the women waiting for them."""
    RuleBroken.unless(by.is_staff, gettext("Only the MomCircle team can suspend a member."))
    RuleBroken.unless(member.pk != by.pk, gettext("You can't suspend yourself."))
    member = User.objects.select_for_update().get(pk=member.pk)
    member.is_active = False
    member.save(update_fields=["is_active"])
    rsvps_release_everywhere(member=member)
    return member


@transaction.atomic
def report_suspend(*, report: Report, by: User) -> Report:
    report = _open_report(report, by)
    member_suspend(member=_reported_member(report), by=by)
    return _close_report(
        report, by=by, status=Report.Status.ACTIONED, outcome=Report.Outcome.SUSPENDED
    )


@transaction.atomic
def report_archive_group(*, report: Report, by: User) -> Report:
    report = _open_report(report, by)
    RuleBroken.unless(
        report.reported_group_id is not None, f"Report #{report.pk} is not about a group."
    )
    if report.reported_group.is_archived:  # another report about it came first
        outcome = Report.Outcome.GROUP_ALREADY_ARCHIVED
    else:
        group_archive(group=report.reported_group, by=by)
        outcome = Report.Outcome.GROUP_ARCHIVED
    return _close_report(report, by=by, status=Report.Status.ACTIONED, outcome=outcome)


@transaction.atomic
def report_cancel_meetup(*, report: Report, by: User) -> Report:
    """Cancels the reported meetup like any cancellation: members are told, reminders dropped.
    No reason is passed, as members would read it as the organizers' words."""
    report = _open_report(report, by)
    RuleBroken.unless(
        report.reported_meetup_id is not None, f"Report #{report.pk} is not about a meetup."
    )
    if report.reported_meetup.is_cancelled:  # another report about it came first
        outcome = Report.Outcome.MEETUP_ALREADY_CANCELLED
    else:
        meetup_cancel(meetup=report.reported_meetup, by=by)
        outcome = Report.Outcome.MEETUP_CANCELLED
    return _close_report(report, by=by, status=Report.Status.ACTIONED, outcome=outcome)


@transaction.atomic
def report_hide_message(*, report: Report, by: User) -> Report:
    """Takes the reported message off the meetup's page, as an organizer's hiding does."""
    report = _open_report(report, by)
    RuleBroken.unless(
        report.reported_message_id is not None, f"Report #{report.pk} is not about a message."
    )
    if not report.reported_message.is_shown:  # hidden, or deleted by her, already
        outcome = Report.Outcome.MESSAGE_ALREADY_GONE
    else:
        message_hide(message=report.reported_message, by=by)
        outcome = Report.Outcome.MESSAGE_HIDDEN
    return _close_report(report, by=by, status=Report.Status.ACTIONED, outcome=outcome)
