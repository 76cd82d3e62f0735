"""The search by weekdays (scheduler.solver.neighbourhoods): parts of one model that keep
every rule, never a worse timetable, and a solve through it that the verifier accepts."""

from __future__ import annotations

import time
from collections.abc import Iterable
from itertools import pairwise

import pytest
from micro import district, load_data, students
from ortools.sat.python import cp_model

from models.instance import build_instance
from scheduler.generator import generate_district
from scheduler.solver import solve as solve_module
from scheduler.solver.model import Model, build_model, objective_at, set_hint
from scheduler.solver.neighbourhoods import (
    Best,
    DaySearch,
    decisions_by_band_day,
    decisions_by_day,
    part_solver,
)
from scheduler.solver.settings import (
    PORTFOLIO_WITH_FULL_LP,
    SolveSettings,
    SolveStatus,
    make_solver,
    status_of,
)
from scheduler.solver.solve import choice_terms_model, matching_model, prepare, solve
from scheduler.verifier import verify

CHESS = {"id": "chess", "name": "象棋", "category": "club", "grades": [1], "max_size": 10,
         "room_type": "classroom", "skill": "chess"}


def test_every_decision_of_a_slot_belongs_to_its_day_once() -> None:
    data = district(
        students=students(6, days="mon;tue;thu", pickup="17:40", choices="chess"),
        teachers=[{"id": "t1", "skills": ["homework", "chess"]}],
        activities=[district()["schools"][0]["activities"][0], CHESS],
    )
    model = build_model(build_instance(load_data(data).district))
    days = decisions_by_day(model)
    assert set(days) == {"mon", "tue", "wed", "thu", "fri"}  # study runs every weekday
    indices = [i for found in days.values() for i in found]
    assert len(indices) == len(set(indices))
    names = {v.index: v.name for v in model.vars.decisions()}
    assert set(indices) == set(names)  # no trips here: every decision is a slot's
    slots = model.instance.schools[0].slots
    for day, found in days.items():
        for index in found:
            name = names[index]  # teach[s1/chess/tue-960/t1] or seats[s1/g0/<slot index>]
            if name.startswith("seats["):
                assert slots[int(name.rstrip("]").rsplit("/", 1)[1])].day == day
            else:
                assert f"/{day}-" in name


def _school(students: int = 150, seed: int = 3):
    return load_data(generate_district(1, students, seed)).district


def _opening(settings: SolveSettings, students: int = 150
             ) -> tuple[Model, cp_model.CpModel, Best]:
    """The school's model, its choice-terms phase and a 2 s opening of that phase."""
    model = prepare(build_instance(_school(students)), settings)
    phase = choice_terms_model(model)
    first = make_solver(settings.model_copy(update={"time_limit": 2}), model.size)
    assert status_of(first, first.solve(phase)).has_solution
    return model, phase, Best(list(first.response_proto.solution), first.objective_value)


def test_parts_never_give_back_a_worse_timetable_and_keep_every_rule() -> None:
    settings = SolveSettings(time_limit=4, workers=2, seed=1)
    model, phase, start = _opening(settings)
    search = DaySearch(model, phase, settings)
    best = search.run(start, time.perf_counter() + 6)
    assert search.parts >= 2
    assert best.objective >= start.objective - 1e-6  # CP-SAT's objective is a float
    # The best timetable is a solution of the whole model: fixing every variable to it
    # is feasible, and its objective is what the search says.
    set_hint(phase, range(len(best.values)), best.values)
    check = make_solver(settings.limited(5), model.size)
    check.parameters.fix_variables_to_their_hinted_value = True
    assert status_of(check, check.solve(phase)).has_solution
    assert check.objective_value == pytest.approx(best.objective)


@pytest.mark.parametrize("matching_parts", [False, True])
def test_a_solve_through_the_day_search_is_verified(
        monkeypatch: pytest.MonkeyPatch, matching_parts: bool) -> None:
    # A short solve of a small school, with the thresholds lowered so the search runs
    # (in the choice phase, and in the matching phase too on large models).
    monkeypatch.setattr(solve_module, "SMALL_MODEL_VARIABLES", 100)
    monkeypatch.setattr(solve_module, "DAY_SEARCH_SECONDS", 1.0)
    if matching_parts:
        monkeypatch.setattr(solve_module, "MATCH_PARTS_VARIABLES", 0)
    district_ = _school()
    settings = SolveSettings(time_limit=8, workers=2, seed=2)
    result = solve(prepare(build_instance(district_), settings), settings)
    assert result.solution is not None
    assert result.stats["day_parts"] >= 1
    # The choice phase's parts open by re-seating the week, and re-seat it after every
    # day part that changed the timetable (never two seat parts running).
    assert 1 <= result.stats["seat_parts"] <= result.stats["day_parts_improved"] + 1
    report = verify(district_, result.solution)
    assert report.ok, [str(v) for v in report.violations]
    assert report.objective == pytest.approx(result.solution.objective)
    # Progress during the parts shows the whole model's bound, never a part's, and the
    # bound shown never rises (the full phase starts under the choice phase's bound).
    bounds = [p.bound for p in result.timeline]
    assert all(b >= result.solution.objective - 1e-6 for b in bounds)
    assert all(later <= earlier + 1e-9 for earlier, later in pairwise(bounds))
    assert result.solution.bound <= bounds[-1] + 1e-9 or result.solution.bound == \
        pytest.approx(result.solution.objective)


