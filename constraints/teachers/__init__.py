"""H3 teachers: skill, free of daytime duties, unaffiliated, one group at a time, own caps."""

from __future__ import annotations

from constraints.common.family import Family

from . import check, explain

FAMILY = Family("teachers", "H3 teachers", hard=True, check=check.check, rules=explain.RULES)
