"""`afterschool promote`: fill seats freed by withdrawals from the waiting lists, moving
nobody else (docs/allocation.md).

A withdrawn student leaves the named activity (or all their clubs) and sits in supervised
study for the periods it covered. Each freed seat goes to the first student on that
activity's waiting list who can take it as it stands: registered that day, of a grade the
section's periods fit, home by its end, under the clubs-per-week and class-hours caps, and
free then except for supervised study, which they leave. Every other student keeps
exactly their sections. The result is scored and verified like any timetable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from constraints.changes.diff import diff
from models.allocation import waitlists
from models.district import Activity, District, School, Student
from models.instance import service_window
from models.solution import SectionOut, Solution, Withdrawal


class PromoteError(ValueError):
    """A withdrawal that cannot be made: unknown student or activity, nowhere to sit."""


@dataclass
class Promotion:
    school: str
    student: str
    section: SectionOut
    rank: int  # 0-based rank of the activity in the student's choices
    place: int  # 1-based place on the waiting list when promoted


@dataclass
class Outcome:
    solution: Solution
    withdrawn: list[Withdrawal]  # every withdrawal so far, earlier runs' first
    before: list[Withdrawal] = field(default_factory=list)  # the earlier runs' alone
    promoted: list[Promotion] = field(default_factory=list)
    unfilled: list[tuple[SectionOut, int]] = field(default_factory=list)  # (section, seats)


def parse_withdrawals(district: District, names: list[str]) -> list[tuple[School, Student,
                                                                          str | None]]:
    """`s001`, `school/s001`, `s001:football` (an activity id or name) -> who leaves what."""
    found = []
    for name in names:
        who, _, activity = name.partition(":")
        school, student = _student(district, who)
        chosen = None
        if activity:
            known = school.activity(activity)
            if known is None:
                raise PromoteError(f"{name}: school {school.id} has no activity {activity!r}")
            chosen = known.id
        found.append((school, student, chosen))
    return found


def _student(district: District, who: str) -> tuple[School, Student]:
    school_id, _, student_id = who.rpartition("/")
    matches = [(sc, st) for sc in district.schools if not school_id or sc.id == school_id
               for st in sc.students if st.id == student_id]
    if not matches:
        raise PromoteError(f"{who}: no such student in the file")
    if len(matches) > 1:
        raise PromoteError(f"{who}: a student of that id is in {len(matches)} schools; write "
                           f"it as SCHOOL/{student_id}")
    return matches[0]


def promote(district: District, solution: Solution, names: list[str]) -> Outcome:
    """The timetable after the withdrawals, with freed seats filled from waiting lists."""
    sections = [s.model_copy(deep=True) for s in solution.sections]
    state = _State(district, sections)
    withdrawn = [*solution.withdrawn]
    freed: dict[str, int] = defaultdict(int)  # section id -> seats freed
    for school, student, activity in parse_withdrawals(district, names):
        gone = state.leave_clubs(school, student, activity)
        if not gone:
            raise PromoteError(f"{student.id} is in no {activity or 'club'} section to leave")
        for section in gone:
            freed[section.id] += 1
            withdrawn.append(Withdrawal(school=school.id, student=student.id,
                                        activity=section.activity))
    lists = {(w.school, w.activity): w.students
             for w in waitlists(district, sections, withdrawn)}
    outcome = Outcome(solution, withdrawn, list(solution.withdrawn))
    for section in sorted((s for s in sections if freed.get(s.id)), key=lambda s: s.id):
        left = state.fill(section, freed[section.id], lists.get((section.school,
                                                                  section.activity), []),
                          outcome.promoted)
        if left:
            outcome.unfilled.append((section, left))
    state.seat_waiting()
    for section, seats in outcome.unfilled:
        smallest = state.activity(section).min_size
        if len(section.students) < smallest:
            raise PromoteError(
                f"{section.id}: after the withdrawals it holds {len(section.students)} "
                f"students, below its minimum of {smallest}, and nobody on the waiting list "
                f"can take the {seats} free seat(s); solve again from this timetable "
                "(afterschool solve FILE --base SOLUTION) to close or refill it")
    kept = [s for s in sections if s.students or not state.is_study(s)]
    outcome.solution = solution.model_copy(update={"sections": kept, "withdrawn": withdrawn})
    return outcome


class _State:
    """The timetable being changed, with each student's sections at hand."""

    def __init__(self, district: District, sections: list[SectionOut]):
        self.district = district
        self.sections = sections
        self.of: dict[tuple[str, str], list[SectionOut]] = defaultdict(list)
        for section in sections:
            for student in section.students:
                self.of[(section.school, student)].append(section)
        self.to_seat: list[tuple[School, Student, SectionOut]] = []  # study still needed

    def activity(self, section: SectionOut) -> Activity:
        found = self.district.school(section.school).activity(section.activity)
        assert found is not None  # the solution was checked against the input
        return found

    def is_study(self, section: SectionOut) -> bool:
        return self.activity(section).fallback

    def leave_clubs(self, school: School, student: Student,
                    activity: str | None) -> list[SectionOut]:
        left = [s for s in self.of[(school.id, student.id)] if not self.is_study(s)
                and (activity is None or s.activity == activity)]
        for section in left:
            section.students.remove(student.id)
            self.of[(school.id, student.id)].remove(section)
            self.to_seat.append((school, student, section))
        return left

    def fill(self, section: SectionOut, seats: int, waiting: list[str],
             promoted: list[Promotion]) -> int:
        """Give up to `seats` seats of `section` to the waiting list in order; seats left."""
        school = self.district.school(section.school)
        students = {st.id: st for st in school.students}
        for place, student_id in enumerate(waiting, start=1):
            if seats == 0:
                break
            study = self._free_for(school, students[student_id], section)
            if study is None:
                continue
            for old in study:
                old.students.remove(student_id)
                self.of[(school.id, student_id)].remove(old)
            section.students.append(student_id)
            self.of[(school.id, student_id)].append(section)
            rank = _rank(school, students[student_id], section.activity)
            promoted.append(Promotion(school.id, student_id, section, rank, place))
            seats -= 1
        return seats

    def _free_for(self, school: School, student: Student,
                  section: SectionOut) -> list[SectionOut] | None:
        """The study sections the student leaves to take `section`, or None if they cannot."""
        policy = self.district.policy_for(school)
        activity = self.activity(section)
        day = section.day
        mine = self.of[(school.id, student.id)]
        if (day not in student.days or student.grade not in activity.grades
                or section.start not in school.period_starts(student.grade, day,
                                                             policy.latest_end)
                or section.end > service_window(school, policy, student, day)[1]):
            return None
        clubs = [s for s in mine if not self.is_study(s)]
        if (len(clubs) >= policy.max_clubs_per_student_week
                or any(s.activity == section.activity for s in clubs)):
            return None
        overlap = [s for s in mine if s.day == day and s.start < section.end
                   and section.start < s.end]
        if any(not self.is_study(s) or s.start < section.start or s.end > section.end
               for s in overlap):
            return None
        hours = sum(self.activity(s).class_hours for s in mine if s.day == day)
        hours += activity.class_hours - sum(self.activity(s).class_hours for s in overlap)
        if hours > policy.max_class_hours_per_day:
            return None
        if any(0 < len(s.students) - 1 < self.activity(s).min_size for s in overlap):
            return None
        return overlap

    def seat_waiting(self) -> None:
        """Supervised study for each withdrawn student's periods their clubs covered."""
        for school, student, club in self.to_seat:
            policy = self.district.policy_for(school)
            starts = school.period_starts(student.grade, club.day, policy.latest_end)
            end = service_window(school, policy, student, club.day)[1]
            needed = [p for p in starts[: policy.max_class_hours_per_day]
                      if club.start <= p < min(club.end, end)]
            for period in needed:
                self._seat_study(school, student, club.day, period)

    def _seat_study(self, school: School, student: Student, day: str, start: int) -> None:
        options = [s for s in self.sections if s.school == school.id and s.day == day
                   and s.start == start and self.is_study(s)
                   and student.grade in self.activity(s).grades
                   and len(s.students) < self._capacity(school, s)]
        if not options:
            raise PromoteError(
                f"{student.id}: no supervised-study seat left on {day} at "
                f"{start // 60:02d}:{start % 60:02d} for the periods the withdrawn club "
                "covered; solve again (afterschool solve --base) to open one")
        classes = {st: c for st, c in ((x.id, x.class_) for x in school.students)}
        best = max(options, key=lambda s: (any(classes.get(o) == student.class_
                                               for o in s.students), -len(s.students)))
        best.students.append(student.id)
        self.of[(school.id, student.id)].append(best)

    def _capacity(self, school: School, section: SectionOut) -> int:
        room = next(r for r in school.rooms if r.id == section.room)
        return min(self.activity(section).max_size, room.capacity)


def _rank(school: School, student: Student, activity_id: str) -> int:
    ranked = [a.id for a in (school.activity(c) for c in student.choices)
              if a is not None and not a.fallback]
    return ranked.index(activity_id)


def moved_others(district: District, outcome: Outcome, before: Solution) -> list[str]:
    """Students moved (SPEC §8.3's definition: out of a session they sat in) who neither
    withdrew nor were promoted: none, unless this module has a bug."""
    rosters = {s.id: {st.id for st in s.students} for s in district.schools}
    found = diff(before.sections, outcome.solution.sections, rosters)
    allowed = {(w.school, w.student) for w in outcome.withdrawn}
    allowed |= {(p.school, p.student) for p in outcome.promoted}
    return [f"{m.school}/{m.student}" for m in found.students
            if (m.school, m.student) not in allowed]
