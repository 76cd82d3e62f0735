"""Provider rating (soft): prefer providers rated well."""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("provider_rating", "provider rating (soft)", hard=False, terms=check.terms)
