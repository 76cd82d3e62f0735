"""Districts (SPEC §7 L): decomposed against one model, wall time against size, Dask workers.

    python benchmarks/05_district_benchmark.py compare --schools 3 10 --students 600
    python benchmarks/05_district_benchmark.py scale --schools 10 30 100 --students 1500
    python benchmarks/05_district_benchmark.py dask --schools 10 --workers 1 2 4

Districts come from `afterschool generate --sharing district` (providers serving 2-8 nearby
schools, a few 20+, named instructors, travel times), seeded. Every timetable is checked
by the independent verifier. Each run prints one JSON line per measurement and appends it
to benchmarks/district-results.jsonl; RESULTS.md quotes them.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from models.loader import load  # noqa: E402
from scheduler.district.decompose import components  # noqa: E402
from scheduler.district.solve import solve_whole  # noqa: E402
from scheduler.generator import generate_district, write_district  # noqa: E402
from scheduler.solver.settings import SolveSettings  # noqa: E402
from scheduler.verifier import verify  # noqa: E402

OUT = HERE / "district-results.jsonl"


def instance(schools: int, students: int, seed: int) -> Path:
    path = HERE / "instances" / f"district-{schools}x{students}-s{seed}.yaml"
    if not path.exists():
        write_district(generate_district(schools, students, seed, sharing="district"), path)
    return path


def peak_mb() -> float:
    """Largest resident memory of this process and of any pool worker it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def measure(path: Path, settings: SolveSettings, split: str, executor: Any = None,
            parallel: int | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    loaded = load(path)
    loaded_s = time.perf_counter() - started
    result = solve_whole(loaded.district, settings, executor, parallel, split)  # type: ignore[arg-type]
    solved_s = time.perf_counter() - started - loaded_s
    row: dict[str, Any] = {
        "instance": path.stem, "split": split, "per_solve_limit": settings.time_limit,
        "schools": len(loaded.district.schools),
        "students": sum(len(s.students) for s in loaded.district.schools),
        "components": len(components(loaded.district)), "load_s": round(loaded_s, 1),
        "solve_wall_s": round(solved_s, 1), "status": result.status.value,
        "bound": result.bound, "peak_mb": round(peak_mb()),
    }
    if result.solution is not None:
        report = verify(loaded.district, result.solution)
        kpis = report.kpis
        row.update(objective=result.solution.objective, verified=report.ok,
                   any_choice=round(kpis.any_choice_share, 4),
                   first_choice=round(kpis.first_choice_share, 4),
                   covered=round(kpis.covered_share, 4),
                   violations=[str(v) for v in report.violations[:3]])
    else:
        row["failed"] = result.failed
    return row


def emit(row: dict[str, Any]) -> None:
    row["machine"] = f"{platform.processor() or platform.machine()}, load " \
                     f"{open('/proc/loadavg').read().split()[0]}"
    print(json.dumps(row, ensure_ascii=False), flush=True)
    with OUT.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["compare", "scale", "dask"])
    parser.add_argument("--schools", type=int, nargs="+", default=[3, 10])
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=5.0, help="seconds per solve")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args(argv)
    settings = SolveSettings(time_limit=args.limit, seed=0)
    for schools in args.schools:
        path = instance(schools, args.students, args.seed)
        if args.what == "compare":
            whole = settings.model_copy(update={"time_limit": args.limit * schools})
            emit(measure(path, whole, "never"))
            emit(measure(path, settings, "always"))
        elif args.what == "scale":
            emit(measure(path, settings, "auto"))
        else:
            from scheduler.district.dask import dask_executor

            for workers in args.workers:
                with dask_executor("local", workers) as (executor, width, memory):
                    capped = settings.model_copy(update={"max_memory_mb": memory})
                    row = measure(path, capped, "always", executor, width)
                row["dask_workers"] = workers
                emit(row)


if __name__ == "__main__":
    main()
