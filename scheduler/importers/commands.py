"""What `afterschool import fet` and `afterschool import signups` do, and what they print."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from models.common import parse_clock
from models.problems import InputError, Location, Problem
from scheduler.output import all_or_none, refuse_inputs

from . import fields
from .fet import find_timetable, read_fet, read_timetable
from .school_yaml import Defaults, import_fet
from .signups import import_signups

EXIT_REFUSED = 2


def run_fet(file: Path, timetable: Path | None, out: Path, defaults: Defaults,
            grades_from: str, console: Console) -> int:
    """Write the school YAML; print what came from FET and what to edit."""
    found = find_timetable(timetable, file.stem) if timetable is not None else None
    refuse_inputs(out, [("FET file", file), ("FET timetable", found)])
    with all_or_none(out):
        school = read_fet(file, grades_from)
        if timetable is not None:
            read_timetable(school, timetable)
        loaded = import_fet(school, out, defaults)
    imported = loaded.district.schools[0]
    busy = sum(1 for t in imported.teachers if t.busy)
    console.print(
        f"wrote {out}: school {imported.id}, {len(imported.grades)} grade(s), "
        f"{sum(len(g.classes) for g in school.grades)} class(es), {len(imported.rooms)} room(s), "
        f"{len(imported.teachers)} teacher(s), {busy} with daytime busy times",
        markup=False, soft_wrap=True)
    console.print("edit the lines marked TODO(edit), add activities, then import sign-ups with "
                  f"`afterschool import signups SHEET --school {imported.id} --into {out} -o "
                  "students.csv`", markup=False, soft_wrap=True)
    return 0


def run_signups(sheet: Path, school_id: str, into: Path | None, out: Path,
                maps: tuple[str, ...], sheet_name: str | None, console: Console,
                errors: Console) -> int:
    """Write the good rows, report every bad one; exit 2 when any row was refused.

    The CSV and the link in `into` are written together or not at all."""
    refuse_inputs(out, [("sign-up sheet", sheet), ("school YAML (--into)", into)])
    with all_or_none(out, *([into] if into else [])):
        report = import_signups(sheet, school_id, out, into, parse_maps(maps), sheet_name)
    for problem in report.problems:
        errors.print(str(problem), markup=False, soft_wrap=True)
    for note in report.notes:
        console.print(note, markup=False, soft_wrap=True)
    warned = len(report.problems) - len(report.errors)
    console.print(f"{report.read} row(s) read, {len(report.kept)} kept, {report.refused} "
                  f"refused, {warned} warning(s); wrote {out}", markup=False, soft_wrap=True)
    if into is None:
        console.print("without --into, activities, grades and days were not checked against "
                      "the school", markup=False, soft_wrap=True)
    return EXIT_REFUSED if report.refused else 0


def parse_maps(maps: tuple[str, ...]) -> dict[str, str]:
    """`--map 学号=id --map 第一志愿=choice1` as {header: field}."""
    result = {}
    for item in maps:
        header, _, name = item.rpartition("=")
        if not header or not fields.valid_field(name.strip()):
            message = (f"--map {item!r}: expected HEADER=FIELD, FIELD one of "
                       f"{', '.join(fields.FIELDS)}, choice1.., mon..sun, ignore")
            raise InputError([Problem(Location("--map", 1), message)])
        result[header.strip()] = name.strip()
    return result


def clock_option(value: str) -> int:
    """A `HH:MM` command-line value in minutes; `ValueError` with a readable message."""
    return parse_clock(value)
