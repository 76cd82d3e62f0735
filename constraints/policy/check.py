"""H8 policy: no lessons, nothing forbidden or unreviewed, and no child over their daily hours."""

from __future__ import annotations

from collections.abc import Iterator

from constraints.common.context import Context, Placed
from constraints.common.report import Violation


def check(ctx: Context) -> Iterator[Violation]:
    for placed in ctx.placed:
        yield from _allowed(placed)
    yield from _daily_hours(ctx)


def _allowed(placed: Placed) -> Iterator[Violation]:
    """Collective lessons are never allowed; forbidden categories and unapproved items neither."""
    activity = placed.activity
    forbidden = {"lesson", *placed.policy.forbidden_categories}
    if activity.category in forbidden:
        yield Violation("H8", f"{placed.where()}: category {activity.category!r} is not allowed "
                        "in after-school service", placed.id)
    if not activity.approved:
        yield Violation("H8", f"{placed.where()}: {activity.label} is not approved", placed.id)


def _daily_hours(ctx: Context) -> Iterator[Violation]:
    """A child has at most `max_class_hours_per_day` class hours of service a day."""
    for (_, student_id), sections in ctx.by_student.items():
        cap = sections[0].policy.max_class_hours_per_day
        for day in sorted({p.day for p in sections}):
            hours = sum(p.hours for p in sections if p.day == day)
            if hours > cap:
                yield Violation("H8", f"{day}: student {student_id} has {hours} class hours, "
                                f"at most {cap}", None)
