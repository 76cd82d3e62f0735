"""Where is the bound in students loose? A study of the strengthened relaxation.

    python benchmarks/08_relaxation_study.py benchmarks/instances/families/mixed-M-seed1.yaml
    python benchmarks/08_relaxation_study.py FILE --slots go-34 rubik-56
    python benchmarks/08_relaxation_study.py FILE --blocks 5
    python benchmarks/08_relaxation_study.py FILE --support 180

Solves the relaxation behind `kpis.any_choice_share_bound` (`scheduler.solver.relaxation`)
and prints where its optimum opens sections: per club, the sections it opens in the week,
the children seated and how many per section, and how many slots open a fraction of a
section. `--slots` lists each slot of the named clubs: the fraction open, the children
whose grade, day and window fit it, and the seats given. `--blocks` computes a second
bound, the Lagrangian at the relaxation's duals with each club's columns kept whole as an
integer block (the rows lying wholly inside it kept, CP-SAT solving each block for up to
that many seconds), and `--support` searches the model, for that many seconds, with every
decision the relaxation leaves under 0.01 held at 0, for the most students with a choice
(docs/solver.md "Known limits", issue 14).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.instance import build_instance  # noqa: E402
from models.loader import load  # noqa: E402
from scheduler.solver import bands, integer, relaxation  # noqa: E402
from scheduler.solver.model import Model, build_model, held  # noqa: E402
from scheduler.solver.relaxation import Columns, Program  # noqa: E402
from scheduler.solver.solve import matching_model  # noqa: E402

SUPPORT = 0.01  # a decision the relaxation leaves under this is held at 0 by --support
SCALE = 10**6  # reduced costs are floored to millionths for CP-SAT's integer objective


def club_columns(model: Model, columns: Columns, slots: list, sid: str) -> list[int]:
    """The program's columns of these slots' staff units and seats."""
    found = []
    for slot in slots:
        found += [columns[u.index] for u in model.vars.units(sid, slot)]
        found += [columns[seat.index] for _, seat in model.vars.seats_in(sid, slot)]
    return found


def opened(model: Model, columns: Columns, x: np.ndarray, sid: str, slot) -> float:
    return float(sum(x[columns[u.index]] for u in model.vars.units(sid, slot)))


def seated(model: Model, columns: Columns, x: np.ndarray, sid: str, slot) -> float:
    return float(sum(x[columns[s.index]] for _, s in model.vars.seats_in(sid, slot)))


def where(model: Model, columns: Columns, x: np.ndarray) -> None:
    """Per club: sections opened, children seated, per section, slots opened in part."""
    for data in model.instance.schools:
        sid = data.school.id
        per_club: dict[str, list] = defaultdict(list)
        for slot in data.slots:
            per_club[slot.activity.id].append(slot)
        print(f"{'club':26s} {'min':>4s} {'sections':>9s} {'seated':>8s} {'per':>6s} "
              f"{'slots open':>10s} {'in part':>8s}")
        for club, slots in sorted(per_club.items()):
            sections = [opened(model, columns, x, sid, s) for s in slots]
            seats = sum(seated(model, columns, x, sid, s) for s in slots)
            total = sum(sections)
            if total < 1e-3:
                continue
            partial = sum(1 for v in sections if 1e-3 < v and abs(v - round(v)) > 1e-3)
            print(f"{club:26s} {slots[0].activity.min_size:4d} {total:9.2f} {seats:8.1f} "
                  f"{seats / total:6.1f} {sum(v > 1e-3 for v in sections):10d} {partial:8d}")


def slot_lines(model: Model, columns: Columns, x: np.ndarray, clubs: list[str]) -> None:
    for data in model.instance.schools:
        sid = data.school.id
        for slot in data.slots:
            if slot.activity.id not in clubs:
                continue
            share = opened(model, columns, x, sid, slot)
            if share < 1e-3:
                continue
            fit = sum(group.size for group, _ in model.vars.seats_in(sid, slot))
            staff = sum(1 for u in model.vars.teachers_of(sid, slot).values()
                        if x[columns[u.index]] > 1e-3)
            print(f"{slot.activity.id:20s} {slot.day} {slot.start // 60:02d}:{slot.start % 60:02d}"
                  f"  open {share:5.2f}  children who fit {fit:3d}  seated "
                  f"{seated(model, columns, x, sid, slot):5.2f}  teachers sharing it {staff}")


def block_bound(model: Model, program: Program, columns: Columns, duals: np.ndarray,
                seconds: float) -> float:
    """The Lagrangian at `duals` with each club's columns an integer block: a lower bound
    on the students with choices who get none (each block's CP-SAT bound, or its box
    value with every row priced where CP-SAT proves less)."""
    block = np.full(len(program.cost), -1, dtype=np.int64)
    clubs = _clubs(model)
    for number, (sid, slots) in enumerate(clubs):
        block[club_columns(model, columns, slots, sid)] = number
    bands.sections_join_their_units(program, block, len(columns))
    entries = _entries_by_block(program, bands.kept_rows(program, block))
    return bands.by_blocks(
        program, duals, block, seconds * len(clubs), lambda number, inside, _, cost, left:
        _block_minimum(program, np.flatnonzero(inside), entries[number], cost, left))


def band_bound(model: Model, program: Program, columns: Columns, duals: np.ndarray,
               seconds: float) -> float:
    """`scheduler.solver.bands`: the same Lagrangian with each band of clubs and its
    children a block, staff units and sections whole, HiGHS's branch and cut on each for
    up to `seconds`."""
    block = bands.band_blocks(model.vars, program, columns)
    whole = integer.whole_columns(program, integer.unit_columns(model.vars, columns))
    print(f"{int(block.max()) + 1} bands", flush=True)
    return bands.band_bound(program, duals, block, whole, seconds * (int(block.max()) + 1))


def _clubs(model: Model) -> list[tuple[str, list]]:
    clubs = []
    for data in model.instance.schools:
        per_club: dict[str, list] = defaultdict(list)
        for slot in data.slots:
            if not slot.activity.fallback:
                per_club[slot.activity.id].append(slot)
        clubs += [(data.school.id, slots) for slots in per_club.values()]
    return clubs


Entries = dict[int, list[tuple[int, int]]]  # a kept row's (column, coefficient) pairs


def _entries_by_block(program: Program, kept: np.ndarray) -> dict[int, Entries]:
    """The kept rows' entries, by block and row, in one pass over the matrix (a pass per
    block went over M's million entries sixty times)."""
    found: dict[int, Entries] = defaultdict(lambda: defaultdict(list))
    for row, col, value in zip(program.entry_rows, program.entry_columns,
                               program.entry_values, strict=True):
        if kept[row] >= 0:
            found[int(kept[row])][row].append((col, round(value)))
    return found


