"""Writes about groups and memberships.

Each function checks its own rules and permissions and raises RuleBroken with the sentence the
member reads. Wherever a member count decides something, the group row is locked first, so
concurrent joins and approvals never take the group past its size cap.
"""

import itertools
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups import events, permissions
from groups.models import Group, GroupWeek, JoinPolicy, Membership, new_invite_token
from momcircle.availability.slots import count_slots, shift_slots, zone_difference_minutes
from momcircle.events import send_after_commit
from momcircle.geo import UnknownZip, locate_zip
from momcircle.profiles.models import User
from momcircle.ratelimit import JOIN_REQUESTS, spend
from momcircle.rules import RuleBroken

ACTIVE = Membership.Status.ACTIVE
PENDING = Membership.Status.PENDING
DECLINED = Membership.Status.DECLINED
BANNED = Membership.Status.BANNED

# Paths under /groups/ that a group's slug must never shadow.
RESERVED_SLUGS = frozenset({"new", "mine"})
SLUG_ATTEMPTS = 3
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "zip_code",
        "focus",
        "kids_age_focus",
        "meeting_style",
        "size_cap",
        "join_policy",
        "join_question",
        "is_listed",
    }
)
ANSWER_MAX_LENGTH = Membership._meta.get_field("answer").max_length
MESSAGE_MAX_LENGTH = Membership._meta.get_field("decision_message").max_length

ALREADY_IN = {
    ACTIVE: _("You are already a member of this group."),
    PENDING: _("You have already asked to join; the organizer will answer soon."),
    DECLINED: _("The organizers declined your request to join this group."),
    BANNED: permissions.CANNOT_JOIN,
}
FULL = _("This group is full.")
INVITATION_ONLY = _("This group is by invitation only: ask its organizer for the link.")
ANSWERED = _("This request has already been answered.")
CLOSED = _("This group has closed.")


def _locked(group_pk: int) -> Group:
    return Group.objects.select_for_update().get(pk=group_pk)


def _locked_membership(membership: Membership) -> tuple[Group, Membership]:
    """Locks the group, then re-reads the membership: it may have been answered or withdrawn
    since the page was shown."""
    group = _locked(membership.group_id)
    fresh = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    RuleBroken.unless(
        fresh is not None, gettext("She is no longer in this group and has withdrawn any request.")
    )
    fresh.group = group
    RuleBroken.unless(not group.is_archived, permissions.ARCHIVED)
    return group, fresh


def _require_profile(user: User) -> None:
    RuleBroken.unless(hasattr(user, "profile"), gettext("Please finish your profile first."))


def _location(zip_code: str) -> dict:
    try:
        place = locate_zip(zip_code)
    except UnknownZip as error:
        raise RuleBroken(str(error)) from error
    return {
        "zip_code": place.zip_code,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "time_zone": place.time_zone,
    }


def _validate(group: Group) -> None:
    """The model's own rules (lengths, choices, the size-cap range), as sentences."""
    try:
        group.full_clean(exclude=["slug", "invite_token"])
    except ValidationError as error:
        sentences = []
        for field, messages in error.message_dict.items():
            label = (
                ""
                if field == NON_FIELD_ERRORS
                else f"{capfirst(Group._meta.get_field(field).verbose_name)}: "
            )
            sentences.extend(label + message for message in messages)
        raise RuleBroken(" ".join(sentences)) from error


