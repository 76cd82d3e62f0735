"""The solution contract (`solution.json`, SPEC §5) every view is made from."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from .common import Clock, Day

FORMAT: Literal["afterschool-solution/1"] = "afterschool-solution/1"
Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID"]
# NaN passes every comparison `verify` makes (nan > x is False), so a score of NaN or inf
# would be "verified"; Python's json reads both, so the model refuses them.
_FINITE = ConfigDict(extra="forbid", allow_inf_nan=False)


class StaffRef(BaseModel):
    """Who leads a section: `{"teacher": id}`, `{"provider": id}` or, for a provider's named
    instructor, `{"provider": id, "instructor": id}`; only the keys that apply."""

    model_config = _FINITE
    teacher: str | None = None
    provider: str | None = None
    instructor: str | None = None

    @model_validator(mode="after")
    def _one(self) -> StaffRef:
        if (self.teacher is None) == (self.provider is None):
            raise ValueError("a staff entry names exactly one teacher or one provider")
        if self.instructor is not None and self.provider is None:
            raise ValueError("an instructor is named only with their provider")
        return self

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}


class Cover(BaseModel):
    """On a trip's date, a weekly section of a teacher away on the trip is led by another."""

    model_config = _FINITE
    section: str  # the weekly section's id
    teacher: str


