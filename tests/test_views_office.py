"""What the office reads (issue 11 §6): names, rooms by name, grids that read at real size,
workbooks that print on A4 without cut lines, roll calls in their own workbook, and the
score said in a school's terms.

Files are read back from disk (openpyxl, icalendar, the HTML text, csv) and compared with
values worked out here from the input and the solution, not through the views' helpers.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import icalendar
import openpyxl
import pytest
from test_views_fixtures import SMALL_YAML, large, small

from models.loader import load_text
from models.solution import Solution
from scheduler.views import export_all

NAMES = {"s01": "张三", "s02": "王五"}
ROOM = ("r301", "三楼301教室")


def named() -> tuple:
    """The small district with two named students and a named room."""
    text = SMALL_YAML
    for sid, name in NAMES.items():
        text = text.replace(f"{{id: {sid}, grade: 3", f"{{id: {sid}, name: {name}, grade: 3")
    text = text.replace(f"{{id: {ROOM[0]}, type:", f"{{id: {ROOM[0]}, name: {ROOM[1]}, type:")
    assert text.count("name: 张三") == 1 and text.count(ROOM[1]) == 1
    loaded = load_text(text, "named.yaml")
    _, solution = small()
    return loaded, solution.model_copy(update={"instance_sha256": loaded.sha256})


@pytest.fixture(scope="module")
def named_out(tmp_path_factory):
    loaded, solution = named()
    out = tmp_path_factory.mktemp("named")
    export_all(loaded, solution, out)
    return loaded, solution, out


@pytest.fixture(scope="module")
def plain_out(tmp_path_factory):
    loaded, solution = small()
    out = tmp_path_factory.mktemp("plain")
    export_all(loaded, solution, out, {"xlsx", "html"}, lang="en")
    return loaded, solution, out


def _book(out: Path, *parts: str):
    return openpyxl.load_workbook(out.joinpath("xlsx", *parts))


def _texts(sheet) -> list[str]:
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


# --- names ---------------------------------------------------------------------------


def test_roll_call_has_a_name_column_beside_the_id_where_names_are_given(named_out):
    loaded, solution, out = named_out
    book = _book(out, "rollcall", "s1.xlsx")
    football = next(s for s in solution.sections if s.id == "s1/football/tue-1620/field")
    sheet = next(book[n] for n in book.sheetnames if n.startswith("周二1620 足球"))
    assert [c.value for c in sheet[2]][:6] == ["序号", "姓名", "学号", "年级", "班级", "接送时间"]
    listed = {r[2].value: r[1].value for r in sheet.iter_rows(min_row=3)}
    assert set(listed) == set(football.students)
    assert listed["s01"] == "张三" and listed["s02"] == "王五"
    assert listed["s05"] is None  # a child without a name keeps its row, by id


def test_roll_call_without_names_lists_ids_alone(plain_out):
    _, _, out = plain_out
    book = _book(out, "rollcall", "s1.xlsx")
    sheet = book[book.sheetnames[1]]
    assert [c.value for c in sheet[2]][:5] == ["No.", "Student", "Grade", "Class", "Pick-up"]


def test_students_sheet_and_csv_carry_names(named_out):
    _, solution, out = named_out
    sheet = _book(out, "s1.xlsx")["学生"]
    assert [c.value for c in sheet[2]][:4] == ["姓名", "学号", "年级", "班级"]
    rows = {r[1].value: r[0].value for r in sheet.iter_rows(min_row=3)}
    assert rows["s01"] == "张三" and rows["s03"] is None
    with open(out / "csv" / "assignments.csv", encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    names = {(r["学生"], r["学生姓名"]) for r in table}
    assert ("s01", "张三") in names and ("s03", "") in names
    rooms = {(r["场地"], r["场地名称"]) for r in table}
    assert ROOM in rooms and ("field", "") in rooms
    assert len(table) == sum(len(s.students) for s in solution.sections)


def test_calendars_name_the_child_and_list_the_children_for_staff_only(named_out):
    _, solution, out = named_out
    child = icalendar.Calendar.from_ical((out / "ics/s1/students/s01.ics").read_bytes())
    assert str(child["X-WR-CALNAME"]) == "张三 (s01) 2027 春季"
    child_text = (out / "ics/s1/students/s01.ics").read_bytes().decode()
    assert "王五" not in child_text, "a parent's calendar never names other children"
    teacher = icalendar.Calendar.from_ical((out / "ics/s1/teachers/t-wang.ics").read_bytes())
    football = next(e for e in teacher.walk("VEVENT") if "football" in str(e["UID"]))
    description = str(football["DESCRIPTION"])
    assert "张三 (s01)" in description and "王五 (s02)" in description and "s05" in description
    study = next(e for e in teacher.walk("VEVENT") if "study" in str(e["UID"]))
    assert "s11" in str(study["DESCRIPTION"]) and "张三" not in str(study["DESCRIPTION"])
    unnamed = icalendar.Calendar.from_ical((out / "ics/s1/students/s05.ics").read_bytes())
    assert str(unnamed["X-WR-CALNAME"]) == "s05 2027 春季"


def test_report_lists_each_sections_children_by_name(named_out):
    _, solution, out = named_out
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr class="section" data-id="s1/football/tue-1620/field".*?</tr>', html)
    assert row is not None
    assert "<summary>4</summary>" in row.group()
    for shown in ("张三 (s01)", "王五 (s02)", "s05", "s09"):
        assert shown in row.group()


# --- rooms by name -------------------------------------------------------------------


def test_rooms_are_shown_by_name_where_they_have_one(named_out):
    _, _, out = named_out
    book = _book(out, "s1.xlsx")
    assert f"场地 {ROOM[1]} ({ROOM[0]})" in book.sheetnames
    class_grid = _texts(book["班级 3-1"])
    assert any(f"场地: {ROOM[1]}" in t for t in class_grid)
    assert not any("场地: r301" in t for t in class_grid)
    students = _texts(book["学生"])
    assert any(f"({ROOM[1]})" in t for t in students)
    rollcalls = _book(out, "rollcall", "s1.xlsx")
    assert any(n.endswith(ROOM[1]) for n in rollcalls.sheetnames)
    calendar = (out / "ics/s1/teachers/t-li.ics").read_bytes().decode()
    assert f"LOCATION:南山实验小学 {ROOM[1]}" in calendar
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert f"<td>{ROOM[1]}</td>" in html  # the sections table
    assert f'<option value="room=r301">场地: {ROOM[1]} (r301)</option>' in html


def test_a_room_without_a_name_leaves_the_input_hash_as_it_was():
    loaded, _ = small()
    room = loaded.district.school("s1").rooms[1]
    assert room.name == "" and "name" not in room.model_dump()
    named_loaded, _ = named()
    assert named_loaded.district.school("s1").rooms[1].model_dump()["name"] == ROOM[1]
    assert named_loaded.sha256 != loaded.sha256


# --- grids at real size --------------------------------------------------------------


@pytest.fixture(scope="module")
def large_out(tmp_path_factory):
    loaded, solution = large()
    out = tmp_path_factory.mktemp("large")
    export_all(loaded, solution, out, {"html", "xlsx"})
    return loaded, solution, out


def _grid_blocks(html: str) -> list[tuple[str, str, str, str]]:
    return re.findall(r'<div class="grid" data-kind="(\w+)" data-key="([^"]*)"([^>]*)>(.*?)</div>',
                      html, re.S)


def test_a_large_schools_grid_is_split_by_day_with_a_line_per_room(large_out):
    _, solution, out = large_out
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    school = next(b for b in _grid_blocks(html) if b[0] == "school")
    assert 'data-split="day"' in school[2]
    tables = re.findall(r'<table data-day="(\w+)">(.*?)</table>', school[3], re.S)
    assert [day for day, _ in tables] == ["mon", "tue", "wed", "thu", "fri"]
    for day, table in tables:
        head = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
        assert head.count("<th>") == 1 + 3  # room, then 16:20-17:00, 17:00-17:10, 17:10-17:50
        shown = re.findall(r'data-section="([^"]+)"', table)
        assert Counter(shown) == Counter(s.id for s in solution.sections if s.day == day)
        body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
        lines = re.findall(r"<tr><th>([^<]*)</th>", body)
        assert lines == sorted({s.room for s in solution.sections if s.day == day},
                               key=lambda r: int(r.removeprefix("hall")))
    # 200 sections once each, 20 at a time: as a week grid this was 100 columns wide.
    assert len(re.findall(r'data-section="', school[3])) == 200


def test_a_small_schools_grid_stays_one_week_table(plain_out):
    _, solution, out = plain_out
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    school = next(b for b in _grid_blocks(html) if b[0] == "school" and b[1] == "s1")
    assert "data-split" not in school[2] and school[3].count("<table") == 1


def test_split_workbook_grid_has_every_section_once_and_a_page_per_day(large_out):
    _, solution, out = large_out
    sheet = _book(out, "m1.xlsx")["海滨实验小学"]
    assert [c.value for c in sheet[2]] == ["星期", "场地", "16:20-17:00", "17:00-17:10",
                                           "17:10-17:50"]
    found = Counter()
    for row in sheet.iter_rows(min_row=3):
        for cell in row[2:]:
            if isinstance(cell.value, str):
                lines = cell.value.split("\n")
                found[(row[0].value, row[1].value, lines[1], lines[0])] += 1
    zh = {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五"}
    expected = Counter((zh[s.day], s.room, f"{s.start // 60}:{s.start % 60:02d}-"
                        f"{s.end // 60}:{s.end % 60:02d}", f"社团{s.activity[4:]}")
                       for s in solution.sections)
    assert found == expected
    assert len(sheet.row_breaks.brk) == 4  # each of the five days starts a page
    assert sheet.print_title_rows == "$1:$2"


def test_filter_still_works_on_a_split_grid_in_a_browser(large_out, tmp_path):
    from test_views_browser import console_errors, dom

    _, solution, out = large_out
    page, stderr = dom(tmp_path, (out / "report" / "index.html").as_uri() + "#class=1-1")
    assert page.body.get("data-filter") == "class=1-1"
    assert page.errors == [] and console_errors(stderr) == []
    visible = [(g["data-kind"], g["data-key"], g.get("data-split")) for g in page.grids
               if "hidden" not in g]
    assert visible == [("class", "1-1", "day")]
    students = {s.id: s.class_ for s in large()[0].district.schools[0].students}
    wanted = {s.id for s in solution.sections if any(students[x] == "1-1" for x in s.students)}
    assert {r["data-id"] for r in page.rows if "hidden" not in r} == wanted


# --- workbooks that print -------------------------------------------------------------


def _height(sheet, row: int) -> float:
    return sheet.row_dimensions[row].height or 15.0


def _cut_cells(sheet) -> list[str]:
    """Wrapped cells whose rows are shorter than their lines (11-point text needs at least
    14 points a line): the last line would not show."""
    merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
    cut = []
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            box = merged.get((cell.row, cell.column))
            last = box.max_row if box else cell.row
            height = sum(_height(sheet, r) for r in range(cell.row, last + 1))
            if height < 14 * (cell.value.count("\n") + 1):
                cut.append(f"{sheet.title}!{cell.coordinate}")
    return cut


def test_no_wrapped_cell_is_taller_than_its_rows(plain_out, named_out):
    for out, school in ((plain_out[2], "s1"), (named_out[2], "s1")):
        book = _book(out, f"{school}.xlsx")
        assert [c for sheet in book.worksheets for c in _cut_cells(sheet)] == []
    # a five-line block in a one-row slot is the case that was cut (62 points for 75)
    sheet = _book(named_out[2], "s1.xlsx")["班级 3-1"]
    five = [c for row in sheet.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.count("\n") == 4]
    assert five and all(_height(sheet, c.row) >= 5 * 14 for c in five
                        if not any(c.coordinate in r for r in sheet.merged_cells.ranges))


def test_wide_english_labels_fit_their_column(plain_out):
    sheet = _book(plain_out[2], "s1.xlsx")["Expenditure"]
    width = sheet.column_dimensions["A"].width
    labels = [r[0].value for r in sheet.iter_rows(min_row=2, max_col=1)
              if isinstance(r[0].value, str) and not r[0].value.startswith("Items developed")]
    assert "Service items developed or purchased" in labels
    assert all(len(label) < width - 1 for label in labels), (width, labels)


def test_every_sheet_prints_on_a4_one_page_wide(plain_out, large_out):
    for out, school in ((plain_out[2], "s1"), (large_out[2], "m1")):
        for parts in ((f"{school}.xlsx",), ("rollcall", f"{school}.xlsx")):
            book = _book(out, *parts)
            for sheet in book.worksheets:
                setup = sheet.page_setup
                assert int(setup.paperSize) == 9, (parts, sheet.title)
                assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
                assert sheet.sheet_properties.pageSetUpPr.fitToPage
                if sheet.title not in ("Expenditure", "经费支出"):  # one page, no header row
                    assert sheet.print_title_rows == "$1:$2", (parts, sheet.title)
    book = _book(plain_out[2], "s1.xlsx")
    assert book["Students"].page_setup.orientation == "landscape"
    assert book["KPIs"].page_setup.orientation == "portrait"


def test_roll_calls_are_a_workbook_of_their_own_with_an_index(large_out):
    _, solution, out = large_out
    main = openpyxl.load_workbook(out / "xlsx" / "m1.xlsx", read_only=True).sheetnames
    book = _book(out, "rollcall", "m1.xlsx")
    assert len(book.sheetnames) == 1 + 200 and book.sheetnames[0] == "目录"
    assert len(main) == 2 + 1 + 6 + 60 + 180 + 20 + 1  # no roll call among them
    index = book["目录"]
    links = [r[2].hyperlink.location for r in index.iter_rows(min_row=3)]
    targets = [re.fullmatch(r"'(.*)'!A1", link).group(1).replace("''", "'") for link in links]
    assert targets == book.sheetnames[1:]
    sizes = [r[5].value for r in index.iter_rows(min_row=3)]
    assert sorted(sizes) == sorted(len(s.students) for s in solution.sections)


# --- the score in a school's terms ---------------------------------------------------


def _headline_expected(solution: Solution) -> dict[str, object]:
    """Worked out by hand for the small fixture: 10 students chose something; 9 got one of
    their choices (s08 did not), 8 their first (s02 got football, her second); 15
    registered student-days, none uncovered."""
    return {
        "Students with choices who got one": "9 of 10 (90.0%)",
        "Students with choices who got their first": "8 of 10 (80.0%)",
        "Registered student-days supervised": "15 of 15 (100.0%)",
        "Timetable score (higher is better)": solution.objective,
        "Best possible score is at most": solution.bound,
        "How far from proven best (at most)": 0.0,
    }


def test_kpi_sheet_says_the_solve_in_a_schools_terms(plain_out):
    _, solution, out = plain_out
    sheet = _book(out, "s1.xlsx")["KPIs"]
    rows = [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=3)]
    values = dict(rows[:next(i for i, (label, _) in enumerate(rows) if label is None)])
    school = dict(rows[next(i for i, (label, _) in enumerate(rows) if label == "南山实验小学"):])
    # s1 alone: 8 chose something, 7 got one (not s08), 6 their first; 13 student-days
    assert school["Students with choices who got one"] == "7 of 8 (87.5%)"
    assert school["Students with choices who got their first"] == "6 of 8 (75.0%)"
    assert school["Registered student-days supervised"] == "13 of 13 (100.0%)"
    for label, value in _headline_expected(solution).items():
        assert values[label] == value, label
    assert values["Solver status"] == "Proven best timetable (OPTIMAL)"
    assert "Objective" not in values and "Bound" not in values and "Gap" not in values
    note = next(t for t in _texts(sheet) if t.startswith("The score weighs"))
    assert "not students" in note


def test_report_says_the_solve_in_a_schools_terms(plain_out):
    _, solution, out = plain_out
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="kpi">.*?</table>', html, re.S).group()
    for label, value in _headline_expected(solution).items():
        shown = value if isinstance(value, str) else \
            f"{value:.2%}" if label.startswith("How far") else f"{value:,.1f}"
        assert f"<tr><td>{label}</td><td>{shown}</td></tr>" in table, label


def test_a_feasible_solve_says_it_is_not_proven_best(tmp_path):
    loaded, solution = small()
    unproven = solution.model_copy(update={"status": "FEASIBLE", "bound": 80.0})
    export_all(loaded, unproven, tmp_path, {"html"}, lang="en")
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "not proven best" in html
    gap = (80.0 - solution.objective) / 80.0
    assert f"<td>How far from proven best (at most)</td><td>{gap:.2%}</td>" in html


def test_a_room_double_booked_by_an_unverified_timetable_gets_a_second_line():
    from scheduler.views.grids import Subject, build_grid, split_by_day

    _, solution = small()
    tuesday = [s for s in solution.sections if s.school == "s1" and s.day == "tue"]
    clash = tuesday[0].model_copy(update={"id": "clash", "room": "r301"})  # 16:20-17:50
    split = split_by_day(build_grid(Subject("school", "s1", "s1", "s1", [*tuesday, clash]),
                                    ["tue"]))
    (table,) = split.tables
    assert table.rooms == ["field", "r301", "r301"]
    lines = {b.section.id: b.line for b in table.blocks}
    assert lines["clash"] != lines["s1/study/tue-1620/r301"]
    assert sorted(lines) == sorted(["clash", *(s.id for s in tuesday)])
