"""Teacher load (soft): share the work fairly, relative to each teacher's own weekly cap.

Costs `teacher_load_spread` × (highest − lowest load in whole percent of own cap) among
the school's eligible teachers (docs/rules.md).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.common.keys import TermName
from constraints.common.terms import SCALE, Term, total
from constraints.common.variables import Variables
from models.instance import Instance, SchoolData


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    terms: list[Term] = []
    for data in instance.schools:
        weight = data.policy.weights.teacher_load_spread
        if weight and len(data.load_teachers) >= 2:
            terms.append(
                Term(TermName.TEACHER_LOAD_SPREAD, -_spread(model, data, vars), weight * SCALE)
            )
    return terms


def _spread(model: cp_model.CpModel, data: SchoolData, vars: Variables) -> cp_model.IntVar:
    sid = data.school.id
    high = model.new_int_var(0, 100, f"load-high[{sid}]")
    low = model.new_int_var(0, 100, f"load-low[{sid}]")
    for teacher_id in data.load_teachers:
        slots = data.teacher_slots.get(teacher_id, [])
        if not slots:  # could lead something, but never within their own caps: 0 %
            model.add(low <= 0)
            continue
        cap = data.week_cap(data.teacher(teacher_id))
        load = total(s.class_hours * vars.teachers_of(sid, s)[teacher_id] for s in slots)
        percent = model.new_int_var(0, 100, f"load-percent[{sid}/{teacher_id}]")
        model.add_division_equality(percent, 100 * load, cap)
        model.add(high >= percent)
        model.add(low <= percent)
    spread = model.new_int_var(0, 100, f"load-spread[{sid}]")
    model.add(spread == high - low)
    return spread
