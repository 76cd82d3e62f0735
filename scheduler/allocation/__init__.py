"""Lottery, waiting lists and promotion (SPEC §8.5; docs/allocation.md), solver-free.

`with_allocation` gives a finished timetable what `solution.json` carries beside its
sections: every student's lottery number, the waiting lists, and the KPIs of the lottery
baseline on the same sections. `promote` (promote.py) fills freed seats from the lists.
"""

from __future__ import annotations

from models.allocation import lottery_of, waitlists
from models.loader import Loaded
from models.solution import Kpis, Solution
from scheduler.solver.baselines import BaselineError, published_lottery

# The baseline is a greedy sign-up run in Python; above this many students (a large
# district) it is left out, so writing the solution never waits minutes for a comparison.
BASELINE_STUDENTS = 20_000


def with_allocation(loaded: Loaded, solution: Solution) -> Solution:
    """The solution with its lottery numbers, waiting lists and lottery baseline."""
    district = loaded.district
    return solution.model_copy(update={
        "lottery": lottery_of(district),
        "waitlists": waitlists(district, solution.sections, solution.withdrawn),
        "lottery_baseline": lottery_baseline(loaded, solution),
    })


def lottery_baseline(loaded: Loaded, solution: Solution) -> Kpis | None:
    """The KPIs a published-lottery sign-up gets on the solution's own sections (None when
    it cannot supervise everyone with them, or the district is too large to wait for)."""
    students = sum(len(s.students) for s in loaded.district.schools)
    if students > BASELINE_STUDENTS:
        return None
    try:
        return published_lottery(loaded, solution).kpis
    except BaselineError:
        return None


def rescored(loaded: Loaded, before: Solution, after: Solution) -> Solution:
    """A changed timetable with its score, KPIs and allocation recomputed. The input is the
    same, so the earlier solve's bound still bounds the score."""
    from constraints.choices.check import left_out
    from constraints.common.context import build
    from models.solution import Unmatched
    from scheduler.verifier import score  # solver-free, as for the baselines

    found = score(loaded.district, after)
    if after.unmatched is not None:  # next term's `previous:` reads who was left out now
        ctx = build(loaded.district, after)
        after = after.model_copy(update={"unmatched": [
            Unmatched(school=school.id, student=student)
            for school in loaded.district.schools for student in left_out(ctx, school)]})
    return with_allocation(loaded, after.model_copy(update={
        "status": "FEASIBLE", "objective": round(found.objective, 6),
        "bound": round(max(before.bound, found.objective), 6), "kpis": found.kpis,
        "objective_terms": {k: round(v, 6) for k, v in found.terms.items()}}))
