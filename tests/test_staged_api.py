"""The staged solve API: a district in memory, some of its schools, reserved capacity,
hints and fixed decisions, one settings object and the workers it asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from micro import STUDY, district, load_data, students
from pydantic import ValidationError

from models.instance import Reservation, build_instance
from models.loader import instance_sha256, load
from scheduler.solver import settings as settings_module
from scheduler.solver.decisions import decisions_of
from scheduler.solver.model import build_model
from scheduler.solver.settings import SolveSettings, SolveStatus, default_workers
from scheduler.solver.solve import prepare, solve, solve_district
from scheduler.verifier import verify

ROOT = Path(__file__).parent.parent
QUICK = SolveSettings(time_limit=10, workers=1, seed=0)


def test_one_school_of_a_district_is_solved_alone_and_verified_as_its_own_district() -> None:
    whole = load(ROOT / "examples" / "district.yaml").district
    result = solve_district(whole, QUICK, schools=["nanao"])
    assert result.status.has_solution and result.solution is not None
    assert {s.school for s in result.solution.sections} == {"nanao"}
    part = whole.model_copy(update={"schools": [whole.school("nanao")]})
    assert result.solution.instance_sha256 == instance_sha256(part)
    assert verify(part, result.solution).ok


def test_an_unknown_school_is_refused() -> None:
    whole = load(ROOT / "examples" / "district.yaml").district
    with pytest.raises(KeyError, match="no-such"):
        build_instance(whole, schools=["no-such"])


def _provider_school() -> dict:
    data = district(
        activities=[STUDY, {"id": "robot", "name": "机器人", "category": "science", "grades": [1],
                            "max_size": 20, "room_type": "classroom", "skill": "robotics"}],
        rooms=[{"id": "r1", "type": "classroom", "capacity": 40},
               {"id": "r2", "type": "classroom", "capacity": 40}],
        students=students(10, days="tue;thu", pickup="18:00", choices="robot"),
    )
    data["providers"] = [{"id": "p1", "qualification": "approved", "instructors": 1,
                          "background_check_until": "2027-12-31", "price_per_class_hour": 100,
                          "skills": ["robotics"]}]
    data["schools"][0]["teachers"] = [{"id": "t1", "skills": ["homework"],
                                       "max_class_hours_week": 8}]
    return data


def test_reserved_instructors_are_not_used_again() -> None:
    loaded = load_data(_provider_school())
    free = solve_district(loaded.district, QUICK)
    assert free.solution is not None
    assert any(st.provider == "p1" for s in free.solution.sections for st in s.staff)
    # Another school holds the provider's only instructor all Tuesday afternoon.
    taken = [Reservation(provider="p1", day="tue", start=15 * 60, end=18 * 60)]
    held = solve_district(loaded.district, QUICK, reserved=taken)
    assert held.solution is not None and verify(loaded.district, held.solution).ok
    days = {s.day for s in held.solution.sections for st in s.staff if st.provider == "p1"}
    assert days and "tue" not in days


def test_a_reservation_that_starts_inside_a_section_still_counts() -> None:
    loaded = load_data(_provider_school())
    taken = [Reservation(provider="p1", day=d, start=16 * 60 + 20, end=16 * 60 + 30)
             for d in ("mon", "tue", "wed", "thu", "fri")]
    result = solve_district(loaded.district, QUICK, reserved=taken)
    assert result.solution is not None
    for section in result.solution.sections:
        if any(st.provider == "p1" for st in section.staff):
            assert section.start >= 16 * 60 + 30 or section.end <= 16 * 60 + 20


def test_fixing_a_timetable_gives_it_back() -> None:
    loaded = load_data(_provider_school())
    first = solve_district(loaded.district, QUICK)
    assert first.solution is not None
    model = build_model(build_instance(loaded.district))
    values, left_out = decisions_of(model, first.solution)
    assert not left_out
    model.fix(values)
    again = solve(model, QUICK)
    assert again.solution is not None
    assert again.solution.objective == pytest.approx(first.solution.objective)
    times = sorted((s.activity, s.day, s.start) for s in again.solution.sections)
    assert times == sorted((s.activity, s.day, s.start) for s in first.solution.sections)


def test_the_values_given_back_are_the_timetable_written() -> None:
    loaded = load_data(_provider_school())
    model = prepare(build_instance(loaded.district), QUICK)
    result = solve(model, QUICK)
    assert result.solution is not None and len(result.values) == model.size
    again = build_model(build_instance(loaded.district))
    again.fix({var.index: result.values[var.index] for var in again.vars.decisions()})
    fixed = solve(again, QUICK)
    assert fixed.solution is not None
    assert fixed.solution.objective == pytest.approx(result.solution.objective)
    assert verify(loaded.district, fixed.solution).ok


def test_a_hint_from_a_timetable_starts_the_search_there() -> None:
    loaded = load_data(_provider_school())
    first = solve_district(loaded.district, QUICK)
    assert first.solution is not None
    plain = build_model(build_instance(loaded.district))
    values, _ = decisions_of(plain, first.solution)
    model = prepare(build_instance(loaded.district), QUICK, hint=values)
    result = solve(model, QUICK)
    assert result.solution is not None and result.timeline
    assert result.timeline[0].objective >= first.solution.objective - 1e-6


def test_infeasible_is_a_status() -> None:
    data = district(students=students(50, pickup="16:40"))  # 50 children, one 40-seat room
    result = solve_district(load_data(data).district, QUICK)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.solution is None and result.objective is None


def test_solves_side_by_side_never_ask_for_more_threads_than_cores(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(settings_module, "cores", lambda: 2)
    assert default_workers(100_000) == 2
    assert default_workers(100_000, parallel_solves=2) == 1
    assert default_workers(100, parallel_solves=2) == 1  # no 8-worker portfolio when sharing
    assert default_workers(100, parallel_solves=8) == 1


@pytest.mark.parametrize("bad", [{"time_limit": float("inf")}, {"time_limit": 0},
                                 {"seed": 99_999_999_999}, {"workers": 0}, {"colour": 1}])
def test_settings_refuse_what_cp_sat_cannot_take(bad: dict) -> None:
    with pytest.raises(ValidationError):
        SolveSettings(**bad)


def test_every_cp_sat_solver_is_made_in_one_place() -> None:
    code = [*(ROOT / "scheduler").rglob("*.py"), *(ROOT / "constraints").rglob("*.py")]
    made = [p for p in code if re.search(r"CpSolver\(\)", p.read_text())]
    assert made == [ROOT / "scheduler" / "solver" / "settings.py"]


def test_positions_are_found_by_id_in_a_part_or_a_patched_copy() -> None:
    loaded = load(ROOT / "examples" / "district.yaml")
    where = loaded.place("schools", "nanao", "teachers")
    assert where is not None and where.file.endswith("district.yaml")
    teacher = loaded.district.school("nanao").teachers[1]
    by_id = loaded.place("schools", "nanao", "teachers", teacher.id)
    index = [s.id for s in loaded.district.schools].index("nanao")
    by_index = loaded.where(("schools", index, "teachers", 1))
    assert by_id == by_index
    # A copy whose lists were reordered or cut still cites the user's own line.
    part = loaded.district.model_copy(deep=True)
    part.schools = [part.school("nanao")]
    part.schools[0].teachers.reverse()
    assert loaded.place("schools", part.schools[0].id, "teachers", teacher.id) == by_id
    assert loaded.place("schools", "nanao", "teachers", "no-such-teacher") is None


def test_solves_side_by_side_each_get_two_workers_by_default(monkeypatch) -> None:  # noqa: ANN001
    # A lone CP-SAT worker runs no neighbourhood search: it kept its first timetable.
    import scheduler.district.executor as executor_module

    for machine, side_by_side in ((1, 1), (2, 1), (8, 4)):
        monkeypatch.setattr(executor_module, "cores", lambda n=machine: n)
        monkeypatch.setattr(settings_module, "cores", lambda n=machine: n)
        width = executor_module.parallel_solves(100)
        assert width == side_by_side
        assert default_workers(100_000, parallel_solves=width) == max(1, machine // width)
    assert executor_module.parallel_solves(3, limit=4) == 3  # --parallel, within the tasks


def _generated(students_: int) -> tuple:
    from models.loader import load_text
    from scheduler.generator import generate_district, yaml_text

    loaded = load_text(yaml_text(generate_district(3, students_, 5)), "gen.yaml")
    return loaded.district, build_instance(loaded.district)


def test_the_completed_greedy_timetable_is_the_first_reported() -> None:
    whole, instance = _generated(300)
    settings = SolveSettings(time_limit=3, workers=1, seed=0)
    model = prepare(instance, settings)
    assert model.start is not None
    events = []
    result = solve(model, settings, events.append)
    first = result.timeline[0]
    assert events[0] == first and first.seconds < 0.5
    assert first.objective == pytest.approx(model.start.objective / 100)
    assert first.bound >= max(e.objective for e in result.timeline)
    assert result.stats["start_timetable"] == 1
    assert result.solution is not None and verify(whole, result.solution).ok


def test_a_search_that_finds_nothing_in_time_keeps_the_start() -> None:
    whole, instance = _generated(300)
    model = prepare(instance, SolveSettings(time_limit=10, workers=1, seed=0))
    assert model.start is not None
    result = solve(model, SolveSettings(time_limit=0.001, workers=1, seed=0, choice_phase=0))
    assert result.status == SolveStatus.FEASIBLE and result.solution is not None
    assert len(result.timeline) == 1  # the start alone: the search found nothing
    report = verify(whole, result.solution)
    assert report.ok, [str(v) for v in report.violations]
    assert result.solution.bound >= result.solution.objective
    assert result.solution.kpis.any_choice_share == pytest.approx(
        result.timeline[0].any_choice_share)
