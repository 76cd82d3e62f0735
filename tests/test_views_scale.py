"""Exporting an M-size school (3,000 students, 200 sections) takes under 10 s.

The export's own computation (user CPU time) is always held to the limit. The wall-clock
time is held to it too, except on a machine so oversubscribed (load average above its
cores, as when other jobs share it) that the clock, and the kernel's time to create the
3,000+ calendar files, measure the other jobs rather than this code.
"""

from __future__ import annotations

import csv
import os
import time

import openpyxl
import pytest
from test_views_fixtures import large

from scheduler.views import export_all

LIMIT_SECONDS = 10.0


@pytest.mark.slow
def test_m_size_school_exports_every_format_in_under_ten_seconds(tmp_path):
    loaded, solution = large()
    started, cpu_started = time.perf_counter(), os.times()
    paths = export_all(loaded, solution, tmp_path)
    elapsed, cpu_ended = time.perf_counter() - started, os.times()
    user, system = cpu_ended.user - cpu_started.user, cpu_ended.system - cpu_started.system
    assert user < LIMIT_SECONDS, f"export computed for {user:.1f} s"
    if os.getloadavg()[0] <= (os.cpu_count() or 1):
        assert elapsed < LIMIT_SECONDS, f"export took {elapsed:.1f} s ({user:.1f} s user, " \
                                        f"{system:.1f} s system)"

    students = tmp_path / "ics" / "m1" / "students"
    teachers = {s.staff[0].teacher for s in solution.sections}
    assert len(list(students.glob("*.ics"))) == 3000
    assert len(list((tmp_path / "ics" / "m1" / "teachers").glob("*.ics"))) == len(teachers)
    with open(tmp_path / "csv" / "assignments.csv", encoding="utf-8-sig") as handle:
        assert sum(1 for _ in csv.reader(handle)) == 1 + 6000
    names = openpyxl.load_workbook(tmp_path / "xlsx" / "m1.xlsx", read_only=True).sheetnames
    assert sum(n.startswith("班级 ") for n in names) == 60
    rollcalls = openpyxl.load_workbook(tmp_path / "xlsx" / "rollcall" / "m1.xlsx",
                                       read_only=True).sheetnames
    assert len(rollcalls) == 1 + 200  # the index, then a sheet per section
    # csv 5 (waitlists.csv too), xlsx 2, calendars, report 2, notices 2 (csv and page)
    assert len(paths) == 5 + 2 + 3000 + len(teachers) + 2 + 2
