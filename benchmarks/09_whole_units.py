"""How far the bound in students moves with whole staff units, against the optimum.

    python benchmarks/09_whole_units.py FILE [--seconds S] [--search S]
    python benchmarks/09_whole_units.py --family mixed --students 150 --seed 1

For one school (a file, or a family of `benchmarks/families.py` at a size): the students
with choices the linear relaxation leaves out at least (`scheduler.solver.relaxation`),
what the branch and cut on whole staff units proves and finds in `--seconds`
(`scheduler.solver.integer`), and what CP-SAT proves on the matching objective in
`--search` seconds (2 workers): on small schools the optimum, so the table shows how much
of the linear relaxation's gap is sections opened in part.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from ortools.sat.python import cp_model

from models.instance import build_instance
from models.loader import load
from scheduler.solver.integer import WholeUnits
from scheduler.solver.model import build_model
from scheduler.solver.relaxation import relaxed_unmatched
from scheduler.solver.solve import matching_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families import write_family  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--family")
    parser.add_argument("--students", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--search", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.file) if args.file else write_family(
            Path(folder), args.family, "S", args.seed, students=args.students)
        model = build_model(build_instance(load(str(path)).district))
    started = time.perf_counter()
    linear = relaxed_unmatched(model.vars)
    linear_seconds = time.perf_counter() - started
    started = time.perf_counter()
    whole = WholeUnits(model.vars, args.seconds).result(args.seconds + 30)
    whole_seconds = time.perf_counter() - started
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = args.search
    solver.parameters.num_workers = 2
    status = solver.solve(matching_model(model))
    print(f"{path.name}: {model.instance.with_choices} students with choices; left out at least:")
    print(f"  linear relaxation      {linear:8.2f}   ({linear_seconds:.1f} s)")
    if whole is not None:
        print(f"  whole staff units      {whole.unmatched!s:>8}   ({whole_seconds:.1f} s; "
              f"its layout leaves {whole.left_out} out in the program)")
    print(f"  CP-SAT, {solver.status_name(status):9s}     {-solver.best_objective_bound:8.0f}   "
          f"(found {-solver.objective_value:.0f}, {solver.wall_time:.1f} s)")


if __name__ == "__main__":
    main()
