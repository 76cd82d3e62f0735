"""Search by weekdays: free two days of the best timetable, hold the rest, improve.

CP-SAT's own neighbourhoods are generic (random variables, random constraints), and on a
school of hundreds of children each one costs more than its time slice, so few run
(docs/solver.md "Search"). A school's weekdays are nearly separate problems: only a
child's week (a club once, clubs per week, matched at all) and a teacher's week cap join
them. So this search frees every decision (staff units, named instructors, seats) of a
few weekdays, holds every other decision at the best timetable's value, and lets CP-SAT
improve that part from the best timetable; a child's clubs can move between the free
days, and the held days' share of every weekly rule is a constant. Improvements (and
equal timetables, to move on) are kept. The number of free days adapts: one more after a
part solved to optimality, one fewer after a part that timed out without improving. Trips
of visits (dated, few) and the helper variables stay free in every part.

Every part is the same model with some domains narrowed, so each timetable found keeps
every rule; the parts' bounds are not bounds of the whole and are never reported.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .model import Model, set_hint
from .settings import SolveSettings, SolveStatus, make_solver, status_of

# A part's time and size (measured: docs/solver.md "Search"): long enough for CP-SAT to
# presolve and improve it, short enough for many parts in a minute. On the 3,000-student
# mixed school, parts of two days (25,000 free decisions) for 6 s gave 66.5 % of students
# a choice in 60 s, parts of one day for 3 s 69.5 %, for 2 s 69.4 %; on 600-student
# schools two days (4,000-5,500 decisions) for 2-3 s gave the gains in RESULTS.md.
PART_SECONDS = (2.0, 3.0)
VARIABLES_PER_PART_SECOND = 5_000
PART_DECISIONS = 5_500


@dataclass
class Best:
    """The best timetable so far: every variable's value and the searched objective."""

    values: Sequence[int]
    objective: float


def decisions_by_day(model: Model) -> dict[str, list[int]]:
    """The decision variables of each weekday, by proto index."""
    vars = model.vars
    days: dict[str, list[int]] = defaultdict(list)
    for data in model.instance.schools:
        sid = data.school.id
        for slot in data.slots:
            found = days[slot.day]
            found += [v.index for v in vars.teachers_of(sid, slot).values()]
            for provider_id, var in vars.providers_of(sid, slot).items():
                found.append(var.index)
                found += [v.index for v in vars.leads_of(sid, slot, provider_id).values()]
            found += [v.index for _, v in vars.seats_in(sid, slot)]
    return {day: found for day, found in days.items() if found}


def part_seconds(variables: int) -> float:
    low, high = PART_SECONDS
    return min(high, max(low, variables / VARIABLES_PER_PART_SECOND))


def first_free_days(days: dict[str, list[int]]) -> int:
    """Two days, or as many whole days as keep a part under PART_DECISIONS free decisions
    when that is fewer, at least one (and one fewer than the week: a part of every day is
    the whole model). More start only by the adaptation: two is what was measured on the
    600-student schools."""
    if not days:
        return 0
    per_day = sum(len(found) for found in days.values()) / len(days)
    return max(1, min(2, len(days) - 1, int(PART_DECISIONS // per_day)))


class DaySearch:
    """Improve `best` on `phase` (the model's rules, some objective) by weekday parts."""

    def __init__(self, model: Model, phase: cp_model.CpModel, settings: SolveSettings,
                 callback: cp_model.CpSolverSolutionCallback | None = None):
        self.model = model
        self.phase = phase
        self.settings = settings
        self.callback = callback
        self.days = decisions_by_day(model)
        self.decisions = sorted({i for found in self.days.values() for i in found})
        self.rng = random.Random(settings.seed)
        self.free = first_free_days(self.days)
        self.parts = self.improved = 0

    @property
    def useful(self) -> bool:
        """Worth running: at least two weekdays to trade between."""
        return len(self.days) >= 2

    def run(self, best: Best, until: float, enough: float = float("inf")) -> Best:
        """Search parts until the clock reaches `until` (a `time.perf_counter()` value) or
        the objective reaches `enough`. Ctrl-C stops the part under way
        (scheduler.solver.interrupts) and raises here."""
        seconds = part_seconds(self.model.size)
        while ((left := until - time.perf_counter()) >= min(1.0, seconds)
               and best.objective < enough - 1e-9):
            best = self._part(best, min(seconds, left))
        return best

    def _part(self, best: Best, seconds: float) -> Best:
        days = self.rng.sample(sorted(self.days), self.free)
        free = {i for day in days for i in self.days[day]}
        part = self.phase.clone()
        variables = part.proto.variables
        for index in self.decisions:
            if index not in free:
                domain = variables[index].domain
                domain.clear()
                domain.extend((best.values[index], best.values[index]))
        set_hint(part, range(len(best.values)), best.values)
        solver = make_solver(self.settings.model_copy(update={"time_limit": seconds}),
                             self.model.size)
        status = status_of(solver, solver.solve(part, self.callback))
        self.parts += 1
        if not status.has_solution:
            return best
        objective = solver.objective_value
        improved = objective > best.objective + 1e-9
        if status == SolveStatus.OPTIMAL and self.free < len(self.days) - 1:
            self.free += 1
        elif not improved and self.free > 1:
            self.free -= 1
        if objective < best.objective - 1e-9:
            return best
        self.improved += improved
        return Best(list(solver.response_proto.solution), objective)
