"""Read a sign-up sheet (.xlsx, or .csv in UTF-8, UTF-8 with BOM or GB18030) as text rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from models.loader import decode
from models.problems import InputError, Location, Problem


@dataclass
class Sheet:
    """A header and the rows under it, each with its row number in the file (header = row 1)."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_sheet(path: Path, sheet_name: str | None = None) -> Sheet:
    """Read the first table of a spreadsheet or CSV file; every cell as stripped text."""
    if not path.is_file():
        raise InputError([Problem(Location(str(path), 1), "no such file")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grid = _xlsx_grid(path, sheet_name)
    else:
        grid = _csv_grid(path)
    return _table(str(path), grid)


def _csv_grid(path: Path) -> list[list[str]]:
    try:
        text = decode(path.read_bytes(), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        problem = Problem(Location(str(path), 1), f"cannot read the file: {exc}")
        raise InputError([problem]) from None
    first = text.split("\n", 1)[0]
    # Forms exported on European or Chinese systems may separate by ; or tab.
    delimiter = max(",;\t", key=first.count) if first else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_grid(path: Path, sheet_name: str | None) -> list[list[str]]:
    import openpyxl  # imported here: only needed for spreadsheets

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problem = Problem(Location(str(path), 1), f"not a readable .xlsx file: {exc}")
        raise InputError([problem]) from None
    if sheet_name is not None and sheet_name not in book.sheetnames:
        message = f"no sheet {sheet_name!r} (sheets: {', '.join(book.sheetnames)})"
        raise InputError([Problem(Location(str(path), 1), message)])
    sheet = book[sheet_name] if sheet_name else book.worksheets[0]
    grid = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return grid


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: times as HH:MM, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M") if value.date() <= dt.date(1900, 1, 1) else value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float) and 0 < value < 1:
        minutes = round(value * 24 * 60)  # Excel stores a time of day as a fraction of a day
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value).strip()


def _table(name: str, grid: list[list[str]]) -> Sheet:
    """The first non-empty row is the header; blank rows below it are skipped."""
    numbered = [(n, [c.strip() for c in row]) for n, row in enumerate(grid, start=1)]
    filled = [(n, row) for n, row in numbered if any(row)]
    if not filled:
        raise InputError([Problem(Location(name, 1), "the sheet is empty; expected a header row")])
    (_, header), rows = filled[0], filled[1:]
    width = len(header)
    rows = [(n, (row + [""] * width)[:width]) for n, row in rows]
    return Sheet(name, header, rows)
