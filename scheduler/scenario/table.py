"""The scenario table (SPEC §8.2): one row per scenario, as rich, CSV and an HTML page."""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict
from dataclasses import dataclass

from rich.table import Table

from constraints.common.context import build, ranked_choices
from models.district import District
from models.solution import Solution

RANKS = 3  # 1st, 2nd, 3rd or later


@dataclass
class Row:
    name: str
    status: str
    coverage: float | None = None
    by_rank: tuple[float, ...] = ()  # share of students with choices whose best is rank k
    none_share: float | None = None
    unserved_days: int | None = None
    load_max: int | None = None
    load_mean: float | None = None
    cost: float | None = None
    budget: float | None = None
    sections_changed: int | None = None
    students_moved: int | None = None
    note: str = ""


def row_of(name: str, district: District, solution: Solution | None, status: str,
           changes: tuple[int, int] | None, note: str = "") -> Row:
    row = Row(name, status, note=note)
    if solution is None:
        return row
    kpis = solution.kpis
    row.coverage, row.cost, row.budget = kpis.covered_share, kpis.cost, kpis.budget
    row.unserved_days = len(solution.unserved)
    row.by_rank, row.none_share = _ranks(district, solution)
    row.load_max, row.load_mean = _loads(district, solution)
    if changes is not None:
        row.sections_changed, row.students_moved = changes
    return row


def _ranks(district: District, solution: Solution) -> tuple[tuple[float, ...], float]:
    ctx = build(district, solution)
    counts = [0] * (RANKS + 1)
    total = 0
    for school in district.schools:
        got: dict[str, set[str]] = defaultdict(set)
        for placed in ctx.placed:
            if placed.school.id == school.id:
                for student in placed.students:
                    got[student.id].add(placed.activity.id)
        for student in school.students:
            ranked = ranked_choices(school, student)
            if not ranked:
                continue
            total += 1
            best = next((i for i, a in enumerate(ranked) if a in got[student.id]), None)
            counts[RANKS if best is None else min(best, RANKS - 1)] += 1
    shares = [c / total if total else 0.0 for c in counts]
    return tuple(shares[:RANKS]), shares[RANKS]


def _loads(district: District, solution: Solution) -> tuple[int, float]:
    hours: dict[tuple[str, str], int] = {(s.id, t.id): 0 for s in district.schools
                                         for t in s.teachers}
    for section in solution.sections:
        activity = district.school(section.school).activity(section.activity)
        for ref in section.staff:
            if ref.teacher and activity is not None:
                key = (section.school, ref.teacher)
                hours[key] = hours.get(key, 0) + activity.class_hours
    values = list(hours.values())
    return max(values, default=0), (sum(values) / len(values) if values else 0.0)


HEADERS = {
    "en": ["scenario", "status", "coverage", "1st choice", "2nd choice", "3rd+ choice",
           "no choice", "unserved student-days", "teacher hours max", "teacher hours mean",
           "cost", "budget", "cost/budget", "sections changed", "students moved", "note"],
    "zh": ["方案", "状态", "看护覆盖", "第一志愿", "第二志愿", "第三及以后", "未获志愿",
           "未看护人次", "教师最多课时", "教师平均课时", "费用", "预算", "费用/预算",
           "变动班组", "调组学生", "说明"],
}


def cells(row: Row) -> list[str]:
    def pct(value: float | None) -> str:
        return "" if value is None else f"{100 * value:.1f}%"

    ranks = [pct(v) for v in row.by_rank] or [""] * RANKS
    share = row.cost / row.budget if row.cost is not None and row.budget else None
    return [row.name, row.status, pct(row.coverage), *ranks, pct(row.none_share),
            _num(row.unserved_days), _num(row.load_max),
            "" if row.load_mean is None else f"{row.load_mean:.2f}",
            _num(row.cost), _num(row.budget), pct(share), _num(row.sections_changed),
            _num(row.students_moved), row.note]


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if isinstance(value, float) else str(value)


SHORT = {"en": ["scenario", "status", "cover", "1st", "2nd", "3rd+", "none", "unserved",
                "load max/mean", "cost/budget", "changes sec/stu"],
         "zh": ["方案", "状态", "覆盖", "一志愿", "二志愿", "三+", "未获", "未看护",
                "课时 最多/平均", "费用/预算", "变动 班组/学生"]}


def rich_table(rows: list[Row], lang: str) -> Table:
    """The terminal's narrower table (the CSV and HTML have every column)."""
    table = Table(title="方案对比" if lang == "zh" else "scenarios side by side")
    for i, header in enumerate(SHORT[lang]):
        table.add_column(header, justify="left" if i < 2 else "right")
    for row in rows:
        c = cells(row)
        table.add_row(c[0], c[1][:4], *c[2:8], f"{c[8]}/{c[9]}", c[12], f"{c[13]}/{c[14]}")
    return table


def notes(rows: list[Row]) -> list[str]:
    return [f"{row.name}: {row.note}" for row in rows if row.note]


def csv_text(rows: list[Row], lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS[lang])
    for row in rows:
        writer.writerow([_safe(c) for c in cells(row)])
    return out.getvalue()


def _safe(cell: str) -> str:
    """No cell runs as a formula in a spreadsheet (docs/views.md)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


PLOTS = (("coverage", "看护覆盖"), ("any choice", "获得志愿"), ("cost/budget", "费用/预算"))
COLOURS = ("#4c78a8", "#59a14f", "#e15759")


def _plot_values(row: Row) -> list[float | None]:
    got = None if row.none_share is None else 1 - row.none_share
    share = row.cost / row.budget if row.cost is not None and row.budget else None
    return [row.coverage, got, share]


def svg_plot(rows: list[Row], lang: str) -> str:
    """Grouped horizontal bars per scenario: coverage, any choice, cost against budget."""
    bar, gap, left, width = 12, 14, 160, 420
    height = len(rows) * (3 * bar + gap) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" '
             f'height="{height}" font-family="sans-serif" font-size="12">']
    y = 10
    for row in rows:
        parts.append(f'<text x="4" y="{y + 2 * bar}">{html.escape(row.name[:22])}</text>')
        for k, value in enumerate(_plot_values(row)):
            length = 0 if value is None else min(1.5, value) / 1.5 * width
            parts.append(f'<rect x="{left}" y="{y + k * bar}" width="{length:.1f}" '
                         f'height="{bar - 2}" fill="{COLOURS[k]}"/>')
            label = "—" if value is None else f"{100 * value:.0f}%"
            parts.append(f'<text x="{left + length + 4:.1f}" y="{y + k * bar + bar - 3}">'
                         f'{label}</text>')
        y += 3 * bar + gap
    for k, (en, zh) in enumerate(PLOTS):
        x = left + k * 140
        parts.append(f'<rect x="{x}" y="{y + 4}" width="10" height="10" fill="{COLOURS[k]}"/>')
        parts.append(f'<text x="{x + 14}" y="{y + 13}">{zh if lang == "zh" else en}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_page(rows: list[Row], lang: str) -> str:
    title = "方案对比" if lang == "zh" else "Scenarios side by side"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADERS[lang])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells(r)) + "</tr>"
                   for r in rows)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>body{{font-family:sans-serif;margin:2em}}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
            "text-align:right}td:first-child,th:first-child{text-align:left}</style></head>"
            f"<body><h1>{title}</h1><table><tr>{head}</tr>{body}</table>"
            f"<h2>{'图示' if lang == 'zh' else 'Plot'}</h2>{svg_plot(rows, lang)}</body></html>")
