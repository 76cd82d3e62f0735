"""Ours against the plain reference model, side by side, on the benchmark families.

    python benchmarks/03_families_benchmark.py --families mixed fet --sizes S --limits 60
    python benchmarks/03_families_benchmark.py --quick        # smoke test: tiny, 5 s

For each family instance (`benchmarks/families.py`, generated when missing) and each
CP-SAT seed, one after the other in this run, never two at once: ours
(`scheduler.solver.solve.solve_district`) and the reference
(`/work/shared/reference/ref_model.py FILE -o DIR --time-limit T --workers W`), each in a
child process (peak memory from `wait4`), same time limit and workers. Both timetables are
checked by `scheduler.verifier.verify` on their hard rules; their KPIs are the verifier's.
The reference scores choices only (its header), so its objective is not compared: its
solution is given our instance hash and its timetable's own recomputed objective before
verifying (else `verify` stops at "solution is for another input").

Writes `--out` (JSON, one record per solve, with our trajectory over time) and prints a
table with mean and spread (max − min) over seeds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from changes import add_set_option, parse_changes  # noqa: E402
from families import FAMILIES, SIZES, family_path, write_family  # noqa: E402

REFERENCE = Path(os.environ.get("AFTERSCHOOL_REFERENCE", "/work/shared/reference/ref_model.py"))
FOLDER = HERE / "instances" / "families"
QUICK_STUDENTS = 120


def run_child(command: list[str], limit: float) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak MB, stdout) of a child process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except KeyboardInterrupt:
            process.kill()
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024, text


def ours_child(path: str, limit: float, workers: int, seed: int, out: str,
               changes: dict[str, Any] | None = None, day_search: bool = True) -> None:
    """In the child: solve, write the solution and the trajectory as JSON."""
    from models.loader import load
    from scheduler.solver.settings import SolveSettings
    from scheduler.solver.solve import solve_district

    started = time.perf_counter()
    loaded = load(path)
    load_seconds = time.perf_counter() - started
    settings = SolveSettings(time_limit=limit, workers=workers, seed=seed, day_search=day_search)
    if changes:
        settings = SolveSettings.model_validate(settings.model_dump() | changes)
    result = solve_district(loaded.district, settings)
    record = {"status": str(result.status), "stats": result.stats,
              "load_seconds": round(load_seconds, 3), "build_seconds": result.build_seconds,
              "timeline": [vars(p) for p in result.timeline],
              "solution": result.solution.model_dump(mode="json") if result.solution else None}
    Path(out).write_text(json.dumps(record), encoding="utf-8")


def verified(path: Path, solution: dict[str, Any], own_hash: bool) -> dict[str, Any]:
    """The verifier's KPIs and verdict on a solution.json as a dict."""
    from models.loader import instance_sha256, load
    from models.solution import Solution
    from scheduler.verifier import score, verify

    district = load(path).district
    parsed = Solution.model_validate(solution)
    if not own_hash:  # the reference hashes the file's bytes and scores choices only
        parsed = parsed.model_copy(update={"instance_sha256": instance_sha256(district)})
        parsed = parsed.model_copy(update={"objective": score(district, parsed).objective})
    report = verify(district, parsed)
    kpis = report.kpis
    return {"verified": report.ok, "violations": [str(v) for v in report.violations[:3]],
            "any": kpis.any_choice_share, "first": kpis.first_choice_share,
            "with_choices": kpis.students_with_choices, "objective": report.objective,
            "bound_share": parsed.kpis.any_choice_share_bound}


CHANGES: dict[str, Any] = {}  # --set KEY=VALUE: ours with these solve settings changed


