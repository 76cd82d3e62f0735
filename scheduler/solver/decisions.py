"""A timetable read back as model decisions: to start a search from it, or to hold parts of it.

A section names its school, activity, weekday, start and staff; each student in it sits in
the slot through their group. Sections the model cannot place (the input changed: a
teacher left, an activity was removed) are returned apart, so the caller can say so.
"""

from __future__ import annotations

from collections import Counter

from models.instance import SchoolData, Slot
from models.solution import SectionOut, Solution

from .model import Decisions, Model


def decisions_of(model: Model, solution: Solution) -> tuple[Decisions, list[SectionOut]]:
    """Staff units and seats of the solution by variable index, and the sections left out."""
    values: Counter[int] = Counter()
    left_out: list[SectionOut] = []
    by_school = {data.school.id: data for data in model.instance.schools}
    for section in solution.sections:
        if section.date is not None:
            continue  # a trip of a visit: planned afresh (docs/visits.md)
        data = by_school.get(section.school)
        placed = data is not None and _place(model, data, section, values)
        if not placed:
            left_out.append(section)
    return dict(values), left_out


def _place(model: Model, data: SchoolData, section: SectionOut, values: Counter[int]) -> bool:
    slot = data.slot_at(section.activity, section.day, section.start)
    if slot is None:
        return False
    staff = _staff_var(model, data, slot, section)
    if staff is None:
        return False
    values[staff] += 1
    for student_id in section.students:
        group = data.group_of(student_id)
        seat = None if group is None else model.vars.seats_of(data.school.id, group).get(slot.index)
        if seat is not None:
            values[seat.index] += 1
    return True


def _staff_var(model: Model, data: SchoolData, slot: Slot, section: SectionOut) -> int | None:
    sid = data.school.id
    for ref in section.staff:
        if ref.teacher is not None and ref.teacher in model.vars.teachers_of(sid, slot):
            return model.vars.teachers_of(sid, slot)[ref.teacher].index
        if ref.provider is not None and ref.provider in model.vars.providers_of(sid, slot):
            return model.vars.providers_of(sid, slot)[ref.provider].index
    return None
