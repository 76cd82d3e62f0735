"""The decision variables, held in one container with query methods.

Staff units decide sections: `teacher(slot, t)` is 1 when teacher t leads a section of the
slot; `provider(slot, p)` counts the provider's parallel sections there. A slot's open
sections are the sum of its staff units. `seats(group, slot)` counts a group's students in
the slot's sections; `unserved(group, day)` counts its students left unsupervised that day
(best_effort only).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator

from ortools.sat.python import cp_model

from models.common import Day
from models.instance import Group, Instance, SchoolData, Slot
from models.trips import Trip

from .keys import RuleKey

SlotKey = tuple[str, int]  # (school id, slot index)
GroupKey = tuple[str, int]  # (school id, group index)


GuardBy = Callable[[RuleKey], RuleKey | None]


class Variables:
    def __init__(
        self, model: cp_model.CpModel, instance: Instance, guard_by: GuardBy | None = None
    ):
        self.model = model
        self.instance = instance
        self.guard_by = guard_by  # names a hard rule instance's guard, when explaining
        self.guards: dict[RuleKey, cp_model.IntVar] = {}
        self.guarded: dict[int, RuleKey] = {}  # constraint index -> its guard's key
        self._teacher: dict[SlotKey, dict[str, cp_model.IntVar]] = defaultdict(dict)
        self._provider: dict[SlotKey, dict[str, cp_model.IntVar]] = defaultdict(dict)
        # A named instructor leads a section of the slot (their provider's sections add up).
        self._lead: dict[SlotKey, dict[tuple[str, str], cp_model.IntVar]] = defaultdict(dict)
        self._seats: dict[GroupKey, dict[int, cp_model.IntVar]] = defaultdict(dict)
        self._slot_seats: dict[SlotKey, list[tuple[Group, cp_model.IntVar]]] = defaultdict(list)
        self._unserved: dict[tuple[str, int, Day], cp_model.IntVar] = {}
        self.unmatched: dict[GroupKey, cp_model.IntVar] = {}  # filled by constraints.choices
        # Trips of visits (SPEC §8.4), by (school, trip index): whether it goes, who takes
        # it, and each group's children on it.
        self._trip_open: dict[SlotKey, cp_model.IntVar] = {}
        self._trip_teacher: dict[SlotKey, dict[str, cp_model.IntVar]] = defaultdict(dict)
        self._trip_provider: dict[SlotKey, dict[str, cp_model.IntVar]] = defaultdict(dict)
        self._trip_seats: dict[SlotKey, list[tuple[Group, cp_model.IntVar]]] = defaultdict(list)
        self._group_trips: dict[GroupKey, dict[int, cp_model.IntVar]] = defaultdict(dict)
        # A teacher away on a trip that date has their weekly section of a slot covered by
        # another: (school, date, away teacher, slot index) -> {covering teacher: var}.
        self._cover: dict[tuple[str, dt.date, str, int], dict[str, cp_model.IntVar]] = {}
        for data in instance.schools:
            self._make_staff(data)
            self._make_seats(data)
            self._make_trips(data)

    # --- creation -------------------------------------------------------------------
    def _make_staff(self, data: SchoolData) -> None:
        sid = data.school.id
        for teacher_id, slots in data.teacher_slots.items():
            for slot in slots:
                var = self.model.new_bool_var(
                    f"teach[{sid}/{slot.activity.id}/{slot.day}-{slot.start}/{teacher_id}]"
                )
                self._teacher[(sid, slot.index)][teacher_id] = var
        for provider_id, slots in data.provider_slots.items():
            provider = self.instance.providers[provider_id]
            for slot in slots:
                name = f"{sid}/{slot.activity.id}/{slot.day}-{slot.start}/{provider_id}"
                leaders = self.instance.leaders(provider_id, slot) if provider.named else []
                cap = len(leaders) if provider.named else provider.instructor_count
                var = self.model.new_int_var(0, cap, f"provide[{name}]")
                self._provider[(sid, slot.index)][provider_id] = var
                for instructor in leaders:
                    lead = self.model.new_bool_var(f"lead[{name}/{instructor}]")
                    self._lead[(sid, slot.index)][(provider_id, instructor)] = lead

    def _make_seats(self, data: SchoolData) -> None:
        sid = data.school.id
        staffed = {i for (s, i) in (*self._teacher, *self._provider) if s == sid}
        starting: dict[tuple[Day, int, str], list[Slot]] = defaultdict(list)
        for slot in data.slots:
            if slot.index in staffed:
                starting[(slot.day, slot.start, slot.activity.id)].append(slot)
        fallbacks = [a.id for a in data.school.activities if a.fallback]
        for group in data.groups:
            wanted = [*fallbacks, *group.ranks, *sorted(group.assigned - set(group.ranks))]
            for day, periods in group.needs.items():
                for period in periods:
                    for activity_id in wanted:
                        for slot in starting.get((day, period, activity_id), ()):
                            if seat_allowed(group, slot):
                                self._add_seat(sid, group, slot)
            if data.policy.coverage == "best_effort":
                for day in group.needs:
                    self._unserved[(sid, group.index, day)] = self.model.new_int_var(
                        0, group.size, f"unserved[{sid}/g{group.index}/{day}]"
                    )

    def _make_trips(self, data: SchoolData) -> None:
        sid = data.school.id
        for index, groups in data.trip_groups.items():
            trip = data.trips[index]
            name = f"{sid}/{trip.activity.id}/{trip.date}-{trip.leave}"
            self._trip_open[(sid, index)] = self.model.new_bool_var(f"trip[{name}]")
            for teacher_id in data.trip_teachers[index]:
                var = self.model.new_bool_var(f"trip-teacher[{name}/{teacher_id}]")
                self._trip_teacher[(sid, index)][teacher_id] = var
            for provider_id in data.trip_providers[index]:
                cap = self.instance.providers[provider_id].instructor_count
                var = self.model.new_int_var(0, cap, f"trip-provider[{name}/{provider_id}]")
                self._trip_provider[(sid, index)][provider_id] = var
            for group in groups:
                var = self.model.new_int_var(0, group.size, f"trip-seats[{name}/g{group.index}]")
                self._trip_seats[(sid, index)].append((group, var))
                self._group_trips[(sid, group.index)][index] = var
        self._make_covers(data)

    def _make_covers(self, data: SchoolData) -> None:
        """A cover option for each weekly slot an away teacher could lead on a trip's
        weekday, by each other teacher who could lead that slot."""
        sid = data.school.id
        able = {t: {s.index for s in slots} for t, slots in data.teacher_slots.items()}
        away = {(data.trips[i].date, data.trips[i].day, t)
                for i, teachers in data.trip_teachers.items() for t in teachers}
        for date, day, teacher_id in sorted(away):
            for slot in data.teacher_slots.get(teacher_id, []):
                if slot.day != day:
                    continue
                options = {}
                for other, slots in able.items():
                    if other != teacher_id and slot.index in slots:
                        options[other] = self.model.new_bool_var(
                            f"cover[{sid}/{date}/{slot.index}/{teacher_id}->{other}]")
                self._cover[(sid, date, teacher_id, slot.index)] = options

    def _add_seat(self, sid: str, group: Group, slot: Slot) -> None:
        var = self.model.new_int_var(0, group.size, f"seats[{sid}/g{group.index}/{slot.index}]")
        self._seats[(sid, group.index)][slot.index] = var
        self._slot_seats[(sid, slot.index)].append((group, var))

    def guard(self, rule: RuleKey, constraint: int) -> cp_model.IntVar | None:
        """The assumption literal guarding a rule instance, or None (always enforced)."""
        key = self.guard_by(rule) if self.guard_by else None
        if key is None:
            return None
        if key not in self.guards:
            self.guards[key] = self.model.new_bool_var(f"guard[{key}]")
        self.guarded[constraint] = key
        return self.guards[key]

    # --- queries ----------------------------------------------------------------------
    def teachers_of(self, sid: str, slot: Slot) -> dict[str, cp_model.IntVar]:
        return self._teacher.get((sid, slot.index), {})

    def providers_of(self, sid: str, slot: Slot) -> dict[str, cp_model.IntVar]:
        return self._provider.get((sid, slot.index), {})

    def leads_of(self, sid: str, slot: Slot, provider_id: str) -> dict[str, cp_model.IntVar]:
        """The provider's named instructors who could lead a section of the slot, by id."""
        return {i: v for (p, i), v in self._lead.get((sid, slot.index), {}).items()
                if p == provider_id}

    def units(self, sid: str, slot: Slot) -> list[cp_model.IntVar]:
        """The slot's staff units: a Boolean per teacher, an integer per provider."""
        return [*self.teachers_of(sid, slot).values(), *self.providers_of(sid, slot).values()]

    def sections(self, sid: str, slot: Slot) -> cp_model.LinearExpr | int:
        """Number of sections of the slot that open (one per staff unit)."""
        units = self.units(sid, slot)
        return cp_model.LinearExpr.sum(units) if units else 0

    def has_staff(self, sid: str, slot: Slot) -> bool:
        return bool(self.teachers_of(sid, slot) or self.providers_of(sid, slot))

    def seats_of(self, sid: str, group: Group) -> dict[int, cp_model.IntVar]:
        """The group's seat counts by slot index."""
        return self._seats.get((sid, group.index), {})

    def seats_in(self, sid: str, slot: Slot) -> list[tuple[Group, cp_model.IntVar]]:
        return self._slot_seats.get((sid, slot.index), [])

    def unserved(self, sid: str, group: Group, day: Day) -> cp_model.LinearExprT:
        return self._unserved.get((sid, group.index, day), 0)

    def unserved_vars(self) -> dict[tuple[str, int, Day], cp_model.IntVar]:
        return self._unserved

    def trips(self, data: SchoolData) -> list[Trip]:
        """The school's trips that could go (someone to take them, someone to go)."""
        return [t for t in data.trips if (data.school.id, t.index) in self._trip_open]

    def trip_open(self, trip: Trip) -> cp_model.IntVar:
        return self._trip_open[(trip.school, trip.index)]

    def trip_teachers(self, trip: Trip) -> dict[str, cp_model.IntVar]:
        return self._trip_teacher.get((trip.school, trip.index), {})

    def trip_providers(self, trip: Trip) -> dict[str, cp_model.IntVar]:
        return self._trip_provider.get((trip.school, trip.index), {})

    def trip_staff(self, trip: Trip) -> cp_model.LinearExprT:
        """Adults on the trip: its teachers and the provider instructors sent."""
        units = [*self.trip_teachers(trip).values(), *self.trip_providers(trip).values()]
        return cp_model.LinearExpr.sum(units)

    def trip_seats(self, trip: Trip) -> list[tuple[Group, cp_model.IntVar]]:
        return self._trip_seats.get((trip.school, trip.index), [])

    def trips_of(self, sid: str, group: Group) -> dict[int, cp_model.IntVar]:
        """The group's children on each trip, by trip index."""
        return self._group_trips.get((sid, group.index), {})

    def covers(self, sid: str) -> dict[tuple[dt.date, str, int], dict[str, cp_model.IntVar]]:
        """Cover options of the school: (date, away teacher, slot index) -> {teacher: var}."""
        return {k[1:]: v for k, v in self._cover.items() if k[0] == sid}

    def decisions(self) -> Iterator[cp_model.IntVar]:
        """Staff units and seats: what a timetable decides (the rest follows from them)."""
        for data in self.instance.schools:
            sid = data.school.id
            for slot in data.slots:
                yield from self.teachers_of(sid, slot).values()
                yield from self.providers_of(sid, slot).values()
            for group in data.groups:
                yield from self.seats_of(sid, group).values()
            for trip in self.trips(data):
                yield self.trip_open(trip)
                yield from self.trip_teachers(trip).values()
                yield from self.trip_providers(trip).values()
                yield from (var for _, var in self.trip_seats(trip))
            for options in self.covers(sid).values():
                yield from options.values()


def seat_allowed(group: Group, slot: Slot) -> bool:
    """A group may sit in a slot: its grade, a registered day, a needed period, its choice
    (or an activity it is assigned)."""
    activity = slot.activity
    if group.grade not in slot.grades or slot.day not in group.needs:
        return False
    if slot.start not in group.needs[slot.day]:
        return False
    if activity.fallback:
        return activity.class_hours == 1 or slot.end <= group.window_end[slot.day]
    return group.may_take(activity.id) and slot.end <= group.window_end[slot.day]
