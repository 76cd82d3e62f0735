"""Every bundled example passes `afterschool check` with the numbers its README promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from models.loader import load
from scheduler.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# file → (schools, students, registered student-days); a new example must be added here.
EXPECTED = {
    "spec.yaml": (2, 47, 137),
    "primary.yaml": (1, 300, 1277),
    "nine_year.yaml": (1, 150, 620),
    "district.yaml": (3, 180, 768),
    "visits.yaml": (1, 40, 128),
    "allocation.yaml": (1, 300, 1277),
}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_example_passes_check_with_expected_summary(path: Path) -> None:
    assert path.name in EXPECTED, f"add {path.name}'s expected numbers to EXPECTED"
    schools, students, student_days = EXPECTED[path.name]
    result = CliRunner().invoke(main, ["check", str(path)])  # the examples are in Chinese
    assert result.exit_code == 0, result.output
    assert f"合计：{students} 名学生，每周报名 {student_days:,} 人次" in result.output
    result = CliRunner().invoke(main, ["check", str(path), "--lang", "en"])
    assert f"total: {students} students, {student_days:,} registered student-days" \
        in result.output
    district = load(path).district
    assert len(district.schools) == schools
    assert sum(len(s.students) for s in district.schools) == students


@pytest.mark.parametrize("name", ["primary.yaml", "nine_year.yaml", "district.yaml",
                                  "visits.yaml",
                                  "allocation.yaml"])
def test_our_examples_have_no_warnings(name: str) -> None:
    """The teaching examples are clean: every warning `check` could give was designed out."""
    assert load(EXAMPLES / name).warnings == []


def test_nine_year_junior_clubs_fit_before_six() -> None:
    """Junior grades: 45-minute class hours from 17:00, so a one-hour club ends 17:45."""
    school = load(EXAMPLES / "nine_year.yaml").district.schools[0]
    assert school.hour_minutes(8) == 45 and school.hour_minutes(3) == 40
    for activity in school.activities:
        if 7 in activity.grades:
            assert school.dismissal(7, "mon") + school.duration(activity) <= 18 * 60


def test_primary_has_one_grade_dismissed_early_on_wednesday() -> None:
    school = load(EXAMPLES / "primary.yaml").district.schools[0]
    differs = [g for g in school.grades if school.dismissal(g, "wed") != school.dismissal(g, "tue")]
    assert differs == [4]


def test_district_robotics_provider_is_shared_with_one_instructor() -> None:
    district = load(EXAMPLES / "district.yaml").district
    robot = next(p for p in district.providers if "robotics" in p.skills)
    assert robot.instructors == 1 and robot.serves is not None and len(robot.serves) == 2
    assert all(district.school(s).activity("robotics") for s in robot.serves)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["primary.yaml", "nine_year.yaml", "district.yaml",
                                  "visits.yaml",
                                  "allocation.yaml"])
def test_example_solves_and_the_verifier_agrees(name: str) -> None:
    """The examples are comfortably feasible: a timetable within seconds that verifies."""
    from scheduler.solver.settings import SolveSettings
    from scheduler.solver.solve import solve_district
    from scheduler.verifier import verify

    loaded = load(EXAMPLES / name)
    result = solve_district(loaded.district, SolveSettings(time_limit=3, seed=1))
    assert result.status in ("OPTIMAL", "FEASIBLE") and result.solution is not None
    report = verify(loaded.district, result.solution)
    assert report.ok, report.violations[:5]
    assert result.solution.kpis.covered_share == 1.0
    # The verifier recounts every KPI on its own (the bound is the solver's alone).
    assert report.kpis == result.solution.kpis.model_copy(update={"any_choice_share_bound": None})


def test_visits_example_makes_trips_on_both_visits_and_covers_the_teachers_away() -> None:
    """Two visits: the museum on Thursdays, the science centre on a Wednesday leaving at
    grade 4's 15:30 dismissal (it closes at 17:30), led by a teacher (the guide provider
    works Thursdays only) whose weekly groups that afternoon other teachers cover."""
    from scheduler.solver.settings import SolveSettings
    from scheduler.solver.solve import solve_district

    loaded = load(EXAMPLES / "visits.yaml")
    result = solve_district(loaded.district, SolveSettings(time_limit=3, seed=1, workers=1))
    assert result.solution is not None
    trips = [s for s in result.solution.sections if s.date is not None]
    assert {t.activity for t in trips} == {"museum-visit", "science-visit"}
    science = [t for t in trips if t.activity == "science-visit"]
    assert all(t.start == 15 * 60 + 30 and t.day == "wed" for t in science)
    for trip in science:
        away = {r.teacher for r in trip.staff} - {None}
        assert away
        theirs = {s.id for s in result.solution.sections if s.date is None and s.day == "wed"
                  and s.staff[0].teacher in away}
        assert {c.section for c in trip.covers} == theirs