def _free_slug(name: str) -> str:
    base = slugify(name)[:80].strip("-") or "group"
    taken = RESERVED_SLUGS | set(
        Group.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    candidates = itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
    return next(slug for slug in candidates if slug not in taken)


def _insert_with_free_slug(group: Group) -> None:
    """Another organizer may take the same slug between our look and our insert: try again."""
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        group.slug = _free_slug(group.name)
        try:
            with transaction.atomic():
                group.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS:
                raise


def _check_message(message: str) -> str:
    message = message.strip()
    RuleBroken.unless(
        len(message) <= MESSAGE_MAX_LENGTH,
        gettext("Keep your message to %(count)s characters or fewer.")
        % {"count": MESSAGE_MAX_LENGTH},
    )
    return message


def _decide(membership: Membership, *, status: str, message: str) -> Membership:
    """Records the organizers' answer to a request; she hears of it after the commit."""
    now = timezone.now()
    membership.status = status
    membership.decided_at = now
    membership.decision_message = message
    membership.joined_at = now if status == ACTIVE else None
    membership.save(update_fields=["status", "decided_at", "decision_message", "joined_at"])
    send_after_commit(events.membership_decided, sender=Membership, membership=membership)
    return membership


def _close(group: Group) -> None:
    group.is_archived = True
    group.save(update_fields=["is_archived"])
    requests = Membership.objects.filter(group=group, status=PENDING).select_related("member")
    for request in requests:
        _decide(request, status=DECLINED, message=CLOSED)


@transaction.atomic
def group_create(
    *,
    organizer: User,
    name: str,
    description: str,
    zip_code: str,
    focus: list[str],
    kids_age_focus: list[str],
    meeting_style: str,
    size_cap: int,
    join_policy: str,
    join_question: str,
    is_listed: bool,
) -> Group:
    """A new group at the ZIP's centroid, with her as its organizer."""
    _require_profile(organizer)
    group = Group(
        name=name,
        description=description,
        focus=focus,
        kids_age_focus=kids_age_focus,
        meeting_style=meeting_style,
        size_cap=size_cap,
        join_policy=join_policy,
        join_question=join_question,
        is_listed=is_listed,
        **_location(zip_code),
    )
    _validate(group)
    _insert_with_free_slug(group)
    Membership.objects.create(
        group=group,
        member=organizer,
        role=Membership.Role.ORGANIZER,
        status=ACTIVE,
        joined_at=timezone.now(),
    )
    group_weeks_refresh(group_ids=[group.pk])
    return group


@transaction.atomic
def group_update(*, group: Group, by: User, **fields) -> Group:
    """Organizers change what the group says about itself; its slug stays, so links keep working."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"group_update() cannot change {', '.join(sorted(unknown))}")
    group = _locked(group.pk)
    RuleBroken.unless(not group.is_archived, permissions.ARCHIVED)
    RuleBroken.unless(permissions.can_manage(by, group), permissions.ONLY_ORGANIZERS)
    if fields.get("zip_code", group.zip_code) != group.zip_code:
        fields.update(_location(fields["zip_code"]))
    members = group.active_count
    RuleBroken.unless(
        fields.get("size_cap", group.size_cap) >= members,
        gettext("The group has %(count)s members, so its size cap can't be lower than %(count)s.")
        % {"count": members},
    )
    for name, value in fields.items():
        setattr(group, name, value)
    _validate(group)
    group.save(update_fields=list(fields))
    return group


@transaction.atomic
def group_archive(*, group: Group, by: User) -> Group:
    """The group stops meeting; waiting requests are declined."""
    group = _locked(group.pk)
    RuleBroken.unless(not group.is_archived, gettext("This group is already archived."))
    RuleBroken.unless(
        permissions.is_organizer(by, group) or by.is_staff,
        gettext("Only the organizer can archive the group."),
    )
    _close(group)
    return group


@transaction.atomic
def membership_join(
    *, group: Group, member: User, answer: str = "", invite_token: str | None = None
) -> Membership:
    """Joins an open group, or asks to join one by request. An unlisted group needs its
    current invite token."""
    spend(JOIN_REQUESTS, member=member)
    group = _locked(group.pk)
    existing = permissions.membership_of(member, group)
    if existing is not None:
        raise RuleBroken(ALREADY_IN[existing.status])
    _require_profile(member)
    RuleBroken.unless(not group.is_archived, permissions.ARCHIVED)
    RuleBroken.unless(permissions.can_see_group(member, group, invite_token), INVITATION_ONLY)
    RuleBroken.when(permissions.block_refusal(member, group))
    RuleBroken.unless(group.seats_left > 0, FULL)
    if group.join_policy == JoinPolicy.OPEN:
        membership = Membership.objects.create(
            group=group, member=member, status=ACTIVE, joined_at=timezone.now()
        )
        group_weeks_refresh(group_ids=[group.pk])
        return membership
    answer = answer.strip()
    RuleBroken.unless(
        bool(answer) or not group.join_question,
        gettext("Please answer the organizer's question: %(question)s")
        % {"question": group.join_question},
    )
    RuleBroken.unless(
        len(answer) <= ANSWER_MAX_LENGTH,
        gettext("Keep your answer to %(count)s characters or fewer.")
        % {"count": ANSWER_MAX_LENGTH},
    )
    return Membership.objects.create(group=group, member=member, status=PENDING, answer=answer)


@transaction.atomic
def membership_leave(*, group: Group, member: User) -> Group:
    """She leaves, or withdraws her request. An organizer leaving hands the group to her
    longest-serving co-organizer, or archives it when she has none."""
    group = _locked(group.pk)
    RuleBroken.unless(permissions.can_leave(member, group), permissions.NOT_A_MEMBER)
    membership = permissions.membership_of(member, group)
    if permissions.is_organizer(member, group):
        group = group_hand_over_or_archive(group=group, leaving=member)
    was_active = membership.status == ACTIVE
    membership.delete()
    if was_active:
        _ended(group, member)
    return group


@transaction.atomic
def membership_approve(*, membership: Membership, by: User, message: str = "") -> Membership:
    group, membership = _locked_membership(membership)
    RuleBroken.unless(permissions.can_manage(by, group), permissions.ONLY_ORGANIZERS)
    RuleBroken.unless(membership.status == PENDING, ANSWERED)
    RuleBroken.unless(
        group.seats_left > 0,
        gettext("The group is full: a seat must free up before you approve her."),
    )
    membership = _decide(membership, status=ACTIVE, message=_check_message(message))
    group_weeks_refresh(group_ids=[group.pk])
    return membership


@transaction.atomic
def membership_decline(*, membership: Membership, by: User, message: str = "") -> Membership:
    group, membership = _locked_membership(membership)
    RuleBroken.unless(permissions.can_manage(by, group), permissions.ONLY_ORGANIZERS)
    RuleBroken.unless(membership.status == PENDING, ANSWERED)
    return _decide(membership, status=DECLINED, message=_check_message(message))


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    group, membership = _locked_membership(membership)
    RuleBroken.when(permissions.removal_refusal(by, membership))
    membership.delete()
    _ended(group, membership.member)


@transaction.atomic
def membership_ban(*, membership: Membership, by: User) -> Membership:
    """Removes her from the group for good: her membership stays, banned, so she can't ask
    to join again."""
    group, membership = _locked_membership(membership)
    RuleBroken.when(permissions.removal_refusal(by, membership))
    membership.status = BANNED
    membership.role = Membership.Role.MEMBER
    membership.joined_at = None
    membership.decided_at = timezone.now()
    membership.decision_message = ""
    membership.save(update_fields=["status", "role", "joined_at", "decided_at", "decision_message"])
    _ended(group, membership.member)
    return membership


def _ended(group: Group, member: User) -> None:
    """She is out: the group's week no longer counts her, and receivers (her meetup
    answers) let go of what she held."""
    group_weeks_refresh(group_ids=[group.pk])
    send_after_commit(events.membership_ended, sender=Membership, group=group, member=member)


@transaction.atomic
def membership_set_role(*, membership: Membership, by: User, role: str) -> Membership:
    """The organizer names a co-organizer, or makes one a member again."""
    RuleBroken.unless(
        role in (Membership.Role.CO_ORGANIZER, Membership.Role.MEMBER),
        gettext("A member can be made a co-organizer or a member."),
    )
    _group, membership = _locked_membership(membership)
    RuleBroken.when(permissions.role_change_refusal(by, membership))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def group_transfer(*, group: Group, by: User, to: User) -> Group:
    """The organizer hands the group to another member and stays on as a co-organizer."""
    group = _locked(group.pk)
    RuleBroken.unless(not group.is_archived, permissions.ARCHIVED)
    successor = permissions.membership_of(to, group)
    RuleBroken.unless(successor is not None, permissions.SHE_IS_NOT_A_MEMBER)
    RuleBroken.when(permissions.role_change_refusal(by, successor))
    Membership.objects.filter(group=group, member=by).update(role=Membership.Role.CO_ORGANIZER)
    successor.role = Membership.Role.ORGANIZER
    successor.save(update_fields=["role"])
    return group


@transaction.atomic
def group_regenerate_invite(*, group: Group, by: User) -> Group:
    """A new invite link; the old one stops working."""
    group = _locked(group.pk)
    RuleBroken.unless(not group.is_archived, permissions.ARCHIVED)
    RuleBroken.unless(permissions.can_manage(by, group), permissions.ONLY_ORGANIZERS)
    group.invite_token = new_invite_token()
    group.save(update_fields=["invite_token"])
    return group


@transaction.atomic
def group_hand_over_or_archive(*, group: Group, leaving: User) -> Group:
    """The organizer is leaving: her longest-serving co-organizer takes over, or the group
    is archived when she has none (a group never runs without an organizer)."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    Membership.objects.filter(group=group, member=leaving).update(role=Membership.Role.MEMBER)
    successor = (
        Membership.objects.filter(
            group=group, status=Membership.Status.ACTIVE, role=Membership.Role.CO_ORGANIZER
        )
        .exclude(member=leaving)
        .order_by(F("joined_at").asc(nulls_last=True), "pk")
        .first()
    )
    if successor is None:
        _close(group)
    else:
        successor.role = Membership.Role.ORGANIZER
        successor.save(update_fields=["role"])
    return group


