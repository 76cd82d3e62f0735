"""How many more first choices does a timetable of the same score allow?

    python benchmarks/07_first_choice_at_score.py benchmarks/instances/families/days-S-seed1.yaml
    python benchmarks/07_first_choice_at_score.py FILE --limit 60 --more 30 --seed 0
    python benchmarks/07_first_choice_at_score.py FILE --hold matched --more 60

Solves FILE as `afterschool solve` would (`--limit` seconds, 2 workers), then searches the
same model for `--more` seconds with the score held at least where the solve ended (or,
with `--hold matched`, the students with choices who get none held at most where it
ended) and the first-choice seats as the objective, starting from the solve's timetable.
Prints both first-choice shares, CP-SAT's bound on the second and the model's objective
of both timetables. Where the second equals the first, a lower first-choice share than
another method's is the price of a higher score, not a timetable the solver missed; with
`--hold matched`, the bound is the most first choices any timetable gives while seating
as many children (benchmarks/RESULTS.md, issue 14).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.instance import build_instance  # noqa: E402
from models.loader import load  # noqa: E402
from scheduler.solver.model import Model, set_hint  # noqa: E402
from scheduler.solver.settings import (  # noqa: E402
    SolveSettings,
    make_solver,
    on_full_relaxation,
)
from scheduler.solver.solve import Result, prepare, solve  # noqa: E402


def first_choice_seats(model: Model) -> list[cp_model.IntVar]:
    """Every seat of a student group in the activity listed first (rank 0, as the KPI
    counts it: a first choice not offered to the grade has no seat, and the second is
    not counted in its place)."""
    return [var for data in model.instance.schools for group in data.groups
            for index, var in model.vars.seats_of(data.school.id, group).items()
            if group.ranks.get(data.slots[index].activity.id) == 0]


def model_objective(model: Model, values: list[int]) -> int:
    """The model's objective (scaled score units) at these values."""
    objective = model.cp.proto.objective
    value = sum(c * values[v] for v, c in zip(objective.vars, objective.coeffs, strict=True))
    return round((value + objective.offset) * (objective.scaling_factor or 1))


HELD = {"score": "at that score or above", "matched": "seating as many children"}


def holding(model: Model, values: list[int], hold: str) -> cp_model.CpModel:
    """A copy of the model holding the score (`hold` "score") or the students with choices
    who get none (`hold` "matched") at least as good as at `values`."""
    held = model.cp.clone()
    if hold == "matched":
        unmatched = list(model.vars.unmatched.values())
        held.add(cp_model.LinearExpr.sum(unmatched) <= sum(values[v.index] for v in unmatched))
    else:
        terms = model.terms
        held.add(cp_model.LinearExpr.weighted_sum([t.expr for t in terms],
                                                  [t.weight for t in terms])
                 >= model_objective(model, values))
    return held


def main(argv: list[str] | None = None) -> Result:
    """Run the study; return the solve's result (its timetable, for checking)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--more", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hold", choices=("score", "matched"), default="score")
    args = parser.parse_args(argv)
    instance = build_instance(load(args.file).district)
    settings = SolveSettings(time_limit=args.limit, workers=2, seed=args.seed)
    model = prepare(instance, settings)
    result = solve(model, settings)
    if result.solution is None:
        sys.exit(f"{args.file}: no timetable in {args.limit:g} s ({result.status.value})")
    values = list(result.values)
    seats = first_choice_seats(model)
    with_choices = instance.with_choices
    held = holding(model, values, args.hold)
    held.maximize(cp_model.LinearExpr.sum(seats))
    set_hint(held, range(len(values)), values)
    solver = on_full_relaxation(
        make_solver(settings.model_copy(update={"time_limit": args.more}), model.size))
    status = solver.solve(held)
    before = sum(values[var.index] for var in seats)
    print(f"{args.file.name}: score {result.solution.objective:g}, first choice "
          f"{before / with_choices:.2%} after the solve")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(f"  {HELD[args.hold]}, {args.more:g} s more: first choice "
              f"{solver.objective_value / with_choices:.2%}, at most "
              f"{solver.best_objective_bound / with_choices:.2%} ({solver.status_name(status)}); "
              f"the model's objective {model_objective(model, values)} → "
              f"{model_objective(model, list(solver.response_proto.solution))}")
    else:
        print(f"  {HELD[args.hold]}: nothing found in {args.more:g} s")
    return result


if __name__ == "__main__":
    main()
