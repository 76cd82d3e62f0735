"""Read a district (or school) YAML file, with rosters in CSV, into a validated `District`.

Every problem is reported at once with the place to edit: `file:line:col: message` for
YAML, `file:row: column: message` for CSV. Nothing here raises anything but `InputError`.
"""

from __future__ import annotations

import csv
import difflib
import gc
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from . import district as d
from .checks import Finding, cross_checks
from .common import FROM_FILE
from .problems import InputError, Location, Problem
from .solution import Solution
from .yaml12 import Path, load_yaml

ROSTERS: dict[str, type[BaseModel]] = {"students": d.Student, "teachers": d.Teacher}
MAX_PROBLEMS = 200  # past this, a list of errors stops helping anyone


@dataclass
class CsvRoster:
    """Where each row of a roster CSV file sits: row numbers as a spreadsheet shows them."""

    file: str
    rows: list[int] = field(default_factory=list)
    header: set[str] = field(default_factory=set)

    def at(self, rest: tuple[Any, ...]) -> Location | None:
        """Position of `(row index, column, ...)` below the roster's path."""
        row = _as_int(rest[0]) if rest else None
        if row is None or not 0 <= row < len(self.rows):
            return None
        line = self.rows[row]
        if len(rest) > 1:
            column = str(rest[1]).removesuffix("@key")
            if column in self.header:
                return Location(self.file, line, column=column)
        return Location(self.file, line)


class Positions(dict[Path, Location]):
    """Positions of YAML nodes, plus CSV rosters (kept per file, not per cell, to stay small)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rosters: dict[Path, CsvRoster] = {}

    def lookup(self, path: Path) -> Location | None:
        found = self.get(path)
        if found is None and len(path) > 3 and path[:3] in self.rosters:
            found = self.rosters[path[:3]].at(path[3:])
        return found


@dataclass
class Loaded:
    """A validated district with the positions of its parts and the warnings found."""

    district: d.District
    source: str
    positions: dict[Path, Location] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    _ids: dict[tuple[str | int, ...], int] | None = field(default=None, repr=False)
    patched_from: d.District | None = field(default=None, repr=False)  # a scenario's base

    @property
    def sha256(self) -> str:
        return instance_sha256(self.district)

    def where(self, path: Path) -> Location | None:
        return locate(self.positions, path)[0]

    def place(self, *path: str | int) -> Location | None:
        """Where a part of the input is written, its lists addressed by entity id:
        `place("schools", "nanshan-1", "teachers", "t-wang", "max_class_hours_week")`.

        Ids are looked up in the district as loaded, so a sub-district or a patched copy
        cites the user's own file and line; an entity the file does not have gives None.
        """
        if self._ids is None:
            self._ids = _entity_index(self.district)
        steps: list[str | int] = []
        for part in path:
            if steps and steps[-1] in ENTITY_LISTS and isinstance(part, str):
                index = self._ids.get((*steps, part))
                if index is None:
                    return None
                part = index
            steps.append(part)
        return self.where(tuple(steps))


ENTITY_LISTS = ("schools", "providers", "teachers", "rooms", "activities", "students")


def _entity_index(district: d.District) -> dict[tuple[str | int, ...], int]:
    """(path to a list, entity id) -> the entity's position in that list, as loaded."""
    index: dict[tuple[str | int, ...], int] = {}
    for j, provider in enumerate(district.providers):
        index[("providers", provider.id)] = j
    for i, school in enumerate(district.schools):
        index[("schools", school.id)] = i
        for name in ENTITY_LISTS[2:]:
            for j, item in enumerate(getattr(school, name)):
                index.setdefault(("schools", i, name, item.id), j)
    return index


