"""Who may report or block whom: whoever may see the member, the group, the meetup or the
message."""

from groups.permissions import can_see_group, can_see_member
from momcircle.conversation.permissions import can_see_message
from momcircle.profiles.permissions import has_blocked
from scheduling.permissions import can_see_meetup


def can_block(viewer, member) -> bool:
    """Anyone whose profile she can see, except herself."""
    return viewer.pk != member.pk and can_see_member(viewer, member)


def can_report_member(viewer, member) -> bool:
    """Whoever she may block, and the women she already blocked (a block hides their
    profiles from her, not what they did)."""
    return can_block(viewer, member) or has_blocked(viewer, member)


def can_report_group(viewer, group) -> bool:
    return viewer.is_authenticated and can_see_group(viewer, group)


def can_report_meetup(viewer, meetup) -> bool:
    """Whoever may open the meetup's page."""
    return viewer.is_authenticated and can_see_meetup(viewer, meetup)


def can_report_message(viewer, message) -> bool:
    """Whoever sees the message on the meetup's page, except she who wrote it."""
    return (
        viewer.is_authenticated
        and message.author_id != viewer.pk
        and can_see_message(viewer, message)
    )
