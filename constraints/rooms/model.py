"""H2 rooms: a section needs a free room of its type, big enough for its group.

At any moment, the sections needing a room of a type with at least capacity c cannot
outnumber such rooms. Where rooms of a type differ in which sections they fit, counts per
moment are not enough: a two-hour section beside a big one goes to the small room, and
if it still runs when a second big one starts beside a section that took the big room,
the counts hold at every moment yet no room is free for the whole of someone's time
(tests/test_rule_rooms.py). So for such a type each open section is also placed in a
class of rooms (rooms fitting the same sections), and a class never holds more sections
at a moment than it has rooms: within a class rooms are alike, so sections placed in it
can always be given rooms for their whole time (interval colouring). Rooms are assigned
to sections after solving (scheduler.solver.extract).
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
        _room_classes(model, data, vars, staffed)
    return []


def room_classes(data: SchoolData, room_type: str, needs: set[int]) -> dict[int, list[str]]:
    """Rooms of the type by the largest of `needs` they hold: {that need: room ids}. Rooms
    holding the same needs are alike for every section of the type."""
    classes: dict[int, list[str]] = defaultdict(list)
    for room in data.school.rooms:
        fits = [n for n in needs if n <= room.capacity]
        if room.type == room_type and fits:
            classes[max(fits)].append(room.id)
    return dict(classes)


def _room_classes(model: cp_model.CpModel, data: SchoolData, vars: Variables,
                  staffed: list[Slot]) -> None:
    """Each section of a type whose rooms fit different sections is placed in a class of
    rooms, and no class holds more at a moment than its rooms (the module's docstring)."""
    sid = data.school.id
    by_type: dict[str, list[Slot]] = defaultdict(list)
    for slot in staffed:
        by_type[slot.activity.room_type].append(slot)
    for room_type, slots in by_type.items():
        needs = {data.room_need[s.activity.id] for s in slots}
        classes = room_classes(data, room_type, needs)
        if len(classes) < 2:
            continue
        placed = {s.index: _placed(model, data, vars, s, classes) for s in slots}
        for day, minute, running in moments(slots):
            for holds, rooms in classes.items():
                in_class = [placed[s.index][holds] for s in running if holds in placed[s.index]]
                key = RuleKey(Rule.ROOM_CLASS, sid, who=",".join(rooms), room_type=room_type,
                              need=holds, day=day, minute=minute)
                if in_class:
                    named(vars, model.add(total(in_class) <= len(rooms)), key)


def _placed(model: cp_model.CpModel, data: SchoolData, vars: Variables, slot: Slot,
            classes: dict[int, list[str]]) -> dict[int, cp_model.IntVar]:
    """The slot's open sections split over the classes of rooms that hold them."""
    sid = data.school.id
    most = sum(list(model.proto.variables[u.index].domain)[-1] for u in vars.units(sid, slot))
    need = data.room_need[slot.activity.id]
    split = {holds: model.new_int_var(0, most, f"rooms[{slot.index},{holds}]")
             for holds in classes if holds >= need}
    model.add(total(split.values()) == vars.sections(sid, slot))
    return split


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
