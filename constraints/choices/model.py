"""Choices (soft): students get the activities they ranked highest; nobody is left out.

Earns `choice_rank[r]` for each student seat in their r-th choice (a trip of a chosen visit
included); costs `unmatched_student` for each student with choices who gets none of them;
both times the student's `Policy.choice_factor` (1 + priority under `weighted` fairness).
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


def _club_seats(data: SchoolData, vars: Variables, group: Group) -> list[cp_model.IntVar]:
    """The group's seats in chosen activities: weekly sections, and trips of visits."""
    return [v for _, v in _chosen(data, vars, group)]


def _chosen(data: SchoolData, vars: Variables, group: Group) -> list[tuple[str, cp_model.IntVar]]:
    """(activity id, seats) of the group's seats in chosen activities."""
    seats = vars.seats_of(data.school.id, group)
    chosen = [(data.slots[i].activity.id, v) for i, v in seats.items()]
    chosen += [(data.trips[i].activity.id, v) for i, v in vars.trips_of(data.school.id,
                                                                       group).items()]
    return [(a, v) for a, v in chosen if a in group.ranks]


def _gained(data: SchoolData, vars: Variables, group: Group) -> cp_model.LinearExprT:
    weights = data.policy.weights.choice_rank
    return total(rank_weight(weights, group.ranks[a]) * v for a, v in _chosen(data, vars, group))


def _unmatched(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, group: Group
) -> cp_model.IntVar:
    """Students of the group who get no choice: at least size − club seats taken."""
    name = f"unmatched[{data.school.id}/g{group.index}]"
    var = model.new_int_var(0, group.size, name)
    model.add(var >= group.size - total(_club_seats(data, vars, group)))
    vars.unmatched[(data.school.id, group.index)] = var
    return var
