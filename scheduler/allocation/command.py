"""`afterschool promote FILE SOLUTION --withdraw STUDENT... -o DIR` (docs/allocation.md)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from models.loader import Loaded
from models.problems import InputError, Location, Problem
from scheduler.messages import Say
from scheduler.output import output_folder, write_atomic
from scheduler.verifier import verify
from scheduler.verifier.files import read_solution

from . import rescored
from .promote import PromoteError, moved_others, promote
from .words import readable

EXIT_VIOLATIONS = 1


def run_promote(loaded: Loaded, solution_file: Path, names: list[str], out_dir: Path,
                say: Say, inputs: list[Path], console: Console, errors: Console) -> int:
    """Promote, verify, then write DIR/solution.json and DIR/promoted.txt all at once."""
    before = read_solution(solution_file)
    if before.instance_sha256 != loaded.sha256:
        raise InputError([Problem(Location(str(solution_file), 1), (
            f"this solution was made for another input than {loaded.source} (instance_sha256 "
            "differs); promote needs the solution of this very file"))])
    try:
        outcome = promote(loaded.district, before, names)
    except PromoteError as exc:
        raise InputError([Problem(None, str(exc))]) from None
    after = rescored(loaded, before, outcome.solution)
    report = verify(loaded.district, after)
    others = moved_others(loaded.district, outcome, before)
    if not report.ok or others:  # our bug, said loudly, and nothing written
        errors.print(say("internal_error"), markup=False, soft_wrap=True)
        for violation in report.violations[:20]:
            errors.print(f"  {violation.rule}: {violation.message}", markup=False)
        if others:
            errors.print(f"  moved though neither withdrawn nor promoted: {', '.join(others)}",
                         markup=False, soft_wrap=True)
        return EXIT_VIOLATIONS
    lines = readable(loaded.district, outcome, say.lang)
    with output_folder(out_dir, {"solution.json", "promoted.txt"}, inputs) as out:
        write_atomic(out.path / "solution.json", after.model_dump_json(indent=1))
        write_atomic(out.path / "promoted.txt", "\n".join(lines) + "\n")
        out.commit()
    for line in lines:
        console.print(line, markup=False, soft_wrap=True)
    console.print(say("verified"), markup=False, soft_wrap=True)
    console.print(say("wrote", path=out_dir / "solution.json"), markup=False, soft_wrap=True)
    return 0
