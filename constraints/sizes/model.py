"""H6 sizes: every open section holds between `min_size` and its room's size of students.

Students of a slot are spread evenly over its open sections after solving, so bounds on
the slot's total make every section's size fit. `max_sections_week` caps an activity.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.common.keys import Rule, RuleKey
from constraints.common.terms import Term, named, total
from constraints.common.variables import Variables
from models.instance import Instance, SchoolData, Slot


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    for data in instance.schools:
        per_activity: dict[str, list[Slot]] = defaultdict(list)
        for slot in data.slots:
            if vars.has_staff(data.school.id, slot):
                _size_bounds(model, data, vars, slot)
                per_activity[slot.activity.id].append(slot)
        for slots in per_activity.values():
            limit = slots[0].activity.max_sections_week
            if limit is not None:
                sections = total(vars.sections(data.school.id, s) for s in slots)
                named(
                    vars,
                    model.add(sections <= limit),
                    RuleKey(Rule.MAX_SECTIONS_WEEK, data.school.id, activity=slots[0].activity.id),
                )
    return []


def _size_bounds(model: cp_model.CpModel, data: SchoolData, vars: Variables, slot: Slot) -> None:
    sid = data.school.id
    students = total(var for _, var in vars.seats_in(sid, slot))
    sections = vars.sections(sid, slot)
    key = RuleKey(Rule.MIN_SIZE, sid, activity=slot.activity.id, day=slot.day, minute=slot.start)
    named(vars, model.add(students >= slot.activity.min_size * sections), key)
    # Seats only in open sections: always, even when an explanation relaxes the size.
    everyone = sum(group.size for group, _ in vars.seats_in(sid, slot))
    model.add(students <= everyone * sections)
    named(
        vars,
        model.add(students <= data.room_need[slot.activity.id] * sections),
        key._replace(rule=Rule.MAX_SIZE),
    )
