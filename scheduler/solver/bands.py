"""The bound in students by bands: the strengthened relaxation cut into blocks of clubs and
the children who chose them, each block with whole staff units, priced by the linear
relaxation's multipliers.

A school's clubs fall into bands: the clubs its children's choice lists join (on most
schools a grade band, as clubs are offered to grades 1-2, 3-4 or 5-6). A band's children,
their seats and its clubs' staff units share rows only with each other, save the rows of
what bands share: teachers who lead clubs of several bands, rooms, the budget, supervised
study. Those shared rows keep the linear relaxation's multipliers (a Lagrangian: a lower
bound at any multipliers), and every other row stays in its band's block, where HiGHS's
branch and cut holds staff units and sections whole. Each block's dual bound stands for
its minimum, so the sum is a lower bound on the students with choices who get none in
every timetable, never below the linear relaxation's at the same multipliers.

Why blocks and not one branch and cut (docs/solver.md "Whole staff units", measured on
the `mixed` family): a block is a third of the school and HiGHS closes it in seconds,
where the whole school's branch and cut is still cutting its root: on 600 students the
bands gave 66.0 students left out in 6 s against 65.8 after 120 s of the whole.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from constraints.common.variables import Variables
from models.instance import Group, Instance, Slot

from . import relaxation
from .relaxation import Columns, Program

_NONE = -1  # the block of what no band holds


def club_bands(instance: Instance) -> Bands:
    """The bands of the instance's clubs: the clubs one child chose are one band."""
    bands = Bands()
    for data in instance.schools:
        for group in data.groups:
            bands.join([(data.school.id, a) for a in group.ranks])
    return bands


def band_blocks(vars: Variables, program: Program, columns: Columns) -> np.ndarray:
    """Each program column's band (`_NONE`: staff of supervised study, and the rest no
    band holds alone): the clubs one child chose are one band, and a child's columns,
    supervised study's seats among them, go with it."""
    bands = club_bands(vars.instance)
    block = np.full(len(program.cost), _NONE, dtype=np.int64)
    for data in vars.instance.schools:
        sid = data.school.id
        slots = {slot.index: slot for slot in data.slots}
        for slot in data.slots:
            band = bands.of_club(sid, slot)
            if band is not None:
                block[[columns[u.index] for u in vars.units(sid, slot)]] = band
        unserved = vars.unserved_vars()
        for group in data.groups:
            own = bands.of_child(sid, group)
            if own is None:
                continue
            for index, seat in vars.seats_of(sid, group).items():
                band = bands.of_seat(sid, slots[index], group)
                block[columns[seat.index]] = own if band is None else band
            mine = [vars.unmatched[(sid, group.index)],
                    *(unserved[(sid, group.index, d)] for d in group.needs
                      if (sid, group.index, d) in unserved)]
            block[[columns[var.index] for var in mine]] = own
    sections_join_their_units(program, block, len(columns))
    return block


class Bands:
    """Union-find over (school, activity) keys, and a number for each band."""

    def __init__(self) -> None:
        self._parent: dict[tuple[str, str], tuple[str, str]] = {}
        self._number: dict[tuple[str, str], int] = {}

    def _root(self, key: tuple[str, str]) -> tuple[str, str]:
        while self._parent.setdefault(key, key) != key:
            key = self._parent[key]
        return key

    def join(self, keys: list[tuple[str, str]]) -> None:
        for key in keys[1:]:
            self._parent[self._root(key)] = self._root(keys[0])
        if keys:
            self._root(keys[0])

    def of(self, key: tuple[str, str]) -> int | None:
        if key not in self._parent:
            return None
        return self._number.setdefault(self._root(key), len(self._number))

    def of_child(self, sid: str, group: Group) -> int | None:
        """The band of a child's choices (None: the child chose none)."""
        return self.of((sid, next(iter(group.ranks)))) if group.ranks else None

    def of_club(self, sid: str, slot: Slot) -> int | None:
        """The band of a slot's club (None: supervised study, or a club no child chose)."""
        return None if slot.activity.fallback else self.of((sid, slot.activity.id))

    def of_seat(self, sid: str, slot: Slot, group: Group) -> int | None:
        """A seat's band: its club's, else (supervised study's) the child's."""
        club = self.of_club(sid, slot)
        return self.of_child(sid, group) if club is None else club


def sections_join_their_units(program: Program, block: np.ndarray, model_columns: int
                               ) -> None:
    """The program's own columns (each slot's sections, after the model's) join the block
    of the staff units they sum."""
    rows = np.array(program.entry_rows, dtype=np.int64)
    cols = np.array(program.entry_columns, dtype=np.int64)
    for row in np.unique(rows[cols >= model_columns]):
        members = cols[rows == row]
        blocks = set(block[members[members < model_columns]].tolist())
        if len(blocks) == 1 and _NONE not in blocks:
            block[members[members >= model_columns]] = blocks.pop()