def _block_minimum(program: Program, inside: np.ndarray, entries: Entries,
                   reduced: np.ndarray, seconds: float) -> float:
    """CP-SAT's proven lower bound of the block's minimum over its integer points (costs
    floored to millionths: every block column is at least 0, so the floor only lowers)."""
    cp = cp_model.CpModel()
    x = {c: cp.new_int_var(math.ceil(program.lower[c] - 1e-9),
                           math.floor(program.upper[c] + 1e-9), "") for c in inside.tolist()}
    for row, terms in entries.items():
        expr = sum(value * x[col] for col, value in terms)
        if math.isfinite(program.low[row]):
            cp.add(expr >= math.ceil(program.low[row] - 1e-9))
        if math.isfinite(program.high[row]):
            cp.add(expr <= math.floor(program.high[row] + 1e-9))
    cp.minimize(sum(math.floor(reduced[c] * SCALE) * x[c] for c in x))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.solve(cp)
    return solver.best_objective_bound / SCALE


def support_search(model: Model, columns: Columns, x: np.ndarray, seconds: float) -> None:
    variables = model.cp.proto.variables
    outside = [(var.index, 0) for var in model.vars.decisions()
               if x[columns[var.index]] < SUPPORT and variables[var.index].domain[0] <= 0]
    cp = held(matching_model(model), outside)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.solve(cp)
    with_choices = model.instance.with_choices
    print(f"held at 0: {len(outside)} decisions; search {seconds:.0f} s: "
          f"{solver.status_name(status)}", end="")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(f", {100 * (1 + solver.objective_value / with_choices):.1f} % of students with "
              "choices get one")
    else:
        print()


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--seconds", type=float, default=300, help="for the relaxation")
    parser.add_argument("--slots", nargs="*", default=[], metavar="CLUB")
    parser.add_argument("--blocks", type=float, metavar="SECONDS")
    parser.add_argument("--support", type=float, metavar="SECONDS")
    parser.add_argument("--bands", type=float, metavar="SECONDS")
    args = parser.parse_args(argv)
    model = build_model(build_instance(load(args.file).district))
    program, columns = relaxation.strengthened(model.vars)
    started = time.perf_counter()
    solved = relaxation.primal_and_duals(program, args.seconds)
    if solved is None:
        raise SystemExit("the relaxation gave no solution in time")
    x, duals = solved
    unmatched = relaxation.lagrangian(program, duals)
    with_choices = model.instance.with_choices
    print(f"{args.file.name}: {len(program.cost)} columns, {len(program.low)} rows, "
          f"{time.perf_counter() - started:.1f} s; at least {unmatched:.2f} of "
          f"{with_choices} students with choices get none: bound "
          f"{100 * (1 - unmatched / with_choices):.1f} %")
    where(model, columns, x)
    slot_lines(model, columns, x, args.slots)
    if args.blocks is not None:
        blocked = block_bound(model, program, columns, duals, args.blocks)
        print(f"blocks: at least {blocked:.4f} get none (the relaxation: {unmatched:.4f})")
        unmatched = max(unmatched, blocked)
    if args.bands is not None:
        banded = band_bound(model, program, columns, duals, args.bands)
        print(f"bands: at least {banded:.4f} get none (the relaxation: {unmatched:.4f}): "
              f"bound {100 * (1 - banded / with_choices):.1f} %")
        unmatched = max(unmatched, banded)
    if args.support is not None:
        support_search(model, columns, x, args.support)
    return unmatched


if __name__ == "__main__":
    main()
