"""Who may see what about a member."""

from groups.selectors import share_a_group


def can_see_profile(viewer, member) -> bool:
    """Her profile is for herself and for the women she shares a group with."""
    if not viewer.is_authenticated:
        return False
    return viewer.pk == member.pk or share_a_group(viewer, member)
