"""The independent verifier: re-checks every hard rule H1-H8 on a finished timetable.

It reads only the input and `solution.json` and shares no code with the solver: it runs
each rule family's own check (`constraints/<family>/check.py`) and never imports OR-Tools
or the model-building modules (a test asserts this).
"""

from __future__ import annotations

from constraints import HARD
from constraints.choices.check import left_out
from constraints.common.context import Context, build
from constraints.common.keys import TermName
from constraints.common.report import Report, Violation
from models.allocation import lottery_of, waitlists
from models.district import District
from models.loader import instance_sha256
from models.solution import Solution

from .score import Score, score_of

__all__ = ["Report", "Score", "Violation", "score", "verify"]

OBJECTIVE_TOLERANCE = 1e-6
CHANGE_TERMS = (TermName.CHANGE_SECTION, TermName.CHANGE_STUDENT)


def verify(district: District, solution: Solution, base: Solution | None = None) -> Report:
    """Every broken rule of the timetable, and its score recomputed from the timetable alone
    (with `base`, the timetable a minimal-change re-solve started from: its change terms)."""
    if solution.instance_sha256 != instance_sha256(district):
        return Report([Violation("instance", "solution is for another input")])
    ctx = build(district, solution, base)
    violations = list(ctx.problems)
    for family in HARD:  # in the order a timetabler reads them (SPEC §4)
        if family.check is not None:
            violations.extend(family.check(ctx))
    violations.extend(_allocation(district, solution))
    violations += _unmatched_listed(ctx, solution)
    result = score_of(ctx)
    if abs(solution.objective - result.objective) > OBJECTIVE_TOLERANCE:
        violations.append(Violation(
            "objective", f"objective in file {solution.objective:g}, recomputed "
            f"{result.objective:g}" + _base_missing(solution, base)))
    return Report(violations, result.objective, result.terms, result.kpis)


def _allocation(district: District, solution: Solution) -> list[Violation]:
    """A file that carries lottery numbers must carry the published ones, and waiting lists
    that fit its sections (docs/allocation.md); files without a lottery are not asked."""
    if not solution.lottery:
        return []
    found = []
    if solution.lottery != lottery_of(district):
        found.append(Violation("lottery", "lottery numbers differ from the published rule "
                               "(SHA-256 of seed/school/student) for this input"))
    if solution.waitlists != waitlists(district, solution.sections, solution.withdrawn):
        found.append(Violation("waitlists", "waiting lists do not match the timetable "
                               "(rank, priority, lottery number of those who did not get it)"))
    return found


def _unmatched_listed(ctx: Context, solution: Solution) -> list[Violation]:
    """The file's `unmatched` list (when it has one) is the students left out."""
    if solution.unmatched is None:
        return []
    listed = {(u.school, u.student) for u in solution.unmatched}
    found = {(sc.id, st) for sc in ctx.district.schools for st in left_out(ctx, sc)}
    wrong = sorted(listed ^ found)
    if not wrong:
        return []
    shown = ", ".join(f"{school}/{student}" for school, student in wrong[:5])
    return [Violation("unmatched", f"the unmatched list differs from the timetable for "
                      f"{len(wrong)} student(s): {shown}")]


def _base_missing(solution: Solution, base: Solution | None) -> str:
    """A re-solve's score counts its changes against its base: say so when none was given."""
    changed = any(solution.objective_terms.get(name.value) for name in CHANGE_TERMS)
    return "; it was re-solved from a base timetable: pass that one (--base)" if (
        changed and base is None) else ""


def score(district: District, solution: Solution) -> Score:
    """The timetable's objective, named terms and KPIs (what `solution.json` should report)."""
    return score_of(build(district, solution))
