"""Typed names for rule instances and objective terms, shared by solve, verify and explain.

A `RuleKey` names one instance of a hard rule (a teacher's weekly cap, a room type at one
moment, a student group's supervision at one period). The model names its constraints
with them, explanations guard and describe them, and fixes apply them to a district: no
text is parsed back anywhere. `str(key)` is the readable form `family[body]` that
explanation files show.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple


class Rule(StrEnum):
    """Hard rule instances a school can change (and a few the model only names)."""

    BUDGET = "budget"
    TEACHER_WEEK_CAP = "teacher-week-cap"
    TEACHER_DAY_CAP = "teacher-day-cap"
    TEACHER_BUSY = "teacher-busy"
    TEACHER_OVERLAP = "teacher-overlap"
    # Rules about the person, named only when explaining (build_instance(relax_staff=True)).
    TEACHER_SKILL = "teacher-skill"
    TEACHER_AFFILIATED = "teacher-affiliated"
    PROVIDER_VETTED = "provider-vetted"
    PROVIDER_SERVES = "provider-serves"
    ROOMS = "rooms"
    # Rooms of a type that hold the same sections (where sizes differ): a section keeps one.
    ROOM_CLASS = "room-class"
    PROVIDER_INSTRUCTORS = "provider-instructors"
    PROVIDER_WINDOW = "provider-window"
    COVERAGE = "coverage"
    CLUBS_PER_WEEK = "clubs-per-week"
    ASSIGNED = "assigned"  # a student's assignment to an activity (SPEC §8.5)
    MIN_SIZE = "min-size"
    MAX_SIZE = "max-size"
    MAX_SECTIONS_WEEK = "max-sections-week"
    # Coarse keys: many fine keys of one kind, so a large school's core is found quickly.
    TEACHER_WEEK_CAPS = "teacher-week-caps"
    TEACHER_DAY_CAPS = "teacher-day-caps"
    TEACHER_BUSY_ALL = "teacher-busy-all"
    TEACHER_SKILLS_ALL = "teacher-skills-all"
    ROOMS_ALL = "rooms-all"
    PROVIDER_INSTRUCTORS_ALL = "provider-instructors-all"
    COVERAGE_GRADE = "coverage-grade"
    CLUBS_PER_WEEK_ALL = "clubs-per-week-all"


class TermName(StrEnum):
    """The objective's named terms (docs/rules.md), as solve, verify and the tests use them."""

    CHOICE_RANK = "choice_rank"
    UNMATCHED_STUDENT = "unmatched_student"
    UNCOVERED_STUDENT_DAY = "uncovered_student_day"
    TEACHER_LOAD_SPREAD = "teacher_load_spread"
    PROVIDER_RATING = "provider_rating"
    COST = "cost"
    FALLBACK_MIXING = "fallback_mixing"
    FALLBACK_GROUP = "fallback_group"
    CHANGE_SECTION = "change_section"
    CHANGE_STUDENT = "change_student"
    TOGETHER = "together"


class RuleKey(NamedTuple):
    """One rule instance; the fields a rule does not use stay at their defaults.

    A named tuple, not a dataclass: a large school's model makes tens of thousands.
    """

    rule: Rule
    school: str = ""
    who: str = ""  # a teacher's or a provider's id
    activity: str = ""
    group: int = -1  # a group of identical students (its index in the school)
    grade: int = -1
    day: str = ""
    minute: int = -1  # a moment of the day (minutes), or a section's start
    room_type: str = ""
    need: int = 0  # seats a room must have

    def __str__(self) -> str:
        return f"{self.rule.value}[{_BODY[self.rule](self)}]"

    def without(self, *fields: str) -> RuleKey:
        """The same key with some fields cleared (a fine key from a rule instance)."""
        return self._replace(**{f: RuleKey._field_defaults[f] for f in fields})

    def at(self) -> str:
        return f"{self.day}-{self.minute}"


def _when(key: RuleKey) -> str:
    return f"@{key.at()}" if key.minute >= 0 else ""


def _day(key: RuleKey) -> str:
    return f"/{key.day}" if key.day else ""


def _minute(key: RuleKey) -> str:
    return f"-{key.minute}" if key.minute >= 0 else ""


def _slot(key: RuleKey) -> str:
    return f"/{key.at()}" if key.minute >= 0 else ""


_BODY: dict[Rule, Callable[[RuleKey], str]] = {
    Rule.BUDGET: lambda k: k.school,
    Rule.TEACHER_WEEK_CAP: lambda k: f"{k.school}/{k.who}",
    Rule.TEACHER_DAY_CAP: lambda k: f"{k.school}/{k.who}/{k.day}",
    Rule.TEACHER_BUSY: lambda k: f"{k.school}/{k.who}/{k.day}",
    Rule.TEACHER_OVERLAP: lambda k: f"{k.school}/{k.who}{_when(k)}",
    Rule.TEACHER_SKILL: lambda k: f"{k.school}/{k.who}/{k.activity}",
    Rule.TEACHER_AFFILIATED: lambda k: f"{k.school}/{k.who}",
    Rule.PROVIDER_VETTED: lambda k: k.who,
    Rule.PROVIDER_SERVES: lambda k: f"{k.who}/{k.school}",
    Rule.ROOMS: lambda k: f"{k.school}/{k.room_type}>={k.need}{_when(k)}",
    Rule.ROOM_CLASS: lambda k: f"{k.school}/{k.room_type}:{k.who}{_when(k)}",
    Rule.PROVIDER_INSTRUCTORS: lambda k: f"{k.who}{_when(k)}",
    Rule.PROVIDER_WINDOW: lambda k: f"{k.who}/{k.day}",
    Rule.COVERAGE: lambda k: f"{k.school}/g{k.group}{_day(k)}{_minute(k)}",
    Rule.CLUBS_PER_WEEK: lambda k: f"{k.school}/g{k.group}",
    Rule.ASSIGNED: lambda k: f"{k.school}/g{k.group}/{k.activity}",
    Rule.MIN_SIZE: lambda k: f"{k.school}/{k.activity}{_slot(k)}",
    Rule.MAX_SIZE: lambda k: f"{k.school}/{k.activity}{_slot(k)}",
    Rule.MAX_SECTIONS_WEEK: lambda k: f"{k.school}/{k.activity}",
    Rule.TEACHER_WEEK_CAPS: lambda k: k.school,
    Rule.TEACHER_DAY_CAPS: lambda k: k.school,
    Rule.TEACHER_BUSY_ALL: lambda k: f"{k.school}/{k.day}",
    Rule.TEACHER_SKILLS_ALL: lambda k: k.school,
    Rule.ROOMS_ALL: lambda k: f"{k.school}/{k.room_type}",
    Rule.PROVIDER_INSTRUCTORS_ALL: lambda k: k.who,
    Rule.COVERAGE_GRADE: lambda k: f"{k.school}/{k.grade}/{k.day}",
    Rule.CLUBS_PER_WEEK_ALL: lambda k: k.school,
}
