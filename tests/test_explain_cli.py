"""`afterschool explain` and `afterschool solve` on infeasible inputs: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main

DATA = Path(__file__).parent / "data" / "infeasible"


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args))


def test_explain_prints_the_cause_and_exits_0() -> None:
    result = run("explain", str(DATA / "week_cap.yaml"), "--time-limit", "20")
    assert result.exit_code == 0, result.output
    assert "Cause 1: these rules cannot all hold" in result.output
    assert ("raise 王老师 (t-wang)'s max_class_hours_week from 1 to at least 2 "
            "[alone makes it feasible]") in result.output


def test_explain_json_is_the_explanation_file_format() -> None:
    result = run("explain", str(DATA / "provider_shared.yaml"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "afterschool-explanation/1"
    assert data["status"] == "INFEASIBLE" and data["minimal"] is True
    assert [e["key"] for e in data["causes"][0]][0] == "provider-instructors[p-care@tue-960]"


def test_explain_exits_1_on_a_feasible_input(tmp_path: Path) -> None:
    text = (DATA / "week_cap.yaml").read_text(encoding="utf-8")
    path = tmp_path / "ok.yaml"
    path.write_text(text.replace("max_class_hours_week: 1", "max_class_hours_week: 2"),
                    encoding="utf-8")
    result = run("explain", str(path))
    assert result.exit_code == 1, result.output
    assert "feasible" in result.output


def test_explain_exits_2_on_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nschools: []\n", encoding="utf-8")
    result = run("explain", str(path))
    assert result.exit_code == 2


def test_solve_on_an_infeasible_input_writes_the_explanation_and_exits_3(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("solve", str(DATA / "budget.yaml"), "-o", str(out), "--time-limit", "5")
    assert result.exit_code == 3, result.output
    assert not (out / "solution.json").exists()
    data = json.loads((out / "explanation.json").read_text(encoding="utf-8"))
    assert {e["key"] for e in data["causes"][0]} == {"budget[s1]", "coverage[s1/g0/tue]"}
    assert "budget short by at least 500 yuan" in result.output
