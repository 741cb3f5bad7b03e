"""Tests for the circles engine: examples, then properties against the brute-force oracle.

Plain functions: no Django, no database. Every answer is checked against every hard rule.
"""

import ast
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momcircle.circles.checks import violations
from momcircle.circles.engine import Circle, Seeker, WeeklyWindow, form_circles
from momcircle.circles.partition import split
from momcircle.circles.tests.oracles import most_placed

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
CHICAGO, NEW_YORK, LONDON = "America/Chicago", "America/New_York", "Europe/London"
LOOP = (41.8781, -87.6298)
WINTER = date(2026, 1, 5)  # eight weeks without a DST change in the US or the UK
SPRING = date(2026, 3, 2)  # spans the US (Mar 8) and the UK (Mar 29) changes


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


def evening(day: int = TUE, zone_shift: int = 0) -> WeeklyWindow:
    return WeeklyWindow(day, hm(20 + zone_shift), hm(21 + zone_shift, 30), "kid_free")


def seeker(id: int, *windows: WeeklyWindow, north: float = 0.0, **fields) -> Seeker:
    values = {
        "latitude": LOOP[0] + north / 69.0,
        "longitude": LOOP[1],
        "radius_miles": 3,
        "zone": CHICAGO,
        "windows": windows or (evening(),),
        **fields,
    }
    return Seeker(id=id, **values)


def circles_of(seekers, **options) -> list[Circle]:
    options.setdefault("starting", WINTER)
    found = form_circles(seekers, **options)
    kept = {k: options[k] for k in ("apart", "starting", "weeks") if k in options}
    assert violations(found, seekers, **kept) == []
    return found


def members(found: list[Circle]) -> list[tuple[int, ...]]:
    return [circle.member_ids for circle in found]


# --- examples -------------------------------------------------------------------------------


def test_four_neighbours_free_the_same_evening_form_a_circle_at_that_time():
    (circle,) = circles_of([seeker(n) for n in range(1, 5)])
    assert circle.member_ids == (1, 2, 3, 4)
    assert circle.zone == CHICAGO
    assert circle.window == evening()


def test_three_neighbours_are_too_few_for_a_circle():
    assert circles_of([seeker(n) for n in range(1, 4)]) == []


def test_a_circle_never_holds_a_pair_kept_apart():
    found = circles_of([seeker(n) for n in range(1, 6)], apart=[{1, 2}])
    (circle,) = found
    assert len(circle.member_ids) == 4
    assert not {1, 2} <= set(circle.member_ids)


def test_a_member_beyond_someones_radius_is_left_out():
    near = [seeker(n, radius_miles=1) for n in range(1, 5)]
    far = seeker(5, north=2.0, radius_miles=10)
    assert members(circles_of([*near, far])) == [(1, 2, 3, 4)]


def test_sizes_suit_every_member():
    small = [seeker(n, size=(4, 5)) for n in range(1, 5)]
    large = [seeker(n, size=(6, 8)) for n in range(5, 9)]
    assert members(circles_of([*small, *large])) == [(1, 2, 3, 4)]


def test_a_kid_free_seeker_is_not_put_in_a_kids_along_circle():
    saturday = WeeklyWindow(SAT, hm(9), hm(12), "kids_along")
    family = [seeker(n, saturday, style="kids_along") for n in range(1, 5)]
    evenings_only = seeker(5, saturday, style="kid_free")
    (circle,) = circles_of([*family, evenings_only])
    assert circle.member_ids == (1, 2, 3, 4)
    assert circle.window == saturday


def test_either_style_joins_whichever_time_the_others_share():
    saturday = WeeklyWindow(SAT, hm(9), hm(12), "kids_along")
    found = circles_of([*(seeker(n, saturday, style="either") for n in range(1, 5))])
    assert found[0].window.mode == "kids_along"


def test_matching_kids_ages_holds_for_her_only():
    toddlers = [seeker(n, kid_bands=frozenset({"toddler"})) for n in range(1, 4)]
    picky = seeker(4, kid_bands=frozenset({"teen"}), match_kids=True)
    relaxed = seeker(5, kid_bands=frozenset({"teen"}))
    assert members(circles_of([*toddlers, picky])) == []
    assert members(circles_of([*toddlers, relaxed])) == [(1, 2, 3, 5)]


def test_the_window_is_read_on_the_clock_of_the_zone_most_members_live_in():
    chicago = [seeker(n) for n in range(1, 4)]
    new_yorker = seeker(4, evening(zone_shift=1), zone=NEW_YORK)  # 21:00 there is 20:00 here
    (circle,) = circles_of([*chicago, new_yorker], starting=SPRING)
    assert circle.zone == CHICAGO
    assert circle.window == evening()


def test_members_of_one_zone_keep_their_evening_across_a_dst_change():
    sunday = WeeklyWindow(SUN, hm(20), hm(21, 30), "kid_free")
    (circle,) = circles_of([seeker(n, sunday) for n in range(1, 5)], starting=SPRING)
    assert circle.window == sunday


def test_a_window_must_hold_in_every_coming_week_across_zones():
    # Wed 02:00 in London is Tue 20:00 in Chicago in winter, but 21:00 from Mar 8 to Mar 28.
    london = WeeklyWindow(WED, hm(2), hm(3, 30), "kid_free")
    group = [*(seeker(n) for n in range(1, 4)), seeker(4, london, zone=LONDON)]
    assert len(circles_of(group, starting=WINTER)) == 1
    assert circles_of(group, starting=SPRING) == []


