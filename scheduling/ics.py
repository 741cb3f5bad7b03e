"""Meetups and series as iCalendar (RFC 5545), for a download and for her private feed.

One UID per meetup, whichever calendar it travels in, and SEQUENCE is the meetup's sequence,
so a calendar app replaces its copy when the time, place or status changes. Times carry the
group's TZID with a matching VTIMEZONE.

A series is one VEVENT with its RRULE (UID "series-<pk>@momcircle", SEQUENCE the series'),
an EXDATE for each date left out of her calendar (cancelled, or she can't go), and for each
occurrence changed on its own an overriding VEVENT with the same UID and its RECURRENCE-ID
(the start its rule gives it), whose SEQUENCE adds the meetup's changes to the series'.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from icalendar import Calendar, Event, vRecur

from scheduling.models import Meetup, MeetupSeries

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


def _describe(event: Event, thing: Meetup | MeetupSeries, url: str) -> None:
    event.add("dtstamp", thing.updated_at)
    event.add("created", thing.created_at)
    event.add("last-modified", thing.updated_at)
    event.add("summary", thing.title)
    event.add("location", thing.place)
    event.add("url", url)
    event.add("description", "\n\n".join(part for part in (thing.description, url) if part))


def _event(meetup: Meetup, url: str, *, uid: str | None = None, sequence: int = 0) -> Event:
    event = Event()
    event.add("uid", uid or uid_of(meetup))
    event.add("sequence", meetup.sequence + sequence)
    event.add("status", STATUS[meetup.status])
    event.add("dtstart", meetup.starts_at.astimezone(meetup.zone))
    event.add("dtend", meetup.ends_at.astimezone(meetup.zone))
    _describe(event, meetup, url)
    return event


def _series_events(entry: SeriesCalendar, url_of) -> list[Event]:
    series = entry.series
    zone = series.zone
    start, end = series.span_on(series.starts_on)
    master = Event()
    master.add("uid", series_uid_of(series))
    master.add("sequence", series.sequence)
    master.add("status", "CONFIRMED")
    master.add("dtstart", start.astimezone(zone))
    master.add("dtend", end.astimezone(zone))
    master.add("rrule", vRecur.from_ical(series.rule.rrule(zone, series.start_time)))
    if entry.excluded:
        master.add("exdate", [series.original_start(day) for day in sorted(entry.excluded)])
    _describe(master, series, url_of(series))
    overrides = []
    for meetup in entry.overrides:
        override = _event(
            meetup, url_of(meetup), uid=series_uid_of(series), sequence=series.sequence
        )
        override.add("recurrence-id", series.original_start(meetup.occurrence_date))
        overrides.append(override)
    return [master, *overrides]


def calendar_bytes(
    meetups: Iterable[Meetup],
    *,
    url_of,
    name: str | None = None,
    series: Iterable[SeriesCalendar] = (),
) -> bytes:
    """The meetups and series as one calendar; `url_of(thing)` is the absolute address of a
    meetup's or a series' page."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for meetup in meetups:
        calendar.add_component(_event(meetup, url_of(meetup)))
    for entry in series:
        for event in _series_events(entry, url_of):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
