"""Minimal-change re-solve (SPEC §8.3): every solve verified, with its base."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from constraints.changes.diff import diff, staff_key
from models.instance import BaseTimetable
from models.loader import Loaded, load
from models.scenario import load_scenario
from models.solution import Solution
from scheduler.cli import main
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import Result, solve_district
from scheduler.verifier import verify

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BASE = EXAMPLES / "district.yaml"
SETTINGS = SolveSettings(time_limit=10, workers=2)
# t2 (supervised study and Kuiyong's only football teacher) leaves, a substitute for the
# supervised study arrives: keeping every time or every student's sessions stays possible
# except where nobody can lead any more (football on t2's days).
SUBSTITUTE = ("  - remove: {school: kuiyong, teacher: t2}\n"
              "  - add: {school: kuiyong, teacher: {id: t9, skills: [homework]}}\n")


def solved(loaded: Loaded, base: BaseTimetable | None = None,
           settings: SolveSettings = SETTINGS) -> Result:
    result = solve_district(loaded.district, settings, base=base)
    assert result.solution is not None, result.status
    report = verify(loaded.district, result.solution, base.solution if base else None)
    assert report.ok, [str(v) for v in report.violations]
    assert abs(report.objective - result.solution.objective) < 1e-6
    assert result.solution.bound >= result.solution.objective - 1e-6
    return result


@pytest.fixture(scope="module")
def base() -> Solution:
    # The same base on every run. Cut short by the clock it differed run to run (scores
    # 1,394 to 1,527 measured), and once in four CI runs a re-solve from one of them
    # moved a student, which a move that gains more than it costs may rightly do; from
    # a fixed base the re-solves are the same problem every time.
    solution = solved(load(BASE), settings=SETTINGS.model_copy(
        update={"deterministic": True})).solution
    assert solution is not None
    return solution


def patched(tmp_path: Path, changes: str) -> Loaded:
    path = tmp_path / "s.yaml"
    path.write_text(f"base: {BASE}\nchanges:\n{changes}", encoding="utf-8")
    return load_scenario(path)[1]


def rosters(loaded: Loaded) -> dict[str, set[str]]:
    return {s.id: {st.id for st in s.students} for s in loaded.district.schools}


def _shape(solution: Solution) -> list[tuple]:
    return sorted((s.id, staff_key(s), tuple(sorted(s.students))) for s in solution.sections)


def test_unchanged_input_gives_the_base(base: Solution) -> None:
    loaded = load(BASE)
    again = solved(loaded, BaseTimetable(base)).solution
    assert again is not None
    assert _shape(again) == _shape(base)
    assert again.objective_terms["change_section"] == 0
    assert again.objective_terms["change_student"] == 0


def test_a_teacher_leaving_changes_only_their_sections(base: Solution, tmp_path: Path) -> None:
    """A supervised-study teacher leaves (t4-t8 at kuiyong lead only that): colleagues can
    take over at the same times, so nothing else needs to change."""
    load = Counter(staff_key(s) for s in base.sections if s.school == "kuiyong")
    teacher = max((f"t{i}" for i in range(4, 9)), key=lambda t: (load[(f"t:{t}",)], t))
    loaded = patched(tmp_path, f"  - remove: {{school: kuiyong, teacher: {teacher}}}\n")
    new = solved(loaded, BaseTimetable(base)).solution
    assert new is not None
    theirs = [s for s in base.sections if s.school == "kuiyong"
              and staff_key(s) == (f"t:{teacher}",)]
    assert theirs
    found = diff(base.sections, new.sections, rosters(loaded))
    for change in found.sections:
        assert change.kind == "opened" or change.before in theirs, change
    assert found.section_changes() <= len(theirs)
    in_theirs = {st for s in theirs for st in s.students}
    assert all(move.student in in_theirs for move in found.students), found.students


def test_a_student_leaving_or_joining_moves_nobody_else(base: Solution, tmp_path: Path) -> None:
    first = next(s for s in base.sections if s.school == "nanao" and s.students)
    leaving = first.students[0]
    loaded = patched(tmp_path, f"  - remove: {{school: nanao, student: {leaving}}}\n"
                     "  - add_signups: {school: baguang, grade: 2, count: 1}\n")
    new = solved(loaded, BaseTimetable(base)).solution
    assert new is not None
    found = diff(base.sections, new.sections, rosters(loaded))
    assert found.students == []
    joined = [s for s in loaded.district.school("baguang").students if "+" in s.id]
    assert len(joined) == 1
    assert any(joined[0].id in s.students for s in new.sections)


def test_a_student_joining_still_starts_from_the_whole_base(base: Solution,
                                                            tmp_path: Path) -> None:
    # The new child has no seat in the base: with every seat held the start broke a rule
    # and the re-solve searched from a partial hint (under load it then moved others).
    loaded = patched(tmp_path, "  - add_signups: {school: baguang, grade: 2, count: 1}\n")
    result = solved(loaded, BaseTimetable(base))
    assert result.stats["start_timetable"] == 1
    assert result.solution is not None
    assert diff(base.sections, result.solution.sections, rosters(loaded)).students == []


def test_keep_time_pins_every_kept_sections_time(base: Solution, tmp_path: Path) -> None:
    loaded = patched(tmp_path, SUBSTITUTE)
    new = solved(loaded, BaseTimetable(base, frozenset({"time"}))).solution
    assert new is not None
    def slots(solution: Solution) -> set[tuple]:
        return {(s.school, s.activity, s.day, s.start) for s in solution.sections}
    lost = slots(base) - slots(new)
    assert lost <= _led_by_leaver(base), lost  # only a time whose leader left is given up


def test_cli_writes_changes(base: Solution, tmp_path: Path) -> None:
    base_file = tmp_path / "base.json"
    base_file.write_text(base.model_dump_json(), encoding="utf-8")
    scenario = EXAMPLES / "scenarios" / "teacher_retires.yaml"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(scenario), "-o", str(out), "--base",
                                       str(base_file), "--time-limit", "10", "--workers", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert data["format"] == "afterschool-changes/1"
    assert data["sections_changed"] == len(data["sections"]) > 0
    assert "课后作业辅导" in (out / "changes.txt").read_text(encoding="utf-8")
    again = CliRunner().invoke(main, ["verify", str(scenario), str(out / "solution.json"),
                                      "--base", str(base_file)])
    assert again.exit_code == 0, again.output
    unaware = CliRunner().invoke(main, ["verify", str(scenario), str(out / "solution.json")])
    assert unaware.exit_code == 1 and "--base" in unaware.output


def test_keep_needs_a_base(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["solve", str(BASE), "-o", str(tmp_path / "o"),
                                       "--keep", "time"])
    assert result.exit_code == 2
    bad = CliRunner().invoke(main, ["solve", str(BASE), "-o", str(tmp_path / "o"),
                                    "--keep", "colour", "--base", "x.json"])
    assert bad.exit_code == 2 and "colour" in bad.output


def test_keep_students_moves_only_those_whose_session_cannot_stay(base: Solution,
                                                                  tmp_path: Path) -> None:
    loaded = patched(tmp_path, SUBSTITUTE)
    new = solved(loaded, BaseTimetable(base, frozenset({"students"}))).solution
    assert new is not None
    left = _led_by_leaver(base)
    for move in diff(base.sections, new.sections, rosters(loaded)).students:
        assert all((move.school, *session) in left for session in move.lost), move


def _led_by_leaver(base: Solution) -> set[tuple]:
    """(school, activity, day, start) of the base sections t2, who leaves, led: only there
    may a kept time or a kept student's session be given up (whether another leader could
    stand in depends on what the rest of the district keeps)."""
    return {(s.school, s.activity, s.day, s.start) for s in base.sections
            if s.school == "kuiyong" and staff_key(s) == ("t:t2",)}
