"""H6 size: every group written has between `min_size` and `max_size` children.

(Room capacity is checked with the room, under H2.) A group of nobody is not open and
must not be written. An activity opens at most `max_sections_week` groups a week.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from constraints.common.context import Context, Placed
from constraints.common.report import Violation


def check(ctx: Context) -> Iterator[Violation]:
    for placed in ctx.placed:
        yield from _size(placed)
    yield from _sections_week(ctx)


def _size(placed: Placed) -> Iterator[Violation]:
    size = len(placed.students)
    low, high = placed.activity.min_size, placed.activity.max_size
    if size == 0:
        yield Violation("H6", f"{placed.where()}: a group with no students is written", placed.id)
    elif not low <= size <= high:
        yield Violation("H6", f"{placed.where()}: {size} students, the activity takes "
                        f"{low}-{high}", placed.id)


def _sections_week(ctx: Context) -> Iterator[Violation]:
    """An activity opens no more groups a week than the school allows."""
    counts = Counter((p.school.id, p.activity.id) for p in ctx.placed)
    for (school_id, activity_id), count in counts.items():
        school = ctx.district.school(school_id)
        activity = next(a for a in school.activities if a.id == activity_id)
        if activity.max_sections_week is not None and count > activity.max_sections_week:
            yield Violation("H6", f"{school_id}: {activity.label} has {count} groups a week, "
                            f"at most {activity.max_sections_week}", None)
