"""Turn a sign-up sheet into the project's students CSV, checked against the school.

Columns are found by header (English or Chinese; `--map HEADER=FIELD` overrides). Every bad
row is reported as `file:row: column: message` and left out; good rows are written. Names
never reach the output: a student without an id gets a stable pseudonymous one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from models.common import DAYS, format_clock
from models.district import Activity, District, School
from models.loader import load, load_text
from models.problems import InputError, Location, Problem
from scheduler.output import write_atomic

from . import fields as f
from .common import flow
from .sheets import Sheet, read_sheet

DERIVED = "s-"  # prefix of ids derived from names
OUTPUT_COLUMNS = ("id", "grade", "class", "days", "pickup", "choices")


class RowError(ValueError):
    """A problem with one cell; the row is refused."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


@dataclass
class Columns:
    """Which column index holds each field."""

    single: dict[str, int] = field(default_factory=dict)  # id, name, grade, class, days, pickup
    days: dict[str, int] = field(default_factory=dict)  # weekday -> column of marks
    choices: list[int] = field(default_factory=list)  # ranked choice columns, then a list column
    ignored: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What happened: rows read, kept and refused, and every problem and note."""

    read: int = 0
    kept: list[dict[str, str]] = field(default_factory=list)
    refused: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Context:
    """The school the sign-ups are for; without `--into`, only formats are checked."""

    school_id: str
    school: School | None = None
    weekdays: tuple[str, ...] = DAYS[:5]
    latest_end: int = 18 * 60
    max_hours: int = 2
    seen: dict[str, int] = field(default_factory=dict)  # student id -> first row


def import_signups(sheet_path: Path, school_id: str, out: Path, into: Path | None = None,
                   mapping: dict[str, str] | None = None, sheet_name: str | None = None) -> Report:
    """Read, check and write; link the CSV into `into`'s school when its students allow it."""
    context = _context(school_id, into)
    sheet = read_sheet(sheet_path, sheet_name)
    columns = find_columns(sheet, mapping or {})
    report = Report()
    if columns.ignored:
        report.notes.append(f"ignored columns: {', '.join(columns.ignored)}")
    for number, cells in sheet.rows:
        _take_row(sheet, columns, context, number, cells, report)
    derived = sum(1 for r in report.kept if r["id"].startswith(DERIVED))
    if derived:
        report.notes.append(f"{derived} student(s) without an id got one derived from a hash of "
                            "school, grade, class and name; names are not written")
    write_atomic(out, students_csv(report.kept))
    if into is not None:
        report.notes.append(_link(into, school_id, out))
    return report


def _context(school_id: str, into: Path | None) -> Context:
    if into is None:
        return Context(school_id)
    district = load(into).district
    school = _find_school(district, school_id, into)
    policy = district.policy_for(school)
    return Context(school_id, school, tuple(district.term.weekdays), policy.latest_end,
                   policy.max_class_hours_per_day)


def _find_school(district: District, school_id: str, into: Path) -> School:
    try:
        return district.school(school_id)
    except KeyError:
        known = ", ".join(s.id for s in district.schools)
        message = f"no school {school_id!r} in this file (schools: {known})"
        raise InputError([Problem(Location(str(into), 1), message)]) from None


def find_columns(sheet: Sheet, mapping: dict[str, str]) -> Columns:
    """Map headers to fields; `mapping` (header -> field) wins over the built-in names."""
    columns, ranked = Columns(), {}
    overrides = {f.normalise(k): v for k, v in mapping.items()}
    for index, header in enumerate(sheet.header):
        name = overrides.get(f.normalise(header)) or f.field_of(header)
        if name is None or name == "ignore":
            columns.ignored += [header] if header else []
        elif name in DAYS:
            columns.days[name] = index
        elif name.startswith("choice") and name != "choices":
            ranked[int(name[6:])] = index
        else:
            columns.single.setdefault(name, index)
    columns.choices = [ranked[k] for k in sorted(ranked)]
    if "choices" in columns.single:
        columns.choices.append(columns.single.pop("choices"))
    _require(sheet, columns)
    return columns


def _require(sheet: Sheet, columns: Columns) -> None:
    missing = []
    if not {"id", "name"} & set(columns.single):
        missing.append("a student id or name (学号 / 姓名 / id / name)")
    if "grade" not in columns.single:
        missing.append("the grade (年级 / grade)")
    if "days" not in columns.single and not columns.days:
        missing.append("the days (星期 / days, or 周一…周五 columns)")
    if missing:
        headers = ", ".join(sheet.header)
        message = f"no column for {'; '.join(missing)}; headers are: {headers} (use --map)"
        raise InputError([Problem(Location(sheet.name, 1), message)])


