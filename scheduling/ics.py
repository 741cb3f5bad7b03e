"""Meetups as iCalendar (RFC 5545), for a download and for her private feed.

One UID per meetup, whichever calendar it travels in, and SEQUENCE is the meetup's sequence,
so a calendar app replaces its copy when the time, place or status changes. Times carry the
group's TZID with a matching VTIMEZONE.
"""

from collections.abc import Iterable

from icalendar import Calendar, Event

from scheduling.models import Meetup

PRODUCT_ID = "-//MomCircle//Meetups//EN"
STATUS = {
    Meetup.Status.TENTATIVE: "TENTATIVE",
    Meetup.Status.CONFIRMED: "CONFIRMED",
    Meetup.Status.CANCELLED: "CANCELLED",
}


def uid_of(meetup: Meetup) -> str:
    return f"meetup-{meetup.pk}@momcircle"


def _event(meetup: Meetup, url: str) -> Event:
    event = Event()
    event.add("uid", uid_of(meetup))
    event.add("dtstamp", meetup.updated_at)
    event.add("created", meetup.created_at)
    event.add("last-modified", meetup.updated_at)
    event.add("sequence", meetup.sequence)
    event.add("status", STATUS[meetup.status])
    event.add("summary", meetup.title)
    event.add("dtstart", meetup.starts_at.astimezone(meetup.zone))
    event.add("dtend", meetup.ends_at.astimezone(meetup.zone))
    event.add("location", meetup.place)
    event.add("url", url)
    event.add("description", "\n\n".join(part for part in (meetup.description, url) if part))
    return event


def calendar_bytes(meetups: Iterable[Meetup], *, url_of, name: str | None = None) -> bytes:
    """The meetups as one calendar; `url_of(meetup)` is the absolute address of its page."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for meetup in meetups:
        calendar.add_component(_event(meetup, url_of(meetup)))
    calendar.add_missing_timezones()
    return calendar.to_ical()
