"""H6 sizes: every open group within its activity's and its room's size."""

from __future__ import annotations

from constraints.common.family import Family

from . import check, explain

FAMILY = Family("sizes", "H6 sizes", hard=True, check=check.check, rules=explain.RULES)
