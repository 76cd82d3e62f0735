"""`afterschool check` end to end: summary and warnings, exit codes, nothing written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from test_validation import BASE

from scheduler.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def copy_example(tmp: Path) -> Path:
    for name in ("spec.yaml", "spec_students.csv"):
        shutil.copy(EXAMPLES / name, tmp / name)
    return tmp / "spec.yaml"


def test_check_prints_the_summary_and_warnings(tmp_path: Path):
    path = tmp_path / "school.yaml"
    path.write_text(BASE.replace('pickup: "17:00"', 'pickup: "18:00"'), encoding="utf-8")
    result = run(str(path), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{path}: term T, service 2027-03-01 to 2027-07-09 on mon tue wed thu fri; "
        "1 school, 1 provider (1 vetted)",
        "  s1: grades 1,3, 2 students (1 with choices), 1 teacher, 2 rooms, 2 activities",
        "    3 registered student-days a week; enrolled 100; term budget 50,000 yuan",
        "total: 2 students, 3 registered student-days, term budget 50,000 yuan",
        f"{path}:31:54: warning: pick-up later than the service covers: student a1 on mon: "
        "pick-up 18:00, but the service ends 17:20",
        f"{path}:31:54: warning: pick-up later than the service covers: student a1 on tue: "
        "pick-up 18:00, but the service ends 17:20",
        "2 warnings",
    ]


def test_check_speaks_the_files_language_chinese_by_default(tmp_path: Path):
    path = tmp_path / "school.yaml"
    path.write_text(BASE.replace('pickup: "17:00"', 'pickup: "18:00"'), encoding="utf-8")
    lines = run(str(path)).stdout.splitlines()
    assert lines[:4] == [
        f"{path}：学期 T，服务日 2027-03-01 至 2027-07-09（周一 周二 周三 周四 周五）；1 所学校，"
        "1 家机构（1 家已审核）",
        "  s1：1,3 年级，2 名学生（1 名有志愿），1 名教师，2 个场地，2 项活动",
        "    每周报名 3 人次；在校生 100 人；学期预算 50,000 元",
        "合计：2 名学生，每周报名 3 人次，学期预算 50,000 元",
    ]
    assert lines[-1] == "2 条警告"
    english = path.read_text(encoding="utf-8").replace("version: 1", "version: 1\nlanguage: en")
    path.write_text(english, encoding="utf-8")
    assert run(str(path)).stdout.splitlines()[-1] == "2 warnings"
    assert run(str(path), "--lang", "zh").stdout.splitlines()[-1] == "2 条警告"


def test_the_spec_example_passes_check(tmp_path: Path):
    result = run(str(copy_example(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "2 所学校，1 家机构（1 家已审核）" in result.stdout
    assert "合计：47 名学生" in result.stdout
    assert "预检查" not in result.stdout  # nothing proves it infeasible


def test_bad_input_exits_2_with_positions_and_writes_nothing(tmp_path: Path):
    path = copy_example(tmp_path)
    text = path.read_text(encoding="utf-8").replace("capacity: 60", "capcity: 60")
    path.write_text(text.replace("category: sports", "category: lesson"), encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run(str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    # Cross-references are checked once every value is valid: the lesson comes next run.
    assert lines[-1] == "2 problem(s) found; nothing was written."
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line) for line in lines[:-1])
    assert "unknown key 'capcity'; did you mean 'capacity'?" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_check_on_a_folder_or_a_missing_file(tmp_path: Path):
    folder = run(str(tmp_path))
    assert folder.exit_code == 2
    assert folder.stderr.startswith(f"{tmp_path}:1:1: is a folder, not a file")
    missing = run(str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    assert missing.stderr.startswith(f"{tmp_path / 'nope.yaml'}:1:1: no such file")


def test_csv_error_line_format(tmp_path: Path):
    path = copy_example(tmp_path)
    csv = tmp_path / "spec_students.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("s0003,1,", "s0003,x,"), "utf-8")
    result = run(str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{csv}:4: grade: Input should be a valid integer, unable to parse string as an "
        "integer (got 'x')"
    )
