"""The bound by bands (`scheduler.solver.bands`): the Lagrangian of a program cut into
blocks is a lower bound on its minimum over integer points, whatever the cut, the
multipliers and the blocks' own bounds (each at most its block's minimum); and the
bands of a school are its clubs joined by the children who chose them."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.instance import build_instance
from models.loader import load
from scheduler.solver.bands import band_blocks, by_blocks, kept_rows
from scheduler.solver.model import build_model
from scheduler.solver.relaxation import Program, strengthened

COLUMNS = 4


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """Four columns in 0..2 and up to four rows of small whole coefficients."""
    program = Program()
    for _ in range(COLUMNS):
        program.cost[program.column(0.0, 2.0)] = float(draw(st.integers(-3, 3)))
    for _ in range(draw(st.integers(1, 4))):
        entries = {c: float(v) for c in range(COLUMNS)
                   if (v := draw(st.integers(-2, 2))) != 0}
        low, high = draw(st.sampled_from([(-math.inf, 2.0), (1.0, math.inf), (1.0, 3.0)]))
        program.row(entries or {0: 1.0}, low, high)
    return program


def points(program: Program, columns: np.ndarray, rows: np.ndarray):
    """Every integer point of the columns' box that keeps the rows (the rest at 0)."""
    for values in itertools.product(range(3), repeat=len(columns)):
        x = np.zeros(len(program.cost))
        x[columns] = values
        if all(_keeps(program, x, row) for row in np.flatnonzero(rows)):
            yield x


def _keeps(program: Program, x: np.ndarray, row: int) -> bool:
    total = sum(v * x[c] for r, c, v in zip(program.entry_rows, program.entry_columns,
                                           program.entry_values, strict=True) if r == row)
    return program.low[row] - 1e-9 <= total <= program.high[row] + 1e-9


def exact(program: Program):
    """Each block's minimum over its integer points, by enumeration."""
    def minimum(_: int, inside: np.ndarray, rows: np.ndarray, cost: np.ndarray,
                seconds: float) -> float:
        found = [float(cost @ x) for x in points(program, np.flatnonzero(inside), rows)]
        return min(found, default=math.inf)
    return minimum


@settings(max_examples=150, deadline=None)
@given(programs(), st.lists(st.integers(-1, 1), min_size=COLUMNS, max_size=COLUMNS),
       st.lists(st.floats(-3, 3), min_size=4, max_size=4), st.booleans())
def test_blocks_give_a_lower_bound(program: Program, cut: list[int], duals: list[float],
                                   weaker: bool) -> None:
    every_row = np.ones(len(program.low), dtype=bool)
    best = min((float(np.array(program.cost) @ x)
                for x in points(program, np.arange(COLUMNS), every_row)), default=math.inf)
    if not math.isfinite(best):
        return  # no integer point: nothing to bound
    block = np.array(cut, dtype=np.int64)
    if block.max() < 0:
        block[0] = 0
    block = _numbered(block)
    minimum = exact(program)
    if weaker:  # a block bound below the block's minimum (a branch and cut stopped early)
        def minimum(*args, _exact=minimum):  # type: ignore[no-untyped-def]
            return _exact(*args) - 1.0
    y = np.array(duals[:len(program.low)])
    assert by_blocks(program, y, block, 1.0, minimum) <= best + 1e-9


def _numbered(block: np.ndarray) -> np.ndarray:
    """Blocks numbered 0, 1, ... in order (-1 kept)."""
    numbers = {b: i for i, b in enumerate(sorted(set(block.tolist()) - {-1}))}
    return np.array([numbers.get(b, -1) for b in block.tolist()], dtype=np.int64)


@pytest.fixture(scope="module")
def two_bands(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from families import write_family
    return write_family(tmp_path_factory.mktemp("bands"), "mixed", "S", 1, students=150)


def test_a_schools_bands_are_its_clubs_joined_by_choices(two_bands: Path) -> None:
    vars = build_model(build_instance(load(str(two_bands)).district)).vars
    program, columns = strengthened(vars)
    block = band_blocks(vars, program, columns)
    (data,) = vars.instance.schools
    sid = data.school.id
    band_of = {}
    for slot in data.slots:
        units = {int(block[columns[u.index]]) for u in vars.units(sid, slot)}
        if slot.activity.fallback:
            assert units <= {-1}  # supervised study's staff are every band's
        elif units:
            assert len(units) == 1 and band_of.setdefault(slot.activity.id, units) == units
    assert len({b for units in band_of.values() for b in units}) == 2
    for group in data.groups:
        if group.ranks:
            own = block[columns[vars.unmatched[(sid, group.index)].index]]
            assert {int(own)} == {next(iter(band_of.get(a, {own}))) for a in group.ranks}
    # Every row that is not shared lies in one band.
    kept = kept_rows(program, block)
    rows = np.array(program.entry_rows)
    cols = np.array(program.entry_columns)
    for row in np.flatnonzero(kept >= 0)[:500]:
        assert set(block[cols[rows == row]].tolist()) == {kept[row]}
