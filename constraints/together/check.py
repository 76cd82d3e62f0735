"""Together (soft), recomputed from the timetable alone: pairs split in an activity."""

from __future__ import annotations

from collections.abc import Mapping

from constraints.common.context import Context
from constraints.common.keys import TermName
from models.district import School

from .report import pairs


def terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    weight = ctx.policy(school).weights.together
    splits = sum(len(p.split) for p in pairs(school, ctx.solution.sections))
    return {TermName.TOGETHER: -float(weight * splits)}