def group_weeks_refresh(*, group_ids: Iterable[int]) -> None:
    """Recount, per half-hour slot of each group's local week, how many active members are
    free (after a join, a leave or an availability edit). A member in another time zone is
    shifted by the difference between the zones today."""
    zones = dict(Group.objects.filter(pk__in=set(group_ids)).values_list("pk", "time_zone"))
    rows = Membership.objects.filter(group_id__in=zones, status=ACTIVE).values_list(
        "group_id", "member__profile__time_zone", "member__weekly_free_slots__slots"
    )
    now = timezone.now()
    slots_by_group: dict[int, list[list[int]]] = {pk: [] for pk in zones}
    for group_id, member_zone, slots in rows:
        if slots:
            shift = zone_difference_minutes(member_zone, zones[group_id], now)
            slots_by_group[group_id].append(shift_slots(slots, shift))
    GroupWeek.objects.bulk_create(
        [
            GroupWeek(group_id=pk, slot_counts=count_slots(weeks), updated_at=now)
            for pk, weeks in slots_by_group.items()
        ],
        update_conflicts=True,
        unique_fields=["group"],
        update_fields=["slot_counts", "updated_at"],
    )


def group_weeks_refresh_for_member(*, member: User) -> None:
    """Her week changed: recount the groups she is an active member of."""
    group_weeks_refresh(
        group_ids=Membership.objects.filter(member=member, status=ACTIVE).values_list(
            "group_id", flat=True
        )
    )
