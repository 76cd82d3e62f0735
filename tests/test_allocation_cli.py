"""The allocation options end to end: `solve` prints and reports the together pairs and
assignments, `explain` names an impossible assignment, a bad `previous:` exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from micro import STUDY, district, students

from scheduler.cli import main

CHESS = {"id": "chess", "name": "国际象棋", "category": "club", "grades": [1], "max_size": 1,
         "room_type": "classroom", "skill": "chess"}
STAFF = [{"id": "t1", "skills": ["homework", "chess"], "max_class_hours_week": 10},
         {"id": "t2", "skills": ["homework"], "max_class_hours_week": 10}]
ROOMS = [{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in (1, 2)]


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(tmp: Path, data: dict) -> Path:
    path = tmp / "school.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def siblings_and_a_team(lang: str) -> dict:
    kids = students(2, days="tue;wed", choices="chess", prefix="a")
    for kid in kids:
        kid["together"] = "陈家"
    team = students(1, days="thu", prefix="c")
    team[0].update(assigned="chess", assigned_reason="校队")
    data = district(activities=[STUDY, CHESS], teachers=STAFF, rooms=ROOMS,
                    students=kids + team)
    data["language"] = lang
    return data


def test_solve_prints_and_reports_the_pairs_and_the_assignment(tmp_path: Path):
    path = write(tmp_path, siblings_and_a_team("en"))
    result = run("solve", str(path), "-o", str(tmp_path / "out"), "--time-limit", "5",
                 "--workers", "1", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "together: 0 pairs kept, 1 split, 0 share no activity" in result.output
    assert "陈家: a0 and a1 split in 国际象棋 (other times: Tue 16:00 / Wed 16:00)" in \
        result.output or "陈家: a0 and a1 split in 国际象棋 (other times: Wed 16:00 / Tue 16:00)" \
        in result.output
    solution = json.loads((tmp_path / "out" / "solution.json").read_text(encoding="utf-8"))
    assert solution["together"][0]["split"][0]["why"] == "other-time"
    assert solution["unmatched"] == []
    report = (tmp_path / "out" / "report" / "index.html").read_text(encoding="utf-8")
    assert "split in 国际象棋" in report
    assert "c0: 国际象棋 — 校队" in report


def test_explain_names_an_impossible_assignment_with_its_line(tmp_path: Path):
    data = siblings_and_a_team("zh")
    data["schools"][0]["students"][2]["days"] = "tue"
    data["schools"][0]["students"][2]["pickup"] = "16:30"  # chess ends 16:40: never in time
    path = write(tmp_path, data)
    result = run("explain", str(path), "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    elements = [e for cause in found["causes"] for e in cause if e["rule"] == "assigned"]
    assert [e["text"] for e in elements] == ["学生 c0 被指定参加国际象棋 (chess)（校队）"]
    line = next(i for i, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                if "assigned: chess" in text)
    assert elements[0]["where"] == f"{path}:{line}"


def test_a_bad_previous_file_exits_2(tmp_path: Path):
    data = siblings_and_a_team("en")
    data["previous"] = "nowhere.json"
    result = run("check", str(write(tmp_path, data)))
    assert result.exit_code == 2
    assert "previous solution file 'nowhere.json' not found" in result.output


def test_check_says_which_allocation_options_a_school_uses(tmp_path: Path):
    result = run("check", str(write(tmp_path, siblings_and_a_team("en"))), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert ("allocation: 1 together labels (2 students), 1 assigned, 0 with priority; "
            "fairness weighted") in result.output
