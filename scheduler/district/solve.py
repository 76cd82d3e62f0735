"""A whole district: independent parts solved side by side, shared providers allocated.

1. Schools joined by shared providers form components (`decompose.components`). A small
   component is solved as one model.
2. A large one is split by school. First every school alone, as if it had the shared
   providers to itself: a relaxation, so the sum of those bounds bounds the district, and
   each solution is a start. Then round by round (no two schools of a round share a
   provider), each school is solved again around what the earlier rounds use (reserved
   capacity: instructors at those moments, named instructors with the travel to this
   school, hours of a weekly cap), starting from its relaxed timetable; one whose relaxed
   timetable already holds every provider rule beside them keeps it. The result holds
   every coupling rule for the whole district by construction; `verify` checks it.
3. A school that cannot fit around the others is solved again, with twice the time,
   around everyone else's timetable; if it still does not fit, it is moved to the front
   and its component is done again (a few times at most).

The result is one `Solution` for the district.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Literal

import networkx as nx

from constraints.common.context import build
from constraints.providers.check import check as providers_check
from models.district import District
from models.instance import Reservation
from models.loader import instance_sha256
from models.solution import Kpis, Solution, TogetherPair, Unmatched
from scheduler.solver.bound import ChoiceBound, with_bound
from scheduler.solver.settings import SolveSettings, SolveStatus
from scheduler.solver.solve import Result
from scheduler.verifier import score

from .decompose import components, part, rounds, sharing_graph
from .executor import Task, local_pool, parallel_solves, run_all, run_task, shared
from .restaff import restaffed

Split = Literal["auto", "always", "never"]
JOINT_STUDENTS = 6_000  # a component this small is one model (measured: docs/district.md)
JOINT_SCHOOLS = 12
RETRIES = 3


@dataclass
class Event:
    """One part finished: for live progress."""

    name: str
    # "whole" (a component as one model), "alone" (relaxed), "fitted", "kept" (relaxed,
    # fitting as it is), "together" (a re-shared pair)
    phase: str
    result: Result
    done: int
    total: int


@dataclass
class DistrictResult:
    status: SolveStatus
    solution: Solution | None
    bound: float | None
    parts: dict[str, Result] = field(default_factory=dict)  # final result per part
    relaxed: dict[str, Result] = field(default_factory=dict)  # split schools alone
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)  # parts without a timetable


Listener = Callable[[Event], None]


@dataclass
class _Run:
    district: District
    settings: SolveSettings
    executor: Executor
    on_event: Listener | None
    total: int
    done: int = 0
    # What each fitted timetable takes of shared providers, made once per timetable: every
    # later round and every pair reserves it again.
    # The solution is kept with its reservations, so its id is never reused by another.
    _used: dict[int, tuple[Solution, tuple[Reservation, ...]]] = field(default_factory=dict)

    def usage(self, result: Result) -> tuple[Reservation, ...]:
        assert result.solution is not None
        found = self._used.get(id(result.solution))
        if found is None or found[0] is not result.solution:
            found = (result.solution, tuple(_usage(self.district, result)))
            self._used[id(result.solution)] = found
        return found[1]

    def run(self, tasks: list[Task], phase: str) -> dict[str, Result]:
        def heard(task: Task, result: Result) -> None:
            self.done += 1
            if self.on_event is not None:
                self.on_event(Event(task.name, phase, result, self.done, self.total))

        return run_all(tasks, self.executor, heard)

    def skipped(self, name: str, result: Result) -> None:
        """A school whose relaxed timetable fits as it is: reported as kept, not solved."""
        self.done += 1
        if self.on_event is not None:
            self.on_event(Event(name, "kept", result, self.done, self.total))


def solve_whole(
    district: District,
    settings: SolveSettings,
    executor: Executor | None = None,
    parallel: int | None = None,
    split: Split = "auto",
    on_event: Listener | None = None,
    improve: bool = True,
) -> DistrictResult:
    """Every part of the district, on `executor` (default: a local process pool)."""
    started = time.perf_counter()
    joint, apart = _plan(district, split)
    width = parallel_solves(max(1, len(joint) + sum(map(len, apart))), parallel)
    settings = shared(settings, width)
    if executor is None:
        with local_pool(width) as pool:
            return solve_whole(district, settings, pool, width, split, on_event, improve)
    total = len(joint) + 2 * sum(map(len, apart))
    run = _Run(district, settings, executor, on_event, total)
    tasks = [Task(_name(c), part(district, c), settings) for c in joint]
    if len(tasks) == 1 and not apart:  # one model: no need for another process
        whole = {tasks[0].name: run_task(tasks[0])}
        if on_event is not None:
            on_event(Event(tasks[0].name, "whole", whole[tasks[0].name], 1, 1))
    else:
        whole = run.run(tasks, "whole")
    alone = _alone(run, [s for c in apart for s in c])
    fitted = _fit_all(run, apart, alone)
    if improve:
        _improve(run, apart, alone, fitted)
    result = _merge(district, {**whole, **fitted}, alone, apart)
    result.seconds = time.perf_counter() - started
    if result.solution is not None:
        result.solution.solve_seconds = round(result.seconds, 3)
    return result


def _alone(run: _Run, schools: list[str]) -> dict[str, Result]:
    """Every split school as if it had the shared providers to itself. One that found no
    timetable in time is solved again with twice the time: its bound is part of the
    district's (none, and the district's bound is unknown) and its timetable starts the
    fitted solve (L at 3 s a solve on a loaded machine: 6 of 100 found none)."""
    district, settings = run.district, run.settings
    alone = run.run([Task(s, part(district, [s]), settings) for s in schools], "alone")
    missing = [s for s in schools if alone[s].solution is None
               and alone[s].status is not SolveStatus.INFEASIBLE]
    if missing:
        longer = _twice(settings)
        run.total += len(missing)
        alone.update(run.run([Task(s, part(district, [s]), longer) for s in missing], "alone"))
    return alone


def _twice(settings: SolveSettings) -> SolveSettings:
    """The settings of a second try: twice the time, within the settings' own maximum."""
    return settings.model_copy(update={
        "time_limit": min(settings.time_limit * 2, 7 * 24 * 3600)})


