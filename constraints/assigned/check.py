"""Assigned (hard), re-checked on the timetable: every assignment is kept."""

from __future__ import annotations

from collections.abc import Iterator

from constraints.common.context import Context, assigned_ids
from constraints.common.report import Violation


def check(ctx: Context) -> Iterator[Violation]:
    for school in ctx.district.schools:
        for student in school.students:
            got = {p.activity.id for p in ctx.by_student.get((school.id, student.id), [])}
            for activity_id in assigned_ids(school, student):
                if activity_id not in got:
                    reason = f" ({student.assigned_reason})" if student.assigned_reason else ""
                    yield Violation("H5", f"student {student.id} is assigned {activity_id}"
                                    f"{reason} but is in no group of it")
