"""Problems found in input files, each pointing at the place a user must edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Location:
    """A place in a file: YAML line and column (1-based), or a CSV row and column name."""

    file: str
    line: int
    col: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.column is not None:
            return f"{self.file}:{self.line}: {self.column}"
        if self.col is not None:
            return f"{self.file}:{self.line}:{self.col}"
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    location: Location | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        text = f"{prefix}{self.message}"
        if self.location is not None:
            text = f"{self.location}: {text}"
        # One problem, one line: values quoted from the file may hold line breaks.
        return text.replace("\r", "\\r").replace("\n", "\\n")


class InputError(Exception):
    """Raised with every problem of a bad input at once; the CLI prints them and exits 2."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
