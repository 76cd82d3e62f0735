"""Name the students of a group of identical students for the seats the model gave it.

The model counts seats per group; a child needs a personal week: no club twice, at most
`max_clubs_per_student_week` clubs, no overlap, and every needed period covered (the
supervised-study fallback fills what clubs leave). For one child that is direct; for
several, a small exact CP-SAT assignment spreads the clubs so as many children as
possible get one of their choices.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from models.common import Day
from models.instance import Group, SchoolData, Slot

from .settings import SolveSettings, make_solver

Seated = dict[int, list[str]]  # slot index -> student ids
SEATING = SolveSettings(time_limit=10, workers=1)


def seat_group(
    data: SchoolData, group: Group, counts: dict[int, int], missing: dict[Day, int],
    cap: int | None = None,
) -> tuple[Seated, list[tuple[str, Day]]]:
    """Seats for each student of the group, and the (student, day)s left unserved.

    `cap` (a re-solve's --max-changes-per-student): each student leaves at most that many
    of the group's base sessions, where the seats allow it."""
    ids = [s.id for s in group.students]
    clubs = {i: n for i, n in counts.items() if not data.slots[i].activity.fallback}
    if len(ids) == 1:
        served = {(ids[0], day): missing.get(day, 0) == 0 for day in group.needs}
        plan = {ids[0]: list(clubs)}
    else:
        try:
            plan, served = _assign_clubs(data, group, ids, clubs, missing, cap)
        except RuntimeError:
            if cap is None:
                raise
            plan, served = _assign_clubs(data, group, ids, clubs, missing)
    seated: Seated = defaultdict(list)
    for student_id, slots in plan.items():
        for index in slots:
            seated[index].append(student_id)
    pool = {i: n for i, n in counts.items() if data.slots[i].activity.fallback}
    _fill_fallback(data, group, ids, plan, served, pool, seated)
    left_out = [(sid, day) for (sid, day), ok in served.items() if not ok]
    return seated, left_out


def _fill_fallback(
    data: SchoolData,
    group: Group,
    ids: list[str],
    plan: dict[str, list[int]],
    served: dict[tuple[str, Day], bool],
    pool: dict[int, int],
    seated: Seated,
) -> None:
    """Each served student's needed periods that no club covers go to supervised study."""
    by_start: dict[tuple[Day, int], list[int]] = defaultdict(list)
    for index in pool:
        by_start[(data.slots[index].day, data.slots[index].start)].append(index)
    for student_id in ids:
        for day, periods in group.needs.items():
            if not served[(student_id, day)]:
                continue
            mine = [data.slots[i] for i in plan[student_id] if data.slots[i].day == day]
            for period in periods:
                if not any(slot.covers(period) for slot in mine):
                    index = _take(by_start[(day, period)], pool)
                    seated[index].append(student_id)


def _take(candidates: list[int], pool: dict[int, int]) -> int:
    for index in candidates:
        if pool[index] > 0:
            pool[index] -= 1
            return index
    raise RuntimeError("supervised-study seats do not add up; the coverage counts failed")


def _assign_clubs(
    data: SchoolData, group: Group, ids: list[str], clubs: dict[int, int], missing: dict[Day, int],
    cap: int | None = None,
) -> tuple[dict[str, list[int]], dict[tuple[str, Day], bool]]:
    model = cp_model.CpModel()
    slots = {i: data.slots[i] for i in clubs}
    take = {(s, i): model.new_bool_var(f"take[{s},{i}]") for s in ids for i in clubs}
    serve = {(s, d): model.new_bool_var(f"serve[{s},{d}]") for s in ids for d in group.needs}
    for i, n in clubs.items():
        model.add(sum(take[(s, i)] for s in ids) == n)
    for day in group.needs:
        model.add(sum(serve[(s, day)] for s in ids) == len(ids) - missing.get(day, 0))
    got_any = []
    for s in ids:
        _personal_rules(model, data, group, s, slots, take, serve)
        if cap is not None and group.base_sessions:
            _cap_moves(model, data, group, s, slots, take, serve, cap)
        got = model.new_bool_var(f"got[{s}]")
        model.add(got <= sum(take[(s, i)] for i in clubs))
        got_any.append(got)
    model.maximize(sum(got_any))
    solver = make_solver(SEATING)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"group {group.index}: seats cannot be given to students")
    plan = {s: [i for i in clubs if solver.value(take[(s, i)])] for s in ids}
    served = {(s, d): bool(solver.value(serve[(s, d)])) for s in ids for d in group.needs}
    return plan, served


def _cap_moves(
    model: cp_model.CpModel, data: SchoolData, group: Group, student: str,
    slots: dict[int, Slot], take: dict, serve: dict, cap: int,
) -> None:
    """At most `cap` base sessions lost: a club not taken again, or a supervised-study
    period now covered by a club (or a day not served)."""
    lost = []
    for activity_id, day, start in group.base_sessions:
        club = [i for i, s in slots.items() if (s.activity.id, s.day, s.start) ==
                (activity_id, day, start)]
        activity = data.school.activity(activity_id)
        if club:
            lost.append(1 - take[(student, club[0])])
        elif activity is not None and activity.fallback and day in group.needs:
            here = model.new_bool_var(f"study-lost[{student},{day},{start}]")
            for i, s in slots.items():
                if s.day == day and s.covers(start):
                    model.add(here >= take[(student, i)])
            model.add(here >= 1 - serve[(student, day)])
            lost.append(here)
        # else: no seat of it for this group at all, a loss nobody can avoid (uncapped)
    model.add(sum(lost) <= cap)


def _personal_rules(
    model: cp_model.CpModel,
    data: SchoolData,
    group: Group,
    student: str,
    slots: dict[int, Slot],
    take: dict,
    serve: dict,
) -> None:
    mine = {i: take[(student, i)] for i in slots}
    by_activity: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for i, var in mine.items():
        by_activity[slots[i].activity.id].append(var)
    for same in by_activity.values():
        model.add(sum(same) <= 1)
    model.add(sum(mine.values()) <= data.policy.max_clubs_per_student_week)
    for day, periods in group.needs.items():
        for period in periods:
            here = [v for i, v in mine.items() if slots[i].day == day and slots[i].covers(period)]
            model.add(sum(here) <= serve[(student, day)])
