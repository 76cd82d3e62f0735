"""A bound in students: at most how many students with choices can get one of them.

A relaxation solved as a maximum flow per school (docs/solver.md "A bound in students"):
source → group of identical students (capacity: its size) → each slot of a chosen
activity the group may sit in (the model's seat variables: grade, registered day, needed
period, end by pick-up) → the slot's activity (capacity: the slot's seats, room size × the
sections it can open, limited by staff units and fitting rooms; or, for a visit, each trip
the group could go on, capacity `max_size`) → sink (capacity: room size ×
`max_sections_week`, when set). Every timetable sends one unit per matched student along one
of their chosen sections, within these capacities, so the flow's maximum is never below the
students any timetable matches. Left out (so the bound may be loose): `min_size`, clashes
between slots for teachers, rooms and providers, budget, and the rest of a student's week.
Where the time allows, the strengthened linear relaxation of the whole model
(`scheduler.solver.relaxation`) takes those in, and the smaller bound is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.graph.python import max_flow

from constraints.common.variables import Variables
from models.instance import Instance, SchoolData, Slot
from models.solution import Kpis

from .relaxation import Relaxed, bound_count, relax


@dataclass(frozen=True)
class ChoiceBound:
    """Per school and in all: students with choices, and at most how many get one."""

    with_choices: int
    reachable: int

    @property
    def share(self) -> float:
        return self.reachable / self.with_choices if self.with_choices else 0.0


def choice_bound(vars: Variables, linear: float = 0.0, fewest_unmatched: int = 0,
                 relaxed: Relaxed | None = None) -> ChoiceBound:
    """The flow's bound; given `linear` seconds, or the relaxation already `relaxed`,
    also the strengthened linear relaxation of the whole model
    (scheduler.solver.relaxation); given `fewest_unmatched`, students with choices a
    search of the model proved get none at least (its matching phase); the smallest."""
    with_choices = vars.instance.with_choices
    reachable = sum(_school_bound(data, vars) for data in vars.instance.schools)
    if relaxed is None and linear > 0:
        relaxed = relax(vars, linear)
    unmatched = None if relaxed is None else relaxed.unmatched
    if unmatched is not None:
        reachable = min(reachable, bound_count(with_choices, unmatched))
    return with_fewest(ChoiceBound(with_choices, reachable), fewest_unmatched)


# The relaxation took 2.2 s on 600-student schools (12,400 variables) and 44-74 s on a
# 3,000-student one (66,700): docs/solver.md. It may take half as long again as the search
# was given (a 60 s search of the 3,000-student school overran a 60 s allowance once in
# three and wrote the flow's bound, 11 points looser), up to two minutes; a solve given
# less than 10 s (a district's many short parts) keeps to the flow, and so does a model
# larger than any measured.
LINEAR_BOUND_SECONDS = 10.0
LINEAR_BOUND_SHARE = 1.5
LINEAR_BOUND_MOST_SECONDS = 120.0
LINEAR_BOUND_VARIABLES = 100_000


def plain(instance: Instance) -> bool:
    """A bound of the model bounds what the user asked about only for a plain solve: a
    part of a district (capacity reserved by its other parts) or a re-solve from a base
    is searched under rules of the moment, which the district's or the user's bound must
    not keep."""
    return instance.base is None and not instance.reserved


def with_fewest(bound: ChoiceBound, fewest_unmatched: int) -> ChoiceBound:
    """`bound`, tightened by students with choices a search proved get none at least."""
    reachable = min(bound.reachable, bound.with_choices - fewest_unmatched)
    return ChoiceBound(bound.with_choices, reachable)


def linear_bound_seconds(instance: Instance, time_limit: float, variables: int) -> float:
    """How long the relaxation may take (0: not at all; only for a plain solve)."""
    if (time_limit < LINEAR_BOUND_SECONDS or variables > LINEAR_BOUND_VARIABLES
            or not plain(instance)):
        return 0.0
    return min(time_limit * LINEAR_BOUND_SHARE, LINEAR_BOUND_MOST_SECONDS)


def _slot_sections(data: SchoolData, vars: Variables, slot: Slot) -> int:
    """Most sections the slot can open: one per staff unit, one per fitting room."""
    sid = data.school.id
    units = len(vars.teachers_of(sid, slot)) + sum(
        data_instructors for data_instructors in _provider_caps(vars, sid, slot))
    need = data.room_need[slot.activity.id]
    rooms = sum(1 for r in data.school.rooms
                if r.type == slot.activity.room_type and r.capacity >= need)
    return min(units, rooms)


def _provider_caps(vars: Variables, sid: str, slot: Slot) -> list[int]:
    return [vars.instance.providers[p].instructor_count for p in vars.providers_of(sid, slot)]


def _school_bound(data: SchoolData, vars: Variables) -> int:
    sid = data.school.id
    flow = _Flow()
    activity_seats: dict[str, int] = {}
    linked: set[tuple[str, int]] = set()  # slots and trips with their arc to the activity
    for group in data.groups:
        if not group.has_choices:
            continue
        flow.arc("source", ("group", group.index), group.size)
        for index in vars.seats_of(sid, group):
            slot = data.slots[index]
            if slot.activity.fallback or slot.activity.id not in group.ranks:
                continue
            flow.arc(("group", group.index), ("slot", index), group.size)
            if ("slot", index) not in linked:
                linked.add(("slot", index))
                seats = data.room_need[slot.activity.id] * _slot_sections(data, vars, slot)
                flow.arc(("slot", index), ("activity", slot.activity.id), seats)
                limit = slot.activity.max_sections_week
                if limit is not None:
                    activity_seats[slot.activity.id] = data.room_need[slot.activity.id] * limit
        for index in vars.trips_of(sid, group):  # a trip of a chosen visit
            trip = data.trips[index]
            flow.arc(("group", group.index), ("trip", index), group.size)
            if ("trip", index) not in linked:
                linked.add(("trip", index))
                flow.arc(("trip", index), ("activity", trip.activity.id),
                         trip.activity.max_size)
    unbounded = sum(g.size for g in data.groups)  # more than any flow through one activity
    for node in list(flow.nodes):
        if isinstance(node, tuple) and node[0] == "activity":
            flow.arc(node, "sink", activity_seats.get(node[1], unbounded))
    return flow.maximum("source", "sink")


class _Flow:
    """A maximum flow on named nodes, by OR-Tools' C++ push-relabel (networkx's took 0.5 s
    on a 1,500-student school, once per solve)."""

    def __init__(self) -> None:
        self.nodes: dict[object, int] = {}
        self.solver = max_flow.SimpleMaxFlow()

    def node(self, name: object) -> int:
        return self.nodes.setdefault(name, len(self.nodes))

    def arc(self, tail: object, head: object, capacity: int) -> None:
        self.solver.add_arc_with_capacity(self.node(tail), self.node(head), capacity)

    def maximum(self, source: object, sink: object) -> int:
        if source not in self.nodes or sink not in self.nodes:
            return 0
        status = self.solver.solve(self.nodes[source], self.nodes[sink])
        if status != self.solver.OPTIMAL:
            raise RuntimeError(f"maximum flow failed with status {status}")
        return int(self.solver.optimal_flow())


def with_bound(kpis: Kpis, bound: ChoiceBound) -> Kpis:
    """The KPIs with `any_choice_share_bound` (never below the share reached)."""
    share = max(bound.share, kpis.any_choice_share)
    # Six digits, rounded up: rounded to nearest, 0.88844621 (223 of 251) was written
    # 0.888446, under the share reached.
    written = math.ceil(share * 1e6 - 1e-6) / 1e6
    return kpis.model_copy(update={"any_choice_share_bound": written})


def more_students(kpis: Kpis) -> int | None:
    """How many more students with choices could at most get one, from the bound."""
    if kpis.any_choice_share_bound is None:
        return None
    gap = (kpis.any_choice_share_bound - kpis.any_choice_share) * kpis.students_with_choices
    return max(0, round(gap))


def bound_sentence(kpis: Kpis, language: str = "zh") -> str | None:
    """The bound in a school's words, or None when there is no bound."""
    more = more_students(kpis)
    if more is None:
        return None
    if language == "en":
        if more == 0:
            return ("No timetable could give more students one of their choices: every "
                    "student who can get one has one.")
        return (f"At most {more} more students could get one of their choices (an upper "
                "bound: no timetable keeping the rules gives more); a longer run can close "
                "only part of that.")
    if more == 0:
        return "没有任何课表能让更多学生得到所选活动：能得到的学生都已得到。"
    return (f"最多还能再让 {more} 名学生得到所选活动之一（上界：任何符合规则的课表都不会更多）；"
            "延长求解时间至多只能缩小其中一部分差距。")
