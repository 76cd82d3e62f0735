"""Figures the report plots: choice satisfaction, teacher load, room utilisation.

Choice figures count students with choices only (SPEC §5); a student's *best rank* is the
position (1-based) of the highest-ranked activity on their list that they attend.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from constraints.common.context import ranked_choices
from models.district import School, Student

from .context import ViewData

RANK_BUCKETS = 4  # ranks past this are shown together as "4+"


@dataclass
class Bar:
    label: str
    value: float
    limit: float | None = None  # a cap or a budget drawn as a mark


def best_rank(data: ViewData, school: School, student: Student) -> int | None:
    """1-based rank of the best choice the student attends, or None when they get none.
    Ranks are those the score and the verifier use (a choice of the fallback has none)."""
    attended = {s.activity for s in data.sections_by_student.get((school.id, student.id), [])}
    attended |= {t.activity for t in data.trips_of(school.id, "student", student.id)}
    for rank, activity in enumerate(ranked_choices(school, student), start=1):
        if activity in attended:
            return rank
    return None


def rank_counts(data: ViewData, school: School) -> tuple[Counter[int | None], int]:
    """How many students with choices got each best rank (ranks past 4 as 4), and how many."""
    counts: Counter[int | None] = Counter()
    with_choices = [s for s in school.students if ranked_choices(school, s)]
    for student in with_choices:
        rank = best_rank(data, school, student)
        counts[min(rank, RANK_BUCKETS) if rank else None] += 1
    return counts, len(with_choices)


def by_rank(data: ViewData, school: School) -> list[Bar]:
    counts, total = rank_counts(data, school)
    labels = data.labels
    bars = [Bar(labels("choice_n", n=f"{r}+" if r == RANK_BUCKETS else r), counts[r] / total)
            for r in range(1, RANK_BUCKETS + 1)] if total else []
    if total:
        bars.append(Bar(labels("choice_none"), counts[None] / total))
    return bars


def by_grade(data: ViewData, school: School) -> list[tuple[str, float, float, float]]:
    """Per grade: (label, first-choice share, other-choice share, none share)."""
    rows = []
    for grade in sorted(school.grades):
        students = [s for s in school.students
                    if s.grade == grade and ranked_choices(school, s)]
        if not students:
            continue
        ranks = [best_rank(data, school, s) for s in students]
        first = sum(r == 1 for r in ranks) / len(ranks)
        other = sum(r is not None and r > 1 for r in ranks) / len(ranks)
        rows.append((data.labels.grade(grade), first, other, 1 - first - other))
    return rows


def teacher_load(data: ViewData, school: School) -> list[Bar]:
    """Weekly class hours of each teacher who may serve, against their own weekly cap."""
    policy = data.district.policy_for(school)
    hours: Counter[str] = Counter()
    for section in data.sections_by_school[school.id]:
        for staff in section.staff:
            if staff.teacher is not None:
                hours[staff.teacher] += data.activity(section).class_hours
    bars = []
    for teacher in school.teachers:
        cap = teacher.week_cap(policy)
        if hours[teacher.id] or (cap > 0 and not teacher.affiliations):
            bars.append(Bar(teacher.name or teacher.id, hours[teacher.id], cap))
    return sorted(bars, key=lambda b: -(b.value / b.limit if b.limit else b.value))


def room_utilisation(data: ViewData, school: School) -> list[Bar]:
    """Share of the week's service time (earliest dismissal to latest end) each room is used."""
    latest = data.district.policy_for(school).latest_end
    available = sum(
        max(0, latest - min(school.dismissal(g, day) for g in school.grades))  # type: ignore[arg-type]
        for day in data.district.term.weekdays
    )
    used: Counter[str] = Counter()
    for section in data.sections_by_school[school.id]:
        used[section.room] += section.end - section.start
    return [Bar(room.label, used[room.id] / available if available else 0.0, 1.0)
            for room in school.rooms]


# --- the headline: the solve said in a school's terms --------------------------------


@dataclass
class Headline:
    """A row of the KPI table: a label, and a value of one kind (how views format it)."""

    label: str
    value: str | int | float
    kind: str = "text"  # text, count, money, score (points), percent or seconds


def headline(data: ViewData, school_ids: list[str] | None = None) -> list[Headline]:
    """Status, children served, then the score, its proven bound and the gap, labelled as
    what they are: the score is in points, so no bound in students is claimed (none
    exists: the solver bounds the score, not a count of children)."""
    labels, solution = data.labels, data.solution
    schools = [data.schools[s] for s in (school_ids or list(data.schools))]
    status = f"status_{solution.status}"
    words = labels(status)
    rows = [Headline(labels("status"),
                     f"{words} ({solution.status})" if words != status else solution.status)]
    first = anything = with_choices = 0
    for school in schools:
        counts, total = rank_counts(data, school)
        first, anything, with_choices = (first + counts[1],
                                         anything + total - counts[None], with_choices + total)
    days = sum(len(st.days) for school in schools for st in school.students)
    mine = {s.id for s in schools}
    uncovered = sum(1 for u in solution.unserved if u.school in mine)
    if with_choices:
        rows.append(Headline(labels("got_any"), _of(data, anything, with_choices)))
        rows.append(Headline(labels("got_first"), _of(data, first, with_choices)))
    if days:
        rows.append(Headline(labels("days_covered"), _of(data, days - uncovered, days)))
    if school_ids is None:  # the score belongs to the whole solve, not to one school
        rows += [Headline(labels("objective"), solution.objective, "score"),
                 Headline(labels("bound"), solution.bound, "score"),
                 Headline(labels("gap"), max(0.0, solution.gap), "percent"),
                 Headline(labels("solve_seconds"), solution.solve_seconds, "seconds")]
    return rows


def _of(data: ViewData, part: int, whole: int) -> str:
    return data.labels("of", part=part, whole=whole, share=part / whole)