def run_ours(path: Path, limit: float, workers: int, seed: int, method: str = "ours"
             ) -> dict[str, Any]:
    """`method` "ours", or "no-days": ours without the day search (the solver before it)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ours.json"
        changes = json.dumps(CHANGES)
        days = "0" if method == "no-days" else "1"
        code, wall, peak, text = run_child(
            [sys.executable, __file__, "--child", str(path), str(limit), str(workers), str(seed),
             str(out), changes, days], limit)
        if code != 0 or not out.exists():
            return {"method": method, "error": text[-500:], "wall": wall}
        record = json.loads(out.read_text(encoding="utf-8"))
    row: dict[str, Any] = {"method": method, "wall": round(wall, 2), "peak_mb": round(peak),
                           "status": record["status"], "stats": record["stats"],
                           "timeline": record["timeline"]}
    lead = record["load_seconds"] + record["build_seconds"]
    first = record["stats"].get("first_solution_seconds")
    # The first timetable is the start (the completed greedy one) when the build made one.
    row["first_seconds"] = round(lead + first, 2) if first is not None and first == first \
        else None
    if record["solution"] is not None:
        row |= verified(path, record["solution"], own_hash=True)
    return row


def run_reference(path: Path, limit: float, workers: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        code, wall, peak, text = run_child(
            [sys.executable, str(REFERENCE), str(path), "-o", tmp, "--time-limit", str(limit),
             "--workers", str(workers), "--params", f"random_seed:{seed}"], limit)
        row: dict[str, Any] = {"method": "reference", "wall": round(wall, 2),
                               "peak_mb": round(peak), "summary": text.strip().splitlines()[-1:]}
        solution = Path(tmp) / "solution.json"
        if code != 0 or not solution.exists():
            return row | {"error": text[-500:]}
        data = json.loads(solution.read_text(encoding="utf-8"))
    row["first_seconds"] = _reference_first(text)
    return row | verified(path, data, own_hash=False)


def _reference_first(text: str) -> float | None:
    """'first solution 1.2s' from the reference's per-school line (from its own start)."""
    for line in text.splitlines():
        if "first solution" in line:
            try:
                return float(line.split("first solution")[1].split("s")[0])
            except ValueError:
                return None
    return None


def instance(name: str, size: str, quick: bool) -> Path:
    students = QUICK_STUDENTS if quick else SIZES[size]
    label = "quick" if quick else size
    path = family_path(FOLDER, name, label, 1)
    if not path.exists():
        write_family(FOLDER, name, label, 1, students)
    return path


def spread(rows: list[dict[str, Any]], key: str) -> tuple[float, float]:
    values = [r[key] for r in rows if r.get(key) is not None]
    if not values:
        return float("nan"), float("nan")
    return statistics.mean(values), max(values) - min(values)


def trajectory(row: dict[str, Any]) -> list[tuple[float, float]]:
    """Ours' live any-choice share (the model's count) at each improving timetable, by
    seconds since the process started (loading and building included)."""
    timeline = row.get("timeline") or []
    if not timeline or row.get("first_seconds") is None:
        return []
    lead = row["first_seconds"] - timeline[0]["seconds"]
    return [(lead + p["seconds"], p["any_choice_share"]) for p in timeline]


def live_share(row: dict[str, Any], at: float) -> float | None:
    """Ours' live any-choice share `at` seconds after the process started."""
    seen = [share for seconds, share in trajectory(row) if seconds <= at]
    return seen[-1] if seen else None


def _over_time(rows: list[dict[str, Any]]) -> str:
    cells = []
    for at in (10.0, 30.0):
        values = [v for v in (live_share(r, at) for r in rows) if v is not None]
        cells.append(f"{statistics.mean(values):.1%}" if values else "–")
    return " / ".join(cells)


def summary(records: list[dict[str, Any]]) -> list[str]:
    lines = ["| family | size | limit | method | any choice (mean, spread) | 1st choice | "
             "live any choice at 10 s / 30 s | bound | first solution | peak MB | verified |",
             "|" + "---|" * 11]
    keys = sorted({(r["family"], r["size"], r["limit"]) for r in records})
    for family, size, limit in keys:
        for method in ("ours", "no-days", "reference"):
            rows = [r for r in records if (r["family"], r["size"], r["limit"], r["method"])
                    == (family, size, limit, method)]
            if not rows:
                continue
            any_mean, any_spread = spread(rows, "any")
            first_mean, first_spread = spread(rows, "first")
            first_s, _ = spread(rows, "first_seconds")
            peak, _ = spread(rows, "peak_mb")
            bound, _ = spread(rows, "bound_share")
            ok = sum(1 for r in rows if r.get("verified"))
            bound_cell = "–" if bound != bound else f"{bound:.1%}"
            lines.append(f"| {family} | {size} | {limit:g} s | {method} | {any_mean:.1%} "
                         f"(±{any_spread * 100:.1f} pt over {len(rows)}) | {first_mean:.1%} | "
                         f"{_over_time(rows) if method != 'reference' else '–'} | "
                         f"{bound_cell} | {first_s:.1f} s | {peak:.0f} | {ok}/{len(rows)} |")
    return lines


COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#7f7f7f", "#17becf")


