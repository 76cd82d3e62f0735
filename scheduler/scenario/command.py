"""The `afterschool scenario` command's inputs and outputs (the CLI only parses options)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from models.loader import Loaded, load
from models.problems import InputError, Problem
from models.scenario import Scenario, apply_scenario, read_scenario
from scheduler.output import output_folder, same_file, write_atomic
from scheduler.solver.settings import SolveSettings

from .run import BASE_NAME, Outcome, folders, run_scenarios
from .table import csv_text, html_page, notes, rich_table

TABLE_NAMES = {"scenarios.csv", "scenarios.html"}
EXPLAIN = 20.0  # seconds at least for explaining a scenario without a timetable


def read_all(base_file: Path, files: tuple[Path, ...]) -> tuple[Loaded, list[tuple[Scenario,
                                                                                Loaded]]]:
    """The base and each scenario patched onto it; a scenario of another base is refused."""
    base = load(base_file)
    scenarios, problems = [], []
    for file in files:
        try:
            scenario = read_scenario(file)
            if not same_file(scenario.base, base_file):
                problems.append(Problem(scenario.base_at, f"this scenario patches "
                                        f"{scenario.base}, not {base_file}"))
                continue
            scenarios.append((scenario, apply_scenario(scenario, base)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return base, scenarios


def run_scenario_command(base_file: Path, files: tuple[Path, ...], out_dir: Path, fresh: bool,
                         time_limit: float, console: Console) -> int:
    base, scenarios = read_all(base_file, files)
    lang = base.district.language
    names = TABLE_NAMES | {BASE_NAME, *folders([s for s, _ in scenarios])}
    inputs = [Path(base.source), *files]
    settings = SolveSettings(time_limit=time_limit)
    with output_folder(out_dir, names, inputs) as out:
        with console.status("正在求解各方案 ..." if lang == "zh" else "solving scenarios ..."):
            outcomes = run_scenarios(base, scenarios, settings, fresh, max(EXPLAIN, time_limit),
                                     lambda name: console.print(f"  done: {name}",
                                                                markup=False))
        _write(outcomes, out.path, lang)
        out.commit()
    rows = [o.row for o in outcomes]
    console.print(rich_table(rows, lang))
    for line in notes(rows):
        console.print(line, markup=False, soft_wrap=True)
    console.print(f"wrote {out_dir / 'scenarios.csv'}, {out_dir / 'scenarios.html'} and one "
                  f"folder per scenario under {out_dir}", markup=False)
    return 0


def _write(outcomes: list[Outcome], folder: Path, lang: str) -> None:
    rows = [o.row for o in outcomes]
    write_atomic(folder / "scenarios.csv", "\ufeff" + csv_text(rows, lang))  # Excel reads BOM
    write_atomic(folder / "scenarios.html", html_page(rows, lang))
    for outcome in outcomes:
        for name, text in outcome.files.items():
            write_atomic(folder / outcome.folder / name, text)
