"""H5 students: supervised through their whole service window, within their choices.

Each needed period of a registered day is covered by exactly one section (a chosen club
or the fallback), so there is no gap and no overlap; a student takes any one club at most
once a week and at most `max_clubs_per_student_week` club sessions. With `best_effort`,
students left unsupervised on a day are counted (and cost `uncovered_student_day`).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.common.keys import Rule, RuleKey, TermName
from constraints.common.terms import SCALE, Term, named, total
from constraints.common.variables import Variables
from models.instance import Group, Instance, SchoolData, Slot


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    terms: list[Term] = []
    for data in instance.schools:
        for group in data.groups:
            _coverage(model, data, vars, group)
            _club_limits(model, data, vars, group)
        unserved = [vars.unserved(data.school.id, g, d) for g in data.groups for d in g.needs]
        weight = data.policy.weights.uncovered_student_day
        if data.policy.coverage == "best_effort" and weight:
            terms.append(Term(TermName.UNCOVERED_STUDENT_DAY, -total(unserved), weight * SCALE))
    return terms


def _coverage(model: cp_model.CpModel, data: SchoolData, vars: Variables, group: Group) -> None:
    sid = data.school.id
    by_day: dict[str, list[tuple[Slot, cp_model.IntVar]]] = defaultdict(list)
    for index, var in vars.seats_of(sid, group).items():
        by_day[data.slots[index].day].append((data.slots[index], var))
    for day, periods in group.needs.items():
        served = group.size - vars.unserved(sid, group, day)
        for period in periods:
            covering = [var for slot, var in by_day[day] if slot.covers(period)]
            named(
                vars,
                model.add(total(covering) == served),
                RuleKey(Rule.COVERAGE, sid, group=group.index, day=day, minute=period),
            )


def _club_limits(model: cp_model.CpModel, data: SchoolData, vars: Variables, group: Group) -> None:
    seats = vars.seats_of(data.school.id, group)
    clubs = {i: v for i, v in seats.items() if not data.slots[i].activity.fallback}
    for activity_id in {*group.ranks, *group.assigned}:
        same = [v for i, v in clubs.items() if data.slots[i].activity.id == activity_id]
        if len(same) > 1:
            model.add(total(same) <= group.size)
    if clubs:
        limit = data.policy.max_clubs_per_student_week * group.size
        named(
            vars,
            model.add(total(clubs.values()) <= limit),
            RuleKey(Rule.CLUBS_PER_WEEK, data.school.id, group=group.index),
        )
