"""A re-solve's start: the base timetable's sections whose leader is gone get another one.

`decisions_of` leaves out a base section whose teacher left (or whose provider lost its
contract); its students then have no seat, the start is not a timetable, and CP-SAT must
find one from scratch. Here each such section gets, where one is free, another leader of
the same weekday and start (no overlap, within the day and week caps, a provider within
its instructors), and its students keep their seats: usually a whole timetable again.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from models.instance import SchoolData, Slot
from models.solution import SectionOut

from .model import Decisions, Model

Use = list[tuple[str, int, int, int, int]]  # (day, start, end, sections, class hours)


def substitute(model: Model, values: Decisions, left_out: list[SectionOut]) -> Decisions:
    """`values` with each left-out section given a free leader where there is one."""
    found: Counter[int] = Counter(values)
    instance = model.instance
    by_school = {d.school.id: d for d in instance.schools}
    teachers, providers = _usage(model, found)
    for section in left_out:
        data = by_school.get(section.school)
        if data is None:
            continue
        slot = data.slot_at(section.activity, section.day, section.start)
        if slot is None:
            continue
        var = _free_teacher(model, data, slot, teachers) or _free_provider(
            model, data, slot, providers)
        if var is None:
            continue
        found[var] += 1
        _seat(model, data, slot, section, found)
    return dict(found)


def _usage(model: Model, values: Counter[int]) -> tuple[dict[str, Use], dict[str, Use]]:
    teachers: dict[str, Use] = defaultdict(list)
    providers: dict[str, Use] = defaultdict(list)
    for data in model.instance.schools:
        sid = data.school.id
        for slot in data.slots:
            for t, var in model.vars.teachers_of(sid, slot).items():
                if values.get(var.index):
                    teachers[f"{sid}/{t}"].append(_use(slot, 1))
            for p, var in model.vars.providers_of(sid, slot).items():
                if values.get(var.index):
                    providers[p].append(_use(slot, values[var.index]))
    return teachers, providers


def _use(slot: Slot, units: int) -> tuple[str, int, int, int, int]:
    return slot.day, slot.start, slot.end, units, units * slot.class_hours


def _overlap(uses: Use, slot: Slot) -> Use:
    return [u for u in uses if u[0] == slot.day and u[1] < slot.end and slot.start < u[2]]


def _free_teacher(model: Model, data: SchoolData, slot: Slot,
                  usage: dict[str, Use]) -> int | None:
    for teacher_id, var in model.vars.teachers_of(data.school.id, slot).items():
        key = f"{data.school.id}/{teacher_id}"
        uses = usage[key]
        teacher = data.teacher(teacher_id)
        week = sum(u[4] for u in uses) + slot.class_hours
        day = sum(u[4] for u in uses if u[0] == slot.day) + slot.class_hours
        if not _overlap(uses, slot) and week <= data.week_cap(teacher) and \
                day <= data.day_cap(teacher):
            uses.append(_use(slot, 1))
            return var.index
    return None


def _free_provider(model: Model, data: SchoolData, slot: Slot,
                   usage: dict[str, Use]) -> int | None:
    for provider_id, var in model.vars.providers_of(data.school.id, slot).items():
        busy = sum(u[3] for u in _overlap(usage[provider_id], slot))  # at once, at most
        if busy < model.instance.instructors_free(provider_id, slot):
            usage[provider_id].append(_use(slot, 1))
            return var.index
    return None


def _seat(model: Model, data: SchoolData, slot: Slot, section: SectionOut,
          values: Counter[int]) -> None:
    for student_id in section.students:
        group = data.group_of(student_id)
        seat = None if group is None else model.vars.seats_of(data.school.id, group).get(
            slot.index)
        if seat is not None:
            values[seat.index] += 1
