"""When a circle's first meetup is: the best time the suggestion engine finds for its members
in the coming days, inside the weekly window they share."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from momcircle.availability.windows import WeeklyWindow
from momcircle.circles.windows import MEETING_MINUTES
from scheduling.selectors import suggest_for_members

FIRST_MEETUP_DAYS = 10
MEETUP_LENGTH = timedelta(minutes=MEETING_MINUTES)


def first_meetup_start(
    members: dict, window: WeeklyWindow, zone: str, *, after: datetime
) -> datetime:
    """The best time in the FIRST_MEETUP_DAYS after `after` by the suggestion engine, in the
    shared window when one of its times is there (it always is: every member is free for the
    whole window every week), else its best time at all."""
    suggestions = suggest_for_members(
        members,
        window_start=after,
        window_end=after + timedelta(days=FIRST_MEETUP_DAYS),
        duration=MEETUP_LENGTH,
        modes=(window.mode,),
        limit=4 * FIRST_MEETUP_DAYS,
    )
    most = max((s.count for s in suggestions), default=0)
    best = [s for s in suggestions if s.count == most]
    inside = [s for s in best if _in_window(s.start, window, zone)]
    if inside or best:
        return min(s.start for s in inside or best)
    return _next_occurrence(window, zone, after)


def _window_starts(window: WeeklyWindow, zone: str, day) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(zone)) + timedelta(minutes=window.start)


def _in_window(start: datetime, window: WeeklyWindow, zone: str) -> bool:
    """A meetup starting then lies inside an occurrence of the window (on its zone's clock)."""
    local = start.astimezone(ZoneInfo(zone))
    length = timedelta(minutes=window.length)
    for day in (local.date(), local.date() - timedelta(days=1)):
        if day.weekday() == window.weekday:
            opens = _window_starts(window, zone, day)
            if opens <= local and local + MEETUP_LENGTH <= opens + length:
                return True
    return False


def _next_occurrence(window: WeeklyWindow, zone: str, after: datetime) -> datetime:
    day = after.astimezone(ZoneInfo(zone)).date()
    while day.weekday() != window.weekday or _window_starts(window, zone, day) < after:
        day += timedelta(days=1)
    return _window_starts(window, zone, day)
