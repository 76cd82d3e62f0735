"""What `policy.fairness` does to the choice KPIs (docs/allocation.md, SPEC §8.5).

Generates one seeded school, gives a tenth of its students with choices priority 1, and
solves it under `weighted` and under `leximin` (same deterministic time, 2 interleaved
workers and seed, so the numbers repeat on a machine shared with other work), then prints
per run: students with choices getting one, their 1st, the worst rank anyone gets, the rank
profile (share whose best club is their 1st, 2nd, ... choice), how the priority
students fare, and each timetable's score under `weighted` (to compare the two). Cheap
by default (one school of 200 students, 20 s a solve):

    python benchmarks/06_fairness_benchmark.py --students 200 --limit 20
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from constraints.common.context import attended, build, ranked_choices  # noqa: E402
from models.district import District  # noqa: E402
from models.loader import load  # noqa: E402
from models.solution import Solution  # noqa: E402
from scheduler.generator import generate_district, write_district  # noqa: E402
from scheduler.solver.settings import SolveSettings  # noqa: E402
from scheduler.solver.solve import solve_district  # noqa: E402
from scheduler.verifier import score, verify  # noqa: E402


def school(students: int, seed: int, scarcity: float) -> District:
    folder = Path(tempfile.mkdtemp(prefix="fairness-"))
    path = folder / "school.yaml"
    write_district(generate_district(1, students, seed, scarcity), path)
    district = load(path).district
    chose = [s for s in district.schools[0].students if s.choices]
    for student in random.Random(seed).sample(chose, len(chose) // 10):
        student.priority = 1
    return district


def profile(district: District, solution: Solution) -> dict[str, object]:
    """Best rank each student with choices got (None: none), summarised."""
    ctx = build(district, solution)
    sch = district.schools[0]
    attends = attended(ctx, sch)
    best: dict[str, int | None] = {}
    for student in sch.students:
        ranked = ranked_choices(sch, student)
        if ranked:
            got = [ranked.index(a) for a in attends.get(student.id, set()) if a in ranked]
            best[student.id] = min(got) if got else None
    n = len(best)
    counts = Counter(r for r in best.values() if r is not None)
    priority = [s.id for s in sch.students if s.priority and s.id in best]
    return {
        "with_choices": n,
        "any_choice_share": round(sum(r is not None for r in best.values()) / n, 4),
        "first_choice_share": round(counts[0] / n, 4),
        "worst_rank": max(counts) + 1 if counts else None,
        "rank_profile": {str(r + 1): round(counts[r] / n, 4) for r in sorted(counts)},
        "priority_any_share": round(sum(best[s] is not None for s in priority)
                                    / max(1, len(priority)), 4),
        "objective": solution.objective,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scarcity", type=float, default=0.7)
    parser.add_argument("--limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--wall-clock", action="store_true",
                        help="wall-clock limits (default: deterministic ones, so a run repeats "
                             "on a loaded machine)")
    args = parser.parse_args()
    district = school(args.students, args.seed, args.scarcity)
    settings = SolveSettings(time_limit=args.limit, workers=args.workers, seed=args.seed,
                             deterministic=not args.wall_clock)
    rows: dict[str, dict[str, object]] = {}
    solutions: dict[str, Solution] = {}
    for fairness in ("weighted", "leximin"):
        district.policy.fairness = fairness
        result = solve_district(district, settings)
        assert result.solution is not None, result.status
        assert verify(district, result.solution).ok
        rows[fairness] = {"status": result.status.value, **profile(district, result.solution)}
        solutions[fairness] = result.solution
    for fairness, solution in solutions.items():  # each timetable by the weighted score too
        district.policy.fairness = "weighted"
        rows[fairness]["weighted_score"] = score(district, solution).objective
    print(json.dumps({"args": vars(args), "runs": rows}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
