"""Formula injection (issue 11 §5): text that a spreadsheet would run as a formula is written
with a leading `'` in every CSV file and every XLSX sheet; numbers stay numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from verifier_cases import SCHOOL, load_school, solution_for, valid_sections

from scheduler.views import export_all
from scheduler.views.cells import neutral

HOSTILE = {
    "name: 王老师": 'name: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"',
    "name: 足球": "name: \"=cmd|' /C calc'!A0\"",
    "name: 南山小学": 'name: "+SUM(1+1)"',
    "name: 李老师": 'name: "@SUM(1)"',
    "name: 赵老师": 'name: "\\t=1+1"',
    "name: 国际象棋": 'name: "-2+3"',
    "enrolled: 10": "enrolled: 1",  # budget 500 < cost 980: a negative balance
    "{id: a1, grade: 3": '{id: a1, name: "=HYPERLINK(\\"http://x.example\\")", grade: 3',
    "{id: lab, type: lab": '{id: lab, name: "=1+2", type: lab',
}
STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = SCHOOL
    for old, new in HOSTILE.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    loaded = load_school(text)
    solution = solution_for(loaded, valid_sections())
    out = tmp_path_factory.mktemp("views")
    export_all(loaded, solution, out, formats={"csv", "xlsx"}, lang="en")
    return out


def csv_cells(out: Path) -> list[str]:
    cells = []
    for path in sorted((out / "csv").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    return cells


def books(out: Path) -> list:
    """The school's workbook and its roll-call workbook."""
    paths = sorted((out / "xlsx").rglob("*.xlsx"))
    assert [p.relative_to(out).as_posix() for p in paths] == ["xlsx/rollcall/s1.xlsx",
                                                              "xlsx/s1.xlsx"]
    return [load_workbook(p) for p in paths]


def xlsx_cells(out: Path) -> list[object]:
    return [
        cell.value
        for book in books(out)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_no_csv_cell_starts_like_a_formula(exported: Path):
    cells = csv_cells(exported)
    dangerous = [c for c in cells if c.startswith(STARTS) and not is_number(c)]
    assert dangerous == []
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'@SUM(1)" in cells and "'\t=1+1" in cells and "'-2+3" in cells


def test_negative_amounts_in_csv_stay_numbers(exported: Path):
    with (exported / "csv" / "expenditure.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    amounts = [row[2] for row in rows[1:]]
    assert "-480.00" in amounts  # the balance: plain text of a number, not neutralised


def test_no_xlsx_cell_is_a_formula_or_starts_like_one(exported: Path):
    formulas = [
        (sheet.title, cell.coordinate)
        for book in books(exported)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    texts = [v for v in xlsx_cells(exported) if isinstance(v, str)]
    assert [t for t in texts if t.startswith(STARTS)] == []
    assert any(t.startswith("'=HYPERLINK(") for t in texts)
    assert any(t.startswith("'=cmd|") for t in texts)  # the grid and roll-call cells
    assert "'+SUM(1+1)" in texts  # the school's name as its grid's title
    assert "'=HYPERLINK(\"http://x.example\")" in texts  # a student's name, in the roll call
    assert any(t.startswith("'=1+2") for t in texts)  # a room's name, in cells and titles


def test_negative_amounts_in_xlsx_stay_numbers(exported: Path):
    values = xlsx_cells(exported)
    assert -480 in [round(v) for v in values if isinstance(v, int | float)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-480.00", "-480.00"),
        ("+3", "+3"),
        (-480.0, -480.0),
        (3, 3),
        ("3-1", "3-1"),
        ("", ""),
        (None, None),
    ],
)
def test_neutral(value: object, expected: object):
    assert neutral(value) == expected


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
