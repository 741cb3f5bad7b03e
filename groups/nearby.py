"""Reads for "groups near me": distance through an index, ranked by a match score.

Match score (0–100), computed in SQL so ordering and pagination happen in the database:

    40 × closeness      1 − distance / chosen radius (a group next door scores 40)
  + 35 × schedule fit   share of active members free in at least one of her half-hour slots
  + 15 × kids' ages     1 when the group's age focus includes one of her kids' bands,
                        0.5 when the group welcomes all ages (no focus), 0 otherwise
  + 10 × open seats     min(seats left, 4) / 4: a group with room is easier to join

Distance: a bounding box on the indexed (latitude, longitude) pair narrows the candidates,
then the exact great-circle (haversine) distance filters and ranks them.
"""

import math
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import ASin, Cos, Greatest, Least, Power, Radians, Sin, Sqrt

from groups.models import Group, GroupWeek, MeetingStyle, Membership
from groups.selectors import groups_led_by
from momcircle.availability.slots import best_shared_windows
from momcircle.distance import EARTH_RADIUS_MILES
from momcircle.geo import approximate_distance
from momcircle.profiles.models import Block
from momcircle.profiles.words import part_of_week_in_words

DISTANCE_CHOICES = (1, 3, 5, 10, 25)
DEFAULT_DISTANCE = 5
PAGE_SIZE = 10
FARTHEST_PAGE = 10_000
MILES_PER_DEGREE = 69.0
ACTIVE = Membership.Status.ACTIVE


@dataclass(frozen=True)
class BrowseFilters:
    miles: int = DEFAULT_DISTANCE
    kids_ages: tuple[str, ...] = ()
    meeting_style: str = ""
    has_space: bool = False
    text: str = ""


