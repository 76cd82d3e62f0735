"""Read `solution.json`; a malformed file is an `InputError` pointing at the place to fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.problems import InputError, Location, Problem
from models.solution import Solution


def read_solution(path: str | Path) -> Solution:
    """Load a solution: `file:line:col: message` for bad JSON, the field path for bad values."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(Location(name, 1, 1), f"cannot read the file: {exc}")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(Location(name, exc.lineno, exc.colno), exc.msg)]) from None
    try:
        return Solution.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(None, f"{name}: {field_path(err['loc'])}: {err['msg']}")
                    for err in exc.errors()]
        raise InputError(problems) from None


def field_path(loc: tuple[Any, ...]) -> str:
    """`("sections", 3, "start")` as `sections[3].start`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(top level)"
