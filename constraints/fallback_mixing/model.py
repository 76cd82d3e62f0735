"""Fallback groups (soft): few supervised-study groups, each keeping a class together.

Costs `fallback_group` per supervised-study group opened (each takes a supervisor and a
room), and `fallback_mixing` per extra class in one. With the default 2 > 1, groups are
merged first and classes kept together second. In the model, a slot with k classes
present in s sections costs at least k − s; students are then packed class by class, so
the timetable's true cost is close to (and never below) the model's.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.common.keys import TermName
from constraints.common.terms import SCALE, Term, total
from constraints.common.variables import Variables
from models.instance import Group, Instance, SchoolData, Slot


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    terms: list[Term] = []
    for data in instance.schools:
        weights = data.policy.weights
        study = [s for s in data.slots if s.activity.fallback and vars.has_staff(data.school.id, s)]
        if weights.fallback_group:
            groups = total(vars.sections(data.school.id, s) for s in study)
            terms.append(Term(TermName.FALLBACK_GROUP, -groups, weights.fallback_group * SCALE))
        if weights.fallback_mixing:
            extra = [_extra_classes(model, data, vars, s) for s in study]
            terms.append(
                Term(TermName.FALLBACK_MIXING, -total(extra), weights.fallback_mixing * SCALE)
            )
    return terms


def class_key(group: Group) -> str:
    return str(group.class_)


def _extra_classes(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, slot: Slot
) -> cp_model.IntVar:
    sid = data.school.id
    by_class: dict[str, list[tuple[Group, cp_model.IntVar]]] = defaultdict(list)
    for group, var in vars.seats_in(sid, slot):
        by_class[class_key(group)].append((group, var))
    present = []
    for key, seats in by_class.items():
        here = model.new_bool_var(f"class-present[{sid}/{key}/{slot.day}-{slot.start}]")
        model.add(total(v for _, v in seats) <= sum(g.size for g, _ in seats) * here)
        # Valid, and it tightens the LP: a class present means at least one group open.
        model.add(vars.sections(sid, slot) >= here)
        present.append(here)
    extra = model.new_int_var(0, len(present), f"fallback-mixing[{sid}/{slot.index}]")
    model.add(extra + vars.sections(sid, slot) >= total(present))
    return extra
