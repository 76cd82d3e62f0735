"""What club sign-up systems do today, applied to the solver's own sections.

Keep the solver's sections (activity, day, start, room, staff), drop every student, then
fill the clubs the way schools' sign-up systems do:

- first come, first served (FCFS): students in sign-up (row) order;
- lottery: random serial dictatorship, the same rule in a random order;
- published lottery: the same rule in the order of the students' lottery numbers
  (`policy.lottery_seed`, models/allocation.py), the baseline `solution.json` carries.

Each student in turn takes their ranked choices in order: a section of that activity on
one of their registered days, at a period start of their grade, ending by their pick-up
(the window's end), not overlapping a club they already have, with a free seat, once per
activity and at most `max_clubs_per_student_week` clubs (the section with the most free
seats is taken). A club left under `min_size` is cancelled and the sign-up is run again
without it (its students try their next sections). Then every needed period is covered
by the supervised-study fallback: existing fallback sections first (home class first),
then extra fallback sections with a free teacher and room, within caps and budget.

Solver-free: the result is a `Solution` the verifier checks like any other.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from models.allocation import draw_order
from models.common import Day
from models.district import Activity, District, Policy, School, Student, Teacher
from models.instance import schedulable, service_window
from models.loader import Loaded
from models.solution import SectionOut, Solution, StaffRef, section_id


class BaselineError(RuntimeError):
    """The baseline cannot supervise every student with the sections, staff and rooms given."""


@dataclass(eq=False)
class Shell:
    """A section of the timetable with its students taken out."""

    out: SectionOut
    activity: Activity
    capacity: int
    students: list[Student] = field(default_factory=list)

    @property
    def day(self) -> Day:
        return self.out.day

    @property
    def start(self) -> int:
        return self.out.start

    @property
    def end(self) -> int:
        return self.out.end

    @property
    def free(self) -> int:
        return self.capacity - len(self.students)


@dataclass
class Need:
    """A student-day: the period starts to supervise and the window's end."""

    periods: list[int]
    window_end: int
    hour: int


@dataclass
class Plan:
    """One school's sign-up state: clubs of each student, and the sections."""

    school: School
    policy: Policy
    clubs: list[Shell]
    fallbacks: list[Shell]
    taken: dict[str, list[Shell]] = field(default_factory=lambda: defaultdict(list))


def fcfs(loaded: Loaded, solution: Solution) -> Solution:
    """First come, first served in sign-up (row) order, on the solver's sections."""
    return allocate(loaded, solution, order=None)


def lottery(loaded: Loaded, solution: Solution, seed: int) -> Solution:
    """Random serial dictatorship: the FCFS rule in a random order drawn from `seed`."""
    return allocate(loaded, solution, order=random.Random(seed))


def published_lottery(loaded: Loaded, solution: Solution) -> Solution:
    """Random serial dictatorship in the published lottery order: smallest number first."""
    district = loaded.district

    def drawn(school: School) -> list[Student]:
        return draw_order(district.policy_for(school).lottery_seed, school.id, school.students)

    return allocate(loaded, solution, order=None, arrange=drawn)


def allocate(loaded: Loaded, solution: Solution, order: random.Random | None,
             arrange: Callable[[School], list[Student]] | None = None) -> Solution:
    """Run the sign-up rule on every school; students in row order, or as `arrange` puts
    them, then shuffled by `order` if given."""
    started = time.perf_counter()
    district = loaded.district
    sections: list[SectionOut] = []
    for school in district.schools:
        students = arrange(school) if arrange is not None else list(school.students)
        if order is not None:
            order.shuffle(students)
        mine = [s for s in solution.sections if s.school == school.id]
        sections += _school(district, school, mine, students)
    return _as_solution(loaded, solution, sections, time.perf_counter() - started)


def _as_solution(loaded: Loaded, base: Solution, sections: list[SectionOut],
                 seconds: float) -> Solution:
    from scheduler.verifier import score  # the verifier's own recomputation, so the file agrees

    draft = Solution(instance_sha256=base.instance_sha256, status="FEASIBLE", objective=0.0,
                     bound=0.0, solve_seconds=round(seconds, 3), sections=sections)
    result = score(loaded.district, draft)
    return draft.model_copy(update={
        "objective": result.objective, "bound": result.objective, "kpis": result.kpis,
        "objective_terms": result.terms})


# --- one school -----------------------------------------------------------------------------

