"""What groups do when something happens below them."""

from django.dispatch import receiver

from groups.services import group_weeks_refresh_for_member
from momcircle.profiles.events import availability_changed


@receiver(availability_changed)
def recount_her_groups_weeks(sender, *, member, **kwargs) -> None:
    """Her new week counts in the week summaries of her groups."""
    group_weeks_refresh_for_member(member=member)
