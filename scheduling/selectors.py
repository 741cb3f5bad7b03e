"""Reads of the scheduling app: suggested times, meetups and answers, series."""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from groups import nearby
from groups.models import Group, Membership
from groups.selectors import my_memberships
from momcircle.availability.recurrence import (
    MONTHLY,
    Recurrence,
    monthly_position,
    occurrence_span,
)
from momcircle.availability.times import (
    Interval,
    Suggestion,
    expand,
    suggest_series_times,
    suggest_times,
)
from momcircle.availability.windows import EITHER, MODES, WeeklyWindow, modes_wished
from momcircle.geo import approximate_distance
from momcircle.profiles.models import Block
from scheduling.ics import SeriesCalendar
from scheduling.models import Meetup, MeetupChange, MeetupSeries, Rsvp, StandingAnswer

K = TypeVar("K", bound=Hashable)

DEFAULT_HORIZON_DAYS = 21
SUGGESTION_LIMIT = 5
MY_WEEK_MEETUPS = 6
UPCOMING_ON_GROUP_PAGE = 5
FEED_HISTORY = timedelta(days=60)
OPEN_ANSWERS = (Rsvp.Response.GOING, Rsvp.Response.MAYBE, Rsvp.Response.WAITLISTED)
# A weekly slot for a series is weighed on this many of its next occurrences.
SERIES_OCCURRENCES = 8
SERIES_PAGE_OCCURRENCES = 8


def _kept_apart_from(viewer) -> ExpressionWrapper:
    """True on rows of `member` she blocked or who blocked her (a subquery, no extra query)."""
    return ExpressionWrapper(
        Q(member__in=Block.objects.kept_apart_from(viewer)), output_field=BooleanField()
    )


# --- suggested times --------------------------------------------------------------------------


def suggest_for_members(
    members: Mapping[K, tuple[str, Iterable[WeeklyWindow]]],
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    modes: Iterable[str] = MODES,
    limit: int = SUGGESTION_LIMIT,
) -> list[Suggestion]:
    """suggest_times over members given as (their own time zone, their weekly windows).

    Each member's windows are expanded over her own local dates, from the day before the
    window starts there (an evening window may run past midnight into it) to the day it ends.
    """
    return suggest_times(
        _member_intervals(members, window_start, window_end, modes),
        window_start=window_start,
        window_end=window_end,
        duration=duration,
        limit=limit,
    )


def _member_intervals(
    members: Mapping[K, tuple[str, Iterable[WeeklyWindow]]],
    window_start: datetime,
    window_end: datetime,
    modes: Iterable[str],
) -> dict[K, list[Interval]]:
    modes = tuple(modes)
    intervals = {}
    for key, (tz, windows) in members.items():
        zone = ZoneInfo(tz)
        first = window_start.astimezone(zone).date() - timedelta(days=1)
        last = window_end.astimezone(zone).date() + timedelta(days=1)
        intervals[key] = expand(windows, zone, first, last, modes)
    return intervals


@dataclass(frozen=True)
class SuggestedTime:
    """A suggested meetup time, in the group's zone, with the members free for all of it:
    the names the viewer may see, and how many others (women kept apart from her by a block)."""

    start: datetime
    end: datetime
    free: list[str]
    members: int
    others_free: int = 0

    @property
    def count(self) -> int:
        return len(self.free) + self.others_free


def suggestion_window(group: Group, horizon_days: int, now: datetime | None = None):
    """From tomorrow's midnight to `horizon_days` later, in the group's zone."""
    zone = ZoneInfo(group.time_zone)
    tomorrow = timezone.localtime(now or timezone.now(), zone).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(), zone)
    return start, datetime.combine(tomorrow + timedelta(days=horizon_days), time(), zone)


