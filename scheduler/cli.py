"""The `afterschool` command line. Bad input exits 2 with `file:line:col: message`."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from functools import wraps
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from models.instance import BaseTimetable
from models.loader import Loaded, load
from models.problems import InputError, Problem
from models.solution import Solution

from .allocation import with_allocation
from .district.solve import Split
from .messages import Say
from .output import Interrupted, OutputFolder, output_folder, write_atomic
from .progress import baseline_line, kpi_table
from .search import Plan, search
from .solver.closing import closing_lines
from .solver.interrupts import noticing_interrupts
from .solver.settings import SolveSettings
from .summary import print_proven_infeasible, print_summary, print_warnings
from .views import ALL_FORMATS, folder_names, view_data, write_views
from .views.allocation import together_lines

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def reports_bad_input(func: F) -> F:
    """Turn `InputError` into its messages on stderr and exit code 2.

    The `file:line:col: message` lines are English (a file that does not load has no
    language yet), and so is the line after them unless `--lang` says otherwise."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        say = Say(kwargs.get("lang") or "en")
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                # One line each, exactly as written (`:100:` is a position, not an emoji).
                errors.print(str(problem), markup=False, soft_wrap=True, emoji=False)
            errors.print(say("problems", n=len(exc.problems)), markup=False)
            sys.exit(EXIT_BAD_INPUT)
        except Interrupted as exc:
            errors.print(str(exc), markup=False, soft_wrap=True)
            sys.exit(EXIT_INTERRUPTED)
        except KeyboardInterrupt:  # after the outputs were written, or a command that writes none
            errors.print(say("interrupted"), markup=False)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper  # type: ignore[return-value]


LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                    help="Language of what is printed [default: the file's `language`].")


def speaks(loaded: Loaded, lang: str | None) -> Say:
    """The terminal speaks `--lang`, else the file's `language`."""
    return Say(lang or loaded.district.language)


def bundled_example() -> Path:
    return Path(str(resources.files("scheduler.examples").joinpath("spec.yaml")))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="afterschool")
def main() -> None:
    """Term timetables for schools' after-school services (课后服务排课)."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path))  # the loader reports a bad path
@LANG
@reports_bad_input
def check(file: Path, lang: str | None) -> None:
    """Validate FILE (a district or a scenario file), print a summary and warnings, and say
    if no timetable can exist."""
    from models.scenario import load_input

    loaded: Loaded = load_input(file)
    say = speaks(loaded, lang)
    print_summary(loaded, console, say)
    print_proven_infeasible(loaded, console, say)


EXIT_VIOLATIONS = 1
EXIT_INFEASIBLE = 3
EXIT_NO_SOLUTION = 4
MAX_SECONDS = 7 * 24 * 3600.0  # a week: longer is a typo (and inf or nan would crash OR-Tools)
SEEDS = click.IntRange(0, 2**31 - 1)  # CP-SAT's random_seed is a 32-bit integer
WORKERS = click.IntRange(1, 256)


def _seconds(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A time limit is a finite number of seconds from 0.1 to a week."""
    if value is not None and not (math.isfinite(value) and 0.1 <= value <= MAX_SECONDS):
        raise click.BadParameter(f"{value:g} is not a number of seconds from 0.1 to "
                                 f"{MAX_SECONDS:g}")
    return value


def _keeps(ctx: click.Context, param: click.Parameter, value: str) -> frozenset[str]:
    from models.instance import KEEPS

    names = frozenset(v.strip() for v in value.split(",") if v.strip())
    unknown = sorted(names - set(KEEPS))
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: choose from {', '.join(KEEPS)}")
    return names


def check_output_folder(out_dir: Path) -> None:
    """Refuse an output folder that cannot be made or written, before a search is started."""
    existing = out_dir
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    problem = None
    if not existing.is_dir():
        problem = f"{existing} is a file, not a folder"
    elif not os.access(existing, os.W_OK | os.X_OK):
        problem = f"{existing} is read-only for you"
    if problem:
        raise InputError([Problem(None, f"cannot write to {out_dir}: {problem}")])


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> set[str]:
    from .views import parse_formats

    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for solution.json and the views.")
@click.option("--time-limit", type=float, callback=_seconds, default=30.0, show_default=True,
              help="Seconds to search (deterministic units with --deterministic).")
@click.option("--workers", type=WORKERS, default=None,
              help="Search workers [default: 8 for small schools, else cores].")
