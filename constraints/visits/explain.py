"""Why a visit cannot go on a date, in the school's words (zh and en).

A trip is never required, so no visit rule is ever part of an infeasible core (`RULES` is
empty); instead `reasons` lists, per visit and date, what keeps a trip (or some grades)
from going: back after `latest_end`, the venue closed, no adult free that afternoon, no
child able to go, or fewer than `min_size`. `explain` shows them as notes, `check` prints
them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from constraints.common.family import RuleText
from constraints.common.keys import Rule
from constraints.common.words import Words
from models.common import Day, format_clock, format_window
from models.district import Activity
from models.instance import Group, Instance, SchoolData
from models.trips import Trip, may_go, provider_may_take, teacher_may_take, visit_allowed

RULES: dict[Rule, RuleText] = {}

Reason = dict[str, Any]  # `kind` and the numbers behind it, JSON-ready


def reasons(instance: Instance, data: SchoolData) -> Iterator[Reason]:
    """Each visit date (or grade on it) that cannot go, with why."""
    for activity in data.school.activities:
        if not visit_allowed(data.policy, activity) or not activity.venue:
            continue
        for date in activity.dates:
            day = instance.district.term.timetable_day(date)
            if day is None:
                continue  # the loader refuses it
            base = {"visit": activity.id, "label": activity.label, "date": str(date),
                    "day": day}
            for found in _why(instance, data, activity, date, day):
                yield {**base, **found}


def _why(instance: Instance, data: SchoolData, activity: Activity, date: dt.date,
         day: Day) -> Iterator[Reason]:
    options = [t for t in data.trips if t.activity.id == activity.id and t.date == date]
    yield from _grades_left_out(instance, data, activity, day, options)
    if not options:
        return
    children = [sum(g.size for g in _children(data, t)) for t in options]
    if not any(children):
        yield _no_children(data, activity, options[0])
    elif not any(_adults(instance, data, t) for t in options):
        yield _no_adult(instance, data, options[0])
    elif max(children) < activity.min_size:
        yield {"kind": "too-few", "children": max(children), "min_size": activity.min_size}


def _grades_left_out(instance: Instance, data: SchoolData, activity: Activity, day: Day,
                     options: list[Trip]) -> Iterator[Reason]:
    """Grades no trip that date can take: back too late, or the venue closed then."""
    district, school = instance.district, data.school
    venue = district.venue(activity.venue)
    if venue is None:
        return
    going = {g for t in options for g in t.grades}
    travel = district.travel(school.id, venue.id)
    away = district.trip_minutes(school, activity)
    for grade in activity.grades:
        if grade in going or grade not in school.grades:
            continue
        leave = school.dismissal(grade, day)
        if leave + away > data.policy.latest_end:
            yield {"kind": "late", "grade": grade, "leave": leave, "back": leave + away,
                   "latest_end": data.policy.latest_end}
        else:
            hours = (venue.opening_hours or {}).get(day, [])
            yield {"kind": "closed", "grade": grade, "venue": venue.label,
                   "arrive": leave + travel, "minutes": activity.minutes_at_venue,
                   "hours": ", ".join(format_window(w) for w in hours)}


def _children(data: SchoolData, trip: Trip) -> list[Group]:
    return [g for g in data.groups
            if all(may_go(trip, s, trip.activity.id in g.ranks) for s in g.students)]


def _adults(instance: Instance, data: SchoolData, trip: Trip) -> bool:
    end = instance.district.term.end
    return any(teacher_may_take(t, data.policy, trip) for t in data.school.teachers) or \
        any(provider_may_take(p, end, trip) for p in instance.providers.values())


def _no_adult(instance: Instance, data: SchoolData, trip: Trip) -> Reason:
    """Who has the skill, and why none of them can take the trip that afternoon."""
    skill = trip.activity.skill
    skilled = [t for t in data.school.teachers if skill in t.skills]
    busy = [t for t in skilled if any(trip.overlaps(*b) for b in t.busy.get(trip.day, []))]
    providers = [p for p in instance.providers.values() if skill in p.skills
                 and p.serves_school(data.school.id)]
    return {"kind": "no-adult", "skill": skill, "teachers": len(skilled), "busy": len(busy),
            "providers": len(providers), "leave": trip.leave, "back": trip.back}


def _no_children(data: SchoolData, activity: Activity, trip: Trip) -> Reason:
    """Who chose it, who is registered that weekday, who is picked up before the return."""
    chose = [s for s in data.school.students if activity.id in _chosen(data, s.choices)]
    registered = [s for s in chose if trip.day in s.days and s.grade in trip.grades]
    early = [s for s in registered if not may_go(trip, s, True)]
    return {"kind": "no-children", "chose": len(chose), "registered": len(registered),
            "early": len(early), "back": trip.back}


def _chosen(data: SchoolData, choices: list[str]) -> set[str]:
    return {a.id for c in choices if (a := data.school.activity(c)) is not None}


def describe(words: Words, reason: Reason) -> str:
    """A reason in the file's language (zh or en)."""
    visit, date = reason["label"], reason["date"]
    kind = reason["kind"]
    if kind == "late":
        return words.t(
            "{v} {d}：{g} 年级 {x} 放学出发，{b} 才能返校，晚于 {e}，不能参加",
            "{v} on {d}: grade {g} leaves at its dismissal {x} and would be back after "
            "{e} (at {b}), so it cannot go", v=visit, d=date, g=reason["grade"],
            x=format_clock(reason["leave"]), b=format_clock(reason["back"]),
            e=format_clock(reason["latest_end"]))
    if kind == "closed":
        return words.t(
            "{v} {d}：{p} 从 {a} 起的 {m} 分钟不开放（当天开放 {h}），{g} 年级不能参加",
            "{v} on {d}: {p} is closed for the {m} minutes from {a} (open {h} that day), so "
            "grade {g} cannot go", v=visit, d=date, p=reason["venue"],
            a=format_clock(reason["arrive"]), m=reason["minutes"], h=reason["hours"] or "-",
            g=reason["grade"])
    if kind == "no-adult":
        return words.t(
            "{v} {d}：那天下午 {x}–{b} 没有能带队的成人（有技能 {k} 的教师 {t} 名，其中 {y} 名"
            "那时忙；有该技能的机构 {p} 家，都不可安排）",
            "{v} on {d}: no adult is free that afternoon, {x}-{b} ({t} teacher(s) have the "
            "skill {k}, {y} of them busy then; {p} provider(s) have it, none can go)",
            v=visit, d=date, x=format_clock(reason["leave"]), b=format_clock(reason["back"]),
            k=reason["skill"], t=reason["teachers"], y=reason["busy"], p=reason["providers"])
    if kind == "no-children":
        return words.t(
            "{v} {d}：没有学生能去（{c} 名选了它，{r} 名当天报名，其中 {e} 名在 {b} 返校前"
            "就被接走）",
            "{v} on {d}: no child can go ({c} chose it, {r} are registered that day, {e} of "
            "them are picked up before the group is back at {b})", v=visit, d=date,
            c=reason["chose"], r=reason["registered"], e=reason["early"],
            b=format_clock(reason["back"]))
    return words.t("{v} {d}：只有 {n} 名学生能去，至少 {m} 名才成行",
                   "{v} on {d}: only {n} children can go, the visit needs at least {m}",
                   v=visit, d=date, n=reason["children"], m=reason["min_size"])
