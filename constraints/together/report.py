"""Which `together` pairs a timetable keeps and splits, from the input and the sections alone.

Used by the verifier's recomputation of the term and by the report (`solution.json`'s
`together`, the terminal summary and the HTML report).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from models.district import School
from models.solution import SectionOut, Split, TogetherPair


def labelled(school: School) -> dict[str, list[str]]:
    """Student ids by `together` label, in roster order (labels of two or more only)."""
    labels: dict[str, list[str]] = defaultdict(list)
    for student in school.students:
        if student.together:
            labels[student.together].append(student.id)
    return {k: v for k, v in labels.items() if len(v) > 1}


def pairs(school: School, sections: list[SectionOut]) -> list[TogetherPair]:
    """Every pair of students sharing a label: activities kept together, split, or none."""
    labels = labelled(school)
    if not labels:
        return []
    fallback = {a.id for a in school.activities if a.fallback}
    clubs: dict[str, dict[str, SectionOut]] = defaultdict(dict)  # student -> activity -> section
    for section in sections:
        if section.school == school.id and section.activity not in fallback:
            for student in section.students:
                clubs[student][section.activity] = section
    found = []
    for label, members in labels.items():
        for first, second in combinations(members, 2):
            found.append(_pair(school.id, label, first, second, clubs))
    return found


def _pair(school: str, label: str, first: str, second: str,
          clubs: dict[str, dict[str, SectionOut]]) -> TogetherPair:
    mine, theirs = clubs.get(first, {}), clubs.get(second, {})
    pair = TogetherPair(school=school, label=label, students=[first, second])
    for activity in sorted(set(mine) & set(theirs)):
        a, b = mine[activity], theirs[activity]
        if a.id == b.id:
            pair.kept.append(activity)
        else:
            same_time = (a.day, a.start) == (b.day, b.start)
            pair.split.append(Split(activity=activity, sections=[a.id, b.id],
                                    why="same-time" if same_time else "other-time"))
    if not pair.kept and not pair.split:
        pair.apart = [sorted(mine), sorted(theirs)]
    return pair