def one_model(district: District, split: Split = "auto") -> bool:
    """Whether the district is solved as one model (one component, not split)."""
    joint, apart = _plan(district, split)
    return len(joint) == 1 and not apart


def _plan(district: District, split: Split) -> tuple[list[list[str]], list[list[str]]]:
    """Components solved as one model, and components split by school."""
    size = {s.id: len(s.students) for s in district.schools}
    joint, apart = [], []
    for component in components(district):
        small = (sum(size[s] for s in component) <= JOINT_STUDENTS
                 and len(component) <= JOINT_SCHOOLS)
        alone = len(component) == 1
        if split == "never" or alone or (split == "auto" and small):
            joint.append(component)
        else:
            apart.append(component)
    return joint, apart


def _name(schools: list[str]) -> str:
    return "+".join(schools)


def _fit_all(run: _Run, apart: list[list[str]],
             alone: dict[str, Result]) -> dict[str, Result]:
    """Each split component's schools round by round, around what earlier rounds use."""
    fitted: dict[str, Result] = {}
    orders = {_name(c): rounds(run.district, c) for c in apart}
    pending = list(apart)
    for attempt in range(RETRIES):
        if attempt:
            run.total += sum(map(len, pending))
            # A school may have run out of time rather than room: give it longer too.
            run.settings = _twice(run.settings)
        for c in pending:
            for school in c:
                fitted.pop(school, None)
        failed = set(_fit_rounds(run, pending, orders, alone, fitted))
        if failed:
            failed = set(_patch(run, sorted(failed), alone, fitted))
        pending = [c for c in pending if failed & set(c)]
        for c in pending:  # start again with the schools that did not fit first
            stuck = [s for s in c if s in failed]
            rest = [[s for s in r if s not in failed] for r in orders[_name(c)]]
            orders[_name(c)] = [*rounds(run.district, stuck), *[r for r in rest if r]]
        if not pending:
            break
    return fitted


