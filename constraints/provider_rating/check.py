"""Provider rating (soft), recomputed from the timetable alone."""

from __future__ import annotations

from collections.abc import Mapping

from constraints.common.context import Context
from constraints.common.keys import TermName
from models.district import School


def terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    """Σ (rating − 3) × class hours over provider-led groups, times the weight."""
    weight = ctx.policy(school).weights.provider_rating
    rated = sum((provider.rating - 3) * placed.hours
                for placed in ctx.placed if placed.school.id == school.id
                for provider in placed.providers)
    return {TermName.PROVIDER_RATING: weight * rated}
