"""Solve a district: build the CP-SAT model, run it, and turn the answer into a solution."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from constraints.terms import SCALE
from models.instance import Instance, build_instance
from models.loader import Loaded, instance_sha256
from models.solution import Solution

from .extract import extract
from .hint import add_hint
from .model import Model, build_model
from .score import kpis, score

SMALL_MODEL_VARIABLES = 5_000
LEAN_PRESOLVE_VARIABLES = 30_000  # measured: M (64k variables) spent 20 s+ in presolve
Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID"]


@dataclass
class SolveConfig:
    time_limit: float = 30.0
    workers: int | None = None  # None: by model size (default_workers)
    seed: int = 0
    deterministic: bool = False  # one worker and a deterministic time limit
    log: bool = False
    hint: bool = True  # start from a greedy timetable (scheduler.solver.hint)


@dataclass
class Progress:
    """One improving solution: seconds since the solve began, score, bound, choice KPI."""

    seconds: float
    objective: float
    bound: float
    any_choice_share: float


@dataclass
class SolveResult:
    status: Status
    solution: Solution | None
    stats: dict[str, float | int] = field(default_factory=dict)
    timeline: list[Progress] = field(default_factory=list)


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Records each improving solution, and passes it on for live progress."""

    def __init__(
        self,
        model: Model,
        with_choices: int,
        started: float,
        on_progress: Callable[[Progress], None] | None,
    ):
        super().__init__()
        self.unmatched = list(model.vars.unmatched.values())
        self.with_choices = with_choices
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


def solve(
    loaded: Loaded,
    config: SolveConfig | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> SolveResult:
    config = config or SolveConfig()
    started = time.perf_counter()
    instance = build_instance(loaded.district)
    model = build_model(instance)
    if config.hint:
        add_hint(model, instance)
        _complete_hint(model, config)
    built = time.perf_counter()
    solver = _solver(config, len(model.cp.proto.variables))
    with_choices = sum(g.size for d in instance.schools for g in d.groups if g.has_choices)
    watcher = _Watcher(model, with_choices, built, on_progress)
    code = solver.solve(model.cp, watcher)
    status: Status = solver.status_name(code)  # type: ignore[assignment]
    stats = _stats(model, solver, built - started, watcher)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SolveResult(status, None, stats, watcher.timeline)
    solution = _solution(instance, model, solver, status, time.perf_counter() - started)
    return SolveResult(status, solution, stats, watcher.timeline)


def _complete_hint(model: Model, config: SolveConfig) -> None:
    """Fill in the helper variables of the greedy hint, so CP-SAT starts from a solution.

    CP-SAT only adopts a hint outright when it is complete and feasible; solving with the
    decisions fixed to the hint is quick and gives the rest.
    """
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = config.seed
    if config.deterministic:
        solver.parameters.max_deterministic_time = max(1.0, config.time_limit / 5)
    else:
        solver.parameters.max_time_in_seconds = max(1.0, config.time_limit / 5)
    if solver.solve(model.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return  # the greedy ran short somewhere: keep the partial hint
    proto = model.cp.proto
    values = [
        solver.value(model.cp.get_int_var_from_proto_index(i)) for i in range(len(proto.variables))
    ]
    model.cp.clear_hints()
    for index, value in enumerate(values):
        model.cp.add_hint(model.cp.get_int_var_from_proto_index(index), value)


def default_workers(variables: int) -> int:
    """Workers when the user names none.

    Measured on 2 cores (docs/solver.md): small models are proven optimal only by CP-SAT's
    full portfolio of 8 workers (examples/spec.yaml: optimal in < 10 s with 8, gap open
    with 2), while large ones improve faster with one worker per core (S: score 792 with
    2 workers vs 469 with 8 after 10 s).
    """
    cores = os.cpu_count() or 1
    return 8 if variables <= SMALL_MODEL_VARIABLES else cores


def _solver(config: SolveConfig, variables: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = config.seed
    params.log_search_progress = config.log
    # Probing in presolve costs many seconds on big schools for little gain here.
    params.cp_model_probing_level = 0
    if variables > LEAN_PRESOLVE_VARIABLES:
        params.max_presolve_iterations = 1
        params.symmetry_level = 0
    if config.deterministic:
        params.num_workers = 1
        params.max_deterministic_time = config.time_limit
    else:
        params.num_workers = config.workers or default_workers(variables)
        params.max_time_in_seconds = config.time_limit
    return solver


def _stats(
    model: Model, solver: cp_model.CpSolver, build_seconds: float, watcher: _Watcher
) -> dict[str, float | int]:
    proto = model.cp.proto
    first = watcher.timeline[0].seconds if watcher.timeline else float("nan")
    return {
        "variables": len(proto.variables),
        "constraints": len(proto.constraints),
        "build_seconds": round(build_seconds, 3),
        "solve_seconds": round(solver.wall_time, 3),
        "first_solution_seconds": round(first, 3),
        "solutions": len(watcher.timeline),
    }


def _solution(
    instance: Instance, model: Model, solver: cp_model.CpSolver, status: Status, seconds: float
) -> Solution:
    sections, unserved = extract(instance, model.vars, solver.value)
    terms = score(instance, sections, unserved)
    objective = sum(terms.values())
    # The model's score is never below the true one, so its bound bounds the true optimum.
    bound = max(solver.best_objective_bound / SCALE, objective)
    if status == "OPTIMAL" and bound - objective > 1e-9:
        status = "FEASIBLE"  # extraction lost a little (fallback class mixing)
    return Solution(
        instance_sha256=instance_sha256(instance.district),
        status=status,
        objective=round(objective, 6),
        bound=round(bound, 6),
        solve_seconds=round(seconds, 3),
        sections=sections,
        unserved=unserved,
        kpis=kpis(instance, sections, unserved),
        objective_terms={k: round(v, 6) for k, v in terms.items()},
    )
