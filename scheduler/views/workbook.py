"""XLSX workbooks a school office can print: two workbooks per school.

`<school>.xlsx`: KPIs, expenditure, the school's grid, each grade, class, teacher, provider
and room grid (a section is one merged block; a grid too wide to read is split by day with
a line per room), and one "students" sheet listing each child's week (a sheet per child
would be thousands). `rollcall/<school>.xlsx`: an index, then a roll-call sheet (点名表)
per section with a column per meeting date (a school has hundreds of sections: in the
first workbook they buried everything else), where a child away on a trip that date reads
"away on a visit"; then one sheet per trip of a visit (SPEC §8.4) with a column for the
time each child is back.

Every sheet prints on A4, one page wide, header rows repeated, landscape where wide; rows
are as tall as their wrapped text, so no cell loses its last line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from models.common import format_clock
from models.district import Student
from models.solution import SectionOut

from .cells import neutral
from .context import ViewData
from .expenditure import budget_basis, expenditure, expenditure_rows
from .files import safe_name, write_with
from .grids import DaySplit, Grid, cell_lines, layout, school_subjects, student_subjects
from .sheets import fit_row_heights, print_setup, text_width
from .stats import Headline, headline

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")  # numbers beside wrapped labels line up with their first line
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
CELL_FILLS = [PatternFill("solid", fgColor=c) for c in
              ("FCE4D6", "E2EFDA", "DDEBF7", "FFF2CC", "EDE2F6", "D9F2F2")]
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
STYLES: dict[str, dict[str, Any]] = {
    "head": {"font": BOLD, "fill": HEAD_FILL, "border": BOX, "alignment": CENTER},
    "day_head": {"font": BOLD, "fill": HEAD_FILL, "border": BOX,
                 "alignment": Alignment(horizontal="centerContinuous", vertical="center")},
    "row_head": {"font": BOLD, "border": BOX, "alignment": CENTER},
    "title": {"font": TITLE},
    "box": {"border": BOX},
    "box_wrap": {"border": BOX, "alignment": WRAP},
    "centred": {"border": BOX, "alignment": Alignment(horizontal="center", vertical="top")},
    "wrap": {"alignment": WRAP},
    "money": {"border": BOX, "number_format": "#,##0.00", "alignment": TOP},
    "score": {"border": BOX, "number_format": "#,##0.0", "alignment": TOP},
    "percent": {"border": BOX, "number_format": "0.0%", "alignment": TOP},
    "seconds": {"border": BOX, "number_format": "0.0", "alignment": TOP},
    "count": {"border": BOX, "number_format": "#,##0", "alignment": TOP},
    "link": {"border": BOX, "font": Font(color="0563C1", underline="single")},
    **{f"section{i}": {"alignment": WRAP, "border": BOX, "fill": fill}
       for i, fill in enumerate(CELL_FILLS)},
}


class Stylist:
    """Applies the named STYLES fast, one instance per workbook.

    openpyxl hashes every style object on each assignment, which made styling most of the
    export time; so a style is set the public way on its first cell, and later cells get a
    copy of that cell's style array (the copy idiom openpyxl itself uses).
    """

    def __init__(self) -> None:
        self._arrays: dict[str, Any] = {}

    def __call__(self, cell: Cell, name: str) -> Cell:
        array = self._arrays.get(name)
        if array is None:
            for attribute, value in STYLES[name].items():
                setattr(cell, attribute, value)
            self._arrays[name] = copy(cell._style)
        else:
            cell._style = copy(array)
        return cell


class SheetNames:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique ignoring case."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = _BAD_SHEET_CHARS.sub("_", wanted).strip("'") or "sheet"
        name, n = base[:31], 1
        while name.lower() in self._used:
            n += 1
            suffix = f"~{n}"
            name = base[: 31 - len(suffix)] + suffix
        self._used.add(name.lower())
        return name


def write_workbooks(data: ViewData, out: Path) -> list[Path]:
    """Per school its workbook and its roll-call workbook, each written atomically. The
    roll calls sit in a folder of their own, so no school id can name another's file."""
    paths = []
    for school_id in data.schools:
        name = f"{safe_name(school_id)}.xlsx"
        paths.append(write_with(out / name, SchoolBook(data, school_id).build().save))
        paths.append(write_with(out / "rollcall" / name,
                                RollcallBook(data, school_id).build().save))
    return paths


def rollcall_title(data: ViewData, section: SectionOut) -> str:
    """A roll-call sheet's name: weekday and start first, so the tabs read in week order."""
    start = f"{section.start // 60:02d}{section.start % 60:02d}"
    day = data.labels.day(section.day)
    return f"{day}{start} {data.activity_label(section)} {data.section_room(section)}"


