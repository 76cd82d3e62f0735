"""Values that used to be read with a silently wrong meaning (issue 11 §4): now an error or a
warning at their position."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_loader_csv import HEADER, write
from test_validation import at, edit
from verifier_cases import SCHOOL, load_school, solution_for, valid_sections

from models.loader import load, load_text
from models.problems import InputError
from scheduler.cli import main


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


def yaml_errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(text, "x.yaml")
    return [str(p) for p in info.value.problems]


def warnings_of(text: str) -> list[str]:
    return [str(w) for w in load_text(text, "x.yaml").warnings]


# --- rosters as Excel leaves them ----------------------------------------------------------


def test_a_csv_mixing_utf8_and_gb18030_rows_is_refused(tmp_path: Path):
    path = write(tmp_path, HEADER + "张三,3,,mon,,\n")
    csv = tmp_path / "students.csv"
    csv.write_bytes(csv.read_bytes() + "李四,3,,tue,,\n".encode("gb18030"))
    found = problems(path)
    assert found == [
        f"{csv}:3: this line is in GB18030 but line 2 is in UTF-8; save the whole "
        "file in one encoding (UTF-8)"
    ]


def test_a_gb18030_file_alone_is_still_read(tmp_path: Path):
    path = write(tmp_path, HEADER + "张三,3,,mon,,\n李四,3,,tue,,\n", "gb18030")
    students = load(path).district.schools[0].students
    assert [s.id for s in students] == ["张三", "李四"]


@pytest.mark.parametrize(
    "cell", ["2027/3/1", "2027-03-01 00:00:00", "1-Mar", "Mar-01", "3月1日", "2027-03-01"]
)
def test_a_class_excel_turned_into_a_date_is_refused(tmp_path: Path, cell: str):
    path = write(tmp_path, HEADER + "s1,3,3-1,mon,,\n" + f"s2,3,{cell},mon,,\n")
    found = problems(path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{tmp_path / 'students.csv'}:3: class: ")
    assert "looks like a date" in found[0] and "Excel" in found[0]


def test_ordinary_classes_are_fine(tmp_path: Path):
    rows = "".join(f"s{i},3,{c},mon,,\n" for i, c in enumerate(["3-1", "3班", "三年级1班", "3.1"]))
    assert len(load(write(tmp_path, HEADER + rows)).district.schools[0].students) == 4


def test_a_room_class_that_is_a_date_is_refused():
    changed = edit(
        "type: classroom, capacity: 40}", 'type: classroom, capacity: 40, class: "2027/3/1"}'
    )
    found = yaml_errors(changed)
    assert len(found) == 1 and found[0].startswith(at(changed, '"2027/3/1"')), found


def test_an_id_excel_turned_into_scientific_notation_is_refused(tmp_path: Path):
    path = write(tmp_path, HEADER + "s1,3,,mon,,\n1.23457E+16,3,,mon,,\n")
    found = problems(path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{tmp_path / 'students.csv'}:3: id: ")
    assert "Excel shortened" in found[0]


def test_a_long_number_id_ending_in_zeros_is_a_warning(tmp_path: Path):
    path = write(tmp_path, HEADER + "12345678901234500,3,,mon,,\n")
    warnings = [str(w) for w in load(path).warnings]
    assert any(
        w.startswith(f"{tmp_path / 'students.csv'}:2: id: warning: ") and "15 digits" in w
        for w in warnings
    ), warnings


def test_a_bom_in_the_middle_of_a_roster_is_dropped(tmp_path: Path):
    path = write(tmp_path, HEADER + "s1,3,,mon,,\n")
    csv = tmp_path / "students.csv"
    csv.write_bytes(csv.read_bytes() + "\ufeffs2,3,,tue,,\n".encode())
    students = load(path).district.schools[0].students
    assert [s.id for s in students] == ["s1", "s2"]


@pytest.mark.parametrize("cell", ["", "   "])
def test_an_empty_or_blank_id_cell_is_refused(tmp_path: Path, cell: str):
    path = write(tmp_path, HEADER + f"{cell},3,,mon,,\n")
    assert problems(path) == [
        f"{tmp_path / 'students.csv'}:2: id: required, but the cell is empty or missing"
    ]


# --- the term and the school file ----------------------------------------------------------


def test_a_makeup_day_on_a_service_weekday_is_refused():
    # 2027-04-27 is a Tuesday: it would run both Tuesday's and Monday's timetables.
    changed = edit("  weekdays:", "  makeup_days: {2027-04-27: mon}\n  weekdays:")
    found = yaml_errors(changed)
    assert len(found) == 1, found
    assert found[0].startswith(at(changed, "2027-04-27") + ": make-up day 2027-04-27 is a tue")
    assert "both" in found[0]


def test_a_makeup_day_that_is_also_a_holiday_is_fine():
    changed = edit(
        "  weekdays:", "  holidays: [2027-04-27]\n  makeup_days: {2027-04-27: mon}\n  weekdays:"
    )
    term = load_text(changed, "x.yaml").district.term
    date = term.holidays[0]
    assert date in term.meeting_dates("mon") and date not in term.meeting_dates("tue")


def test_a_weekend_makeup_day_is_fine():
    changed = edit("  weekdays:", "  makeup_days: {2027-04-25: mon}\n  weekdays:")
    assert not [w for w in warnings_of(changed) if "make-up" in w]


def test_a_makeup_day_outside_the_term_is_a_warning():
    changed = edit("  weekdays:", "  makeup_days: {2027-09-05: mon}\n  weekdays:")
    warnings = warnings_of(changed)
    assert any(
        w.startswith(
            at(changed, "2027-09-05") + ": warning: make-up day 2027-09-05 is outside the term"
        )
        for w in warnings
    ), warnings


def test_a_holiday_outside_the_term_is_a_warning():
    changed = edit("  weekdays:", "  holidays: [2027-05-01, 2026-10-01]\n  weekdays:")
    warnings = warnings_of(changed)
    assert any(
        w.startswith(
            at(changed, "2026-10-01") + ": warning: holiday 2026-10-01 is outside the term"
        )
        for w in warnings
    ), warnings
    assert not any("2027-05-01" in w for w in warnings)


def test_a_grade_written_twice_as_number_and_text_is_a_duplicate():
    changed = edit(
        '      3: {dismissal: "16:20"}',
        '      3: {dismissal: "16:20"}\n      "3": {dismissal: "16:50"}',
    )
    where = at(changed, '"3":')
    assert yaml_errors(changed) == [f"{where}: duplicate key '3'"]


@pytest.mark.parametrize("second", ['"03"', "3.0", "+3"])
def test_a_grade_written_twice_in_other_number_forms_is_a_duplicate(second: str):
    changed = edit(
        '      3: {dismissal: "16:20"}',
        f'      3: {{dismissal: "16:20"}}\n      {second}: {{dismissal: "16:50"}}',
    )
    found = yaml_errors(changed)
    assert len(found) == 1 and found[0].startswith(at(changed, f"{second}:") + ": duplicate key")


def test_a_pickup_before_dismissal_is_a_warning():
    changed = edit('pickup: "17:00"', 'pickup: "15:00"')
    warnings = warnings_of(changed)
    where = at(changed, '"15:00"')
    expected = (
        f"{where}: warning: pick-up at or before dismissal: student "
        "a1 on mon: pick-up 15:00, dismissal 15:50"
    )
    assert any(w.startswith(expected) for w in warnings), warnings


# --- verify and non-finite numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("objective", "NaN"), ("bound", "Infinity"), ("solve_seconds", "-Infinity")],
)
def test_verify_refuses_a_non_finite_number(tmp_path: Path, field: str, value: str):
    school = tmp_path / "school.yaml"
    school.write_text(SCHOOL, encoding="utf-8")
    data = json.loads(solution_for(load_school(), valid_sections()).model_dump_json())
    text = json.dumps(data).replace(f'"{field}": {json.dumps(data[field])}', f'"{field}": {value}')
    solution = tmp_path / "solution.json"
    solution.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(school), str(solution)])
    assert result.exit_code == 2, result.output
    assert f"{solution}: {field}: " in result.output and "finite" in result.output


def test_verify_refuses_a_non_finite_kpi(tmp_path: Path):
    school = tmp_path / "school.yaml"
    school.write_text(SCHOOL, encoding="utf-8")
    data = json.loads(solution_for(load_school(), valid_sections()).model_dump_json())
    data["kpis"]["x"] = 1.0
    text = json.dumps(data).replace('"x": 1.0', '"x": NaN')
    solution = tmp_path / "solution.json"
    solution.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(school), str(solution)])
    assert result.exit_code == 2, result.output
    assert "kpis" in result.output
