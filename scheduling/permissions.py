"""Who may see and do what with meetups: used by services, views and templates (meetups tags).

Built on the group predicates, so a meetup is as visible as its group and the organizers of the
group are the organizers of its meetups.
"""

from datetime import datetime

from django.utils import timezone

from groups import permissions as group_permissions
from scheduling.models import Meetup, MeetupSeries, Rsvp

CANCELLED = "This meetup is cancelled."
STARTED = "This meetup has already started."
SERIES_ENDED = "This series has ended."
# Said in place of a home's address to whoever may not see it yet.
ADDRESS_LATER = "The address is shared with those going 24 hours before."


def can_see_meetup(user, meetup: Meetup) -> bool:
    """Title, date, neighborhood and kid mode: whoever may see the group."""
    return group_permissions.can_see_group(user, meetup.group)


def can_see_details(user, meetup: Meetup) -> bool:
    """Venue, address, online link, who is coming, the .ics: members only."""
    return group_permissions.is_member(user, meetup.group)


def is_going(user, meetup: Meetup) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and Rsvp.objects.filter(meetup=meetup, member=user, response=Rsvp.Response.GOING).exists()
    )


def can_see_address(user, meetup: Meetup | MeetupSeries, now: datetime | None = None) -> bool:
    """The venue's address, on the page, in the .ics and in emails: for every member, unless
    the venue is someone's home. A home's address is for the organizers (who enter and edit
    it), and for the members going from 24 hours before the start, unless it is cancelled. A
    series at someone's home shows it to its organizers only: each of its meetups shows it to
    those going, from 24 hours before."""
    if isinstance(meetup, MeetupSeries):
        return can_see_series_address(user, meetup)
    if not meetup.at_home:
        return can_see_details(user, meetup)
    if can_organize(user, meetup):
        return True
    return (
        not meetup.is_cancelled
        and (now or timezone.now()) >= meetup.home_address_shown_from
        and can_see_details(user, meetup)
        and is_going(user, meetup)
    )


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


def can_see_series_address(user, series: MeetupSeries) -> bool:
    if series.at_home:
        return can_organize_series(user, series)
    return can_see_series_details(user, series)


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
