"""Together (soft): students with one `together` label sit in one section of each club
they both attend; costs `weights.together` per pair and club they are split in.

The model sees slots, not sections: a pair in one slot counts as kept, and extraction
then keeps them in one section where the sizes allow. So the model's count never
exceeds the timetable's, and CP-SAT's bound still bounds the true score.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from ortools.sat.python import cp_model

from constraints.common.keys import TermName
from constraints.common.terms import SCALE, Term, total
from constraints.common.variables import Variables
from models.instance import Group, Instance, SchoolData


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    terms: list[Term] = []
    for data in instance.schools:
        weight = data.policy.weights.together
        if not weight:
            continue
        splits = [split for first, second in _pairs(data)
                  for split in _splits(model, data, vars, first, second)]
        if splits:
            terms.append(Term(TermName.TOGETHER, -total(splits), weight * SCALE))
    return terms


def _pairs(data: SchoolData) -> list[tuple[Group, Group]]:
    """Pairs of (one-student) groups sharing a label; groups of many take no club."""
    labels: dict[str, list[Group]] = defaultdict(list)
    for group in data.groups:
        if group.together and group.size == 1:
            labels[group.together].append(group)
    return [pair for members in labels.values() for pair in combinations(members, 2)]


def _splits(model: cp_model.CpModel, data: SchoolData, vars: Variables, first: Group,
            second: Group) -> list[cp_model.IntVar]:
    """One 0/1 per club both may take: 1 when both attend it but in different slots."""
    sid = data.school.id
    mine, theirs = vars.seats_of(sid, first), vars.seats_of(sid, second)
    shared = {*first.ranks, *first.assigned} & {*second.ranks, *second.assigned}
    splits = []
    for activity_id in sorted(shared):
        a = {i: v for i, v in mine.items() if data.slots[i].activity.id == activity_id}
        b = {i: v for i, v in theirs.items() if data.slots[i].activity.id == activity_id}
        if not a or not b:
            continue
        same = []
        for index in sorted(set(a) & set(b)):
            both = model.new_bool_var(f"together[{sid}/g{first.index}/g{second.index}/{index}]")
            model.add(both <= a[index])
            model.add(both <= b[index])
            same.append(both)
        split = model.new_bool_var(f"split[{sid}/g{first.index}/g{second.index}/{activity_id}]")
        attend = cp_model.LinearExpr.sum([*a.values(), *b.values()])
        model.add(split + cp_model.LinearExpr.sum(same) >= attend - 1)
        splits.append(split)
    return splits
