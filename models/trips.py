"""Off-campus visits as trips on dates (SPEC §8.4), solver-free: when a trip could go, who
could take it, which children could go on it.

A trip of a visit leaves school at a dismissal time of its grades on one of its dates,
travels, stays `minutes_at_venue`, travels back, and is back by `latest_end`. Each distinct
dismissal time of the visit's grades that day is one departure a trip may take; children
of grades dismissed later cannot go on it (docs/visits.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .common import Day
from .district import Activity, District, Policy, Provider, School, Student, Teacher


@dataclass(frozen=True)
class Trip:
    """One possible trip: a visit on a date, leaving at `leave`, back at `back`."""

    index: int
    school: str
    activity: Activity
    venue: str
    date: dt.date
    day: Day  # the weekday whose timetable runs that date
    leave: int
    arrive: int  # at the venue
    back: int  # at school again
    grades: frozenset[int]  # grades dismissed by `leave`: they may go
    hours: int  # class hours the trip counts for staff pay

    @property
    def stay(self) -> tuple[int, int]:
        return self.arrive, self.arrive + (self.activity.minutes_at_venue or 0)

    def overlaps(self, start: int, end: int) -> bool:
        return self.leave < end and start < self.back


def visit_allowed(policy: Policy, activity: Activity) -> bool:
    """A visit the school may run: approved, and visits not forbidden by its policy."""
    return activity.is_visit and activity.approved and "visit" not in policy.forbidden_categories


def trip_options(district: District, school: School, policy: Policy) -> list[Trip]:
    """Every trip the school's visits could make: a date, a departure, back in time, the
    venue open for the whole stay."""
    trips: list[Trip] = []
    for activity in school.activities:
        venue = district.venue(activity.venue)
        if venue is None or not visit_allowed(policy, activity):
            continue
        travel = district.travel(school.id, venue.id)
        away = district.trip_minutes(school, activity)
        hours = school.trip_hours(activity, away)
        grades = [g for g in activity.grades if g in school.grades]
        for date in activity.dates:
            day = district.term.timetable_day(date)
            if day is None:
                continue
            for leave in sorted({school.dismissal(g, day) for g in grades}):
                stay = leave + travel, leave + travel + (activity.minutes_at_venue or 0)
                if leave + away > policy.latest_end or not venue.open_for(day, *stay):
                    continue
                going = frozenset(g for g in grades if school.dismissal(g, day) <= leave)
                trips.append(Trip(len(trips), school.id, activity, venue.id, date, day, leave,
                                  stay[0], leave + away, going, hours))
    return trips


def may_go(trip: Trip, student: Student, chose: bool) -> bool:
    """A child may go: chose the visit, of a grade dismissed by then, registered that
    weekday, and not picked up before the group is back."""
    if not chose or student.grade not in trip.grades or trip.day not in student.days:
        return False
    pickup = student.pickup_on(trip.day)
    return pickup is None or pickup >= trip.back


def teacher_may_take(teacher: Teacher, policy: Policy, trip: Trip) -> bool:
    """A teacher with the skill, tied to no provider, with hours to give, free all the trip."""
    if trip.activity.skill not in teacher.skills or teacher.affiliations:
        return False
    if teacher.week_cap(policy) <= 0:
        return False
    return not any(trip.overlaps(*b) for b in teacher.busy.get(trip.day, []))


def provider_may_take(provider: Provider, term_end: dt.date, trip: Trip) -> bool:
    """A vetted provider with the skill serving the school, available all the trip; one
    with named instructors is not sent on trips (docs/visits.md)."""
    if provider.named or not provider.vetted(term_end):
        return False
    if trip.activity.skill not in provider.skills or not provider.serves_school(trip.school):
        return False
    if provider.available is None:
        return True
    windows = provider.available.get(trip.day, [])
    return any(w[0] <= trip.leave and trip.back <= w[1] for w in windows)


def week_of(date: dt.date) -> tuple[int, int]:
    """The ISO week a date falls in (a trip counts among that week's chosen sessions)."""
    year, week, _ = date.isocalendar()
    return year, week
