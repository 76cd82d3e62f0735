"""Cost (soft): with `cost_per_1000_yuan`, cheaper timetables score higher."""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("cost", "cost (soft)", hard=False, terms=check.terms)
