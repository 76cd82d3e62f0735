"""Cost (soft), recomputed from the timetable alone."""

from __future__ import annotations

from collections.abc import Mapping

from constraints.budget.check import school_cost
from constraints.common.context import Context
from constraints.common.keys import TermName
from models.district import School


def terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    weight = ctx.policy(school).weights.cost_per_1000_yuan
    return {TermName.COST: -weight * school_cost(ctx, school) / 1000}