def svg_plot(records: list[dict[str, Any]], width: int = 720, height: int = 420) -> str:
    """Any-choice share over time: ours per family (seed 0, longest limit) as a line, the
    reference's final share as a dot at its limit; a hand-made SVG (no plotting library)."""
    left, right, top, bottom = 60, 160, 20, 40
    limit = max((r["limit"] for r in records), default=60.0)
    low = min((r["any"] for r in records if r.get("any") is not None), default=0.5) - 0.05

    def x(t: float) -> float:
        return left + (width - left - right) * min(t, limit) / limit

    def y(share: float) -> float:
        return top + (height - top - bottom) * (1 - (share - low) / (1 - low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{left}" y1="{y(low)}" x2="{x(limit)}" y2="{y(low)}" stroke="black"/>',
             f'<line x1="{left}" y1="{y(low)}" x2="{left}" y2="{y(1)}" stroke="black"/>']
    for k in range(6):
        t = limit * k / 5
        parts.append(f'<text x="{x(t)}" y="{height - 22}" text-anchor="middle">{t:g} s</text>')
    share = low
    while share <= 1.0001:
        parts.append(f'<text x="{left - 6}" y="{y(share) + 4}" text-anchor="end">'
                     f"{share:.0%}</text>")
        share += 0.05
    families = sorted({(r["family"], r["size"]) for r in records})
    for i, (family, size) in enumerate(families):
        colour = COLOURS[i % len(COLOURS)]
        mine = [r for r in records if (r["family"], r["size"]) == (family, size)]
        ours = [r for r in mine if r["method"] == "ours" and r["limit"] == limit
                and trajectory(r)]
        if ours:
            points = trajectory(ours[0])
            points.append((limit, points[-1][1]))
            path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         'stroke-width="1.5"/>')
        ref = [r for r in mine if r["method"] == "reference" and r["limit"] == limit
               and r.get("any") is not None]
        if ref:
            parts.append(f'<circle cx="{x(limit)}" cy="{y(ref[0]["any"]):.1f}" r="4" '
                         f'fill="none" stroke="{colour}"/>')
        parts.append(f'<text x="{width - right + 10}" y="{top + 14 * i + 10}" '
                     f'fill="{colour}">{family} {size}</text>')
    parts.append(f'<text x="{width - right + 10}" y="{top + 14 * len(families) + 20}">'
                 "line: ours; circle:</text>")
    parts.append(f'<text x="{width - right + 10}" y="{top + 14 * len(families) + 34}">'
                 "reference at the limit</text>")
    parts.append("</svg>")
    return "\n".join(parts)


BEGIN, END = "<!-- families:begin -->", "<!-- families:end -->"


def targets(records: list[dict[str, Any]]) -> list[str]:
    """The issue's targets per family and size at the longest limit: met or not, in numbers."""
    lines = []
    limit = max(r["limit"] for r in records)
    for family, size in sorted({(r["family"], r["size"]) for r in records}):
        rows = [r for r in records if (r["family"], r["size"], r["limit"]) == (family, size, limit)]
        ours = [r for r in rows if r["method"] == "ours"]
        ref = [r for r in rows if r["method"] == "reference"]
        if not ours or not ref:
            continue
        o_any, o_spread = spread(ours, "any")
        r_any, _ = spread(ref, "any")
        o_first, _ = spread(ours, "first")
        r_first, _ = spread(ref, "first")
        bound, _ = spread(ours, "bound_share")
        verdict = "not shown" if len(ours) < 3 else "met" if o_spread <= 0.02 else "not met"
        lines.append(
            f"- {family} {size}: any-choice {o_any:.1%} vs reference {r_any:.1%} "
            f"({(o_any - r_any) * 100:+.1f} pt; target +5 or within 1 pt of the bound: "
            f"{_any_target(o_any, r_any, bound)}; bound {bound:.1%}, "
            f"{(bound - o_any) * 100:.1f} pt above ours); 1st choice {o_first:.1%} vs "
            f"{r_first:.1%} ({'met' if o_first >= r_first else 'not met'}); spread over "
            f"{len(ours)} seed(s) {o_spread * 100:.1f} pt "
            f"({verdict})" + _first_solution_target(size, ours))
    return lines


def _first_solution_target(size: str, ours: list[dict[str, Any]]) -> str:
    """M's first timetable within 10 s, loading and building included."""
    if size != "M":
        return ""
    slowest = max((r["first_seconds"] for r in ours if r.get("first_seconds") is not None),
                  default=None)
    if slowest is None:
        return "; no first timetable recorded"
    return f"; first timetable after {slowest:.1f} s ({'met' if slowest <= 10 else 'not met'})"


