"""Changes against a base timetable (soft): the CP-SAT part of a minimal-change re-solve.

Costs `change_section` per section change and `change_student` per session a student is
moved out of (constraints/changes/diff.py defines both). Per activity, the changes are
max(base staff units lost, new staff units added) over (slot, staff); rooms are given
after the search (extract keeps a kept section's room), so a room change is not seen
here: the model's score is never below the timetable's, and its bound stays valid.
Students group by their base sessions (models.instance), so a group's moves out of a
base slot are its size less its seats there. `--keep` pins become hard constraints.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ortools.sat.python import cp_model

from constraints.common.keys import TermName
from constraints.common.terms import SCALE, Term, total
from constraints.common.variables import Variables
from models.instance import BaseTimetable, Instance, SchoolData, Slot

StaffKey = tuple[str, str]  # ("t", teacher id) or ("p", provider id)


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    base = instance.base
    if base is None:
        return []
    terms: list[Term] = []
    for data in instance.schools:
        weights = data.policy.weights
        sections = _section_changes(model, data, vars, base)
        students = _student_moves(model, data, vars, base)
        terms.append(Term(TermName.CHANGE_SECTION, -sections, weights.change_section * SCALE))
        terms.append(Term(TermName.CHANGE_STUDENT, -students, weights.change_student * SCALE))
    return terms


def _staff_vars(vars: Variables, data: SchoolData, slot: Slot) -> dict[StaffKey, cp_model.IntVar]:
    sid = data.school.id
    found = {("t", t): v for t, v in vars.teachers_of(sid, slot).items()}
    found.update({("p", p): v for p, v in vars.providers_of(sid, slot).items()})
    return found


def base_units(data: SchoolData, base: BaseTimetable) -> Counter[tuple[str, str, int, StaffKey]]:
    units: Counter[tuple[str, str, int, StaffKey]] = Counter()
    for section in base.solution.sections:
        if section.school == data.school.id and section.date is None:  # trips: not kept
            for ref in section.staff:
                who: StaffKey = ("t", ref.teacher) if ref.teacher else ("p", ref.provider or "")
                units[(section.activity, section.day, section.start, who)] += 1
    return units


def _section_changes(model: cp_model.CpModel, data: SchoolData, vars: Variables,
                     base: BaseTimetable) -> cp_model.LinearExprT:
    units = base_units(data, base)
    lost: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
    added: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
    seen: set[tuple[str, str, int, StaffKey]] = set()
    for slot in data.slots:
        for who, var in _staff_vars(vars, data, slot).items():
            key: tuple[str, str, int, StaffKey] = (slot.activity.id, slot.day, slot.start, who)
            had = units.get(key, 0)
            seen.add(key)
            if had == 0:
                added[slot.activity.id].append(var)
                continue
            lost[slot.activity.id].append(_excess(model, had, var, "lost"))
            added[slot.activity.id].append(_excess(model, var, had, "added"))
            _keep_staff_time(model, base, var, had)
    for key, had in units.items():
        if key not in seen:  # its staff cannot lead it any more (left, or no longer able)
            lost[key[0]].append(had)
    _keep_time(model, data, vars, base, units)
    _keep_staff(model, data, vars, base, units)
    changes = []
    for activity in set(lost) | set(added):
        change = model.new_int_var(0, 10_000, f"changes[{data.school.id}/{activity}]")
        model.add(change >= total(lost[activity]))
        model.add(change >= total(added[activity]))
        changes.append(change)
    return total(changes)


def _excess(model: cp_model.CpModel, high: cp_model.LinearExprT,
            low: cp_model.LinearExprT, what: str) -> cp_model.LinearExprT:
    """max(0, high − low) for a staff unit against its base count."""
    difference = cp_model.LinearExpr.weighted_sum([high, low], [1, -1])
    if isinstance(high, int) and high == 1 and not isinstance(low, int):
        return difference  # a teacher's 0/1 against one base unit: never negative
    excess = model.new_int_var(0, 1_000, what)
    model.add(excess >= difference)
    return excess


def _keep_staff_time(model: cp_model.CpModel, base: BaseTimetable, var: cp_model.IntVar,
                     had: int) -> None:
    if {"staff", "time"} <= base.keep:
        model.add(var >= had)


def _keep_time(model: cp_model.CpModel, data: SchoolData, vars: Variables, base: BaseTimetable,
               units: Counter[tuple[str, str, int, StaffKey]]) -> None:
    """`--keep time`: every base section's weekday and start still hold as many sections."""
    if "time" not in base.keep:
        return
    slots = data.slot_index()
    per_slot: Counter[tuple[str, str, int]] = Counter()
    for (activity, day, start, who), count in units.items():
        slot = slots.get((activity, day, start))
        if slot is not None and who in _staff_vars(vars, data, slot):
            per_slot[(activity, day, start)] += count  # a leader who left pins nothing
    for key, count in per_slot.items():
        slot = slots.get(key)
        if slot is not None and vars.has_staff(data.school.id, slot):
            model.add(vars.sections(data.school.id, slot) >= count)


def _keep_staff(model: cp_model.CpModel, data: SchoolData, vars: Variables, base: BaseTimetable,
                units: Counter[tuple[str, str, int, StaffKey]]) -> None:
    """`--keep staff` (time free): each leader keeps as many sections of the activity."""
    if "staff" not in base.keep or "time" in base.keep:
        return
    wanted: Counter[tuple[str, StaffKey]] = Counter()
    for (activity, _, _, who), count in units.items():
        wanted[(activity, who)] += count
    options: dict[tuple[str, StaffKey], list[cp_model.IntVar]] = defaultdict(list)
    for slot in data.slots:
        for who, var in _staff_vars(vars, data, slot).items():
            options[(slot.activity.id, who)].append(var)
    for key, count in wanted.items():
        if options.get(key):
            model.add(total(options[key]) >= count)


def _whole_slots(data: SchoolData, vars: Variables,
                 units: Counter[tuple[str, str, int, StaffKey]]) -> set[tuple[str, str, int]]:
    """Base times whose every leader may still lead there: only there can `--keep students`
    hold a section's students (a leader gone takes seats with them)."""
    slots = data.slot_index()
    gone = {(a, d, s) for (a, d, s, who) in units
            if (a, d, s) not in slots or who not in _staff_vars(vars, data, slots[(a, d, s)])}
    return {(a, d, s) for (a, d, s, _) in units} - gone


def _student_moves(model: cp_model.CpModel, data: SchoolData, vars: Variables,
                   base: BaseTimetable) -> cp_model.LinearExprT:
    """Σ over groups and their base sessions of students not seated there again."""
    slots = data.slot_index()
    whole = _whole_slots(data, vars, base_units(data, base))
    moves: list[cp_model.LinearExprT] = []
    for group in data.groups:
        seats = vars.seats_of(data.school.id, group)
        lost: list[cp_model.LinearExprT] = []
        for session in group.base_sessions:
            slot = slots.get(session)
            seat = seats.get(slot.index) if slot is not None else None
            if seat is None:
                moves.append(group.size)  # cannot be held for them any more (uncapped)
                continue
            lost.append(group.size - seat)
            if "students" in base.keep and session in whole:
                model.add(seat == group.size)
        cap = base.max_changes_per_student
        if cap is not None and lost:
            model.add(total(lost) <= cap * group.size)
        moves += lost
    return total(moves)
