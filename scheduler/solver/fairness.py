"""Leximin fairness (`policy.fairness: leximin`, SPEC §8.5): lexicographic phases.

Before the full score is searched, the students of leximin schools are served in order:

1. as many as possible get one of their choices;
2. the worst rank any of them gets is as good as possible;
3. then the rank profile: as many as possible get their first choice, then their first
   or second, ... up to that worst rank.

In phases 1 and 3 a student counts 1 + priority (so `previous:` and `priority` decide who
goes first among equals); phase 2 is about ranks alone. Each phase's best value found is
held as a constraint for the next (its optimum when proven in time), and its timetable
starts the next phase. The phases share the time limit with the final full-score search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from constraints.common.terms import total
from models.instance import Group, SchoolData

from .model import Model
from .settings import SolveSettings, make_solver, status_of


@dataclass
class Ladder:
    """The phases' measures over the students of the leximin schools."""

    matched: list[cp_model.LinearExprT] = field(default_factory=list)  # weighted
    within: dict[int, list[cp_model.LinearExprT]] = field(default_factory=dict)  # rank -> weighted
    worst: cp_model.IntVar | None = None
    levels: list[int] = field(default_factory=list)  # the ranks students have, ascending


def leximin_schools(model: Model) -> list[SchoolData]:
    return [d for d in model.instance.schools if d.policy.fairness == "leximin"]


def build_ladder(model: Model, schools: list[SchoolData]) -> Ladder:
    """Variables for each student's best rank, added to the model (unused by other terms)."""
    ladder = Ladder()
    groups = [(d, g) for d in schools for g in d.groups if g.has_choices and g.ranks]
    ladder.levels = sorted({r for _, g in groups for r in g.ranks.values()})
    if not groups:
        return ladder
    ladder.worst = model.cp.new_int_var(0, ladder.levels[-1], "leximin[worst rank]")
    for data, group in groups:
        _student(model, data, group, ladder)
    return ladder


def _student(model: Model, data: SchoolData, group: Group, ladder: Ladder) -> None:
    """`matched` is exactly whether the student (alone in the group) has a club they
    chose; `got[k]` ≤ their seats in clubs ranked k or better; the worst rank is above k
    when they are matched but have no such club."""
    sid, cp = data.school.id, model.cp
    weight = 1 + group.priority
    seats = model.vars.seats_of(sid, group)
    ranked = {i: group.ranks[data.slots[i].activity.id] for i in seats
              if data.slots[i].activity.id in group.ranks}
    matched = cp.new_bool_var(f"leximin[{sid}/g{group.index}/matched]")
    cp.add(matched <= total(seats[i] for i in ranked))
    for index in ranked:
        cp.add(matched >= seats[index])
    ladder.matched.append(weight * matched)
    assert ladder.worst is not None
    last = max(group.ranks.values())
    for position, level in enumerate(ladder.levels[:-1]):
        if level >= last:  # every club of theirs is ranked this well: got = matched
            ladder.within.setdefault(level, []).append(weight * matched)
            continue
        within = [seats[i] for i, r in ranked.items() if r <= level]
        got = cp.new_bool_var(f"leximin[{sid}/g{group.index}/rank<={level}]")
        cp.add(got <= total(within))
        ladder.within.setdefault(level, []).append(weight * got)
        cp.add(ladder.worst >= ladder.levels[position + 1] * (matched - got))


def leximin_phases(model: Model, settings: SolveSettings, watch: cp_model.CpSolverSolutionCallback
                   ) -> SolveSettings:
    """Run the phases, holding each one's value; return the settings for the time left."""
    ladder = build_ladder(model, leximin_schools(model))
    if ladder.worst is None:
        return settings
    phases = _Phases(model, settings, watch)
    matched = total(ladder.matched)
    best = phases.run(matched, maximize=True, left=4)  # this, worst rank, profile, full
    if best is None:
        return phases.left()
    model.cp.add(matched >= best)
    worst = phases.run(ladder.worst, maximize=False, left=3)
    if worst is None:
        return phases.left()
    model.cp.add(ladder.worst <= worst)
    profile = [level for level in ladder.levels if level < worst]
    for step, level in enumerate(profile):
        measure = total(ladder.within[level])
        value = phases.run(measure, maximize=True, left=len(profile) - step + 1)
        if value is None:
            break
        model.cp.add(measure >= value)
    return phases.left()


@dataclass
class _Phases:
    """The phases' searches, sharing the time limit."""

    model: Model
    settings: SolveSettings
    watch: cp_model.CpSolverSolutionCallback
    spent: float = 0.0

    def left(self) -> SolveSettings:
        """The settings for the time still left."""
        return self.settings.model_copy(
            update={"time_limit": max(0.1, self.settings.time_limit - self.spent)})

    def run(self, objective: cp_model.LinearExprT, maximize: bool, left: int) -> int | None:
        """Search one phase on a copy of the model with 1/`left` of the time still left;
        its best value (None: nothing found), its timetable becoming the model's hint."""
        model = self.model
        phase = model.cp.clone()
        if maximize:
            phase.maximize(objective)
        else:
            phase.minimize(objective)
        seconds = max(0.1, (self.settings.time_limit - self.spent) / left)
        solver = make_solver(self.settings.model_copy(update={"time_limit": seconds}),
                             model.size)
        status = status_of(solver, solver.solve(phase, self.watch))
        self.spent += solver.deterministic_time if self.settings.deterministic \
            else solver.wall_time
        if not status.has_solution:
            return None
        model.hint_all(solver.response_proto.solution)
        return round(solver.objective_value)
