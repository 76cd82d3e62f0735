"""Lookups precomputed once from the validated input, so rule code just loops.

Solver-free: what sections could open (slots), who could lead them, and which students
are identical (groups), with each group's service window per day (docs/rules.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from .common import Day
from .district import Activity, District, Policy, Provider, School, Student, Teacher
from .solution import Solution
from .trips import Trip, may_go, provider_may_take, teacher_may_take, trip_options, visit_allowed

KEEPS = ("time", "room", "staff", "students")


@dataclass(frozen=True)
class BaseTimetable:
    """An earlier timetable a minimal-change re-solve starts from (SPEC §8.3).

    `keep` pins parts of it (`time`, `room`, `staff`, `students`); `max_changes_per_student`
    caps the sessions a student may be moved out of (docs/scenarios.md).
    """

    solution: Solution
    keep: frozenset[str] = frozenset()
    max_changes_per_student: int | None = None

    def sessions(self, school: str) -> dict[str, tuple[tuple[str, str, int], ...]]:
        """Each student's base sessions at the school: (activity, day, start), sorted."""
        table: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for section in self.solution.sections:
            if section.school == school and section.date is None:  # trips: not kept
                for student in section.students:
                    table[student].append((section.activity, section.day, section.start))
        return {k: tuple(sorted(v)) for k, v in table.items()}


@dataclass(frozen=True)
class Slot:
    """An activity at a weekday and start time: where sections of it may open."""

    index: int
    school: str
    activity: Activity
    day: Day
    start: int
    end: int
    grades: frozenset[int]  # grades for which `start` is a period start

    @property
    def class_hours(self) -> int:
        return self.activity.class_hours

    def covers(self, minute: int) -> bool:
        return self.start <= minute < self.end


@dataclass
class Group:
    """Students of one school with the same grade, class, days, pick-up and choices."""

    index: int
    school: str
    grade: int
    class_: str | None
    students: list[Student]
    ranks: dict[str, int]  # activity id -> 0-based rank in the students' choice list
    needs: dict[Day, list[int]]  # period starts to supervise, per registered day
    window_end: dict[Day, int]
    chose_any: bool = False
    base_sessions: tuple[tuple[str, str, int], ...] = ()  # (activity, day, start) in the base
    priority: int = 0  # the students' priority, `previous:` included (District.priority)
    assigned: frozenset[str] = frozenset()  # activity ids they must get (SPEC §8.5)
    together: str | None = None  # their `together` label

    def may_take(self, activity_id: str) -> bool:
        """A club the students chose or are assigned (the fallback aside)."""
        return activity_id in self.ranks or activity_id in self.assigned

    @property
    def size(self) -> int:
        return len(self.students)

    @property
    def has_choices(self) -> bool:
        """Has at least one choice of a non-fallback activity (docs/rules.md)."""
        return self.chose_any


