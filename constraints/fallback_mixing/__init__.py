"""Fallback groups (soft): few supervised-study groups, each keeping a class together."""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("fallback_mixing", "fallback groups (soft)", hard=False, terms=check.terms)
