"""XLSX workbooks a school office can print: one workbook per school.

Sheets, in order: KPIs, expenditure, the school's grid, each grade, class, teacher,
provider and room grid (a section is one merged block), one "students" sheet listing each
child's week (a sheet per child would be thousands), and a roll-call sheet (点名表) per
section with a column per meeting date. Headers are frozen, columns sized for Chinese
text, pages set to landscape and one page wide.
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
from openpyxl.worksheet.worksheet import Worksheet

from models.solution import SectionOut

from .cells import neutral
from .context import ViewData
from .expenditure import budget_basis, expenditure, expenditure_rows
from .files import safe_name, write_with
from .grids import Grid, build_grid, cell_lines, school_subjects, student_subjects
from .stats import rank_counts

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
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
    "wrap": {"alignment": WRAP},
    "money": {"border": BOX, "number_format": "#,##0.00"},
    "percent": {"border": BOX, "number_format": "0.0%"},
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


def text_width(text: str) -> float:
    """Column width for text: CJK characters take two columns in Excel's units."""
    longest = max((line for line in str(text).split("\n")), key=len, default="")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in longest) + 2


def write_workbooks(data: ViewData, out: Path) -> list[Path]:
    """One workbook per school, written atomically."""
    paths = []
    for school_id in data.schools:
        book = SchoolBook(data, school_id).build()
        paths.append(write_with(out / f"{safe_name(school_id)}.xlsx", book.save))
    return paths


def rollcall_title(data: ViewData, section: SectionOut) -> str:
    start = f"{section.start // 60:02d}{section.start % 60:02d}"
    day = data.labels.day(section.day)
    return f"{data.labels('rollcall')} {data.activity_label(section)} {day}{start} {section.room}"


def _widths(sheet: Worksheet, widths: list[float], rest: tuple[int, float] | None = None) -> None:
    """Column widths, then optionally `rest = (count, width)` for that many more columns."""
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width, 6), 60)
    if rest and rest[0]:
        # One <col min max> entry for a run of equal columns, not one per column.
        first = len(widths) + 1
        sheet.column_dimensions[get_column_letter(first)] = ColumnDimension(
            sheet, min=first, max=first + rest[0] - 1, width=rest[1])


def _landscape(sheet: Worksheet, title_rows: str = "1:2") -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