def _school(district: District, school: School, sections: list[SectionOut],
            students: list[Student]) -> list[SectionOut]:
    policy = district.policy_for(school)
    needs = _needs(district, school, policy)
    shells = [_shell(school, s) for s in sections]
    clubs = [s for s in shells if not s.activity.fallback]
    fallbacks = [s for s in shells if s.activity.fallback]
    while True:
        plan = Plan(school, policy, clubs, fallbacks)
        for shell in clubs:
            shell.students = []
        for student in students:
            _sign_up(plan, student, needs)
        short = [s for s in clubs if 0 < len(s.students) < s.activity.min_size]
        if not short:
            break
        # Cancel the emptiest club below its minimum and run the sign-up again without it.
        cancelled = min(short, key=lambda s: (len(s.students), s.out.id))
        clubs = [s for s in clubs if s is not cancelled]
    _supervise(district, plan, students, needs)
    row = {s.id: i for i, s in enumerate(school.students)}
    return [_written(s, row) for s in (*plan.clubs, *plan.fallbacks) if s.students]


def _shell(school: School, out: SectionOut) -> Shell:
    activity = school.activity(out.activity)
    if activity is None:
        raise BaselineError(f"{school.id}: the solution names an unknown activity {out.activity}")
    room = next(r for r in school.rooms if r.id == out.room)
    empty = out.model_copy(update={"students": []})
    return Shell(empty, activity, min(activity.max_size, room.capacity))


def _needs(district: District, school: School, policy: Policy) -> dict[tuple[str, Day], Need]:
    """(student id, day) -> the periods to supervise, for each registered term weekday."""
    starts: dict[tuple[int, str], list[int]] = {}
    result = {}
    for student in school.students:
        for day in student.days:
            if day not in district.term.weekdays:
                continue
            key = (student.grade, day)
            if key not in starts:
                starts[key] = school.period_starts(student.grade, day, policy.latest_end)
            end = service_window(school, policy, student, day)[1]
            periods = [p for p in starts[key][: policy.max_class_hours_per_day] if p < end]
            result[(student.id, day)] = Need(periods, end, school.hour_minutes(student.grade))
    return result


# --- clubs --------------------------------------------------------------------------------

def ranked(school: School, policy: Policy, student: Student) -> list[Activity]:
    """The student's chosen clubs, best first (the fallback and unknown names dropped)."""
    result: list[Activity] = []
    for choice in student.choices:
        activity = school.activity(choice)
        if activity is None or activity.fallback or activity in result:
            continue
        if schedulable(policy, activity) and student.grade in activity.grades:
            result.append(activity)
    return result


def _sign_up(plan: Plan, student: Student, needs: dict[tuple[str, Day], Need]) -> None:
    mine = plan.taken[student.id]
    for activity in ranked(plan.school, plan.policy, student):
        if len(mine) >= plan.policy.max_clubs_per_student_week:
            return
        options = [s for s in plan.clubs
                   if s.activity.id == activity.id and s.free > 0
                   and _fits(s, needs.get((student.id, s.day)), mine)]
        if options:
            best = max(options, key=lambda s: (s.free, -plan.clubs.index(s)))
            best.students.append(student)
            mine.append(best)


def _fits(shell: Shell, need: Need | None, mine: list[Shell]) -> bool:
    """On a registered day, at one of the student's period starts, home by pick-up, no overlap."""
    if need is None or shell.start not in need.periods or shell.end > need.window_end:
        return False
    return not any(o.day == shell.day and o.start < shell.end and shell.start < o.end
                   for o in mine)


# --- supervised study ---------------------------------------------------------------------

def _supervise(district: District, plan: Plan, students: list[Student],
               needs: dict[tuple[str, Day], Need]) -> None:
    """Every needed period no club covers goes to a fallback section (opened if need be)."""
    for shell in plan.fallbacks:
        shell.students = []
    left: dict[tuple[Day, int, str], list[Student]] = defaultdict(list)
    by_class = sorted(students, key=lambda s: (s.class_ or "", s.grade, s.id))
    for student in by_class:
        fallback = _fallback_for(plan, student)
        for day in student.days:
            need = needs.get((student.id, day))
            if need is None:
                continue
            clubs = [s for s in plan.taken[student.id] if s.day == day and s in plan.clubs]
            for period in need.periods:
                if any(s.start <= period and period + need.hour <= s.end for s in clubs):
                    continue
                if fallback is None:
                    raise BaselineError(f"no supervised study for grade {student.grade}")
                if not _seat(plan, student, day, period):
                    left[(day, period, fallback.id)].append(student)
    for (day, period, activity_id), waiting in left.items():
        _open_more(district, plan, day, period, activity_id, waiting)


def _fallback_for(plan: Plan, student: Student) -> Activity | None:
    return next((a for a in plan.school.activities
                 if a.fallback and schedulable(plan.policy, a) and student.grade in a.grades),
                None)


