"""Cross-reference checks on a validated district: errors (exit 2) and warnings.

Each check reads like a rule a timetabler knows; each finding names the path of the
input value to edit, which the loader turns into `file:line:col`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .common import DAYS, Day, format_clock, format_window
from .district import (
    Activity,
    District,
    Policy,
    Provider,
    School,
    Student,
    Teacher,
    Term,
    Venue,
)
from .yaml12 import Path

LESSON_WORDS = ("补课", "补习", "培优", "超前", "提前学")  # names that suggest taught lessons
MANY = 3  # past this many late pick-ups in a school, one summary line instead of one each
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number and zeroes the rest


@dataclass(frozen=True)
class Finding:
    """One problem in the input: where to edit it, what is wrong, and how bad it is."""

    path: Path
    message: str
    severity: Literal["error", "warning"] = "error"


def cross_checks(district: District) -> list[Finding]:
    """Every cross-reference error and warning of a district, in file order."""
    findings = list(_term_checks(district))
    findings += _provider_checks(district)
    findings += _travel_checks(district)
    findings += _duplicate_ids(district)
    findings += _previous_checks(district)
    findings += _duplicates([v.id for v in district.venues], ("venues",), "venue")
    for i, school in enumerate(district.schools):
        findings += SchoolChecks(district, i, school).run()
    return findings


def _term_checks(district: District) -> Iterator[Finding]:
    term = district.term
    first, last = term.first_service_day, term.end
    for date, day in term.makeup_days.items():
        own = DAYS[date.weekday()]
        where: Path = ("term", "makeup_days", f"{date}@key")
        if day not in term.weekdays:
            yield Finding(("term", "makeup_days", str(date)), f"make-up day {date} runs {day}'s "
                          f"timetable, but {day} is not one of the term's weekdays")
        elif not first <= date <= last:
            yield Finding(where, f"make-up day {date} is outside the term's service ({first} to "
                          f"{last}); it is ignored", "warning")
        elif own != day and own in term.weekdays and date not in term.holidays:
            yield Finding(where, f"make-up day {date} is a {own}, already a service day: it "
                          f"would run both {own}'s and {day}'s timetables; add it to holidays "
                          f"if only {day}'s should run")
    for k, date in enumerate(term.holidays):
        if not first <= date <= last:
            yield Finding(("term", "holidays", k), f"holiday {date} is outside the term's service "
                          f"({first} to {last}); is the year right?", "warning")


def _provider_checks(district: District) -> Iterator[Finding]:
    """Providers serve known schools; unvetted ones are never staffed (a warning)."""
    schools = {s.id for s in district.schools}
    end = district.term.end
    for p, provider in enumerate(district.providers):
        where: Path = ("providers", p)
        for k, school in enumerate(provider.serves or []):
            if school not in schools:
                yield Finding((*where, "serves", k), f"provider {provider.id} serves unknown "
                              f"school {school!r}{_hint(school, schools)}")
        if provider.qualification != "approved":
            yield Finding((*where, "qualification"), f"provider {provider.id} is not approved "
                          f"(qualification: {provider.qualification}); it is never staffed",
                          "warning")
        if provider.named:
            yield from _instructor_checks(provider, where, end)
            continue
        check = provider.background_check_until
        if check is None or check < end:
            state = "has no background check" if check is None else f"background check ends {check}"
            yield Finding((*where, "background_check_until" if check else "id"),
                          f"provider {provider.id} {state}, before the term's end {end}; "
                          "it is never staffed", "warning")


def _instructor_checks(provider: Provider, where: Path, end: dt.date) -> Iterator[Finding]:
    """A named instructor whose check (their own, else the provider's) lapses is never staffed."""
    cleared = {i.id for i in provider.cleared(end)}
    for k, person in enumerate(provider.named):
        if person.id not in cleared:
            until = person.background_check_until or provider.background_check_until
            state = "has no background check" if until is None else f"background check ends {until}"
            yield Finding((*where, "instructors", k, "id"), f"instructor {person.id} of "
                          f"{provider.id} {state}, before the term's end {end}; they are never "
                          "staffed", "warning")


def _travel_checks(district: District) -> Iterator[Finding]:
    """`travel_minutes` names places of the district (schools and venues)."""
    places = {s.id for s in district.schools} | {v.id for v in district.venues}
    what = "school or venue" if district.venues else "school"
    for a, row in district.travel_minutes.items():
        if a not in places:
            yield Finding(("travel_minutes", f"{a}@key"), f"travel_minutes: unknown {what} "
                          f"{a!r}{_hint(a, places)}")
        for b in row:
            if b not in places:
                yield Finding(("travel_minutes", a, f"{b}@key"), f"travel_minutes: unknown "
                              f"{what} {b!r}{_hint(b, places)}")


def _previous_checks(district: District) -> Iterator[Finding]:
    """`previous:` is an earlier term of these schools, not of another district."""
    previous = district.previous
    if previous is None:
        return
    ours = {s.id for s in district.schools}
    others = [s for s in previous.schools if s not in ours]
    if others or not previous.schools:
        named = ", ".join(others) if others else "no school"
        yield Finding(("previous",), f"previous solution {previous.file!r} is not an earlier "
                      f"term of this file's schools: it has {named} (this file has "
                      f"{', '.join(sorted(ours))})")


def _duplicates(items: list[str], where: Path, what: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for j, item in enumerate(items):
        if item in seen:
            yield Finding((*where, j, "id"), f"duplicate {what} id {item!r}")
        seen.add(item)


def _duplicate_ids(district: District) -> list[Finding]:
    findings = list(_duplicates([s.id for s in district.schools], ("schools",), "school"))
    findings += _duplicates([p.id for p in district.providers], ("providers",), "provider")
    for i, school in enumerate(district.schools):
        base: Path = ("schools", i)
        findings += _duplicates([r.id for r in school.rooms], (*base, "rooms"), "room")
        findings += _duplicates([t.id for t in school.teachers], (*base, "teachers"), "teacher")
        activities = [a.id for a in school.activities]
        findings += _duplicates(activities, (*base, "activities"), "activity")
        findings += _shared_names(school, base)
        findings += _duplicates([s.id for s in school.students], (*base, "students"), "student")
    return findings


def _shared_names(school: School, base: Path) -> Iterator[Finding]:
    """Students choose by id or name, so a name must not stand for two activities."""
    ids = {a.id for a in school.activities}
    seen: set[str] = set()
    for j, activity in enumerate(school.activities):
        name = activity.name
        if name and (name in seen or (name in ids and name != activity.id)):
            yield Finding((*base, "activities", j, "name"), f"activity {activity.id}: the name "
                          f"{name!r} is already another activity's name or id; students "
                          "choosing it by name get only one of them (choose by id)", "warning")
        seen.add(name)


VISIT_KEYS = ("venue", "dates", "minutes_at_venue", "students_per_staff", "transport_per_trip")


def _no_service(term: Term, date: dt.date) -> str:
    """Why no service runs on a date of the term's calendar."""
    first, last = term.first_service_day, term.end
    if not first <= date <= last:
        return f"the date is outside the term's service ({first} to {last})"
    if date in term.holidays:
        return "the date is a holiday (term: holidays)"
    day = term.makeup_days.get(date, DAYS[date.weekday()])
    return f"the date is a {day}, not one of the term's weekdays ({', '.join(term.weekdays)})"


def _hint(name: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class SchoolChecks:
    """The checks of one school, which share its policy, weekdays and staff."""

    def __init__(self, district: District, index: int, school: School):
        self.district = district
        self.school = school
        self.base: Path = ("schools", index)
        self.policy: Policy = district.policy_for(school)
        self.weekdays: list[Day] = list(district.term.weekdays)
        self.providers = {p.id: p for p in district.providers}
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        self.grades()
        self.teachers()
        for j, activity in enumerate(self.school.activities):
            self.activity(j, activity)
        self.students()
        self.fallbacks()
        return self.findings

    def error(self, path: Path, message: str) -> None:
        self.findings.append(Finding((*self.base, *path), message))

    def warn(self, path: Path, message: str) -> None:
        self.findings.append(Finding((*self.base, *path), message, "warning"))

    # -- grades and staff -------------------------------------------------------------

    def grades(self) -> None:
        """A grade is dismissed before the service must end, on every weekday."""
        latest = self.policy.latest_end
        for grade, info in self.school.grades.items():
            reported: set[str] = set()
            for day in self.weekdays:
                key = day if getattr(info.dismissal, day) is not None else "default"
                time = self.school.dismissal(grade, day)
                if time >= latest and key not in reported:
                    reported.add(key)
                    self.error(("grades", grade, "dismissal", key),
                               f"grade {grade}: dismissal {format_clock(time)} on {day} is not "
                               f"before latest_end {format_clock(latest)}; no service fits")

    def teachers(self) -> None:
        """Affiliations name known providers; an affiliated teacher is never staffed."""
        for t, teacher in enumerate(self.school.teachers):
            for k, provider in enumerate(teacher.affiliations):
                if provider not in self.providers:
                    self.error(("teachers", t, "affiliations", k),
                               f"teacher {teacher.id} is affiliated with unknown provider "
                               f"{provider!r}{_hint(provider, set(self.providers))}")
            if teacher.affiliations:
                self.warn(("teachers", t, "affiliations"),
                          f"teacher {teacher.id} is affiliated with a provider "
                          f"({', '.join(teacher.affiliations)}); staff of the service may not "
                          "be, so this teacher is never staffed")

    def eligible(self, teacher: Teacher) -> bool:
        """A teacher who may lead sections: no provider ties and a weekly cap above zero."""
        cap = teacher.max_class_hours_week
        cap = self.policy.teacher_max_class_hours_week if cap is None else cap
        return not teacher.affiliations and cap > 0

    # -- activities ---------------------------------------------------------------------

    def activity(self, j: int, activity: Activity) -> None:
        where: Path = ("activities", j)
        self.category(where, activity)
        self.activity_grades(where, activity)
        self.staffing(where, activity)
        if activity.is_visit:
            self.visit(where, activity)
        else:
            self.not_a_visit(where, activity)
        if activity.room_type and activity.room_type not in {r.type for r in self.school.rooms}:
            types = {r.type for r in self.school.rooms}
            self.error((*where, "room_type"), f"activity {activity.id}: no room has type "
                       f"{activity.room_type!r}{_hint(activity.room_type, types)}")
        if activity.fallback and activity.class_hours != 1:
            self.error((*where, "class_hours"), f"activity {activity.id}: a fallback (supervised "
                       "study) lasts one class hour, so children can join it around their clubs")
        if not activity.approved:
            self.warn((*where, "approved"), f"activity {activity.id} is not approved "
                      "(approved: false); it is never scheduled")
        words = [w for w in LESSON_WORDS if w in activity.name]
        if words:
            self.warn((*where, "name"), f"activity {activity.id}: the name {activity.name!r} "
                      f"suggests a lesson ({words[0]}); the policy bans unified supplementary "
                      "lessons in the service")

    def category(self, where: Path, activity: Activity) -> None:
        """Lessons are never allowed; the policy may ban more."""
        path = (*where, "category")
        if activity.category == "lesson":
            self.error(path, f"activity {activity.id}: category 'lesson' is not allowed: the "
                       "policy bans collective teaching and unified supplementary lessons in "
                       "the after-school service, and no policy setting can allow it")
        elif activity.category in self.policy.forbidden_categories:
            self.error(path, f"activity {activity.id}: category {activity.category!r} is "
                       "forbidden by the policy (forbidden_categories)")

    def not_a_visit(self, where: Path, activity: Activity) -> None:
        """A weekly activity has a room type, and no keys only a visit reads."""
        if not activity.room_type:
            self.error(where, f"missing required key 'room_type' in activity {activity.id}")
        for key in VISIT_KEYS:  # by value: a patched copy of the file sets every field
            if getattr(activity, key) not in (None, [], 0):
                self.error((*where, key), f"activity {activity.id}: {key} is for off-campus "
                           f"visits only (category: visit), this one is {activity.category}")

    def visit(self, where: Path, activity: Activity) -> None:
        """A visit names a known venue, its time there, and dates a trip can be made on."""
        venue = self.district.venue(activity.venue)
        for key in ("venue", "minutes_at_venue"):
            if getattr(activity, key) is None:
                self.error(where, f"missing required key {key!r} in visit {activity.id}")
        if not activity.dates:
            self.error(where, f"missing required key 'dates' in visit {activity.id}: the "
                       "candidate dates of its trips")
        if activity.venue is not None and venue is None:
            known = {v.id for v in self.district.venues}
            self.error((*where, "venue"), f"visit {activity.id}: unknown venue "
                       f"{activity.venue!r}{_hint(activity.venue, known)} (venues: lists them)")
        if venue is None or activity.minutes_at_venue is None:
            return
        for k, date in enumerate(activity.dates):
            problem = self.trip_date(activity, venue, date)
            if date in activity.dates[:k]:
                problem = "the date is listed twice; list each date once"
            if problem:
                self.error((*where, "dates", k), f"visit {activity.id} on {date}: {problem}")

    def trip_date(self, activity: Activity, venue: Venue, date: dt.date) -> str:
        """Why no trip can be made that date ('' when one can)."""
        term = self.district.term
        day = term.timetable_day(date)
        if day is None:
            return _no_service(term, date)
        grades = [g for g in activity.grades if g in self.school.grades]
        if not grades:
            return ""  # the unknown grades are reported on their own
        leave = min(self.school.dismissal(g, day) for g in grades)
        travel = self.district.travel(self.school.id, venue.id)
        back = leave + self.district.trip_minutes(self.school, activity)
        latest = self.policy.latest_end
        if back > latest:
            return (f"leaving at the earliest dismissal {format_clock(leave)} ({day}), {travel} "
                    f"min each way and {activity.minutes_at_venue} min there, the group is back "
                    f"at {format_clock(back)}, after latest_end {format_clock(latest)}")
        departures = sorted({self.school.dismissal(g, day) for g in grades})
        if not any(venue.open_for(day, t + travel, t + travel + (activity.minutes_at_venue or 0))
                   for t in departures if t + back - leave <= latest):
            hours = (venue.opening_hours or {}).get(day, [])
            shown = ", ".join(format_window(w) for w in hours) or "closed all day"
            return (f"venue {venue.id} is closed then ({day}: {shown}); the group would be "
                    f"there from {format_clock(leave + travel)} for "
                    f"{activity.minutes_at_venue} min")
        return ""

    def activity_grades(self, where: Path, activity: Activity) -> None:
        """The school has the grades; they share one class-hour length; a section fits."""
        known = [g for g in activity.grades if g in self.school.grades]
        for k, grade in enumerate(activity.grades):
            if grade not in self.school.grades:
                self.error((*where, "grades", k), f"activity {activity.id}: grade {grade} is "
                           "not one of the school's grades")
        lengths = {(self.school.hour_minutes(g), self.school.break_of(g)) for g in known}
        if activity.class_hours == 1:
            lengths = {(hour, 0) for hour, _ in lengths}
        if len(lengths) > 1:
            shown = ", ".join(f"grade {g}: {self.school.hour_minutes(g)} min" for g in known)
            self.error((*where, "grades"), f"activity {activity.id}: its grades have different "
                       f"class-hour lengths ({shown}); split it into one activity per length")
        elif known and not activity.is_visit:  # a trip's own times are checked per date
            for grade in known:
                self.fits(where, activity, activity.grades.index(grade))

    def fits(self, where: Path, activity: Activity, k: int) -> None:
        grade = activity.grades[k]
        hours = activity.class_hours  # this grade's lengths: the first grade may be unknown
        school = self.school
        minutes = hours * school.hour_minutes(grade) + (hours - 1) * school.break_of(grade)
        latest = self.policy.latest_end
        for day in self.weekdays:
            if any(s + minutes <= latest for s in self.school.period_starts(grade, day, latest)):
                return
        self.error((*where, "grades", k), f"activity {activity.id} ({minutes} min) cannot fit "
                   f"between grade {grade}'s dismissal and latest_end {format_clock(latest)} "
                   "on any weekday")

    def staffing(self, where: Path, activity: Activity) -> None:
        """Someone has the skill (else an error); someone allowed to lead has it (else warn)."""
        skill = activity.skill
        teachers = [t for t in self.school.teachers if skill in t.skills]
        providers = [p for p in self.district.providers
                     if skill in p.skills and p.serves_school(self.school.id)]
        if not teachers and not providers:
            self.error((*where, "skill"), f"activity {activity.id}: nobody has the skill "
                       f"{skill!r} (no teacher of the school, no provider serving it)")
            return
        end = self.district.term.end
        if not any(self.eligible(t) for t in teachers) and not any(
            p.vetted(end) for p in providers
        ):
            self.warn((*where, "skill"), f"activity {activity.id}: nobody can lead it: the "
                      f"teachers with skill {skill!r} are affiliated or have no hours, and no "
                      "vetted provider serving the school has it")

    # -- students -----------------------------------------------------------------------

    def students(self) -> None:
        late: list[tuple[int, Student, Day, int, int]] = []
        early: list[tuple[int, Student, Day, int, int]] = []
        ends = self.service_ends()
        weekdays = set(self.weekdays)
        for j, student in enumerate(self.school.students):
            where: Path = ("students", j)
            self.long_number(where, student)
            if student.grade not in self.school.grades:
                self.error((*where, "grade"), f"student {student.id}: grade {student.grade} "
                           "is not one of the school's grades")
                continue
            if not weekdays.issuperset(student.days) or len(set(student.days)) < len(student.days):
                self.student_days(where, student)
            if student.choices:
                self.student_choices(where, student)
            if student.assigned:
                self.student_assigned(where, student)
            if student.pickup is not None:
                late += self.late_days(j, student, ends)
                early += self.early_days(j, student)
        self.late_pickups(late)
        self.early_pickups(early)
        self.lonely_labels()

    def long_number(self, where: Path, student: Student) -> None:
        """A long numeric id Excel stored as a number has lost its last digits to zeros."""
        sid = student.id
        if sid.isdigit() and len(sid) > EXCEL_DIGITS and sid.endswith("0"):
            self.warn((*where, "id"), f"student id {sid} has more than {EXCEL_DIGITS} digits and "
                      f"ends in 0: Excel keeps only {EXCEL_DIGITS} digits of a number and "
                      "replaces the rest by zeros; check it against the original")

    def early_days(self, j: int, student: Student) -> list[tuple[int, Student, Day, int, int]]:
        """The student's days whose pick-up is at or before dismissal: no service that day."""
        early = []
        for day in student.days:
            pickup = student.pickup_on(day)
            if day in self.weekdays and pickup is not None:
                dismissal = self.school.dismissal(student.grade, day)
                if pickup <= dismissal:
                    early.append((j, student, day, pickup, dismissal))
        return early

    def early_pickups(self, early: list[tuple[int, Student, Day, int, int]]) -> None:
        """Registered, but collected before the service starts: nothing to supervise."""
        def text(student: Student, day: Day, pickup: int, dismissal: int) -> str:
            return (f"student {student.id} on {day}: pick-up {format_clock(pickup)}, dismissal "
                    f"{format_clock(dismissal)}")

        note = ("; the child is not in the service that day, so nothing is planned for it "
                "(remove the day or correct the time)")
        if len(early) <= MANY:
            for j, student, day, pickup, dismissal in early:
                self.warn(("students", j, "pickup", day), "pick-up at or before dismissal: "
                          + text(student, day, pickup, dismissal) + note)
            return
        j, student, day, pickup, dismissal = early[0]
        self.warn(("students", j, "pickup", day), f"school {self.school.id}: {len(early)} "
                  "student-days have a pick-up at or before dismissal; the first: "
                  + text(student, day, pickup, dismissal) + note)

    def late_days(
        self, j: int, student: Student, ends: dict[tuple[int, Day], int]
    ) -> list[tuple[int, Student, Day, int, int]]:
        """The student's days whose pick-up comes more than a break after the service ends."""
        grace = self.school.break_of(student.grade)
        late = []
        for day in student.days:
            pickup, end = student.pickup_on(day), ends.get((student.grade, day))
            if pickup is not None and end is not None and pickup > end + grace:
                late.append((j, student, day, pickup, end))
        return late

    def student_days(self, where: Path, student: Student) -> None:
        for k, day in enumerate(student.days):
            if day not in self.weekdays:
                self.error((*where, "days", k), f"student {student.id}: {day} is not one of "
                           f"the term's weekdays ({', '.join(self.weekdays)})")
            elif day in student.days[:k]:
                self.error((*where, "days", k), f"student {student.id}: {day} is listed twice")

    def student_choices(self, where: Path, student: Student) -> None:
        chosen: set[str] = set()
        for k, choice in enumerate(student.choices):
            activity = self.school.activity(choice)
            if activity is not None and activity.id in chosen:
                self.error((*where, "choices", k), f"student {student.id} chose "
                           f"{activity.label!r} twice; list each choice once, in order")
            elif activity is None:
                names = {a.id for a in self.school.activities}
                self.error((*where, "choices", k), f"student {student.id} chose unknown "
                           f"activity {choice!r}{_hint(choice, names)}")
            elif student.grade not in activity.grades:
                self.error((*where, "choices", k), f"student {student.id} (grade "
                           f"{student.grade}) chose {choice!r}, which is not offered to grade "
                           f"{student.grade}")
            if activity is not None:
                chosen.add(activity.id)

    def student_assigned(self, where: Path, student: Student) -> None:
        """Assigned activities exist, are open to the student and fit their weekly clubs."""
        seen: set[str] = set()
        for k, key in enumerate(student.assigned):
            activity = self.school.activity(key)
            problem = self.assigned_problem(student, key, activity, seen)
            if problem:
                self.error((*where, "assigned", k), f"student {student.id} is assigned {problem}")
            if activity is not None:
                seen.add(activity.id)
        cap = self.policy.max_clubs_per_student_week
        if len(seen) > cap:
            self.error((*where, "assigned"), f"student {student.id} is assigned {len(seen)} "
                       f"activities, more than max_clubs_per_student_week ({cap})")
        if not student.days:
            self.error((*where, "assigned"), f"student {student.id} is assigned activities but "
                       "registered no days (days)")

    def assigned_problem(self, student: Student, key: str, activity: Activity | None,
                         seen: set[str]) -> str:
        """What is wrong with one assigned activity, in words ('' when nothing)."""
        if activity is None:
            names = {a.id for a in self.school.activities}
            return f"unknown activity {key!r}{_hint(key, names)}"
        if activity.id in seen:
            return f"{activity.label!r} twice"
        if student.grade not in activity.grades:
            return f"{key!r}, which is not offered to grade {student.grade}"
        if activity.fallback:
            return f"{key!r}, the supervised study every child may attend; assign a club"
        if not activity.approved or activity.category in self.policy.forbidden_categories:
            return f"{key!r}, which is never scheduled (not approved or forbidden)"
        return ""

    def lonely_labels(self) -> None:
        """A `together` label only one student has is usually a typo of another label."""
        labels: dict[str, list[int]] = {}
        for j, student in enumerate(self.school.students):
            if student.together:
                labels.setdefault(student.together, []).append(j)
        for label, rows in labels.items():
            if len(rows) == 1:
                student = self.school.students[rows[0]]
                hint = _hint(label, set(labels) - {label})
                self.warn(("students", rows[0], "together"), f"student {student.id}: no other "
                          f"student has the together label {label!r}{hint}")

    def service_ends(self) -> dict[tuple[int, Day], int]:
        """When each grade's service ends each weekday: the end of its last allowed period."""
        ends: dict[tuple[int, Day], int] = {}
        for grade in self.school.grades:
            for day in self.weekdays:
                starts = self.school.period_starts(grade, day, self.policy.latest_end)
                count = min(self.policy.max_class_hours_per_day, len(starts))
                if count:
                    ends[grade, day] = starts[count - 1] + self.school.hour_minutes(grade)
        return ends

    def late_pickups(self, late: list[tuple[int, Student, Day, int, int]]) -> None:
        """Children picked up after the service ends wait unsupervised: say so, briefly."""
        def text(student: Student, day: Day, pickup: int, end: int) -> str:
            return (f"student {student.id} on {day}: pick-up {format_clock(pickup)}, but the "
                    f"service ends {format_clock(end)}")

        if len(late) <= MANY:
            for j, student, day, pickup, end in late:
                self.warn(("students", j, "pickup"), "pick-up later than the service covers: "
                          + text(student, day, pickup, end))
            return
        j, student, day, pickup, end = late[0]
        self.warn(("students", j, "pickup"), f"school {self.school.id}: {len(late)} student-days "
                  "have a pick-up later than the service covers (after its last class hour and "
                  f"a break); the first: {text(student, day, pickup, end)}")

    def fallbacks(self) -> None:
        """Each grade has a fallback (supervised study) for children with no choices."""
        for grade in self.school.grades:
            if any(a.fallback and a.approved and grade in a.grades
                   for a in self.school.activities):
                continue
            waiting = sum(1 for s in self.school.students
                          if s.grade == grade and s.days and not s.choices)
            path = ("grades", f"{grade}@key")  # the grade's key, where a reader looks
            if waiting and self.policy.coverage == "required":
                self.error(path, f"grade {grade} has no fallback activity (fallback: true), so "
                           f"its {waiting} registered student(s) with no choices cannot be "
                           "supervised (coverage: required); add one or use best_effort")
            else:
                self.warn(path, f"grade {grade} has no fallback activity (fallback: true); "
                          "children between or without choices have no supervised study")
