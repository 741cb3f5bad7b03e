"""Meetup predicates as filters (`{% if user|can_organize:meetup %}`), times in words in a
given zone, a zone in words (`{{ group.time_zone|zone_name }}`: "Chicago time"), a series in
words (`{{ series|series_when }}`), and a group's coming meetups for its page
(`{% upcoming_meetups group user %}`)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.template.defaultfilters import pluralize
from django.utils import timezone

from momcircle.geo import zone_name
from scheduling import permissions, selectors

register = template.Library()

for name in (
    "can_see_details",
    "can_plan",
    "can_organize",
    "can_rsvp",
    "can_see_series_details",
    "can_organize_series",
):
    register.filter(name, getattr(permissions, name))
register.filter("zone_name", zone_name)


@register.filter
def can_change(meetup) -> bool:
    """Not cancelled and not started: it can still be edited or cancelled."""
    return permissions.change_refusal(meetup) is None


def _day(moment: datetime) -> str:
    text = f"{moment:%a %-d %b}"
    return text if moment.year == timezone.now().year else f"{text} {moment:%Y}"


@register.simple_tag
def moment(instant: datetime, zone: str) -> str:
    """E.g. "Tue 10 Mar, 20:30 CDT"."""
    local = instant.astimezone(ZoneInfo(zone))
    return f"{_day(local)}, {local:%H:%M %Z}"


@register.simple_tag
def span(start: datetime, end: datetime, zone: str) -> str:
    """E.g. "Tue 10 Mar, 20:30–22:00 CDT", or "Fri 13 Mar, 21:00 – Sat 14 Mar, 00:30 CDT"
    across midnight; each end names its own zone abbreviation when they differ (DST)."""
    tz = ZoneInfo(zone)
    start, end = start.astimezone(tz), end.astimezone(tz)
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{_day(end)}, {end:%H:%M}"
    if start.tzname() == end.tzname():
        separator = "–" if end.date() == start.date() else " – "
        return f"{_day(start)}, {start:%H:%M}{separator}{end_text} {end:%Z}"
    return f"{_day(start)}, {start:%H:%M %Z} – {end_text} {end:%Z}"


@register.filter
def series_when(series) -> str:
    """E.g. "Every other Tuesday, 20:30–22:00 Chicago time", and how it ends ("until 30 June
    2027", "6 times") when it does."""
    words = f"{series.rule.in_words()}, {series.hours} {zone_name(series.group.time_zone)}"
    ending = series.rule.end_in_words()
    return f"{words}, {ending}" if ending else words


@register.simple_tag
def seats(taken: int, capacity: int) -> str:
    """E.g. "4 of 6 seats left", or "Full: all 6 seats taken"."""
    left = capacity - taken
    if left > 0:
        return f"{left} of {capacity} seat{pluralize(capacity)} left"
    return "Full: its one seat is taken" if capacity == 1 else f"Full: all {capacity} seats taken"


@register.simple_tag
def her_span(meetup, user) -> str:
    """The meetup's time in her own zone, when hers is not the group's; else nothing."""
    profile = getattr(user, "profile", None)
    if profile is None or profile.time_zone == meetup.group.time_zone:
        return ""
    return span(meetup.starts_at, meetup.ends_at, profile.time_zone)


@register.inclusion_tag("scheduling/_upcoming_meetups.html")
def upcoming_meetups(group, user) -> dict:
    return {
        "group": group,
        "user": user,
        "meetups": selectors.upcoming_for_group(group, user),
    }