@click.option("--seed", type=SEEDS, default=0, show_default=True)
@click.option("--deterministic", is_flag=True, help="Same timetable on every run.")
@click.option("--split", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Solve a district's schools that share providers apart "
              "(auto: large groups of schools only); see docs/district.md.")
@click.option("--parallel", type=click.IntRange(1, 1024), default=None,
              help="Solves side by side [default: one per two cores, each with two workers].")
@click.option("--cluster", default=None, metavar="ADDRESS|local",
              help='Run a district\'s parts on a Dask cluster (pip install ".[distributed]").')
@click.option("--base", "base_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="An earlier solution.json: change as little of it as possible.")
@click.option("--keep", default="", callback=_keeps,
              help="With --base, pin these: time, room, staff, students (comma-separated).")
@click.option("--max-changes-per-student", type=click.IntRange(0, 100), default=None,
              help="With --base, sessions a student may be moved out of.")
@click.option("--format", "formats", default="csv,xlsx,ics,html,notices", show_default=True,
              callback=_formats, help="Views to write beside solution.json: csv, xlsx, ics, "
              "html, notices (or all); leave out ics on a large district to finish sooner "
              "(export writes them later).")
@LANG
@reports_bad_input
def solve(file: Path, out_dir: Path, time_limit: float, workers: int | None, seed: int,
          deterministic: bool, split: Split, parallel: int | None, cluster: str | None,
          base_file: Path | None, keep: frozenset[str], max_changes_per_student: int | None,
          formats: set[str], lang: str | None) -> None:
    """Build the term timetable for FILE (a district or a scenario file) into
    OUT/solution.json and views."""
    from models.scenario import load_input

    config = SolveSettings(
        time_limit=time_limit, seed=seed, deterministic=deterministic, workers=workers
    )
    try:
        loaded = load_input(file)
    except InputError as exc:  # said first, then the problems themselves
        errors.print(Say(lang or "en")("check_refuses", n=len(exc.problems)), markup=False,
                     soft_wrap=True)
        raise
    say = speaks(loaded, lang)
    base = read_base(base_file, keep, max_changes_per_student)
    check_output_folder(out_dir)
    if loaded.warnings:  # what `check` would have warned about, before a long search
        errors.print(say("check_warned", n=len(loaded.warnings)), markup=False, soft_wrap=True)
        print_warnings(loaded, errors, say)
    sys.exit(run_solve(loaded, out_dir, config, say, Plan(split, parallel, cluster), base,
                       formats))


def read_base(base_file: Path | None, keep: frozenset[str],
              max_changes: int | None) -> BaseTimetable | None:
    """The base timetable of a re-solve (--keep and the cap need one)."""
    from models.instance import BaseTimetable

    from .verifier.files import read_solution

    if base_file is None:
        if keep or max_changes is not None:
            raise click.UsageError("--keep and --max-changes-per-student need --base SOLUTION")
        return None
    return BaseTimetable(read_solution(base_file), keep, max_changes)


@main.command()
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("afterschool-demo"), show_default=True)
@click.option("--time-limit", type=float, callback=_seconds, default=10.0, show_default=True)
@LANG
@reports_bad_input
def demo(out_dir: Path, time_limit: float, lang: str | None) -> None:
    """Solve the example bundled with the package into ./afterschool-demo/."""
    check_output_folder(out_dir)
    loaded = load(bundled_example())
    say = speaks(loaded, lang)
    print_summary(loaded, console, say)
    sys.exit(run_solve(loaded, out_dir, SolveSettings(time_limit=time_limit), say))


PLAN = Plan()
SOLVE_NAMES = {"solution.json", "explanation.json", "changes.json", "changes.txt"} | folder_names(
    ALL_FORMATS)


