"""Circles that form themselves: proposing circles of 4–8 members (pure: no Django).

Call ``form_circles(seekers, apart=..., starting=..., weeks=8)`` with plain data: one
``Seeker`` per member asking for a circle, and the pairs of member ids that must not share a
circle (one blocked the other, or they are already in a group together). It returns circles,
each with its members, its reference zone and the weekly windows all of them share.

Hard rules (``checks.violations`` verifies them on any answer)
    - every member is within her own radius of every other member (haversine miles between
      the stored points, which are ZIP centroids);
    - the circle's size is within every member's (smallest, largest);
    - no pair of the circle is kept apart;
    - a member who asked for matching kids' ages shares at least one age band with every
      other member (a hard rule, for her only; a member with no band shares none);
    - the circle shares a weekly window of at least 90 minutes, in one mode every member
      accepts ("kid_free" evenings need kid-free windows, "kids_along" weekends need
      kids-along windows, "either" takes both), on the wall clock of its reference zone: the
      zone most members live in (on a tie, the first alphabetically). Each member must be free
      for every occurrence starting on a local date in the coming ``weeks`` weeks, each in her
      own zone, resolved across DST as ``availability.times.expand`` does (see windows.py).

Objective, in this order (lexicographic: a later term only breaks ties of the earlier ones)
    1. place as many members as possible;
    2. then the highest total score, where each placed member scores the quarter-hours of her
       circle's longest shared window (up to 4 hours: 6 to 16) plus 2 for each other member of
       her circle whose kids share an age band with hers;
    3. then the least total distance, where each placed member counts her circle's span (the
       largest distance between two of its members) in tenths of a mile.

Method
    The city is cut into geographic parts of at most ``PART_LIMITS[0]`` members (partition.py), so
    the work grows about linearly with the number of members. In each part, candidate circles
    are listed: every possible circle when they are few, which makes small cases exact;
    otherwise circles grown from each member at each window she shares, then more grown from
    the members the LP relaxation prices lowest (candidates.py). A set packing chooses among
    them for the objective above with OR-Tools: GLOP for the relaxation (solved again with
    the priced circles), CP-SAT for the packing (packing.py).
    Members left over, near the border of a part among others, are cut into new, larger parts
    and packed again (one pass per entry of ``PART_LIMITS``); finally each one still left
    joins an existing circle that has room, suits her and still shares a window, if any.

Determinism
    The same input gives the same circles: seekers are taken in id order, every collection is
    walked in a fixed order, and the solver runs on one worker with a fixed seed and limits in
    deterministic time, not wall-clock time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date

from momcircle.circles.candidates import Part
from momcircle.circles.packing import pack
from momcircle.circles.partition import Grid, split
from momcircle.circles.pool import Pool, Seeker
from momcircle.circles.windows import MODES, WeeklyWindow, windows

__all__ = ["Circle", "Seeker", "WeeklyWindow", "form_circles"]

# Members per part in each pass: the first pass works on whole neighbourhoods, the next ones
# on those left waiting, who are fewer, so their parts reach further across the map.
PART_LIMITS = (200, 800, 800)
GRID_MILES = 5.0
# CP-SAT deterministic time per part (about a second of work each on this kind of machine).
PACK_EFFORT = 0.2


@dataclass(frozen=True)
class Circle:
    """A proposed circle: member ids (increasing), its reference zone, and the weekly windows
    all of them share on that zone's clock, in modes all of them accept, longest first (then
    kid-free before kids along, then by weekday and time)."""

    member_ids: tuple[int, ...]
    zone: str
    windows: tuple[WeeklyWindow, ...]

    @property
    def window(self) -> WeeklyWindow:
        """The best shared window: the one to propose and to book the first meetup in."""
        return self.windows[0]


def form_circles(
    seekers: Iterable[Seeker],
    *,
    apart: Iterable[Collection[int]] = (),
    starting: date,
    weeks: int = 8,
    progress: Callable[[str], None] | None = None,
) -> list[Circle]:
    """Circles for the seekers, best by the module's objective, ordered by member ids.

    ``apart``: pairs of ids never to put together (ids of non-seekers are ignored).
    ``starting``: the first local date of the coming weeks. ``progress`` receives a line
    after each pass. Raises ValueError for an invalid seeker."""
    pool = Pool(seekers, apart, starting, weeks)
    say = progress or (lambda line: None)
    circles: list[tuple[int, ...]] = []
    waiting = list(range(len(pool)))
    for number, limit in enumerate(PART_LIMITS, start=1):
        parts = split([pool.seekers[k].point for k in waiting], limit)
        formed = []
        for indices in parts:
            candidates = Part(pool, [waiting[i] for i in indices]).options()
            chosen = pack(candidates, PACK_EFFORT)
            formed.extend(candidates.options[number].members for number in chosen)
        circles.extend(formed)
        placed = {k for members in formed for k in members}
        waiting = [k for k in waiting if k not in placed]
        say(
            f"pass {number}: {len(parts)} parts, {len(formed)} new circles, "
            f"{len(pool) - len(waiting)} placed, {len(waiting)} waiting"
        )
        if not formed or not waiting:
            break
    circles, joined = _join_waiting(pool, circles, waiting)
    say(f"joining: {joined} of {len(waiting)} waiting joined a circle with room")
    return sorted((_circle(pool, members) for members in circles), key=lambda c: c.member_ids)


def _join_waiting(
    pool: Pool, circles: list[tuple[int, ...]], waiting: list[int]
) -> tuple[list[tuple[int, ...]], int]:
    """Each waiting member (in id order) joins the circle with room that suits her and gains
    the most score, when there is one."""
    circles = list(circles)
    assessments = [pool.assess(members) for members in circles]
    shared = [pool.shared(members, a.zone) for members, a in zip(circles, assessments, strict=True)]
    largest = [min(pool.seekers[k].size[1] for k in members) for members in circles]
    grid = Grid(pool.site_points, GRID_MILES)
    with_room: dict[int, set[int]] = {}  # site -> circles with room that have a member there
    for number, members in enumerate(circles):
        if len(members) < largest[number]:
            for k in members:
                with_room.setdefault(pool.site[k], set()).add(number)
    sites_within: dict[tuple[int, float], list[int]] = {}
    joined = 0
    for k in waiting:
        seeker = pool.seekers[k]
        reach = (pool.site[k], seeker.radius_miles)
        if reach not in sites_within:
            sites_within[reach] = grid.within(seeker.point, seeker.radius_miles)
        near = {number for site in sites_within[reach] for number in with_room.get(site, ())}
        best = None
        for number in sorted(near):
            members, before = circles[number], assessments[number]
            if len(members) >= seeker.size[1] or seeker.size[0] > len(members) + 1:
                continue
            # On the circle's clock (hers, so it stays its clock), no start in common rules
            # her out at a fraction of the pair rules' cost.
            if seeker.zone == before.zone and not any(
                bits & pool.starts(k, before.zone, mode) for mode, bits in shared[number].items()
            ):
                continue
            if not all(pool.compatible(k, other) for other in members):
                continue
            after = pool.assess(tuple(sorted((*members, k))))
            if after is not None:
                gain = (after.score - before.score, before.distance - after.distance)
                if best is None or gain > best[0]:
                    best = (gain, number, after)
        if best is None:
            continue
        _, number, assessments[number] = best
        circles[number] = tuple(sorted((*circles[number], k)))
        shared[number] = pool.shared(circles[number], assessments[number].zone)
        largest[number] = min(largest[number], seeker.size[1])
        joined += 1
        if len(circles[number]) < largest[number]:
            with_room.setdefault(pool.site[k], set()).add(number)
        else:
            for other in circles[number]:
                with_room.get(pool.site[other], set()).discard(number)
    return circles, joined


def _circle(pool: Pool, members: tuple[int, ...]) -> Circle:
    assessment = pool.assess(members)
    assert assessment is not None, "only valid circles are kept"
    found = [
        window
        for mode, bits in pool.shared(members, assessment.zone).items()
        for window in windows(bits, mode)
    ]
    found.sort(key=lambda w: (-w.length, MODES.index(w.mode), w.weekday, w.start))
    return Circle(
        member_ids=tuple(pool.seekers[k].id for k in members),
        zone=assessment.zone,
        windows=tuple(found),
    )
