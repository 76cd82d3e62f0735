"""The exact explanation: a minimal set of rule instances that cannot all hold (CP-SAT core).

Every hard rule instance is guarded by an assumption literal (`constraints.fine_key`); solving
the feasibility problem under all guards gives, when infeasible, a core of guards that
cannot all be true. The core is shrunk by deletion: drop one guard, re-solve; if still
infeasible the guard was not needed (and the new, smaller core is kept), if feasible it
was. Large schools are first explained with coarse guards, then refined where small.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from constraints import fine_key, rule_text
from constraints.common.keys import RuleKey
from models.instance import Instance
from scheduler.solver.model import Model, build_model
from scheduler.solver.settings import SolveSettings, make_solver

FINE_LIMIT = 300  # more fine guards than this: find the core with coarse guards first
REFINE_LIMIT = 40  # a coarse core element with at most this many members is refined


@dataclass
class Check:
    status: str  # INFEASIBLE, FEASIBLE, UNKNOWN
    core: list[RuleKey] = field(default_factory=list)


@dataclass
class CoreResult:
    status: str  # INFEASIBLE, FEASIBLE, UNKNOWN
    core: list[RuleKey] = field(default_factory=list)
    minimal: bool = False
    solves: int = 0
    seconds: float = 0.0


class Guarded:
    """The model with every hard rule instance guarded, and solves under chosen guards."""

    def __init__(
        self, instance: Instance, solve_limit: float = 5.0, settings: SolveSettings | None = None
    ):
        self.instance = instance
        self.solve_limit = solve_limit
        self.settings = settings or SolveSettings()
        self.model: Model = build_model(instance, guard_by=fine_key)
        self.cp = self.model.cp
        self.cp.clear_objective()
        self.literal: dict[RuleKey, cp_model.IntVar] = dict(self.model.vars.guards)
        self.fine = list(self.literal)
        self.members: dict[RuleKey, list[RuleKey]] = defaultdict(list)
        self._coarse()
        self.solves = 0

    def _coarse(self) -> None:
        for key in self.fine:
            self.members[rule_text(key.rule).coarse(self.instance, key)].append(key)
        for coarse, fines in self.members.items():
            if fines == [coarse]:
                continue
            literal = self.cp.new_bool_var(f"guard[{coarse}]")
            for key in fines:
                self.cp.add_implication(literal, self.literal[key])
            self.literal[coarse] = literal

    def solver(self, limit: float) -> cp_model.CpSolver:
        # One worker: cores from assumptions need it.
        return make_solver(self.settings.limited(limit, workers=1))

    @property
    def coarse(self) -> list[RuleKey]:
        return list(self.members)

    def check(self, keys: list[RuleKey], limit: float | None = None) -> Check:
        """Solve with `keys` assumed true; the core is given as keys among `keys`."""
        self.cp.clear_assumptions()
        literals = [self.literal[k] for k in keys]
        self.cp.add_assumptions(literals)
        solver = self.solver(limit or self.solve_limit)
        code = solver.solve(self.cp)
        self.solves += 1
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Check("FEASIBLE")
        if code != cp_model.INFEASIBLE:
            return Check("UNKNOWN")
        by_index = {lit.index: k for k, lit in zip(keys, literals, strict=True)}
        # Keep only our own assumptions (a presolve quirk may add others: OR-Tools #5141).
        found = {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()
                 if i in by_index}
        return Check("INFEASIBLE", [k for k in keys if k in found])


def shrink(guarded: Guarded, core: list[RuleKey], fixed: list[RuleKey], deadline: float) -> tuple[
        list[RuleKey], bool]:
    """Delete guards from `core` while the rest (with `fixed`) stays infeasible.

    Returns the smaller core and whether every guard left was shown necessary.
    """
    core, proven, i = list(core), True, 0
    while i < len(core):
        left = deadline - time.perf_counter()
        if left <= 0.05:
            return core, False
        trial = core[:i] + core[i + 1:]
        result = guarded.check(trial + fixed, min(guarded.solve_limit, left))
        if result.status == "INFEASIBLE":
            kept = set(result.core)
            core = [k for k in trial if k in kept]
            i = min(i, len(core))
        else:
            proven = proven and result.status == "FEASIBLE"
            i += 1
    return core, proven


def find_core(instance: Instance, time_limit: float = 30.0, solve_limit: float = 5.0,
              guarded: Guarded | None = None) -> tuple[CoreResult, Guarded]:
    """A minimal core of fine guards, or the input's feasibility (see the module doc)."""
    started = time.perf_counter()
    deadline = started + time_limit
    guarded = guarded or Guarded(instance, solve_limit)
    coarse = len(guarded.fine) > FINE_LIMIT
    keys = guarded.coarse if coarse else guarded.fine
    first = guarded.check(keys, max(solve_limit, deadline - time.perf_counter()))
    if first.status != "INFEASIBLE":
        return CoreResult(first.status, solves=guarded.solves,
                          seconds=time.perf_counter() - started), guarded
    core, minimal = shrink(guarded, first.core, [], deadline)
    if coarse:
        core, refined = _refine(guarded, core, deadline)
        minimal = minimal and refined
    return CoreResult("INFEASIBLE", core, minimal, guarded.solves,
                      time.perf_counter() - started), guarded


def _refine(guarded: Guarded, core: list[RuleKey], deadline: float) -> tuple[list[RuleKey], bool]:
    """Replace each coarse element by the fewest of its fine members still needed."""
    proven = True
    for coarse in list(core):
        members = guarded.members.get(coarse, [coarse])
        if members == [coarse]:
            continue
        others = [k for k in core if k != coarse]
        result = guarded.check(members + others, max(0.1, deadline - time.perf_counter()))
        fine = [k for k in result.core if k in members]
        if result.status != "INFEASIBLE":
            proven = False
            continue
        if len(fine) > REFINE_LIMIT:  # keep the coarse element: minimal at its level
            continue
        fine, ok = shrink(guarded, fine, others, deadline)
        proven = proven and ok
        core = [*others, *fine]
    return core, proven