def _seat(plan: Plan, student: Student, day: str, period: int) -> bool:
    """A free fallback seat at that start: a group of the student's class first."""
    options = [s for s in plan.fallbacks if s.day == day and s.start == period and s.free > 0
               and student.grade in s.activity.grades]
    if not options:
        return False
    best = max(options, key=lambda s: (any(o.class_ == student.class_ for o in s.students),
                                       not s.students, -s.free))
    best.students.append(student)
    return True


def _open_more(district: District, plan: Plan, day: str, period: int, activity_id: str,
               waiting: list[Student]) -> None:
    """Open fallback sections with a free teacher and room until everyone waiting sits."""
    activity = next(a for a in plan.school.activities if a.id == activity_id)
    while waiting:
        out = _new_section(district, plan, activity, day, period)
        if out is None:
            raise BaselineError(
                f"{plan.school.id} {day} {period // 60:02d}:{period % 60:02d}: "
                f"{len(waiting)} students need supervised study and no teacher, room or "
                "budget is left to open another group")
        room = next(r for r in plan.school.rooms if r.id == out.room)
        shell = Shell(out, activity, min(activity.max_size, room.capacity))
        shell.students, waiting = waiting[: shell.capacity], waiting[shell.capacity:]
        plan.fallbacks.append(shell)


def _new_section(district: District, plan: Plan, activity: Activity, day: str,
                 period: int) -> SectionOut | None:
    school = plan.school
    end = period + school.duration(activity)
    shells = [*plan.clubs, *plan.fallbacks]
    if activity.max_sections_week is not None:
        if sum(s.activity.id == activity.id for s in shells) >= activity.max_sections_week:
            return None
    room = _free_room(school, activity, shells, day, period, end)
    if room is None:
        return None
    room_left = _budget_left(district, plan, shells)
    meetings = district.term.meetings(day)  # type: ignore[arg-type]
    for teacher in school.teachers:
        cost = meetings * activity.meeting_cost(teacher.pay_per_class_hour)
        if cost <= room_left + 1e-9 and _teacher_free(plan, teacher, activity, shells, day,
                                                       period, end):
            return SectionOut(id=section_id(school.id, activity.id, day, period, room),
                              school=school.id, activity=activity.id, day=day, start=period,
                              end=end, room=room, staff=[StaffRef(teacher=teacher.id)])
    return None


def _free_room(school: School, activity: Activity, shells: list[Shell], day: str, start: int,
               end: int) -> str | None:
    need = min(activity.max_size, max((r.capacity for r in school.rooms
                                       if r.type == activity.room_type), default=0))
    for room in sorted(school.rooms, key=lambda r: (r.capacity, r.id)):
        if room.type != activity.room_type or room.capacity < need:
            continue
        if not any(s.out.room == room.id and s.day == day and s.start < end and start < s.end
                   for s in shells):
            return room.id
    return None


def _teacher_free(plan: Plan, teacher: Teacher, activity: Activity, shells: list[Shell],
                  day: str, start: int, end: int) -> bool:
    if activity.skill not in teacher.skills or teacher.affiliations:
        return False
    if any(b[0] < end and start < b[1] for b in teacher.busy.get(day, [])):  # type: ignore[call-overload]
        return False
    own = [s for s in shells if any(r.teacher == teacher.id for r in s.out.staff)]
    if any(s.day == day and s.start < end and start < s.end for s in own):
        return False
    policy = plan.policy
    week, daily = teacher.week_cap(policy), teacher.day_cap(policy)
    hours = activity.class_hours
    week_load = sum(s.activity.class_hours for s in own)
    day_load = sum(s.activity.class_hours for s in own if s.day == day)
    return week_load + hours <= week and day_load + hours <= daily


def _budget_left(district: District, plan: Plan, shells: list[Shell]) -> float:
    """Budget less the cost of every club in use and every fallback section (used or not)."""
    providers = {p.id: p for p in district.providers}
    teachers = {t.id: t for t in plan.school.teachers}
    cost = 0.0
    for shell in shells:
        if not shell.activity.fallback and not shell.students:
            continue
        rate = sum(teachers[r.teacher].pay_per_class_hour if r.teacher
                   else providers[r.provider or ""].price_per_class_hour for r in shell.out.staff)
        meetings = district.term.meetings(shell.day)  # type: ignore[arg-type]
        cost += meetings * shell.activity.meeting_cost(rate)
    return district.budget(plan.school) - cost


def _written(shell: Shell, row: dict[str, int]) -> SectionOut:
    ids = sorted((s.id for s in shell.students), key=row.__getitem__)
    return shell.out.model_copy(update={"students": ids})
