"""The Lagrangian value that `scheduler.solver.relaxation` reports as the bound: never above
the linear program's minimum, whatever the multipliers, and equal to it at the interior point's
duals (up to its tolerance)."""

from __future__ import annotations

import math
import os
import signal
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.solver.relaxation import Program, _waiting_for, lagrangian, multipliers


def small_program() -> Program:
    """min  x0 + 2 x1 + x2
    s.t. x0 + x1 ≥ 1.5;  x1 + x2 = 1;  x0 − x2 ≤ 0.75;  0 ≤ x ≤ 1
    (the cost is x0 + x1 + 1 on the equality, so the optimum is 2.5, e.g. x0 = 1, x1 = 0.5)."""
    program = Program()
    for cost in (1.0, 2.0, 1.0):
        program.cost[program.column(0.0, 1.0)] = cost
    program.row({0: 1.0, 1: 1.0}, 1.5, math.inf)
    program.row({1: 1.0, 2: 1.0}, 1.0, 1.0)
    program.row({0: 1.0, 2: -1.0}, -math.inf, 0.75)
    return program


def brute_minimum(program: Program, steps: int = 80) -> float:
    """The minimum over a fine grid of the box (the optimum here lies on it)."""
    grid = np.linspace(0.0, 1.0, steps + 1)
    best = math.inf
    for x0 in grid:
        for x1 in grid:
            x2 = 1.0 - x1
            if x0 + x1 >= 1.5 - 1e-9 and x0 - x2 <= 0.75 + 1e-9:
                best = min(best, x0 + 2 * x1 + x2)
    return best


def test_the_duals_give_the_optimum() -> None:
    program = small_program()
    duals = multipliers(program)
    assert duals is not None
    assert brute_minimum(program) == 2.5
    assert abs(lagrangian(program, duals) - 2.5) < 1e-6


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=3, max_size=3))
def test_any_multipliers_give_a_lower_bound(multipliers: list[float]) -> None:
    program = small_program()
    assert lagrangian(program, np.array(multipliers)) <= brute_minimum(program) + 1e-9


def test_ctrl_c_while_the_program_is_solved_is_not_held_up() -> None:
    """The LP solver ignores interrupters; the wait for it must not (the CLI's Ctrl-C)."""
    # Python's own handler, as the CLI has it (a CP-SAT solve earlier in the run, outside
    # the CLI's `noticing_interrupts`, leaves SIGINT at the system default).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        started = time.perf_counter()
        with pytest.raises(KeyboardInterrupt):
            _waiting_for(lambda: time.sleep(5))  # releases the GIL, as HiGHS's solve does
        assert time.perf_counter() - started < 2
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_failed_solve_is_no_bound() -> None:
    assert _waiting_for(lambda: 1 / 0) is None
