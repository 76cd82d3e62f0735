"""Changes against a base timetable (soft): a minimal-change re-solve keeps what it can."""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("changes", "changes against a base timetable (soft)", hard=False,
                terms=check.terms)
