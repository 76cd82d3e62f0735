"""`afterschool promote` (issue 13 part 4): a freed seat goes to the first student on the
waiting list who can take it, and every other student keeps exactly their sections."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import yaml
from click.testing import CliRunner
from micro import solve_verified
from test_lottery import one_seat

from models.loader import load
from models.solution import Solution
from scheduler.allocation import with_allocation
from scheduler.allocation.promote import moved_others, promote
from scheduler.cli import main
from scheduler.verifier import verify


def solved(tmp_path: Path, count: int = 5, seats: int = 2) -> tuple[Path, Path, Solution]:
    data = one_seat(5, count)
    data["schools"][0]["activities"][1]["max_size"] = seats
    data["language"] = "en"
    file = tmp_path / "school.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load(file)
    result = solve_verified(loaded, time_limit=5)
    assert result.solution is not None
    solution = with_allocation(loaded, result.solution)
    path = tmp_path / "solution.json"
    path.write_text(solution.model_dump_json(indent=1), encoding="utf-8")
    return file, path, solution


def sections_of(solution: Solution) -> dict[str, set[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for section in solution.sections:
        for student in section.students:
            table[student].add(section.id)
    return table


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_first_on_the_waiting_list_takes_the_seat_and_nobody_else_moves(tmp_path):
    file, path, before = solved(tmp_path)
    football = next(s for s in before.sections if s.activity == "football")
    leaving = football.students[0]
    first = before.waitlists[0].students[0]
    result = run("promote", str(file), str(path), "--withdraw", leaving, "-o",
                 str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    after = Solution.model_validate_json((tmp_path / "out" / "solution.json").read_text())
    assert verify(load(file).district, after).ok
    now = next(s for s in after.sections if s.activity == "football")
    assert leaving not in now.students and first in now.students
    old, new = sections_of(before), sections_of(after)
    for student in old.keys() - {leaving, first}:
        assert new[student] == old[student], student
    # the re-solve's own definition of a move (constraints/changes/diff.py) agrees
    outcome = promote(load(file).district, before, [leaving])
    assert moved_others(load(file).district, outcome, before) == []
    assert {p.student for p in outcome.promoted} == {first}
    assert [w.activity for w in after.withdrawn] == ["football"]
    assert leaving not in after.waitlists[0].students and first not in after.waitlists[0].students
    text = (tmp_path / "out" / "promoted.txt").read_text(encoding="utf-8")
    assert f"{first} promoted to Tue 16:00–16:40 足球 (field): choice 1, place 1" in text
    assert f"{leaving} left 足球" in text


def test_chinese_list_and_a_second_round_keeps_the_withdrawn_off_the_list(tmp_path):
    file, path, before = solved(tmp_path, count=4, seats=1)
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["language"] = "zh"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = before.model_copy(update={"instance_sha256": load(file).sha256})
    path.write_text(before.model_dump_json(), encoding="utf-8")
    winner = next(s for s in before.sections if s.activity == "football").students[0]
    out = tmp_path / "one"
    assert run("promote", str(file), str(path), "--withdraw", f"{winner}:football",
               "-o", str(out)).exit_code == 0
    text = (out / "promoted.txt").read_text(encoding="utf-8")
    assert "递补 周二 16:00–16:40 足球（field）：第1志愿，候补第1位" in text
    again = Solution.model_validate_json((out / "solution.json").read_text())
    second = next(s for s in again.sections if s.activity == "football").students[0]
    twice = run("promote", str(file), str(out / "solution.json"), "--withdraw", second,
                "-o", str(tmp_path / "two"))
    assert twice.exit_code == 0
    last = Solution.model_validate_json((tmp_path / "two" / "solution.json").read_text())
    taker = next(s for s in last.sections if s.activity == "football").students[0]
    assert taker not in (winner, second)


def test_unknown_student_and_another_files_solution_exit_2(tmp_path):
    file, path, _ = solved(tmp_path, count=3, seats=1)
    unknown = CliRunner().invoke(main, ["promote", str(file), str(path), "--withdraw", "s99",
                                        "-o", str(tmp_path / "out")])
    assert unknown.exit_code == 2 and "s99: no such student in the file" in unknown.output
    other = tmp_path / "other.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["schools"][0]["enrolled"] = 101
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    wrong = CliRunner().invoke(main, ["promote", str(other), str(path), "--withdraw", "s0",
                                      "-o", str(tmp_path / "out")])
    assert wrong.exit_code == 2 and "made for another input" in wrong.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert json.loads(path.read_text())["format"] == "afterschool-solution/1"
