"""ZIP code -> centroid and time zone, from data shipped in the `zipcodes` package (no network)."""

import re
import zoneinfo
from dataclasses import dataclass
from functools import cache

import zipcodes
from babel.dates import get_timezone_location
from django.utils import translation
from django.utils.translation import gettext, ngettext, to_locale

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
        raise UnknownZip(gettext("Enter a 5-digit US ZIP code."))
    matches = [m for m in zipcodes.matching(zip_code) if m.get("timezone") in _valid_zones()]
    if not matches:
        raise UnknownZip(
            gettext("We don't know the ZIP code %(zip)s. Please check it.") % {"zip": zip_code}
        )
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


def zone_name(zone: str) -> str:
    """What people call a time zone: "Chicago time" for America/Chicago, "Knox, Indiana time"
    for America/Indiana/Knox (the Unicode CLDR's name of its city), in the language she reads."""
    return _zone_name(zone, translation.get_language() or "en")


@cache
def _zone_name(zone: str, language: str) -> str:
    with translation.override(language):
        city = get_timezone_location(zone, locale=to_locale(language), return_city=True)
        return gettext("%(city)s time") % {"city": city}


@cache
def known_time_zones() -> tuple[str, ...]:
    """Every time zone some US ZIP code is in, for the time-zone picker."""
    zones = {z["timezone"] for z in zipcodes.list_all()} & _valid_zones()
    return tuple(sorted(zones))


def approximate_distance(miles: float) -> str:
    """Rounded so a distance never pinpoints where someone lives."""
    if miles < 1:
        return gettext("less than a mile away")
    rounded = round(miles) if miles < 10 else round(miles / 5) * 5
    return ngettext("about %(count)s mile away", "about %(count)s miles away", rounded) % {
        "count": rounded
    }
