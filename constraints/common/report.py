"""What the verifier hands back: the broken rules in a school's words, and the recomputed score."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.solution import Kpis


@dataclass(frozen=True)
class Violation:
    """One broken rule: `rule` is H1..H8, or `instance`, `ids`, `objective` for the file itself."""

    rule: str
    message: str
    section: str | None = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass
class Report:
    """Every violation found, and the objective, its terms and the KPIs recomputed."""

    violations: list[Violation] = field(default_factory=list)
    objective: float = 0.0
    terms: dict[str, float] = field(default_factory=dict)
    kpis: Kpis = field(default_factory=Kpis)

    @property
    def ok(self) -> bool:
        return not self.violations
