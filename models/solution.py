"""The solution contract (`solution.json`, SPEC §5) every view is made from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .common import Clock, Day

FORMAT: Literal["afterschool-solution/1"] = "afterschool-solution/1"
Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID"]
# NaN passes every comparison `verify` makes (nan > x is False), so a score of NaN or inf
# would be "verified"; Python's json reads both, so the model refuses them.
_FINITE = ConfigDict(extra="forbid", allow_inf_nan=False)


class StaffRef(BaseModel):
    model_config = _FINITE
    teacher: str | None = None
    provider: str | None = None

    @model_validator(mode="after")
    def _one(self) -> StaffRef:
        if (self.teacher is None) == (self.provider is None):
            raise ValueError("a staff entry names exactly one teacher or one provider")
        return self


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
    kpis: dict[str, float | int] = Field(default_factory=dict)
    objective_terms: dict[str, float] = Field(default_factory=dict)

    @property
    def gap(self) -> float:
        return (self.bound - self.objective) / max(1.0, abs(self.bound))