def _take_row(sheet: Sheet, columns: Columns, context: Context, number: int, cells: list[str],
              report: Report) -> None:
    report.read += 1
    warnings: list[tuple[str, str]] = []
    try:
        record = student_record(sheet, columns, context, cells, warnings)
        _check_unique(record["id"], number, sheet, columns, context)
    except RowError as exc:
        report.refused += 1
        report.problems.append(Problem(Location(sheet.name, number, column=exc.column), str(exc)))
        return
    context.seen[record["id"]] = number
    report.kept.append(record)
    report.problems += [Problem(Location(sheet.name, number, column=c), m, "warning")
                        for c, m in warnings]


def _check_unique(student: str, number: int, sheet: Sheet, columns: Columns,
                  context: Context) -> None:
    if student in context.seen:
        column = _header(sheet, columns.single.get("id", columns.single.get("name")))
        raise RowError(column, f"student {student!r} again (first on row {context.seen[student]})")


def _header(sheet: Sheet, index: int | None) -> str:
    return sheet.header[index] if index is not None else ""


def student_record(sheet: Sheet, columns: Columns, context: Context, cells: list[str],
                   warnings: list[tuple[str, str]]) -> dict[str, str]:
    """One output row, or `RowError` naming the first bad cell."""

    def cell(name: str) -> tuple[str, str]:
        index = columns.single.get(name)
        return (_header(sheet, index), cells[index]) if index is not None else (name, "")

    grade = _grade(*cell("grade"), context)
    class_id = f.parse_class(cell("class")[1], grade)
    days = _days(sheet, columns, cells, context)
    pickup = _pickup(*cell("pickup"), grade, days, context, warnings)
    choices = _choices(sheet, columns, cells, grade, context, warnings)
    student = _student_id(cell("id"), cell("name"), grade, class_id, context)
    return {"id": student, "grade": str(grade), "class": class_id or "",
            "days": ";".join(days), "pickup": pickup, "choices": ";".join(choices)}


def _grade(column: str, text: str, context: Context) -> int:
    if not text:
        raise RowError(column, "no grade")
    try:
        grade = f.parse_grade(text)
    except ValueError as exc:
        raise RowError(column, str(exc)) from None
    school = context.school
    if school is not None and grade not in school.grades:
        offered = ", ".join(map(str, sorted(school.grades)))
        raise RowError(column, f"grade {grade} is not offered by {school.id} (grades: {offered})")
    return grade


def _days(sheet: Sheet, columns: Columns, cells: list[str], context: Context) -> list[str]:
    """Days from a list column and from weekday columns of marks, in weekday order."""
    found: set[str] = set()
    if "days" in columns.single:
        column = _header(sheet, columns.single["days"])
        text = cells[columns.single["days"]]
        try:
            listed = f.parse_days(text)
        except ValueError as exc:
            raise RowError(column, str(exc)) from None
        # "every day" means every school day, not Saturday and Sunday
        everyday = len(listed) == len(DAYS)
        found |= {d for d in listed if not everyday or d in context.weekdays}
        _school_days(column, found, context)
    for day, index in columns.days.items():
        try:
            if f.parse_mark(cells[index]):
                found.add(day)
        except ValueError as exc:
            raise RowError(sheet.header[index], str(exc)) from None
        _school_days(sheet.header[index], found & {day}, context)
    return [d for d in DAYS if d in found]


def _school_days(column: str, days: set[str], context: Context) -> None:
    wrong = [d for d in DAYS if d in days and d not in context.weekdays]
    if wrong:
        school_days = ", ".join(context.weekdays)
        raise RowError(column, f"{wrong[0]} is not a school day (school days: {school_days})")


def _pickup(column: str, text: str, grade: int, days: list[str], context: Context,
            warnings: list[tuple[str, str]]) -> str:
    """One time, or per day (`周一=17:00;周四=18:00`); warn when the service cannot cover it."""
    if not text:
        return ""
    by_day: dict[str, int] = {}
    for part in [p for p in re.split(r"[;；\n]+", text) if p.strip()]:
        day_text, _, time_text = part.rpartition("=")
        try:
            minutes, note = f.parse_time(time_text)
            targets = f.parse_days(day_text) if day_text else days
        except ValueError as exc:
            raise RowError(column, str(exc)) from None
        if note:
            warnings.append((column, note))
        by_day.update({d: minutes for d in targets})
    _warn_pickup(column, grade, by_day, context, warnings)
    times = set(by_day.values())
    if len(times) == 1 and set(by_day) >= set(days):
        return format_clock(times.pop())
    return ";".join(f"{d}={format_clock(t)}" for d, t in by_day.items())