def suggested_times(
    *,
    group: Group,
    viewer,
    duration: timedelta,
    mode: str = EITHER,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    now: datetime | None = None,
    limit: int = SUGGESTION_LIMIT,
) -> list[SuggestedTime]:
    """The best times for the active members to meet, most free first (two queries). Every
    member counts; the viewer sees the names of all but those kept apart from her by a block."""
    members, names = _weeks_of_members(group, viewer)
    window_start, window_end = suggestion_window(group, horizon_days, now)
    zone = ZoneInfo(group.time_zone)
    suggestions = suggest_for_members(
        members,
        window_start=window_start,
        window_end=window_end,
        duration=duration,
        modes=modes_wished(mode),
        limit=limit,
    )
    return [
        SuggestedTime(
            start=suggestion.start.astimezone(zone),
            end=suggestion.end.astimezone(zone),
            **_who_is_free(suggestion.free, names, members),
        )
        for suggestion in suggestions
    ]


def _weeks_of_members(group: Group, viewer) -> tuple[dict, dict]:
    """(member -> (her zone, her weekly windows), member -> the name the viewer may see) of
    the group's active members (two queries)."""
    memberships = (
        Membership.objects.filter(
            group=group, status=Membership.Status.ACTIVE, member__profile__isnull=False
        )
        .select_related("member__profile")
        .prefetch_related(Prefetch("member__availability_windows"))
        .annotate(kept_apart=_kept_apart_from(viewer))
    )
    members, names = {}, {}
    for membership in memberships:
        member = membership.member
        windows = [window.to_weekly() for window in member.availability_windows.all()]
        members[member.pk] = (member.profile.time_zone, windows)
        if not membership.kept_apart:
            names[member.pk] = member.profile.display_name
    return members, names


def _who_is_free(free, names: dict, members: dict) -> dict:
    return {
        "free": sorted((names[pk] for pk in free if pk in names), key=str.casefold),
        "members": len(members),
        "others_free": sum(1 for pk in free if pk not in names),
    }


@dataclass(frozen=True)
class SuggestedSeries(SuggestedTime):
    """A weekly slot for a series, shown by its first occurrence (in the group's zone): the
    members free for at least `needed` of its next `occurrences`."""

    occurrences: int = SERIES_OCCURRENCES
    needed: int = SERIES_OCCURRENCES


