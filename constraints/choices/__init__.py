"""Choices (soft): students get the activities they ranked highest; nobody is left out."""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("choices", "choices (soft)", hard=False, terms=check.terms)
