"""Writes about a member: onboarding, profile edits, preferences and account deletion."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from groups.models import Membership
from groups.services import group_hand_over_or_archive, group_weeks_refresh
from momcircle.profiles.models import Profile

User = get_user_model()


@transaction.atomic
def profile_save(*, user: User, fields: dict) -> Profile:
    """Create or update her profile from validated fields (see ProfileForm.profile_fields)."""
    profile, _ = Profile.objects.select_for_update().update_or_create(user=user, defaults=fields)
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
    for name, value in preferences.items():
        setattr(profile, name, value)
    profile.save(update_fields=[*preferences, "updated_at"])
    return profile


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove her and everything about her; groups she organizes keep going without her."""
    organizing = Membership.objects.select_for_update().filter(
        member=user, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    )
    for membership in organizing.select_related("group"):
        group_hand_over_or_archive(group=membership.group, leaving=user)
    her_groups = list(
        Membership.objects.filter(member=user, status=Membership.Status.ACTIVE).values_list(
            "group_id", flat=True
        )
    )
    # Cascades remove her profile, weekly availability, memberships and email addresses.
    user.delete()
    group_weeks_refresh(group_ids=her_groups)
