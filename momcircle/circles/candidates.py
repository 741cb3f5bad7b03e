"""Candidate circles within one geographic part (pure).

Inside a part, members are numbered 0..n-1 (grouped by site) and every set of members is a
bitset in a Python int, so "who may share a circle with her" is a handful of ORs and ANDs:

- ``free_at[(zone, mode, start)]``: members free for the 90-minute window at that start;
- ``near[k]``: members within both radii of k, with sizes, kids' ages and "apart" agreeing;
- ``link[k] = near[k] & (members sharing some window with k)``: the pair rules.

A circle is a clique of ``link`` whose members share a window. Small parts get every such
circle (``all_circles``), which makes the engine exact there; larger ones get, for every
window a group of members is free for and every member of it, the circles grown from her by
adding the nearest linked members free at that window (``grown_circles``), then those grown
from the members the LP relaxation prices lowest (``priced_circles``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from momcircle.circles.packing import Candidates, Option, relaxation
from momcircle.circles.pool import SCORE_MINUTES, SMALLEST, Pool, reference_zone
from momcircle.circles.windows import MODES, longest_minutes

# Distances at which growing a circle looks for the next member, nearest first.
RINGS_MILES = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 7.5, 10.0)
# Parts this small get every circle listed, unless that takes more search nodes than this.
EXHAUSTIVE_MEMBERS = 24
EXHAUSTIVE_NODES = 20_000


class Part:
    """Some members of the pool (``members``: pool positions, in the part's order) and their
    bitsets."""

    def __init__(self, pool: Pool, members: Sequence[int]):
        self.pool = pool
        self.members = sorted(members, key=lambda k: (pool.site[k], k))
        self.zones = sorted({pool.seekers[k].zone for k in self.members})
        self.keys = [(zone, mode) for zone in self.zones for mode in MODES]
        self.starts = [
            tuple(pool.starts(k, zone, mode) for zone, mode in self.keys) for k in self.members
        ]
        self.free_at = self._free_at()
        self.near = self._near()
        time_link = self._sharing()
        self.link = [near & sharing for near, sharing in zip(self.near, time_link, strict=True)]

    def _free_at(self) -> dict[tuple[str, str, int], int]:
        free_at: dict[tuple[str, str, int], int] = {}
        for local, starts in enumerate(self.starts):
            bit = 1 << local
            for (zone, mode), bits in zip(self.keys, starts, strict=True):
                while bits:
                    low = bits & -bits
                    key = (zone, mode, low.bit_length() - 1)
                    free_at[key] = free_at.get(key, 0) | bit
                    bits ^= low
        return free_at

    def _sharing(self) -> list[int]:
        sharing = [0] * len(self.members)
        for group in self.free_at.values():
            rest = group
            while rest:
                low = rest & -rest
                sharing[low.bit_length() - 1] |= group
                rest ^= low
        return sharing

    def _near(self) -> list[int]:
        pool, members = self.pool, self.members
        seekers = [pool.seekers[k] for k in members]
        everyone = (1 << len(members)) - 1
        at_site: dict[int, int] = {}
        by_size: dict[tuple[int, int], int] = {}
        by_band: dict[int, int] = {}
        matching = 0
        for local, (k, seeker) in enumerate(zip(members, seekers, strict=True)):
            bit = 1 << local
            at_site[pool.site[k]] = at_site.get(pool.site[k], 0) | bit
            by_size[seeker.size] = by_size.get(seeker.size, 0) | bit
            bands = pool.bands[k]
            while bands:
                low = bands & -bands
                by_band[low] = by_band.get(low, 0) | bit
                bands ^= low
            if seeker.match_kids:
                matching |= bit
        radii = sorted({seeker.radius_miles for seeker in seekers})
        reaching = {
            r: sum(1 << n for n, s in enumerate(seekers) if s.radius_miles >= r) for r in radii
        }
        local_of = {k: local for local, k in enumerate(members)}
        near = []
        for local, (k, seeker) in enumerate(zip(members, seekers, strict=True)):
            within = 0
            for site, bits in at_site.items():
                miles = pool.site_distance(pool.site[k], site)
                if miles <= seeker.radius_miles:
                    # members there whose own radius reaches back
                    reach = next((reaching[r] for r in radii if r >= miles), 0)
                    within |= bits & reach
            sizes = 0
            for (low, high), bits in by_size.items():
                if max(low, seeker.size[0]) <= min(high, seeker.size[1]):
                    sizes |= bits
            kids = 0 if seeker.match_kids else everyone & ~matching
            bands = pool.bands[k]
            while bands:
                low = bands & -bands
                kids |= by_band[low]
                bands ^= low
            bits = within & sizes & kids & ~(1 << local)
            for other in pool.apart_from.get(k, ()):
                if other in local_of:
                    bits &= ~(1 << local_of[other])
            near.append(bits)
        return near

    def options(self) -> Candidates:
        """Candidate circles: every circle of the part when they are few enough to list.

        Otherwise circles grown from each member (``grown_circles``), then more grown the
        same way but taking the members the LP relaxation prices lowest first (those few
        other circles want), kept when they could improve it (``priced_circles``); the
        contenders are the grown circles that relaxation uses and the priced ones."""
        circles = all_circles(self) if len(self.members) <= EXHAUSTIVE_MEMBERS else None
        if circles is not None:
            return Candidates(self._options(circles), complete=True)
        grown = grown_circles(self)
        options = self._options(grown.values())
        used, prices = relaxation(options)
        price = [prices.get(k, 0.0) for k in self.members]
        priced = self._options(priced_circles(self, price, set(grown)))
        contenders = [*used, *range(len(options), len(options) + len(priced))]
        return Candidates([*options, *priced], contenders=contenders)

    def _options(self, circles: Iterable[tuple[int, ...]]) -> list[Option]:
        """Options of circles whose sizes suit their members and whose pairs are linked, when
        they share a window on their reference zone's clock."""
        pool, members, single_zone = self.pool, self.members, len(self.zones) == 1
        options = []
        for circle in circles:
            if single_zone:
                zone, first_key = self.zones[0], 0
            else:
                zone = reference_zone(pool.seekers[members[local]].zone for local in circle)
                first_key = self.zones.index(zone) * len(MODES)
            minutes = 0
            for key in range(first_key, first_key + len(MODES)):
                shared = -1
                for local in circle:
                    shared &= self.starts[local][key]
                if shared:
                    minutes = max(minutes, longest_minutes(shared, SCORE_MINUTES))
            if minutes:
                ks = sorted(members[local] for local in circle)
                terms = pool.terms(
                    zone, minutes, [pool.bands[k] for k in ks], [pool.site[k] for k in ks]
                )
                options.append(Option(tuple(ks), terms.score, terms.distance))
        return options


def all_circles(part: Part) -> list[tuple[int, ...]] | None:
    """Every circle of the part, or None when there are too many to list."""
    found: list[tuple[int, ...]] = []
    nodes = 0
    seekers = [part.pool.seekers[k] for k in part.members]
    zones = [seeker.zone for seeker in seekers]

    def grow(circle: list[int], candidates: int, low: int, high: int, shared: tuple) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > EXHAUSTIVE_NODES:
            return False
        if low <= len(circle) <= high:
            zone = reference_zone(zones[local] for local in circle)
            if any(shared[part.keys.index((zone, mode))] for mode in MODES):
                found.append(tuple(circle))
        if len(circle) == high:
            return True
        while candidates:
            low_bit = candidates & -candidates
            candidates ^= low_bit
            other = low_bit.bit_length() - 1
            size = seekers[other].size
            new_low, new_high = max(low, size[0]), min(high, size[1])
            if len(circle) + 1 > new_high:
                continue
            rest = candidates & part.link[other]
            if len(circle) + 1 + rest.bit_count() < new_low:
                continue
            both = tuple(a & b for a, b in zip(shared, part.starts[other], strict=True))
            if not any(both):
                continue
            circle.append(other)
            finished = grow(circle, rest, new_low, new_high, both)
            circle.pop()
            if not finished:
                return False
        return True

    for local, seeker in enumerate(seekers):
        later = part.link[local] >> (local + 1) << (local + 1)
        if not grow([local], later, *seeker.size, part.starts[local]):
            return None
    return found


def grown_circles(part: Part) -> dict[int, tuple[int, ...]]:
    """For each window a group is free for and each member of the group: circles grown from
    her, nearest linked members first, recorded at every size that suits everyone so far.
    Each member grows two: taking the next members after her in the part's order, and the
    ones before her, so that the circles of one group can tile it in more than one way."""
    pool, members = part.pool, part.members
    seekers = [pool.seekers[k] for k in members]
    rings = _rings(part)
    found: dict[int, tuple[int, ...]] = {}
    for group in _window_groups(part):
        rest = group
        while rest:
            low_bit = rest & -rest
            rest ^= low_bit
            first = low_bit.bit_length() - 1
            site_rings = rings[pool.site[members[first]]]
            for forward in (True, False):
                circle, bits = [first], low_bit
                low, high = seekers[first].size
                candidates = part.link[first] & group
                while candidates and len(circle) < high:
                    other = _nearest(candidates, site_rings, first, forward)
                    candidates ^= 1 << other
                    size = seekers[other].size
                    if len(circle) + 1 > min(high, size[1]) or max(low, size[0]) > min(
                        high, size[1]
                    ):
                        continue
                    low, high = max(low, size[0]), min(high, size[1])
                    circle.append(other)
                    bits |= 1 << other
                    candidates &= part.link[other]
                    if len(circle) >= low and bits not in found:
                        found[bits] = tuple(sorted(circle))
    return {bits: found[bits] for bits in sorted(found)}


def priced_circles(part: Part, price: list[float], known: set[int]) -> list[tuple[int, ...]]:
    """For each window group and each member of it, cheapest first: the circle grown from her
    taking its cheapest linked members first, at every size whose members cost less than
    they count (so the relaxation would use it), when it is not known yet."""
    seekers = [part.pool.seekers[k] for k in part.members]
    order = sorted(range(len(part.members)), key=lambda local: (price[local], local))
    found: dict[int, tuple[int, ...]] = {}
    for group in _window_groups(part):
        members = [local for local in order if group >> local & 1]
        for first in members:
            circle, bits, cost = [first], 1 << first, price[first]
            low, high = seekers[first].size
            candidates = part.link[first] & group
            for other in members:
                if len(circle) == high or not candidates:
                    break
                if not candidates >> other & 1:
                    continue
                size = seekers[other].size
                if len(circle) + 1 > min(high, size[1]) or max(low, size[0]) > min(high, size[1]):
                    continue
                low, high = max(low, size[0]), min(high, size[1])
                circle.append(other)
                bits |= 1 << other
                cost += price[other]
                candidates &= part.link[other]
                improving = len(circle) >= low and cost < len(circle) - 1e-6
                if improving and bits not in known and bits not in found:
                    found[bits] = tuple(sorted(circle))
    return [found[bits] for bits in sorted(found)]


def _window_groups(part: Part) -> list[int]:
    """The distinct groups of members free at one window, of at least the smallest size."""
    groups = dict.fromkeys(part.free_at[key] for key in sorted(part.free_at))
    return [group for group in groups if group.bit_count() >= SMALLEST]


def _rings(part: Part) -> dict[int, list[int]]:
    """Per site of the part: members within each ring distance of it, nearest ring first."""
    pool = part.pool
    at_site: dict[int, int] = {}
    for local, k in enumerate(part.members):
        at_site[pool.site[k]] = at_site.get(pool.site[k], 0) | (1 << local)
    rings = {}
    for site in at_site:
        bounds = []
        for miles in RINGS_MILES:
            bounds.append(
                sum(
                    bits
                    for other, bits in at_site.items()
                    if pool.site_distance(site, other) <= miles
                )
            )
        bounds.append((1 << len(part.members)) - 1)
        rings[site] = bounds
    return rings


def _nearest(candidates: int, rings: list[int], first: int, forward: bool) -> int:
    """The candidate in the nearest ring, the next one after ``first`` in the part's order
    (or before it), wrapping round, so that members at one site start from different
    neighbours."""
    for ring in rings:
        inside = candidates & ring
        if not inside:
            continue
        if forward:
            later = inside >> (first + 1)
            if later:
                return first + 1 + ((later & -later).bit_length() - 1)
            return (inside & -inside).bit_length() - 1
        earlier = inside & ((1 << first) - 1)
        return (earlier or inside).bit_length() - 1
    raise AssertionError("the last ring holds every member")