def _fit_rounds(run: _Run, pending: list[list[str]], orders: dict[str, list[list[str]]],
                alone: dict[str, Result], fitted: dict[str, Result]) -> list[str]:
    """Round k of every pending component together; returns schools that did not fit."""
    failed: list[str] = []
    depth = max((len(orders[_name(c)]) for c in pending), default=0)
    for k in range(depth):
        tasks = []
        for c in pending:
            order = orders[_name(c)]
            if k >= len(order):
                continue
            earlier = [s for r in order[:k] for s in r]
            done = [fitted[s].solution for s in earlier if s in fitted]
            held = tuple(r for s in earlier if s in fitted for r in run.usage(fitted[s]))
            for school in order[k]:
                start = _restaffed(run.district, alone.get(school), done)
                if start is not None and fits(run.district, start.solution, done):
                    fitted[school] = start  # as good as any fitted timetable: no solve
                    run.skipped(school, start)
                    continue
                tasks.append(Task(school, part(run.district, [school]), run.settings,
                                  reserved=held,
                                  hint=start.solution if start is not None else None))
        for school, result in run.run(tasks, "fitted").items():
            if result.solution is not None:
                fitted[school] = result
            else:
                failed.append(school)
    return failed


def _patch(run: _Run, failed: list[str], alone: dict[str, Result],
           fitted: dict[str, Result]) -> list[str]:
    """The schools that did not fit, solved again with twice the time around every fitted
    school's use, before their whole component is done again: on L one school in 100 ran
    out of time, and fitting the other 99 again cost more than the first pass."""
    longer = _twice(run.settings)
    still: list[str] = []
    for group in rounds(run.district, failed):
        held = tuple(r for s in sorted(fitted) for r in run.usage(fitted[s]))
        tasks = []
        for school in group:
            start = alone.get(school)
            tasks.append(Task(school, part(run.district, [school]), longer, reserved=held,
                              hint=start.solution if start is not None else None))
        run.total += len(tasks)
        for school, result in run.run(tasks, "fitted").items():
            if result.solution is not None:
                fitted[school] = result
            else:
                still.append(school)
    return still


def _restaffed(district: District, result: Result | None,
               others: list[Solution | None]) -> Result | None:
    """A relaxed result with its named instructors chosen again around the others' (the
    score does not depend on who of a provider leads); as it was where it had a solution
    and no named instructor to change."""
    if result is None or result.solution is None:
        return result
    again = restaffed(district, result.solution, others)
    return result if again == result.solution else replace(result, solution=again)


def fits(district: District, candidate: Solution | None,
         others: list[Solution | None]) -> bool:
    """Whether a school's timetable already holds every provider rule beside the others'
    (instructors at once, named instructors' places and travel, weekly caps), by the
    providers family's own check on the sections of the providers it uses."""
    if candidate is None:
        return False
    mine = {r.provider for s in candidate.sections for r in s.staff if r.provider}
    sections = [s for solution in (candidate, *others) if solution is not None
                for s in solution.sections if any(r.provider in mine for r in s.staff)]
    if not sections:
        return True
    sub = part(district, sorted({s.school for s in sections}))
    joined = candidate.model_copy(update={"sections": sections, "unserved": []})
    return next(iter(providers_check(build(sub, joined))), None) is None


