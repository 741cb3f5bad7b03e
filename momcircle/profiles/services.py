"""Writes about a member: onboarding, profile edits, preferences and account deletion;
blocks, reports and what the team does about them."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from groups.models import Group, Membership
from groups.services import group_archive, group_hand_over_or_archive, group_weeks_refresh
from momcircle.availability.slots import weekly_slot_mask
from momcircle.availability.windows import InvalidWindow, WeeklyWindow, merge_windows
from momcircle.events import send_after_commit
from momcircle.profiles import events, permissions
from momcircle.profiles.models import AvailabilityWindow, Block, Profile, Report, WeeklyFreeSlots
from momcircle.profiles.presets import Preset
from momcircle.profiles.selectors import weekly_windows_for
from momcircle.ratelimit import REPORTS, spend
from momcircle.rules import RuleBroken
from scheduling.models import Meetup
from scheduling.services import meetup_cancel, rsvps_release_everywhere

User = get_user_model()


@transaction.atomic
def profile_save(*, user: User, fields: dict) -> Profile:
    """Create or update her profile from validated fields (see ProfileForm.profile_fields)."""
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    old_zone = profile.time_zone
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    if old_zone and old_zone != profile.time_zone:  # a new profile has none
        send_after_commit(
            events.email_timing_changed,
            sender=Profile,
            profile=profile,
            changed=frozenset({"time_zone"}),
        )
    return profile


@transaction.atomic
def profile_finish_onboarding(*, profile: Profile) -> Profile:
    """Mark onboarding done once her profile and her weekly availability are in."""
    if profile.onboarded_at is None:
        profile.onboarded_at = timezone.now()
        profile.save(update_fields=["onboarded_at", "updated_at"])
    return profile


@transaction.atomic
def profile_set_notification_preferences(*, profile: Profile, preferences: dict) -> Profile:
    """Save them; the emails waiting for her follow in the same transaction (a reminder at
    her old evening time must not go out after she moved it)."""
    stored = Profile.objects.select_for_update().get(pk=profile.pk)
    changed = frozenset(
        name for name, value in preferences.items() if getattr(stored, name) != value
    )
    for name, value in preferences.items():
        setattr(profile, name, value)
    profile.save(update_fields=[*preferences, "updated_at"])
    if changed:
        send_after_commit(
            events.email_timing_changed, sender=Profile, profile=profile, changed=changed
        )
    return profile


# --- weekly availability --------------------------------------------------------------------

MAX_WINDOWS = 60


@transaction.atomic
def availability_replace(
    *, member: User, windows: Iterable[WeeklyWindow]
) -> list[AvailabilityWindow]:
    """Make `windows`, merged, her whole week; when one is not valid, nothing is saved."""
    try:
        merged = merge_windows(windows)
    except InvalidWindow as invalid:
        raise RuleBroken(str(invalid)) from invalid
    RuleBroken.unless(
        len(merged) <= MAX_WINDOWS,
        f"That is more than {MAX_WINDOWS} separate times a week; join some of them up.",
    )
    _lock_week_of(member)
    AvailabilityWindow.objects.filter(member=member).delete()
    stored = AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            member=member,
            weekday=window.weekday,
            start_minute=window.start,
            end_minute=window.end,
            mode=window.mode,
        )
        for window in merged
    )
    WeeklyFreeSlots.objects.update_or_create(
        member=member, defaults={"slots": sorted(weekly_slot_mask(merged))}
    )
    send_after_commit(events.availability_changed, sender=AvailabilityWindow, member=member)
    return stored


@transaction.atomic
def availability_add_preset(*, member: User, preset: Preset) -> list[AvailabilityWindow]:
    """Add a preset's windows to the ones she already has."""
    _lock_week_of(member)
    current = weekly_windows_for(member)
    return availability_replace(member=member, windows=[*current, *preset.windows])


def _lock_week_of(member: User) -> None:
    # Two saves at once would each delete, then both insert: serialize them on her user row.
    User.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove her and everything about her; groups she organizes keep going without her."""
    organizing = Membership.objects.select_for_update().filter(
        member=user, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    )
    for membership in organizing.select_related("group"):
        group_hand_over_or_archive(group=membership.group, leaving=user)
    her_groups = list(
        Membership.objects.filter(member=user, status=Membership.Status.ACTIVE).values_list(
            "group_id", flat=True
        )
    )
    rsvps_release_everywhere(member=user)
    # Cascades remove her profile, weekly availability, memberships and email addresses.
    user.delete()
    group_weeks_refresh(group_ids=her_groups)


@transaction.atomic
def member_block(*, blocker: User, blocked: User) -> Block:
    """From now on neither sees the other in member lists or suggestions, and the blocked
    one can't join a group the blocker organizes. Blocking twice changes nothing."""
    RuleBroken.unless(blocker.pk != blocked.pk, "You can't block yourself.")
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


