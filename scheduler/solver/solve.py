"""The staged solve: district -> instance -> model (+ hint) -> `solve(model, settings)` -> Result.

`solve_district` runs the stages for a district held in memory (or some of its schools,
with shared capacity already reserved elsewhere); districts, scenarios and explanations
drive the stages themselves.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from constraints.common.keys import TermName
from constraints.common.terms import SCALE
from constraints.together.report import labelled, pairs
from models.district import District
from models.instance import BaseTimetable, Instance, Reservation, build_instance
from models.loader import instance_sha256
from models.solution import SectionOut, Solution, TogetherPair

from .bound import (
    ChoiceBound,
    choice_bound,
    linear_bound_seconds,
    plain,
    with_bound,
    with_fewest,
)
from .decisions import decisions_of
from .extract import extract
from .fairness import leximin_phases, leximin_schools
from .hint import add_hint
from .integer import Whole, WholeUnits
from .memory import release
from .model import Decisions, Model, Start, build_model, domain_bound, held, objective_at
from .neighbourhoods import Best, DaySearch, seat_indices
from .relaxation import Relaxed, relax
from .score import kpis, score, unmatched_students
from .settings import (
    LEAN_PRESOLVE_VARIABLES,
    SMALL_MODEL_VARIABLES,
    SolveSettings,
    SolveStatus,
    cores,
    make_solver,
    on_full_relaxation,
    status_of,
)
from .substitute import substitute
from .ties import break_ties


@dataclass
class Progress:
    """One improving solution: seconds since the solve began, score, bound, choice KPI.

    `improved` is False for a tick: the best so far again, at a later time, so a progress
    bar moves with the clock between solutions. `bounding` says the search is over and
    the bound in students is being computed (scheduler.solver.relaxation). `start` marks
    the timetable the search starts from (the completed hint), found before it."""

    seconds: float
    objective: float
    bound: float
    any_choice_share: float
    improved: bool = True
    bounding: bool = False
    start: bool = False


@dataclass
class Result:
    """What a solve gives back; infeasible is a status, not an exception."""

    status: SolveStatus
    solution: Solution | None = None
    objective: float | None = None
    bound: float | None = None
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    stats: dict[str, float | int] = field(default_factory=dict)
    timeline: list[Progress] = field(default_factory=list)
    # The model's variables at the timetable found (by proto index; empty when none), for
    # a caller that searches on from it (benchmarks/07_first_choice_at_score.py).
    values: Sequence[int] = ()

    @property
    def first_solution_seconds(self) -> float | None:
        return self.timeline[0].seconds if self.timeline else None


ProgressHandler = Callable[[Progress], None]
TICK_SECONDS = 1.0


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Records each improving solution, and passes it on for live progress."""

    def __init__(self, model: Model, started: float, on_progress: ProgressHandler | None):
        super().__init__()
        self.terms = model.terms
        self.full_score = False  # True while a phase searches on part of the objective
        # A bound proven earlier that bounds the score too (the choice phase's): the full
        # phase's own bound starts looser, and the bound shown never rises.
        self.bound_cap = float("inf")
        # While the search runs on parts of the model (scheduler.solver.neighbourhoods) or
        # on another objective (the matching phase), its bounds do not bound the score,
        # so only `bound_cap` is shown; a timetable no better than `part_floor` (the best
        # so far on the searched objective) is not news.
        self.own_bound_hidden = False
        self.part_floor = float("-inf")
        # A value of the searched objective no timetable can beat (the bound in students,
        # in the matching phase): the search stops there and hands on its time.
        self.enough = float("inf")
        # The same, known while the search runs (the whole-units bound, `_heeding`).
        self.heeded = float("inf")
        self.solver: cp_model.CpSolver | None = None  # the phase's, while it searches
        self.unmatched = list(model.vars.unmatched.values())
        self.with_choices = model.instance.with_choices
        self.started = started
        self.on_progress = on_progress
        self.bounding = False
        self.timeline: list[Progress] = []
        self.lock = threading.Lock()  # ticks come from another thread

    def adopt(self, start: Start, bound: float) -> None:
        """Report the start, a whole timetable before any search, as the first found."""
        missing = sum(start.values[v.index] for v in self.unmatched)
        self.bound_cap = min(self.bound_cap, bound)  # CP-SAT's first bounds can be looser
        self._report(Progress(time.perf_counter() - self.started, start.objective / SCALE,
                              bound / SCALE, self._share(missing), start=True))

    def _share(self, missing: int) -> float:
        return 1 - missing / self.with_choices if self.with_choices else 1.0

    def _report(self, event: Progress) -> None:
        self.timeline.append(event)
        if self.on_progress:
            with self.lock:
                self.on_progress(event)

    def on_solution_callback(self) -> None:
        if self.objective_value >= min(self.enough, self.heeded) - 1e-9:
            self.stop_search()
        if self.own_bound_hidden:  # report only improvements of the searched objective
            if self.objective_value <= self.part_floor + 1e-9:
                return
            self.part_floor = self.objective_value
        missing = sum(self.value(v) for v in self.unmatched)
        objective = self.objective_value
        if self.full_score:  # the score of this timetable, not the phase's own objective
            objective = sum(t.weight * self.value(t.expr) for t in self.terms
                            if not isinstance(t.expr, int))
        bound = self.bound_cap if self.own_bound_hidden else min(self.best_objective_bound,
                                                         self.bound_cap)
        self._report(Progress(time.perf_counter() - self.started, objective / SCALE,
                              bound / SCALE, self._share(missing)))

    def heed(self, enough: float) -> None:
        """A value of the searched objective no timetable can beat, learnt while the
        search runs: it stops there, at once if its best is there already."""
        with self.lock:
            self.heeded = enough
            if self.part_floor >= enough - 1e-9 and self.solver is not None:
                self.solver.stop_search()  # asynchronous, safe from another thread

    def tick(self) -> None:
        """Pass on the best so far at the current time (no new solution)."""
        if self.on_progress and self.timeline:
            last = self.timeline[-1]
            event = replace(last, seconds=time.perf_counter() - self.started, improved=False,
                            bounding=self.bounding)
            with self.lock:
                self.on_progress(event)