def _widths(sheet: Worksheet, widths: list[float], rest: tuple[int, float] | None = None) -> None:
    """Column widths, then optionally `rest = (count, width)` for that many more columns."""
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width, 6), 60)
    if rest and rest[0]:
        # One <col min max> entry for a run of equal columns, not one per column.
        first = len(widths) + 1
        sheet.column_dimensions[get_column_letter(first)] = ColumnDimension(
            sheet, min=first, max=first + rest[0] - 1, width=rest[1])


class Book:
    """A workbook being built: unique sheet names, fast styles, safe cells."""

    def __init__(self, data: ViewData, school_id: str):
        self.data = data
        self.labels = data.labels
        self.school_id = school_id
        self.book = Workbook()
        self.names = SheetNames()
        self.style = Stylist()
        self._first_sheet: Worksheet | None = self.book.active  # type: ignore[assignment]

    def sheet(self, wanted: str) -> Worksheet:
        """A new sheet with a valid, unique name (the workbook's empty first sheet is reused)."""
        first, self._first_sheet = self._first_sheet, None
        if first is not None:
            first.title = self.names(wanted)
            return first
        # Titled at creation: openpyxl scans every title on each rename, and a school has
        # hundreds of sheets.
        sheet = self.book.create_sheet(title=self.names(wanted))
        assert isinstance(sheet, Worksheet)
        return sheet

    def put(self, sheet: Worksheet, row: int, col: int, value: object, style: str = "") -> Cell:
        cell = sheet.cell(row, col, neutral(value))  # text never runs as a formula
        return self.style(cell, style) if style else cell

    def header(self, sheet: Worksheet, row: int, values: Sequence[object]) -> None:
        for col, value in enumerate(values, start=1):
            self.put(sheet, row, col, value, "head")

    def student_columns(self) -> list[str]:
        """`姓名, 学号` where the school's roster has names, else the id alone as `学生`."""
        if self.data.has_names(self.school_id):
            return [self.labels("name"), self.labels("student_no")]
        return [self.labels("student")]

    def student_cells(self, student_id: str) -> list[str]:
        if self.data.has_names(self.school_id):
            return [self.data.student(self.school_id, student_id).name, student_id]
        return [student_id]

    def name_widths(self, student_ids: list[str]) -> list[float]:
        ids = max((text_width(s) for s in student_ids), default=8)
        if not self.data.has_names(self.school_id):
            return [max(ids, 10)]
        names = max((text_width(self.data.student(self.school_id, s).name)
                     for s in student_ids), default=8)
        return [min(max(names, 8), 30), min(max(ids, 10), 30)]


