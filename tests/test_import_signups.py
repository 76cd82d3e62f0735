"""`afterschool import signups`: sign-up sheets checked against the school, bad rows reported."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from models.loader import load
from scheduler.cli import main
from scheduler.importers import fields

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCHOOL = "nanshan-1"  # examples/spec.yaml: grades 1-6, weekdays mon-fri, football for 3-6


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def school_yaml(tmp_path: Path) -> Path:
    """A copy of the spec example, whose students we may relink."""
    for name in ("spec.yaml", "spec_students.csv"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    return tmp_path / "spec.yaml"


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


CHINESE = """学号,姓名,年级,班级,星期,接送时间,志愿1,志愿2,家长电话
a01,张三,三年级,2班,周一、周三,17:30,足球,书法,13800000000
a02,李四,3,3-1,周二、周六,17:00,football,,
a03,王五,九年级,1班,周一,17:00,,,
a04,赵六,1,1,周一,25:00,,,
a05,钱七,4,1,周一,17:00,chess,,
a06,孙八,1,2班,周四,17点半,书法,,
"""


def test_chinese_gb18030_sheet_writes_good_rows_and_reports_bad_ones(school_yaml: Path,
                                                                     tmp_path: Path):
    sheet = tmp_path / "报名表.csv"
    sheet.write_bytes(CHINESE.encode("gb18030"))  # as Excel on Chinese Windows saves it
    out = tmp_path / "signups.csv"
    result = run("import", "signups", str(sheet), "--school", SCHOOL, "--into", str(school_yaml),
                 "-o", str(out))
    assert result.exit_code == 2  # rows were refused
    lines = result.output.splitlines()
    days = "mon, tue, wed, thu, fri"
    assert f"{sheet}:3: 星期: sat is not a school day (school days: {days})" in lines
    grades = "1, 2, 3, 4, 5, 6"
    assert f"{sheet}:4: 年级: grade 9 is not offered by {SCHOOL} (grades: {grades})" in lines
    assert f"{sheet}:5: 接送时间: bad time '25:00' (expected HH:MM like 17:30)" in lines
    assert any(line.startswith(f"{sheet}:6: 志愿1: unknown activity 'chess'") for line in lines)
    # Row 2 chose calligraphy (grades 1-2) in grade 3: refused, not silently dropped.
    assert f"{sheet}:2: 志愿2: activity calligraphy is not offered to grade 3" in lines
    assert "6 row(s) read, 1 kept, 5 refused" in result.output
    assert rows_of(out) == [{"id": "a06", "grade": "1", "class": "1-2", "days": "thu",
                             "pickup": "17:30", "choices": "calligraphy"}]
    assert "ignored columns: 家长电话" in result.output  # phone numbers never reach the output


def test_weekday_mark_columns_xlsx_with_time_cells_and_map(school_yaml: Path, tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "年级", "班级", "周一", "周二", "周三", "周四", "周五", "接送时间",
                  "第一志愿", "第二志愿"])
    sheet.append(["x1", "四年级", "四年级二班", "✓", "", "是", "", "1", dt.time(17, 30),
                  "Football", "机器人"])
    sheet.append(["x2", "G5", "5.1", "", "✔", "", "", "", 0.75, "", ""])
    sheet.append(["x3", "5", "1", "maybe", "", "", "", "", "", "", ""])
    path = tmp_path / "form.xlsx"
    book.save(path)
    out = tmp_path / "signups.csv"
    result = run("import", "signups", str(path), "--school", SCHOOL, "--into", str(school_yaml),
                 "-o", str(out), "--map", "编号=id")
    assert result.exit_code == 2
    assert (f"{path}:4: 周一: mark 'maybe' not understood (use ✓, 是 or 1; leave empty for no)"
            in result.output)
    assert rows_of(out) == [
        {"id": "x1", "grade": "4", "class": "4-2", "days": "mon;wed;fri", "pickup": "17:30",
         "choices": "football;robotics"},
        {"id": "x2", "grade": "5", "class": "5-1", "days": "tue", "pickup": "18:00",
         "choices": ""},
    ]


def test_names_only_get_stable_pseudonymous_ids_and_the_yaml_is_linked(school_yaml: Path,
                                                                        tmp_path: Path):
    sheet = tmp_path / "names.csv"
    sheet.write_text("姓名,年级,班级,days,pickup,choices\n"
                     "张三,3,1,mon;thu,18:00,robotics;football\n"
                     "李四,3,1,tue,16:50,\n", encoding="utf-8-sig")
    out = tmp_path / "students-new.csv"
    args = ["import", "signups", str(sheet), "--school", SCHOOL, "--into", str(school_yaml),
            "-o", str(out)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    first = rows_of(out)
    assert [r["id"][:2] for r in first] == ["s-", "s-"] and "张三" not in out.read_text("utf-8")
    assert "2 student(s) without an id got one derived" in result.output
    assert run(*args).exit_code == 0 and rows_of(out) == first  # stable across runs
    school = load(school_yaml).district.school(SCHOOL)  # now reads the new CSV
    assert [s.id for s in school.students] == [r["id"] for r in first]
    assert school.students[0].choices == ["robotics", "football"]


def test_pickup_after_the_service_is_a_warning_not_a_refusal(school_yaml: Path, tmp_path: Path):
    sheet = tmp_path / "late.csv"
    sheet.write_text("id,grade,days,pickup\nk1,1,mon,18:30\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("import", "signups", str(sheet), "--school", SCHOOL, "--into", str(school_yaml),
                 "-o", str(out))
    assert result.exit_code == 0
    # Grade 1 is dismissed 15:50; two 40-minute hours with a break end at 17:20.
    assert (f"{sheet}:2: pickup: warning: pick-up 18:30 on mon is later than the service "
            "covers (until 17:20)") in result.output
    assert rows_of(out)[0]["pickup"] == "18:30"


def test_missing_columns_is_bad_input_and_the_old_output_is_kept(tmp_path: Path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("学号,备注\n1,x\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    result = run("import", "signups", str(sheet), "--school", "s", "-o", str(out))
    assert result.exit_code == 2
    assert "no column for the grade (年级 / grade)" in result.output
    assert out.read_text(encoding="utf-8") == "old"


def test_unknown_school_in_into_is_bad_input(school_yaml: Path, tmp_path: Path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("id,grade,days\n1,3,mon\n", encoding="utf-8")
    result = run("import", "signups", str(sheet), "--school", "nope", "--into", str(school_yaml),
                 "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 2 and "no school 'nope'" in result.output


@pytest.mark.parametrize(("text", "grade"), [("3", 3), ("三年级", 3), ("Grade 5", 5),
                                             ("初一", 7), ("高三", 12), ("6年级", 6)])
def test_grades(text: str, grade: int):
    assert fields.parse_grade(text) == grade


@pytest.mark.parametrize(("text", "days"), [
    ("周一、周三", ["mon", "wed"]), ("mon;Thu", ["mon", "thu"]), ("星期二，星期五", ["tue", "fri"]),
    ("周一至周三", ["mon", "tue", "wed"]), ("Monday Friday", ["mon", "fri"]),
])
def test_days(text: str, days: list[str]):
    assert fields.parse_days(text) == days


@pytest.mark.parametrize(("text", "minutes"), [
    ("17:30", 1050), ("17：30", 1050), ("17点半", 1050), ("18点", 1080), ("下午5:10", 1030),
    ("16.45", 1005),
])
def test_times(text: str, minutes: int):
    assert fields.parse_time(text)[0] == minutes


def test_headers_and_classes():
    headers = ("学号", "第一志愿", "志愿3", "Choice 2", "周五", "备注")
    assert [fields.field_of(h) for h in headers] == [
        "id", "choice1", "choice3", "choice2", "fri", None]
    assert fields.parse_class("(2)班", 3) == "3-2"
    assert fields.parse_class("三年级二班", 3) == "3-2"
    assert fields.parse_class("Blue", 3) == "Blue"