def _ticking(watcher: _Watcher, every: float = TICK_SECONDS) -> AbstractContextManager[None]:
    """Tick the watcher every `every` seconds while the search runs."""
    def tick() -> bool:
        watcher.tick()
        return False
    return _every(every, tick)


@contextmanager
def _every(seconds: float, action: Callable[[], bool]) -> Iterator[None]:
    """Run `action` in a thread every `seconds` while the block runs, until it says done."""
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(seconds):
            if action():
                return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextmanager
def _bounding(watcher: _Watcher, slow: bool) -> Iterator[None]:
    """Say that the bound is being worked out while the linear relaxation runs (up to
    minutes on big schools), then show the last progress line again."""
    if not slow:
        yield
        return
    watcher.bounding = True
    with _ticking(watcher):
        watcher.tick()
        yield
    watcher.bounding = False
    watcher.tick()


def solve_district(
    district: District,
    settings: SolveSettings | None = None,
    on_progress: ProgressHandler | None = None,
    schools: Iterable[str] | None = None,
    reserved: Sequence[Reservation] = (),
    base: BaseTimetable | None = None,
) -> Result:
    """Every stage for a district in memory, or for the schools named in it; with `base`,
    a minimal-change re-solve that starts from that timetable (SPEC §8.3)."""
    settings = settings or SolveSettings()
    started = time.perf_counter()
    instance = build_instance(district, schools, reserved, base=base)
    model = prepare(instance, settings) if base is None else prepare_from(instance, settings)
    return solve(model, settings, on_progress, build_seconds=time.perf_counter() - started)


def prepare(
    instance: Instance, settings: SolveSettings, hint: Decisions | None = None,
    fixed: Decisions | None = None,
) -> Model:
    """The model with a start: `hint` if given, else the greedy timetable (when enabled)."""
    model = build_model(instance, hint=hint, fixed=fixed)
    if hint is None and settings.hint:
        add_hint(model, instance)
    if hint is not None or settings.hint:
        complete_hint(model, settings)
    return model


def prepare_from(instance: Instance, settings: SolveSettings) -> Model:
    """The model of a re-solve, started from its base timetable (what still fits of it)."""
    assert instance.base is not None
    model = build_model(instance)
    values, left_out = decisions_of(model, instance.base.solution)
    model.hint(substitute(model, values, left_out))
    if not complete_hint(model, settings):
        # A child who joined has no seat in the base, so with every seat held the start
        # breaks a rule; the base's sections held and the seats free, it is usually whole.
        complete_hint(model, settings, free=set(seat_indices(model)))
    return model


