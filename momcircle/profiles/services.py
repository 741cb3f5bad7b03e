"""Writes about a member: onboarding, her profile, email preferences, weekly availability and
the women she blocked."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from momcircle.availability.slots import weekly_slot_mask
from momcircle.availability.windows import InvalidWindow, WeeklyWindow, merge_windows
from momcircle.events import send_after_commit
from momcircle.profiles import events
from momcircle.profiles.models import AvailabilityWindow, Block, Profile, WeeklyFreeSlots
from momcircle.profiles.presets import Preset
from momcircle.profiles.selectors import weekly_windows_for
from momcircle.profiles.words import refusal_in_words
from momcircle.rules import RuleBroken

User = get_user_model()


@transaction.atomic
def profile_save(*, user: User, fields: dict) -> Profile:
    """Create or update her profile from validated fields (see ProfileForm.profile_fields)."""
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    old_zone = profile.time_zone
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    if old_zone and old_zone != profile.time_zone:  # a new profile has none
        send_after_commit(
            events.email_timing_changed,
            sender=Profile,
            profile=profile,
            changed=frozenset({"time_zone"}),
        )
    return profile


@transaction.atomic
def profile_set_language(*, profile: Profile, language: str) -> Profile:
    """The language she reads the site and her emails in, one of settings.LANGUAGES."""
    profile.language = language
    profile.save(update_fields=["language", "updated_at"])
    return profile


@transaction.atomic
def profile_finish_onboarding(*, profile: Profile) -> Profile:
    """Mark onboarding done once her profile and her weekly availability are in."""
    if profile.onboarded_at is None:
        profile.onboarded_at = timezone.now()
        profile.save(update_fields=["onboarded_at", "updated_at"])
    return profile


@transaction.atomic
def profile_set_notification_preferences(*, profile: Profile, preferences: dict) -> Profile:
    """Save them; the emails waiting for her follow in the same transaction (a reminder at
    her old evening time must not go out after she moved it)."""
    stored = Profile.objects.select_for_update().get(pk=profile.pk)
    changed = frozenset(
        name for name, value in preferences.items() if getattr(stored, name) != value
    )
    for name, value in preferences.items():
        setattr(profile, name, value)
    profile.save(update_fields=[*preferences, "updated_at"])
    if changed:
        send_after_commit(
            events.email_timing_changed, sender=Profile, profile=profile, changed=changed
        )
    return profile


# --- weekly availability --------------------------------------------------------------------

MAX_WINDOWS = 60


@transaction.atomic
def availability_replace(
    *, member: User, windows: Iterable[WeeklyWindow]
) -> list[AvailabilityWindow]:
    """Make `windows`, merged, her whole week; when one is not valid, nothing is saved."""
    try:
        merged = merge_windows(windows)
    except InvalidWindow as invalid:
        raise RuleBroken(refusal_in_words(invalid)) from invalid
    RuleBroken.unless(
        len(merged) <= MAX_WINDOWS,
        gettext("That is more than %(count)s separate times a week; join some of them up.")
        % {"count": MAX_WINDOWS},
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
    send_after_commit(events.availability_changed, sender=AvailabilityWindow, member=member)
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


@transaction.atomic
def member_block(*, blocker: User, blocked: User) -> Block:
    """From now on neither sees the other in member lists or suggestions, and the blocked
    one can't join a group the blocker organizes. Blocking twice changes nothing."""
    RuleBroken.unless(blocker.pk != blocked.pk, gettext("You can't block yourself."))
    block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if created:
        send_after_commit(events.member_blocked, sender=Block, blocker=blocker, blocked=blocked)
    return block


@transaction.atomic
def member_unblock(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
