"""The solver's own account of a timetable's score and KPIs (docs/rules.md).

The verifier recomputes both with separate code; tests require the two to agree.
"""

from __future__ import annotations

from collections import defaultdict

from constraints.changes.diff import diff
from constraints.choices.model import rank_weight
from constraints.common.keys import TermName
from models.instance import Instance, SchoolData
from models.solution import Kpis, SectionOut, Unmatched, Unserved


def score(
    instance: Instance, sections: list[SectionOut], unserved: list[Unserved]
) -> dict[str, float]:
    """Objective terms in score units, signed (penalties negative), by term name."""
    terms: dict[str, float] = defaultdict(float)
    for data in instance.schools:
        mine = [s for s in sections if s.school == data.school.id]
        missing = sum(1 for u in unserved if u.school == data.school.id)
        for name, value in _school_terms(instance, data, mine, missing).items():
            terms[name.value] += value
    return dict(terms)


def _school_terms(
    instance: Instance, data: SchoolData, sections: list[SectionOut], missing: int
) -> dict[TermName, float]:
    weights = data.policy.weights
    gained, unmatched = _choices(data, sections)
    return {**_changes(instance, data, sections),
        TermName.CHOICE_RANK: gained,
        TermName.UNMATCHED_STUDENT: -weights.unmatched_student * unmatched,
        TermName.UNCOVERED_STUDENT_DAY: -(
            weights.uncovered_student_day * missing if data.policy.coverage == "best_effort" else 0
        ),
        TermName.TEACHER_LOAD_SPREAD: -weights.teacher_load_spread * _spread(data, sections),
        TermName.PROVIDER_RATING: weights.provider_rating * _rating(instance, data, sections),
        TermName.COST: -weights.cost_per_1000_yuan * school_cost(instance, data, sections) / 1000,
        TermName.FALLBACK_MIXING: -weights.fallback_mixing * _mixing(data, sections),
        TermName.FALLBACK_GROUP: -weights.fallback_group * _study_groups(data, sections),
    } | _together(data, sections)


def _changes(
    instance: Instance, data: SchoolData, sections: list[SectionOut]
) -> dict[TermName, float]:
    """A re-solve's changes against its base (the diff is the one definition, SPEC §8.3)."""
    if instance.base is None:
        return {}
    sid, weights = data.school.id, data.policy.weights
    base = [s for s in instance.base.solution.sections if s.school == sid]
    found = diff(base, sections, {sid: {s.id for s in data.school.students}})
    return {
        TermName.CHANGE_SECTION: -weights.change_section * found.section_changes(),
        TermName.CHANGE_STUDENT: -weights.change_student * found.student_sessions(),
    }


def _choices(data: SchoolData, sections: list[SectionOut]) -> tuple[float, int]:
    taken: dict[str, set[str]] = defaultdict(set)
    for section in sections:
        for student_id in section.students:
            taken[student_id].add(section.activity)
    weights = data.policy.weights.choice_rank
    gained, unmatched = 0.0, 0
    for group in data.groups:
        if not group.has_choices:
            continue
        factor = data.policy.choice_factor(group.priority)
        for student in group.students:
            got = [a for a in taken[student.id] if a in group.ranks]
            gained += factor * sum(rank_weight(weights, group.ranks[a]) for a in got)
            unmatched += factor * (not got)
    return gained, unmatched


def _together(data: SchoolData, sections: list[SectionOut]) -> dict[TermName, float]:
    """The together term, for a school where some student has a label (else no entry)."""
    if not any(g.together for g in data.groups):
        return {}
    return {TermName.TOGETHER: -data.policy.weights.together * _together_splits(data, sections)}


def _together_splits(data: SchoolData, sections: list[SectionOut]) -> int:
    """(pair, club) with both students of one label in the club but not in one section."""
    fallback = {a.id for a in data.school.activities if a.fallback}
    section_of: dict[tuple[str, str], str] = {}  # (student, club) -> section id
    for section in sections:
        if section.activity not in fallback:
            for student_id in section.students:
                section_of[(student_id, section.activity)] = section.id
    by_label: dict[str, list[str]] = defaultdict(list)
    for group in data.groups:
        if group.together:
            by_label[group.together] += [s.id for s in group.students]
    clubs = {a.id for a in data.school.activities} - fallback
    splits = 0
    for members in by_label.values():
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                for club in clubs:
                    a, b = section_of.get((first, club)), section_of.get((second, club))
                    splits += a is not None and b is not None and a != b
    return splits


def unmatched_students(instance: Instance, sections: list[SectionOut]) -> list[Unmatched]:
    """Students with choices who got none of them (next term's `previous:` reads these)."""
    taken: dict[tuple[str, str], set[str]] = defaultdict(set)
    for section in sections:
        for student_id in section.students:
            taken[(section.school, student_id)].add(section.activity)
    found = []
    for data in instance.schools:
        for group in data.groups:
            for student in group.students if group.has_choices else []:
                if not taken[(data.school.id, student.id)] & set(group.ranks):
                    found.append(Unmatched(school=data.school.id, student=student.id))
    return found


def teacher_loads(data: SchoolData, sections: list[SectionOut]) -> dict[str, int]:
    """Weekly class hours of each teacher (trips are dated, not weekly: not counted)."""
    hours = {a.id: a.class_hours for a in data.school.activities}
    loads = {teacher_id: 0 for teacher_id in data.load_teachers}
    for section in _weekly(sections):
        for staff in section.staff:
            if staff.teacher is not None:
                loads[staff.teacher] = loads.get(staff.teacher, 0) + hours[section.activity]
    return loads