def solve(
    model: Model,
    settings: SolveSettings | None = None,
    on_progress: ProgressHandler | None = None,
    build_seconds: float = 0.0,
) -> Result:
    """Search, then turn the best assignment into a timetable with its score and KPIs."""
    settings = settings or SolveSettings()
    asked = settings.time_limit  # the phases below hand on the time left
    started = time.perf_counter()
    watcher = _Watcher(model, started, on_progress)
    if model.start is not None:
        watcher.adopt(model.start, domain_bound(model.cp))
    linear = linear_bound_seconds(model.instance, asked, model.size)
    early = _early_bound(model, settings, linear, watcher)
    with _ticking(watcher):
        settings, phases = _before_full(model, settings, watcher, early)
        solver = _search_solver(settings, settings.time_limit, model,
                                _phased(model, settings))
        status = status_of(solver, solver.solve(model.cp, watcher))
    found = Found(list(solver.response_proto.solution),
                  min(solver.best_objective_bound, watcher.bound_cap))
    if not status.has_solution:
        found, status = _earlier(model, phases.earlier, watcher.bound_cap, found, status)
    seconds = time.perf_counter() - started
    result = Result(status, build_seconds=build_seconds, solve_seconds=seconds,
                    timeline=watcher.timeline)
    result.stats = _stats(model, result) | phases.stats() | {
        "start_timetable": int(model.start is not None)}
    release(model.size)  # before the bound's own program
    if status.has_solution:
        bounding = time.perf_counter()
        fewest = phases.fewest if plain(model.instance) else 0
        if early is not None:
            bound = with_fewest(early.bound, fewest)
        else:
            with _bounding(watcher, linear > 0):
                bound = choice_bound(model.vars, linear, fewest)
        seconds_bounding = time.perf_counter() - bounding + (early.seconds if early else 0)
        result.stats["bound_seconds"] = round(seconds_bounding, 3)
        result.solution = _solution(model, found, status, build_seconds + seconds, bound)
        result.values = found.values
        result.status = SolveStatus(result.solution.status)
        result.objective, result.bound = result.solution.objective, result.solution.bound
    return result


@dataclass
class _Phases:
    """What the phases before the full search leave: their last timetable (kept if the
    full search finds nothing), the day search (its counts), and the fewest students with
    choices who get none that the matching phase proved."""

    earlier: Found | None = None
    search: DaySearch | None = None
    matching: DaySearch | None = None  # the matching phase's parts
    fewest: int = 0
    reached: bool = False  # the matching phase reached the bound in students, and stopped
    heeded: bool = False  # ... or the branch and cut's (learnt while it searched)
    whole: int = 0  # 1: the branch and cut answered; 2: and its layout was taken

    def _matching_stats(self) -> dict[str, float | int]:
        search = self.matching
        if search is None or not search.parts:
            return {}
        return {"match_parts": search.parts, "match_parts_improved": search.improved,
                "match_seat_parts": search.seat_parts,
                "match_seat_improved": search.seat_improved}

    def stats(self) -> dict[str, float | int]:
        if self.search is None:
            return {}
        return {"whole_units": self.whole,
                "day_parts": self.search.parts, "day_parts_improved": self.search.improved,
                "seat_parts": self.search.seat_parts, "seat_improved": self.search.seat_improved,
                **self._matching_stats(),
                "fewest_unmatched": self.fewest,
                # 1: the linear bound, 2: the branch and cut's (known while it searched)
                "matching_reached_bound": 1 if self.reached else 2 if self.heeded else 0}


def _before_full(model: Model, settings: SolveSettings, watcher: _Watcher,
                 early: _EarlyBound | None = None) -> tuple[SolveSettings, _Phases]:
    """The phases before the full search, and the settings for the time they leave."""
    phases = _Phases()
    if leximin_schools(model):
        return _fairness_phases(model, settings, watcher), phases
    if not _phased(model, settings):
        return settings, phases
    if _matching(model, settings):
        enough = None if early is None else early.bound.with_choices - early.bound.reachable
        whole = _whole_units(model, settings, early)
        try:
            with _heeding(whole, watcher):
                (settings, phases.earlier, phases.fewest, phases.reached,
                 phases.matching) = _match_phase(model, settings, watcher, enough)
                phases.heeded = (phases.earlier is not None and not phases.reached
                                 and phases.earlier.objective >= watcher.heeded - 1e-9)
            if whole is not None and not (phases.reached or _proved(phases)):
                settings = _from_whole(model, settings, watcher, whole, phases)
        finally:
            if whole is not None:
                whole.stop()
    settings, found, phases.search = _choice_phase(model, settings, watcher, phases.earlier)
    phases.earlier = found or phases.earlier
    return settings, phases


