"""A first timetable for CP-SAT to start from, made greedily.

Large schools make the first feasible solution the hard part of the search, and the
search climbs from where it starts. The greedy first opens, one at a time, the club
section that seats the most students who have no club yet (children with the fewest
club slots open to them first, then by rank), then more sections where most students
ranked them (second clubs), then just enough supervised-study groups for every
period still uncovered, staffed by the least-loaded free teachers, then providers. While
clubs open, the money supervised study alone would cost is held back. If the clubs leave
too little staff for supervision, it falls back to supervision only. Where even that
runs short, the hint is partial, which is still a useful start.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field

from constraints.budget.model import section_cost
from constraints.common.variables import Variables
from models.instance import Group, Instance, SchoolData, Slot

from .model import Model


@dataclass
class _Books:
    """What the greedy has used so far: staff time, hours, rooms and money."""

    teacher_busy: dict[str, list[Slot]] = field(default_factory=lambda: defaultdict(list))
    provider_busy: dict[str, list[Slot]] = field(default_factory=lambda: defaultdict(list))
    room_use: list[tuple[Slot, int]] = field(default_factory=list)  # (slot, sections)
    placed: set[tuple[int, str, int]] = field(default_factory=set)  # (group, day, period)
    clubs: dict[int, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    max_clubs: int = 2
    # Club slots each group may sit in: the fewer, the sooner a child with none is seated.
    options: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    cost: float = 0.0
    # Money held back while clubs open: what supervised study alone would cost, so clubs
    # never spend what study needs (a school whose budget binds otherwise got no clubs
    # in its start at all).
    reserve: float = 0.0


def add_hint(model: Model, instance: Instance) -> None:
    vars = model.vars
    chosen = _greedy(instance, vars, clubs=True)
    if chosen is None:
        chosen = _greedy(instance, vars, clubs=False) or {}
    model.hint({v.index: chosen[id(v)] for v in vars.decisions() if id(v) in chosen})


def _greedy(instance: Instance, vars: Variables, clubs: bool) -> dict[int, int] | None:
    """Hinted values by variable id; None when some needed period stays uncovered."""
    chosen: dict[int, int] = {}
    provider_busy: dict[str, list[Slot]] = defaultdict(list)
    complete = True
    for data in instance.schools:
        books = _Books(
            provider_busy=provider_busy, max_clubs=data.policy.max_clubs_per_student_week
        )
        if clubs:
            books.reserve = _study_cost(instance, data, vars)
            _open_clubs(instance, data, vars, books, chosen)
            books.reserve = 0.0
        _open_all_study(instance, data, vars, books, chosen)
        needed = sum(len(p) * g.size for g in data.groups for p in g.needs.values())
        placed = sum(data.groups[g].size for g, _, _ in books.placed)
        complete = complete and placed == needed
    return chosen if complete else None


def _open_all_study(instance: Instance, data: SchoolData, vars: Variables, books: _Books,
                    chosen: dict[int, int]) -> None:
    for slot in sorted(_fallback_slots(data, vars), key=lambda s: (s.day, s.start)):
        _open_study(instance, data, vars, slot, books, chosen)


def _study_cost(instance: Instance, data: SchoolData, vars: Variables) -> float:
    """What the greedy's supervised study costs the school with no clubs at all."""
    books = _Books(max_clubs=data.policy.max_clubs_per_student_week)
    _open_all_study(instance, data, vars, books, {})
    return books.cost


def _open_clubs(
    instance: Instance, data: SchoolData, vars: Variables, books: _Books, chosen: dict[int, int]
) -> None:
    sid = data.school.id
    slots = [s for s in data.slots if not s.activity.fallback and vars.has_staff(sid, s)]
    opened: dict[str, int] = defaultdict(int)
    for slot in slots:
        for group, _ in vars.seats_in(sid, slot):
            books.options[group.index] += 1
    _open_for_unmatched(instance, data, vars, slots, books, chosen, opened)
    slots.sort(key=lambda s: -sum(g.size for g, _ in vars.seats_in(sid, s)))
    for slot in slots:
        limit = slot.activity.max_sections_week
        while limit is None or opened[slot.activity.id] < limit:
            takers = _club_takers(data, vars, slot, books)
            if sum(g.size for g, _ in takers) < slot.activity.min_size:
                break
            if not _staff(instance, data, vars, slot, books, chosen, 1):
                break
            books.room_use.append((slot, 1))
            opened[slot.activity.id] += 1
            for group, var in takers:
                _seat_in_club(data, slot, group, var, books, chosen)


