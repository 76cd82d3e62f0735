"""Turn the solver's counts into a timetable: sections with staff, rooms and students.

The model decides how many sections each slot opens (one per staff unit) and how many of
each group of identical students sit in each slot. Here we name the students (a small
exact assignment per group), spread each slot's students evenly over its sections, class
by class, and give each section a room (its class's home room for supervised study
where free, else the smallest room that fits).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from constraints.changes.diff import staff_key
from constraints.common.variables import Variables
from models.common import Day
from models.instance import Instance, SchoolData, Slot
from models.solution import Cover, SectionOut, StaffRef, Unserved, section_id, trip_id
from models.trips import Trip

from .seating import seat_group
from .settings import SolveSettings, make_solver

ROOMING = SolveSettings(time_limit=10, workers=1)  # one worker: the same rooms on every run


@dataclass
class Draft:
    slot: Slot
    staff: StaffRef
    students: list[str] = field(default_factory=list)
    room: str = ""
    base_room: str | None = None  # a re-solve: the room of the base section it continues


Value = Callable[[cp_model.LinearExprT], int]


def extract(
    instance: Instance, vars: Variables, value: Value
) -> tuple[list[SectionOut], list[Unserved]]:
    """`value(var)` reads a solved variable."""
    sections: list[SectionOut] = []
    unserved: list[Unserved] = []
    for data in instance.schools:
        base = _base_sections(instance, data.school.id)
        cap = instance.base.max_changes_per_student if instance.base else None
        school_sections, school_unserved = _school(data, vars, value, base, cap)
        sections += school_sections + _trips(data, vars, value, school_sections)
        unserved += school_unserved
    return sections, unserved


BaseAt = dict[tuple[int, tuple[str, ...]], list[SectionOut]]  # (slot, staff) -> base sections


def _base_sections(instance: Instance, school: str) -> BaseAt:
    """A re-solve's base sections of the school by slot and staff (empty without a base)."""
    if instance.base is None:
        return {}
    slots = {(s.activity.id, s.day, s.start): s.index
             for s in instance.school_data(school).slots}
    table: BaseAt = defaultdict(list)
    for section in instance.base.solution.sections:
        index = slots.get((section.activity, section.day, section.start))
        if section.school == school and index is not None:
            table[(index, staff_key(section))].append(section)
    return table


def _school(
    data: SchoolData, vars: Variables, value: Value, base: BaseAt | None = None,
    cap: int | None = None,
) -> tuple[list[SectionOut], list[Unserved]]:
    sid = data.school.id
    in_slot: dict[int, list[str]] = defaultdict(list)
    unserved: list[Unserved] = []
    for group in data.groups:
        counts = {i: value(v) for i, v in vars.seats_of(sid, group).items() if value(v)}
        missing = {day: value(vars.unserved(sid, group, day)) for day in group.needs}
        seated, left_out = seat_group(data, group, counts, missing, cap)
        for index, ids in seated.items():
            in_slot[index].extend(ids)
        unserved += [_unserved(sid, student_id, day) for student_id, day in left_out]
    drafts = [d for slot in data.slots for d in _drafts(data, vars, slot, value, in_slot)]
    if base:
        _follow_base(data, drafts, base)
    passes = ((True, True), (True, False), (False, False)) if base else ((False, True),
                                                                          (False, False))
    if not any(_assign_rooms(data, drafts, home, keep) for keep, home in passes):
        raise RuntimeError(f"{sid}: rooms could not be assigned; the room counts failed")
    return [_section(d) for d in drafts], unserved


def _unserved(school: str, student: str, day: Day) -> Unserved:
    reason = (
        f"no free staff, room or budget left to supervise this student on {day} "
        "(coverage: best_effort)"
    )
    return Unserved(school=school, student=student, day=day, reason=reason)


def _drafts(
    data: SchoolData, vars: Variables, slot: Slot, value: Value, in_slot: dict[int, list[str]]
) -> list[Draft]:
    sid = data.school.id
    staff = [StaffRef(teacher=t) for t, v in vars.teachers_of(sid, slot).items() if value(v)]
    for provider_id, var in vars.providers_of(sid, slot).items():
        leads = vars.leads_of(sid, slot, provider_id)
        if leads:
            staff += [StaffRef(provider=provider_id, instructor=i)
                      for i, lead in leads.items() if value(lead)]
        else:
            staff += [StaffRef(provider=provider_id)] * value(var)
    students = in_slot.get(slot.index, [])
    if not staff or not students:
        return []
    ordered = _by_class(data, students)
    cap = data.room_need[slot.activity.id]
    label = {s.id: s.together for s in data.school.students if s.together}
    chunks = _split(ordered, _class_of(data), len(staff), slot.activity.min_size, cap, label)
    return [Draft(slot, s, chunk) for s, chunk in zip(staff, chunks, strict=True)]