def kept_rows(program: Program, block: np.ndarray) -> np.ndarray:
    """Each row's block where all its columns lie in one, else `_NONE` (a shared row)."""
    rows = np.array(program.entry_rows, dtype=np.int64)
    blocks = block[np.array(program.entry_columns, dtype=np.int64)]
    count = len(program.low)
    highest = np.full(count, -2, dtype=np.int64)
    lowest = np.full(count, 2**40, dtype=np.int64)
    np.maximum.at(highest, rows, blocks)
    np.minimum.at(lowest, rows, blocks)
    kept = np.full(count, _NONE, dtype=np.int64)
    same = (highest == lowest) & (highest >= 0)
    kept[same] = highest[same]
    return kept


def band_bound(program: Program, duals: np.ndarray, block: np.ndarray, whole: np.ndarray,
               seconds: float) -> float:
    """The Lagrangian at `duals` with each band a block whose `whole` columns are
    integers: at least this many students with choices get none."""
    return by_blocks(program, duals, block, seconds, lambda _, inside, rows, cost, left:
                     _block_minimum(program, inside, rows, cost, whole, left))


# (block number, its columns, its rows, the columns' costs, seconds): a lower bound on the
# block's minimum over its integer points (-inf: none)
BlockMinimum = Callable[[int, np.ndarray, np.ndarray, np.ndarray, float], float]


def by_blocks(program: Program, duals: np.ndarray, block: np.ndarray, seconds: float,
              minimum: BlockMinimum) -> float:
    """The Lagrangian at `duals` of the program cut into `block`s: the rows between
    blocks priced, each block's own minimum bounded by `minimum`. The blocks share
    `seconds`, each taking what the ones before it left unused."""
    kept = kept_rows(program, block)
    y = relaxation.signed(program, duals)
    shared = np.where(kept >= 0, 0.0, y)
    full, reduced = (relaxation.reduced_costs(program, m) for m in (y, shared))
    total = relaxation.sides(program, shared)
    total += relaxation.box_minimum(program, reduced, block == _NONE)
    count = int(block.max()) + 1
    deadline = time.perf_counter() + seconds
    for number in range(count):
        inside = block == number
        # The relaxation restricted to the block, its own rows priced back in: what the
        # block's minimum over its integer points can only raise.
        linear = (relaxation.box_minimum(program, full, inside)
                  + relaxation.sides(program, y - shared, kept == number))
        left = (deadline - time.perf_counter()) / (count - number)
        total += max(linear, minimum(number, inside, kept == number, reduced, left))
    return total


def _block_minimum(program: Program, inside: np.ndarray, rows: np.ndarray,
                   cost: np.ndarray, whole: np.ndarray, seconds: float) -> float:
    """HiGHS's dual bound on min cost·x over the block's columns and rows, its `whole`
    columns integers (-inf: none in `seconds`)."""
    if seconds <= 0:
        return -math.inf
    try:
        result = relaxation.branch_and_cut(_block(program, inside, rows, cost), whole[inside],
                                           seconds)
    except Exception:  # noqa: BLE001 - no bound from this block: its linear one stands
        return -math.inf
    dual = result.termination.objective_bounds.dual_bound
    return dual if math.isfinite(dual) else -math.inf


def _block(program: Program, inside: np.ndarray, rows: np.ndarray, cost: np.ndarray
           ) -> Program:
    """The block's columns and rows as a program of their own, numbered afresh."""
    columns, kept = np.flatnonzero(inside), np.flatnonzero(rows)
    column_at = np.full(len(program.cost), _NONE, dtype=np.int64)
    column_at[columns] = np.arange(len(columns))
    row_at = np.full(len(program.low), _NONE, dtype=np.int64)
    row_at[kept] = np.arange(len(kept))
    entry_rows = np.array(program.entry_rows, dtype=np.int64)
    mine = rows[entry_rows]
    return Program(
        lower=np.array(program.lower)[columns].tolist(),
        upper=np.array(program.upper)[columns].tolist(),
        cost=cost[columns].tolist(),
        low=np.array(program.low)[kept].tolist(), high=np.array(program.high)[kept].tolist(),
        entry_rows=row_at[entry_rows[mine]].tolist(),
        entry_columns=column_at[np.array(program.entry_columns, dtype=np.int64)[mine]].tolist(),
        entry_values=np.array(program.entry_values)[mine].tolist())