def _open_for_unmatched(
    instance: Instance,
    data: SchoolData,
    vars: Variables,
    slots: list[Slot],
    books: _Books,
    chosen: dict[int, int],
    opened: dict[str, int],
) -> None:
    """Open, one at a time, the section that seats the most students with no club yet.

    A slot's gain only falls as students are seated and staff and rooms are used, so a
    slot whose gain, worked out again, is still the best of the stale gains is the best
    (lazy greedy)."""
    heap = [(-_newly_seated(_section_takers(data, vars, s, books), books), n)
            for n, s in enumerate(slots)]
    heapq.heapify(heap)
    while heap:
        stale, n = heapq.heappop(heap)
        slot = slots[n]
        limit = slot.activity.max_sections_week
        if stale == 0 or (limit is not None and opened[slot.activity.id] >= limit):
            continue
        takers = _section_takers(data, vars, slot, books)
        gain = _newly_seated(takers, books)
        if heap and -gain > heap[0][0]:
            heapq.heappush(heap, (-gain, n))
            continue
        if gain == 0 or not _staff(instance, data, vars, slot, books, chosen, 1):
            continue
        books.room_use.append((slot, 1))
        opened[slot.activity.id] += 1
        for group, var in takers:
            _seat_in_club(data, slot, group, var, books, chosen)
        heapq.heappush(heap, (-gain, n))


def _section_takers(data: SchoolData, vars: Variables, slot: Slot, books: _Books) -> list:
    """The takers of one more section of the slot; none when it could not open (too few
    takers or no room)."""
    takers = _club_takers(data, vars, slot, books)
    if sum(g.size for g, _ in takers) < slot.activity.min_size:
        return []
    if not _room_free(data, slot, books):
        return []
    return takers


def _newly_seated(takers: list, books: _Books) -> int:
    """Students with choices and no club yet among the takers."""
    return sum(g.size for g, _ in takers if g.has_choices and not books.clubs[g.index])


def _club_takers(data: SchoolData, vars: Variables, slot: Slot, books: _Books) -> list:
    """Whole groups free for the slot, best-ranked first, up to one section's size."""
    room = data.room_need[slot.activity.id]
    free = [(g, v) for g, v in vars.seats_in(data.school.id, slot) if _free_for(g, slot, books)]
    free.sort(key=lambda item: _taker_order(item[0], slot.activity.id, books))
    takers = []
    for group, var in free:
        if group.size <= room:
            room -= group.size
            takers.append((group, var))
    return takers


def _taker_order(group: Group, activity_id: str, books: _Books) -> tuple[bool, bool, int, int, int]:
    """Students assigned the club first; then those with no club yet: higher priority,
    then fewer club slots open to them, then better rank first; then the others by rank
    and priority."""
    not_assigned = activity_id not in group.assigned
    rank = group.ranks.get(activity_id, len(group.ranks))
    if books.clubs[group.index]:
        return not_assigned, True, rank, -group.priority, 0
    return not_assigned, False, -group.priority, books.options[group.index], rank


def _free_for(group, slot: Slot, books: _Books) -> bool:
    taken = books.clubs[group.index]
    if slot.activity.id in {a for a, _ in taken}:
        return False
    if len(taken) >= books.max_clubs:
        return False
    return not any(
        (group.index, slot.day, p) in books.placed for p in group.needs[slot.day] if slot.covers(p)
    )


def _seat_in_club(
    data: SchoolData, slot: Slot, group, var, books: _Books, chosen: dict[int, int]
) -> None:
    chosen[id(var)] = group.size
    books.clubs[group.index].append((slot.activity.id, slot.index))
    for period in group.needs[slot.day]:
        if slot.covers(period):
            books.placed.add((group.index, slot.day, period))


