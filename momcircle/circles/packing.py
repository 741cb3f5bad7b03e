"""Choosing disjoint circles among candidates: a set packing solved with OR-Tools.

The objective is lexicographic (most members placed, then the highest total score, then the
least total distance) and is given to CP-SAT as one integer objective whose weights make each
term outweigh everything after it. The search starts from a greedy packing (also the answer
if the solver finds nothing better in time).

When the candidates are every circle of a small part, CP-SAT gets all of them and answers
exactly. Otherwise the LP relaxation (GLOP) comes first: its prices (duals) tell candidate
generation which members are contested, and CP-SAT then chooses among the candidates the
relaxation uses, which keeps its model small; in practice these hold a packing as good or
nearly as good as the whole set does, at a fraction of the time.

Limits are in CP-SAT's deterministic time, the search runs on one worker with a fixed seed,
and GLOP's simplex is deterministic, so the same candidates always give the same choice
however busy the machine is.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from ortools.linear_solver.python import model_builder
from ortools.sat.python import cp_model

SEED = 13
EXACT_EFFORT = 30.0


@dataclass(frozen=True)
class Option:
    """A candidate circle: its members, its score (higher is better) and its distance."""

    members: tuple[Hashable, ...]
    score: int
    distance: int


def weights(options: Sequence[Option]) -> list[int]:
    """One weight per option such that a packing with more members always weighs more, then
    one with a higher score, then one with less distance."""
    distance_weight = sum(o.distance for o in options) + 1
    score_weight = (sum(o.score for o in options) + 1) * distance_weight
    return [len(o.members) * score_weight + o.score * distance_weight - o.distance for o in options]


def greedy(options: Sequence[Option]) -> list[int]:
    """A quick packing: the member with the fewest options left goes first, in her largest
    option whose members have the fewest options left."""
    containing: dict[Hashable, list[int]] = {}
    for number, option in enumerate(options):
        for member in option.members:
            containing.setdefault(member, []).append(number)
    left = {member: len(numbers) for member, numbers in containing.items()}
    alive = [True] * len(options)
    chosen = []
    waiting = sorted(containing)
    while waiting:
        member = min(waiting, key=lambda m: left[m])
        number = min(
            (n for n in containing[member] if alive[n]),
            key=lambda n: (-len(options[n].members), sum(left[m] for m in options[n].members), n),
        )
        chosen.append(number)
        for placed in options[number].members:
            for other in containing[placed]:
                if alive[other]:
                    alive[other] = False
                    for m in options[other].members:
                        left[m] -= 1
        waiting = [m for m in waiting if left[m] > 0]
    return sorted(chosen)


def relaxation(options: Sequence[Option]) -> tuple[list[float], dict[Hashable, float]]:
    """The LP relaxation of packing the most members (GLOP): each option's value, and each
    member's price (the dual of "she is in at most one circle")."""
    model = model_builder.Model()
    values = [model.new_num_var(0.0, math.inf, "") for _ in options]
    containing: dict[Hashable, list[model_builder.Variable]] = {}
    for option, value in zip(options, values, strict=True):
        for member in option.members:
            containing.setdefault(member, []).append(value)
    rows = {
        member: model.add(model_builder.LinearExpr.sum(containing[member]) <= 1)
        for member in sorted(containing)
    }
    sizes = [len(option.members) for option in options]
    model.maximize(model_builder.LinearExpr.weighted_sum(values, sizes))
    solver = model_builder.Solver("glop")
    solver.solve(model)
    prices = {member: solver.dual_value(row) for member, row in rows.items()}
    return [solver.value(value) for value in values], prices


def pack(options: Sequence[Option], effort: float, *, complete: bool = False) -> list[int]:
    """Indices of the chosen options, increasing; ``effort`` is CP-SAT deterministic time.

    ``complete``: the options are every possible circle of a small part. CP-SAT first finds
    the most members they can place, with its presolve on (its symmetry detection settles
    interchangeable members quickly) and up to ``EXACT_EFFORT``, which proves it optimal in
    practice (unless the greedy start already places everyone some option holds); then,
    keeping that many placed, the best score and distance within ``effort``.
    """
    if not options:
        return []
    start = greedy(options)
    if complete:
        sizes = [len(option.members) for option in options]
        most = sum(sizes[n] for n in start)
        if most < len({member for option in options for member in option.members}):
            start, most = _solve(options, sizes, start, EXACT_EFFORT, presolve=True)
        return _solve(options, weights(options), start, effort, at_least=(sizes, most))[0]
    values, _ = relaxation(options)
    subset = sorted({number for number, value in enumerate(values) if value > 1e-6} | set(start))
    position = {number: n for n, number in enumerate(subset)}
    some = [options[n] for n in subset]
    chosen, _ = _solve(some, weights(some), [position[n] for n in start], effort)
    return [subset[n] for n in chosen]


def _solve(
    options: Sequence[Option],
    weight: Sequence[int],
    start: list[int],
    effort: float,
    *,
    presolve: bool = False,
    at_least: tuple[Sequence[int], int] | None = None,
) -> tuple[list[int], int]:
    """The options of the packing of most ``weight`` found from ``start``, and its weight;
    ``at_least``: coefficients and a total the packing must reach as well."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"c{k}") for k in range(len(options))]
    containing: dict[Hashable, list[cp_model.IntVar]] = {}
    for option, var in zip(options, chosen, strict=True):
        for member in option.members:
            containing.setdefault(member, []).append(var)
    for variables in containing.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    if at_least is not None:
        model.add(cp_model.LinearExpr.weighted_sum(chosen, at_least[0]) >= at_least[1])
    model.maximize(cp_model.LinearExpr.weighted_sum(chosen, weight))
    in_start = set(start)
    for number, var in enumerate(chosen):
        model.add_hint(var, number in in_start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_deterministic_time = effort
    # Large models are plain already: presolving them costs more than it saves, and their
    # LP with cuts is what finds good packings.
    solver.parameters.cp_model_presolve = presolve
    solver.parameters.linearization_level = 2
    total = sum(weight[n] for n in start)
    if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = [number for number, var in enumerate(chosen) if solver.boolean_value(var)]
        if sum(weight[n] for n in found) > total:
            return found, sum(weight[n] for n in found)
    return start, total
