"""Fallback groups (soft), recomputed from the timetable alone."""

from __future__ import annotations

from collections.abc import Mapping

from constraints.common.context import Context
from constraints.common.keys import TermName
from models.district import School


def terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    weights = ctx.policy(school).weights
    return {
        TermName.FALLBACK_MIXING: -float(weights.fallback_mixing * _mixing(ctx, school)),
        TermName.FALLBACK_GROUP: -float(weights.fallback_group * _groups(ctx, school)),
    }


def _mixing(ctx: Context, school: School) -> int:
    """Extra classes mixed into fallback groups (a group of one class costs nothing)."""
    return sum(max(0, len({s.class_ for s in p.students}) - 1)
               for p in ctx.placed if p.school.id == school.id and p.activity.fallback)


def _groups(ctx: Context, school: School) -> int:
    """Supervised-study groups the school opens (each needs a supervisor and a room)."""
    return sum(1 for p in ctx.placed if p.school.id == school.id and p.activity.fallback)