class SectionOut(BaseModel):
    """A weekly section; or, with `date`, one trip of a visit (SPEC §8.4): `day` is the
    weekday whose timetable runs that date, `start` the departure, `end` the return, `room`
    the venue, and `covers` who leads the weekly sections of the teachers away on it."""

    model_config = _FINITE
    id: str
    school: str
    activity: str
    day: Day
    start: Clock
    end: Clock
    room: str
    staff: list[StaffRef]
    students: list[str] = Field(default_factory=list)
    date: dt.date | None = None
    covers: list[Cover] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _weekly_as_before(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A weekly section is written exactly as before visits existed."""
        data: dict[str, Any] = handler(self)
        if self.date is None:
            data.pop("date", None)
            data.pop("covers", None)
        return data


def section_id(school: str, activity: str, day: str, start: int, room: str) -> str:
    """Stable id: unchanged sections keep their id between solves."""
    return f"{school}/{activity}/{day}-{start // 60:02d}{start % 60:02d}/{room}"


def trip_id(school: str, activity: str, date: dt.date, start: int, venue: str) -> str:
    """A trip's id: the date in place of the weekday (one trip of a visit a date)."""
    return f"{school}/{activity}/{date.isoformat()}-{start // 60:02d}{start % 60:02d}/{venue}"


class Unserved(BaseModel):
    model_config = _FINITE
    school: str
    student: str
    day: Day
    reason: str


class Unmatched(BaseModel):
    """A student with choices who got none of them: next term's `previous:` serves them first."""

    model_config = _FINITE
    school: str
    student: str


class SchoolLottery(BaseModel):
    """A school's lottery: its seed and every student's number (models/allocation.py)."""

    model_config = _FINITE
    school: str
    seed: int
    numbers: dict[str, int] = Field(default_factory=dict)


class Waitlist(BaseModel):
    """Students who ranked an activity and did not get it, in promotion order."""

    model_config = _FINITE
    school: str
    activity: str
    students: list[str] = Field(default_factory=list)


class Withdrawal(BaseModel):
    """A student who left an activity (`afterschool promote --withdraw`): they wait for it
    no more."""

    model_config = _FINITE
    school: str
    student: str
    activity: str


class Split(BaseModel):
    """An activity two `together` students both attend, in different sections."""

    model_config = _FINITE
    activity: str
    sections: list[str]  # the first student's section, then the second's
    why: Literal["other-time", "same-time"]  # another weekday or start; one time, two groups


class TogetherPair(BaseModel):
    """Two students of one `together` label: the activities they share, kept or split."""

    model_config = _FINITE
    school: str
    label: str
    students: list[str]
    kept: list[str] = Field(default_factory=list)  # activities they attend in one section
    split: list[Split] = Field(default_factory=list)
    # Neither kept nor split (they share no activity): what each got, for the reason.
    apart: list[list[str]] = Field(default_factory=list)


class Kpis(BaseModel):
    """What a school reads first (docs/rules.md "KPIs"); choice shares count students with
    choices only, and a share with nothing to count is 0."""

    model_config = _FINITE
    students: int = 0
    students_with_choices: int = 0
    student_days: int = 0
    covered_share: float = 0.0
    first_choice_share: float = 0.0
    any_choice_share: float = 0.0
    no_choice_share: float = 0.0
    # Allocation KPIs (docs/rules.md "KPIs"): rank_shares[k] is the share of students with
    # choices whose best activity is their (k+1)-th choice; envy counts students who did
    # not get an activity someone who ranked it lower got.
    rank_shares: list[float] = Field(default_factory=list)
    top2_share: float = 0.0
    students_with_none: int = 0
    envy: int = 0
    teacher_hours_max: int = 0
    cost: float = 0.0
    budget: float = 0.0
    sections: int = 0
    # An upper bound on any_choice_share (docs/solver.md "A bound in students"); None when
    # not computed (and in files written before it existed).
    any_choice_share_bound: float | None = None

    @model_serializer(mode="wrap")
    def _bound_when_known(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Without a bound, the KPIs read exactly as before the field existed."""
        data: dict[str, Any] = handler(self)
        if data.get("any_choice_share_bound", 0) is None:
            del data["any_choice_share_bound"]
        return data

    def rows(self) -> list[tuple[str, float | int]]:
        """(name, value) in the order a school reads them, the rank profile as one row per
        rank (`rank_1_share`, ...); the bound is said in words at the end of a solve
        (`scheduler.solver.bound.bound_sentence`), not as a row."""
        rows: list[tuple[str, float | int]] = []
        for name, value in self.model_dump(exclude={"any_choice_share_bound"}).items():
            if name == "rank_shares":
                rows += [(f"rank_{k + 1}_share", v) for k, v in enumerate(value)]
            else:
                rows.append((name, value))
        return rows

    @classmethod
    def combined(cls, parts: list[Kpis]) -> Kpis:
        """The KPIs of schools solved apart, as one district's (shares weighted by counts)."""
        days = sum(k.student_days for k in parts)
        chose = sum(k.students_with_choices for k in parts)

        def share(field: str, weight: str, whole: int) -> float:
            part = sum(round(getattr(k, field) * getattr(k, weight)) for k in parts)
            return part / whole if whole else 0.0

        return cls(
            students=sum(k.students for k in parts), students_with_choices=chose,
            student_days=days, covered_share=share("covered_share", "student_days", days),
            first_choice_share=share("first_choice_share", "students_with_choices", chose),
            any_choice_share=share("any_choice_share", "students_with_choices", chose),
            no_choice_share=share("no_choice_share", "students_with_choices", chose),
            rank_shares=_combined_ranks(parts, chose),
            top2_share=share("top2_share", "students_with_choices", chose),
            students_with_none=sum(k.students_with_none for k in parts),
            envy=sum(k.envy for k in parts),
            teacher_hours_max=max((k.teacher_hours_max for k in parts), default=0),
            cost=round(sum(k.cost for k in parts), 2),
            budget=round(sum(k.budget for k in parts), 2),
            sections=sum(k.sections for k in parts),
            any_choice_share_bound=_combined_bound(parts, chose),
        )


def _combined_ranks(parts: list[Kpis], chose: int) -> list[float]:
    """Each rank's share, weighted by students with choices (shorter profiles end in 0)."""
    longest = max((len(k.rank_shares) for k in parts), default=0)
    counts = [0] * longest
    for k in parts:
        for rank, value in enumerate(k.rank_shares):
            counts[rank] += round(value * k.students_with_choices)
    return [c / chose if chose else 0.0 for c in counts]


def _combined_bound(parts: list[Kpis], chose: int) -> float | None:
    """Each part's bound in students, weighted by its students with choices (each bounds its
    own school's count, so their sum bounds the district's)."""
    if not chose or any(k.any_choice_share_bound is None for k in parts):
        return None
    return sum((k.any_choice_share_bound or 0.0) * k.students_with_choices for k in parts) / chose


class Solution(BaseModel):
    model_config = _FINITE
    format: Literal["afterschool-solution/1"] = FORMAT
    instance_sha256: str
    status: Status
    objective: float
    bound: float
    solve_seconds: float
    sections: list[SectionOut] = Field(default_factory=list)
    unserved: list[Unserved] = Field(default_factory=list)
    kpis: Kpis = Field(default_factory=Kpis)
    objective_terms: dict[str, float] = Field(default_factory=dict)
    # None in files written before solutions listed them (`previous:` then refuses the file).
    unmatched: list[Unmatched] | None = None
    # SPEC §8.5: each student's lottery number, the waiting lists, and the KPIs of the
    # lottery baseline on the same sections (None: not computed; left out of the file).
    lottery: list[SchoolLottery] = Field(default_factory=list)
    waitlists: list[Waitlist] = Field(default_factory=list)
    withdrawn: list[Withdrawal] = Field(default_factory=list)
    lottery_baseline: Kpis | None = None
    # Pairs of students with one `together` label (SPEC §8.5); None when nobody has one.
    together: list[TogetherPair] | None = None

    @model_serializer(mode="wrap")
    def _optional_when_known(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in ("unmatched", "lottery_baseline", "together"):
            if data.get(key, 0) is None:
                del data[key]
        return data

    @property
    def gap(self) -> float:
        return (self.bound - self.objective) / max(1.0, abs(self.bound))
