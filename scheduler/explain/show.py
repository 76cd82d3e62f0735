"""Print an explanation for a school: the pre-check findings that decide it, then each cause
with its fixes, then a few notes. Every finding stays in the JSON; the printout shows the
few that matter first and says how many more there are."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from scheduler.messages import Say

from .prechecks import weight

SHOWN_CONFLICTS = 5
SHOWN_NOTES = 3


def print_explanation(data: dict[str, Any], console: Console,
                      more_in: str = "explanation.json") -> None:
    """`more_in`: where the findings left out can be read."""
    say = Say(data["language"])
    status = data["status"]
    if status == "FEASIBLE":
        console.print(say("feasible"), markup=False)
        visits = [f for f in data["prechecks"] if f["kind"] == "visit"]
        if visits:  # a timetable exists, but these trips cannot go: say why
            console.print(f"[bold]{say('visits_blocked')}[/]")
            _print_findings(visits, len(visits), say, more_in, console)
        return
    findings = sorted(data["prechecks"],
                      key=lambda f: weight(f["severity"], f["kind"], f["data"]))
    conflicts = [f for f in findings if f["severity"] == "conflict"]
    notes = [f for f in findings if f["severity"] == "note"]
    if conflicts:
        console.print(f"[bold]{say('prechecks_found')}[/]")
        _print_findings(conflicts, SHOWN_CONFLICTS, say, more_in, console)
    for number, cause in enumerate(data["causes"], 1):
        console.print(f"[bold]{say('cause', n=number)}[/]")
        for element in cause:
            where = f"  ({element['where']})" if element["where"] else ""
            console.print(f"  • {element['text']}{where}", markup=False, soft_wrap=True)
        for element in cause:
            _print_fix(element, say, console)
    if status == "INFEASIBLE" and not data["causes"]:
        console.print(say("no_core"), markup=False)
    elif status == "UNKNOWN":
        console.print(say("undecided"), markup=False)
    elif data["causes"] and not data["minimal"]:
        console.print(say("not_minimal"), markup=False)
    if notes:
        console.print(f"[bold]{say('also_note')}[/]")
        _print_findings(notes, SHOWN_NOTES, say, more_in, console)


def _print_findings(findings: list[dict[str, Any]], shown: int, say: Say, more_in: str,
                    console: Console) -> None:
    for f in findings[:shown]:
        console.print(f"  • {f['school']}: {f['text']}", markup=False, soft_wrap=True)
    if len(findings) > shown:
        console.print("  " + say("more", n=len(findings) - shown, where=more_in), markup=False,
                      soft_wrap=True)


def _print_fix(element: dict[str, Any], say: Say, console: Console) -> None:
    fix = element["fix"]
    if not fix or not fix["text"]:
        return
    verdict = {True: say("alone_ok"), False: say("alone_not"),
               None: say("alone_unknown")}[fix["alone_feasible"]]
    console.print(f"    → {say('fix')}: {fix['text']} [{verdict}]", markup=False, soft_wrap=True)
