"""Changes against a base timetable (soft), recomputed from the base and the new timetable."""

from __future__ import annotations

from collections.abc import Mapping

from constraints.common.context import Context
from constraints.common.keys import TermName
from models.district import School

from .diff import diff


def terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    """− weights × (section changes, student sessions moved); 0 without a base."""
    if ctx.base is None:
        return {TermName.CHANGE_SECTION: 0.0, TermName.CHANGE_STUDENT: 0.0}
    weights = ctx.policy(school).weights
    base = [s for s in ctx.base.sections if s.school == school.id]
    new = [p.out for p in ctx.placed if p.school.id == school.id]
    found = diff(base, new, {school.id: set(ctx.rosters.get(school.id, {}))})
    return {
        TermName.CHANGE_SECTION: -float(weights.change_section * found.section_changes()),
        TermName.CHANGE_STUDENT: -float(weights.change_student * found.student_sessions()),
    }
