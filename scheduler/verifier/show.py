"""Print a verification report: the broken rules, then the score and KPIs beside the file's."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from constraints.common.report import Report
from models.solution import Solution
from scheduler.messages import Say

TOLERANCE = 1e-6


def print_report(report: Report, solution: Solution, console: Console,
                 say: Say | None = None) -> None:
    say = say or Say()
    if report.violations:
        console.print(violations_table(report, say))
    if report.kpis:
        console.print(score_table(report, solution, say))
        console.print(kpi_table(report, solution, say))
    if report.ok:
        console.print(say("all_hold"), style="green", markup=False)
    else:
        console.print(say("violations", n=len(report.violations)), style="red", markup=False)


def violations_table(report: Report, say: Say) -> Table:
    table = Table(title=say("rules_broken"), show_lines=False)
    table.add_column(say("rule"), style="red")
    table.add_column(say("what"))
    for violation in report.violations:
        table.add_row(violation.rule, Text(violation.message))
    return table


def score_table(report: Report, solution: Solution, say: Say) -> Table:
    table = Table(title=say("objective_title"))
    for column in ("term", "in_file", "recomputed"):
        table.add_column(say(column), justify="left" if column == "term" else "right")
    for name, value in report.terms.items():
        table.add_row(name, _shown(solution.objective_terms.get(name)), _shown(value))
    table.add_row(Text(say("objective"), style="bold"), _shown(solution.objective),
                  _marked(report.objective, solution.objective))
    return table


def kpi_table(report: Report, solution: Solution, say: Say) -> Table:
    table = Table(title=say("kpis"))
    for column in ("kpi", "in_file", "recomputed"):
        table.add_column(say(column), justify="left" if column == "kpi" else "right")
    claims = dict(solution.kpis.rows())
    for name, value in report.kpis.rows():
        claimed = claims.get(name)
        table.add_row(say.kpi(name), _shown(claimed), _marked(value, claimed))
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
