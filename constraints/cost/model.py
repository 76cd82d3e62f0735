"""Cost (soft): with `cost_per_1000_yuan`, cheaper timetables score higher."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.budget.model import cost_fen
from constraints.common.keys import TermName
from constraints.common.terms import SCALE, Term
from constraints.common.variables import Variables
from models.instance import Instance


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    terms: list[Term] = []
    for data in instance.schools:
        weight = data.policy.weights.cost_per_1000_yuan
        if weight:
            # fen × weight × SCALE / 100 / 1000; dividing the whole sum keeps rounding small.
            fen = cost_fen(instance, data, vars)
            scaled = model.new_int_var(0, 10**12, f"cost-score[{data.school.id}]")
            model.add(scaled * 100_000 <= fen * weight * SCALE)
            model.add(scaled * 100_000 > fen * weight * SCALE - 100_000)
            terms.append(Term(TermName.COST, -scaled, 1))
    return terms
