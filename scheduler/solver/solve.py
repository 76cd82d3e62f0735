"""The staged solve: district -> instance -> model (+ hint) -> `solve(model, settings)` -> Result.

`solve_district` runs the stages for a district held in memory (or some of its schools,
with shared capacity already reserved elsewhere); districts, scenarios and explanations
drive the stages themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from constraints.common.terms import SCALE
from models.district import District
from models.instance import BaseTimetable, Instance, Reservation, build_instance
from models.loader import instance_sha256
from models.solution import Solution

from .decisions import decisions_of
from .extract import extract
from .hint import add_hint
from .model import Decisions, Model, build_model
from .score import kpis, score
from .settings import SolveSettings, SolveStatus, make_solver, status_of
from .substitute import substitute


@dataclass
class Progress:
    """One improving solution: seconds since the solve began, score, bound, choice KPI."""

    seconds: float
    objective: float
    bound: float
    any_choice_share: float


@dataclass
class Result:
    """What a solve gives back; infeasible is a status, not an exception."""

    status: SolveStatus
    solution: Solution | None = None
    objective: float | None = None
    bound: float | None = None
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    stats: dict[str, float | int] = field(default_factory=dict)
    timeline: list[Progress] = field(default_factory=list)

    @property
    def first_solution_seconds(self) -> float | None:
        return self.timeline[0].seconds if self.timeline else None


ProgressHandler = Callable[[Progress], None]


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Records each improving solution, and passes it on for live progress."""

    def __init__(self, model: Model, started: float, on_progress: ProgressHandler | None):
        super().__init__()
        self.unmatched = list(model.vars.unmatched.values())
        self.with_choices = sum(
            g.size for d in model.instance.schools for g in d.groups if g.has_choices
        )
        self.started = started
        self.on_progress = on_progress
        self.timeline: list[Progress] = []

    def on_solution_callback(self) -> None:
        missing = sum(self.value(v) for v in self.unmatched)
        share = 1 - missing / self.with_choices if self.with_choices else 1.0
        event = Progress(
            time.perf_counter() - self.started,
            self.objective_value / SCALE,
            self.best_objective_bound / SCALE,
            share,
        )
        self.timeline.append(event)
        if self.on_progress:
            self.on_progress(event)


def solve_district(
    district: District,
    settings: SolveSettings | None = None,
    on_progress: ProgressHandler | None = None,
    schools: Iterable[str] | None = None,
    reserved: Sequence[Reservation] = (),
    base: BaseTimetable | None = None,
) -> Result:
    """Every stage for a district in memory, or for the schools named in it; with `base`,
    a minimal-change re-solve that starts from that timetable (SPEC §8.3)."""
    settings = settings or SolveSettings()
    started = time.perf_counter()
    instance = build_instance(district, schools, reserved, base=base)
    model = prepare(instance, settings) if base is None else prepare_from(instance, settings)
    return solve(model, settings, on_progress, build_seconds=time.perf_counter() - started)


def prepare(
    instance: Instance, settings: SolveSettings, hint: Decisions | None = None,
    fixed: Decisions | None = None,
) -> Model:
    """The model with a start: `hint` if given, else the greedy timetable (when enabled)."""
    model = build_model(instance, hint=hint, fixed=fixed)
    if hint is None and settings.hint:
        add_hint(model, instance)
    if hint is not None or settings.hint:
        complete_hint(model, settings)
    return model


def prepare_from(instance: Instance, settings: SolveSettings) -> Model:
    """The model of a re-solve, started from its base timetable (what still fits of it)."""
    assert instance.base is not None
    model = build_model(instance)
    values, left_out = decisions_of(model, instance.base.solution)
    model.hint(substitute(model, values, left_out))
    complete_hint(model, settings)
    return model


def solve(
    model: Model,
    settings: SolveSettings | None = None,
    on_progress: ProgressHandler | None = None,
    build_seconds: float = 0.0,
) -> Result:
    """Search, then turn the best assignment into a timetable with its score and KPIs."""
    settings = settings or SolveSettings()
    started = time.perf_counter()
    solver = make_solver(settings, model.size)
    watcher = _Watcher(model, started, on_progress)
    status = status_of(solver, solver.solve(model.cp, watcher))
    result = Result(status, build_seconds=build_seconds, solve_seconds=solver.wall_time,
                    timeline=watcher.timeline)
    result.stats = _stats(model, result)
    if status.has_solution:
        result.solution = _solution(model, solver, status, build_seconds + solver.wall_time)
        result.status = SolveStatus(result.solution.status)
        result.objective, result.bound = result.solution.objective, result.solution.bound
    return result


def complete_hint(model: Model, settings: SolveSettings) -> None:
    """Fill in the helper variables of a hint, so CP-SAT starts from a whole solution.

    CP-SAT only adopts a hint outright when it is complete and feasible; solving with the
    decisions fixed to the hint is quick and gives the rest.
    """
    solver = make_solver(settings.limited(max(1.0, settings.time_limit / 5)))
    solver.parameters.fix_variables_to_their_hinted_value = True
    if not status_of(solver, solver.solve(model.cp)).has_solution:
        return  # the hint ran short somewhere: keep the partial hint
    cp = model.cp
    values = [solver.value(cp.get_int_var_from_proto_index(i)) for i in range(model.size)]
    cp.clear_hints()
    for index, value in enumerate(values):
        cp.add_hint(cp.get_int_var_from_proto_index(index), value)


def _stats(model: Model, result: Result) -> dict[str, float | int]:
    first = result.first_solution_seconds
    return {
        "variables": model.size,
        "constraints": len(model.cp.proto.constraints),
        "build_seconds": round(result.build_seconds, 3),
        "solve_seconds": round(result.solve_seconds, 3),
        "first_solution_seconds": round(first, 3) if first is not None else float("nan"),
        "solutions": len(result.timeline),
    }


def _solution(
    model: Model, solver: cp_model.CpSolver, status: SolveStatus, seconds: float
) -> Solution:
    instance = model.instance
    sections, unserved = extract(instance, model.vars, solver.value)
    terms = score(instance, sections, unserved)
    objective = sum(terms.values())
    # The model's score is never below the true one, so its bound bounds the true optimum.
    bound = max(solver.best_objective_bound / SCALE, objective)
    if status == SolveStatus.OPTIMAL and bound - objective > 1e-9:
        status = SolveStatus.FEASIBLE  # extraction lost a little (fallback class mixing)
    return Solution(
        instance_sha256=instance_sha256(instance.scope),
        status=status.value,
        objective=round(objective, 6),
        bound=round(bound, 6),
        solve_seconds=round(seconds, 3),
        sections=sections,
        unserved=unserved,
        kpis=kpis(instance, sections, unserved),
        objective_terms={k: round(v, 6) for k, v in terms.items()},
    )
