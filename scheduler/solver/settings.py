"""How to search: one settings object, and the one function that makes every CP-SAT solver.

Everything that runs CP-SAT (the timetable, the hint completion, seating, explanations)
asks `make_solver` for its solver, so time, workers, seed, determinism and the memory cap
are set in one place.
"""

from __future__ import annotations

import math
import os
from enum import StrEnum

from ortools.sat.python import cp_model
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .interrupts import track

SMALL_MODEL_VARIABLES = 5_000
LEAN_PRESOLVE_VARIABLES = 30_000  # measured: M (64k variables) spent 20 s+ in presolve
PORTFOLIO_WORKERS = 8


class SolveStatus(StrEnum):
    """CP-SAT's answer, as our own enum (equal to its name as text)."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"
    MODEL_INVALID = "MODEL_INVALID"

    @property
    def has_solution(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


class SolveSettings(BaseModel):
    """Settings of one solve. `parallel_solves`: how many solves run side by side on this
    machine (a process pool or a Dask worker), so together they never ask for more
    threads than there are cores."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit: float = Field(30.0, gt=0, le=7 * 24 * 3600)
    workers: int | None = Field(None, ge=1, le=256)  # None: by model size and cores
    seed: int = Field(0, ge=0, le=2**31 - 1)
    deterministic: bool = False  # fixed interleaved workers and a deterministic time limit
    max_memory_mb: int | None = Field(None, ge=64)
    log: bool = False
    hint: bool = True  # start from a greedy timetable (scheduler.solver.hint)
    parallel_solves: int = Field(1, ge=1)
    # Share of the time limit for a first phase on the choice terms (0: none) on models
    # above SMALL_MODEL_VARIABLES; its best timetable starts the full search (measured:
    # docs/solver.md "Search", benchmarks/RESULTS.md).
    choice_phase: float = Field(0.8, ge=0, lt=1)
    # Before it, share of the time limit for a phase on the students with choices who get
    # none alone (0: none; None: by model size, `scheduler.solver.solve.match_share`); the
    # choice phase then takes its share of the time left (measured: docs/solver.md
    # "Search"). Not in a re-solve from a base.
    match_phase: float | None = Field(None, ge=0, lt=1)
    # After an opening, the choice phase improves its best timetable two weekdays at a time
    # (scheduler.solver.neighbourhoods; measured: docs/solver.md "Search").
    day_search: bool = True
    # Parts that hold every section and re-seat the whole week: the choice phase's first
    # part, and one after every day part that changed the timetable (docs/solver.md).
    seat_parts: bool = True
    # The matching phase's parts (on models large enough to search it by parts) go from
    # small to large, with seat parts after every change (`DaySearch` with `descent`;
    # measured: docs/solver.md "Search").
    descent: bool = True
    # Every phase's search, not only the parts, on the full linear relaxation with two or
    # three workers (`on_full_relaxation`; measured: docs/solver.md "Search").
    full_relaxation: bool = True
    # On models small enough for the bound before the search, a branch and cut on the
    # relaxation with whole staff units runs beside the matching phase: its bound tightens
    # the bound in students, and its layout of sections, seated by CP-SAT, replaces the
    # phase's timetable where it seats more (scheduler.solver.integer; docs/solver.md).
    whole_units: bool = True

    @field_validator("time_limit")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("the time limit must be a finite number of seconds")
        return value

    def limited(self, seconds: float, workers: int = 1) -> SolveSettings:
        """The same settings for a short helper solve (hint completion, a core check)."""
        return self.model_copy(
            update={"time_limit": max(0.1, seconds), "workers": workers, "log": False}
        )


def cores() -> int:
    """Cores this process may use (its affinity mask, where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers(variables: int, parallel_solves: int = 1) -> int:
    """Workers when the user names none.

    Measured on 2 cores (docs/solver.md): a small model alone is proven optimal only by
    CP-SAT's full portfolio of 8 workers (examples/spec.yaml: optimal in < 10 s with 8, gap
    open with 2), while large ones improve faster with one worker per core (S: score 792
    with 2 workers vs 469 with 8 after 10 s). Solves side by side share the cores.
    """
    if parallel_solves > 1:
        return max(1, cores() // parallel_solves)
    return PORTFOLIO_WORKERS if variables <= SMALL_MODEL_VARIABLES else cores()


DETERMINISTIC_WORKERS = 4


def workers_for(settings: SolveSettings, variables: int) -> int:
    """With `deterministic`, a fixed number (never the machine's cores), so every machine
    gives the same timetable."""
    if settings.deterministic:
        return settings.workers or DETERMINISTIC_WORKERS
    return settings.workers or default_workers(variables, settings.parallel_solves)


def make_solver(settings: SolveSettings, variables: int = 0) -> cp_model.CpSolver:
    """A CP-SAT solver set up from `settings` for a model of `variables` variables."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = settings.seed
    params.log_search_progress = settings.log
    # Probing in presolve costs many seconds on big schools for little gain here.
    params.cp_model_probing_level = 0
    if variables > LEAN_PRESOLVE_VARIABLES:
        params.max_presolve_iterations = 1
        params.symmetry_level = 0
    params.num_workers = workers_for(settings, variables)
    if settings.deterministic:
        params.max_deterministic_time = settings.time_limit
        # Interleaved workers are reproducible; a lone worker runs no neighbourhood search
        # and stalled on examples/nine_year.yaml (score -126 against 649 in 10 units).
        params.interleave_search = params.num_workers > 1
    else:
        params.max_time_in_seconds = settings.time_limit
    if settings.max_memory_mb is not None:
        params.max_memory_in_mb = settings.max_memory_mb
    track(solver)
    return solver


# From this many workers CP-SAT's own portfolio runs a tree search on the full linear
# relaxation (`max_lp`); with fewer its one full search keeps a light relaxation beside
# interleaved neighbourhood search.
PORTFOLIO_WITH_FULL_LP = 4


def on_full_relaxation(solver: cp_model.CpSolver, one_worker: bool = True
                       ) -> cp_model.CpSolver:
    """`solver` with its full search on the full linear relaxation (docs/solver.md
    "Search"): one worker at linearization level 2 (when `one_worker`; measured on parts
    only, so a phase of the whole model keeps its one worker as it is); two or three,
    `max_lp` in place of `default_lp`, the others still neighbourhood search; four or
    more, CP-SAT's own portfolio, which has `max_lp`."""
    params = solver.parameters
    if params.num_workers == 1:
        if one_worker:
            params.linearization_level = 2
    elif params.num_workers < PORTFOLIO_WITH_FULL_LP:
        params.ignore_subsolvers.append("default_lp")
        params.extra_subsolvers.append("max_lp")
    return solver


def status_of(solver: cp_model.CpSolver, code: cp_model.CpSolverStatus) -> SolveStatus:
    return SolveStatus(solver.status_name(code))