def test_short_choice_phases_run_by_parts_only_on_models_the_matching_phase_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    model = build_model(build_instance(_school()))
    monkeypatch.setattr(solve_module, "MATCH_PARTS_VARIABLES", model.size)
    assert solve_module.day_search_seconds(model) == solve_module.DAY_SEARCH_SECONDS
    monkeypatch.setattr(solve_module, "MATCH_PARTS_VARIABLES", model.size - 1)
    assert solve_module.day_search_seconds(model) == solve_module.DAY_SEARCH_SECONDS_BY_PARTS
    assert solve_module.DAY_SEARCH_SECONDS_BY_PARTS < solve_module.DAY_SEARCH_SECONDS
    # A solve treated as large: its choice phase (about 5 s of 12) starts its parts from
    # the matching phase's timetable, with no opening: it re-seats the week by rank
    # first, and the timetable keeps every rule.
    monkeypatch.setattr(solve_module, "SMALL_MODEL_VARIABLES", 100)
    monkeypatch.setattr(solve_module, "MATCH_PARTS_VARIABLES", 0)
    matched, started = _spy(monkeypatch, "_match_phase"), _spy(monkeypatch, "_by_days")
    settings = SolveSettings(time_limit=12, workers=2, seed=1, match_phase=0.5)
    district_ = _school()
    model = prepare(build_instance(district_), settings)
    result = solve(model, settings)
    assert result.solution is not None and result.stats["seat_parts"] >= 1
    report = verify(district_, result.solution)
    assert report.ok, [str(v) for v in report.violations]
    earlier = matched[0][1][1]  # it returned (settings, its timetable, ...)
    choice_start = started[-1][0][1]  # _by_days(search, found, ...): the choice phase's
    assert choice_start.values == earlier.values
    assert choice_start.objective == pytest.approx(
        objective_at(choice_terms_model(model), earlier.values))


def _spy(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[tuple, object]]:
    """Calls of solve_module.`name` from now on: (their arguments, what they returned)."""
    calls: list[tuple[tuple, object]] = []
    real = getattr(solve_module, name)

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(*args, **kwargs)
        calls.append((args, result))
        return result

    monkeypatch.setattr(solve_module, name, spy)
    return calls


@pytest.mark.parametrize("floating", [False, True])
def test_the_objective_read_off_an_assignment_of_a_small_model(floating: bool) -> None:
    cp = cp_model.CpModel()
    x, y = cp.new_int_var(0, 5, "x"), cp.new_bool_var("y")
    cp.add(x + y <= 4)
    cp.maximize(2 * x + (0.5 if floating else 3) * y - 2 * ~y + 7)
    assert cp.proto.has_floating_point_objective() == floating
    solver = cp_model.CpSolver()
    assert solver.solve(cp) == cp_model.OPTIMAL
    values = list(solver.response_proto.solution)
    assert objective_at(cp, values) == pytest.approx(solver.objective_value)
    assert objective_at(cp, [0, 0]) == pytest.approx(5)  # 7, less 2 for ~y


@pytest.mark.parametrize("objective", ["choice terms", "whole score"])
def test_the_objective_read_off_an_assignment_is_the_solver_s(objective: str) -> None:
    settings = SolveSettings(time_limit=3, workers=2, seed=1)
    model = prepare(build_instance(_school()), settings)
    phase = choice_terms_model(model) if objective == "choice terms" else model.cp
    solver = make_solver(settings, model.size)
    assert status_of(solver, solver.solve(phase)).has_solution
    values = list(solver.response_proto.solution)
    assert objective_at(phase, values) == pytest.approx(solver.objective_value)


