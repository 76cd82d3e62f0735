"""What every view reads: the input and the solution, indexed once.

Views never search lists; they ask this object. Building it checks that the solution only
names schools, activities, rooms, staff and students the input has, so a solution made for
another input fails with a clear message instead of a half-written view.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from models.common import DAYS, format_clock
from models.district import Activity, District, Provider, Room, School, Student, Teacher
from models.problems import InputError, Location, Problem
from models.solution import SectionOut, Solution

from .i18n import Labels

Key = tuple[str, str]  # (school id, id within the school)


@dataclass
class ViewData:
    """The district, its solution and lookups shared by all views."""

    district: District
    solution: Solution
    labels: Labels
    source: str = "solution.json"
    schools: dict[str, School] = field(default_factory=dict)
    activities: dict[Key, Activity] = field(default_factory=dict)
    rooms: dict[Key, Room] = field(default_factory=dict)
    teachers: dict[Key, Teacher] = field(default_factory=dict)
    students: dict[Key, Student] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    _time_labels: dict[tuple[int, int], str] = field(default_factory=dict)

    @classmethod
    def build(cls, district: District, solution: Solution, labels: Labels,
              source: str = "solution.json") -> ViewData:
        data = cls(district, solution, labels, source)
        data.providers = {p.id: p for p in district.providers}
        for school in district.schools:
            data.schools[school.id] = school
            data.activities.update({(school.id, a.id): a for a in school.activities})
            data.rooms.update({(school.id, r.id): r for r in school.rooms})
            data.teachers.update({(school.id, t.id): t for t in school.teachers})
            data.students.update({(school.id, s.id): s for s in school.students})
        data._check_references()
        return data

    def _check_references(self) -> None:
        problems = [
            Problem(Location(self.source, 1), f"section {section.id!r}: {message}")
            for section in self.solution.sections
            for message in self._unknown_names(section)
        ]
        if problems:
            raise InputError(problems[:20])

    def _unknown_names(self, section: SectionOut) -> list[str]:
        if section.school not in self.schools:
            return [f"unknown school {section.school!r}"]
        key = section.school
        found = [f"unknown activity {section.activity!r}"] if (key, section.activity) not in \
            self.activities else []
        if section.date is not None:
            if self.district.venue(section.room) is None:
                found.append(f"unknown venue {section.room!r}")
        elif (key, section.room) not in self.rooms:
            found.append(f"unknown room {section.room!r}")
        for staff in section.staff:
            if staff.teacher is not None and (key, staff.teacher) not in self.teachers:
                found.append(f"unknown teacher {staff.teacher!r}")
            if staff.provider is not None and staff.provider not in self.providers:
                found.append(f"unknown provider {staff.provider!r}")
        found += [f"unknown student {s!r}" for s in section.students
                  if (key, s) not in self.students]
        found += [f"unknown teacher {c.teacher!r} (a cover)" for c in section.covers
                  if (key, c.teacher) not in self.teachers]
        return found

    # --- sections, ordered and grouped -------------------------------------------------

    @cached_property
    def sections(self) -> list[SectionOut]:
        """The weekly sections in reading order: school, weekday, start, room (trips of
        visits are dated: `trips`)."""
        order = {school.id: i for i, school in enumerate(self.district.schools)}
        weekly = [s for s in self.solution.sections if s.date is None]
        return sorted(weekly,
                      key=lambda s: (order[s.school], DAYS.index(s.day), s.start, s.room, s.id))

    @cached_property
    def trips(self) -> list[SectionOut]:
        """Trips of visits (SPEC §8.4) by date, then school and departure."""
        order = {school.id: i for i, school in enumerate(self.district.schools)}
        dated = [s for s in self.solution.sections if s.date is not None]
        return sorted(dated, key=lambda s: (s.date, order[s.school], s.start, s.id))

    def away_dates(self, school: str | None, kind: str, key: str) -> frozenset[dt.date]:
        """Dates a teacher, provider or student is on a trip (their weekly sections that
        weekday go on without them)."""
        return frozenset(t.date for t in self.trips_of(school, kind, key) if t.date)

    def trips_of(self, school: str | None, kind: str, key: str) -> list[SectionOut]:
        """The trips a teacher, provider or student goes on."""
        return [t for t in self.trips if (school is None or t.school == school) and (
            key in t.students if kind == "student"
            else any(getattr(ref, kind, None) == key for ref in t.staff))]

    def venue_label(self, venue_id: str) -> str:
        venue = self.district.venue(venue_id)
        return venue.label if venue is not None else venue_id

    @cached_property
    def sections_by_school(self) -> dict[str, list[SectionOut]]:
        grouped: dict[str, list[SectionOut]] = {school: [] for school in self.schools}
        for section in self.sections:
            grouped[section.school].append(section)
        return grouped

    @cached_property
    def sections_by_student(self) -> dict[Key, list[SectionOut]]:
        grouped: dict[Key, list[SectionOut]] = defaultdict(list)
        for section in self.sections:
            for student in section.students:
                grouped[(section.school, student)].append(section)
        return grouped

    @property
    def weekdays(self) -> list[str]:
        """The term's weekdays, plus any weekday a section runs on outside them."""
        days = set(self.district.term.weekdays) | {s.day for s in self.solution.sections}
        return [d for d in DAYS if d in days]

    # --- names and numbers -------------------------------------------------------------

    def activity(self, section: SectionOut) -> Activity:
        return self.activities[(section.school, section.activity)]

    def activity_label(self, section: SectionOut) -> str:
        return self.activity(section).label

    def staff_label(self, section: SectionOut) -> str:
        """Staff names as people know them (a provider's name, a teacher's name)."""
        return "、".join(self._staff_name(section.school, s.teacher, s.provider, s.instructor)
                        for s in section.staff)

    def staff_ids(self, section: SectionOut) -> str:
        return ";".join(s.teacher or s.provider or "" for s in section.staff)

    def _staff_name(self, school: str, teacher: str | None, provider: str | None,
                    instructor: str | None = None) -> str:
        if teacher is not None:
            return self.teachers[(school, teacher)].name or teacher
        assert provider is not None
        name = self.providers[provider].name or provider
        if instructor is None:
            return name
        person = next((i for i in self.providers[provider].named if i.id == instructor), None)
        return f"{(person.name if person else '') or instructor}（{name}）"

    def staff_kind(self, section: SectionOut) -> str:
        kinds = {"teacher" if s.teacher else "provider" for s in section.staff}
        return ";".join(self.labels(k) for k in sorted(kinds))

    def student(self, school: str, student_id: str) -> Student:
        return self.students[(school, student_id)]

    def student_label(self, school: str, student_id: str) -> str:
        """`张三 (s001)` where the roster gives names, else the (maybe pseudonymous) id."""
        return _named(self.students[(school, student_id)].name, student_id)

    def has_names(self, school: str) -> bool:
        """Whether any student of the school has a name: then roll calls get a name column."""
        return self._named_schools.get(school, False)

    @cached_property
    def _named_schools(self) -> dict[str, bool]:
        return {s.id: any(st.name for st in s.students) for s in self.district.schools}

    def room_label(self, school: str, room_id: str) -> str:
        """What a cell calls a room: its name where it has one, else its id."""
        return self.rooms[(school, room_id)].label

    def room_title(self, school: str, room_id: str) -> str:
        """A room as a heading: `三楼美术室 (r301)`, or the id alone."""
        return _named(self.rooms[(school, room_id)].name, room_id)

    def section_room(self, section: SectionOut) -> str:
        if section.date is not None:
            return self.venue_label(section.room)
        return self.room_label(section.school, section.room)

    def pickup_label(self, student: Student, day: str) -> str:
        pickup = student.pickup_on(day)  # type: ignore[arg-type]
        return self.labels("end_of_service") if pickup is None else format_clock(pickup)

    def meeting_dates(self, day: str) -> list[dt.date]:
        return self._dates[day]

    @cached_property
    def _dates(self) -> dict[str, list[dt.date]]:
        return {day: self.district.term.meeting_dates(day) for day in DAYS}  # type: ignore[arg-type]

    def staff_rate(self, section: SectionOut) -> float:
        """Yuan per class hour: the teacher's extra pay or the provider's price."""
        total = 0.0
        for staff in section.staff:
            if staff.teacher is not None:
                total += self.teachers[(section.school, staff.teacher)].pay_per_class_hour
            elif staff.provider is not None:
                total += self.providers[staff.provider].price_per_class_hour
        return total

    def section_cost(self, section: SectionOut) -> float:
        """docs/rules.md decision 6: meetings × (rate × class hours + consumables); a trip:
        transport + staff rate × the trip's class hours."""
        if section.date is not None:
            return self.trip_transport(section) + self.trip_pay(section)
        per_meeting = self.activity(section).meeting_cost(self.staff_rate(section))
        return len(self.meeting_dates(section.day)) * per_meeting

    def trip_hours(self, section: SectionOut) -> int:
        school, activity = self.schools[section.school], self.activity(section)
        return school.trip_hours(activity, self.district.trip_minutes(school, activity))

    def trip_transport(self, section: SectionOut) -> float:
        return self.activity(section).transport_per_trip

    def trip_pay(self, section: SectionOut) -> float:
        return self.staff_rate(section) * self.trip_hours(section)

    def time_label(self, section: SectionOut) -> str:
        key = (section.start, section.end)
        label = self._time_labels.get(key)
        if label is None:  # asked for tens of thousands of times by a large school's views
            label = self._time_labels[key] = f"{format_clock(key[0])}-{format_clock(key[1])}"
        return label

    def school_label(self, school_id: str) -> str:
        school = self.schools[school_id]
        return school.name or school.id


def _named(name: str, key: str) -> str:
    return f"{name} ({key})" if name and name != key else key