@transaction.atomic
def member_unblock(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


@transaction.atomic
def report_file(
    *,
    reporter: User,
    reason: str,
    details: str = "",
    reported_user: User | None = None,
    reported_group: Group | None = None,
    reported_meetup: Meetup | None = None,
) -> Report:
    """A report for the team about one member, group or meetup she can see."""
    targets = (reported_user, reported_group, reported_meetup)
    if sum(target is not None for target in targets) != 1:
        raise TypeError(
            "report_file() takes exactly one of reported_user, reported_group and reported_meetup"
        )
    spend(REPORTS, member=reporter)
    if reported_user is not None:
        RuleBroken.unless(reported_user.pk != reporter.pk, "You can't report yourself.")
        RuleBroken.unless(
            permissions.can_see_profile(reporter, reported_user),
            "You can report members of your groups only.",
        )
    elif reported_group is not None:
        RuleBroken.unless(
            permissions.can_report_group(reporter, reported_group), "That group can't be found."
        )
    else:
        RuleBroken.unless(
            permissions.can_report_meetup(reporter, reported_meetup),
            "That meetup can't be found.",
        )
    RuleBroken.unless(reason in Report.Reason.values, "Choose what the report is about.")
    details = details.strip()
    max_length = Report._meta.get_field("details").max_length
    RuleBroken.unless(len(details) <= max_length, f"Keep it to {max_length} characters or fewer.")
    return Report.objects.create(
        reporter=reporter,
        reported_user=reported_user,
        reported_group=reported_group,
        reported_meetup=reported_meetup,
        reason=reason,
        details=details,
    )


def _open_report(report: Report, by: User) -> Report:
    RuleBroken.unless(by.is_staff, "Only the MomCircle team can handle reports.")
    report = Report.objects.select_for_update().get(pk=report.pk)
    RuleBroken.unless(
        report.status == Report.Status.OPEN, f"Report #{report.pk} is already handled."
    )
    return report


def _close_report(report: Report, *, by: User, status: str, outcome: str) -> Report:
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
    return _close_report(report, by=by, status=Report.Status.DISMISSED, outcome="Dismissed.")


@transaction.atomic
def report_warn(*, report: Report, by: User) -> Report:
    """Emails the reported member a warning that names the kind of report, never who sent it
    nor her words."""
    report = _open_report(report, by)
    member = _reported_member(report)
    context = {
        "profile": getattr(member, "profile", None),
        "reason": report.get_reason_display(),
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("email/member_warning.subject.txt", context).strip()
    body = render_to_string("email/member_warning.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [member.email]))
    return _close_report(report, by=by, status=Report.Status.ACTIONED, outcome="Warned.")


@transaction.atomic
def member_suspend(*, member: User, by: User) -> User:
    """She can no longer log in (sessions she has open stop working on their next request:
    Django's backends refuse inactive accounts), and her places at coming meetups go to
    the women waiting for them."""
    RuleBroken.unless(by.is_staff, "Only the MomCircle team can suspend a member.")
    RuleBroken.unless(member.pk != by.pk, "You can't suspend yourself.")
    member = User.objects.select_for_update().get(pk=member.pk)
    member.is_active = False
    member.save(update_fields=["is_active"])
    rsvps_release_everywhere(member=member)
    return member


@transaction.atomic
def report_suspend(*, report: Report, by: User) -> Report:
    report = _open_report(report, by)
    member_suspend(member=_reported_member(report), by=by)
    return _close_report(report, by=by, status=Report.Status.ACTIONED, outcome="Suspended.")


@transaction.atomic
def report_archive_group(*, report: Report, by: User) -> Report:
    report = _open_report(report, by)
    RuleBroken.unless(
        report.reported_group_id is not None, f"Report #{report.pk} is not about a group."
    )
    if report.reported_group.is_archived:  # another report about it came first
        outcome = "The group was already archived."
    else:
        group_archive(group=report.reported_group, by=by)
        outcome = "Group archived."
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
        outcome = "The meetup was already cancelled."
    else:
        meetup_cancel(meetup=report.reported_meetup, by=by)
        outcome = "Meetup cancelled."
    return _close_report(report, by=by, status=Report.Status.ACTIONED, outcome=outcome)
