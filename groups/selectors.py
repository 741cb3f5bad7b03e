"""Reads about groups and memberships."""

from dataclasses import dataclass

from django.db.models import Case, F, OuterRef, When
from django.db.models.functions import Lower

from groups.models import Group, Membership, active_member_count
from momcircle.distance import distance_miles
from momcircle.geo import approximate_distance
from momcircle.profiles.models import Block


def share_a_group(first, second) -> bool:
    """Both are active members of at least one common, non-archived group."""
    return (
        Membership.objects.filter(
            member=first, status=Membership.Status.ACTIVE, group__is_archived=False
        )
        .filter(
            group__memberships__member=second,
            group__memberships__status=Membership.Status.ACTIVE,
        )
        .exists()
    )


@dataclass(frozen=True)
class MemberRow:
    """One woman as another member sees her: never her email, never where she lives."""

    membership: Membership
    display_name: str
    distance: str
    kids: list[str]
    is_viewer: bool


_ROLE_ORDER = Case(
    When(role=Membership.Role.ORGANIZER, then=0),
    When(role=Membership.Role.CO_ORGANIZER, then=1),
    default=2,
)


def organizer_of(group: Group) -> Membership | None:
    return (
        group.memberships.filter(status=Membership.Status.ACTIVE, role=Membership.Role.ORGANIZER)
        .select_related("member__profile")
        .first()
    )


def _row(membership: Membership, viewer) -> MemberRow:
    profile, here = membership.member.profile, viewer.profile
    is_viewer = membership.member_id == viewer.pk
    miles = distance_miles(here.latitude, here.longitude, profile.latitude, profile.longitude)
    return MemberRow(
        membership=membership,
        display_name=profile.display_name,
        distance="" if is_viewer else approximate_distance(miles),
        kids=profile.kids_summary,
        is_viewer=is_viewer,
    )


def _visible_to(memberships, viewer):
    """Without the women she blocked or who blocked her."""
    return memberships.exclude(member__in=Block.objects.kept_apart_from(viewer))


def member_rows(*, group: Group, viewer) -> list[MemberRow]:
    """Active members, the organizers first, then by seniority."""
    memberships = (
        _visible_to(group.memberships.filter(status=Membership.Status.ACTIVE), viewer)
        .select_related("member__profile")
        .order_by(_ROLE_ORDER, F("joined_at").asc(nulls_last=True), "pk")
    )
    for membership in memberships:
        membership.group = group
    return [_row(membership, viewer) for membership in memberships]


def request_rows(*, group: Group, viewer) -> list[MemberRow]:
    """Requests waiting for an answer, oldest first."""
    memberships = (
        _visible_to(group.memberships.filter(status=Membership.Status.PENDING), viewer)
        .select_related("member__profile")
        .order_by("requested_at", "pk")
    )
    return [_row(membership, viewer) for membership in memberships]


def transfer_candidates(*, group: Group, viewer):
    """The members she may hand the group over to."""
    return (
        _visible_to(group.memberships.filter(status=Membership.Status.ACTIVE), viewer)
        .exclude(role=Membership.Role.ORGANIZER)
        .select_related("member__profile")
        .order_by("member__profile__first_name", "pk")
    )


def groups_led_by(members):
    """Ids of the groups where one of `members` (user ids, a subquery) is an organizer or a
    co-organizer, as a subquery."""
    return Membership.objects.filter(
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.CO_ORGANIZER],
        member__in=members,
    ).values("group")


def my_memberships(user) -> list[Membership]:
    """Her groups and her waiting requests, groups that still meet first."""
    memberships = (
        Membership.objects.filter(
            member=user, status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING]
        )
        .select_related("group")
        .annotate(group_active_count=active_member_count(OuterRef("group_id")))
        .order_by("group__is_archived", "status", Lower("group__name"), "pk")
    )
    for membership in memberships:
        membership.group.active_count = membership.group_active_count
    return list(memberships)
