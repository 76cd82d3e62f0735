"""Choices (soft), recomputed from the timetable alone: rank points and students left out."""

from __future__ import annotations

from collections.abc import Mapping

from constraints.common.context import Context, attended, ranked_choices
from constraints.common.keys import TermName
from models.district import School


def terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    weights = ctx.policy(school).weights
    points, unmatched = _choices(ctx, school)
    return {
        TermName.CHOICE_RANK: float(points),
        TermName.UNMATCHED_STUDENT: -float(weights.unmatched_student * unmatched),
    }


def _choices(ctx: Context, school: School) -> tuple[int, int]:
    """Rank points of the chosen activities students get, and students who get none (each
    times the student's choice factor: 1 + priority under `weighted` fairness)."""
    policy = ctx.policy(school)
    rank_weights = policy.weights.choice_rank
    attends = attended(ctx, school)
    points = unmatched = 0
    for student in school.students:
        ranked = ranked_choices(school, student)
        if not ranked:
            continue  # no choices (or only the fallback): outside the choice terms
        factor = policy.choice_factor(ctx.district.priority(school.id, student))
        got = [ranked.index(a) for a in attends.get(student.id, set()) if a in ranked]
        points += factor * sum(rank_weights[r] for r in got if r < len(rank_weights))
        unmatched += factor * (not got)
    return points, unmatched


def left_out(ctx: Context, school: School) -> list[str]:
    """Students with choices who get none of them (what `solution.json`'s `unmatched`
    lists, and next term's `previous:` serves first)."""
    attends = attended(ctx, school)
    return [s.id for s in school.students
            if (ranked := ranked_choices(school, s)) and not attends.get(s.id, set()) & set(ranked)]
