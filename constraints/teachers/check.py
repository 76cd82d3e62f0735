"""H3 teachers: a teacher leads what they can teach, when they are free, within their own caps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from constraints.common.context import Context, Placed, overlapping_by_day, span
from constraints.common.report import Violation
from models.common import overlaps
from models.district import Policy, Teacher

TeacherKey = tuple[str, str]  # (school id, teacher id)


def week_cap(teacher: Teacher, policy: Policy) -> int:
    """Class hours a week the teacher offers: their own cap, else the policy's."""
    own = teacher.max_class_hours_week
    return policy.teacher_max_class_hours_week if own is None else own


def day_cap(teacher: Teacher, policy: Policy) -> int:
    own = teacher.max_class_hours_day
    return policy.teacher_max_class_hours_day if own is None else own


def teacher_sections(ctx: Context) -> dict[TeacherKey, list[Placed]]:
    """Each teacher's sections in the week, by (school, teacher)."""
    table: dict[TeacherKey, list[Placed]] = defaultdict(list)
    for placed in ctx.placed:
        for teacher in placed.teachers:
            table[(placed.school.id, teacher.id)].append(placed)
    return table


def check(ctx: Context) -> Iterator[Violation]:
    for placed in ctx.placed:
        for teacher in placed.teachers:
            yield from _fit(placed, teacher)
    for (_, teacher_id), sections in teacher_sections(ctx).items():
        teacher = next(t for t in sections[0].teachers if t.id == teacher_id)
        yield from _no_overlap(teacher, sections)
        yield from _caps(teacher, sections, sections[0].policy)


def _fit(placed: Placed, teacher: Teacher) -> Iterator[Violation]:
    """The teacher has the skill, is free from daytime duties, and works for no provider."""
    who = f"{placed.where()}: teacher {teacher.name or teacher.id}"
    if placed.activity.skill not in teacher.skills:
        yield Violation("H3", f"{who} lacks the skill {placed.activity.skill!r}", placed.id)
    for window in teacher.busy.get(placed.day, []):  # type: ignore[call-overload]
        if overlaps(window, (placed.start, placed.end)):
            yield Violation("H3", f"{who} is busy {span(*window)}", placed.id)
    if teacher.affiliations:
        names = ", ".join(teacher.affiliations)
        yield Violation("H3", f"{who} is affiliated with provider {names}", placed.id)


def _no_overlap(teacher: Teacher, sections: list[Placed]) -> Iterator[Violation]:
    """A teacher leads one group at a time."""
    for day, first, second in overlapping_by_day(sections):
        yield Violation(
            "H3", f"{day} {span(second.start, first.end)}: "
            f"teacher {teacher.name or teacher.id} "
            f"leads {first.activity.label} ({span(first.start, first.end)}) and "
            f"{second.activity.label} ({span(second.start, second.end)})", second.id)


def _caps(teacher: Teacher, sections: list[Placed], policy: Policy) -> Iterator[Violation]:
    """No more class hours a day or a week than the teacher's own caps."""
    who = f"teacher {teacher.name or teacher.id}"
    week = sum(p.hours for p in sections)
    if week > week_cap(teacher, policy):
        yield Violation("H3", f"{who} teaches {week} class hours a week, cap "
                        f"{week_cap(teacher, policy)}", sections[0].id)
    for day in sorted({p.day for p in sections}):
        hours = sum(p.hours for p in sections if p.day == day)
        if hours > day_cap(teacher, policy):
            yield Violation("H3", f"{day}: {who} teaches {hours} class hours, day cap "
                            f"{day_cap(teacher, policy)}", sections[0].id)
