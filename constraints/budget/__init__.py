"""H7 budget: a school's term cost stays within its after-school budget."""

from __future__ import annotations

from constraints.common.family import Family

from . import check, explain

FAMILY = Family("budget", "H7 budget", hard=True, check=check.check, rules=explain.RULES)