class SchoolBook(Book):
    """Builds one school's workbook, sheet by sheet."""

    def build(self) -> Workbook:
        data, labels = self.data, self.labels
        self.kpi_sheet(self.sheet(labels("kpis")))
        self.expenditure_sheet(self.sheet(labels("expenditure")))
        for subject in school_subjects(data, self.school_id):
            title = subject.title if subject.kind == "school" else \
                f"{labels(subject.kind)} {subject.title}"
            grid = layout(subject, data.weekdays)
            sheet = self.sheet(title)
            self.put(sheet, 1, 1, title, "title")
            if isinstance(grid, DaySplit):
                self.day_split_sheet(grid, sheet)
            else:
                self.grid_sheet(grid, sheet)
        self.students_sheet(self.sheet(labels("students")))
        return self.book

    def pairs(self, sheet: Worksheet, start_row: int, rows: Sequence[Headline]) -> int:
        """Label and value rows, each value styled by its kind."""
        for i, row in enumerate(rows):
            self.put(sheet, start_row + i, 1, row.label, "box_wrap")
            style = "box_wrap" if row.kind == "text" else row.kind
            self.put(sheet, start_row + i, 2, row.value, style)
        return start_row + len(rows)

    # --- sheets --------------------------------------------------------------------------

    def kpi_sheet(self, sheet: Worksheet) -> None:
        """The solve in a school's terms (district-wide), its KPIs, then this school's own."""
        labels, data = self.labels, self.data
        school = data.school_label(self.school_id)
        self.put(sheet, 1, 1, f"{labels('kpis')} — {school}", "title")
        self.header(sheet, 2, [labels("kpi"), labels("value")])
        rows = [Headline(labels("term"), data.district.term.name), *headline(data)]
        rows += [Headline(labels.kpi(k), v, _kpi_kind(k)) for k, v in data.solution.kpis.rows()]
        row = self.pairs(sheet, 3, rows)
        self.put(sheet, row, 1, labels("score_note"), "wrap")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        row += 2
        self.header(sheet, row, [school, labels("value")])
        own = school_figures(data, self.school_id)
        self.pairs(sheet, row + 1, own)
        label_width = max(text_width(r.label) for r in rows + own)
        _widths(sheet, [min(label_width, 44), 36])
        sheet.freeze_panes = "A3"
        print_setup(sheet, landscape=False, title_rows="1:2")
        fit_row_heights(sheet)

    def expenditure_sheet(self, sheet: Worksheet) -> None:
        """The term's spending by the policy's categories, against the term budget."""
        labels, data = self.labels, self.data
        report = expenditure(data, self.school_id)
        self.put(sheet, 1, 1, f"{labels('expenditure')} — {report.school_name}", "title")
        basis = budget_basis(data, report)
        row = 2
        for label, value in basis:
            self.put(sheet, row, 1, label, "box_wrap")
            self.put(sheet, row, 2, value, "box_wrap")
            row += 1
        self.header(sheet, row + 1, [labels("item"), labels("amount"), labels("share")])
        money = expenditure_rows(data, report)
        for i, (label, amount, share) in enumerate(money, row + 2):
            self.put(sheet, i, 1, label, "box_wrap")
            self.put(sheet, i, 2, round(amount, 2), "money")
            self.put(sheet, i, 3, share, "percent")
            row = i
        self.put(sheet, row + 2, 1, labels("expenditure_note"), "wrap")
        sheet.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=3)
        # The widest label sets the first column (English labels are long), values the rest.
        first = max(text_width(t) for t in [*(b[0] for b in basis), *(m[0] for m in money)])
        second = max([18.0, *(text_width(b[1]) for b in basis)])
        _widths(sheet, [min(first, 44), min(second, 40), 16])
        print_setup(sheet, landscape=False)
        fit_row_heights(sheet)

    def grid_sheet(self, grid: Grid, sheet: Worksheet) -> None:
        """Weekday columns (one per lane), time rows, one merged block per section."""
        labels = self.labels
        first_col = self.day_headers(sheet, grid)
        for row in range(grid.row_count):
            self.put(sheet, row + 3, 1, grid.row_label(row), "row_head")
        activities = sorted({p.section.activity for p in grid.placements})
        for place in grid.placements:
            col, top = first_col[place.day] + place.lane, place.row + 3
            text = "\n".join(cell_lines(self.data, place.section, grid.subject.kind))
            colour = activities.index(place.section.activity) % len(CELL_FILLS)
            self.put(sheet, top, col, text, f"section{colour}")
            if place.rows > 1:
                sheet.merge_cells(start_row=top, start_column=col,
                                  end_row=top + place.rows - 1, end_column=col)
        _widths(sheet, [text_width(labels("time")) + 10], (sum(grid.lanes.values()), 20))
        sheet.freeze_panes = "B3"
        print_setup(sheet, landscape=True, title_rows="1:2")
        fit_row_heights(sheet)

    def day_headers(self, sheet: Worksheet, grid: Grid) -> dict[str, int]:
        """Row 2: each weekday centred over its lanes; returns each day's first column."""
        self.put(sheet, 2, 1, self.labels("time"), "head")
        first_col, col = {}, 2
        for day in grid.days:
            first_col[day], width = col, grid.lanes[day]
            # "Centre across selection" instead of merging: same look, and openpyxl's
            # merge formatting was slow on a school's 40-lane days.
            for lane in range(width):
                self.put(sheet, 2, col + lane, self.labels.day(day) if lane == 0 else None,
                         "day_head")
            col += width
        return first_col

    def day_split_sheet(self, split: DaySplit, sheet: Worksheet) -> None:
        """A wide grid by day: a line per room in use, the week's time cuts as columns; each
        day starts a printed page, and the header row repeats on every page."""
        labels, data = self.labels, self.data
        school = split.subject.school or self.school_id
        self.header(sheet, 2, [labels("day"), labels("room")]
                    + [split.column_label(c) for c in range(split.column_count)])
        activities = sorted({b.section.activity for t in split.tables for b in t.blocks})
        row, room_width = 3, 8.0
        for table in split.tables:
            if row > 3:
                sheet.row_breaks.append(Break(id=row - 1))
            for line, room in enumerate(table.rooms):
                title = data.room_title(school, room)
                room_width = max(room_width, text_width(title))
                self.put(sheet, row + line, 1, labels.day(table.day), "row_head")
                self.put(sheet, row + line, 2, title, "row_head")
            for block in table.blocks:
                col = 3 + block.column
                text = "\n".join(cell_lines(data, block.section, split.subject.kind, True))
                colour = activities.index(block.section.activity) % len(CELL_FILLS)
                self.put(sheet, row + block.line, col, text, f"section{colour}")
                if block.span > 1:
                    sheet.merge_cells(start_row=row + block.line, start_column=col,
                                      end_row=row + block.line, end_column=col + block.span - 1)
            row += len(table.rooms)
        _widths(sheet, [8, min(room_width, 24)], (split.column_count, 18))
        sheet.freeze_panes = "C3"
        print_setup(sheet, landscape=True, title_rows="1:2")
        fit_row_heights(sheet)

    def students_sheet(self, sheet: Worksheet) -> None:
        """Each child's week on one row: a column per weekday with times, activity and room."""
        labels, data, school_id = self.labels, self.data, self.school_id
        days = data.weekdays
        self.put(sheet, 1, 1, f"{labels('students')} — {data.school_label(school_id)}", "title")
        who = self.student_columns()
        self.header(sheet, 2, [*who, labels("grade"), labels("class")]
                    + [labels.day(d) for d in days])
        first_day = len(who) + 3
        subjects = student_subjects(data, school_id)
        for row, subject in enumerate(subjects, start=3):
            student = data.student(school_id, subject.key)
            values = [*self.student_cells(student.id), student.grade, student.class_ or ""]
            for col, value in enumerate(values, start=1):
                self.put(sheet, row, col, value, "centred" if col > len(who) else "box_wrap")
            for col, day in enumerate(days, start=first_day):
                lines = [f"{data.time_label(s)} {data.activity_label(s)} "
                         f"({data.section_room(s)})" for s in subject.sections if s.day == day]
                if day in student.days:
                    lines.append(f"{labels('pickup')} {data.pickup_label(student, day)}")
                self.put(sheet, row, col, "\n".join(lines) or None, "box_wrap")
        _widths(sheet, [*self.name_widths([s.key for s in subjects]), 7, 9], (len(days), 34))
        sheet.freeze_panes = sheet.cell(3, first_day).coordinate
        print_setup(sheet, landscape=True, title_rows="1:2")
        fit_row_heights(sheet)


