"""Recurring meetups as dates and instants (pure Python: the standard library and dateutil).

A recurrence is what an organizer says of a series: every week, every 2 weeks, or monthly on
the same weekday ("the 2nd Tuesday", "the last Tuesday"), from a first date, until a date
(inclusive), for a number of times, or open-ended. It is the RFC 5545 rule the series' .ics
carries (``rrule``), and ``dates`` expands it with dateutil's RFC 5545 implementation, so the
dates stored and the dates a calendar app expands come from one reading of one rule.

Wall clock and DST (``instant``)
    Every occurrence starts at the series' wall-clock time on its own local date: "20:30" is
    20:30 in the group's zone before and after a DST change. The wall time is placed as RFC
    5545 (3.3.5) and ``zoneinfo`` with ``fold=0`` place it, the rule ``times.expand`` uses:
    - a time that does not exist (spring-forward gap) takes the UTC offset in force before the
      gap, so it moves forward by the gap: 02:30 on 2027-03-14 in America/Chicago is 03:30 CDT;
    - an ambiguous time (fall-back overlap) is its first occurrence: 01:30 on 2027-11-07 in
      America/Chicago is 01:30 CDT.
    An occurrence lasts the series' length in elapsed time (its end is its start plus the
    length), as a VEVENT's DTEND gives every instance of its rule the same exact duration.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil import rrule

from momcircle.availability.windows import gettext_noop

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
FREQUENCIES = (WEEKLY, BIWEEKLY, MONTHLY)
LAST = -1  # week_of_month of "the last Tuesday"
WEEKS_OF_MONTH = (1, 2, 3, 4, LAST)
MAX_COUNT = 200
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DATEUTIL_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


class InvalidRecurrence(ValueError):
    """The recurrence cannot be: the message is a sentence the organizer can read, in English
    and marked for the catalogue (translated where it is shown)."""


def week_of_month(day: date) -> int:
    """Which of its weekday in the month the date is: 1 for the first Tuesday, up to 5."""
    return (day.day - 1) // 7 + 1


def is_last_of_month(day: date) -> bool:
    """No later date of the same weekday in the month."""
    return day.day + 7 > calendar.monthrange(day.year, day.month)[1]


def monthly_position(day: date, *, last: bool = False) -> int:
    """The week of the month a monthly series starting on `day` keeps: its nth weekday, the
    5th being the last (not every month has one), or the last when `last` is asked."""
    if last:
        if not is_last_of_month(day):
            raise InvalidRecurrence(
                f"{day:%-d %B} is not the last {DAY_NAMES[day.weekday()]} of the month."
            )
        return LAST
    nth = week_of_month(day)
    return LAST if nth == 5 else nth


@dataclass(frozen=True)
class Recurrence:
    """`start` is the first occurrence's local date; `week_of_month` is set for MONTHLY
    only (1 to 4, or LAST); at most one of `until` (the last date an occurrence may fall on)
    and `count` (how many occurrences, cancelled ones included, as RFC 5545 counts)."""

    frequency: str
    start: date
    week_of_month: int | None = None
    until: date | None = None
    count: int | None = None

    def validate(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise InvalidRecurrence(gettext_noop("Choose every week, every 2 weeks or monthly."))
        if self.frequency == MONTHLY:
            if self.week_of_month not in WEEKS_OF_MONTH:
                raise InvalidRecurrence(
                    gettext_noop("Choose which week of the month it repeats on.")
                )
            if self.week_of_month != monthly_position(self.start, last=self.week_of_month == LAST):
                raise InvalidRecurrence(
                    gettext_noop("The first date must fall on that week of the month.")
                )
        elif self.week_of_month is not None:
            raise InvalidRecurrence(gettext_noop("Only a monthly series has a week of the month."))
        if self.until is not None and self.count is not None:
            raise InvalidRecurrence(
                gettext_noop("End it on a date or after a number of times, not both.")
            )
        if self.until is not None and self.until < self.start:
            raise InvalidRecurrence(gettext_noop("The last date can't be before the first one."))
        if self.count is not None and not 1 <= self.count <= MAX_COUNT:
            raise InvalidRecurrence(f"Repeat it from 1 to {MAX_COUNT} times.")

    @property
    def weekday(self) -> int:
        return self.start.weekday()

    def _rule(self) -> rrule.rrule:
        self.validate()
        weekday = _DATEUTIL_DAYS[self.weekday]
        options = {
            WEEKLY: {"freq": rrule.WEEKLY, "byweekday": weekday},
            BIWEEKLY: {"freq": rrule.WEEKLY, "interval": 2, "byweekday": weekday},
            MONTHLY: {"freq": rrule.MONTHLY, "byweekday": weekday(self.week_of_month)},
        }[self.frequency]
        until = datetime.combine(self.until, time()) if self.until else None
        return rrule.rrule(
            dtstart=datetime.combine(self.start, time()), until=until, count=self.count, **options
        )

    def dates(self, first: date, end: date) -> list[date]:
        """The occurrence dates in [first, end), soonest first."""
        if end <= first:
            return []
        after = datetime.combine(max(first, self.start), time())
        before = datetime.combine(end, time())
        moments = self._rule().between(after, before, inc=True)
        return [moment.date() for moment in moments if moment < before]

    def next_dates(self, first: date, how_many: int) -> list[date]:
        """The next `how_many` occurrence dates on or after `first` (fewer when it ends)."""
        found = []
        for moment in self._rule().xafter(datetime.combine(first, time()), inc=True):
            found.append(moment.date())
            if len(found) == how_many:
                break
        return found

    def last_date(self) -> date | None:
        """The date of its last occurrence, or None when it is open-ended."""
        if self.until is None and self.count is None:
            return None
        moments = list(self._rule())
        return moments[-1].date() if moments else None

    def rrule(self, zone: tzinfo, start_time: time) -> str:
        """The RRULE value of the series' VEVENT (UNTIL in UTC, as RFC 5545 wants beside a
        DTSTART with a TZID: the last moment of the until date in the zone)."""
        self.validate()
        day = _RRULE_DAYS[self.weekday]
        parts = {
            WEEKLY: ["FREQ=WEEKLY", f"BYDAY={day}"],
            BIWEEKLY: ["FREQ=WEEKLY", "INTERVAL=2", f"BYDAY={day}"],
            MONTHLY: ["FREQ=MONTHLY", f"BYDAY={self.week_of_month}{day}"],
        }[self.frequency]
        if self.until is not None:
            last_moment = datetime.combine(self.until, time(23, 59, 59), zone).astimezone(UTC)
            parts.append(f"UNTIL={last_moment:%Y%m%dT%H%M%SZ}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


def instant(day: date, wall: time, zone: tzinfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date (see the module docstring)."""
    return datetime.combine(day, wall, zone).replace(fold=0).astimezone(UTC)


def occurrence_span(
    day: date, wall: time, length: timedelta, zone: tzinfo
) -> tuple[datetime, datetime]:
    """(start, end) in UTC of the occurrence on `day`."""
    start = instant(day, wall, zone)
    return start, start + length
