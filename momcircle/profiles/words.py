"""Her week in words, in the language she reads. The availability arithmetic imports no
Django and writes English ("Tue evenings", "Tue 20:30–22:00, kid-free", its refusals, each
marked for the catalogue): the pages and emails say it in her language from here."""

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from momcircle.availability.windows import DAY_NAMES, InvalidWindow, WeeklyWindow, clock
from momcircle.profiles.models import KidMode

EVERY_WEEKDAY = (
    _("Mondays"),
    _("Tuesdays"),
    _("Wednesdays"),
    _("Thursdays"),
    _("Fridays"),
    _("Saturdays"),
    _("Sundays"),
)


def day_names() -> list[str]:
    """["Mon", …, "Sun"], or ["lun", …, "dom"]."""
    return [str(WEEKDAYS_ABBR[day]) for day in range(len(DAY_NAMES))]


def window_in_words(window: WeeklyWindow, *, every_week: bool = False) -> str:
    """E.g. "Tue 20:30–22:00, kid-free" or "mar 20:30–22:00, sin niños"; ``every_week``:
    "Tuesdays 20:30–22:00, kid-free" or "Los martes 20:30–22:00, sin niños". An end past
    midnight is on the next day."""
    window.validate()
    days = EVERY_WEEKDAY if every_week else day_names()
    return gettext("%(day)s %(start)s–%(end)s, %(mode)s") % {
        "day": days[window.weekday],
        "start": clock(window.start),
        "end": clock(window.end),
        "mode": str(KidMode(window.mode).label).lower(),
    }


def part_of_week_in_words(phrase: str) -> str:
    """A phrase of momcircle.availability.slots ("Tue evenings") in her language."""
    day, part = phrase.split(" ", 1)
    return gettext("%(day)s %(part)s") % {
        "day": day_names()[DAY_NAMES.index(day)],
        "part": gettext(part),
    }


def refusal_in_words(invalid: InvalidWindow) -> str:
    return gettext(str(invalid))
