"""Members looking for a circle, and proposals made by hand for the pages' tests."""

from datetime import timedelta

from django.utils import timezone

from momcircle.availability.windows import WeeklyWindow
from momcircle.circles.models import Proposal, ProposalSeat
from momcircle.circles.services import wish_save
from momcircle.profiles.services import availability_replace
from tests.factories import member

TUESDAY_EVENING = WeeklyWindow(1, 20 * 60 + 30, 22 * 60, "kid_free")
SATURDAY_MORNING = WeeklyWindow(5, 9 * 60, 12 * 60, "kids_along")
LINCOLN_PARK = (41.9229, -87.6483)
MILE_NORTH = 1 / 69  # of latitude


def seeker(
    first_name: str = "Ana",
    *,
    north_miles: float = 0.0,
    windows=(TUESDAY_EVENING,),
    radius_miles: int = 3,
    size: str = "small",
    match_kids: bool = False,
    style: str = "either",
    **profile_fields,
):
    """An onboarded member in Lincoln Park (or some miles north of it), free at `windows`
    each week, who asked for a circle."""
    profile_fields.setdefault("kids", {"toddler": 1})
    mom = member(
        first_name=first_name,
        latitude=LINCOLN_PARK[0] + north_miles * MILE_NORTH,
        longitude=LINCOLN_PARK[1],
        **profile_fields,
    )
    availability_replace(member=mom, windows=list(windows))
    wish_save(member=mom, radius_miles=radius_miles, size=size, match_kids=match_kids, style=style)
    return mom


def proposal_for(members, *, hours_left: float = 72, window=TUESDAY_EVENING) -> Proposal:
    """A proposal of these members, as the engine would have made it yesterday, waiting for
    answers."""
    now = timezone.now()
    start = now + timedelta(days=4)
    proposal = Proposal.objects.create(
        zone="America/Chicago",
        weekday=window.weekday,
        start_minute=window.start,
        end_minute=window.end,
        mode=window.mode,
        proposed_start=start,
        proposed_end=start + timedelta(minutes=90),
        deadline=now + timedelta(hours=hours_left),
        created_at=now - timedelta(days=1),
    )
    ProposalSeat.objects.bulk_create(ProposalSeat(proposal=proposal, member=m) for m in members)
    return proposal
