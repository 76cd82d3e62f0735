"""Assigned (hard): each student gets every activity they are assigned, once a week.

Their seats in the activity's slots add up to the group's size (assigned students are
one per group); a slot-less assignment makes the model infeasible under a named rule,
which `afterschool explain` then names.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.common.keys import Rule, RuleKey
from constraints.common.terms import Term, named, total
from constraints.common.variables import Variables
from models.instance import Instance


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    for data in instance.schools:
        sid = data.school.id
        for group in data.groups:
            seats = vars.seats_of(sid, group)
            for activity_id in sorted(group.assigned):
                taken = [v for i, v in seats.items() if data.slots[i].activity.id == activity_id]
                key = RuleKey(Rule.ASSIGNED, sid, activity=activity_id, group=group.index)
                named(vars, model.add(total(taken) == group.size), key)
    return []
