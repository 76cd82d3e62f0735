"""Assigned (hard): a student assigned an activity (a school team) is in a section of it."""

from __future__ import annotations

from constraints.common.family import Family

from . import check, explain

FAMILY = Family("assigned", "assigned (H5)", hard=True, check=check.check, rules=explain.RULES)