def _phased(model: Model, settings: SolveSettings) -> bool:
    """Whether the choice phase (and the matching phase before it) runs."""
    return not (settings.choice_phase == 0 or settings.deterministic
                or model.size <= SMALL_MODEL_VARIABLES or leximin_schools(model))


def _matching(model: Model, settings: SolveSettings) -> bool:
    return (match_share(model, settings) > 0 and bool(model.vars.unmatched)
            and model.instance.base is None)


@dataclass
class _EarlyBound:
    bound: ChoiceBound
    seconds: float
    relaxed: Relaxed | None = None  # its relaxation, solved: the branch and cut starts there


# The bound in students is worked out before the search, not after, on models this small
# (the relaxation took 2-3 s on 600-student schools, 44-49 s on the 3,000-student one:
# docs/solver.md): the matching phase stops when it reaches it and hands its time on.
EARLY_BOUND_VARIABLES = LEAN_PRESOLVE_VARIABLES


def _early_bound(model: Model, settings: SolveSettings, linear: float, watcher: _Watcher
                 ) -> _EarlyBound | None:
    if (linear <= 0 or model.size > EARLY_BOUND_VARIABLES
            or not (_phased(model, settings) and _matching(model, settings))):
        return None
    started = time.perf_counter()
    with _bounding(watcher, True):
        relaxed = relax(model.vars, linear)
        bound = choice_bound(model.vars, relaxed=relaxed)
    return _EarlyBound(bound, time.perf_counter() - started, relaxed)


def _earlier(model: Model, first: Found | None, cap: float, found: Found,
             status: SolveStatus) -> tuple[Found, SolveStatus]:
    """The last phase found nothing in its time: keep an earlier phase's timetable (same
    rules, same variables; its bound bounds the score too), else the start, which keeps
    every rule too."""
    if first is not None:
        return first, SolveStatus.FEASIBLE
    if model.start is not None and status == SolveStatus.UNKNOWN:
        # CP-SAT's bound reads 0 when it stopped before finding anything; `cap` holds the
        # domains' bound since the start was adopted.
        return Found(model.start.values, cap), SolveStatus.FEASIBLE
    return found, status


# The matching phase searches by weekday parts after its opening only on models this
# large (measured, 60 s, seeds 0-2: on the 3,000-student mixed school, 66,700 variables,
# 73.4 % of students with choices got one against 69.3 % without the parts; on the
# 600-student one, 12,400 variables, 84.7 % against 85.8 %): on small models CP-SAT's
# own search of the whole model does well on this objective.
MATCH_PARTS_VARIABLES = LEAN_PRESOLVE_VARIABLES
# Its share of the time where the settings name none. Measured (60 s, seeds 0-2, one
# session each, docs/solver.md "Search"): on 600-student schools 0.8 gave the same share of
# students with a choice as 0.6 and fewer first choices; on the 3,000-student one, still
# climbing at 0.6 of the time, 0.6 / 0.8 / 0.9 gave 73.3 / 75.1 / 74.4 % (first choice
# 43.9 / 43.5 / 41.0 %).
MATCH_SHARE = 0.6
MATCH_SHARE_BY_PARTS = 0.8


def match_share(model: Model, settings: SolveSettings) -> float:
    if settings.match_phase is not None:
        return settings.match_phase
    return MATCH_SHARE_BY_PARTS if model.size > MATCH_PARTS_VARIABLES else MATCH_SHARE


