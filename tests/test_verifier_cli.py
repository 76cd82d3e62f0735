"""`afterschool verify FILE SOLUTION`: exit 0 when every rule holds, 1 on violations, 2 on bad
files; and the verifier stays independent of the solver."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from verifier_cases import SCHOOL, load_school, solution_for, valid_sections

from models.loader import load
from scheduler.cli import main
from scheduler.verifier import verify

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def write_case(tmp_path: Path, objective: float = 13.5) -> tuple[Path, Path]:
    school = tmp_path / "school.yaml"
    school.write_text(SCHOOL, encoding="utf-8")
    solution = solution_for(load_school(), valid_sections(), objective=objective)
    out = tmp_path / "solution.json"
    out.write_text(solution.model_dump_json(indent=2), encoding="utf-8")
    return school, out


def run(*args: object):
    return CliRunner().invoke(main, ["verify", *map(str, args)])


def test_valid_solution_exits_0(tmp_path):
    result = run(*write_case(tmp_path), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "all rules hold" in result.output
    assert "13.5" in result.output
    assert "objective (maximised)" in result.output


def test_verify_speaks_chinese_by_default(tmp_path):
    result = run(*write_case(tmp_path))
    assert result.exit_code == 0, result.output
    assert "所有规则均满足" in result.output
    assert "目标值（越大越好）" in result.output
    assert "每周报名人次" in result.output  # a KPI's name


def test_wrong_objective_exits_1_and_says_why(tmp_path):
    result = run(*write_case(tmp_path, objective=99))
    assert result.exit_code == 1
    assert "objective in file 99, recomputed 13.5" in result.output


def test_solution_for_another_input_exits_1(tmp_path):
    school, solution = write_case(tmp_path)
    school.write_text(SCHOOL.replace("enrolled: 10", "enrolled: 11"), encoding="utf-8")
    result = run(school, solution)
    assert result.exit_code == 1
    assert "solution is for another input" in result.output


def test_malformed_json_exits_2_with_line_and_column(tmp_path):
    school, solution = write_case(tmp_path)
    solution.write_text('{\n  "format": "afterschool-solution/1",\n  "status": ,\n}\n')
    result = run(school, solution)
    assert result.exit_code == 2
    assert f"{solution}:3:13: Expecting value" in result.output


def test_bad_solution_field_exits_2_with_its_path(tmp_path):
    school, solution = write_case(tmp_path)
    data = json.loads(solution.read_text())
    data["sections"][1]["start"] = "25:00"
    solution.write_text(json.dumps(data))
    result = run(school, solution)
    assert result.exit_code == 2
    assert f"{solution}: sections[1].start: Value error, expected a time" in result.output


def test_bad_input_file_exits_2(tmp_path):
    school, solution = write_case(tmp_path)
    school.write_text("version: 1\nversion: 1\n")
    result = run(school, solution)
    assert result.exit_code == 2
    assert f"{school}:2:1: duplicate key 'version'" in result.output


def test_verifier_never_imports_the_solver():
    code = (
        "import sys, scheduler.verifier, scheduler.verifier.files, scheduler.verifier.show\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'ortools'\n"
        "             or m.startswith('scheduler.solver') or m.endswith('.model')\n"
        "             or m in ('constraints.assemble', 'constraints.common.variables',\n"
        "                      'constraints.common.terms'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def test_spec_example_loads_and_an_empty_timetable_misses_every_student_day():
    loaded = load(EXAMPLES / "spec.yaml")
    # Nobody is placed: the 38 students with choices get none (-50 each = -1900), nobody
    # teaches (spread 0), and each of the 137 registered student-days has a gap.
    report = verify(loaded.district, solution_for(loaded, [], objective=-1900))
    assert {v.rule for v in report.violations} == {"H5"}
    assert sum("is not supervised" in v.message for v in report.violations) == 137
    assert report.kpis.students == 47 and report.kpis.student_days == 137
    assert report.kpis.covered_share == 0.0 and report.kpis.no_choice_share == 1.0
    assert report.objective == -1900
