"""The static HTML report: one folder that opens offline (inline CSS, JS and SVG).

`index.html` holds the KPIs (said in a school's terms first), per school the plots (choice
satisfaction by rank and by grade, teacher load against own caps, room utilisation,
spending by category against the term budget), the timetable grids (a wide one as a table
per day with a line per room) and the list of sections (each opening to its children, by
name where given), with a filter by class,
grade, teacher, provider or room. The filter also reads the address: `index.html#class=3-1`
(or `?teacher=t-wang`, `&school=ID` to pick a school) opens filtered. `expenditure.html`
is the expenditure report. Script errors are shown on the page (`#errors`), so a broken
page is visible, and tests can see it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from models.common import format_clock
from models.district import School
from models.solution import SectionOut

from .allocation import allocation_block
from .context import ViewData
from .district import tables as planner_tables
from .expenditure import budget_basis, expenditure, expenditure_rows
from .files import write_text
from .grids import (
    DaySplit,
    Grid,
    Placement,
    Subject,
    cell_lines,
    layout,
    school_subjects,
)
from .stats import Bar, Headline, by_grade, by_rank, headline, room_utilisation, teacher_load
from .svg import bar_chart, stacked_chart

FILTER_KINDS = ("grade", "class", "teacher", "provider", "room")

STYLE = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",
sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 6px;
vertical-align:top;font-size:13px}th{background:#dde6f0}
.grid td.s{background:#e2efda;white-space:pre-line}.plots{display:flex;flex-wrap:wrap;gap:1em}
.grid thead th{position:sticky;top:0}.grid h5{margin:1em 0 .2em;font-size:15px}
.grid tbody th{text-align:left;white-space:nowrap}
details summary{cursor:pointer}td details{max-width:40em}
figure{margin:0}
.kpi td:last-child{text-align:right}#errors{color:#b00;font-weight:bold}
nav a{margin-right:1em}.note{color:#555;max-width:48em}
@media print{.filter,nav{display:none}}
"""

# Errors are caught first, so a failure anywhere below still shows on the page.
ERROR_HOOK = """
window.addEventListener("error", function (e) {
  var box = document.getElementById("errors");
  var p = document.createElement("p"); p.className = "js-error";
  p.textContent = "Error: " + e.message; box.appendChild(p); box.hidden = false;
});
"""

FILTER_SCRIPT = """
(function () {
  function wanted() {
    var text = (location.hash || "").replace(/^#/, "")
      || (location.search || "").replace(/^\\?/, "");
    var params = new URLSearchParams(text), found = {kind: "", key: "", school: ""};
    params.forEach(function (value, name) {
      if (name === "school") { found.school = value; }
      else if (KINDS.indexOf(name) >= 0) { found.kind = name; found.key = value; }
    });
    return found;
  }
  function apply(block, kind, key) {
    block.querySelectorAll(".grid").forEach(function (grid) {
      var show = kind ? (grid.dataset.kind === kind && grid.dataset.key === key)
                      : grid.dataset.kind === "school";
      grid.hidden = !show;
    });
    block.querySelectorAll("tr.section").forEach(function (row) {
      row.hidden = kind ? (row.dataset[kind] || "").indexOf("|" + key + "|") < 0 : false;
    });
    block.querySelector("select.filter").value = kind ? kind + "=" + key : "";
  }
  var KINDS = ["grade", "class", "teacher", "provider", "room"];
  document.querySelectorAll(".school").forEach(function (block) {
    block.querySelector("select.filter").addEventListener("change", function (e) {
      var parts = e.target.value.split("="), kind = parts.shift();
      apply(block, kind, parts.join("="));
    });
  });
  var w = wanted();
  document.querySelectorAll(".school").forEach(function (block) {
    var mine = !w.school || w.school === block.dataset.school;
    apply(block, w.kind, w.key);
    if (!mine) {  // another school was asked for: this one is hidden, rows and all
      block.hidden = true;
      block.querySelectorAll("tr.section").forEach(function (row) { row.hidden = true; });
    }
  });
  document.body.dataset.filter = w.kind ? w.kind + "=" + w.key : "";
})();
"""


def page(data: ViewData, title: str, body: str) -> str:
    lang = "zh-CN" if data.labels.lang == "zh" else "en"
    labels = data.labels
    nav = (f'<nav><a href="index.html">{escape(labels("report_title"))}</a>'
           f'<a href="expenditure.html">{escape(labels("expenditure"))}</a></nav>')
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style>"
            f"<script>{ERROR_HOOK}</script></head>\n<body>{nav}"
            f'<div id="errors" hidden></div><h1>{escape(title)}</h1>\n{body}\n'
            f"<script>{FILTER_SCRIPT}</script></body></html>\n")


