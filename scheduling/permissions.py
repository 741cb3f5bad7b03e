"""Who may see and do what with meetups: used by services, views and templates (meetups tags).

Built on the group predicates, so a meetup is as visible as its group and the organizers of the
group are the organizers of its meetups.
"""

from datetime import datetime

from django.utils import timezone

from groups import permissions as group_permissions
from scheduling.models import Meetup, MeetupSeries

CANCELLED = "This meetup is cancelled."
STARTED = "This meetup has already started."
SERIES_ENDED = "This series has ended."


def can_see_meetup(user, meetup: Meetup) -> bool:
    """Title, date, neighborhood and kid mode: whoever may see the group."""
    return group_permissions.can_see_group(user, meetup.group)


def can_see_details(user, meetup: Meetup) -> bool:
    """Venue, address, online link, who is coming, the .ics: members only."""
    return group_permissions.is_member(user, meetup.group)


def can_plan(user, group) -> bool:
    """Start a new meetup for the group."""
    return group_permissions.can_manage(user, group)


def can_organize(user, meetup: Meetup) -> bool:
    """Edit or cancel the meetup (the service says no when it is over or cancelled)."""
    return group_permissions.can_manage(user, meetup.group)


def can_cancel(user, meetup: Meetup) -> bool:
    """Its organizers, or the MomCircle team (who cancel one from a report, in the admin; the
    site's own pages check can_organize)."""
    return can_organize(user, meetup) or user.is_staff


def can_follow_answers(user, meetup: Meetup) -> bool:
    """Her page brings in new answers as they come: an organizer's, while people can answer."""
    return can_organize(user, meetup) and change_refusal(meetup) is None


def change_refusal(meetup: Meetup, now: datetime | None = None) -> str | None:
    """Why the meetup can no longer be edited or cancelled, or None."""
    if meetup.is_cancelled:
        return CANCELLED
    if meetup.has_started(now):
        return STARTED
    return None


def rsvp_refusal(user, meetup: Meetup, now: datetime | None = None) -> str | None:
    """Why she may not answer (or change her answer), or None when she may."""
    if not group_permissions.is_member(user, meetup.group):
        return group_permissions.NOT_A_MEMBER
    if meetup.group.is_archived:
        return group_permissions.ARCHIVED
    return change_refusal(meetup, now or timezone.now())


def can_rsvp(user, meetup: Meetup) -> bool:
    return rsvp_refusal(user, meetup) is None


def can_see_series(user, series: MeetupSeries) -> bool:
    """What it is and when: whoever may see the group."""
    return group_permissions.can_see_group(user, series.group)


def can_see_series_details(user, series: MeetupSeries) -> bool:
    """Where, who stands in it, its .ics: members only."""
    return group_permissions.is_member(user, series.group)


def can_organize_series(user, series: MeetupSeries) -> bool:
    """Change it from an occurrence on, or end it."""
    return group_permissions.can_manage(user, series.group)


def series_change_refusal(series: MeetupSeries) -> str | None:
    """Why the series can no longer be changed or ended, or None."""
    return SERIES_ENDED if series.is_ended else None


def standing_refusal(user, series: MeetupSeries) -> str | None:
    """Why she may not say "I'm in every week" (or stop saying it), or None."""
    if not group_permissions.is_member(user, series.group):
        return group_permissions.NOT_A_MEMBER
    if series.group.is_archived:
        return group_permissions.ARCHIVED
    return series_change_refusal(series)
