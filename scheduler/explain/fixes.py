"""Suggested relaxations: how much each rule in the core must give, and whether that alone works.

The size comes from the guarded model: drop the rule's guard, keep every other rule, and
minimise how far the timetable goes past the rule (its excess). The suggestion is then
applied to a copy of the district and the copy is solved again from scratch.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.district import District, Room
from models.instance import Instance, build_instance
from scheduler.solver.model import build_model
from scheduler.solver.settings import SolveSettings, make_solver

from .core import Guarded
from .keys import fine_key, group_of, parse

LINEAR = {"budget", "teacher-week-cap", "teacher-day-cap", "rooms", "provider-instructors",
          "max-sections-week", "clubs-per-week", "teacher-busy", "provider-window"}


@dataclass
class Fix:
    """A relaxation of one core element: new limits per rule instance, and what it did."""

    key: str
    members: list[str] = field(default_factory=list)  # the fine keys the element stands for
    changes: dict[str, float] = field(default_factory=dict)  # fine key -> new limit
    old: dict[str, float] = field(default_factory=dict)  # fine key -> current limit
    students: int = 0  # coverage: students who cannot be supervised that day
    alone_feasible: bool | None = None  # None: not checked (no time, or no size found)


def size_fix(guarded: Guarded, key: str, keep: list[str], limit: float) -> Fix:
    """The smallest change to `key`'s rule(s) that lets every rule in `keep` hold."""
    members = guarded.members.get(key, [key])
    fix = Fix(key, list(members))
    family = parse(members[0]).family
    if family == "coverage":
        fix.students = sum(group_of(guarded.instance, *parse(m).parts[:2]).size for m in members)
        return fix
    if family in LINEAR:
        _linear_fix(guarded, fix, members, keep, limit)
    elif family == "min-size":
        _size_limit_fix(guarded, fix, members, keep, limit)
    return fix


def _constraints(guarded: Guarded, members: list[str]) -> list[tuple[str, list[int],
                                                                     list[int], int]]:
    """(fine key, variables, coefficients, upper bound) of the members' linear rules."""
    wanted, found = set(members), []
    proto = guarded.cp.proto  # keep it alive while reading its parts
    for ct in proto.constraints:
        if ct.name and ct.enforcement_literal and fine_key(ct.name) in wanted:
            linear = ct.linear
            found.append((fine_key(ct.name) or "", list(linear.vars), list(linear.coeffs),
                          list(linear.domain)[-1]))  # [-1] on the field misreads
    return found


def _linear_fix(guarded: Guarded, fix: Fix, members: list[str], keep: list[str],
                limit: float) -> None:
    cp, parts = guarded.cp, []
    for name, variables, coeffs, upper in _constraints(guarded, members):
        expr = sum(c * cp.get_int_var_from_proto_index(v)
                   for v, c in zip(variables, coeffs, strict=True))
        parts.append((name, expr, upper))
    excess = []
    for name, expr, upper in parts:
        slack = cp.new_int_var(0, 10**13, f"excess[{name}]")
        cp.add(slack >= expr - upper)
        excess.append(slack)
    cp.minimize(sum(excess))
    solver = _solve(guarded, keep, limit)
    cp.clear_objective()
    if solver is None:
        return
    for name, expr, upper in parts:
        value = solver.value(expr)
        if value > upper:
            fix.changes[name] = max(fix.changes.get(name, value), value)
            fix.old[name] = upper


def _size_limit_fix(guarded: Guarded, fix: Fix, members: list[str], keep: list[str],
                    limit: float) -> None:
    """The largest minimum size that works, by bisection on in-model checks."""
    for member in members:
        key = parse(member)
        data = next(d for d in guarded.instance.schools if d.school.id == key.parts[0])
        activity = next(a for a in data.school.activities if a.id == key.parts[1])
        low, high = 0, activity.min_size  # low: works (or 0 = not found); high: fails
        while high - low > 1:
            middle = (low + high) // 2
            if _min_size_works(guarded, data, activity.id, middle, keep, limit):
                low = middle
            else:
                high = middle
        if low:
            fix.changes[member], fix.old[member] = low, activity.min_size


def _min_size_works(guarded: Guarded, data, activity: str, size: int,  # noqa: ANN001
                    keep: list[str], limit: float) -> bool:
    cp, vars, sid = guarded.cp, guarded.model.vars, data.school.id
    trial = cp.new_bool_var(f"try-min-size[{sid}/{activity}={size}]")
    for slot in data.slots:
        if slot.activity.id == activity and vars.has_staff(sid, slot):
            seated = sum(v for _, v in vars.seats_in(sid, slot))
            cp.add(seated >= size * vars.sections(sid, slot)).only_enforce_if(trial)
    guarded.literal[trial.name] = trial
    return _solve(guarded, [*keep, trial.name], limit) is not None


