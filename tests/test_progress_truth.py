"""Progress that tells the truth: the bar moves with the clock between timetables, the
timeline holds only timetables, the closing lines say the bound and explain the score."""

from __future__ import annotations

import pytest

from models.loader import load_text
from scheduler.generator import generate_district, yaml_text
from scheduler.solver.closing import closing_lines
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import Progress, solve_district
from scheduler.verifier import verify


def test_ticks_between_solutions_and_closing_lines() -> None:
    loaded = load_text(yaml_text(generate_district(1, 300, 5)), "gen.yaml")
    events: list[Progress] = []
    settings = SolveSettings(time_limit=4, workers=1, seed=1)
    result = solve_district(loaded.district, settings, events.append)
    assert result.solution is not None and verify(loaded.district, result.solution).ok
    ticks = [e for e in events if not e.improved]
    assert ticks, "no tick in a 4 s search"
    assert all(e.improved for e in result.timeline)
    seconds = [e.seconds for e in events]
    assert seconds == sorted(seconds)
    assert max(seconds) <= result.solve_seconds + 0.5
    kpis = result.solution.kpis
    assert kpis.any_choice_share <= (kpis.any_choice_share_bound or 0) <= 1
    lines = closing_lines(result, "en")
    assert lines and "more students could get one of their choices" in lines[0] or (
        "No timetable could give more students" in lines[0])
    if abs(result.timeline[-1].objective - result.solution.objective) > 1e-6:
        assert any("recomputed from the timetable" in line for line in lines)


@pytest.mark.parametrize("early", [True, False])
def test_progress_says_bounding_while_the_relaxation_runs(monkeypatch, early: bool) -> None:  # noqa: ANN001
    """The bound in students is worked out before the search on small models (the
    matching phase stops at it), after it on large ones: either way the line says so."""
    import scheduler.solver.bound as bound
    import scheduler.solver.solve as solve

    monkeypatch.setattr(bound, "LINEAR_BOUND_SECONDS", 3.0)  # the relaxation runs after 4 s
    if not early:
        monkeypatch.setattr(solve, "EARLY_BOUND_VARIABLES", 0)
    loaded = load_text(yaml_text(generate_district(2, 300, 5)), "gen.yaml")
    events: list[Progress] = []
    result = solve_district(loaded.district, SolveSettings(time_limit=4, workers=1, seed=1),
                            events.append)
    assert result.solution is not None and verify(loaded.district, result.solution).ok
    bounding = [i for i, e in enumerate(events) if e.bounding]
    assert bounding, "no 'bounding' line while the relaxation ran"
    searched = [i for i, e in enumerate(events) if e.improved and not e.start]
    if early:  # before the search's first timetable, after the start
        assert events[0].start and max(bounding) < min(searched)
    else:  # only once the search is over
        assert min(bounding) > max(searched)
    assert not events[-1].bounding  # and the last line shows the result again
    assert not any(e.bounding for e in result.timeline)
    assert result.stats["bound_seconds"] > 0


def test_domain_bound_reads_each_domain_at_both_ends() -> None:
    from ortools.sat.python import cp_model

    from scheduler.solver.model import domain_bound

    cp = cp_model.CpModel()
    x = cp.new_int_var(2, 5, "x")
    y = cp.new_int_var_from_domain(cp_model.Domain.from_values([1, 3, 7]), "y")
    cp.maximize(3 * x - 2 * y + 4)
    assert domain_bound(cp) == 3 * 5 - 2 * 1 + 4


def test_every_bound_shown_bounds_every_score_found() -> None:
    """A school whose scores are positive: a bound read as 0 (OR-Tools 9.15 protos read
    [-1] out of bounds) once capped every bound shown, and the written one at the score."""
    plentiful = generate_district(1, 300, 5, scarcity=1.3)
    loaded = load_text(yaml_text(plentiful), "gen.yaml")
    result = solve_district(loaded.district, SolveSettings(time_limit=4, workers=2, seed=1))
    assert result.solution is not None and verify(loaded.district, result.solution).ok
    best = max(e.objective for e in result.timeline)
    assert best > 0, "the check needs a school with a positive score"
    assert all(e.bound >= best - 1e-6 for e in result.timeline)
    assert result.solution.bound >= result.solution.objective
    if result.solution.status == "FEASIBLE":
        assert result.solution.bound > result.solution.objective


def test_matching_phase_stops_at_the_bound_in_students(monkeypatch) -> None:  # noqa: ANN001
    """Where every student with choices who can get one does, the matching phase stops
    and the phases after it get its time: the bound, worked out first, says when."""
    import scheduler.solver.bound as bound

    monkeypatch.setattr(bound, "LINEAR_BOUND_SECONDS", 3.0)
    loaded = load_text(yaml_text(generate_district(1, 300, 5, scarcity=1.3)), "gen.yaml")
    result = solve_district(loaded.district, SolveSettings(time_limit=6, workers=2, seed=1))
    assert result.solution is not None and verify(loaded.district, result.solution).ok
    kpis = result.solution.kpis
    assert result.stats["matching_reached_bound"] == 1
    assert kpis.any_choice_share_bound is not None
    assert kpis.any_choice_share <= kpis.any_choice_share_bound
