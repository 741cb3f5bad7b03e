"""Who may see what about a member, and who may block or report whom."""

from groups.permissions import can_see_group
from groups.selectors import share_a_group
from momcircle.profiles.models import Block
from scheduling.permissions import can_see_meetup


def has_blocked(blocker, blocked) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def can_see_profile(viewer, member) -> bool:
    """Her profile is for herself and for the women she shares a group with, unless she
    blocked them."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == member.pk:
        return True
    return share_a_group(viewer, member) and not has_blocked(member, viewer)


def can_block_or_report(viewer, member) -> bool:
    """Anyone whose profile she can see, except herself."""
    return viewer.pk != member.pk and can_see_profile(viewer, member)


def can_report_group(viewer, group) -> bool:
    return viewer.is_authenticated and can_see_group(viewer, group)


def can_report_meetup(viewer, meetup) -> bool:
    """Whoever may open the meetup's page."""
    return viewer.is_authenticated and can_see_meetup(viewer, meetup)
