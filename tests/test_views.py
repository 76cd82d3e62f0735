"""Views read back from disk (csv module, openpyxl, icalendar) and checked against the solution.

Expected values are computed here from the solution and the input directly, not through
the views' own helpers, so a view that drops, repeats or misplaces a section fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import icalendar
import openpyxl
import pytest
from test_views_fixtures import SMALL_MEETINGS, small

from models.common import format_clock
from models.problems import InputError
from models.solution import SectionOut
from scheduler.views import export_all, parse_formats

ZH_DAYS = {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    loaded, solution = small()
    out = tmp_path_factory.mktemp("views")
    paths = export_all(loaded, solution, out)
    return loaded, solution, out, paths


def _students(loaded, school="s1"):
    return {s.id: s for s in loaded.district.school(school).students}


def _time(section: SectionOut) -> str:
    return f"{format_clock(section.start)}-{format_clock(section.end)}"


def _cost(loaded, section: SectionOut) -> float:
    """docs/rules.md decision 6, written out again: meetings × (rate × hours + consumables)."""
    district = loaded.district
    school = district.school(section.school)
    activity = next(a for a in school.activities if a.id == section.activity)
    staff = section.staff[0]
    if staff.teacher:
        rate = next(t for t in school.teachers if t.id == staff.teacher).pay_per_class_hour
    else:
        rate = next(p for p in district.providers if p.id == staff.provider).price_per_class_hour
    meetings = district.term.meetings(section.day)
    return meetings * (rate * activity.class_hours + activity.consumables_per_section)


# --- files and formats -------------------------------------------------------------------


def test_export_writes_every_format_and_returns_existing_paths(exported):
    _, _, out, paths = exported
    assert all(p.is_file() for p in paths)
    folders = {p.relative_to(out).parts[0] for p in paths}
    assert folders == {"csv", "xlsx", "ics", "report", "notices"}
    assert not list(out.rglob(".*.tmp")), "no temporary files are left behind"


def test_parse_formats():
    assert parse_formats("csv, XLSX") == {"csv", "xlsx"}
    assert parse_formats("all") == {"csv", "xlsx", "ics", "html", "notices"}
    with pytest.raises(ValueError, match="pdf"):
        parse_formats("csv,pdf")


# --- CSV -----------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel on Chinese Windows"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def test_assignments_csv_has_each_student_in_each_section_once(exported):
    loaded, solution, out, _ = exported
    rows = _read_csv(out / "csv" / "assignments.csv")
    pairs = Counter((r["教学班"], r["学生"]) for r in rows)
    expected = Counter((s.id, st) for s in solution.sections for st in s.students)
    assert pairs == expected
    football = next(r for r in rows if r["学生"] == "s09")
    assert (football["星期"], football["开始"], football["结束"]) == ("周二", "16:20", "17:50")
    names = (football["活动名称"], football["负责人姓名"], football["班级"])
    assert names == ("足球", "王老师", "4-1")


def test_sections_csv_lists_each_section_once_with_its_cost(exported):
    loaded, solution, out, _ = exported
    rows = _read_csv(out / "csv" / "sections.csv")
    assert Counter(r["教学班"] for r in rows) == Counter(s.id for s in solution.sections)
    by_id = {s.id: s for s in solution.sections}
    for row in rows:
        section = by_id[row["教学班"]]
        assert int(row["人数"]) == len(section.students)
        assert int(row["上课次数"]) == SMALL_MEETINGS[section.day]
        assert float(row["费用(元)"]) == pytest.approx(_cost(loaded, section))


def test_expenditure_csv_adds_up_per_school(exported):
    loaded, solution, out, _ = exported
    rows = _read_csv(out / "csv" / "expenditure.csv")
    for school in ("s1", "s2"):
        mine = {r["项目"]: float(r["金额(元)"]) for r in rows if r["学校"] == school}
        categories = [v for k, v in mine.items() if k not in ("合计", "结余")]
        assert len(categories) == 5
        assert sum(categories) == pytest.approx(mine["合计"])
        cost = sum(_cost(loaded, s) for s in solution.sections if s.school == school)
        assert mine["合计"] == pytest.approx(cost)
        budget = loaded.district.budget(loaded.district.school(school))
        assert mine["结余"] == pytest.approx(budget - cost)


# --- XLSX ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(exported):
    _, _, out, _ = exported
    return openpyxl.load_workbook(out / "xlsx" / "s1.xlsx")


def grid_entries(sheet) -> Counter[tuple[str, str, str]]:
    """(day label, time, activity) of every section block drawn in a grid sheet."""
    day_of_col, day = {}, None
    for cell in sheet[2][1:]:
        day = cell.value or day
        day_of_col[cell.column] = day
    found: Counter[tuple[str, str, str]] = Counter()
    for row in sheet.iter_rows(min_row=3, min_col=2):
        for cell in row:
            if isinstance(cell.value, str):
                lines = cell.value.split("\n")
                found[(day_of_col[cell.column], lines[1], lines[0])] += 1
    return found


def expected_entries(loaded, sections) -> Counter[tuple[str, str, str]]:
    names = {a.id: a.name for a in loaded.district.school("s1").activities}
    return Counter((ZH_DAYS[s.day], _time(s), names[s.activity]) for s in sections)


def _s1(solution):
    return [s for s in solution.sections if s.school == "s1"]


def test_sheet_names_are_valid_and_unique(book):
    names = book.sheetnames
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert names[:2] == ["关键指标", "经费支出"]
    assert "学生" in names


def test_grid_sheets_show_each_section_exactly_once(exported, book):
    loaded, solution, _, _ = exported
    students = _students(loaded)
    s1 = _s1(solution)

    def of_class(c):
        return [s for s in s1 if any(students[x].class_ == c for x in s.students)]

    cases = {
        "南山实验小学": s1,
        "年级 3年级": [s for s in s1 if any(students[x].grade == 3 for x in s.students)],
        "班级 3-1": of_class("3-1"),
        "班级 4-1": of_class("4-1"),
        "教师 王老师 (t-wang)": [s for s in s1 if s.staff[0].teacher == "t-wang"],
        "机构 少儿机器人中心": [s for s in s1 if s.staff[0].provider == "p-robot"],
        "场地 r302": [s for s in s1 if s.room == "r302"],
    }
    for sheet_name, sections in cases.items():
        assert grid_entries(book[sheet_name]) == expected_entries(loaded, sections), sheet_name
    rooms = [n for n in book.sheetnames if n.startswith("场地 ")]
    assert len(rooms) == len({s.room for s in s1})


def _belongs(loaded, sheet_name: str):
    """Which sections a grid sheet should show, from its name (kind label, then subject)."""
    students = _students(loaded)
    kind, _, subject = sheet_name.partition(" ")
    tests = {
        "年级": lambda s: any(f"{students[x].grade}年级" == subject for x in s.students),
        "班级": lambda s: any(students[x].class_ == subject for x in s.students),
        "教师": lambda s: s.staff[0].teacher and subject.endswith(f"({s.staff[0].teacher})"),
        "机构": lambda s: s.staff[0].provider == "p-robot" and subject == "少儿机器人中心",
        "场地": lambda s: s.room == subject,
    }
    return tests.get(kind, lambda s: sheet_name == "南山实验小学")


def test_every_grid_sheet_shows_exactly_its_sections(exported, book):
    loaded, solution, _, _ = exported
    grids = [n for n in book.sheetnames if book[n]["A2"].value == "时间"]
    assert len(grids) == 1 + 2 + 3 + 3 + 1 + 5  # school, grades, classes, teachers, provider, rooms
    for name in grids:
        wanted = [s for s in _s1(solution) if _belongs(loaded, name)(s)]
        assert wanted, name
        assert grid_entries(book[name]) == expected_entries(loaded, wanted), name


def test_html_grids_hold_each_section_once(exported):
    loaded, solution, out, _ = exported
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="grid" data-kind="(\w+)" data-key="([^"]*)">(.*?)</div>',
                        html, re.S)
    students = _students(loaded)
    first_school = html.split('<section class="school" data-school="s2">')[0]
    for kind, key, body in blocks:
        shown = Counter(re.findall(r'data-section="([^"]+)"', body))
        if kind == "class" and body in first_school:
            wanted = [s.id for s in _s1(solution)
                      if any(students[x].class_ == key for x in s.students)]
            assert shown == Counter(wanted), key
        assert set(shown.values()) == {1}
    school_grids = [b for b in blocks if b[0] == "school"]
    assert len(school_grids) == 2
    for _, key, body in school_grids:
        wanted = [s.id for s in solution.sections if s.school == key]
        assert Counter(re.findall(r'data-section="([^"]+)"', body)) == Counter(wanted)


def test_grid_merges_a_two_hour_section_over_its_rows(book):
    sheet = book["南山实验小学"]
    times = [sheet.cell(r, 1).value for r in range(3, sheet.max_row + 1)]
    assert times == ["16:20-17:00", "17:00-17:10", "17:10-17:50"]
    football = [c for row in sheet.iter_rows(min_row=3) for c in row
                if isinstance(c.value, str) and c.value.startswith("足球")]
    assert len(football) == 1
    merged = [r for r in sheet.merged_cells.ranges if football[0].coordinate in r]
    assert merged and merged[0].max_row - merged[0].min_row == 2
    assert sheet.freeze_panes == "B3"


def test_students_sheet_lists_each_childs_week(exported, book):
    loaded, solution, _, _ = exported
    sheet = book["学生"]
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["学生", "年级", "班级"] and header[3:] == list(ZH_DAYS.values())
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=3)}
    assert set(rows) == set(_students(loaded))
    for sid, row in rows.items():
        for col, day in enumerate(ZH_DAYS, start=3):
            text = row[col].value or ""
            mine = [s for s in _s1(solution) if sid in s.students and s.day == day]
            times = [line.split(" ")[0] for line in text.split("\n")
                     if line and not line.startswith("接送")]
            assert sorted(times) == sorted(_time(s) for s in mine)
    assert "接送时间 17:00" in rows["s04"][6].value  # thursday pick-up of s04
    assert "s04" in rows and rows["s04"][3].value is None  # no monday for s04


@pytest.fixture(scope="module")
def rollcall_book(exported):
    _, _, out, _ = exported
    return openpyxl.load_workbook(out / "xlsx" / "rollcall" / "s1.xlsx")


def test_rollcall_sheet_per_section_with_every_meeting_date(exported, book, rollcall_book):
    loaded, solution, _, _ = exported
    assert rollcall_book.sheetnames[0] == "目录"
    rollcalls = [rollcall_book[n] for n in rollcall_book.sheetnames[1:]]
    assert len(rollcalls) == len(_s1(solution))
    assert len(book.sheetnames) == 2 + 15 + 1, "KPIs, expenditure, grids, students: no roll calls"
    students = _students(loaded)
    seen = set()
    for sheet in rollcalls:
        header = [c.value for c in sheet[2]]
        assert header[:5] == ["序号", "学生", "年级", "班级", "接送时间"]
        listed = [r[1].value for r in sheet.iter_rows(min_row=3) if r[1].value]
        section = next(s for s in _s1(solution) if sorted(s.students) == sorted(listed)
                       and _time(s) in sheet["A1"].value and s.room in sheet["A1"].value
                       and ZH_DAYS[s.day] in sheet["A1"].value)
        seen.add(section.id)
        dates = loaded.district.term.meeting_dates(section.day)
        assert header[5:] == [f"{d.month}/{d.day}" for d in dates]
        assert len(header) - 5 == SMALL_MEETINGS[section.day]
        for row in sheet.iter_rows(min_row=3):
            student = students[row[1].value]
            assert row[3].value == student.class_
    assert len(seen) == len(rollcalls)
    monday = next(rollcall_book[n] for n in rollcall_book.sheetnames if n.startswith("周一1710"))
    assert "4/25" in [c.value for c in monday[2]] and "4/5" not in [c.value for c in monday[2]]


def test_expenditure_sheet_totals_and_budget(exported, book):
    loaded, solution, _, _ = exported
    sheet = book["经费支出"]
    values = {r[0].value: r[1].value for r in sheet.iter_rows(min_row=2) if r[0].value}
    cost = sum(_cost(loaded, s) for s in _s1(solution))
    assert values["合计"] == pytest.approx(cost)
    assert values["购买服务(校外机构)"] == pytest.approx(8 * 150 * 1)  # robotics, 8 Thursdays
    assert values["耗材"] == pytest.approx(8 * 20)  # football, 8 Tuesdays
    assert values["开发或购买服务项目"] == 0 and values["交通及安保"] == 0
    assert values["学期预算"] == "50,000.00"  # 1000 × 100 enrolled × 0.5
    assert any("暂未录入" in str(r[0].value) for r in sheet.iter_rows())


def test_kpi_sheet_lists_solution_kpis(exported, book):
    _, solution, _, _ = exported
    values = {r[0].value: r[1].value for r in book["关键指标"].iter_rows(min_row=3)}
    assert values["求解状态"] == "已证明是最优课表 (OPTIMAL)"
    assert values["第一志愿满足率"] == solution.kpis.first_choice_share


def test_english_labels(tmp_path):
    loaded, solution = small()
    export_all(loaded, solution, tmp_path, {"xlsx", "csv"}, lang="en")
    book = openpyxl.load_workbook(tmp_path / "xlsx" / "s1.xlsx")
    assert book.sheetnames[:2] == ["KPIs", "Expenditure"]
    assert [c.value for c in book["Students"][2]][3:] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    header = _read_csv(tmp_path / "csv" / "assignments.csv")[0]
    assert list(header)[:8] == ["School", "Day", "Start", "End", "Activity", "Room", "Staff",
                                "Student"]


# --- ICS -----------------------------------------------------------------------------


def expand(calendar: icalendar.Calendar) -> dict[str, list[dt.date]]:
    """Section id → dates its events fall on (weekly RRULE less EXDATE, plus single events)."""
    found: dict[str, list[dt.date]] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"]).removesuffix("@afterschool")
        section = re.sub(r"/\d{8}$", "", uid)
        start = event.decoded("DTSTART")
        dates = [start.date()]
        if "RRULE" in event:
            until = event["RRULE"]["UNTIL"][0]
            while start + dt.timedelta(weeks=1) <= until:
                start += dt.timedelta(weeks=1)
                dates.append(start.date())
            excluded = event.get("EXDATE")
            for group in excluded if isinstance(excluded, list) else [excluded] * bool(excluded):
                dates = [d for d in dates if d not in {x.dt.date() for x in group.dts}]
        found.setdefault(section, []).extend(dates)
    return {k: sorted(v) for k, v in found.items()}


def _calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_teacher_calendars_hold_their_sections_on_the_service_dates(exported):
    loaded, solution, out, _ = exported
    term = loaded.district.term
    for teacher in ("t-wang", "t-li", "t-zhang"):
        calendar = _calendar(out / "ics" / "s1" / "teachers" / f"{teacher}.ics")
        mine = {s.id: s for s in _s1(solution) if s.staff[0].teacher == teacher}
        dates = expand(calendar)
        assert set(dates) == set(mine)
        for section_id, found in dates.items():
            assert found == term.meeting_dates(mine[section_id].day)
            assert len(found) == SMALL_MEETINGS[mine[section_id].day]


def test_calendar_has_the_terms_time_zone(exported):
    _, _, out, _ = exported
    calendar = _calendar(out / "ics" / "s1" / "teachers" / "t-li.ics")
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"


def test_student_and_provider_calendars_show_only_their_own_sections(exported):
    loaded, solution, out, _ = exported
    for sid in _students(loaded):
        path = out / "ics" / "s1" / "students" / f"{sid}.ics"
        mine = {s.id for s in solution.sections if s.school == "s1" and sid in s.students}
        assert set(expand(_calendar(path))) == mine
    child = _calendar(out / "ics" / "s1" / "students" / "s04.ics")
    assert str(child["X-WR-CALDESC"]) == "接送时间: 周二 17:50 / 周四 17:00"
    provider = expand(_calendar(out / "ics" / "providers" / "p-robot.ics"))
    assert set(provider) == {"s1/robotics/thu-1620/lab", "s2/robotics/thu-1620/lab"}


def test_calendar_uids_are_stable_across_exports(exported, tmp_path):
    loaded, solution, out, _ = exported
    export_all(loaded, solution, tmp_path, {"ics"})

    def uids(root):
        return sorted(str(e["UID"]) for e in _calendar(root / "ics/s1/teachers/t-li.ics")
                      .walk("VEVENT"))

    assert uids(out) == uids(tmp_path)
    assert "s1/study/mon-1710/r302@afterschool" in uids(out)


# --- safety --------------------------------------------------------------------------


def test_a_failed_export_leaves_the_old_files_whole(tmp_path, monkeypatch):
    loaded, solution = small()
    export_all(loaded, solution, tmp_path, {"csv", "ics"})
    old_csv = (tmp_path / "csv" / "sections.csv").read_bytes()
    old_ics = sorted(p.name for p in (tmp_path / "ics").rglob("*.ics"))

    import scheduler.views.calendar as calendar_module
    import scheduler.views.tables as tables_module

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tables_module, "section_rows", lambda data: (broken() for _ in [1]))
    monkeypatch.setattr(calendar_module.CalendarWriter, "calendar_bytes", broken)
    with pytest.raises(RuntimeError):
        export_all(loaded, solution, tmp_path, {"csv"})
    with pytest.raises(RuntimeError):
        export_all(loaded, solution, tmp_path, {"ics"})
    assert (tmp_path / "csv" / "sections.csv").read_bytes() == old_csv
    assert sorted(p.name for p in (tmp_path / "ics").rglob("*.ics")) == old_ics
    leftovers = [p.name for p in tmp_path.rglob(".*")]
    assert leftovers == [".afterschool.json"]  # the record of the files export made


def test_solution_naming_unknown_students_is_refused(tmp_path):
    loaded, solution = small()
    solution.sections[0].students.append("nobody")
    with pytest.raises(InputError, match="unknown student 'nobody'"):
        export_all(loaded, solution, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_sheet_names_are_made_valid():
    from scheduler.views.workbook import SheetNames

    names = SheetNames()
    long = "点名表 " + "很长的活动名称" * 6
    made = [names("a/b:c*d?[e]"), names("Room"), names("ROOM"), names(long), names(long)]
    assert made[0] == "a_b_c_d__e_"
    assert made[1:3] == ["Room", "ROOM~2"]
    assert len(made[3]) == 31 and len(made[4]) == 31 and made[3] != made[4]


# --- the command ---------------------------------------------------------------------


def test_export_command_writes_views_and_refuses_a_bad_solution(tmp_path):
    from click.testing import CliRunner
    from test_views_fixtures import SMALL_YAML

    from scheduler.cli import main

    loaded, solution = small()
    (tmp_path / "small.yaml").write_text(SMALL_YAML, encoding="utf-8")
    (tmp_path / "solution.json").write_text(solution.model_dump_json(), encoding="utf-8")
    runner = CliRunner()
    args = ["export", str(tmp_path / "small.yaml"), str(tmp_path / "solution.json"),
            "--format", "csv,html", "--lang", "en"]
    done = runner.invoke(main, [*args, "-o", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".afterschool.json", "csv",
                                                                    "report"]
    assert "<html lang=\"en\">" in (tmp_path / "out/report/index.html").read_text("utf-8")
    (tmp_path / "solution.json").write_text('{"format": "afterschool-solution/1",',
                                            encoding="utf-8")
    done = runner.invoke(main, [*args, "-o", str(tmp_path / "other")])
    assert done.exit_code == 2
    assert not (tmp_path / "other").exists()


def test_expenditure_page_lists_the_categories_and_totals(exported):
    loaded, solution, out, _ = exported
    html = (out / "report" / "expenditure.html").read_text(encoding="utf-8")
    for label in ("购买服务(校外机构)", "开发或购买服务项目", "耗材", "教师课后服务补助",
                  "交通及安保", "合计", "结余", "暂未录入"):
        assert html.count(label) >= 2, label  # once per school
    s1_cost = sum(_cost(loaded, s) for s in _s1(solution))
    assert f"<td>{s1_cost:,.2f}</td>" in html
    assert html.count("<svg") == 2
