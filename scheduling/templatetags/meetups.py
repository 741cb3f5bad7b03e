"""Meetup predicates as filters (`{% if user|can_organize:meetup %}`), times in words in a
given zone, a zone in words (`{{ group.time_zone|zone_name }}`: "Chicago time"), a series in
words (`{{ series|series_when }}`), and a group's coming meetups for its page
(`{% upcoming_meetups group user %}`)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from momcircle.availability.recurrence import BIWEEKLY, LAST, WEEKLY, Recurrence
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
    """E.g. "Tue 10 Mar" in English, "mar 10 mar" in Spanish (momcircle/formats/)."""
    text = date_format(moment, "MEETUP_DAY_FORMAT")
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
    words = f"{rhythm_in_words(series.rule)}, {series.hours} {zone_name(series.group.time_zone)}"
    ending = end_in_words(series.rule)
    return f"{words}, {ending}" if ending else words


ORDINALS = {1: _("1st"), 2: _("2nd"), 3: _("3rd"), 4: _("4th"), LAST: _("last")}


@register.filter(name="rhythm")
def rhythm_in_words(rule: Recurrence) -> str:
    """E.g. "Every Tuesday", "Every other Tuesday", "The 2nd Tuesday of each month", in her
    language (the recurrence module's own words are English)."""
    rule.validate()
    day = WEEKDAYS[rule.weekday]
    if rule.frequency == WEEKLY:
        return gettext("Every %(day)s") % {"day": day}
    if rule.frequency == BIWEEKLY:
        return gettext("Every other %(day)s") % {"day": day}
    return gettext("The %(ordinal)s %(day)s of each month") % {
        "ordinal": ORDINALS[rule.week_of_month],
        "day": day,
    }


def end_in_words(rule: Recurrence) -> str:
    """E.g. "until 30 June 2027", "6 times", or "" when open-ended."""
    if rule.until is not None:
        until = date_format(rule.until, pgettext("the last date of a series", "j F Y"))
        return gettext("until %(date)s") % {"date": until}
    if rule.count is not None:
        if rule.count == 1:
            return gettext("once")
        return ngettext("%(count)s time", "%(count)s times", rule.count) % {"count": rule.count}
    return ""


@register.simple_tag
def seats(taken: int, capacity: int) -> str:
    """E.g. "4 of 6 seats left", or "Full: all 6 seats taken"."""
    left = capacity - taken
    if left > 0:
        return ngettext(
            "%(left)s of %(capacity)s seat left", "%(left)s of %(capacity)s seats left", capacity
        ) % {"left": left, "capacity": capacity}
    if capacity == 1:
        return gettext("Full: its one seat is taken")
    return gettext("Full: all %(capacity)s seats taken") % {"capacity": capacity}


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
