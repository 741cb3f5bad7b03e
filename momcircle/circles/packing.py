"""Choosing disjoint circles among candidates: a set packing solved with OR-Tools.

The objective is lexicographic (most members placed, then the highest total score, then the
least total distance) and is given to CP-SAT as one integer objective whose weights make each
term outweigh everything after it. The search starts from a greedy packing (also the answer
if the solver finds nothing better in time).

When the candidates are every circle of a small part, CP-SAT gets all of them and answers
exactly. Otherwise the LP relaxation (GLOP) comes first: its prices (duals) tell candidate
generation which members are contested (candidates.py), the relaxation is solved again over
its contenders (the candidates the first one used and those priced to improve it: one round of
column generation), and CP-SAT then chooses among the candidates that one uses, which keeps
its model small; in practice these hold a packing as good or nearly as good as the whole set
does, at a fraction of the time.

Limits are in CP-SAT's deterministic time, the search runs on one worker with a fixed seed,
and GLOP's simplex is deterministic, so the same candidates always give the same choice
however busy the machine is.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from ortools.linear_solver.python import model_builder_helper
from ortools.sat.python import cp_model

SEED = 13
EXACT_EFFORT = 30.0


@dataclass(frozen=True)
class Option:
    """A candidate circle: its members, its score (higher is better) and its distance."""

    members: tuple[Hashable, ...]
    score: int
    distance: int


@dataclass(frozen=True)
class Candidates:
    """The options of one part. ``complete``: they are every possible circle of the part, and
    are packed whole. Otherwise ``contenders``: the options worth relaxing (indices)."""

    options: list[Option]
    complete: bool = False
    contenders: Sequence[int] = ()


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


def relaxation(options: Sequence[Option]) -> tuple[list[int], dict[Hashable, float]]:
    """The LP relaxation of packing the most members (GLOP): the options it uses (indices,
    increasing), and each member's price (the dual of "she is in at most one circle")."""
    # Built on the model builder's array interface: a Variable object per option, as the
    # expression interface makes, cost more than solving the LP itself.
    model = model_builder_helper.ModelBuilderHelper()
    model.add_var_array([len(options)], 0.0, math.inf, False, "")
    containing: dict[Hashable, list[int]] = {}
    for number, option in enumerate(options):
        model.set_var_objective_coefficient(number, len(option.members))
        for member in option.members:
            containing.setdefault(member, []).append(number)
    members = sorted(containing)
    for member in members:
        row = model.add_linear_constraint()
        model.set_constraint_lower_bound(row, -math.inf)
        model.set_constraint_upper_bound(row, 1.0)
        for number in containing[member]:
            model.add_term_to_constraint(row, number, 1.0)
    model.set_maximize(True)
    solver = model_builder_helper.ModelSolverHelper("glop")
    solver.solve(model)
    used = [number for number, value in enumerate(solver.variable_values()) if value > 1e-6]
    return used, dict(zip(members, solver.dual_values().tolist(), strict=True))


def pack(candidates: Candidates, effort: float) -> list[int]:
    """Indices of the chosen options, increasing; ``effort`` is CP-SAT deterministic time.

    Complete candidates: CP-SAT first finds the most members they can place, with its presolve
    on (its symmetry detection settles interchangeable members quickly) and up to
    ``EXACT_EFFORT``, which proves it optimal in practice (unless the greedy start already
    places everyone some option holds); then, keeping that many placed, the best score and
    distance within ``effort``.
    """
    options = candidates.options
    if not options:
        return []
    start = greedy(options)
    if candidates.complete:
        sizes = [len(option.members) for option in options]
        most = sum(sizes[n] for n in start)
        if most < len({member for option in options for member in option.members}):
            start, most = _solve(options, sizes, start, EXACT_EFFORT, presolve=True)
        return _solve(options, weights(options), start, effort, at_least=(sizes, most))[0]
    relaxed = sorted({*candidates.contenders, *start})
    used, _ = relaxation([options[n] for n in relaxed])
    subset = sorted({relaxed[n] for n in used} | set(start))
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
