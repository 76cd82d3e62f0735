"""`afterschool solve` and `demo` end to end: files, exit codes, determinism."""

import json
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def timetable(folder: Path) -> tuple:
    data = json.loads((folder / "solution.json").read_text(encoding="utf-8"))
    return data["objective"], data["sections"], data["unserved"]


def test_deterministic_runs_give_the_same_timetable(tmp_path: Path):
    args = ("solve", str(EXAMPLES / "spec.yaml"), "--deterministic", "--time-limit", "3")
    assert run(*args, "-o", str(tmp_path / "a")).exit_code == 0
    assert run(*args, "-o", str(tmp_path / "b")).exit_code == 0
    assert timetable(tmp_path / "a") == timetable(tmp_path / "b")


def test_solve_writes_a_verified_solution_and_views(tmp_path: Path):
    result = run("solve", str(EXAMPLES / "spec.yaml"), "-o", str(tmp_path), "--time-limit", "3",
                 "--workers", "1")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "sections.csv").exists()
    assert (tmp_path / "report" / "index.html").exists()
    verified = run("verify", str(EXAMPLES / "spec.yaml"), str(tmp_path / "solution.json"))
    assert verified.exit_code == 0, verified.output


def test_solve_writes_only_the_views_asked_for_and_drops_stale_ones(tmp_path: Path):
    args = ("solve", str(EXAMPLES / "spec.yaml"), "-o", str(tmp_path), "--time-limit", "2",
            "--workers", "1")
    assert run(*args).exit_code == 0
    assert (tmp_path / "ics").is_dir() and (tmp_path / "xlsx").is_dir()
    result = run(*args, "--format", "csv,html")
    assert result.exit_code == 0, result.output
    # The calendars and workbooks of the first timetable would disagree with the second.
    assert not (tmp_path / "ics").exists() and not (tmp_path / "xlsx").exists()
    assert (tmp_path / "csv" / "sections.csv").exists()
    assert (tmp_path / "report" / "index.html").exists()
    assert run(*args, "--format", "pdf").exit_code == 2


def test_infeasible_input_exits_3_and_keeps_the_old_solution(tmp_path: Path):
    old = tmp_path / "solution.json"
    old.write_text("an earlier timetable", encoding="utf-8")
    text = (EXAMPLES / "spec.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    # Budget too small for any supervision: 1 yuan per student per year.
    broken.write_text(text.replace("budget_per_student_year: 1000", "budget_per_student_year: 1"),
                      encoding="utf-8")
    (tmp_path / "spec_students.csv").write_bytes((EXAMPLES / "spec_students.csv").read_bytes())
    result = run("solve", str(broken), "-o", str(tmp_path), "--time-limit", "5", "--workers", "1")
    assert result.exit_code == 3
    assert old.read_text(encoding="utf-8") == "an earlier timetable"


def test_bad_input_exits_2_with_a_position(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nterm: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output
    assert not (tmp_path / "out").exists()
