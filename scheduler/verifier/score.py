"""The objective and KPIs of a timetable, recomputed from the timetable alone (docs/rules.md).

Each term is its signed contribution to the score, so `objective == sum(terms.values())`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from constraints import FAMILIES
from constraints.budget.check import school_cost
from constraints.common.context import Context, attended, ranked_choices
from constraints.common.keys import TermName
from constraints.students.coverage import gap, unserved_days
from constraints.teachers.check import teacher_sections
from models.district import School, Student
from models.solution import Kpis


@dataclass
class Score:
    objective: float = 0.0
    terms: dict[str, float] = field(default_factory=dict)
    kpis: Kpis = field(default_factory=Kpis)


def score_of(ctx: Context) -> Score:
    terms = dict.fromkeys(TermName, 0.0)
    for school in ctx.district.schools:
        for name, value in school_terms(ctx, school).items():
            terms[name] += value
    if ctx.base is None:  # only a re-solve from a base has change terms (as solution.json)
        terms.pop(TermName.CHANGE_SECTION)
        terms.pop(TermName.CHANGE_STUDENT)
    if not any(st.together for sc in ctx.district.schools for st in sc.students):
        terms.pop(TermName.TOGETHER)  # as solution.json: only where some student has a label
    named = {str(name.value): value for name, value in terms.items()}
    return Score(sum(terms.values()), named, kpis(ctx))


def school_terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    """One school's contribution to each term, by each family's own recomputation."""
    terms: dict[TermName, float] = {}
    for family in FAMILIES:
        if family.terms is not None:
            terms.update(family.terms(ctx, school))
    return terms


def school_kpis(ctx: Context) -> dict[str, Kpis]:
    """Each school's own KPIs (what a district planner compares side by side)."""
    return {school.id: kpis(ctx, [school]) for school in ctx.district.schools}


def kpis(ctx: Context, only: list[School] | None = None) -> Kpis:
    """The KPI list of docs/rules.md; a share with nothing to count is 0."""
    schools = ctx.district.schools if only is None else only
    listed = unserved_days(ctx)
    days = [(sc, st, d) for sc in schools for st in sc.students for d in st.days]
    covered = sum(1 for sc, st, d in days
                  if (sc.id, st.id, d) not in listed and gap(ctx, sc, st, d) is None)
    first, anything, with_choices = _choice_counts(ctx, schools)
    best, envy = _best_ranks(ctx, schools)
    ids = {sc.id for sc in schools}
    hours = [sum(p.hours for p in group) for (sid, _), group in teacher_sections(ctx).items()
             if sid in ids]
    return Kpis(
        students=sum(len(sc.students) for sc in schools),
        students_with_choices=with_choices,
        student_days=len(days),
        covered_share=_share(covered, len(days)),
        first_choice_share=_share(first, with_choices),
        any_choice_share=_share(anything, with_choices),
        no_choice_share=_share(with_choices - anything, with_choices),
        rank_shares=[_share(best.count(rank), len(best))
                     for rank in range(1 + max((r for r in best if r is not None), default=-1))],
        top2_share=_share(sum(r is not None and r <= 1 for r in best), len(best)),
        students_with_none=best.count(None),
        envy=envy,
        teacher_hours_max=max(hours, default=0),
        cost=sum(school_cost(ctx, sc) for sc in schools),
        budget=sum(ctx.district.budget(sc) for sc in schools),
        sections=sum(1 for s in ctx.solution.sections if s.school in ids and s.date is None),
    )


def _choice_counts(ctx: Context, schools: list[School]) -> tuple[int, int, int]:
    """Students who get their first choice, who get any choice, and who chose anything."""
    first = anything = with_choices = 0
    for school in schools:
        attends = attended(ctx, school)
        for student in school.students:
            ranked, got = ranked_choices(school, student), attends.get(student.id, set())
            if ranked:
                with_choices += 1
                first += ranked[0] in got
                anything += bool(got & set(ranked))
    return first, anything, with_choices


def _best_ranks(ctx: Context, schools: list[School]) -> tuple[list[int | None], int]:
    """Per student with choices, the rank (0 = first) of the best choice they attend, and
    how many students miss a choice that a student who ranked it lower attends."""
    best: list[int | None] = []
    envious = 0
    for school in schools:
        attends = attended(ctx, school)
        ranked = {s.id: ranked_choices(school, s) for s in school.students}
        worst_taker: dict[str, int] = {}
        for student_id, activities in attends.items():
            for activity in activities & set(ranked.get(student_id, [])):
                rank = ranked[student_id].index(activity)
                worst_taker[activity] = max(worst_taker.get(activity, -1), rank)
        for student in school.students:
            mine, got = ranked[student.id], attends.get(student.id, set())
            if not mine:
                continue
            best.append(next((i for i, a in enumerate(mine) if a in got), None))
            envious += any(a not in got and i < worst_taker.get(a, -1) and _open(school, a,
                                                                                 student)
                           for i, a in enumerate(mine))
    return best, envious


def _open(school: School, activity_id: str, student: Student) -> bool:
    """The student's grade may take the activity (else missing it is no envy)."""
    activity = school.activity(activity_id)
    return activity is not None and student.grade in activity.grades


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
