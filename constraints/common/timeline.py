"""Which slots run at each moment: overlaps are checked at the starts of slots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from models.common import Day
from models.instance import Slot


def moments(
    slots: Iterable[Slot], also: Iterable[tuple[Day, int]] = ()
) -> Iterator[tuple[Day, int, list[Slot]]]:
    """Each (day, minute) at which some slot starts (or one of `also`), with the slots
    running then.

    Two intervals overlap exactly when one contains the other's start, so limiting the
    slots running at every start limits every overlap (`also` adds the starts of other
    intervals, such as reserved capacity).
    """
    by_day: dict[Day, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.day].append(slot)
    extra: dict[Day, set[int]] = defaultdict(set)
    for day, minute in also:
        extra[day].add(minute)
    for day, day_slots in by_day.items():
        for minute in sorted({s.start for s in day_slots} | extra[day]):
            running = [s for s in day_slots if s.covers(minute)]
            if running:
                yield day, minute, running
