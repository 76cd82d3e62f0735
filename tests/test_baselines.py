"""FCFS and lottery sign-up on the solver's own sections: valid timetables, never better choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.loader import Loaded, load
from models.solution import Solution
from scheduler.solver.baselines import fcfs, lottery
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import solve_district
from scheduler.verifier import verify

SPEC = Path(__file__).resolve().parents[1] / "examples" / "spec.yaml"


@pytest.fixture(scope="module")
def solved() -> tuple[Loaded, Solution]:
    loaded = load(SPEC)
    result = solve_district(loaded.district, SolveSettings(time_limit=10, workers=2, seed=0))
    assert result.solution is not None
    assert verify(loaded.district, result.solution).ok
    return loaded, result.solution


def test_fcfs_is_valid_and_no_better_than_the_solver(solved: tuple[Loaded, Solution]) -> None:
    loaded, solution = solved
    baseline = fcfs(loaded, solution)
    report = verify(loaded.district, baseline)
    assert report.ok, report.violations
    assert report.objective == pytest.approx(baseline.objective)
    assert report.kpis.covered_share == 1.0
    assert solution.kpis.any_choice_share >= report.kpis.any_choice_share
    assert solution.objective >= report.objective - 1e-6  # same sections, the optimum wins


def test_lottery_seeds_are_valid_and_no_better(solved: tuple[Loaded, Solution]) -> None:
    loaded, solution = solved
    shares = []
    for seed in range(5):
        report = verify(loaded.district, lottery(loaded, solution, seed))
        assert report.ok, report.violations
        shares.append(report.kpis.any_choice_share)
    assert solution.kpis.any_choice_share >= sum(shares) / len(shares)
    again = lottery(loaded, solution, 3).sections
    assert lottery(loaded, solution, 3).sections == again  # seeded: the same draw


def test_baseline_uses_only_the_solvers_sections(solved: tuple[Loaded, Solution]) -> None:
    """Every club section of the baseline is one of the solver's (same id: activity, day,
    start, room); only supervised study may be opened on top."""
    loaded, solution = solved
    school = loaded.district.schools[0]
    before = {s.id: s.staff for s in solution.sections}
    for section in fcfs(loaded, solution).sections:
        activity = school.activity(section.activity)
        assert activity is not None
        if not activity.fallback:
            assert before[section.id] == section.staff

