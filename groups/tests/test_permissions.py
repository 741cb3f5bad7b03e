import pytest
from django.contrib.auth.models import AnonymousUser

from groups import permissions
from groups.models import Membership
from momcircle.profiles.services import member_block
from tests.factories import MembershipFactory, member, organized_group

pytestmark = pytest.mark.django_db

POSITIONS = [
    "anonymous",
    "stranger",
    "declined",
    "banned",
    "pending",
    "member",
    "co_organizer",
    "organizer",
]

# Who gets a yes from each predicate about a listed group that still meets, with seats left.
YES = {
    "can_see_group": set(POSITIONS),
    "can_see_members": {"member", "co_organizer", "organizer"},
    "is_member": {"member", "co_organizer", "organizer"},
    "has_asked": {"pending"},
    "is_banned": {"banned"},
    "can_join": {"stranger"},
    "can_leave": {"pending", "member", "co_organizer", "organizer"},
    "can_manage": {"co_organizer", "organizer"},
    "is_organizer": {"organizer"},
    "can_lead": {"organizer"},
}

# ... about an unlisted group, seen without its invite link.
YES_WHEN_UNLISTED = {"pending", "member", "co_organizer", "organizer"}


def person_in(group, position: str):
    if position == "anonymous":
        return AnonymousUser()
    if position == "stranger":
        return member()
    status, role = {
        "declined": (Membership.Status.DECLINED, Membership.Role.MEMBER),
        "banned": (Membership.Status.BANNED, Membership.Role.MEMBER),
        "pending": (Membership.Status.PENDING, Membership.Role.MEMBER),
        "member": (Membership.Status.ACTIVE, Membership.Role.MEMBER),
        "co_organizer": (Membership.Status.ACTIVE, Membership.Role.CO_ORGANIZER),
        "organizer": (Membership.Status.ACTIVE, Membership.Role.ORGANIZER),
    }[position]
    if role == Membership.Role.ORGANIZER:
        return Membership.objects.get(group=group, role=role).member
    return MembershipFactory(group=group, status=status, role=role).member


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("predicate", sorted(YES))
def test_who_may_do_what_in_a_listed_group(predicate, position):
    group = organized_group()
    user = person_in(group, position)
    assert getattr(permissions, predicate)(user, group) == (position in YES[predicate])


@pytest.mark.parametrize("position", POSITIONS)
def test_an_unlisted_group_is_seen_by_its_people_only(position):
    group = organized_group(is_listed=False)
    user = person_in(group, position)
    assert permissions.can_see_group(user, group) == (position in YES_WHEN_UNLISTED)


@pytest.mark.parametrize(
    ("token", "seen"), [(None, False), ("", False), ("wrong-token", False), ("right", True)]
)
def test_an_unlisted_group_is_seen_with_its_current_invite_token(token, seen):
    group = organized_group(is_listed=False)
    token = group.invite_token if token == "right" else token
    assert permissions.can_see_group(member(), group, invite_token=token) == seen


def test_a_non_ascii_token_is_simply_wrong():
    group = organized_group(is_listed=False)
    assert not permissions.can_see_group(member(), group, invite_token="é" * 32)


@pytest.mark.parametrize("position", POSITIONS)
def test_an_archived_group_is_seen_by_its_members_only(position):
    group = organized_group(is_archived=True)
    user = person_in(group, position)
    seen = permissions.can_see_group(user, group, invite_token=group.invite_token)
    assert seen == (position in YES_WHEN_UNLISTED)


@pytest.mark.parametrize("position", ["co_organizer", "organizer"])
def test_nobody_manages_an_archived_group(position):
    group = organized_group(is_archived=True)
    assert not permissions.can_manage(person_in(group, position), group)


def test_nobody_joins_a_full_group():
    group = organized_group(size_cap=2)
    MembershipFactory(group=group)
    assert not permissions.can_join(member(), group)


# Who may act on whom: predicate -> actor -> the positions of the women she may act on.
MAY = {
    "can_remove": {
        "stranger": set(),
        "member": set(),
        "co_organizer": {"member"},
        "organizer": {"member", "co_organizer"},
    },
    "can_set_role": {
        "stranger": set(),
        "member": set(),
        "co_organizer": set(),
        "organizer": {"member", "co_organizer"},
    },
}
ACTORS = ["stranger", "member", "co_organizer", "organizer"]
TARGETS = ["pending", "member", "co_organizer", "organizer"]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("predicate", sorted(MAY))
def test_who_may_remove_or_change_the_role_of_whom(predicate, actor, target):
    group = organized_group()
    user = person_in(group, actor)
    membership = Membership.objects.get(group=group, member=person_in(group, target))
    assert getattr(permissions, predicate)(user, membership) == (target in MAY[predicate][actor])


def test_an_organizer_does_not_remove_herself():
    group = organized_group()
    organizer = Membership.objects.get(group=group)
    assert not permissions.can_remove(organizer.member, organizer)


def test_a_page_asking_many_questions_about_her_looks_her_up_once(django_assert_num_queries):
    group = organized_group()
    user = person_in(group, "co_organizer")
    with django_assert_num_queries(1):
        for predicate in YES:
            getattr(permissions, predicate)(user, group)


@pytest.mark.parametrize("who_blocked", ["viewer", "member"])
def test_a_block_either_way_hides_a_member_s_profile_from_the_other(who_blocked):
    group = organized_group()
    viewer, other = (MembershipFactory(group=group).member for _ in range(2))
    assert permissions.can_see_member(viewer, other)
    blocker, blocked = (viewer, other) if who_blocked == "viewer" else (other, viewer)
    member_block(blocker=blocker, blocked=blocked)
    assert not permissions.can_see_member(viewer, other)
    assert not permissions.can_see_member(other, viewer)
