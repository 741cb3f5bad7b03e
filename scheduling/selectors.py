"""Reads about availability."""

from scheduling.availability import WeeklyWindow
from scheduling.models import AvailabilityWindow


def weekly_windows_for(member) -> list[WeeklyWindow]:
    """Her stored windows, sorted by weekday, start, end and mode (one query)."""
    rows = AvailabilityWindow.objects.filter(member=member).values_list(
        "weekday", "start_minute", "end_minute", "mode"
    )
    return sorted(WeeklyWindow(*row) for row in rows)
