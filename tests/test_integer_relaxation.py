"""The relaxation with whole staff units (`scheduler.solver.integer`): a bound in students
never above what the optimum leaves out, tighter than the linear one where that one opens
sections in part, whether by bands or by the whole program, and the whole program's layout
the solve takes only where it seats more."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from micro import load_data
from ortools.sat.python import cp_model
from test_choice_bound import CAPS, CASES, _school, optimum

import scheduler.solver.integer as integer
import scheduler.solver.solve as solve_module
from models.instance import build_instance
from models.loader import load
from scheduler.solver.integer import Whole, WholeUnits
from scheduler.solver.model import build_model, held
from scheduler.solver.relaxation import relax, relaxed_unmatched
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import prepare, solve
from scheduler.verifier import verify

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from families import write_family  # noqa: E402


def one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every school one band: the branch and cut of the whole program (the blocks are
    cut in this process and sent to the child)."""
    monkeypatch.setattr(integer, "band_blocks",
                        lambda vars, program, columns: np.zeros(len(program.cost), np.int64))


@pytest.mark.parametrize("whole_program", [False, True], ids=["by bands", "whole program"])
@pytest.mark.parametrize("name", list(CASES))
def test_the_bound_is_what_the_optimum_leaves_out(
        name: str, whole_program: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    clubs, teachers, spec, _ = CASES[name]
    if whole_program:
        one_block(monkeypatch)
    vars = build_model(build_instance(load_data(_school(name)).district)).vars
    whole = WholeUnits(vars, 30.0).result(60.0)
    assert whole is not None and whole.unmatched is not None
    with_choices = sum(1 for choices, _ in spec if choices)
    left_out = with_choices - optimum(clubs, teachers, spec, CAPS.get(name, {}))
    # A bound (never more than the optimum leaves out); on these it is exact, like the
    # linear relaxation (test_choice_bound.py).
    assert whole.unmatched == left_out
    if whole.units:  # the whole program's solution (bands give a bound only)
        assert whole.left_out == pytest.approx(left_out)
    else:
        assert not whole_program and whole.left_out is None


@pytest.fixture(scope="module")
def loose_school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """150 students of the mixed family: the linear relaxation leaves 16.8 of 74 students
    with choices out, the optimum 19 (so whole sections matter here)."""
    return write_family(tmp_path_factory.mktemp("loose"), "mixed", "S", 1, students=150)


def _fewest_left_out(matching: cp_model.CpModel) -> int:
    """CP-SAT's proven optimum of a model maximising minus the students left out."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60.0
    solver.parameters.num_workers = 2
    assert solver.solve(matching) == cp_model.OPTIMAL
    return -round(solver.objective_value)


@pytest.fixture(scope="module")
def loose_fewest(loose_school: Path) -> int:
    model = build_model(build_instance(load(str(loose_school)).district))
    return _fewest_left_out(solve_module.matching_model(model))


@pytest.mark.parametrize("whole_program", [False, True], ids=["by bands", "whole program"])
def test_whole_units_close_what_the_linear_relaxation_leaves_open(
        loose_school: Path, loose_fewest: int, whole_program: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if whole_program:
        one_block(monkeypatch)
    model = build_model(build_instance(load(str(loose_school)).district))
    linear = relaxed_unmatched(model.vars)
    whole = WholeUnits(model.vars, 30.0).result(60.0)
    assert linear is not None and whole is not None and whole.unmatched is not None
    assert math.ceil(linear - 1e-6) < whole.unmatched <= loose_fewest
    assert bool(whole.units) == whole_program  # the school has two bands
    if whole_program:
        # Its layout of sections can be seated (the program leaves some rules out, so
        # not always as well as it says), and no seating of it beats the bound.
        layout = held(solve_module.matching_model(model), whole.units.items())
        assert whole.unmatched <= _fewest_left_out(layout)


def test_the_branch_and_cut_starts_from_the_relaxation_the_solve_has_solved(
        loose_school: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = build_model(build_instance(load(str(loose_school)).district))
    relaxed = relax(model.vars)
    assert relaxed is not None and relaxed.duals is not None and relaxed.unmatched is not None
    own = WholeUnits(model.vars, 30.0).result(60.0)
    given = WholeUnits(model.vars, 30.0, relaxed).result(60.0)
    assert own is not None and given is not None and given.unmatched is not None
    assert given.unmatched == own.unmatched  # the same program, the same multipliers
    assert given.unmatched > math.ceil(relaxed.unmatched - 1e-6)
    # Bands given multipliers use them: the interior point is not run again.
    monkeypatch.setattr(integer, "multipliers", lambda *args: pytest.fail("solved again"))
    program = relaxed.program
    units = integer.whole_columns(program, integer.unit_columns(model.vars, relaxed.columns))
    blocks = integer.band_blocks(model.vars, program, relaxed.columns)
    answer = integer._by_bands(program, units, blocks, 30.0, relaxed.duals)
    assert answer is not None and answer[0] is not None
    assert math.ceil(answer[0] - 1e-6) == given.unmatched


def test_stop_ends_the_child_at_once(loose_school: Path) -> None:
    model = build_model(build_instance(load(str(loose_school)).district))
    whole = WholeUnits(model.vars, 600.0)
    started = time.perf_counter()
    assert whole.result(0.0) is None  # not answered yet: none, and the child is killed
    assert time.perf_counter() - started < 5.0
    assert whole._process.poll() is not None


def test_a_solve_with_the_whole_units_is_verified(
        loose_school: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Phases on a small school, and the branch and cut asked even where the matching
    # phase proved its optimum (CP-SAT does, on a school this small).
    monkeypatch.setattr(solve_module, "SMALL_MODEL_VARIABLES", 0)
    monkeypatch.setattr(solve_module, "_proved", lambda phases: False)
    monkeypatch.setattr(solve_module, "cores", lambda: 2)  # as on the CI's two
    loaded = load(str(loose_school))
    instance = build_instance(loaded.district)
    settings = SolveSettings(time_limit=20, workers=2, seed=1)
    result = solve(prepare(instance, settings), settings)
    assert result.solution is not None and result.stats["whole_units"] >= 1
    report = verify(loaded.district, result.solution)
    assert report.ok, [str(v) for v in report.violations]
    kpis = result.solution.kpis
    fewest = result.stats["fewest_unmatched"]
    assert kpis.any_choice_share_bound == pytest.approx(
        1 - fewest / instance.with_choices, abs=1e-6)
    assert kpis.any_choice_share <= kpis.any_choice_share_bound


def test_solves_side_by_side_run_no_branch_and_cut(
        loose_school: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solve_module, "cores", lambda: 2)
    model = build_model(build_instance(load(str(loose_school)).district))
    early = solve_module._EarlyBound(solve_module.ChoiceBound(10, 9), 0.1)
    alone = SolveSettings(time_limit=20)
    side_by_side = alone.model_copy(update={"parallel_solves": 2})
    assert solve_module._whole_units(model, side_by_side, early) is None
    assert solve_module._whole_units(model, alone.model_copy(update={"whole_units": False}),
                                     early) is None
    started = solve_module._whole_units(model, alone, early)
    assert started is not None
    started.stop()
    monkeypatch.setattr(solve_module, "cores", lambda: 1)  # one core: none either
    assert solve_module._whole_units(model, alone, early) is None


class _Answered:
    """A branch and cut that has answered: at least `unmatched` students get none."""

    running = False

    def __init__(self, unmatched: int):
        self.answer = Whole(unmatched, {}, None)

    def answered(self) -> Whole:
        return self.answer


class _Solver:
    stopped = 0

    def stop_search(self) -> None:
        self.stopped += 1


def test_the_matching_phase_stops_at_the_branch_and_cuts_bound(loose_school: Path) -> None:
    model = build_model(build_instance(load(str(loose_school)).district))
    watcher = solve_module._Watcher(model, time.perf_counter(), None)
    solver = _Solver()
    with solve_module._on_phase(watcher, bound_hidden=True, floor=-25.0, solver=solver):
        with solve_module._heeding(_Answered(19), watcher):  # type: ignore[arg-type]
            deadline = time.perf_counter() + 5
            while watcher.heeded == float("inf") and time.perf_counter() < deadline:
                time.sleep(0.05)
            assert watcher.heeded == -19
            assert solver.stopped == 0  # its best leaves 25 out: the search goes on
            watcher.part_floor = -19.0  # then a timetable leaving 19 out
            watcher.heed(-19)
            assert solver.stopped == 1
        assert watcher.heeded == float("inf")  # the next phase knows nothing of it
    assert watcher.solver is None
