"""Together (soft): siblings and friends with one label share a section of what they share."""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("together", "together (soft)", hard=False, terms=check.terms)
