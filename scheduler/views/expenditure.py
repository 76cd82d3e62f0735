"""The expenditure report in the policy's categories, per school and term (SPEC §2).

Funding is 1,000 yuan per enrolled student per year (`District.budget`), to be spent on
purchased provider services, service items developed or purchased, consumables, staff pay,
and transport and security. The timetable's cost (docs/rules.md decision 6) splits as:
provider sections → purchased services; teacher pay → staff pay; consumables per section
× meetings → consumables. A trip of a visit (SPEC §8.4): its `transport_per_trip` →
transport; its teachers' pay for the trip's class hours → staff pay (a provider's price →
purchased services, as for its weekly groups). The input does not yet carry items or
security, so items is a 0 row with a note saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.solution import SectionOut

from .context import ViewData

CATEGORIES = ("cat_services", "cat_items", "cat_consumables", "cat_staff", "cat_transport")


@dataclass
class Expenditure:
    """One school's term spending by category, against its term budget."""

    school: str
    school_name: str
    enrolled: int
    rate: float
    term_share: float
    budget: float
    amounts: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.amounts.values())

    @property
    def balance(self) -> float:
        return self.budget - self.total

    def share(self, amount: float) -> float:
        return amount / self.budget if self.budget else 0.0


def expenditure(data: ViewData, school_id: str) -> Expenditure:
    """Add up each section of the school into the policy's categories."""
    school = data.schools[school_id]
    policy = data.district.policy_for(school)
    amounts = dict.fromkeys(CATEGORIES, 0.0)
    for section in data.sections_by_school[school_id]:
        meetings = len(data.meeting_dates(section.day))
        activity = data.activity(section)
        amounts["cat_consumables"] += meetings * activity.consumables_per_section
        for staff in section.staff:
            if staff.provider is not None:
                price = data.providers[staff.provider].price_per_class_hour
                amounts["cat_services"] += meetings * price * activity.class_hours
            elif staff.teacher is not None:
                pay = data.teachers[(school_id, staff.teacher)].pay_per_class_hour
                amounts["cat_staff"] += meetings * pay * activity.class_hours
    for trip in data.trips:
        if trip.school == school_id:
            _add_trip(data, trip, amounts)
    return Expenditure(
        school_id, school.name or school_id, school.enrolled, policy.budget_per_student_year,
        policy.term_share, data.district.budget(school), amounts,
    )


def _add_trip(data: ViewData, trip: SectionOut, amounts: dict[str, float]) -> None:
    """One trip: its transport, and each adult's rate × the trip's class hours."""
    amounts["cat_transport"] += data.trip_transport(trip)
    hours = data.trip_hours(trip)
    for staff in trip.staff:
        if staff.provider is not None:
            amounts["cat_services"] += data.providers[staff.provider].price_per_class_hour * hours
        elif staff.teacher is not None:
            pay = data.teachers[(trip.school, staff.teacher)].pay_per_class_hour
            amounts["cat_staff"] += pay * hours


def expenditure_rows(data: ViewData, report: Expenditure) -> list[tuple[str, float, float]]:
    """(label, amount, share of budget) per category, then the total and the balance."""
    labels = data.labels
    rows = [(labels(key), amount, report.share(amount)) for key, amount in report.amounts.items()]
    rows.append((labels("total"), report.total, report.share(report.total)))
    rows.append((labels("balance"), report.balance, report.share(report.balance)))
    return rows


def budget_basis(data: ViewData, report: Expenditure) -> list[tuple[str, str]]:
    """How the budget was reached, in the form a school publishes it."""
    labels = data.labels
    return [
        (labels("school"), f"{report.school_name} ({report.school})"),
        (labels("term"), data.district.term.name),
        (labels("enrolled"), f"{report.enrolled}"),
        (labels("rate"), f"{report.rate:,.0f}"),
        (labels("term_share"), f"{report.term_share:g}"),
        (labels("budget"), f"{report.budget:,.2f}"),
    ]