def _by_class(data: SchoolData, students: list[str]) -> list[str]:
    """Students ordered by class, so even chunks keep classes together; students sharing a
    `together` label follow the first of them, so no cut has to part them."""
    info = {
        s.id: (s.class_ or f"grade-{s.grade}", index)
        for index, s in enumerate(data.school.students)
    }
    label = {s.id: s.together for s in data.school.students if s.together}
    lead: dict[str, str] = {}
    for student_id in sorted(students, key=info.__getitem__):
        if student_id in label:
            lead.setdefault(label[student_id], student_id)

    def order(student_id: str) -> tuple[tuple[str, int], tuple[str, int]]:
        first = lead[label[student_id]] if student_id in label else student_id
        return info[first], info[student_id]

    return sorted(students, key=order)


def _class_of(data: SchoolData) -> dict[str, str]:
    return {s.id: s.class_ or f"grade-{s.grade}" for s in data.school.students}


def _split(
    items: list[str], class_of: dict[str, str], parts: int, low: int, high: int,
    label: dict[str, str] | None = None,
) -> list[list[str]]:
    """Cut the class-ordered list into `parts` groups of sizes in [low, high].

    Each cut goes to the class boundary nearest an even share of what is left, where the
    sizes still fit, so fewer groups mix classes; else to the even share itself. A cut
    between two neighbours with one `together` label is taken only when no other fits.
    """
    label = label or {}
    inside = {i for i in range(1, len(items))
              if label.get(items[i]) is not None and label.get(items[i]) == label.get(items[i - 1])}
    boundaries = [i for i in range(1, len(items))
                  if class_of[items[i]] != class_of[items[i - 1]] and i not in inside]
    cuts = [0]
    for k in range(1, parts):
        left, rest = cuts[-1], parts - k  # sections still to fill after this one
        even = left + round((len(items) - left) / (rest + 1))

        def fits(cut: int, left: int = left, rest: int = rest) -> bool:
            return low <= cut - left <= high and low * rest <= len(items) - cut <= high * rest

        near = [b for b in boundaries if fits(b)]
        if not near and inside:  # keep pairs whole: any cut outside a label that fits
            near = [c for c in range(left + 1, len(items)) if c not in inside and fits(c)]
        cuts.append(min(near, key=lambda b: abs(b - even)) if near else even)
    cuts.append(len(items))
    return [items[cuts[k] : cuts[k + 1]] for k in range(parts)]


