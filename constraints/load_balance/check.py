"""Teacher load (soft), recomputed from the timetable alone: the spread of loads."""

from __future__ import annotations

from collections.abc import Mapping

from constraints.common.context import Context
from constraints.common.keys import TermName
from constraints.teachers.check import teacher_sections, week_cap
from models.common import overlaps
from models.district import Activity, School, Teacher


def terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    weight = ctx.policy(school).weights.teacher_load_spread
    return {TermName.TEACHER_LOAD_SPREAD: -float(weight * load_spread(ctx, school))}


def load_spread(ctx: Context, school: School) -> int:
    """Max − min of eligible teachers' load as whole percent of their own weekly cap."""
    policy = ctx.policy(school)
    sections = teacher_sections(ctx)
    shares = []
    for teacher in school.teachers:
        if eligible(ctx, school, teacher):
            load = sum(p.hours for p in sections.get((school.id, teacher.id), []))
            shares.append(100 * load // week_cap(teacher, policy))
    return max(shares) - min(shares) if len(shares) >= 2 else 0


def eligible(ctx: Context, school: School, teacher: Teacher) -> bool:
    """A teacher counts for load balance when they offer hours, work for no provider, and
    could lead one of the school's allowed activities at some time they are free."""
    policy = ctx.policy(school)
    if week_cap(teacher, policy) <= 0 or teacher.affiliations:
        return False
    # Load is weekly class hours; a visit's trips are dated, so a visit makes no one eligible.
    forbidden = {"lesson", "visit", *policy.forbidden_categories}
    return any(_could_lead(ctx, school, teacher, activity)
               for activity in school.activities
               if activity.approved and activity.category not in forbidden
               and activity.skill in teacher.skills)


def _could_lead(ctx: Context, school: School, teacher: Teacher, activity: Activity) -> bool:
    """Some term weekday and period start of the activity's grades where a group of it ends
    by the latest end and misses the teacher's busy times."""
    latest_end = ctx.policy(school).latest_end
    minutes = school.duration(activity)
    for day in ctx.district.term.weekdays:
        busy = teacher.busy.get(day, [])
        for grade in activity.grades:
            for start in ctx.period_starts(school, grade, day):
                group = (start, start + minutes)
                if group[1] <= latest_end and not any(overlaps(w, group) for w in busy):
                    return True
    return False