def _solve(guarded: Guarded, keep: list[str], limit: float) -> cp_model.CpSolver | None:
    guarded.cp.clear_assumptions()
    guarded.cp.add_assumptions([guarded.literal[k] for k in keep])
    solver = guarded.solver(limit)
    code = solver.solve(guarded.cp)
    guarded.solves += 1
    return solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


# --- applying a fix to a copy of the district ---------------------------------------------

def apply(district: District, instance: Instance, fix: Fix) -> District:
    """A copy of the district with the fix applied."""
    copy = district.model_copy(deep=True)
    for member in fix.changes or (fix.members if fix.students else []):
        _apply_one(copy, instance, member, fix.changes.get(member, 0))
    return copy


def _apply_one(district: District, instance: Instance, member: str, value: float) -> None:
    key = parse(member)
    family, parts = key.family, key.parts
    if family == "provider-window":  # available all that day
        provider = next(p for p in district.providers if p.id == parts[0])
        provider.available = {**(provider.available or {}), parts[1]: [(0, 24 * 60 - 1)]}  # type: ignore[dict-item]
        return
    if family == "provider-instructors":
        provider = next(p for p in district.providers if p.id == key.body.split("@")[0])
        provider.instructors = int(value)
        return
    school = district.school(parts[0])
    if family == "budget":
        share = district.policy_for(school).term_share or 1.0
        school.policy.term_share = share
        school.policy.budget_per_student_year = math.ceil(value / 100 / share /
                                                          school.enrolled * 100 + 1) / 100
    elif family == "teacher-week-cap":
        _teacher(school, parts[1]).max_class_hours_week = int(value)
    elif family == "teacher-day-cap":
        _teacher(school, parts[1]).max_class_hours_day = int(value)
    elif family == "teacher-busy":  # free the teacher's daytime timetable that day
        _teacher(school, parts[1]).busy.pop(parts[2], None)  # type: ignore[arg-type]
    elif family == "rooms":
        _add_rooms(school, key.body, int(value))
    elif family == "max-sections-week":
        _activity(school, parts[1]).max_sections_week = int(value)
    elif family == "clubs-per-week":
        school.policy.max_clubs_per_student_week = math.ceil(value / _group_size(
            instance, parts[0], parts[1]))
    elif family == "min-size":
        _activity(school, parts[1]).min_size = int(value)
    elif family == "coverage":
        group = group_of(instance, parts[0], parts[1])
        ids = {s.id for s in group.students}
        for student in school.students:
            if student.id in ids:
                student.days = [d for d in student.days if d != parts[2]]


def _teacher(school, teacher_id: str):  # noqa: ANN001, ANN202
    return next(t for t in school.teachers if t.id == teacher_id)


def _activity(school, activity_id: str):  # noqa: ANN001, ANN202
    return next(a for a in school.activities if a.id == activity_id)


def _group_size(instance: Instance, school: str, tag: str) -> int:
    return group_of(instance, school, tag).size


def _add_rooms(school, body: str, needed: int) -> None:  # noqa: ANN001
    """`needed` rooms of the type and size at that moment: add the ones missing."""
    head, _, rest = body.partition(">=")
    room_type = head.split("/", 1)[1]
    capacity = int(rest.split("@")[0])
    have = sum(1 for r in school.rooms if r.type == room_type and r.capacity >= capacity)
    biggest = max((r.capacity for r in school.rooms if r.type == room_type), default=capacity)
    for n in range(max(0, needed - have)):
        school.rooms.append(Room.model_validate({"id": f"extra-{room_type}-{n + 1}",
                                                 "type": room_type,
                                                 "capacity": max(biggest, capacity)}))


def feasible(district: District, limit: float, settings: SolveSettings) -> bool | None:
    """Solve a district from scratch (no objective): True, False, or None when undecided."""
    model = build_model(build_instance(district))
    model.cp.clear_objective()
    solver = make_solver(settings.limited(limit, workers=1))
    code = solver.solve(model.cp)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if code == cp_model.INFEASIBLE else None


def check_alone(district: District, guarded: Guarded, fix: Fix, deadline: float) -> None:
    """Apply the fix alone to a copy of the (whole) district and solve it again."""
    if not fix.changes and not fix.students:
        return
    left = deadline - time.perf_counter()
    if left < 0.5:
        return
    fixed = apply(district, guarded.instance, fix)
    fix.alone_feasible = feasible(fixed, min(guarded.solve_limit, left), guarded.settings)
