"""Recurring meetups for the tests: a series of the circle's group planned as an organizer
plans one, on the group's Chicago wall clock."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from momcircle.profiles.models import KidMode
from scheduling.models import Meetup, MeetupSeries
from scheduling.services import MeetupDetails, Repeat, series_create

CHICAGO = ZoneInfo("America/Chicago")


def in_chicago(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO)


def next_weekday(weekday: int, after: date | None = None) -> date:
    """The first date with that weekday after `after` (today in Chicago by default)."""
    after = after or timezone.now().astimezone(CHICAGO).date()
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def series_details(starts_at: datetime, minutes: int = 90, **changes) -> MeetupDetails:
    fields = {
        "title": "Moms' night out",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=minutes),
        "kid_mode": KidMode.KID_FREE,
        "venue_name": "Café Lula",
        "venue_address": "2537 N Kedzie Blvd",
    }
    return MeetupDetails(**{**fields, **changes})


def plan_series(
    group,
    by,
    *,
    frequency: str = "weekly",
    starts_at: datetime | None = None,
    now: datetime | None = None,
    last: bool = False,
    until: date | None = None,
    count: int | None = None,
    **changes,
) -> MeetupSeries:
    """Tuesdays at 20:30 from next Tuesday unless told otherwise."""
    starts_at = starts_at or in_chicago(next_weekday(1), 20, 30)
    return series_create(
        group=group,
        by=by,
        details=series_details(starts_at, **changes),
        repeat=Repeat(frequency=frequency, last=last, until=until, count=count),
        now=now,
    )


def occurrences(series: MeetupSeries) -> list[Meetup]:
    return list(Meetup.objects.filter(series=series).order_by("occurrence_date"))


def dates_of(series: MeetupSeries) -> list[date]:
    return [meetup.occurrence_date for meetup in occurrences(series)]
