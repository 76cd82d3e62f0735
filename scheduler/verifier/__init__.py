"""The independent verifier: re-checks every hard rule H1-H8 on a finished timetable.

It reads only the input and `solution.json` and shares no code with the solver: it never
imports OR-Tools, `constraints/` or the model-building modules (a test asserts this).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from models.district import District
from models.loader import instance_sha256
from models.solution import Solution

from . import budget, clock, coverage, policy, providers, rooms, sizes, students, teachers
from .context import Context, build
from .report import Report, Violation
from .score import Score, score_of

__all__ = ["Report", "Score", "Violation", "score", "verify"]

OBJECTIVE_TOLERANCE = 1e-6

# The rule families, in the order a timetabler reads them (SPEC §4).
RULES: list[Callable[[Context], Iterator[Violation]]] = [
    clock.check,      # H1 time
    rooms.check,      # H2 rooms
    teachers.check,   # H3 teachers
    providers.check,  # H4 providers
    students.check,   # H5 students
    coverage.check,   # H5 coverage
    sizes.check,      # H6 size
    budget.check,     # H7 budget
    policy.check,     # H8 policy
]


def verify(district: District, solution: Solution) -> Report:
    """Every broken rule of the timetable, and its score recomputed from the timetable alone."""
    if solution.instance_sha256 != instance_sha256(district):
        return Report([Violation("instance", "solution is for another input")])
    ctx = build(district, solution)
    violations = list(ctx.problems)
    for rule in RULES:
        violations.extend(rule(ctx))
    result = score_of(ctx)
    if abs(solution.objective - result.objective) > OBJECTIVE_TOLERANCE:
        violations.append(Violation(
            "objective", f"objective in file {solution.objective:g}, recomputed "
            f"{result.objective:g}"))
    return Report(violations, result.objective, result.terms, result.kpis)


def score(district: District, solution: Solution) -> Score:
    """The timetable's objective, named terms and KPIs (what `solution.json` should report)."""
    return score_of(build(district, solution))