def _any_target(ours: float, reference: float, bound: float) -> str:
    if ours - reference >= 0.05:
        return "met"
    return "met (near the bound)" if bound - ours <= 0.01 else "not met"


def write_results(path: Path, records: list[dict[str, Any]], command: str, plot: Path | None,
                  merged: bool = False) -> None:
    """`merged`: the records come from several runs (`command` says which), redrawn."""
    loads = [r["load"] for r in records]
    when = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    made = (f"Made by {command}; redrawn on {when}." if merged else
            f"Written by `{command}` on {when}. Machine load (1-min average, 2 cores) "
            f"{min(loads):.1f}–{max(loads):.1f} during the solves (a solve alone loads both "
            "cores to about 2; more means other jobs shared them); the methods ran one after "
            "the other in this one run.")
    block = [BEGIN, "## Families unlike `afterschool generate`: ours against the reference", "",
             made,
             "", "Any and 1st choice are the verifier's shares of students with choices. "
             "'verified' counts timetables with no violation of our rules (docs/rules.md); "
             "the reference's often break two of our decisions (a club at most once a week "
             "per student; rooms smaller than an activity's group size unused), so its "
             "shares are an optimistic yardstick.", "", *summary(records), "", "Targets:", "",
             *targets(records), ""]
    if plot is not None:
        block += [f"![any-choice share over time per family]({plot.name})", "",
                  "Lines: ours, seed 0, over the run (from the start of the process, "
                  "loading and building included); circles: the reference at the limit.", ""]
    block.append(END)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + "\n".join(block) + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(block) + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--sizes", nargs="+", default=["S"], choices=list(SIZES))
    parser.add_argument("--limits", nargs="+", type=float, default=[60.0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--methods", nargs="+", default=["ours", "reference"],
                        choices=["ours", "no-days", "reference"],
                        help="no-days: ours without the day search (the solver before it)")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_STUDENTS} students, 5 s, one seed (a smoke test)")
    parser.add_argument("--out", type=Path, default=HERE / "FAMILIES.json")
    parser.add_argument("--plot", type=Path, default=None,
                        help="write an SVG of any-choice over time (e.g. benchmarks/families.svg)")
    parser.add_argument("--results", type=Path, default=None,
                        help="write the table, targets and plot into this markdown file")
    parser.add_argument("--made-by", default=None,
                        help="the commands that made the records (with --from-json)")
    parser.add_argument("--from-json", action="store_true",
                        help="only redraw the table and plot from --out")
    add_set_option(parser)
    args = parser.parse_args(argv)
    CHANGES.update(parse_changes(args.set))
    if args.quick:
        args.limits, args.seeds, args.sizes = [5.0], args.seeds[:1], ["S"]
    records: list[dict[str, Any]] = []
    if args.from_json:
        records = json.loads(args.out.read_text(encoding="utf-8"))
        args.families = []
    for name in args.families:
        for size in args.sizes:
            path = instance(name, size, args.quick)
            for limit in args.limits:
                for seed in args.seeds:
                    for method in args.methods:
                        if method == "reference":
                            row = run_reference(path, limit, args.workers, seed)
                        else:
                            row = run_ours(path, limit, args.workers, seed, method)
                        if method == "ours" and CHANGES:
                            row["settings"] = dict(CHANGES)
                        row |= {"family": name, "size": "quick" if args.quick else size,
                                "limit": limit, "seed": seed, "load": os.getloadavg()[0]}
                        records.append(row)
                        print(f"{name} {row['size']} {limit:g}s seed {seed} {method}: any "
                              f"{row.get('any', float('nan')):.3f} first "
                              f"{row.get('first', float('nan')):.3f} verified "
                              f"{row.get('verified')} first-sol {row.get('first_seconds')} "
                              f"load {row['load']:.1f}", flush=True)
                        args.out.write_text(json.dumps(records, indent=1), encoding="utf-8")
    print("\n".join(summary(records)))
    if args.plot is not None:
        args.plot.write_text(svg_plot(records), encoding="utf-8")
    if args.results is not None:
        command = args.made_by or (
            "python benchmarks/03_families_benchmark.py " + " ".join(argv or sys.argv[1:]))
        write_results(args.results, records, command, args.plot, merged=bool(args.made_by))
    return 0 if all(r.get("verified") for r in records if r["method"] != "reference") else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        file, limit, workers, seed, out, changes, days = sys.argv[2:]
        ours_child(file, float(limit), int(workers), int(seed), out, json.loads(changes),
                   days == "1")
    else:
        sys.exit(main())
