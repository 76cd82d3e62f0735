"""Minimal-change repair on M, and the scenario table of the shipped examples (SPEC §8.2-8.3).

    python benchmarks/04_repair_benchmark.py [--base-limit 30] [--limit 20] [--repeats 2]

1. M (`afterschool generate --schools 1 --students 3000 --seed 1`) is solved once
   (`--base-limit` seconds); then the three teachers with the most class hours in that
   timetable leave (a scenario file), and the timetable is repaired with `--limit` seconds:
   wall time from input to verified timetable, students moved, sections changed. The same
   patched input solved from scratch with the same limit is the comparison.
   Target: repair in ≤ 20 s with fewer than 5 % of students moved.
2. The six scenarios of examples/scenarios/ on examples/district.yaml, side by side.

Writes the section "Repair and scenarios" at the end of benchmarks/RESULTS.md (the other
sections are left as they are).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.instance import BaseTimetable  # noqa: E402
from models.loader import load  # noqa: E402
from models.scenario import apply_scenario, load_scenario, read_scenario  # noqa: E402
from models.solution import Solution  # noqa: E402
from scheduler.generator import generate_district, write_district  # noqa: E402
from scheduler.scenario.changes import changes_of  # noqa: E402
from scheduler.scenario.run import run_scenarios  # noqa: E402
from scheduler.scenario.table import HEADERS, cells  # noqa: E402
from scheduler.solver.settings import SolveSettings  # noqa: E402
from scheduler.solver.solve import solve_district  # noqa: E402
from scheduler.verifier import verify  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
TITLE = "## Repair and scenarios (04_repair_benchmark.py)"


def busiest_teachers(solution: Solution, count: int) -> list[tuple[str, str]]:
    hours: Counter[tuple[str, str]] = Counter()
    for section in solution.sections:
        for ref in section.staff:
            if ref.teacher:
                hours[(section.school, ref.teacher)] += 1
    return [key for key, _ in sorted(hours.items(), key=lambda kv: (-kv[1], kv[0]))[:count]]


def repair_study(folder: Path, base_limit: float, limit: float, repeats: int) -> list[str]:
    path = folder / "M.yaml"
    write_district(generate_district(1, 3000, 1, 0.7), path)
    loaded = load(path)
    settings = SolveSettings(time_limit=base_limit)
    base = solve_district(loaded.district, settings).solution
    assert base is not None and verify(loaded.district, base).ok
    leaving = busiest_teachers(base, 3)
    scenario = folder / "three_teachers_leave.yaml"
    scenario.write_text("base: M.yaml\nname: three teachers leave\nchanges:\n" + "".join(
        f"  - remove: {{school: {s}, teacher: {t}}}\n" for s, t in leaving), encoding="utf-8")
    students = sum(len(s.students) for s in loaded.district.schools)
    rows = []
    for run in range(1, repeats + 1):
        for method in ("repair (--base)", "fresh solve"):
            started = time.perf_counter()
            _, patched = load_scenario(scenario)
            start = BaseTimetable(base) if method.startswith("repair") else None
            result = solve_district(patched.district, SolveSettings(time_limit=limit),
                                    base=start)
            new = result.solution
            seconds = time.perf_counter() - started
            if new is None:
                rows.append(f"| {run} | {method} | {seconds:.1f} s | {result.status.value} | "
                            "– | – | – | – | – |")
                continue
            ok = verify(patched.district, new, base if start else None).ok
            found = changes_of(patched.district, base, new)
            moved = found.students_moved()
            rows.append(f"| {run} | {method} | {seconds:.1f} s | {new.status} | "
                        f"{moved} ({100 * moved / students:.1f} %) | "
                        f"{found.student_sessions()} | {found.section_changes()} | "
                        f"{100 * new.kpis.any_choice_share:.1f} % | {'yes' if ok else 'NO'} |")
    head = [f"M: {students} students; base solved in {base_limit:g} s ({base.status}, any "
            f"choice {100 * base.kpis.any_choice_share:.1f} %, {len(base.sections)} sections). "
            f"Leaving: {', '.join(t for _, t in leaving)} (the three with the most sections). "
            f"Re-solve time limit {limit:g} s; wall time from reading the scenario to the "
            "timetable.", "",
            "| run | method | wall time | status | students moved | sessions moved | "
            "sections changed | any choice | verified |",
            "|---|---|---|---|---|---|---|---|---|"]
    return head + rows


def scenario_table(limit: float) -> list[str]:
    base = load(ROOT / "examples" / "district.yaml")
    files = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))
    scenarios = [(s, apply_scenario(s, base)) for s in map(read_scenario, files)]
    outcomes = run_scenarios(base, scenarios, SolveSettings(time_limit=limit), False, limit)
    headers = HEADERS["en"]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in cells(o.row)) + " |"
              for o in outcomes]
    return lines


def write_section(lines: list[str]) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if TITLE in text:
        text = text[: text.index(TITLE)].rstrip() + "\n"
    RESULTS.write_text(text.rstrip() + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-limit", type=float, default=30.0)
    parser.add_argument("--limit", type=float, default=20.0)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--scenario-limit", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        repair = repair_study(Path(folder), args.base_limit, args.limit, args.repeats)
    table = scenario_table(args.scenario_limit)
    lines = [TITLE, "",
             "`python benchmarks/04_repair_benchmark.py --base-limit "
             f"{args.base_limit:g} --limit {args.limit:g} --repeats {args.repeats}` on a 2-core "
             "machine shared with other engineers (times are noisy).", "",
             "### Repair after three teachers leave (target: ≤ 20 s, < 5 % of students moved)",
             "", *repair, "",
             "### The six example scenarios on examples/district.yaml "
             f"(`afterschool scenario examples/district.yaml examples/scenarios/*.yaml -o DIR "
             f"--time-limit {args.scenario_limit:g}`)", "", *table]
    write_section(lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
