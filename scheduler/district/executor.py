"""Solves side by side: a local process pool by default, any `concurrent.futures.Executor`.

A task ships a pydantic district (or a sub-district) and settings, never CP-SAT objects
(they do not pickle); the model is built inside the worker. Each solve is given
`workers = cores / parallel solves`, so the pool never asks for more threads than cores.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field

from models.district import District
from models.instance import BaseTimetable, Reservation, build_instance
from models.solution import Solution
from scheduler.solver.decisions import decisions_of
from scheduler.solver.hint import add_hint
from scheduler.solver.model import Model, build_model
from scheduler.solver.settings import SolveSettings, cores
from scheduler.solver.solve import Result, complete_hint, solve, solve_district


@dataclass(frozen=True)
class Task:
    """One solve to run anywhere: a district, the schools of it to solve, reserved capacity."""

    name: str
    district: District
    settings: SolveSettings
    schools: tuple[str, ...] | None = None
    reserved: tuple[Reservation, ...] = field(default_factory=tuple)
    hint: Solution | None = None  # a timetable to start from (kept as far as it still fits)
    base: BaseTimetable | None = None  # a minimal-change re-solve of this timetable


def run_task(task: Task) -> Result:
    """Build and solve inside the worker process."""
    if task.hint is None:
        return solve_district(task.district, task.settings, schools=task.schools,
                              reserved=task.reserved, base=task.base)
    started = time.perf_counter()
    model = hinted_model(task)
    return solve(model, task.settings, build_seconds=time.perf_counter() - started)


def hinted_model(task: Task) -> Model:
    """The task's model started from its timetable, or, where that timetable breaks a rule
    of this model (another school now holds a provider it used), from the greedy
    timetable, which keeps every rule around the reserved capacity: a broken start left
    large schools with no timetable at all in a few seconds (L, docs/district.md)."""
    assert task.hint is not None
    instance = build_instance(task.district, task.schools, task.reserved, base=task.base)
    model = build_model(instance)
    values, _ = decisions_of(model, task.hint)
    model.hint(values)
    if not complete_hint(model, task.settings) and task.settings.hint:
        add_hint(model, instance)
        complete_hint(model, task.settings)
    return model


SOLVE_WORKERS = 2  # CP-SAT workers each solve side by side gets, where the cores allow


def parallel_solves(tasks: int, limit: int | None = None) -> int:
    """How many solves to run at once: no more than the tasks or `limit`, and by default
    few enough that each has two CP-SAT workers. A lone worker runs no neighbourhood
    search and kept its first timetable (measured on 1,500-student schools, 5 s:
    docs/district.md), so one solve with two workers beats two solves with one each."""
    width = cores() // SOLVE_WORKERS if limit is None else min(cores(), limit)
    return max(1, min(tasks, width))


def shared(settings: SolveSettings, parallel: int) -> SolveSettings:
    """Settings for one of `parallel` solves side by side on this machine."""
    return settings.model_copy(update={"parallel_solves": parallel})


@contextmanager
def local_pool(parallel: int) -> Iterator[Executor]:
    # The children fork from a process holding the whole district (150,000 students on L):
    # frozen, its objects are neither walked by the children's garbage collector nor
    # copied into them page by page (measured: a school's build 3.9 s -> 1.5 s).
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=parallel) as pool:
            yield pool
    finally:
        gc.unfreeze()


def run_all(
    tasks: Sequence[Task],
    executor: Executor,
    on_done: Callable[[Task, Result], None] | None = None,
    submit: Callable[[Executor, Task], Future[Result]] | None = None,
) -> dict[str, Result]:
    """Run every task on the executor; `on_done` hears of each as it finishes."""
    send = submit or (lambda pool, task: pool.submit(run_task, task))
    futures = {send(executor, task): task for task in tasks}
    results: dict[str, Result] = {}
    for future in as_completed(futures):
        task = futures[future]
        results[task.name] = future.result()
        if on_done is not None:
            on_done(task, results[task.name])
    return {task.name: results[task.name] for task in tasks}
