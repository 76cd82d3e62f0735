"""Print an explanation for a school: pre-check findings, then each cause with its fixes."""

from __future__ import annotations

from typing import Any

from rich.console import Console


def print_explanation(data: dict[str, Any], console: Console) -> None:
    zh = data["language"] == "zh"
    status = data["status"]
    if status == "FEASIBLE":
        console.print("这个输入可以排出课表。" if zh else "This input is feasible: a timetable "
                      "can be made.", markup=False)
        return
    conflicts = [f for f in data["prechecks"] if f["severity"] == "conflict"]
    notes = [f for f in data["prechecks"] if f["severity"] == "note"]
    if conflicts:
        console.print("[bold]预检查发现：[/]" if zh else "[bold]Pre-checks found:[/]")
        for f in conflicts:
            console.print(f"  • {f['school']}: {f['text']}", markup=False, soft_wrap=True)
    for number, cause in enumerate(data["causes"], 1):
        title = f"原因 {number}：以下规则不能同时满足" if zh else \
            f"Cause {number}: these rules cannot all hold"
        console.print(f"[bold]{title}[/]")
        for element in cause:
            where = f"  ({element['where']})" if element["where"] else ""
            console.print(f"  • {element['text']}{where}", markup=False, soft_wrap=True)
        for element in cause:
            _print_fix(element, zh, console)
    if status == "INFEASIBLE" and not data["causes"]:
        console.print("（时限内未找到精确的冲突规则集合；以上预检查已证明无法排出课表）" if zh else
                      "(no exact core within the time limit; the pre-checks above prove no "
                      "timetable exists)", markup=False)
    elif status == "UNKNOWN":
        console.print("在时限内未能判定是否可行；请加大 --time-limit。" if zh else
                      "Could not decide within the time limit; try a longer --time-limit.",
                      markup=False)
    elif data["causes"] and not data["minimal"]:
        console.print("（时限内未能证明这是最小的冲突集合）" if zh else
                      "(minimality could not be proven within the time limit)", markup=False)
    if notes:
        console.print("[bold]另请注意：[/]" if zh else "[bold]Also note:[/]")
        for f in notes:
            console.print(f"  • {f['school']}: {f['text']}", markup=False, soft_wrap=True)


def _print_fix(element: dict[str, Any], zh: bool, console: Console) -> None:
    fix = element["fix"]
    if not fix or not fix["text"]:
        return
    verdict = {True: "单独即可排出课表" if zh else "alone makes it feasible",
               False: "单独不够" if zh else "not enough alone",
               None: "未验证" if zh else "not checked"}[fix["alone_feasible"]]
    arrow = "建议" if zh else "fix"
    console.print(f"    → {arrow}: {fix['text']} [{verdict}]", markup=False, soft_wrap=True)
