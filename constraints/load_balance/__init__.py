"""Teacher load (soft): share the work fairly, relative to each teacher's own cap."""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("load_balance", "teacher load (soft)", hard=False, terms=check.terms)
