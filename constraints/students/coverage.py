"""H5 coverage: every registered child is supervised from dismissal until they go home.

With `coverage: required` every needed period of every registered student-day is covered;
with `best_effort` a student-day is fully covered, or listed in `unserved` and then in no
group that day.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from constraints.common.context import Context, needed_periods, span
from constraints.common.keys import TermName
from constraints.common.report import Violation
from models.district import School, Student
from models.solution import Unserved


def gap(ctx: Context, school: School, student: Student, day: str) -> tuple[int, int] | None:
    """The first needed period of the student-day that no group of theirs spans, if any."""
    sections = ctx.student_day((school.id, student.id), day)
    for period in needed_periods(ctx, school, student, day):
        if not any(p.start <= period[0] and period[1] <= p.end for p in sections):
            return period
    return None


def unserved_days(ctx: Context) -> set[tuple[str, str, str]]:
    """(school, student, day) listed as unserved in the solution."""
    return {(u.school, u.student, u.day) for u in ctx.solution.unserved}


def check(ctx: Context) -> Iterator[Violation]:
    listed = unserved_days(ctx)
    for school in ctx.district.schools:
        for student in school.students:
            for day in student.days:
                yield from _student_day(ctx, school, student, day, listed)
    yield from _valid_unserved(ctx)


def _student_day(ctx: Context, school: School, student: Student, day: str,
                 listed: set[tuple[str, str, str]]) -> Iterator[Violation]:
    who = f"{day}: student {student.id} (grade {student.grade})"
    if (school.id, student.id, day) in listed:
        if ctx.student_day((school.id, student.id), day):
            yield Violation("H5", f"{who} is listed as unserved but placed in a group", None)
        return
    missing = gap(ctx, school, student, day)
    if missing is not None:
        yield Violation("H5", f"{who} is not supervised {span(*missing)}", None)


def _valid_unserved(ctx: Context) -> Iterator[Violation]:
    """Only registered student-days may be listed, once each, and only under best effort."""
    seen: set[tuple[str, str, str]] = set()
    for entry in ctx.solution.unserved:
        key = (entry.school, entry.student, entry.day)
        problem = _unserved_problem(ctx, entry)
        if key in seen:
            problem = "is listed twice"
        seen.add(key)
        if problem:
            yield Violation("H5", f"unserved {entry.day} student {entry.student} of "
                            f"{entry.school}: {problem}", None)


def _unserved_problem(ctx: Context, entry: Unserved) -> str:
    roster = ctx.rosters.get(entry.school)
    if roster is None:
        return "no such school"
    student = roster.get(entry.student)
    if student is None:
        return "no such student"
    if entry.day not in student.days:
        return "the student is not registered that day"
    if ctx.policy(ctx.district.school(entry.school)).coverage == "required":
        return "coverage is required, every registered student-day must be supervised"
    return ""


def terms(ctx: Context, school: School) -> Mapping[TermName, float]:
    """Unserved student-days, priced only under best effort (required lists none)."""
    policy = ctx.policy(school)
    if policy.coverage != "best_effort":
        return {TermName.UNCOVERED_STUDENT_DAY: 0.0}
    registered = {(school.id, s.id, d) for s in school.students for d in s.days}
    missing = len(unserved_days(ctx) & registered)
    return {TermName.UNCOVERED_STUDENT_DAY: -float(policy.weights.uncovered_student_day * missing)}