def _warn_pickup(column: str, grade: int, by_day: dict[str, int], context: Context,
                 warnings: list[tuple[str, str]]) -> None:
    school = context.school
    if school is None:
        return
    for day, time in by_day.items():
        if day not in context.weekdays:
            continue
        covered = _service_end(school, grade, day, context)
        if time > covered:
            warnings.append((column, f"pick-up {format_clock(time)} on {day} is later than the "
                             f"service covers (until {format_clock(covered)})"))
            return


def _service_end(school: School, grade: int, day: str, context: Context) -> int:
    """End of the last period a student of `grade` may have that day."""
    starts = school.period_starts(grade, day, context.latest_end)  # type: ignore[arg-type]
    starts = starts[: context.max_hours]
    if not starts:
        return school.dismissal(grade, day)  # type: ignore[arg-type]
    return starts[-1] + school.hour_minutes(grade)


def _choices(sheet: Sheet, columns: Columns, cells: list[str], grade: int, context: Context,
             warnings: list[tuple[str, str]]) -> list[str]:
    """Ranked activity ids: ranked columns first, then any list column, without repeats."""
    chosen: list[str] = []
    for index in columns.choices:
        for text in re.split(r"[;,、，；\n]+", cells[index]):
            if not text.strip():
                continue
            activity = _activity(sheet.header[index], text.strip(), grade, context)
            if activity in chosen:
                warnings.append((sheet.header[index], f"{text.strip()!r} chosen twice; kept once"))
            else:
                chosen.append(activity)
    return chosen


def _activity(column: str, text: str, grade: int, context: Context) -> str:
    school = context.school
    if school is None:
        return text
    activity = school.activity(text) or _loose_match(school, text)
    if activity is None:
        offered = ", ".join(a.name or a.id for a in school.activities)
        raise RowError(column, f"unknown activity {text!r} (offered: {offered})")
    if grade not in activity.grades:
        raise RowError(column, f"activity {activity.id} is not offered to grade {grade}")
    return activity.id


def _loose_match(school: School, text: str) -> Activity | None:
    """Forms differ in case and spacing: `Football ` is `football`."""
    key = f.normalise(text)
    for activity in school.activities:
        if key in (f.normalise(activity.id), f.normalise(activity.name)):
            return activity
    return None


def _student_id(id_cell: tuple[str, str], name_cell: tuple[str, str], grade: int,
                class_id: str | None, context: Context) -> str:
    if id_cell[1]:
        return id_cell[1]
    if not name_cell[1]:
        raise RowError(id_cell[0], "no student id and no name")
    # A stable pseudonym: the same child on the same form gets the same id next time.
    seed = f"{context.school_id}|{grade}|{class_id or ''}|{name_cell[1]}"
    return DERIVED + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:10]


def students_csv(records: list[dict[str, str]]) -> str:
    """The project's students CSV: `id,grade,class,days,pickup,choices`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def _link(into: Path, school_id: str, out: Path) -> str:
    """Point the school's `students:` at the CSV when it is `[]` or a file name; else say so."""
    text = into.read_text(encoding="utf-8-sig")
    loaded = load_text(text, str(into), base_dir=into.parent)
    index = [s.id for s in loaded.district.schools].index(school_id)
    where = loaded.positions.get(("schools", index, "students"))
    relative = os.path.relpath(out.resolve(), into.resolve().parent)
    lines = text.split("\n")
    if where is None or where.col is None:
        return f"{into} has no students key for {school_id}: add `students: {relative}`"
    line = lines[where.line - 1]
    scalar = r"(\[\s*\]|\"[^\"]*\"|'[^']*'|[^\s#\[{-][^#]*?)(\s*#.*)?$"
    value = re.match(scalar, line[where.col - 1 :])
    if value is None:
        return f"{into} lists students inline: point `students:` at {relative} to use the sheet"
    lines[where.line - 1] = line[: where.col - 1] + flow(relative) + (value.group(2) or "")
    new_text = "\n".join(lines)
    load_text(new_text, str(into), base_dir=into.parent)  # refuse to write what does not load
    write_atomic(into, new_text)
    return f"{into}: students of {school_id} now read from {relative}"