class RollcallBook(Book):
    """A school's roll calls (点名表): an index sheet linking to one sheet per section."""

    def build(self) -> Workbook:
        index = self.sheet(self.labels("index"))
        sections = self.data.sections_by_school[self.school_id]
        names = [self.rollcall_sheet(section, self.sheet(rollcall_title(self.data, section)))
                 for section in sections]
        trips = [t for t in self.data.trips if t.school == self.school_id]
        names += [self.trip_sheet(trip, self.sheet(trip_title(self.data, trip)))
                  for trip in trips]
        self.index_sheet(index, list(zip([*sections, *trips], names, strict=True)))
        return self.book

    def index_sheet(self, sheet: Worksheet, entries: list[tuple[SectionOut, str]]) -> None:
        """One row per section; the activity links to its roll-call sheet."""
        labels, data = self.labels, self.data
        self.put(sheet, 1, 1, f"{labels('rollcall')} — {data.school_label(self.school_id)}",
                 "title")
        self.header(sheet, 2, [labels(k) for k in
                               ("day", "time", "activity", "room", "staff", "size")])
        for row, (section, name) in enumerate(entries, start=3):
            values = [day_or_date(data, section), data.time_label(section),
                      data.activity_label(section), data.section_room(section),
                      data.staff_label(section), len(section.students)]
            for col, value in enumerate(values, start=1):
                self.put(sheet, row, col, value, "link" if col == 3 else "box_wrap")
            quoted = name.replace("'", "''")
            sheet.cell(row, 3).hyperlink = Hyperlink(ref="", location=f"'{quoted}'!A1")
        widths = [max([text_width(labels(k)), *(text_width(v) for v in column)])
                  for k, column in (
                      ("day", [day_or_date(data, s) for s, _ in entries]),
                      ("time", [data.time_label(s) for s, _ in entries]),
                      ("activity", [data.activity_label(s) for s, _ in entries]),
                      ("room", [data.section_room(s) for s, _ in entries]),
                      ("staff", [data.staff_label(s) for s, _ in entries]),
                      ("size", []))]
        _widths(sheet, [min(w, 30) for w in widths])
        sheet.freeze_panes = "A3"
        print_setup(sheet, landscape=False, title_rows="1:2")
        fit_row_heights(sheet)

    def rollcall_sheet(self, section: SectionOut, sheet: Worksheet) -> str:
        """点名表: the section's students (class, pick-up time), a column per meeting date.

        The date columns are left empty for ticks; printed grid lines draw their boxes, so
        thousands of empty bordered cells need not be written.
        """
        labels, data = self.labels, self.data
        dates = data.meeting_dates(section.day)
        self.put(sheet, 1, 1, f"{data.activity_label(section)}  {labels.day(section.day)} "
                              f"{data.time_label(section)}  {labels('room')}: "
                              f"{data.section_room(section)}  "
                              f"{labels('staff')}: {data.staff_label(section)}", "title")
        who = self.student_columns()
        self.header(sheet, 2, [labels("no"), *who, labels("grade"), labels("class"),
                               labels("pickup")] + [f"{d.month}/{d.day}" for d in dates])
        first_date = len(who) + 5  # after number, names, grade, class and pick-up
        for row, student in enumerate(self.roster_rows(sheet, section), start=3):
            away = data.away_dates(section.school, "student", student.id)
            for k, date in enumerate(dates):  # the group goes on without a child on a trip
                if date in away:
                    self.put(sheet, row, first_date + k, labels("away_on_trip"), "centred")
        fixed = [6, *self.name_widths(list(section.students)), 7, 9, 12]
        _widths(sheet, fixed, (len(dates), 6))
        sheet.freeze_panes = sheet.cell(3, len(fixed) + 1).coordinate
        sheet.print_options.gridLines = True
        print_setup(sheet, landscape=sum(fixed) + 6 * len(dates) > PORTRAIT_WIDTH,
                    title_rows="1:2")
        return sheet.title

    def roster_rows(self, sheet: Worksheet, section: SectionOut) -> list[Student]:
        """The children of a section or trip from row 3, by grade and class: number, name
        columns, grade, class and pick-up that weekday, each row tall enough to tick."""
        data, names = self.data, len(self.student_columns())
        students = sorted((data.student(section.school, s) for s in section.students),
                          key=lambda s: (s.grade, s.class_ or "", s.id))
        for row, student in enumerate(students, start=3):
            values = [row - 2, *self.student_cells(student.id), student.grade,
                      student.class_ or "", data.pickup_label(student, section.day)]
            for col, value in enumerate(values, start=1):
                self.put(sheet, row, col, value, "box" if 1 < col <= names + 1 else "centred")
            sheet.row_dimensions[row].height = TICK_ROW  # room to tick by hand
        return students

    def trip_sheet(self, trip: SectionOut, sheet: Worksheet) -> str:
        """A trip's roll call: its children (class, pick-up), a column for leaving and one
        for the time each is back at school."""
        labels, data = self.labels, self.data
        self.put(sheet, 1, 1, f"{data.activity_label(trip)}  {trip.date}  "
                              f"{data.time_label(trip)}  {labels('venue')}: "
                              f"{data.section_room(trip)}  "
                              f"{labels('staff')}: {data.staff_label(trip)}", "title")
        who = self.student_columns()
        self.header(sheet, 2, [labels("no"), *who, labels("grade"), labels("class"),
                               labels("pickup"), labels("leave_at"),
                               f"{labels('returned')} ({format_clock(trip.end)})"])
        self.roster_rows(sheet, trip)
        _widths(sheet, [6, *self.name_widths(list(trip.students)), 7, 9, 12, 10, 18])
        sheet.freeze_panes = "A3"
        sheet.print_options.gridLines = True
        print_setup(sheet, landscape=False, title_rows="1:2")
        return sheet.title


