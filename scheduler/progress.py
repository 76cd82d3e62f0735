"""What a timetabler sees while a solve runs, and the KPI summary after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from models.solution import Solution

from .messages import Say
from .solver.solve import Progress as Event
from .solver.solve import ProgressHandler


@contextmanager
def live_progress(console: Console, time_limit: float,
                  say: Say | None = None) -> Iterator[ProgressHandler]:
    """A bar over the time limit, showing the best score, the bound and the gap so far."""
    say = say or Say()
    columns = (
        TextColumn(f"[bold]{say('solving')}[/bold]"),
        BarColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(say("waiting"), total=time_limit)

        said_bounding = False

        def update(event: Event) -> None:
            nonlocal said_bounding
            gap = (event.bound - event.objective) / max(1.0, abs(event.bound))
            description = say("progress", score=event.objective, bound=event.bound, gap=gap,
                              met=event.any_choice_share)
            if event.bounding:
                description = say("bounding", met=event.any_choice_share)
            elif event.start:  # before any search: its bound is the domains' alone
                description = say("start", score=event.objective, met=event.any_choice_share)
            bar.update(task, completed=min(event.seconds, time_limit), description=description)
            if not console.is_terminal and (event.improved or event.bounding and not said_bounding):
                said_bounding = said_bounding or event.bounding
                console.print(f"{event.seconds:7.1f}s  {bar.tasks[0].description}")

        yield update
        bar.update(task, completed=time_limit)


def kpi_table(solution: Solution, say: Say | None = None) -> Table:
    say = say or Say()
    status = say(solution.status) if solution.status in ("OPTIMAL", "FEASIBLE") else \
        solution.status
    table = Table(title=say("kpi_title", status=status, score=solution.objective,
                            gap=solution.gap, seconds=solution.solve_seconds))
    table.add_column(say("kpi"))
    table.add_column(say("value"), justify="right")
    for key, value in solution.kpis.rows():
        text = f"{value:.1%}" if key.endswith("_share") else f"{value:,}"
        table.add_row(say.kpi(key), text)
    return table


def baseline_line(solution: Solution, say: Say | None = None) -> str | None:
    """The lottery baseline's KPIs on the same sections, in one line (None: not computed)."""
    base = solution.lottery_baseline
    if base is None:
        return None
    return (say or Say())("lottery_baseline", any=base.any_choice_share,
                          first=base.first_choice_share, top2=base.top2_share,
                          none=base.students_with_none, envy=base.envy)
