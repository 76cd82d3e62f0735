"""Named objective terms: each soft rule says what it earns or costs."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

# The CP-SAT objective is integral: score units × SCALE (ratings and costs have decimals).
SCALE = 100


@dataclass
class Term:
    """`weight × expr` in scaled score units; `name` is the docs/rules.md term name."""

    name: str
    expr: cp_model.LinearExprT
    weight: int
