"""Time `afterschool explain` on an infeasible M school; write the table into RESULTS.md.

Two breaks of the seeded M school (3,000 students): one the pre-checks see (every
supervising teacher busy on Tuesday afternoon) and one only the exact CP-SAT core finds
(supervised study capped at 5 groups a week). Run after `01_run_benchmark.py`, which keeps
this section when it rewrites RESULTS.md:

    python benchmarks/02_explain_benchmark.py
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from models.loader import load_text  # noqa: E402
from scheduler.explain import explain  # noqa: E402
from scheduler.generator import generate_district, yaml_text  # noqa: E402

MARKER = "## Explaining an infeasible M school"


def busy_tuesday(data: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    for teacher in broken["schools"][0]["teachers"]:
        if "homework" in teacher.get("skills", []):
            teacher["busy"] = {**teacher.get("busy", {}), "tue": ["12:00-18:00"]}
    return broken


def few_study_groups(data: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    for activity in broken["schools"][0]["activities"]:
        if activity.get("fallback"):
            activity["max_sections_week"] = 5
    return broken


BREAKS = {
    "every supervising teacher busy on Tuesday (pre-checks see it)": busy_tuesday,
    "supervised study capped at 5 groups a week (only the exact core)": few_study_groups,
}


def run(name: str, data: dict[str, Any], limit: float) -> str:
    loaded = load_text(yaml_text(data), "M-broken.yaml")
    started = time.perf_counter()
    result = explain(loaded, time_limit=limit)
    seconds = time.perf_counter() - started
    words = result.to_dict()
    causes = "; ".join(" + ".join(e["rule"] if isinstance(e, dict) and "rule" in e else str(e)
                                  for e in core)[:160] for core in words["causes"]) or "–"
    print(f"{name}: {result.status} in {seconds:.1f} s, minimal {result.minimal}", flush=True)
    return (f"| {name} | {result.status} | {seconds:.1f} s | {result.solves} | "
            f"{'yes' if result.minimal else 'not proven in time'} | "
            f"{len(result.conflicts)} | {len(words['causes'])} | {causes.replace('|', '/')} |")


def section(rows: list[str], limit: float) -> list[str]:
    return [
        MARKER, "",
        f"`python benchmarks/02_explain_benchmark.py` (time limit {limit:g} s for the CP-SAT "
        "part; seeded M school, seed 1, broken two ways). Target: under 60 s on 2 cores.", "",
        "| break | status | wall time | CP-SAT solves | core minimal | pre-check conflicts "
        "| causes | first elements |",
        "|---|---|---|---|---|---|---|---|",
        *rows, "",
    ]


def write(path: Path, lines: list[str]) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    head = text.split(MARKER)[0].rstrip("\n")
    path.write_text(head + "\n\n" + "\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=50.0)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    data = generate_district(1, 3000, seed=1, scarcity=0.7)
    rows = [run(name, breaker(data), args.time_limit) for name, breaker in BREAKS.items()]
    write(args.out, section(rows, args.time_limit))


if __name__ == "__main__":
    main()
