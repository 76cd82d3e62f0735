"""Fast checks before any CP-SAT model is built, each with the numbers behind it.

A *conflict* proves the input infeasible on its own (students who must be supervised at
a moment outnumber the seats free staff and rooms can give; more supervision class hours
than staff can give in a week; a budget below the cheapest covering timetable). A *note*
explains something that cannot happen (an activity no one can lead, a grade dismissed too
late for any class hour, a provider never available after dismissal, a visit that cannot go
on a date) without being infeasible by itself.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from constraints.common.variables import seat_allowed
from constraints.visits.explain import reasons
from models.common import Day
from models.instance import Instance, SchoolData, Slot


@dataclass
class Finding:
    kind: str  # period, week, budget, no-staff, late-dismissal, provider-window, visit
    severity: str  # conflict | note
    school: str
    data: dict[str, Any] = field(default_factory=dict)


def prechecks(instance: Instance) -> list[Finding]:
    findings: list[Finding] = []
    for data in instance.schools:
        if data.policy.coverage == "required":
            _unservable(data, findings)
            needed = _period_checks(instance, data, findings)
            _week_check(instance, data, needed, findings)
            _budget_check(instance, data, needed, findings)
        _no_staff(instance, data, findings)
        _late_dismissal(data, findings)
        _provider_windows(instance, data, findings)
        findings += [Finding("visit", "note", data.school.id, r) for r in reasons(instance, data)]
    return findings


# Which findings decide it: the school-wide shortfalls first, then the largest moments.
_ORDER = ("week", "budget", "period", "unservable", "no-staff", "late-dismissal")
_SIZE = {
    "week": lambda d: d["hours"] - d["teacher_hours"] - d["provider_hours"],
    "budget": lambda d: d["short"],
    "period": lambda d: d["students"] - d["seats"],
    "unservable": lambda d: d["students"],
    "late-dismissal": lambda d: d["students"],
}


_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weight(severity: str, kind: str, data: dict[str, Any]) -> tuple[int, int, float, int, int]:
    """Sort key of a finding (also of its JSON form): conflicts, by kind, largest first,
    then in the order of the week."""
    size = _SIZE.get(kind)
    rank = _ORDER.index(kind) if kind in _ORDER else len(_ORDER)
    day = data.get("day")
    return (severity != "conflict", rank, -(size(data) if size else 0),
            _WEEK.index(day) if day in _WEEK else -1, data.get("start", -1))


def decisive(findings: list[Finding]) -> list[Finding]:
    """The findings in the order a school should read them."""
    return sorted(findings, key=lambda f: weight(f.severity, f.kind, f.data))


def _unservable(data: SchoolData, findings: list[Finding]) -> None:
    """Students at a moment no section they may join can cover: nobody can supervise them."""
    staffed = {s.index for slots in data.teacher_slots.values() for s in slots}
    staffed |= {s.index for slots in data.provider_slots.values() for s in slots}
    stranded: dict[tuple[Day, int, int], int] = defaultdict(int)
    for group in data.groups:
        for day, periods in group.needs.items():
            usable = [s for s in data.slots if s.day == day and s.index in staffed
                      and seat_allowed(group, s)]
            for period in periods:
                if not any(s.covers(period) for s in usable):
                    stranded[(day, period, group.grade)] += group.size
    fallback = next((s.activity for s in data.slots if s.activity.fallback), None)
    for (day, period, grade), students in sorted(stranded.items()):
        skill = fallback.skill if fallback else ""
        skilled = [t for t in data.school.teachers if skill in t.skills]
        busy = sum(1 for t in skilled if any(b[0] < period + 1 and period < b[1]
                                             for b in t.busy.get(day, [])))
        findings.append(Finding("unservable", "conflict", data.school.id, {
            "day": day, "start": period, "grade": grade, "students": students,
            "fallback": fallback.label if fallback else "", "skilled": len(skilled),
            "busy": busy}))


def _demand(data: SchoolData) -> dict[tuple[Day, int], int]:
    demand: dict[tuple[Day, int], int] = defaultdict(int)
    for group in data.groups:
        for day, periods in group.needs.items():
            for period in periods:
                demand[(day, period)] += group.size
    return demand


def _period_checks(instance: Instance, data: SchoolData,
                   findings: list[Finding]) -> dict[tuple[Day, int], int]:
    """Per moment: students to supervise vs seats staff and rooms can give. Returns the
    fewest class hours of sections each moment needs."""
    needed: dict[tuple[Day, int], int] = {}
    for (day, period), students in sorted(_demand(data).items()):
        running = [s for s in data.slots if s.day == day and s.covers(period)]
        staff = _staff_at(instance, data, running, day, period)
        sizes = _room_sizes(data, running)
        groups = min(staff["free"] + staff["instructors"], len(sizes))
        seats = sum(sizes[:groups])
        largest = sizes[0] if sizes else 0
        needed[(day, period)] = math.ceil(students / largest) if largest else 0
        if students > seats:
            findings.append(Finding("period", "conflict", data.school.id, {
                "day": day, "start": period, "end": period + _hour(data, day, period),
                "students": students, "groups": groups, "largest": largest, "seats": seats,
                "rooms": len(sizes), **staff}))
    return needed


def _hour(data: SchoolData, day: Day, period: int) -> int:
    for grade in data.school.grades:
        if period in data.school.period_starts(grade, day, data.policy.latest_end):
            return data.school.hour_minutes(grade)
    return data.school.class_hour_minutes


def _staff_at(instance: Instance, data: SchoolData, running: list[Slot], day: Day,
              period: int) -> dict[str, int]:
    skills = {s.activity.skill for s in running}
    ids = {s.index for s in running}
    count = {"free": 0, "busy": 0, "capped": 0, "unskilled": 0, "instructors": 0}
    for teacher in data.school.teachers:
        if not skills & set(teacher.skills):
            count["unskilled"] += 1
        elif teacher.affiliations or data.week_cap(teacher) <= 0 or data.day_cap(teacher) <= 0:
            count["capped"] += 1
        elif any(s.index in ids for s in data.teacher_slots.get(teacher.id, [])):
            count["free"] += 1
        else:
            count["busy"] += 1
    for provider_id, slots in data.provider_slots.items():
        if any(s.index in ids for s in slots):
            count["instructors"] += instance.providers[provider_id].instructor_count
    return count


def _room_sizes(data: SchoolData, running: list[Slot]) -> list[int]:
    """Largest group each room could hold at the moment, biggest first."""
    need: dict[str, int] = {}
    for slot in running:
        room_type = slot.activity.room_type
        need[room_type] = max(need.get(room_type, 0), data.room_need[slot.activity.id])
    sizes = [min(r.capacity, need[r.type]) for r in data.school.rooms if r.type in need]
    return sorted(sizes, reverse=True)


def _week_check(instance: Instance, data: SchoolData, needed: dict[tuple[Day, int], int],
                findings: list[Finding]) -> None:
    hours = sum(needed.values())
    periods: dict[Day, set[int]] = defaultdict(set)
    for day, period in needed:
        periods[day].add(period)
    teachers = 0
    for teacher_id, slots in data.teacher_slots.items():
        teacher = data.teacher(teacher_id)
        per_day = sum(min(data.day_cap(teacher), _covered(slots, day, periods[day]))
                      for day in periods)
        teachers += min(data.week_cap(teacher), per_day)
    providers = 0
    for provider_id, slots in data.provider_slots.items():
        per_day = sum(_covered(slots, day, periods[day]) for day in periods)
        providers += instance.providers[provider_id].instructor_count * per_day
    if hours > teachers + providers:
        findings.append(Finding("week", "conflict", data.school.id, {
            "hours": hours, "teacher_hours": teachers, "provider_hours": providers,
            "teachers": len(data.teacher_slots)}))


def _covered(slots: list[Slot], day: Day, periods: set[int]) -> int:
    return sum(1 for p in periods if any(s.day == day and s.covers(p) for s in slots))


def _budget_check(instance: Instance, data: SchoolData, needed: dict[tuple[Day, int], int],
                  findings: list[Finding]) -> None:
    rates = [data.teacher(t).pay_per_class_hour for t in data.teacher_slots]
    rates += [instance.providers[p].price_per_class_hour for p in data.provider_slots]
    if not rates:
        return
    cheapest = min(rates)
    hours = sum(n * data.meetings[day] for (day, _), n in needed.items())
    lower = hours * cheapest
    if lower > data.budget + 1e-6:
        findings.append(Finding("budget", "conflict", data.school.id, {
            "budget": data.budget, "lower": lower, "cheapest": cheapest, "hours": hours,
            "short": lower - data.budget}))


def _no_staff(instance: Instance, data: SchoolData, findings: list[Finding]) -> None:
    staffed = {s.index for slots in data.teacher_slots.values() for s in slots}
    staffed |= {s.index for slots in data.provider_slots.values() for s in slots}
    activities = {s.activity.id: s.activity for s in data.slots}
    for activity in activities.values():
        if any(s.index in staffed for s in data.slots if s.activity.id == activity.id):
            continue
        skilled = [t for t in data.school.teachers if activity.skill in t.skills]
        providers = [p for p in instance.providers.values() if activity.skill in p.skills]
        findings.append(Finding("no-staff", "note", data.school.id, {
            "activity": activity.id, "label": activity.label, "skill": activity.skill,
            "fallback": activity.fallback, "teachers": len(skilled),
            "providers": len(providers)}))


def _late_dismissal(data: SchoolData, findings: list[Finding]) -> None:
    for grade in data.school.grades:
        for day in data.meetings:
            if data.school.period_starts(grade, day, data.policy.latest_end):
                continue
            students = sum(1 for s in data.school.students if s.grade == grade and day in s.days)
            if students:
                findings.append(Finding("late-dismissal", "note", data.school.id, {
                    "grade": grade, "day": day, "dismissal": data.school.dismissal(grade, day),
                    "latest_end": data.policy.latest_end,
                    "hour": data.school.hour_minutes(grade), "students": students}))


def _provider_windows(instance: Instance, data: SchoolData, findings: list[Finding]) -> None:
    term_end = instance.district.term.end
    skills = {s.activity.skill for s in data.slots}
    for provider in instance.providers.values():
        if provider.available is None or provider.id in data.provider_slots:
            continue
        if not (provider.vetted(term_end) and provider.serves_school(data.school.id)):
            continue
        if skills & set(provider.skills):
            findings.append(Finding("provider-window", "note", data.school.id, {
                "provider": provider.id, "name": provider.name or provider.id}))
