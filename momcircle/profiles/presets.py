"""Common weekly patterns a member can add to her week in one tap (data, with labels she reads)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from momcircle.availability.windows import WeeklyWindow


@dataclass(frozen=True)
class Preset:
    label: str
    windows: tuple[WeeklyWindow, ...]


def _every(weekdays: range, start: int, end: int, mode: str) -> tuple[WeeklyWindow, ...]:
    return tuple(WeeklyWindow(weekday, start, end, mode) for weekday in weekdays)


PRESETS = {
    "weeknight-evenings": Preset(
        _("Weeknight evenings after bedtime"),
        _every(range(0, 4), 20 * 60 + 30, 22 * 60 + 30, "kid_free"),
    ),
    "weekend-mornings": Preset(
        _("Weekend mornings with kids"), _every(range(5, 7), 9 * 60, 12 * 60, "kids_along")
    ),
    "lunch-breaks": Preset(_("Lunch breaks"), _every(range(0, 5), 12 * 60, 13 * 60, "kid_free")),
}