@dataclass
class SchoolData:
    school: School
    policy: Policy
    budget: float
    meetings: dict[Day, int]
    slots: list[Slot] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    teacher_slots: dict[str, list[Slot]] = field(default_factory=dict)
    provider_slots: dict[str, list[Slot]] = field(default_factory=dict)
    room_need: dict[str, int] = field(default_factory=dict)  # activity -> room capacity needed
    # Only when explaining (build_instance(..., relax_times=True)): the slots offered to a
    # teacher despite their busy times, or to a provider outside its availability, which
    # the model then forbids by named, guardable rules.
    busy_slots: dict[str, list[Slot]] = field(default_factory=dict)
    # Teachers whose load counts in the load-spread term (docs/rules.md "eligible teacher").
    load_teachers: list[str] = field(default_factory=list)
    outside_window: dict[str, list[Slot]] = field(default_factory=dict)
    # Only when explaining with `relax_staff`: slots offered despite a rule about the person
    # (normally applied here, so no core could name it), forbidden by named rules instead.
    unskilled: dict[str, list[Slot]] = field(default_factory=dict)  # teacher -> fallback slots
    affiliated: dict[str, list[Slot]] = field(default_factory=dict)  # teacher -> slots
    unvetted: dict[str, list[Slot]] = field(default_factory=dict)  # provider -> slots
    not_served: dict[str, list[Slot]] = field(default_factory=dict)  # provider -> slots
    # Off-campus visits (SPEC §8.4): the trips that could go, who could take each (by trip
    # index), and the groups that could go on each.
    trips: list[Trip] = field(default_factory=list)
    trip_teachers: dict[int, list[str]] = field(default_factory=dict)
    trip_providers: dict[int, list[str]] = field(default_factory=dict)
    trip_groups: dict[int, list[Group]] = field(default_factory=dict)
    _by_start: dict[tuple[str, str, int], Slot] | None = field(default=None, repr=False)
    _by_student: dict[str, Group] | None = field(default=None, repr=False)

    def slot_index(self) -> dict[tuple[str, str, int], Slot]:
        """Slots by (activity, weekday, start): where a written section sits (made once,
        after the instance is built)."""
        if self._by_start is None:
            self._by_start = {(s.activity.id, s.day, s.start): s for s in self.slots}
        return self._by_start

    def slot_at(self, activity: str, day: str, start: int) -> Slot | None:
        return self.slot_index().get((activity, day, start))

    def group_of(self, student_id: str) -> Group | None:
        """The group of identical students a student is in."""
        if self._by_student is None:
            self._by_student = {s.id: g for g in self.groups for s in g.students}
        return self._by_student.get(student_id)

    def teacher(self, teacher_id: str) -> Teacher:
        return next(t for t in self.school.teachers if t.id == teacher_id)

    def week_cap(self, teacher: Teacher) -> int:
        return teacher.week_cap(self.policy)

    def day_cap(self, teacher: Teacher) -> int:
        return teacher.day_cap(self.policy)

    def rooms_for(self, activity: Activity) -> list[str]:
        need = self.room_need[activity.id]
        return [
            r.id for r in self.school.rooms if r.type == activity.room_type and r.capacity >= need
        ]