def _follow_base(data: SchoolData, drafts: list[Draft], base: BaseAt) -> None:
    """A re-solve: a section that continues a base one (same slot and staff) keeps its
    students there and its room, where the sizes allow."""
    by_slot: dict[int, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_slot[draft.slot.index].append(draft)
    for index, here in by_slot.items():
        pending = {key: list(sections) for key, sections in base.items() if key[0] == index}
        matched: list[SectionOut | None] = []
        for draft in here:
            options = pending.get((index, staff_key_of(draft.staff)), [])
            matched.append(options.pop(0) if options else None)
            draft.base_room = matched[-1].room if matched[-1] is not None else None
        if any(m is not None for m in matched) and len(here) > 1:
            _regroup(data, here, matched)


def _regroup(data: SchoolData, drafts: list[Draft], matched: list[SectionOut | None]) -> None:
    """Students back in the section of their base group; the rest fill the smallest."""
    students = [s for d in drafts for s in d.students]
    home = {st: i for i, m in enumerate(matched) if m is not None for st in m.students}
    chunks: list[list[str]] = [[] for _ in drafts]
    rest: list[str] = []
    for student in students:
        (chunks[home[student]] if student in home else rest).append(student)
    activity = drafts[0].slot.activity
    cap = data.room_need[activity.id]
    for student in rest:
        open_ = [i for i in range(len(chunks)) if len(chunks[i]) < cap]
        if not open_:
            return
        chunks[min(open_, key=lambda i: len(chunks[i]))].append(student)
    if all(activity.min_size <= len(c) <= cap for c in chunks):
        for draft, chunk in zip(drafts, chunks, strict=True):
            draft.students = chunk


def staff_key_of(ref: StaffRef) -> tuple[str, ...]:
    return (f"t:{ref.teacher}",) if ref.teacher else (f"p:{ref.provider}",)


def _assign_rooms(
    data: SchoolData, drafts: list[Draft], prefer_home: bool, keep_base: bool = False
) -> bool:
    """Rooms for every section, a day and a room type at a time: the smallest fitting free
    room, home room first for a one-class supervised-study group; with `keep_base`, a
    section continuing a base one takes its base room first. Where that greedy walk
    strands a section (rooms of one type that fit different sections: a long section
    may take the one big room a later one needs), an exact assignment, which the room
    rule's classes make always possible (constraints/rooms/model.py)."""
    groups: dict[tuple[Day, str], list[Draft]] = defaultdict(list)
    for draft in drafts:
        groups[(draft.slot.day, draft.slot.activity.room_type)].append(draft)
    home: dict[str | None, str] = {r.class_: r.id for r in data.school.rooms if r.class_}
    class_of = {s.id: s.class_ for s in data.school.students}

    def wanted(draft: Draft) -> str | None:
        if keep_base and draft.base_room:
            return draft.base_room
        classes = {class_of[s] for s in draft.students}
        return home.get(next(iter(classes))) if prefer_home and len(classes) == 1 else None

    return all(_greedy_rooms(data, group, keep_base, wanted)
               or _exact_rooms(data, group, wanted) for group in groups.values())


def _greedy_rooms(data: SchoolData, drafts: list[Draft], keep_base: bool,
                  wanted: Callable[[Draft], str | None]) -> bool:
    capacity = {r.id: r.capacity for r in data.school.rooms}
    drafts.sort(key=lambda d: (not (keep_base and d.base_room), d.slot.start,
                               -data.room_need[d.slot.activity.id]))
    taken: list[tuple[int, int, str]] = []  # (start, end, room)
    for draft in drafts:
        free = [r for r in data.rooms_for(draft.slot.activity)
                if not any(s < draft.slot.end and draft.slot.start < e and room == r
                           for s, e, room in taken)]
        if not free:
            return False
        want = wanted(draft)
        draft.room = want if want in free else min(free, key=lambda r: (capacity[r], r))
        taken.append((draft.slot.start, draft.slot.end, draft.room))
    return True


def _exact_rooms(data: SchoolData, drafts: list[Draft],
                 wanted: Callable[[Draft], str | None]) -> bool:
    """A room for each section, none holding two at once, as many as can in their wanted
    room (CP-SAT on one day's sections of one room type: a few dozen at most)."""
    model = cp_model.CpModel()
    placed: list[dict[str, cp_model.IntVar]] = []
    per_room: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    for draft in drafts:
        options = {r: model.new_bool_var("") for r in data.rooms_for(draft.slot.activity)}
        model.add_exactly_one(options.values())
        for room, var in options.items():
            length = draft.slot.end - draft.slot.start
            per_room[room].append(model.new_optional_fixed_size_interval_var(
                draft.slot.start, length, var, ""))
        placed.append(options)
    for intervals in per_room.values():
        model.add_no_overlap(intervals)
    model.maximize(sum(options[want] for draft, options in zip(drafts, placed, strict=True)
                       if (want := wanted(draft)) in options))
    solver = make_solver(ROOMING)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    for draft, options in zip(drafts, placed, strict=True):
        draft.room = next(room for room, var in options.items() if solver.value(var))
    return True


def _trips(
    data: SchoolData, vars: Variables, value: Value, weekly: list[SectionOut]
) -> list[SectionOut]:
    """One section per trip that goes, with its children, adults and covers."""
    trips = []
    for trip in vars.trips(data):
        if not value(vars.trip_open(trip)):
            continue
        students = [s.id for g, var in vars.trip_seats(trip) for s in g.students[: value(var)]]
        staff = [StaffRef(teacher=t) for t, v in vars.trip_teachers(trip).items() if value(v)]
        staff += [StaffRef(provider=p) for p, v in vars.trip_providers(trip).items()
                  for _ in range(value(v))]
        trips.append(SectionOut(
            id=trip_id(trip.school, trip.activity.id, trip.date, trip.leave, trip.venue),
            school=trip.school, activity=trip.activity.id, day=trip.day, start=trip.leave,
            end=trip.back, room=trip.venue, staff=staff, students=students, date=trip.date,
            covers=_covers(data, vars, value, weekly, trip, staff)))
    return trips


def _covers(
    data: SchoolData, vars: Variables, value: Value, weekly: list[SectionOut], trip: Trip,
    staff: list[StaffRef],
) -> list[Cover]:
    """Who leads the weekly sections of the trip's teachers on its date."""
    away = {ref.teacher for ref in staff if ref.teacher}
    covers = []
    for (date, teacher_id, index), options in vars.covers(data.school.id).items():
        if date != trip.date or teacher_id not in away:
            continue
        slot = data.slots[index]
        section = next((s for s in weekly if s.activity == slot.activity.id and s.day == slot.day
                        and s.start == slot.start and s.staff[0].teacher == teacher_id), None)
        for other, var in options.items():
            if section is not None and value(var):
                covers.append(Cover(section=section.id, teacher=other))
    return covers


def _section(draft: Draft) -> SectionOut:
    slot = draft.slot
    return SectionOut(
        id=section_id(slot.school, slot.activity.id, slot.day, slot.start, draft.room),
        school=slot.school,
        activity=slot.activity.id,
        day=slot.day,
        start=slot.start,
        end=slot.end,
        room=draft.room,
        staff=[draft.staff],
        students=draft.students,
    )
