"""Districts (SPEC §7 L): decomposed against one model, wall time against size, Dask workers.

    python benchmarks/05_district_benchmark.py compare --schools 3 10 --students 600
    python benchmarks/05_district_benchmark.py scale --schools 10 30 100 --students 1500
    python benchmarks/05_district_benchmark.py dask --schools 10 --workers 1 2 4
    python benchmarks/05_district_benchmark.py plot --since 2026-12-02   # district-scale.svg

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
sys.path.insert(0, str(HERE))

from changes import add_set_option, parse_changes  # noqa: E402

from models.loader import load  # noqa: E402
from scheduler.district.decompose import components  # noqa: E402
from scheduler.district.solve import solve_whole  # noqa: E402
from scheduler.generator import generate_district, write_district  # noqa: E402
from scheduler.solver.settings import SolveSettings  # noqa: E402
from scheduler.verifier import verify  # noqa: E402

OUT = HERE / "district-results.jsonl"
PLOT = HERE / "district-scale.svg"


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
    phases: dict[str, int] = {}

    def heard(event: Any) -> None:
        phases[event.phase] = phases.get(event.phase, 0) + 1

    result = solve_whole(loaded.district, settings, executor, parallel, split,  # type: ignore[arg-type]
                         on_event=heard)
    solved_s = time.perf_counter() - started - loaded_s
    row: dict[str, Any] = {
        "instance": path.stem, "split": split, "per_solve_limit": settings.time_limit,
        "schools": len(loaded.district.schools),
        "students": sum(len(s.students) for s in loaded.district.schools),
        "components": len(components(loaded.district)), "load_s": round(loaded_s, 1),
        "solve_wall_s": round(solved_s, 1), "status": result.status.value,
        "bound": result.bound, "peak_mb": round(peak_mb()), "parts": phases,
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


def emit(row: dict[str, Any], changes: dict[str, Any] | None = None) -> None:
    if changes:
        row["set"] = changes
    row["machine"] = f"{platform.processor() or platform.machine()}, load " \
                     f"{open('/proc/loadavg').read().split()[0]}"
    row["date"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    print(json.dumps(row, ensure_ascii=False), flush=True)
    with OUT.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def scale_svg(rows: list[dict[str, Any]], width: int = 560, height: int = 320) -> str:
    """Wall time (load + solve) against schools, one point per `scale` run; a hand-made SVG."""
    left, right, top, bottom = 60, 20, 20, 40
    most_schools = max(r["schools"] for r in rows)
    most_seconds = max(r["load_s"] + r["solve_wall_s"] for r in rows) * 1.1

    def x(schools: float) -> float:
        return left + (width - left - right) * schools / most_schools

    def y(seconds: float) -> float:
        return top + (height - top - bottom) * (1 - seconds / most_seconds)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{left}" y1="{y(0)}" x2="{x(most_schools)}" y2="{y(0)}" stroke="black"/>',
             f'<line x1="{left}" y1="{y(0)}" x2="{left}" y2="{top}" stroke="black"/>',
             f'<text x="{width / 2}" y="{height - 6}" text-anchor="middle">schools '
             f'(1,500 students each)</text>',
             f'<text x="12" y="{top + 10}">wall s</text>']
    for k in range(5):
        seconds = most_seconds * k / 4
        parts.append(f'<text x="{left - 6}" y="{y(seconds) + 4}" text-anchor="end">'
                     f"{seconds:.0f}</text>")
    points = sorted((r["schools"], r["load_s"] + r["solve_wall_s"], r.get("verified"))
                    for r in rows)
    for schools, seconds, verified in points:
        colour = "#1f77b4" if verified else "#d62728"
        parts.append(f'<circle cx="{x(schools):.1f}" cy="{y(seconds):.1f}" r="4" '
                     f'fill="{colour}"/>')
        parts.append(f'<text x="{x(schools):.1f}" y="{height - 24}" '
                     f'text-anchor="middle">{schools}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def plot(since: str) -> None:
    rows = [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r.get("split") == "auto" and r.get("students", 0) >= 1500 * 10
            and r.get("date", "") >= since and r["students"] == 1500 * r["schools"]]
    if not rows:
        raise SystemExit(f"no scale runs since {since} in {OUT}")
    PLOT.write_text(scale_svg(rows), encoding="utf-8")
    print(f"{PLOT}: {len(rows)} runs")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["compare", "scale", "dask", "plot"])
    parser.add_argument("--schools", type=int, nargs="+", default=[3, 10])
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=5.0, help="seconds per solve")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--since", default="", help="plot: runs from this date on")
    add_set_option(parser)
    args = parser.parse_args(argv)
    if args.what == "plot":
        return plot(args.since)
    changes = parse_changes(args.set)
    settings = SolveSettings.model_validate({"time_limit": args.limit, "seed": 0} | changes)
    for schools in args.schools:
        path = instance(schools, args.students, args.seed)
        if args.what == "compare":
            whole = settings.model_copy(update={"time_limit": args.limit * schools})
            emit(measure(path, whole, "never"), changes)
            emit(measure(path, settings, "always"), changes)
        elif args.what == "scale":
            emit(measure(path, settings, "auto"), changes)
        else:
            from scheduler.district.dask import dask_executor

            for workers in args.workers:
                with dask_executor("local", workers) as (executor, width, memory, threads):
                    capped = settings.model_copy(update={"max_memory_mb": memory,
                                                         "workers": threads})
                    row = measure(path, capped, "always", executor, width)
                row["dask_workers"] = workers
                row["threads_per_worker"] = threads
                emit(row, changes)


if __name__ == "__main__":
    main()
