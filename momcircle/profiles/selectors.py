"""Reads about members: the women she blocked, her weekly windows, her language."""

from django.conf import settings

from momcircle.availability.windows import WeeklyWindow
from momcircle.profiles.models import AvailabilityWindow, Block


def blocked_by(user) -> list[Block]:
    """The women she blocked, most recent first."""
    return list(
        Block.objects.filter(blocker=user)
        .select_related("blocked__profile")
        .order_by("-created_at", "-pk")
    )


def weekly_windows_for(member) -> list[WeeklyWindow]:
    """Her stored windows, sorted by weekday, start, end and mode (one query)."""
    rows = AvailabilityWindow.objects.filter(member=member).values_list(
        "weekday", "start_minute", "end_minute", "mode"
    )
    return sorted(WeeklyWindow(*row) for row in rows)


def language_of(user, default: str | None = settings.LANGUAGE_CODE) -> str | None:
    """The language she reads MomCircle in: her profile's, or ``default`` (the site's) while
    she has none (a visitor, or before onboarding)."""
    profile = getattr(user, "profile", None)
    return profile.language if profile is not None else default
