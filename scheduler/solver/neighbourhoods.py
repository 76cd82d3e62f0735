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

With `seat_parts`, the search opens with a part that holds every section (staff units,
instructors) and frees every seat of the week instead, and runs one again after every day
part that changed the timetable: a child moves to a club on another day, which frees a
seat for another child, in chains that a part of two days rarely holds. Seating held
sections is small and its linear relaxation tight, so such a part usually ends proved
optimal in a fraction of a second (`part_solver`; docs/solver.md).

On large schools the matching phase runs its parts as a descent (`DaySearch` with
`descent`): single days first, larger neighbourhoods only where every smaller one is
proven to hold nothing better, and each proven one left alone until the timetable
changes.

Every part is the same model with some domains narrowed, so each timetable found keeps
every rule; the parts' bounds are not bounds of the whole and are never reported.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from ortools.sat.python import cp_model

from models.instance import Slot

from .bands import club_bands
from .memory import release
from .model import Model, held, set_hint
from .settings import SolveSettings, SolveStatus, make_solver, on_full_relaxation, status_of

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


def seat_indices(model: Model) -> list[int]:
    """Every seat variable of the week, by proto index."""
    vars = model.vars
    return sorted(v.index for data in model.instance.schools for slot in data.slots
                  for _, v in vars.seats_in(data.school.id, slot))


def decisions_by_day(model: Model) -> dict[str, list[int]]:
    """The decision variables of each weekday, by proto index."""
    vars = model.vars
    days: dict[str, list[int]] = defaultdict(list)
    for data in model.instance.schools:
        sid = data.school.id
        for slot in data.slots:
            found = days[slot.day]
            found += _staff(model, sid, slot)
            found += [v.index for _, v in vars.seats_in(sid, slot)]
    return {day: found for day, found in days.items() if found}


def _staff(model: Model, sid: str, slot: Slot) -> list[int]:
    """The slot's staff decisions (teachers, providers, their named instructors), by
    proto index."""
    vars = model.vars
    found = [v.index for v in vars.teachers_of(sid, slot).values()]
    for provider_id, var in vars.providers_of(sid, slot).items():
        found.append(var.index)
        found += [v.index for v in vars.leads_of(sid, slot, provider_id).values()]
    return found


def decisions_by_band_day(model: Model) -> dict[tuple[int, str], list[int]]:
    """The decision variables of each (band, weekday), by proto index: a club's staff
    units, instructors and seats go with its band (scheduler.solver.bands), supervised
    study's seats with the child's; band -1 holds the rest (supervised study's staff, and
    the seats of children who chose nothing)."""
    vars = model.vars
    bands = club_bands(model.instance)
    found: dict[tuple[int, str], list[int]] = defaultdict(list)
    for data in model.instance.schools:
        sid = data.school.id
        for slot in data.slots:
            club = bands.of_club(sid, slot)
            found[(_NO_BAND if club is None else club, slot.day)] += _staff(model, sid, slot)
            for group, var in vars.seats_in(sid, slot):
                band = bands.of_seat(sid, slot, group)
                found[(_NO_BAND if band is None else band, slot.day)].append(var.index)
    return {key: indices for key, indices in found.items() if indices}


_NO_BAND = -1


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


@dataclass(frozen=True)
class Neighbourhood:
    """The decisions of some weekdays, of one band (None: of every band), searched for
    `length` times a part's time."""

    days: tuple[str, ...]
    band: int | None = None
    length: float = 1.0