def instance_sha256(district: d.District) -> str:
    """Hash of the validated instance in canonical form (CSV rows included).

    Values left at their defaults are left out, so a key added to the input format with a
    default does not make earlier solutions look as if they were for another input.
    """
    data = district.model_dump(mode="json", exclude_defaults=True)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def decode(raw: bytes, name: str = "") -> str:
    """UTF-8 (with or without BOM), else GB18030 as Excel on Chinese Windows saves it.

    A file pasted together from both (some lines UTF-8 Chinese, some GB18030) is refused:
    read as GB18030, its UTF-8 lines would silently become mojibake.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode("gb18030")
        utf8_line = _utf8_chinese_line(raw)
        if utf8_line:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise InputError([Problem(Location(name, line), "this line is in GB18030 but line "
                                      f"{utf8_line} is in UTF-8; save the whole file in one "
                                      "encoding (UTF-8)")]) from None
        return text


_CJK = re.compile("[\u3400-\u9fff]")


def _utf8_chinese_line(raw: bytes) -> int | None:
    """The first line holding Chinese text in valid UTF-8, if any."""
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            if _CJK.search(line.decode("utf-8")):
                return number
        except UnicodeDecodeError:
            continue
    return None


MAX_YAML_BYTES = 20 * 1024 * 1024  # a district with CSV rosters is well under 1 MB
MAX_ROSTER_BYTES = MAX_YAML_BYTES
ALLOW_OUTSIDE = "AFTERSCHOOL_ALLOW_OUTSIDE_ROSTERS"  # set to 1: rosters may be anywhere


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def load(path: str | FsPath) -> Loaded:
    """Load and validate a file; raise `InputError` listing every problem found."""
    path = FsPath(path)
    name = str(path)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "no such file"
        what = "not a regular file" if path.exists() and not path.is_dir() else what
        raise InputError([Problem(Location(name, 1, 1), what)])
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise InputError([Problem(Location(name, 1, 1), f"the file is {_megabytes(size)}; "
                                  f"afterschool reads files up to {_megabytes(MAX_YAML_BYTES)} "
                                  "(keep students in CSV rosters)")])
    try:
        text = decode(path.read_bytes(), name)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(Location(name, 1, 1), f"cannot read the file: {exc}")]) from None
    return load_text(text, name, base_dir=path.parent)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector: it would rescan 100,000s of fresh roster rows many times."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_text(text: str, name: str, base_dir: FsPath | None = None) -> Loaded:
    """Validate YAML text named `name`; CSV rosters are read relative to `base_dir`."""
    with _gc_paused():
        return _load_text(text, name, base_dir)


def _load_text(text: str, name: str, base_dir: FsPath | None) -> Loaded:
    data, yaml_positions = load_yaml(text, name)
    positions = Positions(yaml_positions)
    if not isinstance(data, dict):
        expected = "expected a mapping of keys (version, term, schools, ...)"
        raise InputError([Problem(positions.get(()), expected)])
    problems = _read_rosters(data, positions, base_dir or FsPath("."))
    problems += _read_previous(data, positions, base_dir or FsPath("."))
    try:
        district = d.District.model_validate(data, context=FROM_FILE)
    except ValidationError as exc:
        problems += [_pydantic_problem(err, positions) for err in exc.errors()]
        _raise(problems)
    _raise(problems)
    findings = cross_checks(district)
    _raise([_finding_problem(f, positions) for f in findings if f.severity == "error"])
    warnings = [_finding_problem(f, positions) for f in findings if f.severity == "warning"]
    return Loaded(district, name, positions, warnings)


def _raise(problems: list[Problem]) -> None:
    """Stop with every problem (the first few hundred: more would bury the first ones)."""
    if not problems:
        return
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [Problem(None, f"... and {more} more problems")]
    raise InputError(problems)


def _read_rosters(data: dict[str, Any], positions: Positions, base: FsPath) -> list[Problem]:
    """Replace `students: file.csv` (and teachers) by the CSV rows, remembering row positions."""
    problems: list[Problem] = []
    schools = data.get("schools")
    if not isinstance(schools, list):
        return problems
    for i, school in enumerate(schools):
        if not isinstance(school, dict):
            continue
        for key, model in ROSTERS.items():
            ref = school.get(key)
            if isinstance(ref, str):
                path: Path = ("schools", i, key)
                rows, found = _read_csv(base, ref, path, positions, model)
                school[key] = rows
                problems += found
    return problems


def _read_previous(data: dict[str, Any], positions: Positions, base: FsPath) -> list[Problem]:
    """Replace `previous: FILE.json` by what the model needs of that earlier solution."""
    if "previous" not in data:
        return []
    ref = data.get("previous")
    where = positions.get(("previous",))
    if not isinstance(ref, str) or not ref.strip():
        data.pop("previous")
        return [Problem(where, "previous: expected the path of an earlier term's solution.json "
                        f"(got {ref!r})")]
    raw, problems = _roster_bytes(base, ref, where, what="previous solution")
    if raw is None:
        data.pop("previous")
        return problems
    try:
        earlier = Solution.model_validate_json(raw)
    except ValidationError as exc:
        data.pop("previous")
        first = exc.errors()[0]
        place = ".".join(str(x) for x in first["loc"]) or "the file"
        return [Problem(where, f"previous solution {ref!r} is not a solution.json written by "
                        f"afterschool ({place}: {first['msg']})")]
    if earlier.unmatched is None:
        data.pop("previous")
        return [Problem(where, f"previous solution {ref!r} does not list the students who got "
                        "none of their choices (it was written by an older afterschool); solve "
                        "that term again to have it")]
    data["previous"] = _previous_term(ref, earlier)
    return []


def _previous_term(ref: str, earlier: Solution) -> dict[str, Any]:
    schools = sorted({s.school for s in earlier.sections} | {u.school for u in earlier.unmatched
                                                              or []})
    unmatched: dict[str, list[str]] = {}
    for entry in earlier.unmatched or []:
        unmatched.setdefault(entry.school, []).append(entry.student)
    return {"file": ref, "schools": schools, "unmatched": unmatched}


def _read_csv(
    base: FsPath, ref: str, path: Path, positions: Positions, model: type[BaseModel]
) -> tuple[list[dict[str, str]], list[Problem]]:
    """Rows of one roster CSV as dicts of non-empty cells; problems with file and row."""
    file = base / ref
    shown = str(file)
    raw, problems = _roster_bytes(base, ref, positions.get(path))
    if raw is None:
        return [], problems
    try:
        # A BOM inside the file (files pasted together) would otherwise stay in an id.
        text = decode(raw, shown).replace("\ufeff", "")
    except UnicodeDecodeError:
        return [], [Problem(Location(shown, 1), "not text in UTF-8 or GB18030")]
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        return [], [Problem(Location(shown, 1), "the CSV file is empty; expected a header row")]
    known = _field_names(model)
    if not known.intersection(header):  # quote nothing: it may be any file on the machine
        return [], [Problem(Location(shown, 1), "not a roster: the first row names none of "
                            f"the columns {', '.join(sorted(known))}")]
    roster = CsvRoster(shown, header=set(header))
    positions.rosters[path] = roster
    problems = _header_problems(header, model, shown)
    usable = [column if column in known else "" for column in header]  # unknown: told once
    rows = [_row(cells, usable, roster, reader.line_num, problems) for cells in reader if cells]
    return rows, problems


def _roster_bytes(base: FsPath, ref: str, where: Location | None, what: str = "roster"
                  ) -> tuple[bytes | None, list[Problem]]:
    """A roster's bytes, if it is a regular file of sensible size beside the YAML or below."""
    file = base / ref

    def refused(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(where, f"{what} {ref!r} {message}")]

    if os.environ.get(ALLOW_OUTSIDE) != "1" and not _inside(file, base):
        return refused(f"is outside the folder of the YAML file; move it there (or below), or "
                       f"set the environment variable {ALLOW_OUTSIDE}=1 to allow it")
    try:
        info = file.stat()  # stat, not open: opening a FIFO would wait forever
    except OSError:
        missing = f"{what} file {ref!r} not found (paths are relative to the YAML file)"
        return None, [Problem(where, missing)]
    if not stat.S_ISREG(info.st_mode):
        return refused("is not a regular file")
    if info.st_size > MAX_ROSTER_BYTES:
        return refused(f"is {_megabytes(info.st_size)}; rosters may be up to "
                       f"{_megabytes(MAX_ROSTER_BYTES)}")
    try:
        return file.read_bytes(), []
    except OSError as exc:
        return refused(f"cannot be read: {exc.strerror}")


