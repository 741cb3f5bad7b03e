"""Deleting her account: every app lets go of what she holds first, then her rows go."""

from django.contrib.auth import get_user_model
from django.db import transaction

from groups.models import Membership
from groups.services import group_hand_over_or_archive, group_weeks_refresh
from momcircle.conversation.services import messages_erase
from scheduling.services import rsvps_release_everywhere

User = get_user_model()


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
    # Her answers and her standing answers ("every week") go first, so her seats go down
    # each line and no new meetup of a series answers for her.
    rsvps_release_everywhere(member=user)
    # Her words go with her; one a report refers to stays for the team, shown to nobody.
    messages_erase(author=user)
    # Cascades remove her profile, weekly availability, memberships, mutes and email addresses.
    user.delete()
    group_weeks_refresh(group_ids=her_groups)
