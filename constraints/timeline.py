"""Which slots run at each moment: overlaps are checked at the starts of slots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from models.common import Day
from models.instance import Slot


def moments(slots: Iterable[Slot]) -> Iterator[tuple[Day, int, list[Slot]]]:
    """Each (day, minute) at which some slot starts, with the slots running then.

    Two intervals overlap exactly when one contains the other's start, so limiting the
    slots running at every start limits every overlap.
    """
    by_day: dict[Day, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.day].append(slot)
    for day, day_slots in by_day.items():
        for minute in sorted({s.start for s in day_slots}):
            running = [s for s in day_slots if s.covers(minute)]
            yield day, minute, running
