"""Suggested relaxations: how much each rule in the core must give, and whether that alone works.

The size comes from the guarded model: drop the rule's guard, keep every other rule, and
minimise how far the timetable goes past the rule (its excess). The suggestion is then
applied to a copy of the district and the copy is solved again from scratch.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from constraints import Sizing, rule_text
from constraints.common.keys import RuleKey
from constraints.common.words import Fix
from constraints.students.explain import group_of
from models.district import District
from models.instance import Instance, build_instance
from scheduler.solver.model import build_model
from scheduler.solver.settings import SolveSettings, make_solver

from .core import Guarded

__all__ = ["Fix", "apply", "check_alone", "feasible", "size_fix"]


def size_fix(guarded: Guarded, key: RuleKey, keep: list[RuleKey], limit: float) -> Fix:
    """The smallest change to `key`'s rule(s) that lets every rule in `keep` hold."""
    members = guarded.members.get(key, [key])
    fix = Fix(key, list(members))
    sizing = rule_text(members[0].rule).sizing
    if sizing == Sizing.STUDENTS:
        fix.students = sum(group_of(guarded.instance, m).size for m in members)
    elif sizing == Sizing.LINEAR:
        _linear_fix(guarded, fix, members, keep, limit)
    elif sizing == Sizing.MIN_SIZE:
        _size_limit_fix(guarded, fix, members, keep, limit)
    return fix


def _constraints(guarded: Guarded, members: list[RuleKey]) -> list[
        tuple[RuleKey, list[int], list[int], int]]:
    """(fine key, variables, coefficients, upper bound) of the members' linear rules."""
    wanted, found = set(members), []
    proto = guarded.cp.proto  # keep it alive while reading its parts
    for index, key in guarded.model.vars.guarded.items():
        if key in wanted:
            linear = proto.constraints[index].linear
            found.append((key, list(linear.vars), list(linear.coeffs),
                          list(linear.domain)[-1]))  # [-1] on the field misreads
    return found


def _linear_fix(guarded: Guarded, fix: Fix, members: list[RuleKey], keep: list[RuleKey],
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


def _size_limit_fix(guarded: Guarded, fix: Fix, members: list[RuleKey], keep: list[RuleKey],
                    limit: float) -> None:
    """The largest minimum size that works, by bisection on in-model checks."""
    for member in members:
        data = guarded.instance.school_data(member.school)
        activity = next(a for a in data.school.activities if a.id == member.activity)
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
                    keep: list[RuleKey], limit: float) -> bool:
    cp, vars, sid = guarded.cp, guarded.model.vars, data.school.id
    trial = cp.new_bool_var(f"try-min-size[{sid}/{activity}={size}]")
    for slot in data.slots:
        if slot.activity.id == activity and vars.has_staff(sid, slot):
            seated = sum(v for _, v in vars.seats_in(sid, slot))
            cp.add(seated >= size * vars.sections(sid, slot)).only_enforce_if(trial)
    return _solve(guarded, keep, limit, also=[trial]) is not None


def _solve(guarded: Guarded, keep: list[RuleKey], limit: float,
           also: list[cp_model.IntVar] | None = None) -> cp_model.CpSolver | None:
    guarded.cp.clear_assumptions()
    guarded.cp.add_assumptions([guarded.literal[k] for k in keep] + (also or []))
    solver = guarded.solver(limit)
    code = solver.solve(guarded.cp)
    guarded.solves += 1
    return solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


# --- applying a fix to a copy of the district ---------------------------------------------

def apply(district: District, instance: Instance, fix: Fix) -> District:
    """A copy of the district with the fix applied."""
    copy = district.model_copy(deep=True)
    for member in fix.changes or (fix.members if fix.students else []):
        change = rule_text(member.rule).apply
        if change is not None:
            change(copy, instance, member, fix.changes.get(member, 0))
    return copy


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
