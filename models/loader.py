"""Read a district (or school) YAML file, with rosters in CSV, into a validated `District`.

Every problem is reported at once with the place to edit: `file:line:col: message` for
YAML, `file:row: column: message` for CSV. Nothing here raises anything but `InputError`.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from . import district as d
from .checks import Finding, cross_checks
from .problems import InputError, Location, Problem
from .yaml12 import Path, load_yaml

ROSTERS = ("students", "teachers")


@dataclass
class Loaded:
    """A validated district with the positions of its parts and the warnings found."""

    district: d.District
    source: str
    positions: dict[Path, Location] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return instance_sha256(self.district)

    def where(self, path: Path) -> Location | None:
        return locate(self.positions, path)[0]


def instance_sha256(district: d.District) -> str:
    """Hash of the validated instance in canonical form (CSV rows included)."""
    canonical = json.dumps(district.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 as Excel on Chinese Windows saves it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def load(path: str | FsPath) -> Loaded:
    """Load and validate a file; raise `InputError` listing every problem found."""
    path = FsPath(path)
    name = str(path)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "no such file"
        raise InputError([Problem(Location(name, 1, 1), what)])
    try:
        text = decode(path.read_bytes())
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(Location(name, 1, 1), f"cannot read the file: {exc}")]) from None
    return load_text(text, name, base_dir=path.parent)


def load_text(text: str, name: str, base_dir: FsPath | None = None) -> Loaded:
    data, positions = load_yaml(text, name)
    if not isinstance(data, dict):
        raise InputError([Problem(positions.get(()), "expected a mapping of keys (version, term, schools, ...)")])
    problems = _read_rosters(data, positions, base_dir or FsPath("."))
    try:
        district = d.District.model_validate(data)
    except ValidationError as exc:
        problems += [_pydantic_problem(err, positions) for err in exc.errors()]
        raise InputError(problems) from None
    if problems:
        raise InputError(problems)
    findings = cross_checks(district)
    errors = [_finding_problem(f, positions) for f in findings if f.severity == "error"]
    if errors:
        raise InputError(errors)
    warnings = [_finding_problem(f, positions) for f in findings if f.severity == "warning"]
    return Loaded(district, name, positions, warnings)


def _read_rosters(data: dict[str, Any], positions: dict[Path, Location], base: FsPath) -> list[Problem]:
    """Replace `students: file.csv` (and teachers) by the CSV rows, remembering row positions."""
    problems: list[Problem] = []
    schools = data.get("schools")
    if not isinstance(schools, list):
        return problems
    for i, school in enumerate(schools):
        if not isinstance(school, dict):
            continue
        for key in ROSTERS:
            ref = school.get(key)
            if isinstance(ref, str):
                rows, found = _read_csv(base / ref, ref, ("schools", i, key), positions)
                school[key] = rows
                problems += found
    return problems


def _read_csv(file: FsPath, shown: str, path: Path, positions: dict[Path, Location]) -> tuple[list[dict[str, str]], list[Problem]]:
    where = positions.get(path)
    try:
        text = decode(file.read_bytes())
    except OSError:
        return [], [Problem(where, f"roster file {shown!r} not found (paths are relative to the YAML file)")]
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        return [], [Problem(Location(shown, 1), "the CSV file is empty; expected a header row")]
    reader.fieldnames = header
    rows: list[dict[str, str]] = []
    for number, row in enumerate(reader):
        line = number + 2  # the header is row 1
        row_path = (*path, number)
        positions[row_path] = Location(shown, line)
        cleaned: dict[str, str] = {}
        for column, value in row.items():
            if column is None:  # more cells than header columns
                positions[(*row_path, "<extra>")] = Location(shown, line)
                return rows, [Problem(Location(shown, line), "more cells than the header has columns")]
            if value is not None and value.strip() != "":
                cleaned[column] = value.strip()
                positions[(*row_path, column)] = Location(shown, line, column=column)
                positions[(*row_path, f"{column}@key")] = Location(shown, line, column=column)
        rows.append(cleaned)
    return rows, []


def locate(positions: dict[Path, Location], loc: tuple[Any, ...]) -> tuple[Location | None, list[Any]]:
    """Deepest known position along a pydantic error location; also the path followed."""
    path: list[Any] = []
    best = positions.get(())
    for element in loc:
        for candidate in (element, str(element), _as_int(element)):
            if candidate is not None and (*path, candidate) in positions:
                path.append(candidate)
                best = positions[tuple(path)]
                break
    return best, path


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_ALL_FIELDS = sorted({
    name
    for model in vars(d).values()
    if isinstance(model, type) and issubclass(model, BaseModel)
    for name, info in model.model_fields.items()
    for name in (info.alias or name,)
})


def _pydantic_problem(err: Any, positions: dict[Path, Location]) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        where, path = locate(positions, loc[:-1])
        where = positions.get((*path, f"{key}@key"), where)
        hint = difflib.get_close_matches(str(key), _ALL_FIELDS, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        return Problem(where, f"unknown key {key!r}{suggestion}")
    where, path = locate(positions, loc)
    label = _label(loc)
    if kind == "missing":
        return Problem(where, f"missing required key {loc[-1]!r}" + _in(loc[:-1]))
    message = err["msg"].removeprefix("Value error, ")
    return Problem(where, f"{label}: {message}" if label else message)


def _label(loc: tuple[Any, ...]) -> str:
    names = [str(x) for x in loc if isinstance(x, str) and "[" not in x]
    return names[-1] if names else ""


def _in(loc: tuple[Any, ...]) -> str:
    label = _label(loc)
    return f" in {label}" if label else ""


def _finding_problem(finding: Finding, positions: dict[Path, Location]) -> Problem:
    where, _ = locate(positions, finding.path)
    return Problem(where, finding.message, finding.severity)
