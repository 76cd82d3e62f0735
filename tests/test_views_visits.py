"""Views of a timetable with trips of visits (SPEC §8.4), read back from disk.

The rule-test school (tests/test_rule_visits.py): six children choose the museum visit on
the two Tuesdays, t1 takes both trips, and t2 covers t1's Tuesday groups on those dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

import icalendar
import openpyxl
import pytest
from micro import load_data, solve_verified
from test_rule_visits import school

from scheduler.views import export_all


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    loaded = load_data(school())
    solution = solve_verified(loaded).solution
    out = tmp_path_factory.mktemp("views")
    export_all(loaded, solution, out)
    return loaded, solution, out


def _trips(solution):
    return [s for s in solution.sections if s.date is not None]


def _events(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [e for e in calendar.walk("VEVENT")]


def test_a_childs_calendar_has_the_trip_on_its_date_and_no_weekly_group_that_day(exported):
    _, solution, out = exported
    trip = _trips(solution)[0]
    child = trip.students[0]
    events = _events(out / "ics" / "s1" / "students" / f"{child}.ics")
    dated = [e for e in events if str(e["uid"]) == f"{trip.id}@afterschool"]
    assert len(dated) == 1 and "RRULE" not in dated[0]
    assert dated[0].decoded("dtstart").date() == trip.date
    weekly = [e for e in events if "RRULE" in e]
    assert weekly, "the child's Tuesday supervision is weekly"
    for event in weekly:
        skipped = {d.dt.date() for x in _list(event.get("exdate")) for d in x.dts}
        assert trip.date in skipped


def test_the_teacher_away_has_the_exdate_and_the_cover_has_the_dated_group(exported):
    _, solution, out = exported
    dates = {t.date for t in _trips(solution)}
    t1 = _events(out / "ics" / "s1" / "teachers" / "t1.ics")
    for event in (e for e in t1 if "RRULE" in e and e.decoded("dtstart").weekday() == 1):
        assert dates <= {d.dt.date() for x in _list(event.get("exdate")) for d in x.dts}
    covers = [(c.section, t.date) for t in _trips(solution) for c in t.covers]
    if covers:
        t2 = _events(out / "ics" / "s1" / "teachers" / "t2.ics")
        dated = {(str(e["uid"]).split("/cover/")[0], e.decoded("dtstart").date())
                 for e in t2 if "/cover/" in str(e["uid"])}
        assert dated == set(covers)


def _list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def test_the_trip_roll_call_has_a_column_for_the_time_back(exported):
    _, solution, out = exported
    with (out / "csv" / "trip_rollcall.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    trips = _trips(solution)
    assert len(rows) == sum(len(t.students) for t in trips)
    assert {r["返校"] for r in rows} == {"17:40"} and {r["返校签到"] for r in rows} == {""}
    book = openpyxl.load_workbook(out / "xlsx" / "rollcall" / "s1.xlsx")
    sheet = book[f"{trips[0].date} 博物馆参观"]
    header = [c.value for c in sheet[2]]
    assert header[-1] == "返校签到 (17:40)"
    assert [sheet.cell(r, 2).value for r in range(3, 3 + len(trips[0].students))] == \
        sorted(trips[0].students)


def test_weekly_roll_calls_say_who_is_away_on_a_trip(exported):
    _, solution, out = exported
    trip = _trips(solution)[0]
    book = openpyxl.load_workbook(out / "xlsx" / "rollcall" / "s1.xlsx")
    column = f"{trip.date.month}/{trip.date.day}"
    marked = set()
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[2]]
        if column in header:
            col = header.index(column) + 1
            marked |= {sheet.cell(r, 2).value for r in range(3, sheet.max_row + 1)
                       if sheet.cell(r, col).value == "研学外出"}
    assert marked == set(trip.students)


def test_the_report_lists_trips_by_date_and_the_expenditure_has_transport(exported):
    _, solution, out = exported
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "<h3>研学出行</h3>" in html
    cells = re.findall(r'<tr class="trip" data-id="[^"]+"><td>([\d-]+)</td>', html)
    found = [dt.date.fromisoformat(d) for d in cells]
    assert found == sorted(t.date for t in _trips(solution)) and found
    with (out / "csv" / "expenditure.csv").open(encoding="utf-8-sig") as handle:
        money = {r["项目"]: float(r["金额(元)"]) for r in csv.DictReader(handle)}
    assert money["交通及安保"] == 300 * len(_trips(solution))
