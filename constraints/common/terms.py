"""Named objective terms: each soft rule says what it earns or costs."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from .keys import RuleKey, TermName

if TYPE_CHECKING:
    from .variables import Variables

# The CP-SAT objective is integral: score units × SCALE (ratings and costs have decimals).
SCALE = 100
# Float noise below this is not a fraction: (3.8 - 3) * 100 is 79.99999999999997.
_NOISE = 1e-6


def rounded_up(value: float) -> int:
    """The whole number at or above `value`, float noise aside: a model coefficient
    never below the true one (costs the budget must hold, scores the bound must cover)."""
    return math.ceil(value - _NOISE)


def rounded_down(value: float) -> int:
    """The whole number at or below `value`, float noise aside (a limit never above
    the true one)."""
    return math.floor(value + _NOISE)


def total(items: Iterable[cp_model.LinearExprT]) -> cp_model.LinearExprT:
    """Sum of model expressions, built in one step (Python's sum nests, slowly)."""
    return cp_model.LinearExpr.sum(list(items))


@dataclass
class Term:
    """`weight × expr` in scaled score units; `name` is the docs/rules.md term name."""

    name: TermName
    expr: cp_model.LinearExprT
    weight: int


def named(vars: Variables, constraint: cp_model.Constraint, key: RuleKey) -> None:
    """Name a hard rule instance; when explaining, guard it with an assumption literal."""
    constraint.with_name(str(key))
    literal = vars.guard(key, constraint.index)
    if literal is not None:
        constraint.only_enforce_if(literal)
