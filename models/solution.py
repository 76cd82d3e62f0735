"""The solution contract (`solution.json`, SPEC §5) every view is made from."""

from __future__ import annotations

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


class SectionOut(BaseModel):
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


def section_id(school: str, activity: str, day: str, start: int, room: str) -> str:
    """Stable id: unchanged sections keep their id between solves."""
    return f"{school}/{activity}/{day}-{start // 60:02d}{start % 60:02d}/{room}"


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
        """(name, value) in the order a school reads them; the bound is said in words at the
        end of a solve (`scheduler.solver.bound.bound_sentence`), not as a row."""
        return list(self.model_dump(exclude={"any_choice_share_bound"}).items())

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
            teacher_hours_max=max((k.teacher_hours_max for k in parts), default=0),
            cost=round(sum(k.cost for k in parts), 2),
            budget=round(sum(k.budget for k in parts), 2),
            sections=sum(k.sections for k in parts),
            any_choice_share_bound=_combined_bound(parts, chose),
        )


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
    # Pairs of students with one `together` label (SPEC §8.5); None when nobody has one.
    together: list[TogetherPair] | None = None

    @model_serializer(mode="wrap")
    def _lists_when_known(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in ("unmatched", "together"):
            if data.get(key, 0) is None:
                del data[key]
        return data

    @property
    def gap(self) -> float:
        return (self.bound - self.objective) / max(1.0, abs(self.bound))