def suggested_series_times(
    *,
    group: Group,
    viewer,
    duration: timedelta,
    frequency: str,
    mode: str = EITHER,
    now: datetime | None = None,
    limit: int = SUGGESTION_LIMIT,
) -> list[SuggestedSeries]:
    """The best weekly slots for a series repeating at `frequency` from tomorrow on, by how
    many members are free for most of its next SERIES_OCCURRENCES (two queries). A monthly
    slot repeats on the week of the month of its first date."""
    members, names = _weeks_of_members(group, viewer)
    zone = ZoneInfo(group.time_zone)
    tomorrow = timezone.localtime(now or timezone.now(), zone).date() + timedelta(days=1)
    dates_by_weekday = {}
    for offset in range(7):
        first = tomorrow + timedelta(days=offset)
        week = monthly_position(first) if frequency == MONTHLY else None
        rule = Recurrence(frequency, first, week_of_month=week)
        dates_by_weekday[first.weekday()] = rule.next_dates(first, SERIES_OCCURRENCES)
    last = max(dates[-1] for dates in dates_by_weekday.values())
    intervals = _member_intervals(
        members,
        datetime.combine(tomorrow, time(), zone),
        datetime.combine(last + timedelta(days=2), time(), zone),
        modes_wished(mode),
    )
    suggestions = suggest_series_times(
        intervals, dates_by_weekday=dates_by_weekday, zone=zone, duration=duration, limit=limit
    )
    found = []
    for suggestion in suggestions:
        wall = time(suggestion.minute // 60, suggestion.minute % 60)
        start, end = occurrence_span(suggestion.dates[0], wall, duration, zone)
        found.append(
            SuggestedSeries(
                start=start.astimezone(zone),
                end=end.astimezone(zone),
                occurrences=len(suggestion.dates),
                needed=suggestion.needed,
                **_who_is_free(suggestion.free, names, members),
            )
        )
    return found


# --- meetups and answers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    display_name: str
    kids: int
    is_viewer: bool
    waitlist_position: int | None = None


@dataclass
class People:
    """Those who gave one answer: the women the viewer may see by name, and how many others
    (kept apart from her by a block: they still count, only their names are left out)."""

    named: list[Attendee] = field(default_factory=list)
    unnamed: int = 0

    @property
    def count(self) -> int:
        return len(self.named) + self.unnamed

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class Answers:
    """Who answered what, as members see it on the meetup page."""

    going: People = field(default_factory=People)
    maybe: People = field(default_factory=People)
    waitlist: People = field(default_factory=People)
    cant_go: int = 0
    hers: Rsvp | None = None
    seats_taken: int = 0

    @property
    def lists(self) -> list[tuple[str, str, People]]:
        """(heading, css class, people) of each answer that has people, as the page lists them."""
        lists = [
            (pgettext("people", "Going"), "going-list", self.going),
            (gettext("Waitlist"), "waitlist", self.waitlist),
            (pgettext("people", "Maybe"), "maybe-list", self.maybe),
        ]
        return [entry for entry in lists if entry[2]]


def answers_to(meetup: Meetup, viewer) -> Answers:
    """Every answer to the meetup, the waitlist in line order (one query). Seats and counts
    include everyone; women kept apart from the viewer by a block are counted, not named."""
    rsvps = (
        Rsvp.objects.filter(meetup=meetup)
        .select_related("member__profile")
        .annotate(kept_apart=_kept_apart_from(viewer))
        .order_by("waitlist_position", "created_at", "pk")
    )
    answers = Answers()
    lists = {
        Rsvp.Response.GOING: answers.going,
        Rsvp.Response.MAYBE: answers.maybe,
        Rsvp.Response.WAITLISTED: answers.waitlist,
    }
    for rsvp in rsvps:
        rsvp.meetup = meetup
        if rsvp.member_id == viewer.pk:
            answers.hers = rsvp
        if rsvp.response == Rsvp.Response.CANT_GO:
            answers.cant_go += 1
            continue
        if rsvp.response == Rsvp.Response.GOING:
            answers.seats_taken += meetup.seats_for(rsvp.kids)
        people = lists[rsvp.response]
        if rsvp.kept_apart:
            people.unnamed += 1
            continue
        people.named.append(
            Attendee(
                display_name=rsvp.member.profile.display_name,
                kids=rsvp.kids if meetup.kids_welcome else 0,
                is_viewer=rsvp.member_id == viewer.pk,
                waitlist_position=rsvp.waitlist_position,
            )
        )
    return answers


def upcoming_for_group(group: Group, viewer, limit: int = UPCOMING_ON_GROUP_PAGE) -> list[Meetup]:
    """The group's next meetups with seat counts and the viewer's answer (one query)."""
    meetups = (
        Meetup.objects.filter(group=group).upcoming().with_going().with_answer_of(viewer)[:limit]
    )
    for meetup in meetups:
        meetup.group = group
    return list(meetups)


@dataclass(frozen=True)
class MyWeek:
    meetups: list[Meetup]
    memberships: list[Membership]
    suggested_groups: list[nearby.GroupCard]


def _cards(groups: Iterable[Group]) -> list[nearby.GroupCard]:
    return [
        nearby.GroupCard(
            group=group,
            distance=approximate_distance(group.distance),
            fit_count=group.fit_count,
            shared_windows=[],
        )
        for group in groups
    ]


def my_week(user, now: datetime | None = None) -> MyWeek:
    """Her home page: the next meetups of her groups with her answers, her groups, and groups
    near her that fit (four queries however much there is)."""
    meetups = (
        Meetup.objects.filter(
            group__memberships__member=user,
            group__memberships__status=Membership.Status.ACTIVE,
            group__is_archived=False,
        )
        .upcoming(now)
        .select_related("group")
        .with_answer_of(user)
        .filter(~Q(status=Meetup.Status.CANCELLED) | Q(her_response__in=OPEN_ANSWERS))
    )
    profile = getattr(user, "profile", None)
    return MyWeek(
        meetups=list(meetups[:MY_WEEK_MEETUPS]),
        memberships=my_memberships(user),
        suggested_groups=_cards(nearby.suggested_for(profile, limit=3)) if profile else [],
    )


def feed_meetups(member, now: datetime | None = None) -> list[Meetup]:
    """What her calendar feed lists as single events: meetups of her groups she is going to
    or may go to, recent and coming, cancelled ones included so calendars drop them (one
    query). The meetups of a series she stands in travel with their series (feed_series)."""
    since = (now or timezone.now()) - FEED_HISTORY
    return list(
        Meetup.objects.filter(
            rsvps__member=member,
            rsvps__response__in=[Rsvp.Response.GOING, Rsvp.Response.MAYBE],
            group__memberships__member=member,
            group__memberships__status=Membership.Status.ACTIVE,
            ends_at__gt=since,
        )
        .exclude(series__standing_answers__member=member)
        .select_related("group")
        .order_by("starts_at", "pk")
    )


def feed_series(member, now: datetime | None = None) -> list[SeriesCalendar]:
    """The series of her groups she stands in, not over for long, as her calendar shows them
    (two queries)."""
    since = ((now or timezone.now()) - FEED_HISTORY).date()
    series = list(
        MeetupSeries.objects.filter(
            standing_answers__member=member,
            group__memberships__member=member,
            group__memberships__status=Membership.Status.ACTIVE,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .select_related("group")
        .order_by("starts_on", "pk")
    )
    return _calendars_of(series, member)


def series_calendar(series: MeetupSeries, viewer) -> SeriesCalendar:
    """The series as her calendar shows it (one query)."""
    return _calendars_of([series], viewer)[0]


def _calendars_of(series: list[MeetupSeries], viewer) -> list[SeriesCalendar]:
    """Each series with the dates left out of her calendar (cancelled, or she can't go) and
    its occurrences changed on their own (one query for all)."""
    by_pk = {one.pk: SeriesCalendar(one) for one in series}
    occurrences = Meetup.objects.filter(series__in=list(by_pk)).with_answer_of(viewer)
    for meetup in occurrences.order_by("occurrence_date"):
        entry = by_pk[meetup.series_id]
        meetup.group = entry.series.group
        if meetup.is_cancelled or meetup.her_response == Rsvp.Response.CANT_GO:
            entry.excluded.append(meetup.occurrence_date)
        elif meetup.is_override:
            entry.overrides.append(meetup)
    return list(by_pk.values())


@dataclass(frozen=True)
class SeriesPage:
    """A series as its page shows it: its next occurrences with seats and the viewer's
    answers, how many stand in it, and whether she does."""

    series: MeetupSeries
    occurrences: list[Meetup]
    standing_count: int
    hers: StandingAnswer | None


def series_page(series: MeetupSeries, viewer, now: datetime | None = None) -> SeriesPage:
    """Three queries however long the series runs."""
    occurrences = list(
        Meetup.objects.filter(series=series)
        .upcoming(now)
        .with_going()
        .with_answer_of(viewer)[:SERIES_PAGE_OCCURRENCES]
    )
    for meetup in occurrences:
        meetup.group = series.group
    standing = list(StandingAnswer.objects.filter(series=series))
    hers = next((answer for answer in standing if answer.member_id == viewer.pk), None)
    return SeriesPage(series, occurrences, len(standing), hers)


def cancellation_of(meetup: Meetup) -> MeetupChange | None:
    """The change that cancelled the meetup: the organizer's words, or MomCircle's cause."""
    return meetup.changes.filter(kind=MeetupChange.Kind.CANCELLED).last()


def standing_answer_of(series: MeetupSeries, viewer) -> StandingAnswer | None:
    return StandingAnswer.objects.filter(series=series, member_id=viewer.pk).first()