def _improve(run: _Run, apart: list[list[str]], alone: dict[str, Result],
             fitted: dict[str, Result]) -> None:
    """Re-allocate between neighbours: pairs of schools sharing a provider, the pairs that
    lost most against their relaxed timetables first, are solved together around everyone
    else's use and from their current timetables; a pair's new timetable is kept only if
    it scores higher (so it never gets worse). Disjoint pairs run side by side."""
    graph = sharing_graph(run.district)
    for component in apart:
        if not all(s in fitted for s in component):
            continue
        loss = {s: max(0.0, _objective(alone.get(s)) - _objective(fitted[s])) for s in component}
        weighted = nx.Graph()
        for a, b, shared_by in graph.subgraph(component).edges(data="providers"):
            if loss[a] + loss[b] > 1e-6:  # more providers in common: more to trade
                weighted.add_edge(a, b, weight=loss[a] + loss[b] + 0.01 * len(shared_by))
        pairs = [tuple(sorted(p)) for p in nx.max_weight_matching(weighted)]
        tasks = []
        for a, b in sorted(pairs):
            others = [s for s in component if s not in (a, b)]
            held = tuple(r for s in others for r in run.usage(fitted[s]))
            start = _together(run.district, [fitted[a], fitted[b]])
            tasks.append(Task(f"{a}+{b}", part(run.district, [a, b]), run.settings,
                              reserved=held, hint=start))
        run.total += len(tasks)
        _accept(run.district, component, fitted, run.run(tasks, "together"))


def _accept(district: District, component: list[str], fitted: dict[str, Result],
            joint: dict[str, Result]) -> None:
    """Keep the pairs' timetables that score higher, the largest gain first. Each pair was
    solved around the others' timetables as they were; two pairs that both changed may
    now want one instructor at once (seen on a 10-school district), so each kept pair is
    checked again beside every timetable kept so far, and dropped if it no longer fits."""
    gains = []
    for name, result in joint.items():
        a, b = name.split("+")
        if result.solution is None:
            continue
        gain = result.solution.objective - _objective(fitted[a]) - _objective(fitted[b])
        if gain > 1e-6:
            gains.append((-gain, name, result))
    for _, name, result in sorted(gains, key=lambda g: (g[0], g[1])):
        pair = name.split("+")
        others = [fitted[s].solution for s in component if s not in pair]
        if not fits(district, result.solution, others):
            continue
        for school in pair:
            fitted[school] = _one_school(district, result, school)


def _objective(result: Result | None) -> float:
    return result.solution.objective if result is not None and result.solution else 0.0


def _together(district: District, results: list[Result]) -> Solution:
    """Two schools' timetables as one, to start a joint solve from."""
    solutions = [r.solution for r in results if r.solution is not None]
    return solutions[0].model_copy(update={
        "sections": [sec for s in solutions for sec in s.sections],
        "unserved": [u for s in solutions for u in s.unserved],
        "unmatched": _unmatched(solutions)})


def _unmatched(solutions: list[Solution]) -> list[Unmatched] | None:
    """The parts' students left out, or None if some part did not list them."""
    if any(s.unmatched is None for s in solutions):
        return None
    return [u for s in solutions for u in s.unmatched or []]


def _one_school(district: District, result: Result, school: str) -> Result:
    """A joint result cut to one school, scored as that school alone (every term of the
    score is a school's own, so the parts add up to the whole)."""
    assert result.solution is not None
    solution = result.solution
    alone = part(district, [school])
    cut = solution.model_copy(update={
        "instance_sha256": instance_sha256(alone),
        "sections": [s for s in solution.sections if s.school == school],
        "unserved": [u for u in solution.unserved if u.school == school],
        "unmatched": None if solution.unmatched is None else
        [u for u in solution.unmatched if u.school == school]})
    scored = score(alone, cut)
    cut = cut.model_copy(update={"objective": round(scored.objective, 6), "kpis": scored.kpis,
                                 "objective_terms": scored.terms})
    return Result(result.status, cut, cut.objective, None, result.build_seconds,
                  result.solve_seconds)


def _usage(district: District, result: Result) -> list[Reservation]:
    """What a school's timetable takes of shared providers, as reservations for the others."""
    assert result.solution is not None
    mine = {s.school for s in result.solution.sections}
    hours = {(s.id, a.id): a.class_hours for s in district.schools if s.id in mine
             for a in s.activities}
    taken = []
    for section in result.solution.sections:
        for ref in section.staff:
            if ref.provider is not None:
                taken.append(Reservation(
                    provider=ref.provider, day=section.day, start=section.start,
                    end=section.end, instructor=ref.instructor, school=section.school,
                    class_hours=hours[(section.school, section.activity)]))
    return taken


