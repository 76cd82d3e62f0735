"""H2 rooms: the room suits the activity, is big enough, and holds one group at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from constraints.common.context import Context, Placed, overlapping, span
from constraints.common.report import Violation


def check(ctx: Context) -> Iterator[Violation]:
    for placed in ctx.placed:
        yield from _fits(placed)
    yield from _double_booked(ctx)


def _fits(placed: Placed) -> Iterator[Violation]:
    """A football group needs a field; a room holds no more children than its capacity,
    and a small room is not used when a full group would not fit in it."""
    room = placed.room
    if room is None:
        return
    if room.type != placed.activity.room_type:
        yield Violation(
            "H2", f"{placed.where()}: room {room.id} is a {room.type}, "
            f"{placed.activity.label} needs a {placed.activity.room_type}", placed.id)
    if len(placed.students) > room.capacity:
        yield Violation(
            "H2", f"{placed.where()}: {len(placed.students)} students, room {room.id} holds "
            f"{room.capacity}", placed.id)
    needed = needed_capacity(placed)
    if room.type == placed.activity.room_type and room.capacity < needed:
        yield Violation(
            "H2", f"{placed.where()}: room {room.id} holds {room.capacity}, "
            f"{placed.activity.label} needs a {placed.activity.room_type} for {needed}",
            placed.id)


def needed_capacity(placed: Placed) -> int:
    """A group uses a room big enough for a full group, if the school has one that big
    (rules.md, Decision 6): min(max_size, the largest room of the type)."""
    sizes = [r.capacity for r in placed.school.rooms if r.type == placed.activity.room_type]
    return min(placed.activity.max_size, max(sizes, default=0))


def _double_booked(ctx: Context) -> Iterator[Violation]:
    """A room holds one group at a time."""
    by_room: dict[tuple[str, str, str], list[Placed]] = defaultdict(list)
    for placed in ctx.placed:
        by_room[(placed.school.id, placed.out.room, placed.day)].append(placed)
    for (_, room, day), group in by_room.items():
        for first, second in overlapping(group):
            yield Violation(
                "H2", f"{day} {span(second.start, first.end)} room {room}: "
                f"{first.activity.label} ({span(first.start, first.end)}) overlaps "
                f"{second.activity.label} ({span(second.start, second.end)})", second.id)
