"""The solution's sections with their school, activity, room, staff and students looked up once.

Rule checks then just loop. Ids that name nothing are reported here, under the rule family
they belong to (room H2, teacher H3, provider H4, student H5, school/activity `ids`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from models.common import format_clock
from models.district import Activity, District, Policy, Provider, Room, School, Student, Teacher
from models.solution import SectionOut, Solution, section_id

from .report import Violation

StudentKey = tuple[str, str]  # (school id, student id)


def span(start: int, end: int) -> str:
    return f"{format_clock(start)}-{format_clock(end)}"


@dataclass
class Placed:
    """One section of the timetable, with everything it names looked up."""

    out: SectionOut
    school: School
    activity: Activity
    policy: Policy
    room: Room | None = None
    teachers: list[Teacher] = field(default_factory=list)
    providers: list[Provider] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.out.id

    @property
    def day(self) -> str:
        return self.out.day

    @property
    def start(self) -> int:
        return self.out.start

    @property
    def end(self) -> int:
        return self.out.end

    @property
    def hours(self) -> int:
        return self.activity.class_hours

    def where(self) -> str:
        """How a timetabler names this group: `tue 16:20-17:50 足球 (room field)`, or a
        trip: `2027-04-15 15:30-17:30 博物馆参观 (venue museum)`."""
        times = span(self.start, self.end)
        if self.out.date is not None:
            return f"{self.out.date} {times} {self.activity.label} (venue {self.out.room})"
        return f"{self.day} {times} {self.activity.label} (room {self.out.room})"


@dataclass
class Context:
    district: District
    solution: Solution
    placed: list[Placed] = field(default_factory=list)  # weekly sections
    trips: list[Placed] = field(default_factory=list)  # trips of visits, on their dates
    problems: list[Violation] = field(default_factory=list)
    by_student: dict[StudentKey, list[Placed]] = field(default_factory=lambda: defaultdict(list))
    rosters: dict[str, dict[str, Student]] = field(default_factory=dict)  # school -> id -> student
    policies: dict[str, Policy] = field(default_factory=dict)  # school id -> merged policy
    base: Solution | None = None  # the timetable a minimal-change re-solve started from
    _meetings: dict[str, int] = field(default_factory=dict)
    _starts: dict[tuple[str, int, str], list[int]] = field(default_factory=dict)

    def period_starts(self, school: School, grade: int, day: str) -> list[int]:
        """The grade's period starts that day (looked up once: thousands of students share them)."""
        key = (school.id, grade, day)
        if key not in self._starts:
            latest_end = self.policy(school).latest_end
            self._starts[key] = school.period_starts(grade, day, latest_end)  # type: ignore[arg-type]
        return self._starts[key]

    def meetings(self, day: str) -> int:
        """Dates in the term a `day` group meets (counted once per weekday: it walks the term)."""
        if day not in self._meetings:
            self._meetings[day] = self.district.term.meetings(day)  # type: ignore[arg-type]
        return self._meetings[day]

    def policy(self, school: School) -> Policy:
        if school.id not in self.policies:
            self.policies[school.id] = self.district.policy_for(school)
        return self.policies[school.id]

    def student_day(self, key: StudentKey, day: str) -> list[Placed]:
        """The student's sections that day, earliest first."""
        sections = [p for p in self.by_student.get(key, []) if p.day == day]
        return sorted(sections, key=lambda p: p.start)


def build(district: District, solution: Solution, base: Solution | None = None) -> Context:
    """Look up every id a section names; report the ones that name nothing."""
    ctx = Context(district, solution, base=base)
    ctx.rosters = {s.id: {st.id: st for st in s.students} for s in district.schools}
    schools = {s.id: s for s in district.schools}
    policies = {s.id: ctx.policy(s) for s in district.schools}
    seen: set[str] = set()
    for out in solution.sections:
        if out.id in seen:
            ctx.problems.append(Violation("ids", f"section id {out.id} appears twice", out.id))
        seen.add(out.id)
        placed = _resolve(ctx, out, schools, policies)
        if placed is not None and out.date is not None:
            ctx.trips.append(placed)
        elif placed is not None:
            ctx.placed.append(placed)
            for student in placed.students:
                ctx.by_student[(placed.school.id, student.id)].append(placed)
    return ctx


def _resolve(ctx: Context, out: SectionOut, schools: dict[str, School],
             policies: dict[str, Policy]) -> Placed | None:
    school = schools.get(out.school)
    if school is None:
        ctx.problems.append(Violation(
            "ids", f"section {out.id}: unknown school {out.school!r}", out.id))
        return None
    activity = next((a for a in school.activities if a.id == out.activity), None)
    if activity is None:
        ctx.problems.append(Violation(
            "ids", f"section {out.id}: {school.id} has no activity {out.activity!r}", out.id))
        return None
    if out.date is not None:  # a trip: its own checks are constraints.visits.check
        placed = Placed(out, school, activity, policies[school.id])
        _trip_staff(ctx, placed)
        placed.students = _students(ctx, placed)
        return placed
    expected = section_id(out.school, out.activity, out.day, out.start, out.room)
    if out.id != expected:
        ctx.problems.append(Violation("ids", f"section id {out.id} should be {expected}", out.id))
    placed = Placed(out, school, activity, policies[school.id])
    placed.room = _room(ctx, placed)
    _staff(ctx, placed)
    placed.students = _students(ctx, placed)
    return placed


