"""A circle's weekly time in words, in her language: "Tuesdays 20:30–22:00, kid-free", "Los
martes 20:30–22:00, sin niños"."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from momcircle.availability.windows import WeeklyWindow, clock
from momcircle.profiles.models import KidMode

EVERY_DAY = (
    _("Mondays"),
    _("Tuesdays"),
    _("Wednesdays"),
    _("Thursdays"),
    _("Fridays"),
    _("Saturdays"),
    _("Sundays"),
)


def weekly_words(window: WeeklyWindow) -> str:
    """E.g. "Tuesdays 20:30–22:00, kid-free" (an end past midnight is on the next day)."""
    return gettext("%(days)s %(start)s–%(end)s, %(mode)s") % {
        "days": EVERY_DAY[window.weekday],
        "start": clock(window.start),
        "end": clock(window.end),
        "mode": str(KidMode(window.mode).label).lower(),
    }