def _inside(file: FsPath, folder: FsPath) -> bool:
    """Whether `file`, symbolic links followed, lies in `folder` or below it."""
    try:
        return file.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symbolic-link loop
        return False


def _header_problems(header: list[str], model: type[BaseModel], shown: str) -> list[Problem]:
    """Unknown or repeated column names, reported once for the header, not once per row."""
    known = _field_names(model)
    problems = []
    for index, column in enumerate(header):
        if column in header[:index]:
            problems.append(Problem(Location(shown, 1, column=column), "column appears twice"))
        elif column and column not in known:
            hint = difflib.get_close_matches(column, sorted(known), n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else f"; known: {', '.join(sorted(known))}"
            problems.append(Problem(Location(shown, 1, column=column), f"unknown column{tip}"))
    return problems


def _row(
    cells: list[str], header: list[str], roster: CsvRoster, line: int, problems: list[Problem]
) -> dict[str, str]:
    """One CSV row as a dict of its non-empty known cells."""
    roster.rows.append(line)
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        extra = "more cells than the header has columns"
        problems.append(Problem(Location(roster.file, line), extra))
    row = {}
    for column, value in zip(header, cells, strict=False):
        if column and value.strip() and column not in row:
            row[column] = value.strip()
    return row


def _field_names(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def locate(
    positions: dict[Path, Location], loc: tuple[Any, ...]
) -> tuple[Location | None, list[Any]]:
    """Deepest known position along a pydantic error location; also the path followed.

    `[key]` in a location means the error is in a mapping's key (a grade `x:` or a
    make-up date): it points at the key, not at the value.
    """
    path: list[Any] = []
    best = _lookup(positions, ())
    for element in loc:
        if element == "[key]" and path:
            best = _lookup(positions, (*path[:-1], f"{path[-1]}@key")) or best
            break
        for candidate in (element, str(element), _as_int(element)):
            found = _lookup(positions, (*path, candidate)) if candidate is not None else None
            if found is not None:
                path.append(candidate)
                best = found
                break
    return best, path


def _lookup(positions: dict[Path, Location], path: Path) -> Location | None:
    if isinstance(positions, Positions):
        return positions.lookup(path)
    return positions.get(path)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_ALL_FIELDS = sorted({
    name
    for model in vars(d).values()
    if isinstance(model, type) and issubclass(model, BaseModel)
    for name in _field_names(model)
})


# Tags of fields that take one of several forms (`instructors`: a number or named people):
# they name the form in pydantic's location, not a key of the file.
_FORM_TAGS = {("instructors", "count"), ("instructors", "named")}


def _without_form_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(e for i, e in enumerate(loc) if i == 0 or (loc[i - 1], e) not in _FORM_TAGS)


def _pydantic_problem(err: Any, positions: dict[Path, Location]) -> Problem:
    """One pydantic error as a problem at the place to edit, in a timetabler's words."""
    loc = _without_form_tags(tuple(err["loc"]))
    kind = err["type"]
    if kind == "extra_forbidden":
        return _unknown_key(loc, positions)
    where, _ = locate(positions, loc)
    if kind == "missing":
        return _missing(loc, where)
    label = _label(loc)
    if where is not None and where.column is not None:
        # CSV: the column is already shown; keep only what is below it (pickup's `tue`).
        label = label.removeprefix(where.column).lstrip(".")
    message = _message(err, label)
    return Problem(where, f"{label}: {message}" if label else message)


def _unknown_key(loc: tuple[Any, ...], positions: dict[Path, Location]) -> Problem:
    key = loc[-1]
    where, path = locate(positions, loc[:-1])
    where = _lookup(positions, (*path, f"{key}@key")) or where
    hint = difflib.get_close_matches(str(key), _ALL_FIELDS, n=1)
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    return Problem(where, f"unknown key {key!r}{suggestion}")


def _missing(loc: tuple[Any, ...], where: Location | None) -> Problem:
    key = str(loc[-1])
    if where is not None and where.col is None:  # a CSV row: name the empty column
        return Problem(replace(where, column=key), "required, but the cell is empty or missing")
    return Problem(where, f"missing required key {key!r}" + _in(loc[:-1]))


def _message(err: Any, label: str) -> str:
    """Pydantic's message, with the offending value and a spelling hint where it helps."""
    message = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    if err["type"] == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        options = [o for o in options if o != "lesson"]  # allowed by the type, refused later
        hint = difflib.get_close_matches(str(value), options, n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        return f"{value!r} is not one of {', '.join(options)}{tip}"
    shown = str(value)
    if isinstance(value, str | int | float) and shown not in message + label and len(shown) < 40:
        return f"{message} (got {value!r})"
    return message


def _label(loc: tuple[Any, ...]) -> str:
    """The key that holds the bad value, with its parent key when that is a mapping."""
    if "[key]" in loc:
        at = loc.index("[key]")
        parent = _label(loc[: at - 1])
        return f"{parent} key {str(loc[at - 1])!r}".strip()
    names: list[str] = []
    while loc and not isinstance(loc[-1], str):
        loc = loc[:-1]  # a list index: the list's key names the value
    for element in reversed(loc):
        if not isinstance(element, str) or "[" in element:
            break
        names.insert(0, element)
    return ".".join(names[-2:])


_SINGULAR = {
    "schools": "school", "rooms": "room", "teachers": "teacher", "activities": "activity",
    "students": "student", "providers": "provider",
}


def _in(loc: tuple[Any, ...]) -> str:
    """` in this room` for a record of a list, ` in term` for a named mapping."""
    if len(loc) >= 2 and isinstance(loc[-1], int) and loc[-2] in _SINGULAR:
        return f" in this {_SINGULAR[loc[-2]]}"
    label = _label(loc)
    return f" in {label}" if label else ""


def _finding_problem(finding: Finding, positions: dict[Path, Location]) -> Problem:
    where, _ = locate(positions, finding.path)
    return Problem(where, finding.message, finding.severity)
