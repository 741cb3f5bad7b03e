"""Reads of circles: "Meet your circle" as she sees it (the page, the email, the home card)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from momcircle.circles.models import CircleWish, Proposal, ProposalSeat
from momcircle.circles.words import on_her_clock
from momcircle.distance import distance_miles
from momcircle.geo import approximate_distance
from momcircle.profiles.models import AgeBand, Block, WorkPattern
from momcircle.profiles.words import window_in_words

OUT = ProposalSeat.Answer.OUT
AGE_BANDS = dict(AgeBand.choices)
WORK_PATTERNS = dict(WorkPattern.choices)


@dataclass(frozen=True)
class CircleMember:
    """A woman of the circle as another sees her: never her email, never where she lives."""

    display_name: str
    work_pattern: str
    kid_bands: list[str]
    distance: str
    is_viewer: bool


@dataclass(frozen=True)
class MeetYourCircle:
    """One proposed circle as one of its members sees it, times on her own clock."""

    proposal: Proposal
    seat: ProposalSeat
    members: list[CircleMember]
    others: int  # women kept apart from her by a block: counted, not named
    weekly_time: str
    zone: str
    said_in: int

    @property
    def size(self) -> int:
        return len(self.members) + self.others

    @property
    def quorum(self) -> int:
        return settings.CIRCLE_QUORUM

    @property
    def accepting(self) -> bool:
        """Answers still count: it has not lapsed and the deadline has not passed."""
        return self.proposal.status != Proposal.Status.LAPSED and (
            timezone.now() < self.proposal.deadline
        )


def _her_zone(viewer) -> str:
    profile = getattr(viewer, "profile", None)
    return profile.time_zone if profile else settings.TIME_ZONE


def _member(seat: ProposalSeat, viewer) -> CircleMember:
    profile, here = seat.member.profile, viewer.profile
    is_viewer = seat.member_id == viewer.pk
    miles = distance_miles(here.latitude, here.longitude, profile.latitude, profile.longitude)
    return CircleMember(
        display_name=profile.display_name,
        work_pattern=WORK_PATTERNS.get(profile.work_pattern, ""),
        kid_bands=[str(label) for band, label in AGE_BANDS.items() if profile.kids.get(band)],
        distance="" if is_viewer else approximate_distance(miles),
        is_viewer=is_viewer,
    )


def meet_your_circle(*, seat: ProposalSeat, viewer, now: datetime | None = None) -> MeetYourCircle:
    """Her seat's circle: everyone who has not said "Not this one", herself first, the women
    kept apart from her by a block counted but not named (one query; `seat` comes with its
    proposal)."""
    proposal = seat.proposal
    seats = (
        ProposalSeat.objects.filter(proposal=proposal)
        .exclude(Q(answer=OUT) & ~Q(member=viewer))
        .select_related("member__profile")
        .annotate(
            kept_apart=ExpressionWrapper(
                Q(member__in=Block.objects.kept_apart_from(viewer)), output_field=BooleanField()
            )
        )
        .order_by("pk")
    )
    members, others, said_in = [], 0, 0
    for other in seats:
        said_in += other.answer == ProposalSeat.Answer.IN
        if other.kept_apart:
            others += 1
        else:
            members.append(_member(other, viewer))
    members.sort(key=lambda m: not m.is_viewer)
    zone = _her_zone(viewer)
    window = on_her_clock(proposal.window, proposal.zone, zone, now or timezone.now())
    return MeetYourCircle(
        proposal=proposal,
        seat=seat,
        members=members,
        others=others,
        weekly_time=window_in_words(window, every_week=True),
        zone=zone,
        said_in=said_in,
    )


def her_seat(*, proposal_id: int, member) -> ProposalSeat | None:
    """Her seat in that proposal, with it (one query); None when she has none."""
    return (
        ProposalSeat.objects.select_related("proposal__group")
        .filter(proposal_id=proposal_id, member=member)
        .first()
    )


@dataclass(frozen=True)
class CircleCard:
    """What her home page says about circles: her wish, and the circle waiting for her answer
    (or her "I'm in") if there is one."""

    wish: CircleWish | None
    seat: ProposalSeat | None
    weekly_time: str = ""

    @property
    def size(self) -> int:
        return self.seat.seat_count if self.seat else 0


def circle_card(user, now: datetime | None = None) -> CircleCard:
    """Her wish and her live seat, with its proposal and how many share it (two queries)."""
    wish = CircleWish.objects.filter(member=user).first()
    seat = None
    if wish is not None:
        seat = (
            ProposalSeat.objects.filter(member=user, live=True)
            .select_related("proposal")
            .annotate(seat_count=Count("proposal__seats", filter=~Q(proposal__seats__answer=OUT)))
            .first()
        )
    if seat is None:
        return CircleCard(wish=wish, seat=None)
    proposal = seat.proposal
    window = on_her_clock(proposal.window, proposal.zone, _her_zone(user), now or timezone.now())
    return CircleCard(wish=wish, seat=seat, weekly_time=window_in_words(window, every_week=True))