def test_parts_free_as_many_days_as_fit_and_never_the_whole_week() -> None:
    from scheduler.solver.neighbourhoods import PART_DECISIONS, first_free_days

    week = ("mon", "tue", "wed", "thu", "fri")
    assert first_free_days({d: list(range(2_400)) for d in week}) == 2  # 600 students
    assert first_free_days({d: list(range(12_600)) for d in week}) == 1  # 3,000 students
    assert first_free_days({d: list(range(1_700)) for d in week}) == 2  # never more at first
    assert first_free_days({d: [1] for d in ("mon", "tue")}) == 1  # never the whole week
    assert first_free_days({d: list(range(PART_DECISIONS)) for d in week}) == 1
    assert first_free_days({}) == 0


def test_the_matching_share_grows_on_models_searched_by_parts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    model = build_model(build_instance(_school()))
    plain = SolveSettings(time_limit=8)
    assert solve_module.match_share(model, plain) == solve_module.MATCH_SHARE
    monkeypatch.setattr(solve_module, "MATCH_PARTS_VARIABLES", model.size - 1)
    assert solve_module.match_share(model, plain) == solve_module.MATCH_SHARE_BY_PARTS
    named = plain.model_copy(update={"match_phase": 0.3})
    assert solve_module.match_share(model, named) == 0.3


ART = {"id": "art", "name": "美术", "category": "club", "grades": [1], "max_size": 1,
       "room_type": "classroom", "skill": "art"}


