"""What a timetabler sees while a solve runs, and the KPI summary after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from models.solution import Solution

from .solver.solve import Progress as Event
from .solver.solve import ProgressHandler


@contextmanager
def live_progress(console: Console, time_limit: float) -> Iterator[ProgressHandler]:
    """A bar over the time limit, showing the best score, the bound and the gap so far."""
    columns = (
        TextColumn("[bold]solving[/bold]"),
        BarColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("waiting for a first timetable", total=time_limit)

        def update(event: Event) -> None:
            gap = (event.bound - event.objective) / max(1.0, abs(event.bound))
            bar.update(
                task,
                completed=min(event.seconds, time_limit),
                description=(
                    f"score {event.objective:,.1f}  bound {event.bound:,.1f}  gap {gap:.2%}  "
                    f"choices met {event.any_choice_share:.0%}"
                ),
            )
            if not console.is_terminal and event.improved:
                console.print(f"{event.seconds:7.1f}s  {bar.tasks[0].description}")

        yield update
        bar.update(task, completed=time_limit)


KPI_LABELS = {
    "students": "students",
    "students_with_choices": "students with choices",
    "student_days": "registered student-days",
    "covered_share": "student-days supervised",
    "first_choice_share": "got 1st choice",
    "any_choice_share": "got any choice",
    "no_choice_share": "got none of their choices",
    "teacher_hours_max": "most class hours of a teacher",
    "cost": "term cost (yuan)",
    "budget": "term budget (yuan)",
    "sections": "sections a week",
}


def kpi_table(solution: Solution) -> Table:
    table = Table(
        title=f"{solution.status}: score {solution.objective:,.1f}, "
        f"gap {solution.gap:.2%}, {solution.solve_seconds:.1f} s"
    )
    table.add_column("KPI")
    table.add_column("value", justify="right")
    for key, value in solution.kpis.rows():
        text = f"{value:.1%}" if key.endswith("_share") else f"{value:,}"
        table.add_row(KPI_LABELS.get(key, key), text)
    return table
