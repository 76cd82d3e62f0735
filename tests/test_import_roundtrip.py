"""Round trip: import a FET school, import generated sign-ups into it, load, solve, verify."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner
from test_import_fet import TINY_FET, TINY_TIMETABLE, example

from models.loader import load
from scheduler.cli import main
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import solve_district
from scheduler.verifier import verify


def signup_sheet(path: Path, students: int, seed: int, grades: list[str]) -> None:
    """A form's export: Chinese headers, grades as 一年级, days as 周一、周三, ranked choices."""
    rng = random.Random(seed)
    lines = ["学号,年级,班级,星期,接送时间,志愿1"]
    for k in range(students):
        grade = rng.choice(grades)
        days = "、".join(rng.sample(["周一", "周二", "周三", "周四", "周五"], 2))
        pickup = rng.choice(["15:00", "15:30", ""])
        lines.append(f"st{k:03d},{grade},{rng.choice(['1班', '2班'])},{days},{pickup},课后作业辅导")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def import_into(fet: Path, timetable: Path | None, school_yaml: Path, sheet: Path) -> None:
    runner = CliRunner()
    extra = ["--timetable", str(timetable)] if timetable else []
    result = runner.invoke(main, ["import", "fet", str(fet), *extra, "--school", "s1",
                                  "-o", str(school_yaml)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["import", "signups", str(sheet), "--school", "s1", "--into",
                                  str(school_yaml), "-o", str(school_yaml.parent / "st.csv")])
    assert result.exit_code == 0, result.output


def test_fet_with_timetable_then_signups_loads(tmp_path: Path):
    (tmp_path / "tiny.fet").write_text(TINY_FET, encoding="utf-8")
    (tmp_path / "tiny_activities.xml").write_text(TINY_TIMETABLE, encoding="utf-8")
    signup_sheet(tmp_path / "form.csv", 30, 7, ["一年级", "二年级"])
    import_into(tmp_path / "tiny.fet", tmp_path, tmp_path / "school.yaml", tmp_path / "form.csv")
    school = load(tmp_path / "school.yaml").district.school("s1")
    assert len(school.students) == 30 and all(len(s.days) == 2 for s in school.students)
    assert {s.grade for s in school.students} == {1, 2}


def test_fet_data_school_with_signups_solves_and_verifies(tmp_path: Path):
    # A Greek primary school from Debian's fet-data: 22 teachers, dismissal 14:00.
    fet = example("FET-5-official/Greece/Didymoteicho/6th-Primary-School.fet")
    signup_sheet(tmp_path / "form.csv", 60, 3, ["一年级", "三年级", "六年级"])
    import_into(fet, None, tmp_path / "school.yaml", tmp_path / "form.csv")
    loaded = load(tmp_path / "school.yaml")
    assert len(loaded.district.school("s1").students) == 60
    outcome = solve_district(loaded.district, SolveSettings(time_limit=20, workers=2, seed=1))
    assert outcome.status in ("OPTIMAL", "FEASIBLE") and outcome.solution is not None
    report = verify(loaded.district, outcome.solution)
    assert report.ok, report
    # Every registered student-day is supervised by the homework fallback.
    assert outcome.solution.kpis.covered_share == 1.0