def test_a_seat_part_moves_children_between_held_sections() -> None:
    # One chess seat and one art seat on Tuesday; a wants chess then art, b only chess.
    # From a start that gives chess to a and nothing to b, both sections open, the seat
    # part moves a to art and b to chess and holds every section where it was.
    small_chess = CHESS | {"max_size": 1}
    data = district(
        students=[*students(1, days="tue", pickup="17:40", choices="chess;art", prefix="a"),
                  *students(1, days="tue", pickup="17:40", choices="chess", prefix="b")],
        teachers=[{"id": "t1", "skills": ["homework", "chess"]},
                  {"id": "t2", "skills": ["homework", "art"]}],
        rooms=[{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in (1, 2, 3)],
        activities=[district()["schools"][0]["activities"][0], small_chess, ART],
    )
    district_ = load_data(data).district
    settings = SolveSettings(time_limit=5, workers=2, seed=0)
    model = build_model(build_instance(district_))
    phase = choice_terms_model(model)
    start = _start_leaving_b_out(model, phase, settings)
    search = DaySearch(model, phase, settings, seat_parts=True)
    best = search._seat_part(start, 5.0)
    assert best.objective > start.objective
    assert search.seat_improved == 1
    seats = set(search.seats)
    assert all(best.values[i] == start.values[i] for i in search.decisions if i not in seats)
    assert all(v == 0 for v in _values(best, model.vars.unmatched.values()))


def test_a_seat_part_of_a_school_ends_proved_optimal_well_within_its_time() -> None:
    # Once every section is held, seating the week is small and its linear relaxation
    # tight: a search on the full relaxation proves it, and the part hands its time on.
    # (On this 400-student school CP-SAT's two-worker portfolio had not proved it after
    # 10 s; the full relaxation did in 0.1 s.)
    settings = SolveSettings(time_limit=4, workers=2, seed=1)
    model, phase, start = _opening(settings, students=400)
    search = DaySearch(model, phase, settings, seat_parts=True)
    began = time.perf_counter()
    status, best, _ = search._search(start, set(search.seats), 20.0)
    assert status == SolveStatus.OPTIMAL
    assert time.perf_counter() - began < 8.0
    assert best.objective >= start.objective - 1e-6


@pytest.mark.parametrize("workers", [1, 2, 8])
def test_parts_search_on_the_full_relaxation_unless_the_portfolio_does(workers: int) -> None:
    settings = SolveSettings(time_limit=4, workers=workers, seed=1)
    params = part_solver(settings, 2.0, 20_000).parameters
    assert params.num_workers == workers
    if workers == 1:
        assert params.linearization_level == 2
    elif workers < PORTFOLIO_WITH_FULL_LP:
        assert ("default_lp", "max_lp") == (*params.ignore_subsolvers, *params.extra_subsolvers)
    else:
        assert not params.ignore_subsolvers
    assert params.max_time_in_seconds == 2.0


@pytest.mark.parametrize("workers", [1, 2, 8])
@pytest.mark.parametrize("full", [True, False])
def test_phases_search_the_whole_model_on_the_full_relaxation_with_two_workers(
        workers: int, full: bool) -> None:
    settings = SolveSettings(time_limit=4, workers=workers, seed=1, full_relaxation=full)
    model = build_model(build_instance(_school(students=40)))
    params = solve_module._search_solver(settings, 3.0, model).parameters
    swapped = full and 1 < workers < PORTFOLIO_WITH_FULL_LP
    assert (list(params.ignore_subsolvers), list(params.extra_subsolvers)) == (
        (["default_lp"], ["max_lp"]) if swapped else ([], []))
    # One worker on the whole model keeps CP-SAT's default relaxation (measured on parts only).
    assert params.linearization_level == 1
    assert params.max_time_in_seconds == 3.0
    assert not solve_module._search_solver(settings, 3.0, model, on_full=False
                                           ).parameters.ignore_subsolvers


def _values(best: Best, variables: Iterable[cp_model.IntVar]) -> list[int]:
    return [best.values[v.index] for v in variables]


def _start_leaving_b_out(model: Model, phase: cp_model.CpModel, settings: SolveSettings
                         ) -> Best:
    """The best timetable in which b gets no club and both clubs open."""
    vars = model.vars
    data = model.instance.schools[0]
    fixed = phase.clone()
    for group, var in vars.unmatched.items():
        group_of_b = any(g.students[0].id.startswith("b")
                         for g in data.groups if g.index == group[1])
        fixed.add(var == int(group_of_b))
    opened = [v for slot in data.slots for v in vars.teachers_of("s1", slot).values()
              if slot.activity.id in ("chess", "art")]
    fixed.add(sum(opened) >= 2)
    solver = make_solver(settings, model.size)
    assert status_of(solver, solver.solve(fixed)).has_solution
    return Best(list(solver.response_proto.solution), solver.objective_value)


def test_each_day_is_cut_into_its_bands_and_what_no_band_holds() -> None:
    model = build_model(build_instance(_school()))
    pieces = decisions_by_band_day(model)
    for day, found in decisions_by_day(model).items():
        assert sorted(i for (_, d), f in pieces.items() if d == day for i in f) == sorted(found)
    assert len({band for band, _ in pieces if band >= 0}) >= 2  # grades 1-2, 3-4, 5-6
    # A club's staff units sit in its band's pieces, never in two bands.
    where = {i: band for (band, _), found in pieces.items() for i in found}
    data = model.instance.schools[0]
    for slot in data.slots:
        bands = {where[v.index] for v in model.vars.units("s001", slot)}
        assert len(bands) <= 1
        assert slot.activity.fallback == (bands == {-1}) or not bands


def test_a_descent_goes_from_small_neighbourhoods_to_large() -> None:
    settings = SolveSettings(time_limit=4, workers=2, seed=1)
    model = build_model(build_instance(_school()))
    search = DaySearch(model, matching_model(model), settings, descent=True)
    sizes = [(len(n.days), n.band is None, n.length) for n in search.order]
    assert sizes == sorted(sizes)
    assert sizes[0] == (1, True, 1.0) and sizes[-1] == (2, True, 2.0)
    assert {n.band for n in search.order} >= {0, 1, None}
    # Tried and proven, a neighbourhood waits for a change; cut short, it gets another go
    # for twice as long once every other one has been tried.
    first, *rest = search.order
    search.tried, search.proven = {first}, {first}
    assert search._next() == rest[0]
    search.tried, search.proven = set(search.order), set(rest)
    assert search._next() == first and search.stretch == 2.0
    search.tried = search.proven = set(search.order)
    assert search._next() is None
    search._changed()
    assert search._next() == first and search.stretch == 1.0


def test_a_descent_ends_once_every_neighbourhood_is_proven_and_keeps_every_rule() -> None:
    settings = SolveSettings(time_limit=4, workers=2, seed=1)
    model = prepare(build_instance(_school()), settings)
    phase = matching_model(model)
    first = make_solver(settings.model_copy(update={"time_limit": 0.5}), model.size)
    first.parameters.stop_after_first_solution = True
    assert status_of(first, first.solve(phase)).has_solution
    start = Best(list(first.response_proto.solution), first.objective_value)
    search = DaySearch(model, phase, settings, seat_parts=True, descent=True)
    began = time.perf_counter()
    best = search.run(start, began + 120)
    assert time.perf_counter() - began < 100  # it ended: nothing better near its timetable
    assert search._next() is None and search.proven == set(search.order)
    assert best.objective >= start.objective - 1e-6
    set_hint(phase, range(len(best.values)), best.values)
    check = make_solver(settings.limited(5), model.size)
    check.parameters.fix_variables_to_their_hinted_value = True
    assert status_of(check, check.solve(phase)).has_solution
    assert check.objective_value == pytest.approx(best.objective)
