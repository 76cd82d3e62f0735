"""The CP-SAT model: make variables, add the hard rules, add the soft rules' objective."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from constraints import HARD, SOFT, Term
from constraints.variables import GuardBy, Variables
from models.instance import Instance


@dataclass
class Model:
    cp: cp_model.CpModel
    vars: Variables
    terms: list[Term]


def build_model(instance: Instance, guard_by: GuardBy | None = None) -> Model:
    """`guard_by` maps a hard rule instance's name to a guard key (see `Variables.guard`)."""
    cp = cp_model.CpModel()
    vars = Variables(cp, instance, guard_by)
    # A hard family may still price its relaxation (best_effort coverage), so keep its terms.
    terms = [term for family in (*HARD, *SOFT) for term in family(cp, instance, vars)]
    cp.maximize(
        cp_model.LinearExpr.weighted_sum([t.expr for t in terms], [t.weight for t in terms])
    )
    return Model(cp, vars, terms)