def write_report(data: ViewData, out: Path) -> list[Path]:
    """Write `index.html` and `expenditure.html` into `out`."""
    labels = data.labels
    term = data.district.term.name
    index_body = kpi_table(data) + district_block(data) + "".join(
        school_block(data, s) for s in data.schools)
    money_body = "".join(expenditure_block(data, s) for s in data.schools)
    return [
        write_text(out / "index.html", page(data, f"{labels('report_title')} — {term}",
                                            index_body)),
        write_text(out / "expenditure.html", page(data, f"{labels('expenditure')} — {term}",
                                                  money_body)),
    ]


def _table(header: list[str], rows: list[list[str]], css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _number(value: float | int, key: str = "") -> str:
    if key.endswith("share"):
        return f"{value:.1%}"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 1000 else f"{value:.4g}"


def district_block(data: ViewData) -> str:
    """The planner's tables, for a district of more than one school or with shared staff."""
    blocks = []
    for name, columns, rows in planner_tables(data):
        header = [data.labels.kpi(c.removeprefix("kpi_")) if c.startswith("kpi_")
                  else data.labels(c) for c in columns]
        shown = [[_shown_cell(k, c) for k, c in zip(columns, row, strict=True)] for row in rows]
        blocks.append(f"<h2>{escape(data.labels(name))}</h2>" + _table(header, shown))
    return "".join(blocks)


def _shown_cell(column: str, value: object) -> str:
    if column.endswith("_share") and isinstance(value, float):
        return f"{value:.1%}"
    return f"{value:,.0f}" if isinstance(value, float) else str(value)


def kpi_table(data: ViewData) -> str:
    """The solve in a school's terms first (children served, then the score, its proven
    bound and the gap, each labelled as what it is), then the KPIs as solution.json has them."""
    labels, solution = data.labels, data.solution
    rows = [[row.label, _headline_value(row)] for row in headline(data)]
    rows += [[labels.kpi(k), _number(v, k)] for k, v in solution.kpis.rows()]
    return (f"<h2>{escape(labels('kpis'))}</h2>"
            + _table([labels("kpi"), labels("value")], rows, "kpi")
            + f'<p class="note">{escape(labels("score_note"))}</p>' + baseline_table(data))


BASELINE_ROWS = ("any_choice_share", "first_choice_share", "top2_share", "students_with_none",
                 "envy")


def baseline_table(data: ViewData) -> str:
    """This timetable's allocation KPIs beside the published-lottery sign-up on the same
    sections (solution.json `lottery_baseline`); nothing when it was not computed."""
    labels, solution = data.labels, data.solution
    base = solution.lottery_baseline
    if base is None:
        return ""
    ours, theirs = dict(solution.kpis.rows()), dict(base.rows())
    ranks = sorted((k for k in ours.keys() | theirs.keys() if k.startswith("rank_")),
                   key=lambda k: int(k.split("_")[1]))
    rows = [[labels.kpi(k), _number(ours.get(k, 0), k), _number(theirs.get(k, 0), k)]
            for k in [*BASELINE_ROWS[:2], *ranks, *BASELINE_ROWS[2:]]]
    return (f"<h3>{escape(labels('lottery_baseline'))}</h3>"
            + _table([labels("kpi"), labels("this_timetable"), labels("baseline")], rows,
                     "kpi"))


def _headline_value(row: Headline) -> str:
    if isinstance(row.value, str):
        return row.value
    if row.kind == "percent":
        return f"{row.value:.2%}"
    if row.kind == "seconds":
        return f"{row.value:.1f}"
    if row.kind == "count":
        return f"{row.value:,.0f}"
    return f"{row.value:,.2f}" if row.kind == "money" else f"{row.value:,.1f}"


def school_block(data: ViewData, school_id: str) -> str:
    school = data.schools[school_id]
    subjects = school_subjects(data, school_id)
    grids = "".join(grid_html(data, layout(s, data.weekdays)) for s in subjects)
    return (f'<section class="school" data-school="{escape(school_id)}">'
            f"<h2>{escape(data.school_label(school_id))}</h2>"
            f'<div class="plots">{plots(data, school)}</div>'
            f"<h3>{escape(data.labels('timetable'))}</h3>{filter_select(data, subjects)}"
            f"{grids}{sections_table(data, school_id)}{trips_table(data, school_id)}"
            f"{allocation_block(data.district, data.solution, data.labels.lang, school_id)}"
            "</section>")


def plots(data: ViewData, school: School) -> str:
    labels = data.labels
    report = expenditure(data, school.id)
    grade_rows = [(label, (first, other, none)) for label, first, other, none
                  in by_grade(data, school)]
    money = [Bar(labels(k), v) for k, v in report.amounts.items()]
    money.append(Bar(labels("total"), report.total, report.budget))
    charts = [
        bar_chart(labels("plot_rank"), by_rank(data, school), lambda v: f"{v:.0%}", 1.0),
        stacked_chart(labels("plot_grade"), grade_rows,
                      [labels("choice_first"), labels("choice_n", n="2+"),
                       labels("choice_none")]),
        bar_chart(labels("plot_load"), teacher_load(data, school), lambda v: f"{v:g}"),
        bar_chart(labels("plot_rooms"), room_utilisation(data, school), lambda v: f"{v:.0%}"),
        bar_chart(labels("plot_budget"), money, lambda v: f"{v:,.0f}", report.budget),
    ]
    return "".join(f"<figure>{chart}</figure>" for chart in charts)


def filter_select(data: ViewData, subjects: list[Subject]) -> str:
    labels = data.labels
    options = [f'<option value="">{escape(labels("view_school"))}</option>']
    for subject in subjects:
        if subject.kind in FILTER_KINDS:
            value = escape(f"{subject.kind}={subject.key}")
            text = escape(f"{labels(subject.kind)}: {subject.title}")
            options.append(f'<option value="{value}">{text}</option>')
    return (f'<p class="filter"><label>{escape(labels("filter"))} '
            f'<select class="filter">{"".join(options)}</select></label></p>')


def grid_html(data: ViewData, grid: Grid | DaySplit) -> str:
    """A grid as an HTML table: a column per lane under each weekday, rowspan per section;
    a grid too wide for that (a school's) as a table per day with a line per room."""
    if isinstance(grid, DaySplit):
        return day_split_html(data, grid)
    labels, subject = data.labels, grid.subject
    head = f"<th>{escape(labels('time'))}</th>" + "".join(
        f'<th colspan="{grid.lanes[d]}">{escape(labels.day(d))}</th>' for d in grid.days)
    starts = {(p.day, p.lane, p.row): p for p in grid.placements}
    covered = {(p.day, p.lane, p.row + k) for p in grid.placements for k in range(1, p.rows)}
    rows = []
    for row in range(grid.row_count):
        cells = [f"<th>{grid.row_label(row)}</th>"]
        for day in grid.days:
            for lane in range(grid.lanes[day]):
                cells.append(_grid_cell(data, subject.kind, starts.get((day, lane, row)),
                                        (day, lane, row) in covered))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="grid" data-kind="{subject.kind}" data-key="{escape(subject.key)}">'
            f"<h4>{escape(labels(subject.kind))}: {escape(subject.title)}</h4>"
            f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def day_split_html(data: ViewData, split: DaySplit) -> str:
    """One table per day: rooms down, the week's time cuts across, colspan per section."""
    labels, subject = data.labels, split.subject
    school = subject.school or ""
    head = f"<th>{escape(labels('room'))}</th>" + "".join(
        f"<th>{escape(split.column_label(c))}</th>" for c in range(split.column_count))
    tables = []
    for table in split.tables:
        starts = {(b.line, b.column): b for b in table.blocks}
        covered = {(b.line, b.column + k) for b in table.blocks for k in range(1, b.span)}
        rows = []
        for line, room in enumerate(table.rooms):
            cells = [f"<th>{escape(data.room_title(school, room))}</th>"]
            for column in range(split.column_count):
                if (line, column) in covered:
                    continue
                block = starts.get((line, column))
                if block is None:
                    cells.append("<td></td>")
                    continue
                text = escape("\n".join(cell_lines(data, block.section, subject.kind, True)))
                cells.append(f'<td class="s" colspan="{block.span}" '
                             f'data-section="{escape(block.section.id)}">{text}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        tables.append(f'<h5>{escape(labels.day(table.day))}</h5><table data-day="{table.day}">'
                      f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return (f'<div class="grid" data-kind="{subject.kind}" data-key="{escape(subject.key)}" '
            f'data-split="day"><h4>{escape(labels(subject.kind))}: {escape(subject.title)}</h4>'
            f'{"".join(tables)}</div>')


def _grid_cell(data: ViewData, kind: str, place: Placement | None, covered: bool) -> str:
    """A section's cell (spanning its rows), an empty cell, or nothing under a rowspan."""
    if covered:
        return ""
    if place is None:
        return "<td></td>"
    section = place.section
    text = escape("\n".join(cell_lines(data, section, kind)))
    return (f'<td class="s" rowspan="{place.rows}" '
            f'data-section="{escape(section.id)}">{text}</td>')


def sections_table(data: ViewData, school_id: str) -> str:
    labels = data.labels
    header = [labels(c) for c in ("day", "time", "activity", "room", "staff", "class",
                                  "students")]
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    rows = "".join(_section_row(data, s) for s in data.sections_by_school[school_id])
    return (f"<h3>{escape(labels('sections'))}</h3><table class=\"sections\"><thead><tr>{head}"
            f"</tr></thead><tbody>{rows}</tbody></table>")


def trips_table(data: ViewData, school_id: str) -> str:
    """The school's trips of visits by date (none: nothing is shown)."""
    trips = [t for t in data.trips if t.school == school_id]
    if not trips:
        return ""
    labels = data.labels
    header = [labels(c) for c in ("date", "day", "leave_at", "back_at", "activity", "venue",
                                  "staff", "covers", "students")]
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    rows = "".join(_trip_row(data, t) for t in trips)
    return (f"<h3>{escape(labels('trips'))}</h3><table class=\"trips\"><thead><tr>{head}"
            f"</tr></thead><tbody>{rows}</tbody></table>")


def _trip_row(data: ViewData, trip: SectionOut) -> str:
    covers = "、".join(f"{data.teachers[(trip.school, c.teacher)].name or c.teacher}" for c in
                      trip.covers)
    cells = [str(trip.date), data.labels.day(trip.day), format_clock(trip.start),
             format_clock(trip.end), data.activity_label(trip), data.section_room(trip),
             data.staff_label(trip), covers]
    body = "".join(f"<td>{escape(c)}</td>" for c in cells)
    return (f'<tr class="trip" data-id="{escape(trip.id)}">{body}'
            f"<td>{_roster(data, trip)}</td></tr>")


def _section_row(data: ViewData, section: SectionOut) -> str:
    students = [data.student(section.school, s) for s in section.students]
    classes = sorted({s.class_ for s in students if s.class_})
    tags = {
        "grade": {str(s.grade) for s in students}, "class": set(classes),
        "teacher": {s.teacher for s in section.staff if s.teacher},
        "provider": {s.provider for s in section.staff if s.provider}, "room": {section.room},
    }
    attrs = "".join(f' data-{k}="|{escape("|".join(sorted(v)))}|"' for k, v in tags.items())
    cells = [data.labels.day(section.day), data.time_label(section),
             data.activity_label(section), data.section_room(section),
             data.staff_label(section), " ".join(classes)]
    body = "".join(f"<td>{escape(c)}</td>" for c in cells)
    return (f'<tr class="section" data-id="{escape(section.id)}"{attrs}>{body}'
            f"<td>{_roster(data, section)}</td></tr>")


def _roster(data: ViewData, section: SectionOut) -> str:
    """The size, opening to who is in the section: `张三 (s001)` where names are given."""
    ordered = sorted(section.students, key=lambda s: (data.student(section.school, s).grade,
                                                      data.student(section.school, s).class_
                                                      or "", s))
    names = "、".join(data.student_label(section.school, s) for s in ordered)
    return f"<details><summary>{len(section.students)}</summary>{escape(names)}</details>"


def expenditure_block(data: ViewData, school_id: str) -> str:
    labels = data.labels
    report = expenditure(data, school_id)
    basis = _table([labels("item"), labels("value")], [[k, v] for k, v in
                                                       budget_basis(data, report)])
    rows = [[label, f"{amount:,.2f}", f"{share:.1%}"]
            for label, amount, share in expenditure_rows(data, report)]
    money = _table([labels("item"), labels("amount"), labels("share")], rows, "kpi")
    bars = [Bar(labels(k), v) for k, v in report.amounts.items()]
    bars.append(Bar(labels("total"), report.total, report.budget))
    chart = bar_chart(labels("plot_budget"), bars, lambda v: f"{v:,.0f}", report.budget)
    return (f'<section class="money" data-school="{escape(school_id)}">'
            f"<h2>{escape(report.school_name)}</h2>{basis}{money}"
            f'<p class="note">{escape(labels("expenditure_note"))}</p>'
            f"<figure>{chart}</figure></section>")