def trip_title(data: ViewData, trip: SectionOut) -> str:
    """A trip's roll-call sheet: its date first, so the tabs read in date order."""
    return f"{trip.date} {data.activity_label(trip)}"


def day_or_date(data: ViewData, section: SectionOut) -> str:
    return str(section.date) if section.date is not None else data.labels.day(section.day)


def _kpi_kind(key: str) -> str:
    if key.endswith("share"):
        return "percent"
    return "money" if key in ("cost", "budget") else "count"


PORTRAIT_WIDTH = 90  # column units that fit an A4 portrait page at a readable scale
TICK_ROW = 20.0  # points: a roll-call row tall enough to tick on paper


def school_figures(data: ViewData, school_id: str) -> list[Headline]:
    """One school's own counts, cost and choice shares, in its terms."""
    school = data.schools[school_id]
    report = expenditure(data, school_id)
    labels = data.labels
    return [
        Headline(labels.kpi("students"), len(school.students), "count"),
        Headline(labels.kpi("sections"), len(data.sections_by_school[school_id]), "count"),
        Headline(labels.kpi("cost"), round(report.total, 2), "money"),
        Headline(labels.kpi("budget"), round(report.budget, 2), "money"),
        *headline(data, [school_id])[1:],  # its status is the district's, said above
    ]
