"""CSV: tidy tables for any spreadsheet or database.

`assignments.csv` has one row per student in a section (school, day, start, end, activity,
room, staff, student, ..., then the student's and the room's names, empty where the input
gives none), `sections.csv` one row per section, `unserved.csv` one row per
uncovered student-day, `expenditure.csv` one row per school and category, and where the
timetable has trips of visits, `trip_rollcall.csv` one row per child on a trip with an
empty column for the time they are back (SPEC §8.4). Files are UTF-8
with a BOM so Excel on Chinese Windows opens them correctly; headers are in the chosen
language, ids stay as in the input so rows can be joined back to it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from models.common import format_clock

from .cells import neutral
from .context import ViewData
from .district import tables as planner_tables
from .expenditure import expenditure, expenditure_rows
from .files import write_text

# Names come after the ids (and after the columns older exports had), so a sheet that
# reads columns by position keeps working.
ASSIGNMENT_COLUMNS = ("school", "day", "start", "end", "activity", "room", "staff", "student",
                      "grade", "class", "activity_name", "staff_name", "section",
                      "student_name", "room_name")
SECTION_COLUMNS = ("section", "school", "day", "start", "end", "activity", "activity_name",
                   "category", "room", "staff", "staff_name", "staff_kind", "size", "meetings",
                   "cost", "room_name")
UNSERVED_COLUMNS = ("school", "student", "day", "reason", "student_name")
TRIP_COLUMNS = ("date", "school", "activity", "venue", "leave_at", "back_at", "staff",
                "student", "grade", "class", "pickup", "returned", "section", "activity_name",
                "staff_name", "student_name")
WAITLIST_COLUMNS = ("school", "activity", "waitlist_place", "student", "lottery_number",
                    "activity_name", "student_name")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write rows as UTF-8 with BOM, atomically; no cell can run as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutral(cell) for cell in header])
    writer.writerows([neutral(cell) for cell in row] for row in rows)
    return write_text(path, buffer.getvalue(), encoding="utf-8-sig")


def assignment_rows(data: ViewData) -> Iterable[list[object]]:
    labels = data.labels
    for section in data.sections:
        common = [section.school, labels.day(section.day), format_clock(section.start),
                  format_clock(section.end), section.activity, section.room,
                  data.staff_ids(section)]
        names = [data.activity_label(section), data.staff_label(section), section.id]
        room = data.rooms[(section.school, section.room)].name
        for student_id in section.students:
            student = data.student(section.school, student_id)
            yield [*common, student_id, student.grade, student.class_ or "", *names,
                   student.name, room]


def section_rows(data: ViewData) -> Iterable[list[object]]:
    labels = data.labels
    for section in data.sections:
        activity = data.activity(section)
        yield [section.id, section.school, labels.day(section.day), format_clock(section.start),
               format_clock(section.end), section.activity, activity.label,
               labels.category(activity.category), section.room, data.staff_ids(section),
               data.staff_label(section), data.staff_kind(section), len(section.students),
               len(data.meeting_dates(section.day)), f"{data.section_cost(section):.2f}",
               data.rooms[(section.school, section.room)].name]


def trip_rows(data: ViewData) -> Iterable[list[object]]:
    """One row per child on a trip, by date; `returned` is left empty for the time back."""
    for trip in data.trips:
        common = [str(trip.date), trip.school, trip.activity, trip.room,
                  format_clock(trip.start), format_clock(trip.end), data.staff_ids(trip)]
        for student_id in trip.students:
            student = data.student(trip.school, student_id)
            yield [*common, student_id, student.grade, student.class_ or "",
                   data.pickup_label(student, trip.day), "", trip.id,
                   data.activity_label(trip), data.staff_label(trip), student.name]


def waitlist_rows(data: ViewData) -> Iterable[list[object]]:
    """Each waiting list in promotion order, with the lottery number that ordered ties."""
    numbers = {(lot.school, sid): n for lot in data.solution.lottery
               for sid, n in lot.numbers.items()}
    for waitlist in data.solution.waitlists:
        activity = data.activities.get((waitlist.school, waitlist.activity))
        for place, student in enumerate(waitlist.students, start=1):
            yield [waitlist.school, waitlist.activity, place, student,
                   numbers.get((waitlist.school, student), ""),
                   activity.label if activity else "", _name(data, waitlist.school, student)]


def write_tables(data: ViewData, out: Path) -> list[Path]:
    """Write the CSV files into `out` and return their paths."""
    labels = data.labels
    unserved = ((u.school, u.student, labels.day(u.day), u.reason, _name(data, u.school, u.student))
                for u in data.solution.unserved)
    money = (
        (report.school, label, f"{amount:.2f}", f"{share:.4f}")
        for report in (expenditure(data, s) for s in data.schools)
        for label, amount, share in expenditure_rows(data, report)
    )
    return [
        write_csv(out / "assignments.csv", [labels(c) for c in ASSIGNMENT_COLUMNS],
                  assignment_rows(data)),
        write_csv(out / "sections.csv", [labels(c) for c in SECTION_COLUMNS], section_rows(data)),
        write_csv(out / "unserved.csv", [labels(c) for c in UNSERVED_COLUMNS], unserved),
        write_csv(out / "waitlists.csv", [labels(c) for c in WAITLIST_COLUMNS],
                  waitlist_rows(data)),
        write_csv(out / "expenditure.csv",
                  [labels(c) for c in ("school", "item", "amount", "share")], money),
        *(write_csv(out / f"{name}.csv", [_column(data, c) for c in columns], rows)
          for name, columns, rows in planner_tables(data)),
        *([write_csv(out / "trip_rollcall.csv", [labels(c) for c in TRIP_COLUMNS],
                     trip_rows(data))] if data.trips else []),
    ]


def _column(data: ViewData, key: str) -> str:
    return data.labels.kpi(key.removeprefix("kpi_")) if key.startswith("kpi_") else \
        data.labels(key)


def _name(data: ViewData, school: str, student: str) -> str:
    """An unserved entry may name a student the input lacks: then no name."""
    found = data.students.get((school, student))
    return found.name if found else ""
