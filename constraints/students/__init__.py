"""H5 students: their own choices on their own days, supervised until they go home."""

from __future__ import annotations

from collections.abc import Iterator

from constraints.common.context import Context
from constraints.common.family import Family
from constraints.common.report import Violation

from . import check, coverage, explain


def _check(ctx: Context) -> Iterator[Violation]:
    yield from check.check(ctx)
    yield from coverage.check(ctx)

FAMILY = Family(
    "students", "H5 students", hard=True, check=_check, terms=coverage.terms, rules=explain.RULES
)
