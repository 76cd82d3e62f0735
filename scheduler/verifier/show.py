"""Print a verification report: the broken rules, then the score and KPIs beside the file's."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from constraints.common.report import Report
from models.solution import Solution

TOLERANCE = 1e-6


def print_report(report: Report, solution: Solution, console: Console) -> None:
    if report.violations:
        console.print(violations_table(report))
    if report.kpis:
        console.print(score_table(report, solution))
        console.print(kpi_table(report, solution))
    if report.ok:
        console.print("[green]all rules hold[/green]")
    else:
        console.print(f"[red]{len(report.violations)} violation(s)[/red]")


def violations_table(report: Report) -> Table:
    table = Table(title="rules broken", show_lines=False)
    table.add_column("rule", style="red")
    table.add_column("what")
    for violation in report.violations:
        table.add_row(violation.rule, Text(violation.message))
    return table


def score_table(report: Report, solution: Solution) -> Table:
    table = Table(title="objective (maximised)")
    for column in ("term", "in file", "recomputed"):
        table.add_column(column, justify="left" if column == "term" else "right")
    for name, value in report.terms.items():
        table.add_row(name, _shown(solution.objective_terms.get(name)), _shown(value))
    table.add_row(Text("objective", style="bold"), _shown(solution.objective),
                  _marked(report.objective, solution.objective))
    return table


def kpi_table(report: Report, solution: Solution) -> Table:
    table = Table(title="KPIs")
    for column in ("KPI", "in file", "recomputed"):
        table.add_column(column, justify="left" if column == "KPI" else "right")
    claims = dict(solution.kpis.rows())
    for name, value in report.kpis.rows():
        claimed = claims.get(name)
        table.add_row(name, _shown(claimed), _marked(value, claimed))
    return table


def _shown(value: float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    if isinstance(value, float):  # money in yuan, shares and ratings: no exponent notation
        return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:.6g}"
    return f"{value:,}"


def _marked(value: float, claimed: float | None) -> Text:
    """The recomputed value, in red with `≠` when the file says something else."""
    if claimed is None or abs(value - claimed) <= TOLERANCE:
        return Text(_shown(value))
    return Text(f"≠ {_shown(value)}", style="red")
