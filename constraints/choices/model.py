"""Choices (soft): students get the activities they ranked highest; nobody is left out.

Earns `choice_rank[r]` for each student seat in their r-th choice; costs
`unmatched_student` for each student with choices who gets none of them; both times the
student's `Policy.choice_factor` (1 + priority under `weighted` fairness).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.common.keys import TermName
from constraints.common.terms import SCALE, Term, total
from constraints.common.variables import Variables
from models.instance import Group, Instance, SchoolData


def rank_weight(weights: list[int], rank: int) -> int:
    return weights[rank] if rank < len(weights) else 0


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    terms: list[Term] = []
    for data in instance.schools:
        gained, unmatched = [], []
        for group in data.groups:
            if group.has_choices:
                factor = data.policy.choice_factor(group.priority)
                gained.append(factor * _gained(data, vars, group))
                unmatched.append(factor * _unmatched(model, data, vars, group))
        weights = data.policy.weights
        terms.append(Term(TermName.CHOICE_RANK, total(gained), SCALE))
        terms.append(
            Term(TermName.UNMATCHED_STUDENT, -total(unmatched), weights.unmatched_student * SCALE)
        )
    return terms


def _club_seats(data: SchoolData, vars: Variables, group: Group) -> dict[int, cp_model.IntVar]:
    seats = vars.seats_of(data.school.id, group)
    return {i: v for i, v in seats.items() if data.slots[i].activity.id in group.ranks}


def _gained(data: SchoolData, vars: Variables, group: Group) -> cp_model.LinearExprT:
    weights = data.policy.weights.choice_rank
    return total(
        rank_weight(weights, group.ranks[data.slots[i].activity.id]) * v
        for i, v in _club_seats(data, vars, group).items()
    )


def _unmatched(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, group: Group
) -> cp_model.IntVar:
    """Students of the group who get no choice: at least size − club seats taken."""
    name = f"unmatched[{data.school.id}/g{group.index}]"
    var = model.new_int_var(0, group.size, name)
    model.add(var >= group.size - total(_club_seats(data, vars, group).values()))
    vars.unmatched[(data.school.id, group.index)] = var
    return var