def _match_phase(model: Model, settings: SolveSettings, watcher: _Watcher,
                 enough: int | None = None
                 ) -> tuple[SolveSettings, Found | None, int, bool, DaySearch]:
    """Search the same rules for the fewest students with choices who get none, and hint
    the model with the best timetable; return the settings for the time left, that
    timetable (None: none found), the fewest such students CP-SAT proved (a bound in
    students on this model's rules), whether it stopped at `enough` such students (the
    bound in students: none can do better), and its search by parts (its counts).

    Why (measured, docs/solver.md "Search"): this objective alone is one CP-SAT searches
    far better than the choice terms, whose rank weights make most moves that seat one
    more child cost another child's rank; on 600-student schools of three families, 36-48
    of 60 s on it before the choice phase gave 3-4 more points of students with a choice
    and a better score on every term but the group count."""
    started = time.perf_counter()
    phase = matching_model(model)
    target = float("inf") if enough is None else -enough
    parts = model.size > MATCH_PARTS_VARIABLES
    descent = parts and settings.descent
    found, search, proven = _phase_search(
        model, phase, settings, settings.time_limit * match_share(model, settings), watcher,
        parts=parts, bounds_score=False, enough=target,
        seat_parts=descent and settings.seat_parts, descent=descent)
    fewest = 0 if found is None else math.ceil(-proven - 1e-9)
    reached = found is not None and found.objective >= target - 1e-9
    return _time_left(settings, started), found, fewest, reached, search


def matching_model(model: Model) -> cp_model.CpModel:
    """A copy of the model maximising minus the students with choices who get none."""
    phase = model.cp.clone()
    phase.maximize(-cp_model.LinearExpr.sum(list(model.vars.unmatched.values())))
    return phase


# The branch and cut on whole staff units gets this share of the matching phase (it stops
# before the phase ends, so its answer is there when the phase is), and its layout this
# long to be seated (on 600-student schools CP-SAT seats it in under a second).
WHOLE_SHARE = 0.8
WHOLE_SEAT_SECONDS = 5.0


def _whole_units(model: Model, settings: SolveSettings, early: _EarlyBound | None
                 ) -> WholeUnits | None:
    """The branch and cut on whole staff units, started, where the bound was worked out
    before the search (only there is the relaxation quick enough to branch on), and only
    for a solve that has the machine (solves side by side, a district's schools, already
    share every core; on one core it would halve the search's time)."""
    if (early is None or not settings.whole_units or settings.parallel_solves > 1
            or cores() < 2):
        return None
    seconds = settings.time_limit * match_share(model, settings) * WHOLE_SHARE
    return WholeUnits(model.vars, seconds, early.relaxed)


@contextmanager
def _heeding(whole: WholeUnits | None, watcher: _Watcher) -> Iterator[None]:
    """While the matching phase runs, its search stops at the branch and cut's bound as
    soon as that is known (no timetable leaves fewer students out), and hands its time on
    as it does at the linear bound. Measured: docs/solver.md "Whole staff units"."""
    if whole is None:
        yield
        return

    def heed() -> bool:  # done once the child has ended, answered or failed
        if whole.running:
            return False
        answer = whole.answered()
        if answer is not None and answer.unmatched is not None:
            watcher.heed(-answer.unmatched)
        return True

    try:
        with _every(HEED_SECONDS, heed):
            yield
    finally:
        watcher.heeded = float("inf")


HEED_SECONDS = 0.25


def _proved(phases: _Phases) -> bool:
    """Whether the matching phase proved its timetable the best on its objective."""
    return phases.earlier is not None and -phases.earlier.objective <= phases.fewest


def _from_whole(model: Model, settings: SolveSettings, watcher: _Watcher, whole: WholeUnits,
                phases: _Phases) -> SolveSettings:
    """Take the branch and cut's bound, and its layout of sections where CP-SAT, holding
    it, seats more students with choices than the matching phase did; the settings for
    the time left."""
    started = time.perf_counter()
    # Ended at its time limit (the matching phase ran its whole share), or soon: a phase
    # that ended early found nothing, and the layout may then be all there is.
    answer = whole.result(wait=min(whole.due - started, settings.time_limit / 4))
    if answer is None:
        return _time_left(settings, started)
    phases.whole = 1
    if answer.unmatched is not None:
        phases.fewest = max(phases.fewest, answer.unmatched)
    best = phases.earlier
    if not answer.units or answer.left_out is None or (
            best is not None and -best.objective <= answer.left_out):
        return _time_left(settings, started)
    seated = _seated(model, settings, watcher, answer, best)
    if seated is not None:
        phases.earlier, phases.whole = seated, 2
        model.hint_all(seated.values)
    return _time_left(settings, started)


