"""H7 budget: a school's term cost stays within its after-school budget.

Cost = Σ sections × meetings in the term × (staff rate × class hours + consumables)
+ Σ trips (transport + each adult's rate × the trip's class hours); counted in fen
(1/100 yuan), each coefficient rounded up so the true cost never exceeds what the model
allows.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.common.keys import Rule, RuleKey
from constraints.common.terms import Term, named, rounded_down, rounded_up, total
from constraints.common.variables import Variables
from models.instance import Instance, SchoolData, Slot


def section_cost(data: SchoolData, slot: Slot, rate: float) -> float:
    """Yuan one section of the slot costs over the term."""
    meetings = data.meetings[slot.day]
    return meetings * slot.activity.meeting_cost(rate)


def cost_fen(instance: Instance, data: SchoolData, vars: Variables) -> cp_model.LinearExprT:
    """The school's term cost in fen, rounded up per staff unit."""
    sid, parts = data.school.id, []
    for slot in data.slots:
        for teacher_id, var in vars.teachers_of(sid, slot).items():
            rate = data.teacher(teacher_id).pay_per_class_hour
            parts.append(rounded_up(100 * section_cost(data, slot, rate)) * var)
        for provider_id, var in vars.providers_of(sid, slot).items():
            rate = instance.providers[provider_id].price_per_class_hour
            parts.append(rounded_up(100 * section_cost(data, slot, rate)) * var)
    return total([*parts, *_trip_fen(instance, data, vars)])


def _trip_fen(instance: Instance, data: SchoolData, vars: Variables) -> list[cp_model.LinearExprT]:
    """Each trip that goes: its transport, and its adults' pay for the trip's class hours."""
    parts: list[cp_model.LinearExprT] = []
    for trip in vars.trips(data):
        fare = trip.activity.trip_cost([], trip.hours)
        parts.append(rounded_up(100 * fare) * vars.trip_open(trip))
        for teacher_id, var in vars.trip_teachers(trip).items():
            pay = data.teacher(teacher_id).pay_per_class_hour * trip.hours
            parts.append(rounded_up(100 * pay) * var)
        for provider_id, var in vars.trip_providers(trip).items():
            pay = instance.providers[provider_id].price_per_class_hour * trip.hours
            parts.append(rounded_up(100 * pay) * var)
    return parts


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    for data in instance.schools:
        limit = rounded_down(100 * data.budget)
        named(
            vars,
            model.add(cost_fen(instance, data, vars) <= limit),
            RuleKey(Rule.BUDGET, data.school.id),
        )
    return []