def run_solve(loaded: Loaded, out_dir: Path, config: SolveSettings, say: Say,
              plan: Plan = PLAN, base: BaseTimetable | None = None,
              formats: set[str] | None = None) -> int:
    """Solve, publish the outputs all at once, print the KPIs; the exit code of SPEC §6.

    Ctrl-C before the outputs are published leaves `out_dir` as it was (exit 130)."""
    with output_folder(out_dir, SOLVE_NAMES, input_files(loaded)) as out:
        with noticing_interrupts():
            result = search(loaded.district, config, plan, console, say, base)
            if result.solution is None:
                if _pinned(base) and result.status == "INFEASIBLE":
                    errors.print("note: with --keep / --max-changes-per-student the base cannot be "
                                 "kept that closely; the explanation below is of the input "
                                 "without them (try fewer pins)", markup=False)
                return no_timetable(loaded, result.status, config, out, say)
        solution = with_allocation(loaded, result.solution)
        path = out.path / "solution.json"
        write_atomic(path, solution.model_dump_json(indent=1))
        console.print(kpi_table(solution, say))
        compared = baseline_line(solution, say)
        if compared:
            console.print(compared, markup=False, soft_wrap=True)
        for line in together_lines(loaded.district, solution,
                                   "en" if say.lang == "en" else "zh"):
            console.print(line, markup=False, soft_wrap=True)
        if result.single is not None:  # one model: what its bound and timeline say
            console.print("\n".join(closing_lines(result.single, say.lang)), markup=False)
        if base is not None:
            write_changes(loaded, base, solution, out.path)
        # Views left out are removed too (commit drops what an earlier run wrote there),
        # so no folder ever holds views of another timetable.
        written = write_views(view_data(loaded, solution), out.path,
                              ALL_FORMATS if formats is None else formats)
        out.commit()
    console.print(say("wrote_all", path=out_dir / "solution.json", n=len(written), out=out_dir),
                  markup=False, soft_wrap=True)
    try:
        return check_independently(loaded, solution, say, base)
    except KeyboardInterrupt:
        raise Interrupted(say("not_verified", out=out_dir)) from None


def _pinned(base: BaseTimetable | None) -> bool:
    return base is not None and bool(base.keep or base.max_changes_per_student is not None)


def no_timetable(loaded: Loaded, status: str, config: SolveSettings, out: OutputFolder,
                 say: Say) -> int:
    """Infeasible: explain and write only explanation.json (the last timetable stays);
    no timetable in time: write nothing."""
    if status == "INFEASIBLE":
        errors.print(say("infeasible"), markup=False, soft_wrap=True)
        explained = explain_input(loaded, config.time_limit, console, say.lang)
        write_atomic(out.path / "explanation.json", explained)
        out.commit({"explanation.json"})
        console.print(say("wrote", path=out.target / "explanation.json"), markup=False,
                      soft_wrap=True)
        return EXIT_INFEASIBLE
    errors.print(say("not_found", limit=config.time_limit, status=status, out=out.target),
                 markup=False, soft_wrap=True)
    return EXIT_NO_SOLUTION


def input_files(loaded: Loaded) -> list[Path]:
    """The YAML file and its roster CSVs: a run must not write over them."""
    rosters = getattr(loaded.positions, "rosters", {})
    return [Path(loaded.source)] + [Path(r.file) for r in rosters.values()]


def write_changes(loaded: Loaded, base: BaseTimetable, solution: Solution, folder: Path) -> None:
    """changes.json and changes.txt of a re-solve, and the readable list printed."""
    from .scenario.changes import changes_json, changes_of, former_district, readable

    lang = loaded.district.language
    found = changes_of(loaded.district, base.solution, solution)
    former = former_district(loaded)
    lines = readable(loaded.district, found, lang, former)
    write_atomic(folder / "changes.json", changes_json(loaded.district, found, lang, former))
    write_atomic(folder / "changes.txt", "\n".join(lines) + "\n")
    console.print("变动：" if lang == "zh" else "changes:", markup=False)
    for line in lines[:40]:
        console.print(f"  {line}", markup=False)
    if len(lines) > 40:
        console.print(f"  ... ({len(lines) - 40} more in changes.txt)", markup=False)
    cap = base.max_changes_per_student
    over = [m for m in found.students if cap is not None and len(m.lost) > cap]
    if over:
        errors.print(f"warning: {len(over)} student(s) moved out of more than {cap} sessions "
                     "(the cap holds on average per group of identical students)", markup=False)


def check_independently(loaded: Loaded, solution: Solution, say: Say,
                        base: BaseTimetable | None = None) -> int:
    """Re-check the new timetable with the verifier; a broken rule is our bug, said loudly."""
    from .verifier import verify as verify_solution

    report = verify_solution(loaded.district, solution,
                             base.solution if base is not None else None)
    if report.ok:
        console.print(say("verified"), markup=False, soft_wrap=True)
        return 0
    errors.print(say("internal_error"), markup=False, soft_wrap=True)
    for violation in report.violations[:20]:
        errors.print(f"  {violation.rule}: {violation.message}", markup=False)
    return EXIT_VIOLATIONS


EXIT_FEASIBLE = 1


