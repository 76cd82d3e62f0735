"""The readable summary `check` prints: what the file holds and what the term can spend."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from models.loader import Loaded


def student_days(loaded: Loaded) -> int:
    return sum(len(s.days) for school in loaded.district.schools for s in school.students)


def summary_table(loaded: Loaded) -> Table:
    district = loaded.district
    table = Table(title=f"{loaded.source}: {district.term.name}", show_lines=False)
    for column in ("school", "grades", "students", "student-days", "teachers", "rooms",
                   "activities", "term budget (yuan)"):
        table.add_column(column, justify="left" if column == "school" else "right")
    for school in district.schools:
        table.add_row(
            f"{school.id} {school.name}".strip(),
            ",".join(str(g) for g in sorted(school.grades)),
            str(len(school.students)),
            str(sum(len(s.days) for s in school.students)),
            str(len(school.teachers)),
            str(len(school.rooms)),
            str(len(school.activities)),
            f"{district.budget(school):,.0f}",
        )
    return table


def print_summary(loaded: Loaded, console: Console) -> None:
    district = loaded.district
    console.print(summary_table(loaded))
    console.print(
        f"{len(district.schools)} school(s), {len(district.providers)} provider(s), "
        f"{sum(len(s.students) for s in district.schools)} students, "
        f"{student_days(loaded)} registered student-days"
    )
    for warning in loaded.warnings:
        console.print(f"[yellow]{warning}[/yellow]", markup=True, highlight=False)
    if not loaded.warnings:
        console.print("no warnings")
