"""H2 rooms: a section needs a free room of its type, big enough for its group."""

from __future__ import annotations

from constraints.common.family import Family

from . import check, explain

FAMILY = Family("rooms", "H2 rooms", hard=True, check=check.check, rules=explain.RULES)