class Reservation(BaseModel):
    """Instructors of a shared provider already used elsewhere (another school's timetable)
    from `start` to `end` (minutes) that weekday: the instance may use only the rest."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    provider: str
    day: Day
    start: int = Field(ge=0, le=24 * 60)
    end: int = Field(ge=0, le=24 * 60)
    units: int = Field(1, ge=1)
    instructor: str | None = None  # a named instructor busy then (travel is added around it)
    school: str | None = None  # where the instructor is then
    class_hours: int = Field(0, ge=0)  # counted against the provider's weekly cap


@dataclass
class Instance:
    district: District
    schools: list[SchoolData]
    providers: dict[str, Provider]
    reserved: list[Reservation] = field(default_factory=list)
    base: BaseTimetable | None = None  # a minimal-change re-solve's starting timetable

    @property
    def scope(self) -> District:
        """The district this instance stands for: the whole one, or the schools chosen."""
        if len(self.schools) == len(self.district.schools):
            return self.district
        chosen = [d.school for d in self.schools]
        return self.district.model_copy(update={"schools": chosen})

    @property
    def with_choices(self) -> int:
        """Students with choices in the instance's schools (the choice KPIs' denominator)."""
        return sum(g.size for d in self.schools for g in d.groups if g.has_choices)

    def school_data(self, school_id: str) -> SchoolData:
        return next(d for d in self.schools if d.school.id == school_id)

    def reserved_at(self, provider_id: str, day: Day, minute: int) -> int:
        """Interchangeable instructors of the provider reserved elsewhere at that moment."""
        return sum(r.units for r in self.reserved if r.provider == provider_id
                   and r.instructor is None and r.day == day and r.start <= minute < r.end)

    def reserved_hours(self, provider_id: str) -> int:
        """Class hours a week the provider gives elsewhere (its weekly cap is shared)."""
        return sum(r.class_hours * r.units for r in self.reserved if r.provider == provider_id)

    def leaders(self, provider_id: str, slot: Slot) -> list[str]:
        """Named instructors who may lead a section of the slot: cleared for the term, and
        not elsewhere then (with the travel time between the two schools around it)."""
        provider = self.providers[provider_id]
        term_end = self.district.term.end
        return [i.id for i in provider.cleared(term_end)
                if not any(self._away(r, slot) for r in self.reserved
                           if r.provider == provider_id and r.instructor == i.id)]

    def longest_travel(self) -> int:
        """The longest trip between two places of the district (the default for pairs not
        listed included)."""
        given = [m for row in self.district.travel_minutes.values() for m in row.values()]
        return max([self.district.policy.default_travel_minutes, *given])

    def _away(self, reservation: Reservation, slot: Slot) -> bool:
        if reservation.day != slot.day:
            return False
        gap = self.district.travel(reservation.school or slot.school, slot.school)
        return reservation.start < slot.end + gap and slot.start < reservation.end + gap

    def instructors_free(self, provider_id: str, slot: Slot) -> int:
        """Instructors left for a section of the slot, once reservations are taken out."""
        if self.providers[provider_id].named:
            return len(self.leaders(provider_id, slot))
        cap = self.providers[provider_id].instructor_count
        starts = {slot.start} | {r.start for r in self.reserved if r.provider == provider_id
                                 and r.day == slot.day and slot.start < r.start < slot.end}
        return max(0, cap - max(self.reserved_at(provider_id, slot.day, m) for m in starts))


def build_instance(
    district: District,
    schools: Iterable[str] | None = None,
    reserved: Sequence[Reservation] = (),
    relax_times: bool = False,
    relax_staff: bool = False,
    base: BaseTimetable | None = None,
) -> Instance:
    """Slots, groups and staff options for the district, or for the schools named.

    `reserved`: shared providers' instructors already used elsewhere. `relax_times` keeps
    busy/unavailable staff as options (forbidden by guardable rules instead), so an
    explanation can name them; `relax_staff` does the same for teachers' caps, affiliations
    and missing supervision skills, and providers' vetting and schools served. `base`: the
    timetable a minimal-change re-solve keeps close to; students then also group by their
    base sessions.
    """
    providers = {p.id: p for p in district.providers}
    wanted = None if schools is None else set(schools)
    chosen = [s for s in district.schools if wanted is None or s.id in wanted]
    if wanted is not None and len(chosen) < len(wanted):
        unknown = sorted(wanted - {s.id for s in chosen})
        raise KeyError(f"no such school: {', '.join(unknown)}")
    data = [_school_data(district, school, base) for school in chosen]
    instance = Instance(district, data, providers, list(reserved), base)
    for school_data in data:
        _trip_options(instance, school_data)
        if relax_staff:
            _relaxed_staff_options(instance, school_data, relax_times)
        else:
            _staff_options(instance, school_data, relax_times)
    return instance


def schedulable(policy: Policy, activity: Activity) -> bool:
    """Approved, not a lesson, not forbidden by policy, not a visit (dated, not weekly)."""
    banned = {"lesson", "visit", *policy.forbidden_categories}
    return activity.approved and activity.category not in banned


def _school_data(district: District, school: School, base: BaseTimetable | None) -> SchoolData:
    policy = district.policy_for(school)
    meetings = {day: district.term.meetings(day) for day in district.term.weekdays}
    data = SchoolData(school, policy, district.budget(school), meetings)
    activities = [a for a in school.activities if schedulable(policy, a)]
    for activity in activities:
        data.room_need[activity.id] = _room_need(school, activity)
        if data.rooms_for(activity):
            _add_slots(data, activity, district.term.weekdays)
    visits = [a for a in school.activities if visit_allowed(policy, a)]
    data.groups = _groups(district, data, activities + visits,
                          base.sessions(school.id) if base else {})
    return data


def _trip_options(instance: Instance, data: SchoolData) -> None:
    """The trips the school's visits could make, and who could go and take them."""
    district = instance.district
    data.trips = trip_options(district, data.school, data.policy)
    for trip in data.trips:
        teachers = [t.id for t in data.school.teachers if teacher_may_take(t, data.policy, trip)]
        providers = [p.id for p in instance.providers.values()
                     if provider_may_take(p, district.term.end, trip)]
        groups = [g for g in data.groups
                  if all(may_go(trip, s, trip.activity.id in g.ranks) for s in g.students)]
        if (teachers or providers) and groups:
            data.trip_teachers[trip.index] = teachers
            data.trip_providers[trip.index] = providers
            data.trip_groups[trip.index] = groups


def _room_need(school: School, activity: Activity) -> int:
    capacities = [r.capacity for r in school.rooms if r.type == activity.room_type]
    return min(activity.max_size, max(capacities, default=0))


def _add_slots(data: SchoolData, activity: Activity, weekdays: list[Day]) -> None:
    school, latest = data.school, data.policy.latest_end
    length = school.duration(activity)
    for day in weekdays:
        by_start: dict[int, set[int]] = defaultdict(set)
        for grade in activity.grades:
            for start in school.period_starts(grade, day, latest):
                if start + length <= latest:
                    by_start[start].add(grade)
        for start in sorted(by_start):
            slot = Slot(
                len(data.slots),
                school.id,
                activity,
                day,
                start,
                start + length,
                frozenset(by_start[start]),
            )
            data.slots.append(slot)


