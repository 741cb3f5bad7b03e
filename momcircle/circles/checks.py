"""Every hard rule of a circle, checked on an answer of the engine (pure).

Used by the tests and the benchmark on every output, and usable by a caller before it acts on
a proposal. It shares nothing with how the engine finds circles: windows are checked with
``expand`` occurrence by occurrence, pairs one by one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta

from momcircle.circles.engine import Circle
from momcircle.circles.partition import distance_miles
from momcircle.circles.pool import Seeker, reference_zone
from momcircle.circles.windows import MEETING_MINUTES, expand, free_for_whole


def violations(
    circles: Iterable[Circle],
    seekers: Iterable[Seeker],
    *,
    apart: Iterable[Collection[int]] = (),
    starting: date,
    weeks: int = 8,
) -> list[str]:
    """One sentence per broken rule; empty when every circle keeps every rule."""
    by_id = {seeker.id: seeker for seeker in seekers}
    kept_apart = {frozenset(pair) for pair in apart}
    problems: list[str] = []
    placed: set[int] = set()
    for circle in circles:
        name = f"Circle {list(circle.member_ids)}"
        unknown = [i for i in circle.member_ids if i not in by_id]
        if unknown:
            problems.append(f"{name}: {unknown} are not seekers.")
            continue
        twice = placed.intersection(circle.member_ids)
        if twice or len(set(circle.member_ids)) != len(circle.member_ids):
            problems.append(f"{name}: a member is placed twice.")
        placed.update(circle.member_ids)
        members = [by_id[i] for i in circle.member_ids]
        problems += [f"{name}: {p}" for p in _pair_problems(members, kept_apart)]
        problems += [f"{name}: {p}" for p in _size_problems(members)]
        problems += [f"{name}: {p}" for p in _window_problems(circle, members, starting, weeks)]
    return problems


def _pair_problems(members: Sequence[Seeker], kept_apart: set[frozenset[int]]) -> list[str]:
    problems = []
    for n, a in enumerate(members):
        for b in members[n + 1 :]:
            pair = f"{a.id} and {b.id}"
            miles = distance_miles(a.point, b.point)
            if miles > min(a.radius_miles, b.radius_miles):
                problems.append(f"{pair} are {miles:.1f} miles apart, beyond a radius.")
            if frozenset((a.id, b.id)) in kept_apart:
                problems.append(f"{pair} must be kept apart.")
            if (a.match_kids or b.match_kids) and not a.kid_bands & b.kid_bands:
                problems.append(f"{pair} share no kids' age band and one asked to match.")
    return problems


def _size_problems(members: Sequence[Seeker]) -> list[str]:
    return [
        f"{s.id} wants {s.size[0]} to {s.size[1]}, not {len(members)}."
        for s in members
        if not s.size[0] <= len(members) <= s.size[1]
    ]


def _window_problems(
    circle: Circle, members: Sequence[Seeker], starting: date, weeks: int
) -> list[str]:
    if circle.zone != reference_zone(s.zone for s in members):
        return [f"its zone {circle.zone} is not where most members live."]
    if not circle.windows:
        return ["it has no shared window."]
    problems = []
    end = starting + timedelta(weeks=weeks)
    for window in circle.windows:
        window.validate()
        if window.length < MEETING_MINUTES:
            problems.append(f"{window} is shorter than {MEETING_MINUTES} minutes.")
        occurrences = expand([window], circle.zone, starting, end)
        for seeker in members:
            if window.mode not in seeker.modes:
                problems.append(f"{seeker.id} does not accept {window.mode} time.")
                continue
            free = expand(
                seeker.windows,
                seeker.zone,
                starting - timedelta(days=2),
                end + timedelta(days=2),
                modes=(window.mode,),
            )
            missed = [s for s, e in occurrences if not free_for_whole({0: free}, s, e)]
            if missed:
                problems.append(f"{seeker.id} is not free for {window} on {missed[0]:%Y-%m-%d}.")
    return problems
