"""Visits: off-campus trips on dates (SPEC §8.4), beside the weekly timetable."""

from __future__ import annotations

from constraints.common.family import Family

from . import check, explain

FAMILY = Family(
    "visits", "visits (SPEC §8.4)", hard=True, check=check.check, rules=explain.RULES
)
