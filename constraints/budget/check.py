"""H7 budget: a school spends no more in the term than its after-school budget."""

from __future__ import annotations

from collections.abc import Iterator

from constraints.common.context import Context, Placed
from constraints.common.report import Violation
from models.district import School


def section_cost(ctx: Context, placed: Placed) -> float:
    """Term cost of a group: meetings × (staff rate × class hours + consumables)."""
    rate = sum(t.pay_per_class_hour for t in placed.teachers)
    rate += sum(p.price_per_class_hour for p in placed.providers)
    meetings = ctx.meetings(placed.day)
    return meetings * (rate * placed.hours + placed.activity.consumables_per_section)


def trip_cost(ctx: Context, trip: Placed) -> float:
    """One trip: transport, and each adult's rate × the trip's class hours."""
    rates = [t.pay_per_class_hour for t in trip.teachers]
    rates += [p.price_per_class_hour for p in trip.providers]
    away = ctx.district.trip_minutes(trip.school, trip.activity)
    return trip.activity.trip_cost(rates, trip.school.trip_hours(trip.activity, away))


def school_cost(ctx: Context, school: School) -> float:
    weekly = sum(section_cost(ctx, p) for p in ctx.placed if p.school.id == school.id)
    return weekly + sum(trip_cost(ctx, t) for t in ctx.trips if t.school.id == school.id)


def check(ctx: Context) -> Iterator[Violation]:
    for school in ctx.district.schools:
        cost, budget = school_cost(ctx, school), ctx.district.budget(school)
        if cost > budget + 1e-6:
            yield Violation("H7", f"{school.id} {school.name}: the timetable costs {cost:,.2f} "
                            f"yuan this term, the budget is {budget:,.2f}", None)