def service_window(school: School, policy: Policy, student: Student, day: Day) -> tuple[int, int]:
    """From dismissal to the earlier of pick-up and the end of the day's allowed periods."""
    starts = school.period_starts(student.grade, day, policy.latest_end)
    hours = starts[: policy.max_class_hours_per_day]
    start = school.dismissal(student.grade, day)
    end = hours[-1] + school.hour_minutes(student.grade) if hours else start
    pickup = student.pickup_on(day)
    return start, end if pickup is None else min(end, pickup)


def _groups(
    district: District, data: SchoolData, activities: list[Activity],
    sessions: dict[str, tuple] | None = None,
) -> list[Group]:
    """Students the model may treat as one: everything the rules see of them is equal.

    Pick-up times count only through the periods a child needs and the sections that end
    in time, so 17:35 and 17:40 are the same when no section ends between them.
    """
    ends = _section_ends(data)
    by_key: dict[tuple, list[Student]] = defaultdict(list)
    sessions = sessions or {}
    for student in data.school.students:  # a re-solve: same base sessions too
        profile = _profile(data, student, ends)
        key = (*profile, sessions.get(student.id, ()),
               *_allocation(district, data.school, student, bool(profile[2])))
        by_key[key].append(student)
    offered = {a.id for a in activities}
    groups: list[Group] = []
    for (grade, class_, chosen, days, base, priority, assigned, together), members in \
            by_key.items():
        ranks: dict[str, int] = {}
        for rank, activity_id in enumerate(chosen):  # ranks count non-fallback choices
            if activity_id in offered and _offered_to(data, activity_id, grade):
                ranks.setdefault(activity_id, rank)
        # Children who may take a club are never grouped: their club seats couple their
        # days (once a week, clubs per week, none of their choices), which counts of
        # identical children cannot keep, and some counts then had no personal weeks (found
        # on a 3,000-student school). Children with no club to take only need supervision
        # period by period, which any split of a count gives.
        for part in ([m] for m in members) if ranks or assigned else [members]:
            needs = {day: list(periods) for day, periods, _ in days}
            window_end = {day: end for day, _, end in days}
            groups.append(Group(len(groups), data.school.id, grade, class_, list(part),
                                dict(ranks), needs, window_end, bool(chosen), base,
                                priority, assigned, together))
    return groups


def _allocation(district: District, school: School, student: Student, chose: bool) -> tuple:
    """What SPEC §8.5 adds to what the rules see of a student: (priority, assigned ids,
    together label). Priority weighs choice terms and a label pairs clubs, so a child with
    neither choices nor assignments is grouped whatever their priority and label."""
    assigned = frozenset(a.id for key in student.assigned if (a := school.activity(key)))
    if not chose and not assigned:
        return 0, assigned, None
    return district.priority(school.id, student), assigned, student.together


def _section_ends(data: SchoolData) -> dict[Day, list[int]]:
    ends: dict[Day, set[int]] = defaultdict(set)
    for slot in data.slots:
        ends[slot.day].add(slot.end)
    return {day: sorted(values) for day, values in ends.items()}


def _profile(data: SchoolData, student: Student, ends: dict[Day, list[int]]) -> tuple:
    """(grade, class, ranked non-fallback choices by id, per day: needs and window end)."""
    school = data.school
    chosen = []
    for choice in student.choices:
        activity = school.activity(choice)
        if activity is not None and not activity.fallback:
            chosen.append(activity.id)
    days = []
    for day in sorted(set(student.days) & set(data.meetings), key=list(data.meetings).index):
        _, end = service_window(school, data.policy, student, day)
        periods = school.period_starts(student.grade, day, data.policy.latest_end)
        needs = tuple(p for p in periods[: data.policy.max_class_hours_per_day] if p < end)
        in_time = [e for e in ends.get(day, []) if e <= end]
        days.append((day, needs, max(in_time, default=0)))
    return student.grade, student.class_, tuple(chosen), tuple(days)


def _offered_to(data: SchoolData, activity_id: str, grade: int) -> bool:
    activity = data.school.activity(activity_id)
    return activity is not None and grade in activity.grades


