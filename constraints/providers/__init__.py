"""H4 providers: vetted, skilled, serving the school, within their hours and instructors."""

from __future__ import annotations

from constraints.common.family import Family

from . import check, explain

FAMILY = Family("providers", "H4 providers", hard=True, check=check.check, rules=explain.RULES)
