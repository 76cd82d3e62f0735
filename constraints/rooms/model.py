"""H2 rooms: a section needs a free room of its type, big enough for its group.

At any moment, the sections needing a room of a type with at least capacity c cannot
outnumber such rooms. Rooms are assigned to sections after solving (smallest fitting
free room first), which these counts make always possible.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.common.keys import Rule, RuleKey
from constraints.common.terms import Term, named, total
from constraints.common.timeline import moments
from constraints.common.variables import Variables
from models.instance import Instance, SchoolData, Slot


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    for data in instance.schools:
        staffed = [s for s in data.slots if vars.has_staff(data.school.id, s)]
        for day, minute, running in moments(staffed):
            _limit_rooms(model, data, vars, running, day, minute)
    return []


def _limit_rooms(
    model: cp_model.CpModel,
    data: SchoolData,
    vars: Variables,
    running: list[Slot],
    day: str,
    minute: int,
) -> None:
    by_type: dict[str, list[Slot]] = defaultdict(list)
    for slot in running:
        by_type[slot.activity.room_type].append(slot)
    for room_type, slots in by_type.items():
        for need in sorted({data.room_need[s.activity.id] for s in slots}):
            users = [s for s in slots if data.room_need[s.activity.id] >= need]
            rooms = [r for r in data.school.rooms if r.type == room_type and r.capacity >= need]
            sections = total(vars.sections(data.school.id, s) for s in users)
            named(
                vars,
                model.add(sections <= len(rooms)),
                RuleKey(
                    Rule.ROOMS,
                    data.school.id,
                    room_type=room_type,
                    need=need,
                    day=day,
                    minute=minute,
                ),
            )
