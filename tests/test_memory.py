"""Memory between searches (scheduler.solver.memory): the day search writes every part
over one model, so no dropped copies of the model pile up until Python's full collection
(on the 3,000-student school they held 430 MB by the end of a 60 s matching phase)."""

from __future__ import annotations

import gc
import time

from micro import load_data
from ortools.sat.python import cp_model

from models.instance import build_instance
from scheduler.generator import generate_district
from scheduler.solver.model import build_model, held
from scheduler.solver.neighbourhoods import Best, DaySearch
from scheduler.solver.settings import SolveSettings, make_solver, status_of
from scheduler.solver.solve import matching_model, prepare


def _school():
    return build_instance(load_data(generate_district(1, 150, 3)).district)


def _live_models() -> int:
    return sum(isinstance(o, cp_model.CpModel) for o in gc.get_objects())


def test_a_copy_written_over_another_model_is_the_fresh_copy() -> None:
    cp = build_model(_school()).cp
    variables = cp.proto.variables
    held_here = [(i, variables[i].domain[0]) for i in range(0, len(variables), 7)]
    elsewhere = [(i, variables[i].domain[-1]) for i in range(3, len(variables), 5)]
    fresh = held(cp, held_here)
    into = held(cp, elsewhere)  # a model that held other values before
    assert held(cp, held_here, into=into) is into
    assert str(into.proto) == str(fresh.proto)
    assert str(cp.proto) != str(fresh.proto)  # the model itself is untouched
    assert list(cp.proto.variables[0].domain) == list(variables[0].domain)


def test_parts_of_a_day_search_leave_no_copies_of_the_model_behind() -> None:
    settings = SolveSettings(time_limit=4, workers=2, seed=1)
    model = prepare(_school(), settings)
    phase = matching_model(model)
    first = make_solver(settings.model_copy(update={"time_limit": 0.5}), model.size)
    first.parameters.stop_after_first_solution = True
    assert status_of(first, first.solve(phase)).has_solution
    start = Best(list(first.response_proto.solution), first.objective_value)
    gc.collect()
    gc.disable()  # so a dropped copy would still be counted
    try:
        search = DaySearch(model, phase, settings, seat_parts=True)
        before = _live_models()
        search.run(start, time.perf_counter() + 4)
        assert search.parts >= 3
        assert _live_models() == before
    finally:
        gc.enable()
