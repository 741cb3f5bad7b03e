"""A circle's weekly window on her own clock."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from momcircle.availability.windows import WeeklyWindow


def on_her_clock(window: WeeklyWindow, zone: str, her_zone: str, now: datetime) -> WeeklyWindow:
    """The window of `zone`'s clock as it falls on `her_zone`'s this coming week."""
    if zone == her_zone:
        return window
    tz, hers = ZoneInfo(zone), ZoneInfo(her_zone)
    day = now.astimezone(tz).date()
    day += timedelta(days=(window.weekday - day.weekday()) % 7)
    opens = datetime.combine(day, time(), tz) + timedelta(minutes=window.start)
    starts = opens.astimezone(hers)
    ends = (opens + timedelta(minutes=window.length)).astimezone(hers)
    start, end = starts.hour * 60 + starts.minute, ends.hour * 60 + ends.minute
    return WeeklyWindow(starts.weekday(), start, end or 24 * 60, window.mode)