def _room(ctx: Context, placed: Placed) -> Room | None:
    room = next((r for r in placed.school.rooms if r.id == placed.out.room), None)
    if room is None:
        ctx.problems.append(Violation(
            "H2", f"{placed.where()}: {placed.school.id} has no room {placed.out.room!r}",
            placed.id))
    return room


def _staff(ctx: Context, placed: Placed) -> None:
    """Exactly one teacher of the school or one provider of the district leads a group."""
    if len(placed.out.staff) != 1:
        ctx.problems.append(Violation(
            "H3", f"{placed.where()}: led by {len(placed.out.staff)} staff, not exactly one",
            placed.id))
    _named_staff(ctx, placed)


def _trip_staff(ctx: Context, placed: Placed) -> None:
    """A trip takes one adult or more (their number is checked by the visits rule)."""
    if not placed.out.staff:
        ctx.problems.append(Violation("visits", f"{placed.where()}: no adult goes", placed.id))
    _named_staff(ctx, placed)


def _named_staff(ctx: Context, placed: Placed) -> None:
    """The staff a section names: teachers of its school, providers of the district."""
    providers = {p.id: p for p in ctx.district.providers}
    for ref in placed.out.staff:
        if ref.teacher is not None:
            teacher = next((t for t in placed.school.teachers if t.id == ref.teacher), None)
            if teacher is None:
                ctx.problems.append(Violation(
                    "H3", f"{placed.where()}: {placed.school.id} has no teacher {ref.teacher!r}",
                    placed.id))
            else:
                placed.teachers.append(teacher)
        elif ref.provider is not None:
            provider = providers.get(ref.provider)
            if provider is None:
                ctx.problems.append(Violation(
                    "H4", f"{placed.where()}: no provider {ref.provider!r}", placed.id))
            else:
                placed.providers.append(provider)


def _students(ctx: Context, placed: Placed) -> list[Student]:
    """The group's students of this school, each once; strangers and repeats are reported."""
    own = ctx.rosters[placed.school.id]
    found: list[Student] = []
    for sid in placed.out.students:
        student = own.get(sid)
        if student is None:
            ctx.problems.append(Violation("H5", _stranger(ctx, placed, sid), placed.id))
        elif any(s.id == sid for s in found):
            ctx.problems.append(Violation(
                "H5", f"{placed.where()}: student {sid} is listed twice", placed.id))
        else:
            found.append(student)
    return found


def _stranger(ctx: Context, placed: Placed, sid: str) -> str:
    for school_id, roster in ctx.rosters.items():
        if sid in roster:
            return f"{placed.where()}: student {sid} is from {school_id}, not {placed.school.id}"
    return f"{placed.where()}: unknown student {sid!r}"


def needed_periods(ctx: Context, school: School, student: Student,
                   day: str) -> list[tuple[int, int]]:
    """Periods a student must be supervised that day: those starting before the window's end."""
    hour = school.hour_minutes(student.grade)
    starts = ctx.period_starts(school, student.grade, day)
    end = window_end(ctx, school, student, day)
    return [(s, s + hour) for s in starts[: ctx.policy(school).max_class_hours_per_day] if s < end]


def window_end(ctx: Context, school: School, student: Student, day: str) -> int:
    """The service window ends at pick-up or after `max_class_hours_per_day` periods,
    whichever is earlier (at dismissal when no period fits before `latest_end`)."""
    starts = ctx.period_starts(school, student.grade, day)
    if not starts:
        return school.dismissal(student.grade, day)  # type: ignore[arg-type]
    last = starts[: ctx.policy(school).max_class_hours_per_day][-1]
    last += school.hour_minutes(student.grade)
    pickup = student.pickup_on(day)  # type: ignore[arg-type]
    return last if pickup is None else min(pickup, last)


def overlapping(group: list[Placed]) -> Iterator[tuple[Placed, Placed]]:
    """Pairs of sections (of one day) whose times overlap, the earlier one first."""
    ordered = sorted(group, key=lambda p: (p.start, p.end))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            if second.start >= first.end:
                break
            yield first, second


def overlapping_by_day(sections: list[Placed]) -> Iterator[tuple[str, Placed, Placed]]:
    """Overlapping pairs among one person's sections, day by day: (day, earlier, later)."""
    for day in sorted({p.day for p in sections}):
        for first, second in overlapping([p for p in sections if p.day == day]):
            yield day, first, second


def ranked_choices(school: School, student: Student) -> list[str]:
    """The student's choices as activity ids, in their order (a choice may name id or name).

    A choice of the fallback is dropped: everyone may attend it, so it is no choice, and
    it takes no rank (rules.md, Decision 1).
    """
    ranked: list[str] = []
    for choice in student.choices:
        activity = school.activity(choice)
        if activity is None:
            ranked.append(choice)
        elif not activity.fallback:
            ranked.append(activity.id)
    return ranked


def assigned_ids(school: School, student: Student) -> list[str]:
    """The activity ids a student is assigned (an assignment may name id or name)."""
    found = (school.activity(key) for key in student.assigned)
    return list(dict.fromkeys(a.id for a in found if a is not None))


def attended(ctx: Context, school: School) -> dict[str, set[str]]:
    """Activity ids each student of the school is in (weekly, or on a trip)."""
    table: dict[str, set[str]] = defaultdict(set)
    for placed in [*ctx.placed, *ctx.trips]:
        if placed.school.id == school.id:
            for student in placed.students:
                table[student.id].add(placed.activity.id)
    return table
