"""Who may see and do what in a group: used by services, views and templates (groups_tags)."""

import secrets

from django.db.models import Q

from groups.models import Group, Membership
from groups.selectors import share_a_group
from momcircle.profiles.models import Block
from momcircle.profiles.permissions import kept_apart

ACTIVE = Membership.Status.ACTIVE
PENDING = Membership.Status.PENDING
DECLINED = Membership.Status.DECLINED
ORGANIZER = Membership.Role.ORGANIZER
MANAGING_ROLES = (ORGANIZER, Membership.Role.CO_ORGANIZER)

ONLY_ORGANIZERS = "Only the organizers of this group can do that."
# Said to her about herself, and to an organizer about another woman.
NOT_A_MEMBER = "Only members of this group can do that."
SHE_IS_NOT_A_MEMBER = "She is not a member of this group."
ARCHIVED = "This group is archived: it no longer meets or changes."
# Said alike to a banned woman and to one an organizer blocked, so neither learns which.
CANNOT_JOIN = "You can't join this group."
YOU_BLOCKED_AN_ORGANIZER = "You blocked one of this group's organizers; unblock her to join."
THE_ORGANIZER_STAYS = "That is the organizer; her role changes only when she hands the group over."


def membership_of(user, group: Group) -> Membership | None:
    """Her membership in the group, whatever its status. Looked up once per group object, so a
    page asking several questions about the same viewer costs one query."""
    if not getattr(user, "is_authenticated", False):
        return None
    known = group.__dict__.setdefault("_membership_of", {})
    if user.pk not in known:
        membership = Membership.objects.filter(group=group, member=user).first()
        if membership is not None:
            membership.group = group
        known[user.pk] = membership
    return known[user.pk]


def _status(user, group: Group) -> str | None:
    membership = membership_of(user, group)
    return membership.status if membership else None


def _active_role(user, group: Group) -> str | None:
    membership = membership_of(user, group)
    return membership.role if membership and membership.status == ACTIVE else None


def invite_token_matches(group: Group, invite_token: str | None) -> bool:
    return bool(invite_token) and secrets.compare_digest(
        group.invite_token.encode(), invite_token.encode()
    )


def is_member(user, group: Group) -> bool:
    return _status(user, group) == ACTIVE


def is_banned(user, group: Group) -> bool:
    return _status(user, group) == Membership.Status.BANNED


def has_asked(user, group: Group) -> bool:
    """Her request to join is waiting for the organizers."""
    return _status(user, group) == PENDING


def is_organizer(user, group: Group) -> bool:
    return _active_role(user, group) == ORGANIZER


def can_manage(user, group: Group) -> bool:
    """Organizer or co-organizer of a group that still meets."""
    return not group.is_archived and _active_role(user, group) in MANAGING_ROLES


def can_lead(user, group: Group) -> bool:
    """What only the organizer does: name co-organizers, hand over the group, archive it."""
    return not group.is_archived and is_organizer(user, group)


def can_see_group(user, group: Group, invite_token: str | None = None) -> bool:
    """Listed groups that still meet are for everyone; an unlisted one for its members and
    whoever has its current invite link."""
    if _status(user, group) in (ACTIVE, PENDING):
        return True
    if group.is_archived:
        return False
    return group.is_listed or invite_token_matches(group, invite_token)


def can_see_member(viewer, member) -> bool:
    """Her profile is for herself and for the women she shares a group with, unless a block
    keeps the two apart, whichever of them made it (a 404 either way)."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == member.pk:
        return True
    return share_a_group(viewer, member) and not kept_apart(viewer, member)


def can_see_members(user, group: Group) -> bool:
    return is_member(user, group)


def can_join(user, group: Group) -> bool:
    """She may join or ask to join (seeing the group is checked separately)."""
    return (
        getattr(user, "is_authenticated", False)
        and membership_of(user, group) is None
        and not group.is_archived
        and group.seats_left > 0
    )


def block_refusal(user, group: Group) -> str | None:
    """Why a block keeps her out of the group, or None: an organizer or co-organizer blocked
    her, or she blocked one of them."""
    leaders = group.memberships.filter(status=ACTIVE, role__in=MANAGING_ROLES)
    blocks = set(
        Block.objects.filter(
            Q(blocker=user, blocked__in=leaders.values("member"))
            | Q(blocked=user, blocker__in=leaders.values("member"))
        ).values_list("blocker_id", flat=True)
    )
    if not blocks:
        return None
    return YOU_BLOCKED_AN_ORGANIZER if blocks == {user.pk} else CANNOT_JOIN


def can_leave(user, group: Group) -> bool:
    """A member may leave, and a woman waiting for an answer may withdraw her request."""
    return _status(user, group) in (ACTIVE, PENDING)


def removal_refusal(user, membership: Membership) -> str | None:
    """Why she may not remove this member, or None when she may. Organizers remove members;
    only the organizer removes a co-organizer; nobody removes the organizer or herself."""
    if not can_manage(user, membership.group):
        return ONLY_ORGANIZERS
    if membership.status != ACTIVE:
        return SHE_IS_NOT_A_MEMBER
    if membership.member_id == user.pk:
        return "To leave the group yourself, use “Leave this group”."
    if membership.role == ORGANIZER:
        return THE_ORGANIZER_STAYS
    if membership.role == Membership.Role.CO_ORGANIZER and not is_organizer(user, membership.group):
        return "Only the organizer can remove a co-organizer."
    return None


def can_remove(user, membership: Membership) -> bool:
    return removal_refusal(user, membership) is None


def role_change_refusal(user, membership: Membership) -> str | None:
    """Why she may not change this member's role (co-organizer or organizer), or None."""
    if not can_lead(user, membership.group):
        return "Only the organizer can do that."
    if membership.status != ACTIVE:
        return SHE_IS_NOT_A_MEMBER
    if membership.role == ORGANIZER:
        return THE_ORGANIZER_STAYS
    return None


def can_set_role(user, membership: Membership) -> bool:
    """Name or un-name a co-organizer, or hand her the group."""
    return role_change_refusal(user, membership) is None