def _seated(model: Model, settings: SolveSettings, watcher: _Watcher, answer: Whole,
            best: Found | None) -> Found | None:
    """The matching phase's search with the layout's staff units held: its timetable,
    when it seats more than `best` (progress shows only such timetables)."""
    phase = held(matching_model(model), answer.units.items())
    seconds = min(WHOLE_SEAT_SECONDS, settings.time_limit / 4)
    solver = make_solver(settings.model_copy(update={"time_limit": seconds}), model.size)
    floor = float("-inf") if best is None else best.objective
    with _on_phase(watcher, bound_hidden=True, floor=floor):
        status = status_of(solver, solver.solve(phase, watcher))
    if not status.has_solution or solver.objective_value <= floor + 1e-9:
        return None
    return Found(list(solver.response_proto.solution), watcher.bound_cap,
                 solver.objective_value)


# The terms the first phase keeps. Every term left out is never positive (weights are
# >= 0, so -spread, -cost, -mixing, -groups <= 0): the phase's bound bounds the score too.
CHOICE_TERMS = (TermName.CHOICE_RANK, TermName.UNMATCHED_STUDENT,
                TermName.UNCOVERED_STUDENT_DAY, TermName.PROVIDER_RATING)


def choice_terms_model(model: Model) -> cp_model.CpModel:
    """A copy of the model (same rules, same variables) maximising the choice terms."""
    phase = model.cp.clone()
    terms = [t for t in model.terms if t.name in CHOICE_TERMS]
    phase.maximize(cp_model.LinearExpr.weighted_sum([t.expr for t in terms],
                                                    [t.weight for t in terms]))
    return phase


def _choice_phase(
    model: Model, settings: SolveSettings, watcher: _Watcher, earlier: Found | None = None
) -> tuple[SolveSettings, Found | None, DaySearch]:
    """Search the same rules on the choice terms, then by weekday parts from the best
    timetable (scheduler.solver.neighbourhoods; with parts that re-seat the week when
    `settings.seat_parts`), and hint the full model with the best one; return the settings
    for the time left, that timetable (None when the phase found nothing) and the day
    search (its counts). On large models the parts start at once from `earlier`, the
    matching phase's timetable, where there is one.

    Why (measured, docs/solver.md): with the whole objective, the load-spread, mixing and
    group terms keep their defining constraints and variables in every LNS neighbourhood
    and the search seats children slowly; on the choice terms presolve drops them and the
    search climbs fast. The full phase then trims spread, groups and mixing from there."""
    started = time.perf_counter()
    found, search, _ = _phase_search(
        model, choice_terms_model(model), settings, settings.time_limit * settings.choice_phase,
        watcher, parts=True, bounds_score=True, seat_parts=settings.seat_parts,
        earlier=earlier)
    if found is not None:
        # Every term the phase leaves out is never positive: its bound bounds the score.
        watcher.bound_cap = min(watcher.bound_cap, found.bound)
    return _time_left(settings, started), found, search


def _phase_search(model: Model, phase: cp_model.CpModel, settings: SolveSettings,
                  seconds: float, watcher: _Watcher, parts: bool, bounds_score: bool,
                  enough: float = float("inf"), seat_parts: bool = False,
                  descent: bool = False, earlier: Found | None = None
                  ) -> tuple[Found | None, DaySearch, float]:
    """Search `phase` (the model's rules, another objective) for `seconds`, or until its
    objective reaches `enough`: an opening, then, where `parts` allows and the phase is
    long enough, by weekday parts; hint the model with the best timetable. Return it
    (None: none found; its bound is the phase's when `bounds_score`, else the one shown
    before), the day search (its counts) and the opening's own objective bound. Progress
    shows each timetable's whole score. On large models, given `earlier` (a timetable of
    the same rules), the parts start from it with no opening (and no bound of its own
    beyond the domains')."""
    started = time.perf_counter()
    search = DaySearch(model, phase, settings, watcher, seat_parts, descent)
    by_parts = parts and settings.day_search and search.useful
    if by_parts and earlier is not None and model.size > MATCH_PARTS_VARIABLES:
        return _parts_from(model, phase, search, earlier, watcher, started + seconds)
    opening = seconds
    if by_parts and seconds >= day_search_seconds(model):
        opening = seconds * OPENING_SHARE
    solver = _search_solver(settings, opening, model)
    with _on_phase(watcher, bound_hidden=not bounds_score, enough=enough, solver=solver):
        status = status_of(solver, solver.solve(phase, watcher))
        if not status.has_solution:
            return None, search, solver.best_objective_bound
        bound = solver.best_objective_bound if bounds_score else watcher.bound_cap
        found = Found(list(solver.response_proto.solution), bound, solver.objective_value)
        if opening < seconds and found.objective < enough - 1e-9:
            found = _by_days(search, found, watcher, started + seconds, enough)
        model.hint_all(found.values)
        # The phase's copies of the model, before the next phase makes its own.
        release(model.size)
        return found, search, solver.best_objective_bound