class DaySearch:
    """Improve `best` on `phase` (the model's rules, some objective) by weekday parts,
    and, with `seat_parts`, by parts that hold every section and free every seat of the
    week: first, and after every day part that changed the timetable.

    With `descent`, the parts go from small to large (a variable neighbourhood descent):
    each single day, then each band's pair of days where the school has several bands,
    then each pair of days for twice as long; a larger one only once every smaller one
    has been searched since the timetable last changed. A part that proves its
    neighbourhood holds nothing better is not searched again until the timetable changes;
    one cut short is, for twice as long, once every other one has been searched. When
    every neighbourhood is proven the search ends and hands its time on."""

    def __init__(self, model: Model, phase: cp_model.CpModel, settings: SolveSettings,
                 callback: cp_model.CpSolverSolutionCallback | None = None,
                 seat_parts: bool = False, descent: bool = False):
        self.model = model
        self.phase = phase
        self.settings = settings
        self.callback = callback
        self.days = decisions_by_day(model)
        self.decisions = sorted({i for found in self.days.values() for i in found})
        self.rng = random.Random(settings.seed)
        self.free = first_free_days(self.days)
        self.parts = self.improved = 0
        self.seats = seat_indices(model) if seat_parts else []
        self.seat_parts = self.seat_improved = 0
        # The best timetable's sections have not been re-seated since they last changed.
        self.unseated = bool(self.seats)
        self.pieces = decisions_by_band_day(model) if descent else {}
        self.order = self._neighbourhoods() if descent else []
        self.tried: set[Neighbourhood] = set()
        self.proven: set[Neighbourhood] = set()
        self.stretch = 1.0
        self.part = cp_model.CpModel()  # every part is written over this one model

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
            if self.unseated:
                best = self._seat_part(best, min(seconds * SEAT_PART_LENGTH, left))
            elif not self.order:
                best = self._day_part(best, min(seconds, left))
            elif (part := self._next()) is not None:
                best = self._descend(best, part, min(seconds * part.length * self.stretch, left))
            else:
                break  # every neighbourhood proven: nothing better near this timetable
        return best

    def _neighbourhoods(self) -> list[Neighbourhood]:
        """Single days, each band's pairs of days, pairs of days: each size in a random
        order."""
        days = sorted(self.days)
        pairs = list(combinations(days, 2)) if len(days) > 2 else []
        bands = sorted({band for band, _ in self.pieces if band != _NO_BAND})
        sizes = [[Neighbourhood((day,)) for day in days],
                 [Neighbourhood(pair, band) for band in bands for pair in pairs]
                 if len(bands) > 1 else [],
                 [Neighbourhood(pair, length=2.0) for pair in pairs]]
        return [n for size in sizes for n in self.rng.sample(size, len(size))]

    def _next(self) -> Neighbourhood | None:
        """The smallest neighbourhood not searched since the timetable last changed; once
        all have been, those cut short again, for twice as long; None: all proven."""
        for _ in range(2):
            for neighbourhood in self.order:
                if neighbourhood not in self.tried:
                    return neighbourhood
            if self.tried == self.proven:
                return None
            self.tried = set(self.proven)
            self.stretch *= 2
        return None

    def _free(self, neighbourhood: Neighbourhood) -> set[int]:
        if neighbourhood.band is None:
            return {i for day in neighbourhood.days for i in self.days[day]}
        return {i for day in neighbourhood.days for band in (neighbourhood.band, _NO_BAND)
                for i in self.pieces.get((band, day), ())}

    def _descend(self, best: Best, neighbourhood: Neighbourhood, seconds: float) -> Best:
        status, found, gain = self._search(best, self._free(neighbourhood), seconds)
        if gain > 0:
            self._changed()
        else:
            self.tried.add(neighbourhood)
            if status == SolveStatus.OPTIMAL:
                self.proven.add(neighbourhood)
        return found

    def _changed(self) -> None:
        """The timetable changed: every neighbourhood may hold something better again,
        and its sections are re-seated first."""
        self.tried.clear()
        self.proven.clear()
        self.stretch = 1.0
        self.unseated = bool(self.seats)

    def _day_part(self, best: Best, seconds: float) -> Best:
        days = self.rng.sample(sorted(self.days), self.free)
        status, found, gain = self._search(
            best, {i for day in days for i in self.days[day]}, seconds)
        self.unseated = self.unseated or (gain > 0 and bool(self.seats))
        if status == SolveStatus.OPTIMAL and self.free < len(self.days) - 1:
            self.free += 1
        elif gain <= 0 and self.free > 1:
            self.free -= 1
        return found

    def _seat_part(self, best: Best, seconds: float) -> Best:
        """Every section held, every seat of the week free: children move between
        sections, days and clubs in chains of moves that no part of two days holds."""
        _, found, gain = self._search(best, set(self.seats), seconds)
        if gain > 0 and self.order:
            self._changed()
        self.unseated = False
        self.seat_parts += 1
        self.seat_improved += gain > 0
        return found

    def _search(self, best: Best, free: set[int], seconds: float
                ) -> tuple[SolveStatus, Best, float]:
        """Search the part freeing `free` from `best`: its status, the better timetable
        (an equal one too, to move on) and the gain (0 when none)."""
        part = held(self.phase, ((i, best.values[i]) for i in self.decisions if i not in free),
                    into=self.part)
        set_hint(part, range(len(best.values)), best.values)
        solver = part_solver(self.settings, seconds, self.model.size)
        status = status_of(solver, solver.solve(part, self.callback))
        release()
        self.parts += 1
        if not status.has_solution or solver.objective_value < best.objective - 1e-9:
            return status, best, 0.0
        gain = solver.objective_value - best.objective
        gain = gain if gain > 1e-9 else 0.0
        self.improved += gain > 0
        return status, Best(list(solver.response_proto.solution), solver.objective_value), gain


def part_solver(settings: SolveSettings, seconds: float, variables: int) -> cp_model.CpSolver:
    """A solver for one part, whose full search runs on the full linear relaxation. With
    its held decisions fixed, a part is a small problem whose relaxation is tight: a seat
    part of a 600-student school ends proved optimal in a fraction of a second this way,
    where CP-SAT's two-worker portfolio (a light relaxation beside neighbourhood search)
    left it far from its bound after 20 s (docs/solver.md "Search"). A part proved
    optimal hands its time on."""
    return on_full_relaxation(
        make_solver(settings.model_copy(update={"time_limit": seconds}), variables))


# A seat part frees every seat of the week (a day part, those of two days, and their
# sections), so it gets twice a day part's time: on the 600-student scarce school one
# from the end of a solve gained most of its 20 s worth in its first 6 s, presolve
# included (docs/solver.md "Search").
SEAT_PART_LENGTH = 2.0
