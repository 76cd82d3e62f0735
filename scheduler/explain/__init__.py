"""Why a timetable cannot be made: pre-checks, a minimal CP-SAT core, words and fixes.

`explain(loaded)` runs the fast pre-checks, then finds up to `MAX_CAUSES` disjoint minimal
cores (each one cause on its own), sizes a relaxation for every core element and checks
each relaxation alone by solving a modified copy of the district again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from constraints.common.keys import RuleKey
from models.instance import Instance, build_instance
from models.loader import Loaded

from .core import FINE_LIMIT, CoreResult, Guarded, find_core
from .fixes import Fix, check_alone, size_fix
from .prechecks import Finding, prechecks
from .words import Words

MAX_CAUSES = 3
FORMAT = "afterschool-explanation/1"


@dataclass
class Explanation:
    status: str  # INFEASIBLE | FEASIBLE | UNKNOWN (not decided in time)
    findings: list[Finding]
    cores: list[list[RuleKey]] = field(default_factory=list)
    minimal: bool = False
    fixes: dict[RuleKey, Fix] = field(default_factory=dict)
    seconds: float = 0.0
    solves: int = 0
    words: Words | None = None

    @property
    def conflicts(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "conflict"]

    def to_dict(self) -> dict[str, Any]:
        words = self.words
        assert words is not None
        return {
            "format": FORMAT, "status": self.status, "language": words.lang,
            "minimal": self.minimal, "seconds": round(self.seconds, 3), "solves": self.solves,
            "prechecks": [{"kind": f.kind, "severity": f.severity, "school": f.school,
                           "text": words.finding(f), "data": f.data} for f in self.findings],
            "causes": [[words.element(k, self.fixes.get(k)) for k in core]
                       for core in self.cores],
        }


def explain(loaded: Loaded, time_limit: float = 50.0, solve_limit: float = 5.0,
            lang: str | None = None) -> Explanation:
    """Explain an input; `time_limit` bounds the CP-SAT part (cores and fixes)."""
    started = time.perf_counter()
    instance = build_instance(loaded.district)
    findings = prechecks(instance)
    deadline = time.perf_counter() + time_limit
    core_deadline = time.perf_counter() + 0.6 * time_limit
    first, guarded = None, None
    if _large(instance):  # a day's students alone are a smaller problem: try those first
        first, guarded = _by_day(loaded, findings, core_deadline, solve_limit)
    if first is None or first.status != "INFEASIBLE":
        # Busy times, provider windows and rules about a person (caps, skills, vetting..)
        # become named rules, so a core can cite them.
        relaxed = build_instance(loaded.district, relax_times=True, relax_staff=True)
        guarded = Guarded(relaxed, solve_limit)
        first, _ = find_core(relaxed, max(0.1, core_deadline - time.perf_counter()),
                             solve_limit, guarded)
    assert guarded is not None
    words = Words(loaded, guarded.instance, lang or loaded.district.language)
    result = Explanation(first.status, findings, words=words)
    if first.status == "UNKNOWN" and result.conflicts:
        result.status = "INFEASIBLE"  # a pre-check conflict proves it; no exact core in time
    if first.status == "INFEASIBLE":
        result.cores, result.minimal = _causes(guarded, first, core_deadline)
        _fixes(loaded, guarded, result, deadline)
    result.seconds = time.perf_counter() - started
    result.solves = guarded.solves
    return result


def _large(instance: Instance) -> bool:
    return sum(len(g.needs) for d in instance.schools for g in d.groups) > FINE_LIMIT


def _by_day(loaded: Loaded, findings: list[Finding], deadline: float,
            solve_limit: float) -> tuple[CoreResult | None, Guarded | None]:
    """Students registered only on one day: a relaxation, so its core is a core of the input.

    Days named by a pre-check conflict come first; each gets an equal share of the time.
    """
    weekdays = list(loaded.district.term.weekdays)
    flagged = [d for d in weekdays if any(f.severity == "conflict" and f.data.get("day") == d
                                          for f in findings)]
    days = flagged + [d for d in weekdays if d not in flagged]
    for n, day in enumerate(days):
        share = (deadline - time.perf_counter()) / (len(days) - n)
        if share < 1.0:
            break
        district = loaded.district.model_copy(deep=True)
        for school in district.schools:
            for student in school.students:
                student.days = [d for d in student.days if d == day]
        instance = build_instance(district, relax_times=True, relax_staff=True)
        guarded = Guarded(instance, solve_limit)
        result, _ = find_core(instance, max(0.1, deadline - time.perf_counter())
                              if n == 0 and flagged else share, solve_limit, guarded)
        if result.status == "INFEASIBLE":
            return result, guarded
    return None, None


def _causes(guarded: Guarded, first: CoreResult, deadline: float) -> tuple[
        list[list[RuleKey]], bool]:
    """The first core and further disjoint ones: the rules left still cannot all hold."""
    cores, minimal = [first.core], first.minimal
    from .core import shrink

    while len(cores) < MAX_CAUSES and time.perf_counter() < deadline:
        used = {m for core in cores for k in core for m in guarded.members.get(k, [k])}
        keys = [k for k in guarded.fine if k not in used]
        check = guarded.check(keys, max(0.1, deadline - time.perf_counter()))
        if check.status != "INFEASIBLE" or not check.core:
            minimal = minimal and check.status == "FEASIBLE"
            break
        core, proven = shrink(guarded, check.core, [], deadline)
        cores.append(core)
        minimal = minimal and proven
    return cores, minimal


def _fixes(loaded: Loaded, guarded: Guarded, result: Explanation, deadline: float) -> None:
    """Size each element's relaxation with every other rule kept (other causes relaxed)."""
    elements = [k for core in result.cores for k in core]
    members = {k: set(guarded.members.get(k, [k])) for k in elements}
    for core in result.cores:
        elsewhere = set().union(*(members[k] for c in result.cores if c is not core for k in c))
        for key in core:
            left = deadline - time.perf_counter()
            if left <= 0.1:
                return
            keep = [k for k in guarded.fine if k not in members[key] and k not in elsewhere]
            result.fixes[key] = size_fix(guarded, key, keep, min(guarded.solve_limit, left))
    for key in elements:
        if key in result.fixes:
            check_alone(loaded.district, guarded, result.fixes[key], deadline)
