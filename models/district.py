"""The input: a district of schools sharing providers (a single school is a district of one).

These models know no solver. Field validators check each value; `models.checks` checks
cross-references; `models.loader` reads YAML and CSV with positions for error messages.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
)

from .common import DAYS, Clock, Day, Id, Name, Strict, Window, check_name, parse_clock

Category = Literal[
    "club", "sports", "arts", "science", "reading", "homework", "qa", "visit", "labor",
    "other", "lesson",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

_LIST_SEP = re.compile(r"[;,、，；]")


def split_list(value: object) -> object:
    """Accept `a;b;c` (also `,` `、` and full-width separators) where a list is expected."""
    if isinstance(value, str):
        return [part.strip() for part in _LIST_SEP.split(value) if part.strip()]
    return value


# Ranges a school can mean (docs/input.md): beyond them a value is a typo, and the solver's
# integer arithmetic would overflow on it. Money is in yuan; inf and nan are never allowed.
Yuan = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]  # a price per hour or meeting
YearRate = Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]  # 1e6: no limit
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
WeekHours = Annotated[int, Field(ge=0, le=40)]
DayHours = Annotated[int, Field(ge=0, le=10)]
WeekSessions = Annotated[int, Field(ge=0, le=40)]
Weight = Annotated[int, Field(ge=0, le=100_000)]
GradeNumber = Annotated[int, Field(ge=0, le=999)]  # FET imports number groups as grades
Size = Annotated[int, Field(ge=1, le=1_000)]  # children in one section
TravelMinutes = Annotated[int, Field(ge=0, le=600)]
LotterySeed = Annotated[int, Field(ge=0, le=2**31 - 1)]
MAX_TERM_DAYS = 366
STUDENTS_PER_STAFF = 15  # a visit's default: one adult per 15 children
TERM_YEARS = (2000, 2100)

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DATE_LIKE = re.compile(
    r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?"  # 2027/3/1, 2027-03-01 00:00
    r"|\d{1,2}/\d{1,2}/\d{2,4}"  # 3/1/2027
    rf"|\d{{1,2}}-({_MONTHS})|({_MONTHS})-\d{{1,2}}"  # 1-Mar, Mar-01
    r"|\d{1,2}月\d{1,2}日)$",  # 3月1日
    re.IGNORECASE,
)


def _class_name(value: str | None) -> str | None:
    """Excel turns a class typed as 3-1 into a date; the class is then silently another."""
    if value is not None:
        check_name(value)
    if value is not None and _DATE_LIKE.match(value.strip()):
        raise ValueError(f"the class {value!r} looks like a date: Excel turns a class like 3-1 "
                         "into a date; format the column as Text and enter the classes again")
    return value


ClassName = Annotated[str | None, AfterValidator(_class_name)]

TextList = Annotated[list[str], BeforeValidator(split_list)]
DayList = Annotated[list[Day], BeforeValidator(split_list)]


def _lower_day(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


class Term(Strict):
    name: Name
    start: dt.date
    end: dt.date
    service_start: dt.date | None = None  # default: start
    weekdays: DayList = Field(default_factory=lambda: list(DAYS[:5]))
    holidays: list[dt.date] = Field(default_factory=list)
    makeup_days: dict[dt.date, Day] = Field(default_factory=dict)
    timezone: str = "Asia/Shanghai"

    @field_validator("start", "end")
    @classmethod
    def _sensible_year(cls, value: dt.date) -> dt.date:
        low, high = TERM_YEARS
        if not low <= value.year <= high:
            raise ValueError(f"{value}: a term's year is between {low} and {high}")
        return value

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"the term ends ({end}) before it starts ({start})")
        if start is not None and (end - start).days >= MAX_TERM_DAYS:
            raise ValueError(f"a term lasts at most {MAX_TERM_DAYS} days; {start} to {end} is "
                             f"{(end - start).days + 1}")
        return end

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """A name from the time-zone database, as calendars need (e.g. Asia/Shanghai)."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder of zones
            raise ValueError(f"{value!r} is not a known time zone; use a name like "
                             "'Asia/Shanghai' or 'Asia/Urumqi'") from None
        return value

    @field_validator("service_start")
    @classmethod
    def _service_in_term(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start, end = info.data.get("start"), info.data.get("end")
        if value is not None and start and end and not start <= value <= end:
            raise ValueError(f"{value} is not between the term's start {start} and end {end}")
        return value

    @property
    def first_service_day(self) -> dt.date:
        return self.service_start or self.start

    def meeting_dates(self, day: Day) -> list[dt.date]:
        """Dates on which `day`'s timetable runs: that weekday less holidays, plus make-up days."""
        dates = []
        current = self.first_service_day
        holidays = set(self.holidays)
        while current <= self.end:
            if DAYS[current.weekday()] == day and current not in holidays:
                dates.append(current)
            current += dt.timedelta(days=1)
        for extra, as_day in self.makeup_days.items():
            if as_day == day and self.first_service_day <= extra <= self.end:
                dates.append(extra)
        return sorted(set(dates))

    def meetings(self, day: Day) -> int:
        return len(self.meeting_dates(day))

    def timetable_day(self, date: dt.date) -> Day | None:
        """The weekday whose timetable runs on a date (a make-up day's, else its own), or
        None when no service runs then (outside the service, a holiday, not a weekday)."""
        if not self.first_service_day <= date <= self.end or date in self.holidays:
            return None
        day = self.makeup_days.get(date, DAYS[date.weekday()])
        return day if day in self.weekdays else None


Fairness = Literal["weighted", "leximin"]
Priority = Annotated[int, Field(ge=0, le=100)]  # higher goes first when seats are scarce


class Weights(Strict):
    choice_rank: list[Weight] = Field(default_factory=lambda: [10, 6, 3, 1], max_length=20)
    unmatched_student: Weight = 50
    uncovered_student_day: Weight = 1000
    teacher_load_spread: Weight = 1
    provider_rating: Weight = 1
    cost_per_1000_yuan: Weight = 0
    fallback_mixing: Weight = 1  # per extra class in a fallback group
    fallback_group: Weight = 2  # per supervised-study group opened
    change_section: Weight = 200  # re-solve with a base: per section moved, restaffed or closed
    change_student: Weight = 100  # re-solve with a base: per student moved out of a session
    together: Weight = 5  # per pair of students with one `together` label split in an activity


class Policy(Strict):
    latest_end: Clock = parse_clock("18:00")
    budget_per_student_year: YearRate = 1000
    term_share: Share = 0.5
    teacher_max_class_hours_week: WeekHours = 4
    teacher_max_class_hours_day: DayHours = 2
    max_class_hours_per_day: int = Field(2, ge=1, le=4)
    max_clubs_per_student_week: WeekSessions = 2
    # The published tie-break and waiting-list order (models/allocation.py, SPEC §8.5).
    lottery_seed: LotterySeed = 0
    forbidden_categories: list[Category] = Field(default_factory=list)
    coverage: Literal["required", "best_effort"] = "required"
    weights: Weights = Field(default_factory=lambda: Weights())
    default_travel_minutes: int = Field(30, ge=0, le=600)  # a pair `travel_minutes` omits
    fairness: Fairness = "weighted"  # how `priority` shares scarce seats (docs/allocation.md)

    def choice_factor(self, priority: int) -> int:
        """How much a student's choice terms count: 1 + priority under `weighted` fairness,
        1 under `leximin` (there priority weighs the lexicographic phases instead)."""
        return 1 + priority if self.fairness == "weighted" else 1


class PolicyOverride(Strict):
    """A school's overrides of the district policy; keys left out keep the district's value."""

    latest_end: Clock | None = None
    budget_per_student_year: YearRate | None = None
    term_share: Share | None = None
    teacher_max_class_hours_week: WeekHours | None = None
    teacher_max_class_hours_day: DayHours | None = None
    max_class_hours_per_day: int | None = Field(None, ge=1, le=4)
    max_clubs_per_student_week: WeekSessions | None = None
    lottery_seed: LotterySeed | None = None
    forbidden_categories: list[Category] | None = None
    coverage: Literal["required", "best_effort"] | None = None
    weights: dict[str, Any] | None = None
    fairness: Fairness | None = None

    @field_validator("weights")
    @classmethod
    def _known_weights(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        """Each override names a district weight and has a valid value."""
        if value is not None:
            try:
                Weights.model_validate(value)
            except ValidationError as exc:
                first = exc.errors()[0]
                key = ".".join(str(x) for x in first["loc"])
                raise ValueError(f"{key}: {first['msg']}") from None
        return value


def _by_day(value: object) -> object:
    """A single time means every day; a mapping gives `default` and per-weekday times."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return {"default": value}
    return value


def _pickup(value: object) -> object:
    """CSV form `mon=17:30;thu=18:00`, a single `17:30`, or a YAML mapping."""
    if isinstance(value, str) and "=" in value:
        pairs = [part.split("=", 1) for part in _LIST_SEP.split(value) if part.strip()]
        return {k.strip().lower(): v.strip() for k, v in pairs}
    if value == "":
        return None
    return _by_day(value)


class DayTimes(Strict):
    default: Clock | None = None
    mon: Clock | None = None
    tue: Clock | None = None
    wed: Clock | None = None
    thu: Clock | None = None
    fri: Clock | None = None
    sat: Clock | None = None
    sun: Clock | None = None

    def on(self, day: Day) -> int | None:
        value = getattr(self, day)
        return self.default if value is None else value


class Dismissal(DayTimes):
    default: Clock


class Grade(Strict):
    dismissal: Annotated[Dismissal, BeforeValidator(_by_day)]
    class_hour_minutes: int | None = Field(None, ge=10, le=120)
    break_minutes: int | None = Field(None, ge=0, le=60)


class Room(Strict):
    id: Id
    name: Name = ""  # what the school calls it (三楼美术室); views show it where given
    type: Name
    capacity: int = Field(ge=1, le=5_000)
    class_: ClassName = Field(None, alias="class")  # home room of this class

    @model_serializer(mode="wrap")
    def _name_if_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # The instance hash is over the dump: a room without a name hashes as it did
        # before rooms had names, so solutions made then still match their input.
        dumped: dict[str, Any] = handler(self)
        if not self.name:
            dumped.pop("name", None)
        return dumped

    @property
    def label(self) -> str:
        return self.name or self.id


def _busy(value: object) -> object:
    """CSV form `mon=08:00-16:20|14:00-15:00;tue=...` or a YAML mapping of day to windows."""
    if isinstance(value, str):
        if not value.strip():
            return {}
        result: dict[str, list[str]] = {}
        for part in value.split(";"):
            if not part.strip():
                continue
            day, _, windows = part.partition("=")
            result[day.strip().lower()] = [w.strip() for w in windows.split("|") if w.strip()]
        return result
    return value


BusyTimes = Annotated[dict[Day, list[Window]], BeforeValidator(_busy)]


class Teacher(Strict):
    id: Id
    name: Name = ""
    skills: TextList = Field(default_factory=list)
    max_class_hours_week: WeekHours | None = None
    max_class_hours_day: DayHours | None = None
    busy: BusyTimes = Field(default_factory=dict)
    affiliations: TextList = Field(default_factory=list)  # provider ids
    pay_per_class_hour: Yuan = 0  # extra pay from the service budget

    def week_cap(self, policy: Policy) -> int:
        """Class hours a week the teacher offers: their own cap, else the policy's."""
        own = self.max_class_hours_week
        return policy.teacher_max_class_hours_week if own is None else own

    def day_cap(self, policy: Policy) -> int:
        own = self.max_class_hours_day
        return policy.teacher_max_class_hours_day if own is None else own


class Venue(Strict):
    """A place visits go to (a museum, a science centre), with travel in `travel_minutes`."""

    id: Id
    name: Name = ""
    capacity: int = Field(ge=1, le=100_000)  # children at once, across all schools
    opening_hours: BusyTimes | None = None  # None: open whenever a trip comes

    def open_for(self, day: Day, start: int, end: int) -> bool:
        """The whole stay from `start` to `end` lies inside one opening window that weekday."""
        if self.opening_hours is None:
            return True
        return any(w[0] <= start and end <= w[1] for w in self.opening_hours.get(day, []))

    @property
    def label(self) -> str:
        return self.name or self.id


class Instructor(Strict):
    """A provider's named instructor: leads one section at a time, anywhere in the district."""

    id: Id
    name: Name = ""
    background_check_until: dt.date | None = None  # None: the provider's check counts


def _instructors_kind(value: Any) -> str:
    return "named" if isinstance(value, list) else "count"


# A number or a list of people: only the matching form is checked, so a bad value gets one
# clear message rather than one per form.
Instructors = Annotated[
    Annotated[int, Field(ge=1, le=1_000), Tag("count")]
    | Annotated[list[Instructor], Field(min_length=1), Tag("named")],
    Discriminator(_instructors_kind),
]


class Provider(Strict):
    id: Id
    name: Name = ""
    kind: Literal["institution", "individual", "retired_teacher", "parent_volunteer", "college"] = (
        "institution"
    )
    qualification: Literal["approved", "pending", "rejected"] = "pending"
    background_check_until: dt.date | None = None
    # Sections it can run at once across all schools: a number of interchangeable people,
    # or the people themselves (each with their own background check; SPEC §8.1).
    instructors: Instructors = 1
    max_class_hours_week: int | None = Field(None, ge=0, le=10_000)  # across all schools
    price_per_class_hour: Yuan
    rating: float = Field(3, ge=0, le=5, allow_inf_nan=False)
    skills: TextList = Field(default_factory=list)
    serves: TextList | None = None  # None: every school
    available: BusyTimes | None = None  # None: always

    @field_validator("instructors")
    @classmethod
    def _people_once(cls, value: int | list[Instructor]) -> int | list[Instructor]:
        if isinstance(value, list):
            ids = [i.id for i in value]
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"instructor id {twice[0]!r} appears twice")
        return value

    @property
    def named(self) -> list[Instructor]:
        """The named instructors (none when `instructors` is a number)."""
        return self.instructors if isinstance(self.instructors, list) else []

    @property
    def instructor_count(self) -> int:
        return len(self.instructors) if isinstance(self.instructors, list) else self.instructors

    def cleared(self, term_end: dt.date) -> list[Instructor]:
        """Named instructors whose background check (their own, else the provider's) holds
        through the term's end: the only ones ever staffed."""
        return [i for i in self.named if _valid(i.background_check_until
                                                or self.background_check_until, term_end)]

    def vetted(self, term_end: dt.date) -> bool:
        """Approved, with a background check valid through the term's end (for named
        instructors: at least one of them cleared)."""
        if self.qualification != "approved":
            return False
        if self.named:
            return bool(self.cleared(term_end))
        return _valid(self.background_check_until, term_end)

    def serves_school(self, school_id: str) -> bool:
        return self.serves is None or school_id in self.serves


def _valid(until: dt.date | None, term_end: dt.date) -> bool:
    return until is not None and until >= term_end


class Activity(Strict):
    id: Id
    name: Name = ""
    category: Category
    grades: list[GradeNumber] = Field(min_length=1)
    class_hours: int = Field(1, ge=1, le=2)
    min_size: Size = 1
    max_size: Size
    room_type: Name = ""  # required for every category but `visit` (models.checks)
    skill: Name
    max_sections_week: int | None = Field(None, ge=0, le=10_000)
    consumables_per_section: Yuan = 0  # per meeting
    approved: bool = True
    fallback: bool = False
    # An off-campus visit (category `visit`, SPEC §8.4): trips on dates, not weekly.
    venue: Id | None = None
    dates: list[dt.date] = Field(default_factory=list)
    minutes_at_venue: int | None = Field(None, ge=1, le=600)
    students_per_staff: int | None = Field(None, ge=1, le=1_000)
    transport_per_trip: Yuan = 0

    @field_validator("max_size")
    @classmethod
    def _max_not_below_min(cls, value: int, info: ValidationInfo) -> int:
        """A group cannot need more children to open than it may hold."""
        smallest = info.data.get("min_size")
        if smallest is not None and value < smallest:
            raise ValueError(f"max_size {value} is smaller than min_size {smallest}")
        return value

    def meeting_cost(self, rate: float) -> float:
        """Yuan one section costs each time it meets: staff rate × class hours + consumables."""
        return rate * self.class_hours + self.consumables_per_section

    @property
    def is_visit(self) -> bool:
        return self.category == "visit"

    def trip_cost(self, rates: list[float], hours: int) -> float:
        """Yuan one trip costs: its transport, and each adult's rate × the trip's class hours."""
        return self.transport_per_trip + sum(rates) * hours

    @property
    def per_staff(self) -> int:
        """Children one adult takes on a trip (`students_per_staff`, default 15)."""
        return self.students_per_staff or STUDENTS_PER_STAFF

    def staff_needed(self, students: int) -> int:
        """Adults a trip of `students` children needs: one per `students_per_staff`."""
        return max(1, -(-students // self.per_staff))

    @property
    def label(self) -> str:
        return self.name or self.id


def _label(value: str | None) -> str | None:
    """A `together` label: any short text; an empty cell means none."""
    if value is not None:
        check_name(value)
        value = value.strip() or None
    return value


class Student(Strict):
    id: Id
    name: Name = ""  # optional: ids may be pseudonymous
    grade: GradeNumber
    class_: ClassName = Field(None, alias="class")
    days: DayList = Field(default_factory=list)
    pickup: Annotated[DayTimes | None, BeforeValidator(_pickup)] = None  # None: end of service
    choices: TextList = Field(default_factory=list)  # ranked, by activity id or name
    # Allocation options (SPEC §8.5, docs/allocation.md).
    together: Annotated[str | None, AfterValidator(_label)] = None  # siblings, friends
    priority: Priority = 0
    assigned: TextList = Field(default_factory=list)  # activities the student must get
    assigned_reason: Name = ""  # why (a school team), shown beside the assignment

    @field_validator("days", mode="before")
    @classmethod
    def _days_lower(cls, value: object) -> object:
        value = split_list(value)
        return [_lower_day(v) for v in value] if isinstance(value, list) else value

    def pickup_on(self, day: Day) -> int | None:
        return None if self.pickup is None else self.pickup.on(day)


class School(Strict):
    id: Id
    name: Name = ""
    enrolled: int = Field(ge=1, le=100_000)
    class_hour_minutes: int = Field(40, ge=10, le=120)
    break_minutes: int = Field(10, ge=0, le=60)
    grades: dict[GradeNumber, Grade] = Field(min_length=1)
    rooms: list[Room] = Field(default_factory=list)
    teachers: list[Teacher] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    students: list[Student] = Field(default_factory=list)
    policy: PolicyOverride = Field(default_factory=lambda: PolicyOverride())

    def hour_minutes(self, grade: int) -> int:
        return self.grades[grade].class_hour_minutes or self.class_hour_minutes

    def break_of(self, grade: int) -> int:
        value = self.grades[grade].break_minutes
        return self.break_minutes if value is None else value

    def dismissal(self, grade: int, day: Day) -> int:
        value = self.grades[grade].dismissal.on(day)
        assert value is not None  # Dismissal.default is required
        return value

    def period_starts(self, grade: int, day: Day, latest_end: int) -> list[int]:
        """Starts of the grade's service periods that day: class hour, break, class hour, ..."""
        step = self.hour_minutes(grade) + self.break_of(grade)
        start = self.dismissal(grade, day)
        starts = []
        while start + self.hour_minutes(grade) <= latest_end:
            starts.append(start)
            start += step
        return starts

    def duration(self, activity: Activity) -> int:
        """Minutes a section lasts: class hours and the breaks between them."""
        grade = activity.grades[0]
        hours = activity.class_hours
        return hours * self.hour_minutes(grade) + (hours - 1) * self.break_of(grade)

    def trip_hours(self, activity: Activity, minutes: int) -> int:
        """Class hours a trip of `minutes` away counts for staff pay (started hours count)."""
        hour = self.hour_minutes(activity.grades[0]) if activity.grades[0] in self.grades \
            else self.class_hour_minutes
        return -(-minutes // hour)

    def activity(self, key: str) -> Activity | None:
        """An activity by id, or else by name (students may choose either)."""
        return self._activities_by_key.get(key)

    @cached_property
    def _activities_by_key(self) -> dict[str, Activity]:
        table = {a.name: a for a in self.activities if a.name}
        table.update({a.id: a for a in self.activities})
        return table


class PreviousTerm(Strict):
    """What `previous: FILE.json` brings from an earlier term's solution (SPEC §8.5).

    The loader reads the file into this; `unmatched` lists per school the students who got
    none of their choices then, who now go first (`District.priority`).
    """

    file: str
    schools: list[str] = Field(default_factory=list)  # the schools the earlier timetable has
    unmatched: dict[str, list[str]] = Field(default_factory=dict)


PREVIOUS_BOOST = 1  # priority added for a student who got none of their choices last term


class District(Strict):
    version: Literal[1] = 1
    language: Literal["zh", "en"] = "zh"
    term: Term
    policy: Policy = Field(default_factory=lambda: Policy())
    providers: list[Provider] = Field(default_factory=list)
    schools: list[School] = Field(min_length=1)
    venues: list[Venue] = Field(default_factory=list)  # where visits go (SPEC §8.4)
    # Minutes between two places (schools, venues), symmetric: either direction may be given.
    travel_minutes: dict[str, dict[str, TravelMinutes]] = Field(default_factory=dict)
    previous: PreviousTerm | None = None  # an earlier term's solution (`previous: FILE.json`)
    _source: str = PrivateAttr(default="")
    # (the PreviousTerm read, its unmatched students as sets): a copy with another
    # `previous` recomputes them.
    _left_out: tuple[object, dict[str, frozenset[str]]] | None = PrivateAttr(default=None)

    def priority(self, school_id: str, student: Student) -> int:
        """The student's priority, raised if they got none of their choices last term."""
        if self.previous is None:
            return student.priority
        if self._left_out is None or self._left_out[0] is not self.previous:
            sets = {k: frozenset(v) for k, v in self.previous.unmatched.items()}
            self._left_out = (self.previous, sets)
        left_out = student.id in self._left_out[1].get(school_id, frozenset())
        return student.priority + (PREVIOUS_BOOST if left_out else 0)

    def travel(self, a: str, b: str) -> int:
        """Minutes from a to b (the pair in either order), else the policy's default."""
        if a == b:
            return 0
        given = self.travel_minutes.get(a, {}).get(b)
        if given is None:
            given = self.travel_minutes.get(b, {}).get(a)
        return self.policy.default_travel_minutes if given is None else given

    def venue(self, venue_id: str | None) -> Venue | None:
        return next((v for v in self.venues if v.id == venue_id), None)

    def trip_minutes(self, school: School, activity: Activity) -> int:
        """Minutes a trip is away: there, `minutes_at_venue`, and back."""
        return 2 * self.travel(school.id, activity.venue or "") + (activity.minutes_at_venue or 0)

    def policy_for(self, school: School) -> Policy:
        """The district policy with the school's overrides applied."""
        return _merged_policy(self.policy, school.policy)

    def school(self, school_id: str) -> School:
        for school in self.schools:
            if school.id == school_id:
                return school
        raise KeyError(school_id)

    def budget(self, school: School) -> float:
        """Term budget: yearly rate × students enrolled × the term's share."""
        policy = self.policy_for(school)
        return policy.budget_per_student_year * school.enrolled * policy.term_share


def _merged_policy(base: Policy, override: PolicyOverride) -> Policy:
    data = base.model_dump()
    changes = override.model_dump(exclude_none=True)
    weights = changes.pop("weights", None)
    data.update(changes)
    if weights:
        data["weights"] = {**data["weights"], **weights}
    return Policy.model_validate(data)
