"""Meetups and series as iCalendar (RFC 5545), for a download and for her private feed.

One UID per meetup, whichever calendar it travels in, and SEQUENCE is the meetup's sequence,
so a calendar app replaces its copy when the time, place or status changes. Times carry the
group's TZID with a matching VTIMEZONE.

A series is one VEVENT with its RRULE (UID "series-<pk>@momcircle", SEQUENCE the series'),
an EXDATE for each date left out of her calendar (cancelled, or she can't go), and for each
occurrence changed on its own an overriding VEVENT with the same UID and its RECURRENCE-ID
(the start its rule gives it), whose SEQUENCE adds the meetup's changes to the series'.

A home's address is in the copy of those who may see it (scheduling.permissions.
can_see_address); that copy counts one change more, so that a calendar app which has the copy
without the address takes the one with it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from icalendar import Calendar, Event, vRecur

from scheduling.models import Meetup, MeetupSeries
from scheduling.permissions import ADDRESS_LATER

PRODUCT_ID = "-//MomCircle//Meetups//EN"
STATUS = {
    Meetup.Status.TENTATIVE: "TENTATIVE",
    Meetup.Status.CONFIRMED: "CONFIRMED",
    Meetup.Status.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class SeriesCalendar:
    """A series as one member's calendar shows it."""

    series: MeetupSeries
    excluded: list[date] = field(default_factory=list)
    overrides: list[Meetup] = field(default_factory=list)


def uid_of(meetup: Meetup) -> str:
    return f"meetup-{meetup.pk}@momcircle"


def series_uid_of(series: MeetupSeries) -> str:
    return f"series-{series.pk}@momcircle"


def _describe(event: Event, thing: Meetup | MeetupSeries, url: str, address_shown: bool) -> None:
    address_later = ADDRESS_LATER if thing.venue_address and not address_shown else ""
    event.add("dtstamp", thing.updated_at)
    event.add("created", thing.created_at)
    event.add("last-modified", thing.updated_at)
    event.add("summary", thing.title)
    event.add("location", thing.place if address_shown else thing.place_without_address)
    event.add("url", url)
    parts = (address_later, thing.description, url)
    event.add("description", "\n\n".join(part for part in parts if part))


def _event(
    meetup: Meetup, url: str, address_shown: bool, *, uid: str | None = None, sequence: int = 0
) -> Event:
    one_change_more = 1 if meetup.at_home and address_shown else 0
    event = Event()
    event.add("uid", uid or uid_of(meetup))
    event.add("sequence", meetup.sequence + sequence + one_change_more)
    event.add("status", STATUS[meetup.status])
    event.add("dtstart", meetup.starts_at.astimezone(meetup.zone))
    event.add("dtend", meetup.ends_at.astimezone(meetup.zone))
    _describe(event, meetup, url, address_shown)
    return event


def _series_events(entry: SeriesCalendar, url_of: Callable, address_shown: Callable) -> list[Event]:
    series = entry.series
    zone = series.zone
    start, end = series.span_on(series.starts_on)
    master = Event()
    master.add("uid", series_uid_of(series))
    master.add("status", "CONFIRMED")
    master.add("dtstart", start.astimezone(zone))
    master.add("dtend", end.astimezone(zone))
    master.add("rrule", vRecur.from_ical(series.rule.rrule(zone, series.start_time)))
    if entry.excluded:
        master.add("exdate", [series.original_start(day) for day in sorted(entry.excluded)])
    shown = address_shown(series)
    master.add("sequence", series.sequence + (1 if series.at_home and shown else 0))
    _describe(master, series, url_of(series), shown)
    overrides = []
    for meetup in entry.overrides:
        override = _event(
            meetup,
            url_of(meetup),
            address_shown(meetup),
            uid=series_uid_of(series),
            sequence=series.sequence,
        )
        override.add("recurrence-id", series.original_start(meetup.occurrence_date))
        overrides.append(override)
    return [master, *overrides]


def calendar_bytes(
    meetups: Iterable[Meetup],
    *,
    url_of: Callable,
    address_shown: Callable,
    name: str | None = None,
    series: Iterable[SeriesCalendar] = (),
) -> bytes:
    """The meetups and series as one calendar; `url_of(thing)` is the absolute address of a
    meetup's or a series' page, and `address_shown(thing)` tells whether the reader may see
    its address."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for meetup in meetups:
        calendar.add_component(_event(meetup, url_of(meetup), address_shown(meetup)))
    for entry in series:
        for event in _series_events(entry, url_of, address_shown):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
