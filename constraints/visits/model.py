"""Visits: off-campus trips on dates (SPEC §8.4), beside the weekly timetable.

A trip goes with between `min_size` and `max_size` children who chose the visit (never
more than the venue holds at once, across every trip there), one adult per
`students_per_staff` of them; a child goes on one trip of a visit and one trip a date, and
a trip counts among the week's chosen sessions. A teacher takes one trip a date; their
weekly sections that weekday are covered by another teacher who could lead them and is
free then. A provider's instructors on trips and in weekly groups never outnumber it.
No rule here is guardable: a trip may always stay at school, so visits never make a
timetable impossible (explanations say why a visit cannot go, `constraints.visits.explain`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.common.terms import Term, total
from constraints.common.variables import Variables
from models.instance import Group, Instance, SchoolData
from models.trips import Trip, week_of


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    for data in instance.schools:
        trips = vars.trips(data)
        for trip in trips:
            _trip(model, vars, trip)
        _one_trip_a_date(model, trips, vars)
        for group in data.groups:
            _children(model, data, vars, group)
        _teachers_away(model, data, vars, trips)
    _providers(model, instance, vars)
    _venues(model, instance, vars)
    return []


def _trip(model: cp_model.CpModel, vars: Variables, trip: Trip) -> None:
    """Size, venue capacity, leaving at dismissal, and one adult per `students_per_staff`."""
    activity, going = trip.activity, vars.trip_open(trip)
    seats = total(v for _, v in vars.trip_seats(trip))
    model.add(seats <= activity.max_size * going)
    model.add(seats >= activity.min_size * going)
    last = [v for g, v in vars.trip_seats(trip) if _dismissal(vars, g, trip) == trip.leave]
    model.add(total(last) >= going)  # it leaves when its last grade is dismissed, not later
    staff, per = vars.trip_staff(trip), activity.per_staff
    model.add(per * staff >= seats)
    model.add(per * (staff - 1) + 1 <= seats)  # no more adults than the rule asks for


def _dismissal(vars: Variables, group: Group, trip: Trip) -> int:
    return vars.instance.school_data(trip.school).school.dismissal(group.grade, trip.day)


def _one_trip_a_date(model: cp_model.CpModel, trips: list[Trip], vars: Variables) -> None:
    """A visit makes at most one trip a date (one departure of its options)."""
    by_date: dict[tuple[str, dt.date], list[Trip]] = defaultdict(list)
    for trip in trips:
        by_date[(trip.activity.id, trip.date)].append(trip)
    for same in by_date.values():
        if len(same) > 1:
            model.add(total(vars.trip_open(t) for t in same) <= 1)


def _children(model: cp_model.CpModel, data: SchoolData, vars: Variables, group: Group) -> None:
    """One trip of a visit, one trip a date, and the week's chosen sessions within the cap."""
    sid = data.school.id
    on = vars.trips_of(sid, group)
    if not on:
        return
    by_visit: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    by_date: dict[dt.date, list[cp_model.IntVar]] = defaultdict(list)
    by_week: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for index, var in on.items():
        trip = data.trips[index]
        by_visit[trip.activity.id].append(var)
        by_date[trip.date].append(var)
        by_week[week_of(trip.date)].append(var)
    for seats in [*by_visit.values(), *by_date.values()]:
        if len(seats) > 1:
            model.add(total(seats) <= group.size)
    clubs = [v for i, v in vars.seats_of(sid, group).items() if not data.slots[i].activity.fallback]
    cap = data.policy.max_clubs_per_student_week * group.size
    for seats in by_week.values():
        model.add(total([*clubs, *seats]) <= cap)


