"""`afterschool scenario BASE SCENARIO... -o DIR`: the base and every scenario, side by side.

The base is solved first; each scenario is then a minimal-change re-solve of the base's
timetable (or, with `fresh`, solved from scratch alongside the base), in parallel through
the district executor. Every timetable is checked by the independent verifier; an
infeasible scenario gets its explanation in the table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.district import District
from models.instance import BaseTimetable
from models.loader import Loaded
from models.scenario import Scenario
from models.solution import Solution
from scheduler.allocation import with_allocation
from scheduler.district.executor import Task, local_pool, parallel_solves, run_all, shared
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import Result
from scheduler.verifier import verify

from .changes import changes_json, changes_of, readable
from .table import Row, row_of

BASE_NAME = "base"


@dataclass
class Outcome:
    name: str  # shown in the table
    folder: str  # its folder under DIR
    loaded: Loaded
    result: Result
    row: Row
    files: dict[str, str] = field(default_factory=dict)  # name -> text


def folders(scenarios: list[Scenario]) -> list[str]:
    """A folder name per scenario: its file's stem, numbered where two share one."""
    names: list[str] = []
    for scenario in scenarios:
        stem = Path(scenario.file).stem
        name, k = stem, 2
        while name in names or name == BASE_NAME:
            name, k = f"{stem}-{k}", k + 1
        names.append(name)
    return names


def run_scenarios(base: Loaded, scenarios: list[tuple[Scenario, Loaded]],
                  settings: SolveSettings, fresh: bool,
                  explain_limit: float, on_done: Callable[[str], None] | None = None
                  ) -> list[Outcome]:
    lang = base.district.language
    base_task = Task(BASE_NAME, base.district, settings)
    tasks = [Task(s.name, loaded.district, settings) for s, loaded in scenarios]
    if fresh:
        results = _run([base_task, *tasks], on_done)
        base_result = results.pop(BASE_NAME)
    else:
        base_result = _run([base_task], on_done)[BASE_NAME]
        base_solution = base_result.solution
        if base_solution is not None:
            start = BaseTimetable(base_solution)
            tasks = [Task(t.name, t.district, t.settings, base=start) for t in tasks]
        results = _run(tasks, on_done)
    outcomes = [_outcome("基础方案" if lang == "zh" else "base", BASE_NAME, base, base_result,
                         None, explain_limit)]
    former = base.district
    for (scenario, loaded), folder in zip(scenarios, folders([s for s, _ in scenarios]),
                                          strict=True):
        outcomes.append(_outcome(scenario.name, folder, loaded, results[scenario.name],
                                 base_result.solution, explain_limit, former))
    return outcomes


def _run(tasks: list[Task], on_done: Callable[[str], None] | None) -> dict[str, Result]:
    parallel = parallel_solves(len(tasks))
    tasks = [Task(t.name, t.district, shared(t.settings, parallel), t.schools, t.reserved,
                  base=t.base) for t in tasks]
    with local_pool(parallel) as pool:
        return run_all(tasks, pool, (lambda task, _: on_done(task.name)) if on_done else None)


def _outcome(name: str, folder: str, loaded: Loaded, result: Result, base: Solution | None,
             explain_limit: float, former: District | None = None) -> Outcome:
    district = loaded.district
    lang = district.language
    solution = result.solution
    outcome = Outcome(name, folder, loaded, result, row_of(name, district, None,
                                                            result.status.value, None))
    if solution is None:
        outcome.row.note = _no_timetable(outcome, explain_limit)
        return outcome
    solution = with_allocation(loaded, solution)  # lottery, waiting lists, baseline
    report = verify(district, solution, base if _is_repair(solution) else None)
    changes = None
    outcome.files["solution.json"] = solution.model_dump_json(indent=1)
    if base is not None:
        found = changes_of(district, base, solution)
        changes = (found.section_changes(), found.students_moved())
        outcome.files["changes.json"] = changes_json(district, found, lang, former)
        outcome.files["changes.txt"] = "\n".join(readable(district, found, lang, former)) + "\n"
    note = "" if report.ok else "verify: " + "; ".join(v.message for v in report.violations[:3])
    outcome.row = row_of(name, district, solution, solution.status, changes, note)
    return outcome


def _is_repair(solution: Solution) -> bool:
    return "change_section" in solution.objective_terms


def _no_timetable(outcome: Outcome, explain_limit: float) -> str:
    """The explanation of an infeasible scenario, in the file's words, for the table."""
    lang = outcome.loaded.district.language
    late = "时限内未找到课表" if lang == "zh" else "no timetable within the time limit"
    if outcome.result.status.value not in ("INFEASIBLE", "UNKNOWN"):
        return late
    from scheduler.explain import explain

    # Not decided in time may still be infeasible: the explanation's pre-checks often say so.
    data = explain(outcome.loaded, time_limit=explain_limit).to_dict()
    if data["status"] != "INFEASIBLE" and outcome.result.status.value == "INFEASIBLE":
        return ("无可行课表；时限内未找出原因，请运行 afterschool explain" if lang == "zh" else
                "infeasible; no explanation in time: run `afterschool explain` on it")
    if data["status"] != "INFEASIBLE":
        return late
    outcome.files["explanation.json"] = json.dumps(data, ensure_ascii=False, indent=1)
    texts = [str(p["text"]) for p in data["prechecks"] if p["severity"] == "conflict"]
    texts += [str(element.get("text", element)) if isinstance(element, dict) else str(element)
              for core in data["causes"][:1] for element in core]
    head = "无可行课表：" if lang == "zh" else "infeasible: "
    return head + ("；".join(texts[:3]) if texts else "no explanation found in time")
