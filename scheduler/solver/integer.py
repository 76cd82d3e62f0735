"""The strengthened relaxation with whole staff units, searched by HiGHS's MIP beside CP-SAT.

The linear relaxation (`scheduler.solver.relaxation`) opens sections in part: a hundredth
of a teacher for the few children who fit a slot. Every timetable opens whole sections,
so the same program with the staff units (and the sections per slot they add up to) held
to integers is still a relaxation of our rules, and much tighter: on micro schools it
reaches the optimum the linear one misses (`tests/test_integer_relaxation.py`). A branch
and cut on it gives two things the search can use (docs/solver.md "Whole staff units"):

- its dual bound: at least that many students with choices get none, in every timetable
  (the count is a whole number, so rounded up);
- its best solution's staff units: a layout of sections which CP-SAT, holding those
  units, seats in a fraction of a second. It is not always a timetable (the program
  leaves out the rules it cannot state), and not always better than the search's own; it
  is kept only where it is both.

A school whose clubs fall into bands (grade bands, `scheduler.solver.bands`) is bounded
band by band instead, which is tighter and quicker there but gives no layout.

The MIP runs in a child process: MathOpt's HiGHS takes no interrupt, and the solve must
be able to drop it the moment the search no longer needs it (`python -m
scheduler.solver.integer ASKED ANSWER`, two files of its own folder).
"""

from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from constraints.common.variables import Variables

from .bands import band_blocks, band_bound
from .relaxation import Program, Relaxed, branch_and_cut, dense, multipliers, strengthened

_ROUNDING = 1e-6  # HiGHS's feasibility tolerance is 1e-6; counts are whole numbers
_STARTING_SECONDS = 2.0
# (dual bound, primal bound, primal values): what the child writes
Answer = tuple[float | None, float | None, list[float] | None]


@dataclass(frozen=True)
class Whole:
    """What the branch and cut left: at least `unmatched` students with choices get none
    in every timetable (None: no bound), and its best solution's staff units by the
    model's variable index (empty: none found), with the students it leaves out."""

    unmatched: int | None
    units: dict[int, int]
    left_out: float | None


class WholeUnits:
    """The branch and cut, started at once in a child process for at most `seconds`."""

    def __init__(self, vars: Variables, seconds: float, relaxed: Relaxed | None = None):
        """With `relaxed` (the same model's relaxation, solved), its program and
        multipliers are used rather than built and solved again."""
        program, columns = (strengthened(vars) if relaxed is None
                            else (relaxed.program, relaxed.columns))
        duals = None if relaxed is None else relaxed.duals
        self._columns = unit_columns(vars, columns)
        integers = whole_columns(program, self._columns)
        blocks = band_blocks(vars, program, columns)
        # When its answer is due at the latest (the child's start takes about a second).
        self.due = time.perf_counter() + seconds + _STARTING_SECONDS
        self._folder = tempfile.TemporaryDirectory(prefix="afterschool-whole-")
        asked, self._answer = (Path(self._folder.name) / name for name in ("asked", "answer"))
        asked.write_bytes(pickle.dumps((program, integers, blocks, seconds, duals)))
        # A process of its own, not multiprocessing's: a spawned child would re-run the
        # caller's script, and a forked one would copy CP-SAT's threads.
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(asked), str(self._answer)],
            env=_with_this_package(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)

    def result(self, wait: float) -> Whole | None:
        """Its answer, waiting at most `wait` seconds for it (None: none by then, or the
        child failed); the child is stopped either way."""
        try:
            self._process.wait(max(0.0, wait))
            return self._read()
        except subprocess.TimeoutExpired:
            return None
        finally:
            self.stop()

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def answered(self) -> Whole | None:
        """Its answer if the child has ended (None: not yet, or it failed), the child
        left as it is."""
        return None if self.running else self._read()

    def _read(self) -> Whole | None:
        try:
            answer = pickle.loads(self._answer.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError):
            return None
        if answer is None:
            return None
        dual, primal, values = answer
        units = {} if values is None else {
            index: round(values[column]) for index, column in self._columns.items()}
        unmatched = None if dual is None else math.ceil(dual - _ROUNDING)
        return Whole(unmatched, units, primal if values is not None else None)

    def stop(self) -> None:
        if self.running:
            self._process.kill()
            self._process.wait()
        self._folder.cleanup()


def _with_this_package() -> dict[str, str]:
    """The environment, with the folder holding this package first on the child's path
    (a checkout run without installing it)."""
    root = str(Path(__file__).resolve().parents[2])
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def whole_columns(program: Program, units: dict[int, int]) -> np.ndarray:
    """Which of the program's columns are whole numbers in every timetable: the staff
    `units` (by the model's index) and each slot's sections."""
    whole = np.zeros(len(program.cost), dtype=bool)
    whole[[*units.values(), *program.whole]] = True
    return whole


def unit_columns(vars: Variables, columns: dict[int, int]) -> dict[int, int]:
    """The program's column of every staff unit, by the model's variable index."""
    return {unit.index: columns[unit.index]
            for data in vars.instance.schools for slot in data.slots
            for unit in vars.units(data.school.id, slot)}


def _branch_and_cut(asked: Path, answer: Path) -> None:
    """In the child: solve, and write (dual bound, primal bound, primal values) or None.

    A school of several bands (`scheduler.solver.bands`) is bounded band by band, which
    gives no layout; one of a single band by one branch and cut of the whole program,
    which gives both (measured, docs/solver.md "Whole staff units": where there were
    bands, their bound was the tighter and the whole program's layout never the better
    timetable)."""
    program, integers, blocks, seconds, duals = pickle.loads(asked.read_bytes())
    try:
        found = (_by_bands(program, integers, blocks, seconds, duals) if blocks.max() >= 1
                 else _whole(program, integers, seconds))
    except Exception:  # noqa: BLE001 - the parent reads no answer as no bound
        found = None
    written = answer.with_suffix(".part")
    written.write_bytes(pickle.dumps(found))
    written.replace(answer)  # whole or not at all, if the parent reads it early


def _whole(program: Program, integers: np.ndarray, seconds: float) -> Answer:
    return _answer(branch_and_cut(program, integers, seconds), len(program.cost))


def _by_bands(program: Program, integers: np.ndarray, blocks: np.ndarray, seconds: float,
              duals: np.ndarray | None) -> Answer | None:
    started = time.perf_counter()
    if duals is None:
        duals = multipliers(program, seconds)
    if duals is None:
        return None
    left = seconds - (time.perf_counter() - started)
    return band_bound(program, duals, blocks, integers, left), None, None


def _answer(result: Any, size: int) -> Answer:
    bounds = result.termination.objective_bounds
    dual = bounds.dual_bound if math.isfinite(bounds.dual_bound) else None
    for solution in result.solutions:
        if solution.HasField("primal_solution"):
            values = dense(solution.primal_solution.variable_values, size)
            return dual, bounds.primal_bound, values.tolist()
    return dual, None, None


if __name__ == "__main__":
    _branch_and_cut(Path(sys.argv[1]), Path(sys.argv[2]))