def _teachers_away(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, trips: list[Trip]
) -> None:
    """A teacher takes one trip a date, and each of their weekly sections that weekday is
    covered by exactly one other teacher, free then and not away."""
    away: dict[tuple[dt.date, str], list[cp_model.IntVar]] = defaultdict(list)
    for trip in trips:
        for teacher_id, var in vars.trip_teachers(trip).items():
            away[(trip.date, teacher_id)].append(var)
    for vars_away in away.values():
        if len(vars_away) > 1:
            model.add(total(vars_away) <= 1)
    sid = data.school.id
    covering: dict[tuple[dt.date, str], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (date, teacher_id, index), options in vars.covers(sid).items():
        leads = vars.teachers_of(sid, data.slots[index])[teacher_id]
        gone = cp_model.LinearExpr.sum(away[(date, teacher_id)])
        covered = cp_model.LinearExpr.sum(list(options.values()))
        model.add(covered >= leads + gone - 1)
        model.add(covered <= leads)
        model.add(covered <= gone)
        for other, var in options.items():
            covering[(date, other)].append((index, var))
    for (date, other), covers in covering.items():
        _free_to_cover(model, data, vars, away.get((date, other), []), other, covers)


def _free_to_cover(
    model: cp_model.CpModel, data: SchoolData, vars: Variables, away: list[cp_model.IntVar],
    teacher_id: str, covers: list[tuple[int, cp_model.IntVar]],
) -> None:
    """A cover teacher is at school that date, and leads nothing else at the time."""
    sid = data.school.id
    own = vars.instance.school_data(sid).teacher_slots.get(teacher_id, [])
    for index, var in covers:
        slot = data.slots[index]
        for other in away:
            model.add(var + other <= 1)
        clashes = [vars.teachers_of(sid, s)[teacher_id] for s in own
                   if s.day == slot.day and s.start < slot.end and slot.start < s.end]
        clashes += [v for i, v in covers if i != index and _overlap(data, i, index)]
        for clash in clashes:
            model.add(var + clash <= 1)


def _overlap(data: SchoolData, a: int, b: int) -> bool:
    first, second = data.slots[a], data.slots[b]
    return first.start < second.end and second.start < first.end


def _providers(model: cp_model.CpModel, instance: Instance, vars: Variables) -> None:
    """On a trip's date, a provider's weekly groups running during it and its instructors
    on trips then never outnumber its instructors (across all schools)."""
    on_trips: dict[tuple[str, dt.date], list[tuple[Trip, cp_model.IntVar]]] = defaultdict(list)
    for data in instance.schools:
        for trip in vars.trips(data):
            for provider_id, var in vars.trip_providers(trip).items():
                on_trips[(provider_id, trip.date)].append((trip, var))
    for (provider_id, _), pairs in on_trips.items():
        cap = instance.providers[provider_id].instructor_count
        day = pairs[0][0].day
        weekly = [(slot, vars.providers_of(slot.school, slot)[provider_id])
                  for data in instance.schools for slot in data.provider_slots.get(provider_id, [])
                  if slot.day == day]
        reserved = {r.start for r in instance.reserved if r.provider == provider_id
                    and r.day == day}
        starts = {t.leave for t, _ in pairs} | {s.start for s, _ in weekly} | reserved
        for minute in sorted(m for m in starts if any(t.leave <= m < t.back for t, _ in pairs)):
            running = [v for t, v in pairs if t.leave <= minute < t.back]
            running += [v for s, v in weekly if s.covers(minute)]
            # less the instructors other parts of the district use then
            free = max(0, cap - instance.reserved_at(provider_id, day, minute))
            model.add(total(running) <= free)


def _venues(model: cp_model.CpModel, instance: Instance, vars: Variables) -> None:
    """Children at a venue at once, from every trip there, within its capacity."""
    at: dict[tuple[str, dt.date], list[Trip]] = defaultdict(list)
    for data in instance.schools:
        for trip in vars.trips(data):
            at[(trip.venue, trip.date)].append(trip)
    for (venue_id, _), trips in at.items():
        venue = instance.district.venue(venue_id)
        assert venue is not None  # trips are made only to known venues
        for minute in sorted({t.stay[0] for t in trips}):
            there = [t for t in trips if t.stay[0] <= minute < t.stay[1]]
            seats = total(v for t in there for _, v in vars.trip_seats(t))
            model.add(seats <= venue.capacity)
