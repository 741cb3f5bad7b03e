"""Meetups as iCalendar (RFC 5545), for a download and for her private feed.

One UID per meetup, whichever calendar it travels in, and SEQUENCE is the meetup's sequence,
so a calendar app replaces its copy when the time, place or status changes. Times carry the
group's TZID with a matching VTIMEZONE.

A home's address is in the copy of those who may see it (scheduling.permissions.
can_see_address); that copy counts one change more, so that a calendar app which has the copy
without the address takes the one with it.
"""

from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from scheduling.models import Meetup
from scheduling.permissions import ADDRESS_LATER

PRODUCT_ID = "-//MomCircle//Meetups//EN"
STATUS = {
    Meetup.Status.TENTATIVE: "TENTATIVE",
    Meetup.Status.CONFIRMED: "CONFIRMED",
    Meetup.Status.CANCELLED: "CANCELLED",
}


def uid_of(meetup: Meetup) -> str:
    return f"meetup-{meetup.pk}@momcircle"


def _event(meetup: Meetup, url: str, address_shown: bool) -> Event:
    one_change_more = 1 if meetup.at_home and address_shown else 0
    address_later = ADDRESS_LATER if meetup.venue_address and not address_shown else ""
    event = Event()
    event.add("uid", uid_of(meetup))
    event.add("dtstamp", meetup.updated_at)
    event.add("created", meetup.created_at)
    event.add("last-modified", meetup.updated_at)
    event.add("sequence", meetup.sequence + one_change_more)
    event.add("status", STATUS[meetup.status])
    event.add("summary", meetup.title)
    event.add("dtstart", meetup.starts_at.astimezone(meetup.zone))
    event.add("dtend", meetup.ends_at.astimezone(meetup.zone))
    event.add("location", meetup.place if address_shown else meetup.place_without_address)
    event.add("url", url)
    parts = (address_later, meetup.description, url)
    event.add("description", "\n\n".join(part for part in parts if part))
    return event


def calendar_bytes(
    meetups: Iterable[Meetup],
    *,
    url_of: Callable[[Meetup], str],
    address_shown: Callable[[Meetup], bool],
    name: str | None = None,
) -> bytes:
    """The meetups as one calendar; `url_of(meetup)` is the absolute address of its page, and
    `address_shown(meetup)` tells whether the reader may see its address."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for meetup in meetups:
        calendar.add_component(_event(meetup, url_of(meetup), address_shown(meetup)))
    calendar.add_missing_timezones()
    return calendar.to_ical()
