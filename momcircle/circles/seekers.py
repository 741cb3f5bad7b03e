"""The database as the engine's plain input: the wishes to consider, each as a ``Seeker``, and
the pairs of members to keep apart."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q

from groups.models import Membership
from momcircle.circles.engine import Seeker
from momcircle.circles.models import CircleSize, CircleWish, ProposalSeat
from momcircle.distance import distance_miles
from momcircle.geo import UnknownZip, locate_zip
from momcircle.profiles.models import AvailabilityWindow, Block
from momcircle.rules import RuleBroken

MILES_PER_DEGREE_LATITUDE = 69.0


@dataclass(frozen=True)
class Area:
    """Members whose ZIP centroid is within ``radius_miles`` of a point."""

    latitude: float
    longitude: float
    radius_miles: float

    @classmethod
    def around_zip(cls, zip_code: str, radius_miles: float) -> "Area":
        try:
            place = locate_zip(zip_code)
        except UnknownZip as error:
            raise RuleBroken(str(error)) from error
        return cls(place.latitude, place.longitude, radius_miles)

    def holds(self, latitude: float, longitude: float) -> bool:
        return (
            distance_miles(self.latitude, self.longitude, latitude, longitude) <= self.radius_miles
        )

    def box(self) -> Q:
        """A latitude band around it, for the index (longitude is checked in Python)."""
        spread = self.radius_miles / MILES_PER_DEGREE_LATITUDE
        return Q(
            member__profile__latitude__gte=self.latitude - spread,
            member__profile__latitude__lte=self.latitude + spread,
        )


def wishes_to_consider(*, area: Area | None, today: date) -> list[CircleWish]:
    """Active, unpaused wishes of onboarded members with weekly windows, except those held by
    a proposal made before today: a second run today gets the same input as the first (see
    the README, "How circles form"). Their profiles and windows are loaded (three queries)."""
    held_before = ProposalSeat.objects.filter(
        member=OuterRef("member"), live=True, proposal__created_at__date__lt=today
    )
    wishes = (
        CircleWish.objects.filter(
            active=True,
            paused_at__isnull=True,
            member__is_active=True,
            member__profile__onboarded_at__isnull=False,
            member__availability_windows__isnull=False,
        )
        .exclude(Exists(held_before))
        .distinct()
        .select_related("member__profile")
        .prefetch_related(
            Prefetch("member__availability_windows", queryset=AvailabilityWindow.objects.all())
        )
        .order_by("member_id")
    )
    if area is not None:
        wishes = wishes.filter(area.box())
    found = list(wishes)
    if area is not None:
        found = [
            w for w in found if area.holds(w.member.profile.latitude, w.member.profile.longitude)
        ]
    return found


def seeker_of(wish: CircleWish) -> Seeker:
    profile = wish.member.profile
    return Seeker(
        id=wish.member_id,
        latitude=profile.latitude,
        longitude=profile.longitude,
        radius_miles=wish.radius_miles,
        zone=profile.time_zone,
        windows=tuple(sorted(w.to_weekly() for w in wish.member.availability_windows.all())),
        kid_bands=frozenset(band for band, count in profile.kids.items() if count),
        style=wish.style,
        size=CircleSize(wish.size).bounds,
        match_kids=wish.match_kids,
    )


def seekers_of(wishes: Iterable[CircleWish]) -> list[Seeker]:
    """One seeker per wish; a wish the engine could not read (a zone this machine does not
    know) is left out rather than stopping the run."""
    found = []
    for wish in wishes:
        seeker = seeker_of(wish)
        try:
            seeker.check()
        except ValueError:
            continue
        found.append(seeker)
    return found


def kept_apart(member_ids: Iterable[int]) -> set[frozenset[int]]:
    """Pairs among these members never to put in one circle: one blocked the other, they are
    already active together in a group, or one of them said "Not this one" to a circle the
    other was proposed in (four queries)."""
    ids = set(member_ids)
    pairs: set[frozenset[int]] = set()
    blocks = Block.objects.filter(blocker__in=ids, blocked__in=ids).values_list(
        "blocker_id", "blocked_id"
    )
    pairs.update(frozenset(pair) for pair in blocks)
    together: dict[int, list[int]] = {}
    rows = Membership.objects.filter(
        member__in=ids, status=Membership.Status.ACTIVE, group__is_archived=False
    ).values_list("group_id", "member_id")
    for group_id, member_id in rows:
        together.setdefault(group_id, []).append(member_id)
    declined = ProposalSeat.objects.filter(member__in=ids, answer=ProposalSeat.Answer.OUT)
    others = ProposalSeat.objects.filter(
        proposal__in=declined.values("proposal"), member__in=ids
    ).values_list("proposal_id", "member_id")
    by_proposal: dict[int, list[int]] = {}
    for proposal_id, member_id in others:
        by_proposal.setdefault(proposal_id, []).append(member_id)
    out = set(declined.values_list("proposal_id", "member_id"))
    for proposal_id, members in by_proposal.items():
        for member_id in members:
            if (proposal_id, member_id) in out:
                pairs.update(
                    frozenset((member_id, other)) for other in members if other != member_id
                )
    for members in together.values():
        pairs.update(frozenset((a, b)) for n, a in enumerate(members) for b in members[n + 1 :])
    return pairs