def _fallback_slots(data: SchoolData, vars: Variables) -> list[Slot]:
    return [s for s in data.slots if s.activity.fallback and vars.has_staff(data.school.id, s)]


def _open_study(
    instance: Instance,
    data: SchoolData,
    vars: Variables,
    slot: Slot,
    books: _Books,
    chosen: dict[int, int],
) -> None:
    sid = data.school.id
    seats = [
        (g, v)
        for g, v in vars.seats_in(sid, slot)
        if (g.index, slot.day, slot.start) not in books.placed
    ]
    students = sum(g.size for g, _ in seats)
    if not students:
        return
    size = data.room_need[slot.activity.id]
    wanted = min(math.ceil(students / size), max(1, students // slot.activity.min_size))
    opened = _staff(instance, data, vars, slot, books, chosen, wanted)
    if not opened:
        return
    books.room_use.append((slot, opened))
    room = opened * size
    for group, var in seats:
        if group.size <= room:
            room -= group.size
            chosen[id(var)] = group.size
            books.placed.add((group.index, slot.day, slot.start))


def _staff(
    instance: Instance,
    data: SchoolData,
    vars: Variables,
    slot: Slot,
    books: _Books,
    chosen: dict[int, int],
    wanted: int,
) -> int:
    sid, opened = data.school.id, 0
    if not _room_free(data, slot, books):
        return 0
    teachers = sorted(
        vars.teachers_of(sid, slot).items(), key=lambda item: _load(data, books, item[0])
    )
    for teacher_id, var in teachers:
        if (
            opened < wanted
            and _teacher_free(data, books, teacher_id, slot)
            and _afford(data, books, slot, data.teacher(teacher_id).pay_per_class_hour)
        ):
            books.teacher_busy[teacher_id].append(slot)
            chosen[id(var)] = 1
            opened += 1
    for provider_id, var in vars.providers_of(sid, slot).items():
        provider = instance.providers[provider_id]
        free = instance.instructors_free(provider_id, slot) - _running(
            books.provider_busy[provider_id], slot
        )
        take = max(0, min(free, wanted - opened))
        if take and _afford(data, books, slot, provider.price_per_class_hour, take):
            books.provider_busy[provider_id] += [slot] * take
            # A slot may open a second section of the same provider: count, not replace.
            chosen[id(var)] = chosen.get(id(var), 0) + take
            opened += take
    return opened


def _load(data: SchoolData, books: _Books, teacher_id: str) -> float:
    hours = sum(s.class_hours for s in books.teacher_busy[teacher_id])
    return hours / max(1, data.week_cap(data.teacher(teacher_id)))


def _teacher_free(data: SchoolData, books: _Books, teacher_id: str, slot: Slot) -> bool:
    mine = books.teacher_busy[teacher_id]
    teacher = data.teacher(teacher_id)
    day_hours = sum(s.class_hours for s in mine if s.day == slot.day)
    week_hours = sum(s.class_hours for s in mine)
    overlap = any(s.day == slot.day and s.start < slot.end and slot.start < s.end for s in mine)
    return (
        not overlap
        and day_hours + slot.class_hours <= data.day_cap(teacher)
        and week_hours + slot.class_hours <= data.week_cap(teacher)
    )


def _running(taken: list[Slot], slot: Slot) -> int:
    return sum(1 for s in taken if s.day == slot.day and s.start < slot.end and slot.start < s.end)


def _room_free(data: SchoolData, slot: Slot, books: _Books) -> bool:
    rooms = len(data.rooms_for(slot.activity))
    used = sum(
        n
        for s, n in books.room_use
        if s.activity.room_type == slot.activity.room_type
        and s.day == slot.day
        and s.start < slot.end
        and slot.start < s.end
    )
    return used < rooms


def _afford(data: SchoolData, books: _Books, slot: Slot, rate: float, count: int = 1) -> bool:
    extra = count * section_cost(data, slot, rate)
    if books.cost + extra > data.budget - books.reserve:
        return False
    books.cost += extra
    return True
