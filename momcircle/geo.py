"""ZIP code -> centroid and time zone, from data shipped in the `zipcodes` package (no network)."""

import re
import zoneinfo
from dataclasses import dataclass
from functools import cache

import zipcodes
from babel.dates import get_timezone_location

# ASCII digits only: str.isdigit() also takes full-width, Arabic-Indic and other digits, and
# the zipcodes library panics on them (a BaseException no error handler catches).
FIVE_DIGITS = re.compile(r"[0-9]{5}")


class UnknownZip(ValueError):
    pass


@dataclass(frozen=True)
class ZipLocation:
    zip_code: str
    latitude: float
    longitude: float
    time_zone: str
    place: str


def locate_zip(zip_code: str) -> ZipLocation:
    zip_code = (zip_code or "").strip()
    if not FIVE_DIGITS.fullmatch(zip_code):
        raise UnknownZip("Enter a 5-digit US ZIP code.")
    matches = [m for m in zipcodes.matching(zip_code) if m.get("timezone") in _valid_zones()]
    if not matches:
        raise UnknownZip(f"We don't know the ZIP code {zip_code}. Please check it.")
    match = matches[0]
    return ZipLocation(
        zip_code=zip_code,
        latitude=float(match["lat"]),
        longitude=float(match["long"]),
        time_zone=match["timezone"],
        place=f"{match['city']}, {match['state']}",
    )


@cache
def _valid_zones() -> frozenset[str]:
    """The zones this machine knows (reading them takes milliseconds: once per process)."""
    return frozenset(zoneinfo.available_timezones())


@cache
def zone_name(zone: str) -> str:
    """What people call a time zone: "Chicago time" for America/Chicago, "Knox, Indiana time"
    for America/Indiana/Knox (the Unicode CLDR's name of its city)."""
    return f"{get_timezone_location(zone, locale='en', return_city=True)} time"


@cache
def known_time_zones() -> tuple[str, ...]:
    """Every time zone some US ZIP code is in, for the time-zone picker."""
    zones = {z["timezone"] for z in zipcodes.list_all()} & _valid_zones()
    return tuple(sorted(zones))


def approximate_distance(miles: float) -> str:
    """Rounded so a distance never pinpoints where someone lives."""
    if miles < 1:
        return "less than a mile away"
    if miles < 10:
        return f"about {round(miles)} mile{'s' if round(miles) != 1 else ''} away"
    return f"about {round(miles / 5) * 5} miles away"