def _parts_from(model: Model, phase: cp_model.CpModel, search: DaySearch, earlier: Found,
                watcher: _Watcher, until: float) -> tuple[Found, DaySearch, float]:
    """The parts of `phase` from an earlier phase's timetable, with no opening: on large
    models a whole-model search of a few seconds often ends before its first timetable
    (measured: docs/solver.md "The choice phase of large models by parts"). No bound is
    learnt: the one known stands, and the phase's own is what its domains allow."""
    found = Found(earlier.values, watcher.bound_cap, objective_at(phase, earlier.values))
    with _on_phase(watcher, bound_hidden=True):
        found = _by_days(search, found, watcher, until, float("inf"))
    model.hint_all(found.values)
    release(model.size)
    return found, search, domain_bound(phase)


@contextmanager
def _on_phase(watcher: _Watcher, bound_hidden: bool, floor: float = float("-inf"),
              enough: float = float("inf"), solver: cp_model.CpSolver | None = None
              ) -> Iterator[None]:
    """The watcher of a phase's search: progress shows each timetable's whole score; with
    `bound_hidden`, not the search's own bound (it bounds another objective) and only
    timetables above `floor`; the search stops at `enough` (by `solver`, which the
    watcher may stop from another thread). All back to rest after."""
    watcher.full_score, watcher.own_bound_hidden = True, bound_hidden
    watcher.part_floor, watcher.enough = floor, enough
    with watcher.lock:
        watcher.solver = solver
    try:
        yield
    finally:
        watcher.full_score = watcher.own_bound_hidden = False
        watcher.part_floor = float("-inf")
        watcher.enough = float("inf")
        with watcher.lock:
            watcher.solver = None


def _search_solver(settings: SolveSettings, seconds: float, model: Model,
                   on_full: bool = True) -> cp_model.CpSolver:
    """The solver of a phase's search of the whole model, on the full linear relaxation
    when `settings.full_relaxation` and `on_full` (two or three workers: `max_lp` for
    `default_lp`; measured on every family: docs/solver.md "Search")."""
    solver = make_solver(settings.model_copy(update={"time_limit": seconds}), model.size)
    if settings.full_relaxation and on_full:
        return on_full_relaxation(solver, one_worker=False)
    return solver


def _time_left(settings: SolveSettings, started: float) -> SolveSettings:
    """The settings for what is left of the time limit after a phase begun at `started`."""
    left = max(0.1, settings.time_limit - (time.perf_counter() - started))
    return settings.model_copy(update={"time_limit": left})


# The day search takes over after an opening share of the phase, on phases long enough
# for a few of its parts (measured: docs/solver.md "Search"). On models whose matching
# phase runs by parts, a whole-model search gains little in a few seconds, while the
# parts' first, a seat part, re-seats the week by rank in one or two: there a phase of
# 4 s opens and runs by parts too. (After the matching phase, the choice phase of those
# models starts its parts from its timetable whatever its length: `_parts_from`; this
# rule is for phases with no timetable to start from, such as a re-solve's from a base.)
DAY_SEARCH_SECONDS = 12.0
DAY_SEARCH_SECONDS_BY_PARTS = 4.0
OPENING_SHARE = 0.25


def day_search_seconds(model: Model) -> float:
    """The shortest phase that opens and then searches by parts."""
    if model.size > MATCH_PARTS_VARIABLES:
        return min(DAY_SEARCH_SECONDS, DAY_SEARCH_SECONDS_BY_PARTS)
    return DAY_SEARCH_SECONDS


