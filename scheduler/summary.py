"""The readable summary `check` prints: what the file holds and what the term can spend,
then its warnings, the visit dates that cannot go (and why), and whether a pre-check already
proves no timetable exists."""

from __future__ import annotations

from collections import Counter

from rich.console import Console

from models.district import District, School
from models.loader import Loaded

from .messages import Say

DECISIVE = 5  # pre-check conflicts `check` prints; `explain` has them all


def student_days(loaded: Loaded) -> int:
    """Registered student-days a week, over every school of the file."""
    return sum(len(s.days) for school in loaded.district.schools for s in school.students)


def _grades(school: School) -> str:
    """Grades as a range where they are consecutive: `1-6`, else `1,3,5`."""
    grades = sorted(school.grades)
    if len(grades) > 2 and grades == list(range(grades[0], grades[-1] + 1)):
        return f"{grades[0]}-{grades[-1]}"
    return ",".join(str(g) for g in grades)


def term_line(loaded: Loaded, say: Say) -> str:
    """One line on the term: dates, weekdays and what the file holds."""
    district = loaded.district
    term = district.term
    providers = district.providers
    return say("term_line", source=loaded.source, name=term.name, first=term.first_service_day,
               end=term.end, days=say.days(list(term.weekdays)),
               schools=say("schools", n=len(district.schools)),
               providers=say("providers", n=len(providers)),
               vetted=sum(p.vetted(term.end) for p in providers))


def school_lines(district: District, school: School, say: Say) -> list[str]:
    """Two lines per school: its people and rooms, then its sign-ups and term budget."""
    days = sum(len(s.days) for s in school.students)
    with_choices = sum(1 for s in school.students if s.choices)
    return [
        say("school_people", school=f"{school.id} {school.name}".strip(),
            grades=_grades(school), students=say("students", n=len(school.students)),
            chose=with_choices, teachers=say("teachers", n=len(school.teachers)),
            rooms=say("rooms", n=len(school.rooms)),
            activities=say("activities", n=len(school.activities))),
        say("school_days", days=days, enrolled=school.enrolled, budget=district.budget(school)),
        *_allocation_line(district, school, say),
    ]


def _allocation_line(district: District, school: School, say: Say) -> list[str]:
    """The SPEC §8.5 options the school uses, when it uses any (else no line)."""
    labels = Counter(s.together for s in school.students if s.together)
    assigned = sum(1 for s in school.students if s.assigned)
    priority = sum(1 for s in school.students if district.priority(school.id, s))
    left_out = len(district.previous.unmatched.get(school.id, [])) if district.previous else 0
    if not (labels or assigned or priority or district.previous):
        return []
    previous = say("school_previous", n=left_out) if district.previous else ""
    return [say("school_allocation", labels=len(labels), paired=sum(labels.values()),
                assigned=assigned, priority=priority,
                fairness=district.policy_for(school).fairness, previous=previous)]


def print_summary(loaded: Loaded, console: Console, say: Say) -> None:
    """The summary, then every warning (one line each, so editors can jump to it)."""
    district = loaded.district
    _line(console, term_line(loaded, say))
    for school in district.schools:
        for line in school_lines(district, school, say):
            _line(console, line)
    students = sum(len(s.students) for s in district.schools)
    budget = sum(district.budget(s) for s in district.schools)
    _line(console, say("total", students=students, days=student_days(loaded), budget=budget))
    print_warnings(loaded, console, say)


def _line(console: Console, text: str, style: str | None = None) -> None:
    """As written: `:100:` is a position, not an emoji, and a line is never cut."""
    console.print(text, style=style, markup=False, soft_wrap=True, emoji=False)


def print_warnings(loaded: Loaded, console: Console, say: Say) -> None:
    for warning in loaded.warnings:
        _line(console, str(warning), "yellow")
    count = len(loaded.warnings)
    console.print(say("warnings", n=count) if count else say("no_warnings"), markup=False)


def print_proven_infeasible(loaded: Loaded, console: Console, say: Say) -> bool:
    """The cheap pre-checks of `explain`: say which visit dates cannot go and why, then print
    the conflicts that decide it, if any."""
    from models.instance import build_instance

    from .explain.prechecks import decisive, prechecks
    from .explain.words import Words

    instance = build_instance(loaded.district)
    findings = prechecks(instance)
    words = Words(loaded, instance, say.lang)
    visits = [f for f in findings if f.kind == "visit"]
    if visits:
        _line(console, say("visits_blocked", n=len(visits)), "yellow")
        for finding in visits:
            _line(console, f"  • {finding.school}: {words.finding(finding)}")
    conflicts = decisive([f for f in findings if f.severity == "conflict"])
    if not conflicts:
        return False
    _line(console, say("no_timetable_exists"), "red")
    for finding in conflicts[:DECISIVE]:
        _line(console, f"  • {finding.school}: {words.finding(finding)}")
    if len(conflicts) > DECISIVE:
        _line(console, "  " + say("more", n=len(conflicts) - DECISIVE, where="afterschool explain"))
    return True
