"""H1 time: a group starts when a period starts for every grade in it, and ends in time."""

from __future__ import annotations

from collections.abc import Iterator

from constraints.common.context import Context, Placed
from constraints.common.report import Violation
from models.common import format_clock


def check(ctx: Context) -> Iterator[Violation]:
    for placed in ctx.placed:
        yield from _service_day(ctx, placed)
        yield from _length(placed)
        yield from _latest_end(placed)
        yield from _period_starts(ctx, placed)


def _service_day(ctx: Context, placed: Placed) -> Iterator[Violation]:
    """Groups meet only on the term's service weekdays."""
    if placed.day not in ctx.district.term.weekdays:
        days = ", ".join(ctx.district.term.weekdays)
        yield Violation("H1", f"{placed.where()}: {placed.day} is not a service day ({days})",
                        placed.id)


def _length(placed: Placed) -> Iterator[Violation]:
    """A group lasts its class hours and the breaks between them, no more, no less."""
    minutes = placed.school.duration(placed.activity)
    if placed.end != placed.start + minutes:
        yield Violation(
            "H1",
            f"{placed.where()}: a {placed.activity.label} group lasts {minutes} min, so it ends "
            f"at {format_clock(placed.start + minutes)}, not {format_clock(placed.end)}",
            placed.id)


def _latest_end(placed: Placed) -> Iterator[Violation]:
    """Service ends no later than the policy's latest end (18:00 by default)."""
    end = max(placed.end, placed.start + placed.school.duration(placed.activity))
    if end > placed.policy.latest_end:
        yield Violation(
            "H1", f"{placed.where()}: ends {format_clock(end)}, after the latest end "
            f"{format_clock(placed.policy.latest_end)}", placed.id)


def _period_starts(ctx: Context, placed: Placed) -> Iterator[Violation]:
    """Every grade in the group must be starting a period at the group's start."""
    for grade in sorted({s.grade for s in placed.students if s.grade in placed.school.grades}):
        starts = ctx.period_starts(placed.school, grade, placed.day)
        if placed.start not in starts:
            shown = ", ".join(format_clock(s) for s in starts) or "none"
            yield Violation(
                "H1", f"{placed.where()}: starts {format_clock(placed.start)}, not a period start "
                f"of grade {grade} on {placed.day} ({shown})", placed.id)