def bounding_box(latitude: float, longitude: float, miles: float) -> dict[str, float]:
    lat_delta = miles / MILES_PER_DEGREE
    lng_delta = miles / (MILES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return {
        "latitude__gte": latitude - lat_delta,
        "latitude__lte": latitude + lat_delta,
        "longitude__gte": longitude - lng_delta,
        "longitude__lte": longitude + lng_delta,
    }


def great_circle_miles(latitude: float, longitude: float):
    """Haversine distance from a point to each row's (latitude, longitude), in SQL."""
    d_lat = Radians(F("latitude") - Value(latitude)) / 2
    d_lng = Radians(F("longitude") - Value(longitude)) / 2
    a = Power(Sin(d_lat), 2) + Cos(Value(math.radians(latitude))) * Cos(
        Radians(F("latitude"))
    ) * Power(Sin(d_lng), 2)
    return ExpressionWrapper(
        2 * EARTH_RADIUS_MILES * ASin(Sqrt(Least(a, Value(1.0)))), output_field=FloatField()
    )


class _OfTheGroupRow(ExpressionWrapper):
    """A value computed from the group's own columns. The ranking groups by the group's primary
    key, which determines it, so it stays out of GROUP BY, where PostgreSQL would compute and
    compare it again for every membership row."""

    def get_group_by_cols(self):
        return []


def groups_near(profile, filters: BrowseFilters, her_slots: list[int]) -> QuerySet[Group]:
    """Listed, active groups she is not in, within the radius, best match first. A group led
    by a woman she blocked, or who blocked her, is never suggested."""
    groups = (
        Group.objects.filter(is_archived=False, is_listed=True)
        .filter(**bounding_box(profile.latitude, profile.longitude, filters.miles))
        .exclude(memberships__member_id=profile.user_id)
        .exclude(pk__in=groups_led_by(Block.objects.kept_apart_from(profile.user_id)))
        .annotate(
            distance=_OfTheGroupRow(
                great_circle_miles(profile.latitude, profile.longitude), output_field=FloatField()
            )
        )
        .filter(distance__lte=filters.miles)
    )
    groups = _apply_filters(groups, filters)
    return _annotate_match(groups, profile, filters, her_slots).order_by("-score", "distance", "pk")


def _apply_filters(groups: QuerySet[Group], filters: BrowseFilters) -> QuerySet[Group]:
    if filters.kids_ages:
        groups = groups.filter(
            Q(kids_age_focus__overlap=list(filters.kids_ages)) | Q(kids_age_focus=[])
        )
    if filters.meeting_style:
        groups = groups.filter(meeting_style__in=[filters.meeting_style, MeetingStyle.BOTH])
    if filters.text:
        vector = SearchVector("name", weight="A", config="english") + SearchVector(
            "description", weight="B", config="english"
        )
        query = SearchQuery(filters.text, search_type="websearch", config="english")
        groups = groups.alias(search=vector).filter(search=query)
    return groups


def _annotate_match(groups, profile, filters: BrowseFilters, her_slots: list[int]):
    active = Q(memberships__status=ACTIVE)
    groups = groups.annotate(
        active_count=Count("memberships", filter=active),
        fit_count=Count(
            "memberships",
            filter=active & Q(memberships__member__weekly_free_slots__slots__overlap=her_slots),
        ),
    ).annotate(open_seats=F("size_cap") - F("active_count"))
    if filters.has_space:
        groups = groups.filter(open_seats__gt=0)
    her_bands = [band for band, count in profile.kids.items() if count]
    kids_fit = Case(
        When(kids_age_focus__overlap=her_bands, then=Value(1.0)),
        When(kids_age_focus=[], then=Value(0.5)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    closeness = 1.0 - F("distance") / Value(float(filters.miles))
    schedule_fit = F("fit_count") * 1.0 / Greatest(F("active_count"), Value(1))
    seats = Greatest(Least(F("open_seats"), Value(4)), Value(0)) / 4.0
    score = (
        _OfTheGroupRow(40 * closeness, output_field=FloatField())
        + 35 * schedule_fit
        + _OfTheGroupRow(15 * kids_fit, output_field=FloatField())
        + 10 * seats
    )
    return groups.annotate(score=ExpressionWrapper(score, output_field=FloatField()))


def her_slots(profile) -> list[int]:
    week = getattr(profile.user, "weekly_free_slots", None)
    return list(week.slots) if week else []


def suggested_for(profile, limit: int = 3) -> list[Group]:
    """The best matches within the default radius, for her home page."""
    return list(groups_near(profile, BrowseFilters(), her_slots(profile))[:limit])


@dataclass(frozen=True)
class GroupCard:
    group: Group
    distance: str
    fit_count: int
    shared_windows: list[str]


def browse_page(profile, filters: BrowseFilters, page_number) -> tuple[Page, list[GroupCard]]:
    """One page of ranked groups near her, as cards. A single query ranks and counts the groups
    and reads the weeks of the page's groups; only a page past the end (a stale link) costs
    more."""
    slots = her_slots(profile)
    ranked = (
        groups_near(profile, filters, slots)
        # What a card shows: the ranking then carries no long descriptions through its join.
        .only("name", "slug", "meeting_style", "size_cap")
        .annotate(
            total=Window(Count("pk")),
            # A subquery rather than a join: PostgreSQL reads it after the sort and limit, so only
            # for the page's groups, and the ranking does not carry the wide arrays.
            slot_counts=Subquery(
                GroupWeek.objects.filter(group=OuterRef("pk")).values("slot_counts")
            ),
        )
    )
    page = _page(ranked, page_number)
    cards = [
        GroupCard(
            group=group,
            distance=approximate_distance(group.distance),
            fit_count=group.fit_count,
            shared_windows=[
                part_of_week_in_words(phrase)
                for phrase in best_shared_windows(slots, group.slot_counts)
            ]
            if group.slot_counts is not None
            else [],
        )
        for group in page
    ]
    return page, cards


def _page(ranked: QuerySet[Group], page_number) -> Page:
    """Django's page of `ranked`, its count taken from the window total on the rows of the page
    asked for instead of a second pass over the ranking."""
    paginator = Paginator(ranked, PAGE_SIZE)
    asked = _page_asked(page_number)
    rows = list(ranked[(asked - 1) * PAGE_SIZE : asked * PAGE_SIZE])
    if rows or asked == 1:
        paginator.count = rows[0].total if rows else 0
    page = paginator.get_page(page_number)
    if page.number == asked:
        page.object_list = rows
    return page


def _page_asked(page_number) -> int:
    """The page number as typed, within reach of an OFFSET (past the end is handled above)."""
    try:
        return min(max(int(page_number), 1), FARTHEST_PAGE)
    except (TypeError, ValueError):
        return 1
