"""H3 teachers: one section at a time, within their own day and week caps, never when busy.

Skill and provider affiliation are respected when the instance offers a teacher slots;
so is the daytime timetable (`busy`), except when explaining: then busy slots are offered
and forbidden here by a named rule per teacher and day, which an explanation can cite
(likewise an affiliation, and a missing skill for a fallback activity, with `relax_staff`).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.common.keys import Rule, RuleKey
from constraints.common.terms import Term, named, total
from constraints.common.timeline import moments
from constraints.common.variables import Variables
from models.common import Day
from models.instance import Instance, SchoolData, Slot


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    for data in instance.schools:
        for teacher_id, slots in data.teacher_slots.items():
            _one_at_a_time(model, data, vars, teacher_id, slots)
            _caps(model, data, vars, teacher_id, slots)
        for teacher_id, slots in data.busy_slots.items():
            _not_when_busy(model, data, vars, teacher_id, slots)
        _not_the_person(model, data, vars)
    return []


def _not_the_person(model: cp_model.CpModel, data: SchoolData, vars: Variables) -> None:
    """Explaining only: a missing skill and an affiliation as named rules (see the doc)."""
    sid = data.school.id
    for teacher_id, slots in data.unskilled.items():
        by_activity: dict[str, list[Slot]] = defaultdict(list)
        for slot in slots:
            by_activity[slot.activity.id].append(slot)
        for activity, some in by_activity.items():
            sections = total(teaching(vars, data, teacher_id, s) for s in some)
            named(vars, model.add(sections <= 0),
                  RuleKey(Rule.TEACHER_SKILL, sid, who=teacher_id, activity=activity))
    for teacher_id, slots in data.affiliated.items():
        sections = total(teaching(vars, data, teacher_id, s) for s in slots)
        named(vars, model.add(sections <= 0), RuleKey(Rule.TEACHER_AFFILIATED, sid, who=teacher_id))


def _not_when_busy(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, teacher_id: str, slots: list[Slot]
) -> None:
    by_day: dict[Day, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.day].append(slot)
    for day, day_slots in by_day.items():
        busy = total(teaching(vars, data, teacher_id, s) for s in day_slots)
        named(
            vars,
            model.add(busy <= 0),
            RuleKey(Rule.TEACHER_BUSY, data.school.id, who=teacher_id, day=day),
        )


def teaching(vars: Variables, data: SchoolData, teacher_id: str, slot: Slot) -> cp_model.IntVar:
    return vars.teachers_of(data.school.id, slot)[teacher_id]


def _one_at_a_time(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, teacher_id: str, slots: list[Slot]
) -> None:
    for day, minute, running in moments(slots):
        if len(running) > 1:
            model.add_at_most_one(teaching(vars, data, teacher_id, s) for s in running).with_name(
                str(
                    RuleKey(
                        Rule.TEACHER_OVERLAP, data.school.id, who=teacher_id, day=day, minute=minute
                    )
                )
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
            RuleKey(Rule.TEACHER_DAY_CAP, data.school.id, who=teacher_id, day=day),
        )
    week = total(s.class_hours * teaching(vars, data, teacher_id, s) for s in slots)
    named(
        vars,
        model.add(week <= data.week_cap(teacher)),
        RuleKey(Rule.TEACHER_WEEK_CAP, data.school.id, who=teacher_id),
    )
