"""Benchmark: forming circles for 20,000 seekers of the synthetic demo city.

The city is ``momcircle.demo.city`` (members at the centroids of Chicago's ZIP codes, with the
weekly routines of working moms), every member asking for a circle with her own distance,
size, style and kids' ages preferences; the pairs in one of its 2,000 demo groups are "already
together", and a few members blocked a neighbour. Measured in the same run:

- the engine: seconds (wall and CPU), peak memory of the process, and every hard rule checked
  on its answer (``violations``);
- ``could_place``: members with at least 2 others they may share a circle with (the pair
  rules, a 90-minute window included); ``placed_share`` = placed / could_place;
- ``bound``: members with, at some window they are free for, at least as many partners free
  then as their smallest circle needs (no valid circle exists without that);
  ``bound_ratio`` = placed / bound;
- baseline: a first-fit greedy on the same pair rules (each member in id order takes the
  first window at which she and the lowest-numbered free partners make a circle);
- ``equal_oracle``: on a few hundred random instances of up to 12 seekers, the engine places
  exactly as many as the brute-force oracle.

Run from the repository root: ``python bench/circles.py`` (``--members 2000`` for a quick
try). The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from datetime import date

import _common  # noqa: F401  (first: puts the repository root on sys.path)

from momcircle.circles.candidates import Part
from momcircle.circles.checks import violations
from momcircle.circles.engine import Seeker, WeeklyWindow, form_circles
from momcircle.circles.pool import Pool
from momcircle.circles.tests.oracles import most_placed
from momcircle.demo.city import TIME_ZONE, generate_groups, generate_members

SEED = 13
STARTING = date(2026, 3, 2)  # the coming eight weeks span the US change on March 8
WEEKS = 8
RADII = ((1, 15), (3, 35), (5, 30), (10, 20))
SIZES = (((4, 5), 55), ((6, 8), 45))
ORACLE_CASES = 300


def say(line: str) -> None:
    print(line, flush=True)


def choose(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def city(count: int) -> tuple[list[Seeker], set[frozenset[int]]]:
    """The demo city's members as seekers, and the pairs to keep apart."""
    rng = random.Random(f"circles-{SEED}")
    members = generate_members(count, SEED)
    seekers = []
    for m in members:
        night, family = "moms_night_out" in m.looking_for, "weekend_family" in m.looking_for
        style = (
            "kid_free"
            if night and not family
            else "kids_along"
            if family and not night
            else "either"
        )
        seekers.append(
            Seeker(
                id=m.number,
                latitude=m.latitude,
                longitude=m.longitude,
                radius_miles=choose(rng, RADII),
                zone=TIME_ZONE,
                windows=tuple(m.windows),
                kid_bands=frozenset(m.kids),
                style=style,
                size=choose(rng, SIZES),
                match_kids=rng.random() < 0.3,
            )
        )
    apart = set()
    for group in generate_groups(count // 10, SEED, members):
        together = [group.organizer, *group.members]
        apart.update(frozenset((a, b)) for a in together for b in together if a < b)
    by_zip: dict[str, list[int]] = {}
    for m in members:
        by_zip.setdefault(m.zip_code, []).append(m.number)
    for m in rng.sample(members, count // 100):  # 1% blocked someone in her ZIP code
        other = rng.choice(by_zip[m.zip_code])
        if other != m.number:
            apart.add(frozenset((m.number, other)))
    return seekers, apart


def reach(seekers: list[Seeker], apart: set[frozenset[int]]) -> tuple[Part, int, int]:
    """The whole city as one part (its pair bitsets), could_place and the bound."""
    pool = Pool(seekers, apart, STARTING, WEEKS)
    whole = Part(pool, range(len(pool)))
    could = sum(1 for link in whole.link if link.bit_count() >= 2)
    free_at_of: dict[int, list[int]] = {}
    for group in whole.free_at.values():
        rest = group
        while rest:
            low = rest & -rest
            free_at_of.setdefault(low.bit_length() - 1, []).append(group)
            rest ^= low
    bound = sum(
        1
        for local, k in enumerate(whole.members)
        if any(
            (whole.near[local] & group).bit_count() >= pool.seekers[k].size[0] - 1
            for group in free_at_of.get(local, ())
        )
    )
    return whole, could, bound


def first_fit(whole: Part) -> int:
    """Members placed by a first-fit greedy with the same pair rules and windows."""
    pool, seekers = whole.pool, [whole.pool.seekers[k] for k in whole.members]
    keys_of: dict[int, list[tuple]] = {}
    for key in sorted(whole.free_at):
        rest = whole.free_at[key]
        while rest:
            low = rest & -rest
            keys_of.setdefault(low.bit_length() - 1, []).append(key)
            rest ^= low
    free = (1 << len(seekers)) - 1
    placed = 0
    for first in sorted(range(len(seekers)), key=lambda local: seekers[local].id):
        if not free >> first & 1:
            continue
        for key in keys_of.get(first, ()):
            circle, (low, high) = [first], seekers[first].size
            candidates = whole.link[first] & whole.free_at[key] & free
            while candidates and len(circle) < high:
                other = (candidates & -candidates).bit_length() - 1
                candidates &= ~(1 << other)
                size = seekers[other].size
                if max(low, size[0]) <= min(high, size[1]) and len(circle) < size[1]:
                    low, high = max(low, size[0]), min(high, size[1])
                    circle.append(other)
                    candidates &= whole.link[other]
            ks = sorted(whole.members[local] for local in circle)
            if len(circle) >= low and pool.assess(ks) is not None:
                placed += len(circle)
                for local in circle:
                    free &= ~(1 << local)
                break
    return placed


def small_instance(rng: random.Random) -> tuple[list[Seeker], list[tuple[int, int]], date, int]:
    """Up to 12 seekers close together, often able to form circles, across zones and DST."""
    palette = [
        WeeklyWindow(1, 1200, 1290, "kid_free"),
        WeeklyWindow(3, 1200, 1290, "kid_free"),
        WeeklyWindow(1, 1230, 1320, "kid_free"),
        WeeklyWindow(4, 1260, 30, "kid_free"),
        WeeklyWindow(5, 540, 720, "kids_along"),
        WeeklyWindow(5, 600, 780, "kids_along"),
        WeeklyWindow(6, 60, 210, "kid_free"),
    ]
    usual = rng.choice(palette)
    count = rng.randint(4, 12)
    seekers = []
    for n in range(1, count + 1):
        windows = set(rng.sample(palette, rng.randint(1, 2)))
        if rng.random() < 0.75:
            windows.add(usual)
        seekers.append(
            Seeker(
                id=n,
                latitude=41.8781 + rng.uniform(0, 1.5) / 69,
                longitude=-87.6298,
                radius_miles=rng.choice((1, 3, 3, 5, 10)),
                zone=rng.choice([TIME_ZONE] * 6 + ["America/New_York", "Europe/London"]),
                windows=tuple(sorted(windows)),
                kid_bands=frozenset(rng.sample(("toddler", "teen"), rng.randint(0, 2))),
                style=rng.choice(("kid_free", "kids_along", "either", "either", "either")),
                size=rng.choice(((4, 5), (4, 5), (4, 5), (4, 8), (6, 8))),
                match_kids=rng.random() < 0.25,
            )
        )
    apart = [tuple(rng.sample(range(1, count + 1), 2)) for _ in range(rng.randint(0, 3))]
    starting = rng.choice((date(2026, 1, 5), STARTING, date(2026, 10, 19)))
    return seekers, apart, starting, rng.randint(1, WEEKS)


def oracle_agreement(cases: int) -> tuple[int, int]:
    """(cases where the engine placed as many as the oracle, cases with a circle at all)."""
    rng = random.Random(f"oracle-{SEED}")
    equal = placeable = 0
    for case in range(1, cases + 1):
        seekers, apart, starting, weeks = small_instance(rng)
        found = form_circles(seekers, apart=apart, starting=starting, weeks=weeks)
        assert not violations(found, seekers, apart=apart, starting=starting, weeks=weeks)
        best = most_placed(seekers, apart=apart, starting=starting, weeks=weeks)
        equal += sum(len(c.member_ids) for c in found) == best
        placeable += best > 0
        if case % 100 == 0:
            say(f"  oracle: {case} cases, {equal} equal, {placeable} with a circle")
    return equal, placeable


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--oracle-cases", type=int, default=ORACLE_CASES)
    args = parser.parse_args()

    seekers, apart = city(args.members)
    say(f"{len(seekers)} seekers, {len(apart)} pairs kept apart, {WEEKS} weeks from {STARTING}")
    began_wall, began_cpu = time.perf_counter(), time.process_time()
    circles = form_circles(
        seekers,
        apart=apart,
        starting=STARTING,
        weeks=WEEKS,
        progress=lambda line: say(f"  {time.perf_counter() - began_wall:6.1f}s {line}"),
    )
    seconds, cpu_seconds = time.perf_counter() - began_wall, time.process_time() - began_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    placed = sum(len(circle.member_ids) for circle in circles)
    say(f"engine: {len(circles)} circles, {placed} placed in {seconds:.1f} s")
    say(f"  ({cpu_seconds:.1f} s CPU, peak {peak_mb:.0f} MB)")

    broken = violations(circles, seekers, apart=apart, starting=STARTING, weeks=WEEKS)
    say(f"hard rules: {len(broken)} violations" + (f", e.g. {broken[0]}" if broken else ""))
    whole, could, bound = reach(seekers, apart)
    say(f"could be placed: {could}; upper bound: {bound}")
    greedy_placed = first_fit(whole)
    say(f"first-fit greedy: {greedy_placed} placed")
    equal, placeable = oracle_agreement(args.oracle_cases)
    say(f"oracle: {equal} of {args.oracle_cases} equal ({placeable} with a circle)")
    figures = {
        "members": len(seekers),
        "circles": len(circles),
        "placed": placed,
        "could_place": could,
        "placed_share": round(placed / could, 4),
        "bound": bound,
        "bound_ratio": round(placed / bound, 4),
        "greedy_placed": greedy_placed,
        "ratio_to_greedy": round(placed / greedy_placed, 3),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "peak_mb": round(peak_mb),
        "violations": len(broken),
        "equal_oracle": equal == args.oracle_cases,
        "oracle_cases": args.oracle_cases,
        "oracle_placeable": placeable,
        "weeks": WEEKS,
        "starting": STARTING.isoformat(),
        "seed": SEED,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