def test_the_shared_window_is_as_long_as_everyone_is_free():
    long = WeeklyWindow(THU, hm(19), hm(23), "kid_free")
    short = WeeklyWindow(THU, hm(20), hm(22), "kid_free")
    (circle,) = circles_of([seeker(1, long), seeker(2, long), seeker(3, short), seeker(4, long)])
    assert circle.window == short


def test_an_invalid_seeker_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="style"):
        form_circles([seeker(1, style="sometimes")], starting=WINTER)


def test_the_answer_does_not_depend_on_the_order_of_the_seekers():
    group = [seeker(n, north=n / 10) for n in range(1, 15)]
    assert circles_of(group) == circles_of(list(reversed(group)))


# The engine's modules; the app's Django modules (models, services, views...) sit beside them.
ENGINE_MODULES = (
    "candidates",
    "checks",
    "engine",
    "packing",
    "partition",
    "pool",
    "windows",
    "words",
)


def test_the_engine_imports_only_the_standard_library_the_solver_and_the_weekly_arithmetic():
    pure = (
        *(f"momcircle.circles.{module}" for module in ENGINE_MODULES),
        "momcircle.availability",
        "momcircle.distance",
    )
    for module in ENGINE_MODULES:
        path = Path(__file__).parent.parent / f"{module}.py"
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                allowed = top in {"ortools", *_stdlib()} or name.startswith(pure)
                assert allowed, f"{path.name} imports {name}"


DJANGO_MODULES = (
    "admin",
    "apps",
    "events",
    "first_meetup",
    "forms",
    "models",
    "receivers",
    "seekers",
    "selectors",
    "services",
    "tasks",
    "urls",
    "views",
)


def test_every_module_of_the_package_is_the_engine_s_or_the_app_s():
    found = {path.stem for path in (Path(__file__).parent.parent).glob("*.py")} - {"__init__"}
    assert sorted(found) == sorted((*ENGINE_MODULES, *DJANGO_MODULES))


def _stdlib() -> frozenset[str]:
    import sys

    return frozenset(sys.stdlib_module_names) | {"__future__"}


# --- properties -----------------------------------------------------------------------------

PALETTE = (
    evening(TUE),
    evening(THU),
    WeeklyWindow(TUE, hm(20, 30), hm(22), "kid_free"),
    WeeklyWindow(FRI, hm(21), hm(0, 30), "kid_free"),
    WeeklyWindow(SAT, hm(9), hm(12), "kids_along"),
    WeeklyWindow(SAT, hm(10), hm(13), "kids_along"),
    WeeklyWindow(SUN, hm(1), hm(3, 30), "kid_free"),  # across the spring-forward gap
)
ZONES = (*[CHICAGO] * 6, NEW_YORK, LONDON)


@st.composite
def instances(draw, low: int = 4, high: int = 12):
    """Seekers close together with windows from a small palette, so that circles are often
    possible and choosing among them matters."""
    count = draw(st.integers(low, high))
    usual = draw(st.sampled_from(PALETTE))  # the window most of them have
    seekers = []
    for n in range(1, count + 1):
        zone = draw(st.sampled_from(ZONES))
        windows = set(draw(st.lists(st.sampled_from(PALETTE), min_size=1, max_size=2)))
        if draw(st.sampled_from((True, True, True, False))):
            windows.add(usual)
        seekers.append(
            Seeker(
                id=n,
                latitude=LOOP[0] + draw(st.floats(0, 1.5)) / 69.0,
                longitude=LOOP[1],
                radius_miles=draw(st.sampled_from((1, 3, 3, 5, 10))),
                zone=zone,
                windows=tuple(sorted(windows)),
                kid_bands=frozenset(draw(st.sets(st.sampled_from(("toddler", "teen"))))),
                style=draw(st.sampled_from(("kid_free", "kids_along", *["either"] * 3))),
                size=draw(st.sampled_from(((4, 5), (4, 5), (4, 5), (4, 8), (6, 8)))),
                match_kids=draw(st.sampled_from((False, False, False, True))),
            )
        )
    pairs = st.tuples(st.integers(1, count), st.integers(1, count)).filter(lambda p: p[0] != p[1])
    apart = draw(st.lists(pairs, max_size=3))
    starting = draw(st.sampled_from((WINTER, SPRING, date(2026, 10, 19))))
    weeks = draw(st.integers(1, 8))
    return seekers, apart, starting, weeks


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_on_small_cases_the_engine_places_as_many_as_the_oracle(instance):
    seekers, apart, starting, weeks = instance
    found = circles_of(seekers, apart=apart, starting=starting, weeks=weeks)
    placed = sum(len(circle.member_ids) for circle in found)
    assert placed == most_placed(seekers, apart=apart, starting=starting, weeks=weeks)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(low=30, high=90))
def test_every_answer_keeps_every_rule_and_is_the_same_twice(instance):
    seekers, apart, starting, weeks = instance
    found = circles_of(seekers, apart=apart, starting=starting, weeks=weeks)
    assert found == form_circles(seekers, apart=apart, starting=starting, weeks=weeks)


@given(
    st.lists(st.tuples(st.sampled_from((0.0, 0.1, 0.2)), st.sampled_from((0.0, 0.3))), max_size=60),
    st.integers(1, 12),
)
def test_parts_are_small_and_keep_members_at_one_point_together(points, limit):
    parts = split(points, limit)
    assert sorted(i for part in parts for i in part) == list(range(len(points)))
    assert all(len(part) <= limit for part in parts)
    for part in parts:
        others = {points[i] for other in parts if other is not part for i in other}
        at_one_point = sum(1 for i in range(len(points)) if points[i] == points[part[0]])
        if at_one_point <= limit:
            assert points[part[0]] not in others
