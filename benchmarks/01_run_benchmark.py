"""Run the SPEC §7 benchmark on this machine and write benchmarks/RESULTS.md.

    python benchmarks/01_run_benchmark.py --sizes S M --workers 2

For each instance: model size, build time, the aggregation of identical students, and one
solve per time limit (10, 30, 60 s), each in its own child process (so `ru_maxrss` is that
solve's peak memory), every timetable checked by the verifier. On the longest solve's
sections, first come first served and the lottery (mean of 5 seeds) are run and verified.
Solves run one after another, never two at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ladder import HERE, INSTANCES, LEVELS, SCARCITY, SEED, instance_path  # noqa: E402

LIMITS = (10.0, 30.0, 60.0)
LOTTERY_SEEDS = 5
SHARE_FOR_FIRST = 0.8
CHOICE_KPIS = ("first_choice_share", "any_choice_share", "no_choice_share")


# --- one solve, in a child process ----------------------------------------------------------

def child(path: str, limit: float, workers: int, seed: int, baselines: bool) -> dict[str, Any]:
    """Solve once; measure, verify, and (if asked) run the baselines on the same sections."""
    from models.loader import load
    from scheduler.solver.settings import SolveSettings
    from scheduler.solver.solve import solve_district
    from scheduler.verifier import verify

    loaded = load(path)
    settings = SolveSettings(time_limit=limit, workers=workers, seed=seed)
    result = solve_district(loaded.district, settings)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out: dict[str, Any] = {"limit": limit, "status": result.status, "stats": result.stats,
                           "peak_mb": round(peak_mb, 1),
                           "timeline": [vars(p) for p in result.timeline]}
    if result.solution is None:
        return out
    solution = result.solution
    report = verify(loaded.district, solution)
    out |= {"objective": solution.objective, "bound": solution.bound, "gap": solution.gap,
            "kpis": report.kpis.model_dump(), "verified": report.ok,
            "violations": [str(v) for v in report.violations[:3]],
            "violation_count": len(report.violations)}
    if baselines:
        out["baselines"] = run_baselines(loaded, solution)
    return out


def run_baselines(loaded: Any, solution: Any) -> dict[str, Any]:
    """FCFS and the lottery's mean over seeds 0..4, each verified, on the solver's sections."""
    from scheduler.solver.baselines import BaselineError, fcfs, lottery
    from scheduler.verifier import verify

    def one(make: Any) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            timetable = make()
        except BaselineError as error:
            return {"error": str(error)}
        report = verify(loaded.district, timetable)
        return {"objective": report.objective, "kpis": report.kpis.model_dump(),
                "verified": report.ok,
                "seconds": time.perf_counter() - started,
                "violations": [str(v) for v in report.violations[:3]]}

    return {"fcfs": one(lambda: fcfs(loaded, solution)),
            "lottery": [one(lambda s=s: lottery(loaded, solution, s))
                        for s in range(LOTTERY_SEEDS)]}


def run_child(path: Path, limit: float, workers: int, seed: int, baselines: bool) -> dict:
    command = [sys.executable, __file__, "--child", str(path), str(limit), str(workers),
               str(seed), "1" if baselines else "0"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"limit": limit, "status": "CRASHED", "error": done.stderr[-2000:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    return result


# --- one instance -----------------------------------------------------------------------------

def measure(name: str, workers: int, seed: int, limits: tuple[float, ...]) -> dict[str, Any]:
    path = instance_path(name)
    if not path.exists():
        from importlib import import_module
        import_module("00_generate_instances").generate(name, SEED, SCARCITY)
    info = describe(path)
    info["runs"] = []
    for limit in limits:
        print(f"{name}: solving with a {limit:g} s limit ...", flush=True)
        run = run_child(path, limit, workers, seed, baselines=limit == max(limits))
        print(f"  {summary_line(run)}", flush=True)
        info["runs"].append(run)
    return info


def describe(path: Path) -> dict[str, Any]:
    """Instance size and the effect of grouping identical students (models.instance)."""
    from models.instance import build_instance
    from models.loader import load

    loaded = load(path)
    started = time.perf_counter()
    instance = build_instance(loaded.district)
    seconds = time.perf_counter() - started
    schools = loaded.district.schools
    with_choices = instance.with_choices
    return {
        "path": str(path.relative_to(HERE.parent)), "sha256": loaded.sha256[:12],
        "schools": len(schools), "students": sum(len(s.students) for s in schools),
        "with_choices": with_choices,
        "groups": sum(len(d.groups) for d in instance.schools),
        "teachers": sum(len(s.teachers) for s in schools),
        "activities": sum(len(s.activities) for s in schools),
        "providers": len(loaded.district.providers),
        "slots": sum(len(d.slots) for d in instance.schools),
        "instance_seconds": round(seconds, 2),
    }


def summary_line(run: dict[str, Any]) -> str:
    if "objective" not in run:
        return f"{run['status']} (no timetable) {run.get('error', '')[-300:]}"
    return (f"{run['status']} objective {run['objective']:.1f} gap {run['gap']:.2%} "
            f"any-choice {run['kpis']['any_choice_share']:.1%} verified {run['verified']} "
            f"peak {run['peak_mb']:.0f} MB")


# --- the report -------------------------------------------------------------------------------

def first_good_seconds(runs: list[dict[str, Any]]) -> float | None:
    """Seconds into the solve of the first solution giving >= 80 % of students a choice."""
    longest = max(runs, key=lambda r: r["limit"])
    for event in longest.get("timeline", []):
        if event["any_choice_share"] >= SHARE_FOR_FIRST:
            return float(event["seconds"])
    return None


def machine() -> dict[str, str]:
    import ortools

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": f"{mem_kb / 2**20:.1f} GiB",
            "python": platform.python_version(), "ortools": ortools.__version__,
            "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def choice_cells(kpis: dict[str, Any] | None) -> list[str]:
    return [pct(kpis[k]) if kpis else "–" for k in CHOICE_KPIS]


def mean_kpis(runs: list[dict[str, Any]]) -> dict[str, float] | None:
    good = [r for r in runs if "kpis" in r]
    if not good:
        return None
    return {k: statistics.mean(r["kpis"][k] for r in good) for k in CHOICE_KPIS}


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| instance | method | time limit | status | objective | gap | 1st choice | "
             "any choice | none | verified | peak memory |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, info in results.items():
        for run in info["runs"]:
            lines.append(solver_row(name, run))
        longest = max(info["runs"], key=lambda r: r["limit"])
        lines += baseline_rows(name, longest)
    return lines


def solver_row(name: str, run: dict[str, Any]) -> str:
    if "objective" not in run:
        cells = [name, "CP-SAT", f"{run['limit']:g} s", run["status"], "–", "–", "–", "–", "–",
                 "–", f"{run.get('peak_mb', 0):.0f} MB"]
    else:
        verified = "yes" if run["verified"] else f"**no** ({run['violation_count']} violations)"
        cells = [name, "CP-SAT", f"{run['limit']:g} s", run["status"], f"{run['objective']:.1f}",
                 pct(run["gap"]), *choice_cells(run["kpis"]), verified,
                 f"{run['peak_mb']:.0f} MB"]
    return "| " + " | ".join(cells) + " |"


def baseline_rows(name: str, run: dict[str, Any]) -> list[str]:
    found = run.get("baselines")
    if not found:
        return [f"| {name} | FCFS / lottery | – | not run: the solver found no sections in "
                f"{run['limit']:g} s | – | – | – | – | – | – | – |"]
    rows = []
    fcfs = found["fcfs"]
    rows.append(_baseline_row(name, "FCFS (row order)", [fcfs]))
    rows.append(_baseline_row(name, f"lottery (mean of {LOTTERY_SEEDS} seeds)",
                              found["lottery"]))
    return rows


def _baseline_row(name: str, method: str, runs: list[dict[str, Any]]) -> str:
    good = [r for r in runs if "kpis" in r]
    if not good:
        error = runs[0].get("error", "")
        return f"| {name} | {method} | – | failed: {error} |" + " – |" * 7
    objective = statistics.mean(r["objective"] for r in good)
    verified = "yes" if all(r["verified"] for r in good) and len(good) == len(runs) else "**no**"
    cells = [name, method, "same sections", f"{len(good)}/{len(runs)} valid", f"{objective:.1f}",
             "–", *choice_cells(mean_kpis(good)), verified, "–"]
    return "| " + " | ".join(cells) + " |"


def instance_table(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| instance | students | with choices | groups (identical students) | teachers | "
             "activities | providers | slots | variables | constraints | build | "
             "first ≥ 80 % any-choice solution |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, info in results.items():
        stats = next((r["stats"] for r in info["runs"] if "stats" in r), {})
        builds = [r["stats"]["build_seconds"] for r in info["runs"] if "stats" in r]
        first = first_good_seconds(info["runs"])
        build = f"{statistics.median(builds):.1f} s" if builds else "–"
        good = "none in the longest solve" if first is None else f"{first:.1f} s after build"
        cells = [name, info["students"], info["with_choices"],
                 f"{info['groups']} ({info['groups'] / info['students']:.0%})", info["teachers"],
                 info["activities"], info["providers"], info["slots"],
                 stats.get("variables", "–"), stats.get("constraints", "–"), build, good]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return lines


def targets(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    if "S" in results:
        run = _run_at(results["S"], 10)
        found = run is not None and "gap" in run
        ok = found and (run["status"] == "OPTIMAL" or run["gap"] <= 0.005)  # type: ignore[index]
        got = f"{run['status']}, gap {run['gap']:.2%}" if found else "no timetable"  # type: ignore[index]
        lines.append(_target("S optimal or ≤ 0.5 % gap in 10 s", ok, got))
    if "M" in results:
        info = results["M"]
        first = first_good_seconds(info["runs"])
        builds = [r["stats"]["build_seconds"] for r in info["runs"] if "stats" in r]
        build = statistics.median(builds) if builds else 0.0
        ok = first is not None and first + build <= 10
        got = "never" if first is None else f"{first:.1f} s solving + {build:.1f} s build"
        lines.append(_target("M ≥ 80 % any-choice solution within 10 s", ok, got))
        run = _run_at(info, 30)
        ok = run is not None and "gap" in run and run["gap"] <= 0.01
        got = "no timetable" if run is None or "gap" not in run else f"gap {run['gap']:.2%}"
        lines.append(_target("M ≤ 1 % gap in 30 s", ok, got))
        peak = max(r.get("peak_mb", 0) for r in info["runs"])
        lines.append(_target("M peak memory ≤ 2 GB", peak <= 2048, f"{peak:.0f} MB"))
        lines.append(_lottery_target(info))
    return lines


def _lottery_target(info: dict[str, Any]) -> str:
    longest = max(info["runs"], key=lambda r: r["limit"])
    lottery = mean_kpis(longest.get("baselines", {}).get("lottery", []))
    name = "M any-choice share ≥ lottery + 10 points"
    if "kpis" not in longest or lottery is None:
        return _target(name, False, "not measured: no timetable from the solver")
    ours, theirs = longest["kpis"]["any_choice_share"], lottery["any_choice_share"]
    return _target(name, ours - theirs >= 0.10,
                   f"{ours:.1%} vs {theirs:.1%} ({100 * (ours - theirs):+.1f} points)")


def _run_at(info: dict[str, Any], limit: float) -> dict[str, Any] | None:
    return next((r for r in info["runs"] if r["limit"] == limit), None)


def _target(name: str, ok: bool, got: str) -> str:
    return f"- {name}: **{'met' if ok else 'not met'}** ({got})"


def notes(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for name, info in results.items():
        for run in info["runs"]:
            if run.get("violations"):
                lines.append(f"- {name} at {run['limit']:g} s, the verifier: "
                             + "; ".join(run["violations"]))
            if run["status"] == "CRASHED":
                lines.append(f"- {name} at {run['limit']:g} s crashed: "
                             f"`{run['error'].strip().splitlines()[-1]}`")
    return lines


def kept_sections(path: Path) -> list[str]:
    """The section `02_explain_benchmark.py` wrote, kept when this report is rewritten."""
    marker = "## Explaining an infeasible M school"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [marker + text.split(marker, 1)[1].rstrip("\n"), ""] if marker in text else []


def write_report(results: dict[str, dict[str, Any]], args: argparse.Namespace,
                 path: Path) -> None:
    box = machine()
    lines = [
        "# Benchmark results", "",
        f"Written by `python benchmarks/01_run_benchmark.py --sizes {' '.join(args.sizes)} "
        f"--workers {args.workers}` on {box['date']}.", "",
        f"Machine: {box['cpu']}, {box['cores']} cores, {box['ram']} RAM; Python "
        f"{box['python']}, OR-Tools {box['ortools']}. Other processes shared the machine, so "
        "times carry some noise.", "",
        "## Instances", "",
        f"Generated with seed {SEED}, scarcity {SCARCITY} (`benchmarks/00_generate_instances.py`)."
        " Groups are sets of identical students (same grade, class, days, pick-up and choices) "
        "that the model treats as one; the share is groups ÷ students.", "",
        *instance_table(results), "",
        "## Results", "",
        "One solve per time limit, each in a fresh process (peak memory = its `ru_maxrss`). "
        "Gap = (bound − objective) ÷ max(1, |bound|). Choice shares count students with "
        "choices. FCFS and lottery reuse the sections of the longest solve.", "",
        *table(results), "",
        "## Targets (SPEC §7 work order)", "",
        *targets(results), "",
    ]
    extra = notes(results)
    if extra:
        lines += ["## Notes", "", *extra, ""]
    lines += kept_sections(path)
    path.write_text("\n".join(lines), encoding="utf-8")
    (path.with_suffix(".json")).write_text(json.dumps(results, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        path, limit, workers, seed, baselines = argv[1:6]
        out = child(path, float(limit), int(workers), int(seed), baselines == "1")
        print(json.dumps(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(LEVELS), choices=list(LEVELS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="CP-SAT random seed")
    parser.add_argument("--limits", type=float, nargs="+", default=list(LIMITS))
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    INSTANCES.mkdir(exist_ok=True)
    results = {name: measure(name, args.workers, args.seed, tuple(args.limits))
               for name in args.sizes}
    write_report(results, args, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