def _spread(data: SchoolData, sections: list[SectionOut]) -> int:
    loads = teacher_loads(data, sections)
    percents = [100 * loads[t] // data.week_cap(data.teacher(t)) for t in data.load_teachers]
    return max(percents) - min(percents) if len(percents) >= 2 else 0


def _rating(instance: Instance, data: SchoolData, sections: list[SectionOut]) -> float:
    hours = {a.id: a.class_hours for a in data.school.activities}
    return sum(
        (instance.providers[st.provider].rating - 3) * hours[s.activity]
        for s in _weekly(sections)
        for st in s.staff
        if st.provider is not None
    )


def _weekly(sections: list[SectionOut]) -> list[SectionOut]:
    return [s for s in sections if s.date is None]


def school_cost(instance: Instance, data: SchoolData, sections: list[SectionOut]) -> float:
    activities = {a.id: a for a in data.school.activities}
    total = 0.0
    for section in sections:
        activity = activities[section.activity]
        rates = [data.teacher(staff.teacher).pay_per_class_hour if staff.teacher
                 else instance.providers[staff.provider or ""].price_per_class_hour
                 for staff in section.staff]
        if section.date is not None:
            away = instance.district.trip_minutes(data.school, activity)
            total += activity.trip_cost(rates, data.school.trip_hours(activity, away))
        else:
            total += sum(data.meetings[section.day] * activity.meeting_cost(r) for r in rates)
    return total


def _mixing(data: SchoolData, sections: list[SectionOut]) -> int:
    fallback = {a.id for a in data.school.activities if a.fallback}
    class_of = {s.id: s.class_ for s in data.school.students}
    return sum(
        len({class_of[st] for st in s.students}) - 1
        for s in sections
        if s.activity in fallback and s.students
    )


def _study_groups(data: SchoolData, sections: list[SectionOut]) -> int:
    fallback = {a.id for a in data.school.activities if a.fallback}
    return sum(1 for s in sections if s.activity in fallback)


def kpis(
    instance: Instance, sections: list[SectionOut], unserved: list[Unserved]
) -> Kpis:
    taken: dict[tuple[str, str], set[str]] = defaultdict(set)
    for section in sections:
        for student_id in section.students:
            taken[(section.school, student_id)].add(section.activity)
    with_choices = first = anyone = days = envy = 0
    best: list[int | None] = []  # per student with choices: the best rank they got
    loads: list[int] = []
    cost = budget = 0.0
    for data in instance.schools:
        best_ranks, envious = _allocation(data, taken)
        best += best_ranks
        envy += envious
        for group in data.groups:
            days += group.size * len(group.needs)
            if not group.has_choices:
                continue
            first_choice = _first_choice(data, group)
            for student in group.students:
                got = taken[(data.school.id, student.id)] & set(group.ranks)
                with_choices += 1
                anyone += bool(got)
                first += first_choice in got
        mine = [s for s in sections if s.school == data.school.id]
        loads += teacher_loads(data, mine).values()
        cost += school_cost(instance, data, mine)
        budget += data.budget
    students = sum(len(d.school.students) for d in instance.schools)
    return Kpis(
        students=students,
        students_with_choices=with_choices,
        student_days=days,
        covered_share=_share(days - len(unserved), days),
        first_choice_share=_share(first, with_choices),
        any_choice_share=_share(anyone, with_choices),
        no_choice_share=_share(with_choices - anyone, with_choices),
        rank_shares=_rank_shares(best),
        top2_share=_share(sum(1 for r in best if r is not None and r < 2), len(best)),
        students_with_none=sum(1 for r in best if r is None),
        envy=envy,
        teacher_hours_max=max(loads, default=0),
        cost=round(cost, 2),
        budget=round(budget, 2),
        sections=len(_weekly(sections)),  # a week's sections: trips are dated
    )


def _allocation(
    data: SchoolData, taken: dict[tuple[str, str], set[str]]
) -> tuple[list[int | None], int]:
    """Each student with choices' best rank got (None: none), and the envious students:
    those who miss an activity that someone who ranked it lower got."""
    sid = data.school.id
    best: list[int | None] = []
    lowest: dict[str, int] = {}  # activity -> the lowest rank (largest index) among its takers
    for group in data.groups:
        for student in group.students:
            for activity in taken[(sid, student.id)] & set(group.ranks):
                lowest[activity] = max(lowest.get(activity, -1), group.ranks[activity])
    envy = 0
    for group in data.groups:
        if not group.has_choices:
            continue
        for student in group.students:
            got = taken[(sid, student.id)] & set(group.ranks)
            best.append(min((group.ranks[a] for a in got), default=None))
            envy += any(a not in got and rank < lowest.get(a, -1)
                        for a, rank in group.ranks.items())
    return best, envy


def _rank_shares(best: list[int | None]) -> list[float]:
    """Share of students with choices whose best activity is their 1st, 2nd, ... choice."""
    ranks = [r for r in best if r is not None]
    counts = [0] * (max(ranks) + 1 if ranks else 0)
    for rank in ranks:
        counts[rank] += 1
    return [_share(c, len(best)) for c in counts]


def _share(part: int, whole: int) -> float:
    """A share of a count; 0.0 when there is nothing to count (as the verifier reads it)."""
    return part / whole if whole else 0.0


def _first_choice(data: SchoolData, group) -> str | None:
    """The student's first-listed non-fallback choice (offered to their grade or not)."""
    for choice in group.students[0].choices:
        activity = data.school.activity(choice)
        if activity is not None and not activity.fallback:
            return activity.id
    return None