class SchoolBook:
    """Builds one school's workbook, sheet by sheet."""

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

    def build(self) -> Workbook:
        data, labels = self.data, self.labels
        self.kpi_sheet(self.sheet(labels("kpis")))
        self.expenditure_sheet(self.sheet(labels("expenditure")))
        for subject in school_subjects(data, self.school_id):
            title = subject.title if subject.kind == "school" else \
                f"{labels(subject.kind)} {subject.title}"
            self.grid_sheet(build_grid(subject, data.weekdays), self.sheet(title))
        self.students_sheet(self.sheet(labels("students")))
        for section in data.sections_by_school[self.school_id]:
            self.rollcall_sheet(section, self.sheet(rollcall_title(data, section)))
        return self.book

    # --- helpers -------------------------------------------------------------------------

    def put(self, sheet: Worksheet, row: int, col: int, value: object, style: str = "") -> Cell:
        cell = sheet.cell(row, col, neutral(value))  # text never runs as a formula
        return self.style(cell, style) if style else cell

    def header(self, sheet: Worksheet, row: int, values: Sequence[object]) -> None:
        for col, value in enumerate(values, start=1):
            self.put(sheet, row, col, value, "head")

    def pairs(self, sheet: Worksheet, start_row: int, rows: Sequence[tuple[str, object]],
              percent: frozenset[str] = frozenset()) -> int:
        """Label and value rows; values of the labels in `percent` shown as percentages."""
        for i, (label, value) in enumerate(rows):
            self.put(sheet, start_row + i, 1, label, "box")
            self.put(sheet, start_row + i, 2, value, "percent" if label in percent else "box")
        return start_row + len(rows)

    # --- sheets --------------------------------------------------------------------------

    def kpi_sheet(self, sheet: Worksheet) -> None:
        """The solve's status and KPIs (district-wide), then this school's own figures."""
        labels, solution = self.labels, self.data.solution
        school = self.data.school_label(self.school_id)
        self.put(sheet, 1, 1, f"{labels('kpis')} — {school}", "title")
        self.header(sheet, 2, [labels("kpi"), labels("value")])
        rows: list[tuple[str, object]] = [
            (labels("term"), self.data.district.term.name), (labels("status"), solution.status),
            (labels("objective"), solution.objective), (labels("bound"), solution.bound),
            (labels("gap"), round(solution.gap, 6)),
            (labels("solve_seconds"), solution.solve_seconds),
        ]
        rows += [(labels.kpi(k), v) for k, v in solution.kpis.rows()]
        shares = frozenset({labels.kpi(k) for k, _ in solution.kpis.rows() if k.endswith("share")}
                           | {labels("gap"), labels("choice_first"), labels("choice_any")})
        row = self.pairs(sheet, 3, rows, shares) + 1
        self.header(sheet, row, [school, labels("value")])
        own = school_figures(self.data, self.school_id)
        self.pairs(sheet, row + 1, own, shares)
        _widths(sheet, [max(text_width(label) for label, _ in rows + own), 28])
        sheet.freeze_panes = "A3"

    def expenditure_sheet(self, sheet: Worksheet) -> None:
        """The term's spending by the policy's categories, against the term budget."""
        labels, data = self.labels, self.data
        report = expenditure(data, self.school_id)
        self.put(sheet, 1, 1, f"{labels('expenditure')} — {report.school_name}", "title")
        row = self.pairs(sheet, 2, budget_basis(data, report)) + 1
        self.header(sheet, row, [labels("item"), labels("amount"), labels("share")])
        for i, (label, amount, share) in enumerate(expenditure_rows(data, report), row + 1):
            self.put(sheet, i, 1, label, "box")
            self.put(sheet, i, 2, round(amount, 2), "money")
            self.put(sheet, i, 3, share, "percent")
            row = i
        self.put(sheet, row + 2, 1, labels("expenditure_note"), "wrap")
        sheet.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=3)
        sheet.row_dimensions[row + 2].height = 45
        _widths(sheet, [34, 18, 16])

    def grid_sheet(self, grid: Grid, sheet: Worksheet) -> None:
        """Weekday columns (one per lane), time rows, one merged block per section."""
        labels = self.labels
        self.put(sheet, 1, 1, grid.subject.title, "title")
        first_col = self.day_headers(sheet, grid)
        for row in range(grid.row_count):
            self.put(sheet, row + 3, 1, grid.row_label(row), "row_head")
            sheet.row_dimensions[row + 3].height = 62
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
        _landscape(sheet)

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

    def students_sheet(self, sheet: Worksheet) -> None:
        """Each child's week on one row: a column per weekday with times, activity and room."""
        labels, data, school_id = self.labels, self.data, self.school_id
        days = data.weekdays
        self.put(sheet, 1, 1, f"{labels('students')} — {data.school_label(school_id)}", "title")
        self.header(sheet, 2, [labels("student"), labels("grade"), labels("class")]
                    + [labels.day(d) for d in days])
        for row, subject in enumerate(student_subjects(data, school_id), start=3):
            student = data.student(school_id, subject.key)
            self.put(sheet, row, 1, student.id)
            self.put(sheet, row, 2, student.grade)
            self.put(sheet, row, 3, student.class_ or "")
            for col, day in enumerate(days, start=4):
                lines = [f"{data.time_label(s)} {data.activity_label(s)} ({s.room})"
                         for s in subject.sections if s.day == day]
                if day in student.days:
                    lines.append(f"{labels('pickup')} {data.pickup_label(student, day)}")
                if lines:
                    self.put(sheet, row, col, "\n".join(lines), "wrap")
        _widths(sheet, [12, 7, 9], (len(days), 30))
        sheet.freeze_panes = "D3"
        _landscape(sheet)

    def rollcall_sheet(self, section: SectionOut, sheet: Worksheet) -> None:
        """点名表: the section's students (class, pick-up time), a column per meeting date.

        The date columns are left empty for ticks; printed grid lines draw their boxes, so
        thousands of empty bordered cells need not be written.
        """
        labels, data = self.labels, self.data
        dates = data.meeting_dates(section.day)
        self.put(sheet, 1, 1, f"{data.activity_label(section)}  {labels.day(section.day)} "
                              f"{data.time_label(section)}  {labels('room')}: {section.room}  "
                              f"{labels('staff')}: {data.staff_label(section)}", "title")
        self.header(sheet, 2, [labels("no"), labels("student"), labels("grade"), labels("class"),
                               labels("pickup")] + [f"{d.month}/{d.day}" for d in dates])
        students = sorted((data.student(section.school, s) for s in section.students),
                          key=lambda s: (s.grade, s.class_ or "", s.id))
        for row, student in enumerate(students, start=3):
            values = [row - 2, student.id, student.grade, student.class_ or "",
                      data.pickup_label(student, section.day)]
            for col, value in enumerate(values, start=1):
                self.put(sheet, row, col, value, "box")
        _widths(sheet, [6, 12, 7, 9, 12], (len(dates), 6))
        sheet.freeze_panes = "F3"
        sheet.print_options.gridLines = True
        _landscape(sheet)


def school_figures(data: ViewData, school_id: str) -> list[tuple[str, object]]:
    """One school's own counts, cost and choice shares."""
    school = data.schools[school_id]
    report = expenditure(data, school_id)
    counts, total = rank_counts(data, school)
    labels = data.labels
    figures: list[tuple[str, object]] = [
        (labels.kpi("students"), len(school.students)),
        (labels.kpi("sections"), len(data.sections_by_school[school_id])),
        (labels.kpi("cost"), round(report.total, 2)),
        (labels.kpi("budget"), round(report.budget, 2)),
    ]
    if total:
        figures.append((labels("choice_first"), round(counts[1] / total, 4)))
        figures.append((labels("choice_any"), round(1 - counts[None] / total, 4)))
    return figures
