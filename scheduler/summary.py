"""The readable summary `check` prints: what the file holds and what the term can spend."""

from __future__ import annotations

from rich.console import Console

from models.district import District, School
from models.loader import Loaded


def student_days(loaded: Loaded) -> int:
    """Registered student-days a week, over every school of the file."""
    return sum(len(s.days) for school in loaded.district.schools for s in school.students)


def _grades(school: School) -> str:
    """Grades as a range where they are consecutive: `1-6`, else `1,3,5`."""
    grades = sorted(school.grades)
    if len(grades) > 2 and grades == list(range(grades[0], grades[-1] + 1)):
        return f"{grades[0]}-{grades[-1]}"
    return ",".join(str(g) for g in grades)


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}" if n == 1 else f"{n:,} {what}s"


def term_line(loaded: Loaded) -> str:
    """One line on the term: dates, weekdays and what the file holds."""
    district = loaded.district
    term = district.term
    providers = district.providers
    return (
        f"{loaded.source}: term {term.name}, service {term.first_service_day} to {term.end} "
        f"on {' '.join(term.weekdays)}; {_count(len(district.schools), 'school')}, "
        f"{_count(len(providers), 'provider')}"
        f" ({sum(p.vetted(term.end) for p in providers)} vetted)"
    )


def school_lines(district: District, school: School) -> list[str]:
    """Two lines per school: its people and rooms, then its sign-ups and term budget."""
    days = sum(len(s.days) for s in school.students)
    with_choices = sum(1 for s in school.students if s.choices)
    return [
        f"  {f'{school.id} {school.name}'.strip()}: grades {_grades(school)}, "
        f"{_count(len(school.students), 'student')} ({with_choices:,} with choices), "
        f"{_count(len(school.teachers), 'teacher')}, {_count(len(school.rooms), 'room')}, "
        f"{_count(len(school.activities), 'activity').replace('activitys', 'activities')}",
        f"    {days:,} registered student-days a week; enrolled {school.enrolled:,}; "
        f"term budget {district.budget(school):,.0f} yuan",
    ]


def print_summary(loaded: Loaded, console: Console) -> None:
    """The summary, then every warning (one line each, so editors can jump to it)."""
    district = loaded.district
    console.print(term_line(loaded), markup=False, soft_wrap=True, emoji=False)
    for school in district.schools:
        for line in school_lines(district, school):
            console.print(line, markup=False, soft_wrap=True, emoji=False)
    students = sum(len(s.students) for s in district.schools)
    budget = sum(district.budget(s) for s in district.schools)
    console.print(
        f"total: {students:,} students, {student_days(loaded):,} registered student-days, "
        f"term budget {budget:,.0f} yuan",
        markup=False, soft_wrap=True, emoji=False,
    )
    for warning in loaded.warnings:
        console.print(str(warning), style="yellow", markup=False, soft_wrap=True, emoji=False)
    count = len(loaded.warnings)
    console.print(f"{_count(count, 'warning')}" if count else "no warnings", markup=False)
