"""Writes about availability: a member's weekly windows."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from groups.services import group_weeks_refresh_for_member
from scheduling.availability import InvalidWindow, WeeklyWindow, merge_windows, weekly_slot_mask
from scheduling.models import AvailabilityWindow, WeeklyFreeSlots
from scheduling.presets import Preset
from scheduling.selectors import weekly_windows_for

User = get_user_model()

MAX_WINDOWS = 60


@transaction.atomic
def availability_replace(
    *, member: User, windows: Iterable[WeeklyWindow]
) -> list[AvailabilityWindow]:
    """Make `windows`, merged, her whole week; on InvalidWindow nothing is saved."""
    merged = merge_windows(windows)
    if len(merged) > MAX_WINDOWS:
        raise InvalidWindow(
            f"That is more than {MAX_WINDOWS} separate times a week; join some of them up."
        )
    _lock_week_of(member)
    AvailabilityWindow.objects.filter(member=member).delete()
    stored = AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            member=member,
            weekday=window.weekday,
            start_minute=window.start,
            end_minute=window.end,
            mode=window.mode,
        )
        for window in merged
    )
    WeeklyFreeSlots.objects.update_or_create(
        member=member, defaults={"slots": sorted(weekly_slot_mask(merged))}
    )
    group_weeks_refresh_for_member(member=member)
    return stored


@transaction.atomic
def availability_add_preset(*, member: User, preset: Preset) -> list[AvailabilityWindow]:
    """Add a preset's windows to the ones she already has."""
    _lock_week_of(member)
    current = weekly_windows_for(member)
    return availability_replace(member=member, windows=[*current, *preset.windows])


def _lock_week_of(member: User) -> None:
    # Two saves at once would each delete, then both insert: serialize them on her user row.
    User.objects.select_for_update().get(pk=member.pk)
