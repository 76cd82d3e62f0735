"""The search behind `solve` and `demo`: one model with a live bar, or a district's parts
side by side with a line per part (schools done, running, their KPIs so far)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console

from models.district import District
from models.problems import InputError, Problem
from models.solution import Solution

from .district.executor import local_pool, parallel_solves
from .district.solve import Event, Split, one_model, solve_whole
from .messages import Say
from .progress import live_progress
from .solver.settings import SolveSettings, SolveStatus
from .solver.solve import solve_district


@dataclass(frozen=True)
class Plan:
    """How a district is split and where its parts run."""

    split: Split = "auto"
    parallel: int | None = None  # solves side by side (default: the cores)
    cluster: str | None = None  # a Dask scheduler's address, or "local"


@dataclass
class Found:
    status: SolveStatus
    solution: Solution | None
    failed: list[str]


def search(district: District, settings: SolveSettings, plan: Plan, console: Console,
           say: Say) -> Found:
    if one_model(district, plan.split) and plan.cluster is None:
        with live_progress(console, settings.time_limit, say) as on_progress:
            alone = solve_district(district, settings, on_progress)
        return Found(alone.status, alone.solution, [])
    with executor_for(plan, len(district.schools)) as (executor, width, memory):
        if memory is not None:
            settings = settings.model_copy(update={"max_memory_mb": memory})
        result = solve_whole(district, settings, executor, width, plan.split,
                             on_event=_printer(console))
    bound = "" if result.bound is None else f"; bound {result.bound:,.1f}"
    if result.failed:
        console.print(f"no timetable for: {', '.join(result.failed)}", markup=False)
    else:
        console.print(f"district: {len(district.schools)} schools in {result.seconds:.0f} s"
                      f"{bound}", markup=False)
    return Found(result.status, result.solution, result.failed)


@contextmanager
def executor_for(plan: Plan, tasks: int) -> Iterator[tuple[Executor, int, int | None]]:
    """A local process pool, or a Dask cluster's executor (`pip install ".[distributed]"`),
    with how many solves run side by side and a memory cap for each."""
    if plan.cluster is None:
        width = parallel_solves(tasks, plan.parallel)
        with local_pool(width) as pool:
            yield pool, width, None
        return
    from .district.dask import ClusterError, dask_executor

    try:
        with dask_executor(plan.cluster, plan.parallel) as found:
            yield found
    except ClusterError as exc:  # a wrong address or a missing extra: the user's to fix
        raise InputError([Problem(None, str(exc))]) from None


def _printer(console: Console):  # noqa: ANN202 - a Listener
    def heard(event: Event) -> None:
        solution = event.result.solution
        got = (f"any choice {solution.kpis.any_choice_share:.0%}, score "
               f"{solution.objective:,.1f}" if solution is not None else event.result.status)
        what = {"whole": "solved", "alone": "alone", "fitted": "fitted", "together": "re-shared"}
        console.print(f"[{event.done}/{event.total}] {event.name} "
                      f"{what.get(event.phase, event.phase)}: {got}, "
                      f"{event.result.build_seconds + event.result.solve_seconds:.1f} s",
                      markup=False)

    return heard
