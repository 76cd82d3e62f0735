"""H5 students: a child is only where they signed up to be, once at a time, and home on time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from constraints.common.context import (
    Context,
    Placed,
    StudentKey,
    assigned_ids,
    overlapping_by_day,
    ranked_choices,
    span,
    window_end,
)
from constraints.common.report import Violation
from models.common import format_clock
from models.district import Student


def check(ctx: Context) -> Iterator[Violation]:
    for placed in ctx.placed:
        for student in placed.students:
            yield from _belongs(placed, student)
            yield from _on_time(ctx, placed, student)
    for key, sections in ctx.by_student.items():
        yield from _one_at_a_time(key, sections)
        yield from _week(key, sections)


def _belongs(placed: Placed, student: Student) -> Iterator[Violation]:
    """Only the child's grades, registered days, and activities they chose (or the fallback)."""
    if student.grade not in placed.activity.grades:
        grades = ", ".join(str(g) for g in placed.activity.grades)
        yield _said(placed, student, f"is in grade {student.grade}, the activity is for "
                    f"grades {grades}")
    if placed.day not in student.days:
        yield _said(placed, student, f"is not registered on {placed.day}")
    chosen = ranked_choices(placed.school, student) + assigned_ids(placed.school, student)
    if not placed.activity.fallback and placed.activity.id not in chosen:
        yield _said(placed, student, f"did not choose {placed.activity.label}")


def _on_time(ctx: Context, placed: Placed, student: Student) -> Iterator[Violation]:
    """Nothing before dismissal; a chosen activity ends by pick-up; nothing after the child left."""
    if student.grade not in placed.school.grades:
        return
    dismissal = placed.school.dismissal(student.grade, placed.day)  # type: ignore[arg-type]
    if placed.start < dismissal:
        yield _said(placed, student, f"is in class until {format_clock(dismissal)}")
    pickup = student.pickup_on(placed.day)  # type: ignore[arg-type]
    if not placed.activity.fallback and pickup is not None and placed.end > pickup:
        yield _said(placed, student, f"is picked up at {format_clock(pickup)}")
    leaves = window_end(ctx, placed.school, student, placed.day)
    if placed.start >= leaves:
        yield _said(placed, student, f"has gone home at {format_clock(leaves)}, before the "
                    "group starts")


def _said(placed: Placed, student: Student, text: str) -> Violation:
    return Violation("H5", f"{placed.where()}: student {student.id} {text}", placed.id)


def _one_at_a_time(key: StudentKey, sections: list[Placed]) -> Iterator[Violation]:
    """A child is in one group at a time."""
    for day, first, second in overlapping_by_day(sections):
        yield Violation(
            "H5", f"{day} {span(second.start, first.end)}: student {key[1]} is in both "
            f"{first.activity.label} ({span(first.start, first.end)}, room {first.out.room}) "
            f"and {second.activity.label} ({span(second.start, second.end)}, room "
            f"{second.out.room})", second.id)


def _week(key: StudentKey, sections: list[Placed]) -> Iterator[Violation]:
    """One group per activity a week (the fallback may be every day), and at most
    `max_clubs_per_student_week` chosen groups."""
    counts = Counter(p.activity.id for p in sections if not p.activity.fallback)
    for activity_id, count in counts.items():
        if count > 1:
            label = next(p.activity.label for p in sections if p.activity.id == activity_id)
            yield Violation("H5", f"student {key[1]} is in {count} {label} groups a week, "
                            "at most one", None)
    clubs = [p for p in sections if not p.activity.fallback]
    cap = sections[0].policy.max_clubs_per_student_week
    if len(clubs) > cap:
        yield Violation("H5", f"student {key[1]} is in {len(clubs)} chosen activities a week, "
                        f"at most {cap}", None)
