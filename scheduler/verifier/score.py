"""The objective and KPIs of a timetable, recomputed from the timetable alone (docs/rules.md).

Each term is its signed contribution to the score, so `objective == sum(terms.values())`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from models.common import overlaps
from models.district import Activity, School, Teacher

from .budget import school_cost
from .context import Context, ranked_choices
from .coverage import gap, unserved_days
from .teachers import teacher_sections, week_cap

TERMS = ("choice_rank", "unmatched_student", "uncovered_student_day", "teacher_load_spread",
         "provider_rating", "cost", "fallback_mixing", "fallback_group")


@dataclass
class Score:
    objective: float = 0.0
    terms: dict[str, float] = field(default_factory=dict)
    kpis: dict[str, float | int] = field(default_factory=dict)


def score_of(ctx: Context) -> Score:
    terms = dict.fromkeys(TERMS, 0.0)
    for school in ctx.district.schools:
        for name, value in school_terms(ctx, school).items():
            terms[name] += value
    return Score(sum(terms.values()), terms, kpis(ctx))


def attended(ctx: Context, school: School) -> dict[str, set[str]]:
    """Activity ids each student of the school is in."""
    table: dict[str, set[str]] = defaultdict(set)
    for placed in ctx.placed:
        if placed.school.id == school.id:
            for student in placed.students:
                table[student.id].add(placed.activity.id)
    return table


def school_terms(ctx: Context, school: School) -> dict[str, float]:
    """One school's contribution to each term, with the school's own weights."""
    weights = ctx.policy(school).weights
    rank_points, unmatched = _choices(ctx, school)
    return {
        "choice_rank": float(rank_points),
        "unmatched_student": -float(weights.unmatched_student * unmatched),
        "uncovered_student_day": -float(weights.uncovered_student_day * _uncovered(ctx, school)),
        "teacher_load_spread": -float(weights.teacher_load_spread * load_spread(ctx, school)),
        "provider_rating": weights.provider_rating * _rating(ctx, school),
        "cost": -weights.cost_per_1000_yuan * school_cost(ctx, school) / 1000,
        "fallback_mixing": -float(weights.fallback_mixing * _mixing(ctx, school)),
        "fallback_group": -float(weights.fallback_group * _fallback_groups(ctx, school)),
    }


def _choices(ctx: Context, school: School) -> tuple[int, int]:
    """Rank points of the chosen activities students get, and students who get none."""
    rank_weights = ctx.policy(school).weights.choice_rank
    attends = attended(ctx, school)
    points = unmatched = 0
    for student in school.students:
        ranked = ranked_choices(school, student)
        if not ranked:
            continue  # no choices (or only the fallback): outside the choice terms
        got = [ranked.index(a) for a in attends.get(student.id, set()) if a in ranked]
        points += sum(rank_weights[r] for r in got if r < len(rank_weights))
        unmatched += not got
    return points, unmatched


def _uncovered(ctx: Context, school: School) -> int:
    """Unserved student-days, counted only under best effort (required lists none)."""
    if ctx.policy(school).coverage != "best_effort":
        return 0
    registered = {(school.id, s.id, d) for s in school.students for d in s.days}
    return len(unserved_days(ctx) & registered)


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
    forbidden = {"lesson", *policy.forbidden_categories}
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


def _rating(ctx: Context, school: School) -> float:
    """Σ (rating − 3) × class hours over provider-led groups."""
    return sum((provider.rating - 3) * placed.hours
               for placed in ctx.placed if placed.school.id == school.id
               for provider in placed.providers)


def _mixing(ctx: Context, school: School) -> int:
    """Extra classes mixed into fallback groups (a group of one class costs nothing)."""
    return sum(max(0, len({s.class_ for s in p.students}) - 1)
               for p in ctx.placed if p.school.id == school.id and p.activity.fallback)


def _fallback_groups(ctx: Context, school: School) -> int:
    """Supervised-study groups the school opens (each needs a supervisor and a room)."""
    return sum(1 for p in ctx.placed if p.school.id == school.id and p.activity.fallback)


def kpis(ctx: Context) -> dict[str, float | int]:
    """The KPI list of docs/rules.md; a share with nothing to count is 0."""
    schools = ctx.district.schools
    listed = unserved_days(ctx)
    days = [(sc, st, d) for sc in schools for st in sc.students for d in st.days]
    covered = sum(1 for sc, st, d in days
                  if (sc.id, st.id, d) not in listed and gap(ctx, sc, st, d) is None)
    first, anything, with_choices = _choice_counts(ctx)
    hours = [sum(p.hours for p in group) for group in teacher_sections(ctx).values()]
    return {
        "students": sum(len(sc.students) for sc in schools),
        "students_with_choices": with_choices,
        "student_days": len(days),
        "covered_share": _share(covered, len(days)),
        "first_choice_share": _share(first, with_choices),
        "any_choice_share": _share(anything, with_choices),
        "no_choice_share": _share(with_choices - anything, with_choices),
        "teacher_hours_max": max(hours, default=0),
        "cost": sum(school_cost(ctx, sc) for sc in schools),
        "budget": sum(ctx.district.budget(sc) for sc in schools),
        "sections": len(ctx.solution.sections),
    }


def _choice_counts(ctx: Context) -> tuple[int, int, int]:
    """Students who get their first choice, who get any choice, and who chose anything."""
    first = anything = with_choices = 0
    for school in ctx.district.schools:
        attends = attended(ctx, school)
        for student in school.students:
            ranked, got = ranked_choices(school, student), attends.get(student.id, set())
            if ranked:
                with_choices += 1
                first += ranked[0] in got
                anything += bool(got & set(ranked))
    return first, anything, with_choices


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
