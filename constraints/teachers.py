"""H3 teachers: one section at a time, within their own day and week caps, never when busy.

Skill and provider affiliation are respected when the instance offers a teacher slots;
so is the daytime timetable (`busy`), except when explaining: then busy slots are offered
and forbidden here by a named rule per teacher and day, which an explanation can cite.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.variables import Variables
from models.common import Day
from models.instance import Instance, SchoolData, Slot

from .terms import Term, named, total
from .timeline import moments


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    for data in instance.schools:
        for teacher_id, slots in data.teacher_slots.items():
            _one_at_a_time(model, data, vars, teacher_id, slots)
            _caps(model, data, vars, teacher_id, slots)
        for teacher_id, slots in data.busy_slots.items():
            _not_when_busy(model, data, vars, teacher_id, slots)
    return []


def _not_when_busy(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, teacher_id: str, slots: list[Slot]
) -> None:
    by_day: dict[Day, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.day].append(slot)
    for day, day_slots in by_day.items():
        busy = total(teaching(vars, data, teacher_id, s) for s in day_slots)
        named(vars, model.add(busy <= 0), f"teacher-busy[{data.school.id}/{teacher_id}/{day}]")


def teaching(vars: Variables, data: SchoolData, teacher_id: str, slot: Slot) -> cp_model.IntVar:
    return vars.teachers_of(data.school.id, slot)[teacher_id]


def _one_at_a_time(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, teacher_id: str, slots: list[Slot]
) -> None:
    for day, minute, running in moments(slots):
        if len(running) > 1:
            model.add_at_most_one(teaching(vars, data, teacher_id, s) for s in running).with_name(
                f"teacher-overlap[{teacher_id}@{day}-{minute}]"
            )


def _caps(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, teacher_id: str, slots: list[Slot]
) -> None:
    teacher = data.teacher(teacher_id)
    by_day: dict[Day, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.day].append(slot)
    for day, day_slots in by_day.items():
        hours = total(s.class_hours * teaching(vars, data, teacher_id, s) for s in day_slots)
        named(
            vars,
            model.add(hours <= data.day_cap(teacher)),
            f"teacher-day-cap[{data.school.id}/{teacher_id}/{day}]",
        )
    week = total(s.class_hours * teaching(vars, data, teacher_id, s) for s in slots)
    named(
        vars,
        model.add(week <= data.week_cap(teacher)),
        f"teacher-week-cap[{data.school.id}/{teacher_id}]",
    )
