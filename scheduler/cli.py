"""The `afterschool` command line. Bad input exits 2 with `file:line:col: message`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from models.loader import Loaded, load
from models.problems import InputError

from .summary import print_summary

EXIT_BAD_INPUT = 2
F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def reports_bad_input(func: F) -> F:
    """Turn `InputError` into its messages on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                errors.print(str(problem), markup=False, soft_wrap=True)  # one line each
            errors.print(f"{len(exc.problems)} problem(s) found; nothing was written.", markup=False)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def bundled_example() -> Path:
    return Path(str(resources.files("scheduler.examples").joinpath("spec.yaml")))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="afterschool")
def main() -> None:
    """Term timetables for schools' after-school services (课后服务排课)."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path))  # the loader reports a bad path
@reports_bad_input
def check(file: Path) -> None:
    """Validate FILE and print a summary and warnings."""
    loaded: Loaded = load(file)
    print_summary(loaded, console)


@main.command()
@reports_bad_input
def demo() -> None:
    """Run on the example bundled with the package."""
    loaded = load(bundled_example())
    print_summary(loaded, console)


EXIT_VIOLATIONS = 1


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("solution", type=click.Path(dir_okay=False, path_type=Path))
@reports_bad_input
def verify(file: Path, solution: Path) -> None:
    """Re-check every hard rule of SOLUTION against FILE and recompute its score."""
    from .verifier import verify as verify_solution
    from .verifier.files import read_solution
    from .verifier.show import print_report

    loaded = load(file)
    timetable = read_solution(solution)
    report = verify_solution(loaded, timetable)
    print_report(report, timetable, console)
    sys.exit(0 if report.ok else EXIT_VIOLATIONS)


if __name__ == "__main__":
    main()
