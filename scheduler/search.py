"""The search behind `solve` and `demo`: one model with a live bar, or a district's parts
side by side with a line per part (schools done, running, their KPIs so far)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from constraints.common.context import build
from models.district import District
from models.instance import BaseTimetable
from models.problems import InputError, Problem
from models.solution import Solution

from .district.executor import local_pool, parallel_solves
from .district.solve import Event, Split, one_model, solve_whole
from .messages import Say
from .progress import live_progress
from .solver.settings import SolveSettings, SolveStatus
from .solver.solve import Result, solve_district
from .verifier.score import school_kpis


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
    single: Result | None = None  # the one solve, when the district was one model


def search(district: District, settings: SolveSettings, plan: Plan, console: Console,
           say: Say, base: BaseTimetable | None = None) -> Found:
    """A re-solve from a base is one model (the district is not split around it)."""
    if base is not None or (one_model(district, plan.split) and plan.cluster is None):
        with live_progress(console, settings.time_limit, say) as on_progress:
            alone = solve_district(district, settings, on_progress, base=base)
        return Found(alone.status, alone.solution, [], alone)
    with executor_for(plan, len(district.schools)) as (executor, width, memory, threads):
        if memory is not None:
            settings = settings.model_copy(update={"max_memory_mb": memory})
        if threads and settings.workers is None and not settings.deterministic:
            settings = settings.model_copy(update={"workers": threads})
        result = solve_whole(district, settings, executor, width, plan.split,
                             on_event=_printer(console, say))
    bound = "" if result.bound is None else say("district_bound", bound=result.bound)
    if result.failed:
        console.print(say("district_failed", names=", ".join(result.failed)), markup=False)
    elif result.solution is not None:
        console.print(say("district_done", n=len(district.schools), seconds=result.seconds,
                          bound=bound), markup=False)
        console.print(school_table(district, result.solution, say))
    return Found(result.status, result.solution, result.failed)


SHOWN_SCHOOLS = 20


def school_table(district: District, solution: Solution, say: Say) -> Table:
    """Each school's KPIs side by side (the first few; all of them in the CSV views)."""
    kpis = school_kpis(build(district, solution))
    more = len(district.schools) > SHOWN_SCHOOLS
    table = Table(title=say("schools_title_more", n=SHOWN_SCHOOLS) if more
                  else say("schools_title"))
    for column in ("school", "students", "any", "first", "covered", "cost", "budget"):
        table.add_column(say(f"col_{column}"), justify="left" if column == "school" else "right")
    for school in district.schools[:SHOWN_SCHOOLS]:
        k = kpis[school.id]
        table.add_row(school.id, f"{k.students:,}", f"{k.any_choice_share:.1%}",
                      f"{k.first_choice_share:.1%}", f"{k.covered_share:.1%}",
                      f"{k.cost:,.0f}", f"{k.budget:,.0f}")
    return table


@contextmanager
def executor_for(plan: Plan, tasks: int) -> Iterator[
        tuple[Executor, int, int | None, int | None]]:
    """A local process pool, or a Dask cluster's executor (`pip install ".[distributed]"`),
    with how many solves run side by side, a memory cap for each, and CP-SAT workers per
    solve where the cluster decides them (None: the cores shared by the solves)."""
    if plan.cluster is None:
        width = parallel_solves(tasks, plan.parallel)
        with local_pool(width) as pool:
            yield pool, width, None, None
        return
    from .district.dask import ClusterError, dask_executor

    try:
        with dask_executor(plan.cluster, plan.parallel) as found:
            yield found
    except ClusterError as exc:  # a wrong address or a missing extra: the user's to fix
        raise InputError([Problem(None, str(exc))]) from None


def _printer(console: Console, say: Say):  # noqa: ANN202 - a Listener
    def heard(event: Event) -> None:
        solution = event.result.solution
        got = (say("part_got", share=solution.kpis.any_choice_share, score=solution.objective)
               if solution is not None else event.result.status.value)
        seconds = event.result.build_seconds + event.result.solve_seconds
        console.print(say("part_done", done=event.done, total=event.total, name=event.name,
                          phase=say(f"phase_{event.phase}"), got=got, seconds=seconds),
                      markup=False)

    return heard