def explain_input(loaded: Loaded, time_limit: float, out: Console, lang: str,
                  as_json: bool = False, more_in: str = "explanation.json") -> str:
    """Explain why no timetable exists; print it; return the explanation as JSON text."""
    import json

    from .explain import explain
    from .explain.show import print_explanation

    with out.status(Say(lang)("explaining")):
        data = explain(loaded, time_limit=time_limit, lang=lang).to_dict()
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if as_json:
        out.print(text, markup=False, highlight=False, soft_wrap=True)
    else:
        print_explanation(data, out, more_in)
    return text


@main.command(name="explain")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option("--time-limit", type=float, callback=_seconds, default=50.0, show_default=True,
              help="Seconds for the exact part (cores, fix sizes and checks).")
@LANG
@reports_bad_input
def explain_command(file: Path, as_json: bool, time_limit: float, lang: str | None) -> None:
    """Name the conflicting rules of an infeasible FILE, with fixes (exit 1: feasible)."""
    import json

    from models.scenario import load_input

    loaded = load_input(file)
    text = explain_input(loaded, time_limit, console, speaks(loaded, lang).lang, as_json,
                         more_in="afterschool explain --json")
    status = json.loads(text)["status"]
    sys.exit({"INFEASIBLE": 0, "FEASIBLE": EXIT_FEASIBLE}.get(status, EXIT_NO_SOLUTION))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("solution", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--base", "base_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The base a re-solve started from (its changes are scored).")
@LANG
@reports_bad_input
def verify(file: Path, solution: Path, base_file: Path | None, lang: str | None) -> None:
    """Re-check every hard rule of SOLUTION against FILE and recompute its score."""
    from models.scenario import load_input

    from .verifier import verify as verify_solution
    from .verifier.files import read_solution
    from .verifier.show import print_report

    loaded = load_input(file)
    timetable = read_solution(solution)
    base = read_solution(base_file) if base_file is not None else None
    report = verify_solution(loaded.district, timetable, base)
    print_report(report, timetable, console, speaks(loaded, lang))
    sys.exit(0 if report.ok else EXIT_VIOLATIONS)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("solution", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "formats", default="csv,xlsx,ics,html,notices", show_default=True,
              callback=_formats, help="Comma-separated: csv, xlsx, ics, html, notices (or all).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for the views.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Labels' language [default: the file's `language`].")
@reports_bad_input
def export(file: Path, solution: Path, formats: set[str], out_dir: Path,
           lang: str | None) -> None:
    """Write the views (timetables, CSV, XLSX, ICS, HTML report) of SOLUTION for FILE."""
    from models.scenario import load_input

    from .verifier.files import read_solution
    from .views import export_all

    loaded = load_input(file)
    check_output_folder(out_dir)
    timetable = read_solution(solution)
    say = speaks(loaded, lang)
    if timetable.instance_sha256 != loaded.sha256:
        errors.print(say("other_version", solution=solution, file=file), markup=False,
                     soft_wrap=True)
    written = export_all(loaded, timetable, out_dir, formats, lang,  # type: ignore[arg-type]
                         source=str(solution), inputs=[file, solution, *input_files(loaded)])
    console.print(say("wrote_files", n=len(written), out=out_dir), markup=False, soft_wrap=True)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("solution", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--withdraw", "names", multiple=True, required=True,
              metavar="STUDENT[:ACTIVITY]", help="A student leaving all their clubs, or one "
              "activity (id or name); repeat or separate with commas; SCHOOL/STUDENT in a "
              "district where ids repeat.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for the new solution.json and promoted.txt.")
@LANG
@reports_bad_input
def promote(file: Path, solution: Path, names: tuple[str, ...], out_dir: Path,
            lang: str | None) -> None:
    """Fill the seats freed by withdrawn students from the waiting lists, moving nobody else."""
    from models.scenario import load_input

    from .allocation.command import run_promote

    loaded = load_input(file)
    check_output_folder(out_dir)
    withdrawals = [n.strip() for name in names for n in name.split(",") if n.strip()]
    sys.exit(run_promote(loaded, solution, withdrawals, out_dir, speaks(loaded, lang),
                         [file, solution, *input_files(loaded)], console, errors))


@main.command()
@click.argument("base_file", metavar="BASE", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("scenario_files", metavar="SCENARIO...", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for the table (CSV, HTML) and each timetable.")
@click.option("--fresh", is_flag=True, help="Solve each scenario from scratch, not as a "
              "minimal-change re-solve of the base.")
@click.option("--time-limit", type=float, callback=_seconds, default=30.0, show_default=True,
              help="Seconds per solve.")
@reports_bad_input
def scenario(base_file: Path, scenario_files: tuple[Path, ...], out_dir: Path, fresh: bool,
             time_limit: float) -> None:
    """Solve BASE and every SCENARIO (a patch on BASE); print a table side by side."""
    from .scenario.command import run_scenario_command

    sys.exit(run_scenario_command(base_file, scenario_files, out_dir, fresh, time_limit,
                                  console))


@main.command()
@click.option("--schools", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--students", type=click.IntRange(min=1), default=600, show_default=True,
              help="Registered students per school.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--scarcity", type=click.FloatRange(min=0.05, max=5.0), default=0.7,
              show_default=True, help="Seats in chosen clubs ÷ choices wanted (< 1: scarce).")
@click.option("--providers", type=click.IntRange(min=0), default=None,
              help="Providers shared by the district [default: by size].")
@click.option("--sharing", type=click.Choice(["nearest", "district"]), default="nearest",
              show_default=True, help="district: providers serve 2-8 nearby schools (a few "
              "20+), with named instructors and travel times (SPEC §7 L).")
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="District YAML; students go to <stem>-<school>-students.csv.")
def generate(schools: int, students: int, seed: int, scarcity: float, providers: int | None,
             sharing: str, out_file: Path) -> None:
    """Write a realistic synthetic district (seeded: the same seed gives the same files)."""
    import time

    from .generator import generate_district, write_district

    started = time.perf_counter()
    data = generate_district(schools, students, seed, scarcity, providers, sharing)
    written = write_district(data, out_file)
    console.print(f"wrote {out_file} and {len(written) - 1} student CSV file(s): "
                  f"{schools} school(s), {schools * students} students, "
                  f"{len(data['providers'])} provider(s) in {time.perf_counter() - started:.1f} s",
                  markup=False, soft_wrap=True)


@main.group(name="import")
def import_group() -> None:
    """Bring in what schools already have: FET files and sign-up sheets."""


def _clock(ctx: click.Context, param: click.Parameter, value: str) -> int:
    from .importers.commands import clock_option

    try:
        return clock_option(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@import_group.command(name="fet")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--timetable", type=click.Path(path_type=Path), default=None,
              help="FET's output folder (or its *_activities.xml / *_data_and_timetable.fet).")
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The school YAML to write.")
@click.option("--school", "school_id", default="", help="School id [default: from FET's name].")
@click.option("--grades-from", type=click.Choice(["auto", "years", "groups"]), default="auto",
              show_default=True, help="FET level that holds the grades.")
@click.option("--day-start", default="08:00", show_default=True, callback=_clock,
              help="First FET hour's start, when hour names carry no times.")
@click.option("--lesson-minutes", type=click.IntRange(5, 120), default=45, show_default=True)
@click.option("--break-minutes", type=click.IntRange(0, 60), default=10, show_default=True)
@reports_bad_input
def import_fet(file: Path, timetable: Path | None, out_file: Path, school_id: str,
               grades_from: str, day_start: int, lesson_minutes: int, break_minutes: int) -> None:
    """Write a school YAML from a FET file FILE.fet (and its generated timetable)."""
    from .importers.commands import run_fet
    from .importers.school_yaml import Defaults

    defaults = Defaults(school_id=school_id, day_start=day_start, lesson_minutes=lesson_minutes,
                        break_minutes=break_minutes)
    sys.exit(run_fet(file, timetable, out_file, defaults, grades_from, console))


@import_group.command(name="signups")
@click.argument("sheet", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--school", "school_id", required=True, help="The school's id.")
@click.option("--into", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The school YAML: rows are checked against it and it is linked to the CSV.")
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Students CSV to write (id,grade,class,days,pickup,choices).")
@click.option("--map", "maps", multiple=True, metavar="HEADER=FIELD",
              help="Read column HEADER as FIELD (id, name, grade, class, days, pickup, choices, "
                   "choice1.., mon..sun, ignore).")
@click.option("--sheet", "sheet_name", default=None, help="Worksheet of an .xlsx [default: first].")
@reports_bad_input
def import_signups(sheet: Path, school_id: str, into: Path | None, out_file: Path,
                   maps: tuple[str, ...], sheet_name: str | None) -> None:
    """Turn a sign-up sheet (.xlsx or .csv) into the students CSV; exit 2 if rows are refused."""
    from .importers.commands import run_signups

    sys.exit(run_signups(sheet, school_id, into, out_file, maps, sheet_name, console, errors))


if __name__ == "__main__":
    main()