def _by_days(search: DaySearch, found: Found, watcher: _Watcher, until: float,
             enough: float) -> Found:
    watcher.part_floor, watcher.own_bound_hidden = found.objective, True
    watcher.bound_cap = min(watcher.bound_cap, found.bound)
    try:
        best = search.run(Best(found.values, found.objective), until, enough)
    finally:
        watcher.own_bound_hidden = False
    return Found(best.values, found.bound, best.objective)


def _fairness_phases(model: Model, settings: SolveSettings, watcher: _Watcher) -> SolveSettings:
    """Leximin schools' phases (scheduler.solver.fairness); the full score searches last,
    under their values, in the time left. They replace the choice-first phase, which
    searches the choice terms the phases already settle."""
    watcher.full_score = True
    try:
        return leximin_phases(model, settings, watcher)
    finally:
        watcher.full_score = False


def complete_hint(model: Model, settings: SolveSettings, free: set[int] | None = None
                  ) -> bool:
    """Fill in the helper variables of a hint, so CP-SAT starts from a whole solution;
    False when the hint breaks a rule (it is kept as it is, a partial start). Variables
    in `free` (by index) are searched rather than held at their hint.

    CP-SAT only adopts a hint outright when it is complete and feasible; solving with the
    decisions fixed to the hint is quick and gives the rest.
    """
    solver = make_solver(settings.limited(max(1.0, settings.time_limit / 5)))
    cp = model.cp
    if free:
        hint = cp.proto.solution_hint
        cp = held(cp, ((i, v) for i, v in zip(hint.vars, hint.values, strict=True)
                       if i not in free))
    else:
        solver.parameters.fix_variables_to_their_hinted_value = True
    if not status_of(solver, solver.solve(cp)).has_solution:
        return False
    model.hint_all(solver.response_proto.solution)
    model.start = Start(list(solver.response_proto.solution), solver.objective_value)
    return True


def _stats(model: Model, result: Result) -> dict[str, float | int]:
    first = result.first_solution_seconds
    return {
        "variables": model.size,
        "constraints": len(model.cp.proto.constraints),
        "build_seconds": round(result.build_seconds, 3),
        "solve_seconds": round(result.solve_seconds, 3),
        "first_solution_seconds": round(first, 3) if first is not None else float("nan"),
        "solutions": len(result.timeline),
    }


@dataclass
class Found:
    """A timetable found: every variable's value (by proto index), and the bound proven
    on the whole model when it was found."""

    values: Sequence[int]
    bound: float
    objective: float = float("nan")  # of the objective it was searched on, where known

    def value(self, var: cp_model.LinearExprT) -> int:
        """A variable's value (extraction reads variables, and 0 where a count is absent)."""
        if isinstance(var, cp_model.IntVar):
            return self.values[var.index]
        if isinstance(var, int):
            return var
        raise TypeError(f"not a variable: {var}")


def _solution(model: Model, found: Found, status: SolveStatus, seconds: float,
              choices: ChoiceBound) -> Solution:
    instance = model.instance
    sections, unserved = extract(instance, model.vars, found.value)
    sections = break_ties(instance, sections, unserved)
    terms = score(instance, sections, unserved)
    objective = sum(terms.values())
    # The model's score is never below the true one, so its bound bounds the true optimum.
    bound = max(found.bound / SCALE, objective)
    if status == SolveStatus.OPTIMAL and bound - objective > 1e-9:
        status = SolveStatus.FEASIBLE  # extraction lost a little (fallback class mixing)
    return Solution(
        instance_sha256=instance_sha256(instance.scope),
        status=status.value,
        objective=round(objective, 6),
        bound=round(bound, 6),
        solve_seconds=round(seconds, 3),
        sections=sections,
        unserved=unserved,
        kpis=with_bound(kpis(instance, sections, unserved), choices),
        objective_terms={k: round(v, 6) for k, v in terms.items()},
        unmatched=unmatched_students(instance, sections),
        together=together_report(instance, sections),
    )


def together_report(instance: Instance, sections: list[SectionOut]) -> list[TogetherPair] | None:
    """The `together` pairs kept and split (None when no student of the schools has a label)."""
    schools = [data.school for data in instance.schools]
    if not any(labelled(school) for school in schools):
        return None
    return [pair for school in schools for pair in pairs(school, sections)]