def _staff_options(instance: Instance, data: SchoolData, relax_times: bool) -> None:
    term_end = instance.district.term.end
    for teacher in data.school.teachers:
        if teacher.affiliations or data.week_cap(teacher) <= 0:
            continue
        skilled = [s for s in data.slots if s.activity.skill in teacher.skills]
        if any(not _busy(teacher, s) for s in skilled):
            data.load_teachers.append(teacher.id)
        able = [s for s in skilled if _teacher_can(data, teacher, s)]
        free = [s for s in able if not _busy(teacher, s)]
        if relax_times and len(free) < len(able):
            data.busy_slots[teacher.id] = [s for s in able if _busy(teacher, s)]
        if relax_times and able:
            data.teacher_slots[teacher.id] = able
        elif free:
            data.teacher_slots[teacher.id] = free
    for provider in instance.providers.values():
        if provider.vetted(term_end) and provider.serves_school(data.school.id):
            _provider_options(data, provider, relax_times)


def _relaxed_staff_options(instance: Instance, data: SchoolData, relax_times: bool) -> None:
    """Every teacher and provider that could lead a slot but for a rule about the person:
    the caps then forbid it in the model (a cap of 0 included), and the other rules by the
    named rules of `unskilled`, `affiliated`, `unvetted` and `not_served`."""
    for teacher in data.school.teachers:
        _relaxed_teacher(data, teacher, relax_times)
    for provider in instance.providers.values():
        _relaxed_provider(instance, data, provider, relax_times)


def _relaxed_teacher(data: SchoolData, teacher: Teacher, relax_times: bool) -> None:
    """Missing skills are relaxed for fallback activities only: supervising homework is what
    coverage needs and what any teacher may be asked to do, teaching a club is not."""
    skilled = [s for s in data.slots if s.activity.skill in teacher.skills]
    if not (teacher.affiliations or data.week_cap(teacher) <= 0) and \
            any(not _busy(teacher, s) for s in skilled):
        data.load_teachers.append(teacher.id)  # as without relaxing
    unskilled = [s for s in data.slots
                 if s.activity.fallback and s.activity.skill not in teacher.skills]
    able = skilled + unskilled
    if not relax_times:
        able = [s for s in able if not _busy(teacher, s)]
    if not able:
        return
    data.teacher_slots[teacher.id] = sorted(able, key=lambda s: s.index)
    if unskilled:
        data.unskilled[teacher.id] = unskilled
    if teacher.affiliations:
        data.affiliated[teacher.id] = able
    busy = [s for s in able if _busy(teacher, s)]
    if busy:
        data.busy_slots[teacher.id] = busy


def _relaxed_provider(instance: Instance, data: SchoolData, provider: Provider,
                      relax_times: bool) -> None:
    able = [s for s in data.slots if s.activity.skill in provider.skills]
    if not relax_times:
        able = [s for s in able if _available(provider, s)]
    if not able:
        return
    data.provider_slots[provider.id] = able
    outside = [s for s in able if not _available(provider, s)]
    if outside:
        data.outside_window[provider.id] = outside
    if not provider.vetted(instance.district.term.end):
        data.unvetted[provider.id] = able
    if not provider.serves_school(data.school.id):
        data.not_served[provider.id] = able


def _provider_options(data: SchoolData, provider: Provider, relax_times: bool) -> None:
    able = [s for s in data.slots if s.activity.skill in provider.skills]
    inside = [s for s in able if _available(provider, s)]
    if relax_times and len(inside) < len(able):
        data.outside_window[provider.id] = [s for s in able if not _available(provider, s)]
    if relax_times and able:
        data.provider_slots[provider.id] = able
    elif inside:
        data.provider_slots[provider.id] = inside


def _teacher_can(data: SchoolData, teacher: Teacher, slot: Slot) -> bool:
    """Skill and caps: what a teacher could lead at all (busy times apart)."""
    if slot.activity.skill not in teacher.skills or data.day_cap(teacher) < slot.class_hours:
        return False
    return data.week_cap(teacher) >= slot.class_hours


def _busy(teacher: Teacher, slot: Slot) -> bool:
    busy = teacher.busy.get(slot.day, [])
    return any(b[0] < slot.end and slot.start < b[1] for b in busy)


def _available(provider: Provider, slot: Slot) -> bool:
    if provider.available is None:
        return True
    windows = provider.available.get(slot.day, [])
    return any(w[0] <= slot.start and slot.end <= w[1] for w in windows)
