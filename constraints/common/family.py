"""What a rule family registers: its independent check, and what `explain` needs of its rules.

The family's model part is `constraints.<name>.model.add` (the only part that imports
OR-Tools); everything here is solver-free, so the verifier and explanations can use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from models.district import District, School
from models.instance import Instance

from .context import Context
from .keys import Rule, RuleKey, TermName
from .report import Violation

if TYPE_CHECKING:
    from .words import Fix, Words

Check = Callable[[Context], Iterator[Violation]]
Terms = Callable[[Context, School], Mapping[TermName, float]]
Describe = Callable[["Words", RuleKey, "Fix"], tuple[str, str | None, str]]
Apply = Callable[[District, Instance, RuleKey, float], None]


class Sizing(StrEnum):
    """How an explanation sizes the fix of a rule in a core."""

    LINEAR = "linear"  # an upper bound: how far past it must a timetable go?
    MIN_SIZE = "min-size"  # a lower bound on group size: the largest that works
    STUDENTS = "students"  # supervision nobody can give: count the students
    NONE = "none"


def _same(key: RuleKey) -> RuleKey | None:
    return key


def _alone(instance: Instance, key: RuleKey) -> RuleKey:
    return key


@dataclass(frozen=True)
class RuleText:
    """How explanations treat one kind of rule instance.

    `fine` maps a rule instance to the guard a school can change (None: always enforced);
    `coarse` gathers fine guards of one kind for large schools; `describe` says it in the
    school's words with `file:line`; `apply` changes a district as the fix says.
    """

    describe: Describe
    apply: Apply | None = None
    fine: Callable[[RuleKey], RuleKey | None] = _same
    coarse: Callable[[Instance, RuleKey], RuleKey] = _alone
    sizing: Sizing = Sizing.LINEAR


@dataclass(frozen=True)
class Family:
    """One rule family, registered once in `constraints.FAMILIES`."""

    name: str  # its package under constraints/
    title: str  # as docs/rules.md heads it: "H3 teachers", "choices (soft)"
    hard: bool
    check: Check | None = None  # hard: the verifier's own check of the rule
    terms: Terms | None = None  # soft: the verifier's own recomputation of its terms
    rules: Mapping[Rule, RuleText] = field(default_factory=dict)
    model: bool = True  # False: it holds by construction (the instance offers only such slots)
