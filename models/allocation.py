"""The published lottery and the waiting lists (SPEC §8.5), solver-free.

The lottery rule an office can publish: a student's lottery number is the first 8 hex
digits of SHA-256 of the text `<seed>/<school id>/<student id>` (UTF-8), read as a number
from 0 to 4,294,967,295; the smaller number goes first, and two equal numbers (about one
pair in 4 billion) go in student-id order. The seed is `policy.lottery_seed` (default 0),
so anyone can recompute every number, e.g. `printf '7/s1/s001' | sha256sum`.

A waiting list holds, per activity, the students who ranked it and did not get it, in
promotion order: their rank of it (first choice first), then priority (higher first),
then lottery number.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from .district import Activity, District, School, Student
from .instance import schedulable
from .solution import SchoolLottery, SectionOut, Waitlist, Withdrawal


def lottery_number(seed: int, school_id: str, student_id: str) -> int:
    digest = hashlib.sha256(f"{seed}/{school_id}/{student_id}".encode()).hexdigest()
    return int(digest[:8], 16)


def priority_of(student: Student) -> int:
    """A student's priority (SPEC §8.5 `priority`, default 0); read in this one place."""
    return getattr(student, "priority", 0) or 0


def lottery_of(district: District) -> list[SchoolLottery]:
    """Every student's lottery number, per school, from the school's `lottery_seed`."""
    result = []
    for school in district.schools:
        seed = district.policy_for(school).lottery_seed
        numbers = {s.id: lottery_number(seed, school.id, s.id) for s in school.students}
        result.append(SchoolLottery(school=school.id, seed=seed, numbers=numbers))
    return result


def draw_order(seed: int, school_id: str, students: Iterable[Student]) -> list[Student]:
    """Students in lottery order (smallest number first, then id)."""
    return sorted(students, key=lambda s: (lottery_number(seed, school_id, s.id), s.id))


def wanted(district: District, school: School, student: Student) -> dict[str, int]:
    """Activity id -> the student's 0-based rank of it, for the clubs they ranked that can
    run for their grade (the fallback, unknown names and other grades' clubs left out)."""
    ranks: dict[str, int] = {}
    rank = 0
    for choice in student.choices:
        activity = school.activity(choice)
        if activity is None or activity.fallback:
            continue
        if _open_to(district, school, activity, student):
            ranks.setdefault(activity.id, rank)
        rank += 1  # ranks count the non-fallback choices, as the choice terms do
    return ranks


def _open_to(district: District, school: School, activity: Activity, student: Student) -> bool:
    return schedulable(district.policy_for(school), activity) and student.grade in activity.grades


def waitlists(district: District, sections: list[SectionOut],
              withdrawn: Iterable[Withdrawal] = ()) -> list[Waitlist]:
    """Per school and activity (in input order), the students who ranked it and did not
    get it (and did not withdraw from it), in promotion order; activities nobody waits for
    are left out."""
    left = {(w.school, w.student, w.activity) for w in withdrawn}
    result = []
    for school in district.schools:
        got: dict[str, set[str]] = defaultdict(set)
        for section in sections:
            if section.school == school.id:
                for student_id in section.students:
                    got[student_id].add(section.activity)
        seed = district.policy_for(school).lottery_seed
        waiting: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
        for student in school.students:
            for activity_id, rank in wanted(district, school, student).items():
                if activity_id not in got[student.id] and \
                        (school.id, student.id, activity_id) not in left:
                    key = (rank, -priority_of(student),
                           lottery_number(seed, school.id, student.id), student.id)
                    waiting[activity_id].append(key)
        for activity in school.activities:
            if waiting[activity.id]:
                ordered = [key[3] for key in sorted(waiting[activity.id])]
                result.append(Waitlist(school=school.id, activity=activity.id,
                                       students=ordered))
    return result
