"""Rosters in CSV files: encodings Excel saves, and problems at `file:row: column`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from models.loader import load
from models.problems import InputError

YAML = """\
version: 1
term: {name: T, start: 2027-03-01, end: 2027-07-09}
schools:
  - id: s1
    enrolled: 100
    grades: {3: {dismissal: "16:20"}}
    rooms: [{id: r1, type: classroom, capacity: 40}]
    teachers: {teachers}
    activities:
      - {id: study, name: 作业辅导, category: homework, grades: [3], max_size: 40,
         room_type: classroom, skill: homework, fallback: true}
      - {id: calligraphy, name: 书法, category: arts, grades: [3], max_size: 20,
         room_type: classroom, skill: calligraphy}
    students: {students}
"""

TEACHERS = [{"id": "t1", "skills": ["homework", "calligraphy"]}]
HEADER = "id,grade,class,days,pickup,choices\n"


def write(tmp: Path, students: str, encoding: str = "utf-8", teachers: str | None = None) -> Path:
    """A school file with students (and optionally teachers) in CSV files next to it."""
    (tmp / "students.csv").write_bytes(students.encode(encoding))
    teacher_ref = "[{id: t1, skills: [homework, calligraphy]}]"
    if teachers is not None:
        (tmp / "teachers.csv").write_text(teachers, encoding="utf-8")
        teacher_ref = "teachers.csv"
    text = YAML.replace("{teachers}", teacher_ref).replace("{students}", "students.csv")
    (tmp / "school.yaml").write_text(text, encoding="utf-8")
    return tmp / "school.yaml"


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_excel_encodings_read_the_same(tmp_path: Path, encoding: str):
    rows = HEADER + "张三01,3,三年级1班,mon;tue,tue=17:00;mon=17:10,书法;作业辅导\n"
    school = load(write(tmp_path, rows, encoding)).district.schools[0]
    student = school.students[0]
    assert (student.id, student.class_, student.days) == ("张三01", "三年级1班", ["mon", "tue"])
    assert student.pickup_on("mon") == 17 * 60 + 10 and student.pickup_on("tue") == 17 * 60
    assert [school.activity(c).id for c in student.choices] == ["calligraphy", "study"]


def test_gb18030_really_differs_from_utf8(tmp_path: Path):
    # Guard for the test above: the file on disk is not valid UTF-8.
    write(tmp_path, HEADER + "s1,3,3-1,mon,,书法\n", "gb18030")
    with pytest.raises(UnicodeDecodeError):
        (tmp_path / "students.csv").read_bytes().decode("utf-8")


def test_empty_cells_take_defaults_and_full_width_separators_split(tmp_path: Path):
    rows = HEADER + "s1,3,,mon；TUE,,书法、study\n"
    student = load(write(tmp_path, rows)).district.schools[0].students[0]
    assert student.class_ is None and student.pickup is None
    assert student.days == ["mon", "tue"] and student.choices == ["书法", "study"]


def test_bad_cell_is_reported_as_file_row_column(tmp_path: Path):
    rows = HEADER + "s1,3,3-1,mon,17:00,\ns2,3,3-1,mon,25:00,\ns3,three,3-1,mon,,\n"
    csv = tmp_path / "students.csv"
    assert problems(write(tmp_path, rows)) == [
        f"{csv}:3: pickup: default: expected a time like \"15:30\" (HH:MM, 00:00-23:59), "
        "got '25:00'",
        f"{csv}:4: grade: Input should be a valid integer, unable to parse string as an "
        "integer (got 'three')",
    ]


def test_per_day_pickup_error_names_the_day(tmp_path: Path):
    rows = HEADER + "s1,3,3-1,mon;tue,mon=17:00;tue=7:5,\n"
    assert problems(write(tmp_path, rows)) == [
        f"{tmp_path / 'students.csv'}:2: pickup: tue: expected a time like \"15:30\" "
        "(HH:MM, 00:00-23:59), got '7:5'"
    ]


def test_empty_required_cell(tmp_path: Path):
    rows = HEADER + "s1,,3-1,mon,,\n"
    assert problems(write(tmp_path, rows)) == [
        f"{tmp_path / 'students.csv'}:2: grade: required, but the cell is empty or missing"
    ]


def test_unknown_column_is_reported_once_on_the_header(tmp_path: Path):
    rows = "id,grade,days,choises\ns1,3,mon,书法\ns2,3,mon,书法\n"
    assert problems(write(tmp_path, rows)) == [
        f"{tmp_path / 'students.csv'}:1: choises: unknown column; did you mean 'choices'?"
    ]


def test_cross_reference_in_a_csv_row(tmp_path: Path):
    rows = HEADER + "s1,3,3-1,mon,,书法\ns2,3,3-1,mon;sat,,chess\n"
    csv = tmp_path / "students.csv"
    assert problems(write(tmp_path, rows)) == [
        f"{csv}:3: days: student s2: sat is not one of the term's weekdays "
        "(mon, tue, wed, thu, fri)",
        f"{csv}:3: choices: student s2 chose unknown activity 'chess'",
    ]


def test_row_numbers_follow_quoted_multiline_cells(tmp_path: Path):
    rows = HEADER + 's1,3,"3-1\nsecond line",mon,,\ns2,3,3-1,mon,,chess\n'
    assert problems(write(tmp_path, rows)) == [
        f"{tmp_path / 'students.csv'}:4: choices: student s2 chose unknown activity 'chess'"
    ]


def test_more_cells_than_columns(tmp_path: Path):
    rows = HEADER + "s1,3,3-1,mon,,书法,extra\n"
    assert problems(write(tmp_path, rows)) == [
        f"{tmp_path / 'students.csv'}:2: more cells than the header has columns"
    ]


def test_empty_csv_file(tmp_path: Path):
    assert problems(write(tmp_path, "")) == [
        f"{tmp_path / 'students.csv'}:1: the CSV file is empty; expected a header row"
    ]


def test_missing_csv_file_points_at_the_reference(tmp_path: Path):
    path = write(tmp_path, HEADER)
    (tmp_path / "students.csv").unlink()
    assert problems(path) == [
        f"{path}:14:15: roster file 'students.csv' not found (paths are relative to the YAML file)"
    ]


def test_teachers_csv_with_busy_times(tmp_path: Path):
    teachers = (
        "id,name,skills,max_class_hours_week,busy,affiliations,pay_per_class_hour\n"
        "t1,王老师,homework;calligraphy,3,mon=08:00-16:20|17:00-17:30;tue=08:00-12:00,,80\n"
    )
    teacher = load(write(tmp_path, HEADER, teachers=teachers)).district.schools[0].teachers[0]
    assert teacher.busy == {"mon": [(480, 980), (1020, 1050)], "tue": [(480, 720)]}
    assert (teacher.max_class_hours_week, teacher.pay_per_class_hour) == (3, 80)


def test_teachers_csv_bad_window(tmp_path: Path):
    teachers = "id,skills,busy\nt1,homework;calligraphy,mon=16:20-08:00\n"
    assert problems(write(tmp_path, HEADER, teachers=teachers)) == [
        f"{tmp_path / 'teachers.csv'}:2: busy: mon: window '16:20-08:00' ends before it starts"
    ]


def test_30k_students_load_quickly(tmp_path: Path):
    # 150,000 students (a district of 100 schools) load in about 3-6 s; 30,000 keeps this quick.
    lines = [HEADER] + [f"s{i},3,3-{i % 9},mon;tue;thu,17:00,书法\n" for i in range(30_000)]
    path = write(tmp_path, "".join(lines))
    started = time.perf_counter()
    school = load(path).district.schools[0]
    seconds = time.perf_counter() - started
    assert len(school.students) == 30_000
    assert seconds < 10  # about 0.6 s on a 2-core machine; generous for a busy CI