def _merge(district: District, parts: dict[str, Result], alone: dict[str, Result],
           apart: list[list[str]]) -> DistrictResult:
    """One solution for the district, and the bound: each joint part's own, and each split
    school's bound when it had the shared providers to itself."""
    expected = {s.id for s in district.schools}
    solved = {s for name, r in parts.items() if r.solution is not None for s in name.split("+")}
    failed = sorted(n for n, r in parts.items() if r.solution is None)
    failed += sorted(expected - solved - {s for n in failed for s in n.split("+")})
    split = {s for c in apart for s in c}
    bounding = [r for n, r in parts.items() if n not in split]
    bounding += [alone[s] for s in split if s in alone]
    bounds = [r.bound for r in bounding]
    bound = sum(b for b in bounds if b is not None) if None not in bounds else None
    if failed:
        status = _worst([parts[n].status for n in failed if n in parts] or
                        [SolveStatus.UNKNOWN])
        return DistrictResult(status, None, bound, parts, alone, failed=failed)
    results = list(parts.values())
    optimal = not split and all(r.status == SolveStatus.OPTIMAL for r in results)
    status = SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE
    solution = _joined(district, results, status, bound, _reachable(bounding))
    return DistrictResult(status, solution, bound, parts, alone)


def _reachable(bounding: list[Result]) -> int | None:
    """At most how many students with choices get one, from the same parts as the score's
    bound (a split school's from its solve alone: under other schools' reservations its
    own would bound only that moment's rules). None when some part has none."""
    reachable = 0
    for result in bounding:
        kpis = result.solution.kpis if result.solution is not None else None
        if kpis is None or kpis.any_choice_share_bound is None:
            return None
        # A part's share is written rounded up to six digits: its count is the nearest.
        reachable += round(kpis.any_choice_share_bound * kpis.students_with_choices)
    return reachable


def _worst(statuses: list[SolveStatus]) -> SolveStatus:
    """INFEASIBLE when some part is proven impossible, else UNKNOWN (not found in time)."""
    if SolveStatus.INFEASIBLE in statuses:
        return SolveStatus.INFEASIBLE
    return SolveStatus.MODEL_INVALID if SolveStatus.MODEL_INVALID in statuses else \
        SolveStatus.UNKNOWN


def _joined(district: District, results: list[Result], status: SolveStatus,
            bound: float | None, reachable: int | None) -> Solution:
    solutions = [r.solution for r in results if r.solution is not None]
    terms: dict[str, float] = {}
    for s in solutions:
        for name, value in s.objective_terms.items():
            terms[name] = terms.get(name, 0.0) + value
    objective = round(sum(s.objective for s in solutions), 6)
    return Solution(
        instance_sha256=instance_sha256(district),
        status=status.value,
        objective=objective,
        bound=round(max(bound, objective), 6) if bound is not None else objective,
        solve_seconds=round(max(s.solve_seconds for s in solutions), 3),
        sections=[sec for s in solutions for sec in s.sections],
        unserved=[u for s in solutions for u in s.unserved],
        kpis=_with_reachable(Kpis.combined([s.kpis for s in solutions]), reachable),
        objective_terms={k: round(v, 6) for k, v in terms.items()},
        unmatched=[u for s in solutions for u in s.unmatched or []],
        together=_joined_list([s.together for s in solutions]),
    )


def _with_reachable(kpis: Kpis, reachable: int | None) -> Kpis:
    if reachable is None:
        return kpis.model_copy(update={"any_choice_share_bound": None})
    return with_bound(kpis, ChoiceBound(kpis.students_with_choices, reachable))


def _joined_list(parts: list[list[TogetherPair] | None]) -> list[TogetherPair] | None:
    """The parts' together pairs as one list; None when no part has any."""
    if all(p is None for p in parts):
        return None
    return [pair for p in parts for pair in p or []]
