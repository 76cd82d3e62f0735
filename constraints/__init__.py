"""The rules, one module per family, each with `add(model, instance, vars) -> list[Term]`.

Hard families return no terms; soft families return the named objective terms they
contribute. H1 (sections on period starts, ending by `latest_end`) and H8 (only
approved, allowed activities; class hours a day) hold by construction: the instance
offers only such slots (`models.instance`), and seats only inside a student's window.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from constraints.variables import Variables
from models.instance import Instance

from . import (
    budget,
    choices,
    cost,
    fallback_mixing,
    load_balance,
    provider_rating,
    providers,
    rooms,
    sizes,
    students,
    teachers,
)
from .terms import Term

Family = Callable[[cp_model.CpModel, Instance, Variables], list[Term]]

HARD: list[Family] = [rooms.add, teachers.add, providers.add, students.add, sizes.add, budget.add]
SOFT: list[Family] = [
    choices.add,
    load_balance.add,
    provider_rating.add,
    cost.add,
    fallback_mixing.add,
]

__all__ = ["HARD", "SOFT", "Family", "Term"]
