"""Exporting an M-size school (3,000 students, 200 sections) takes under 10 s.

The CPU time of the export is always held to the limit. The wall-clock time is held to it
too, except on a machine so oversubscribed (load average above its cores, as when other
jobs share it) that the clock measures the other jobs rather than this code.
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
    started, cpu_started = time.perf_counter(), time.process_time()
    paths = export_all(loaded, solution, tmp_path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert cpu < LIMIT_SECONDS, f"export used {cpu:.1f} s of CPU"
    if os.getloadavg()[0] <= (os.cpu_count() or 1):
        assert elapsed < LIMIT_SECONDS, f"export took {elapsed:.1f} s ({cpu:.1f} s CPU)"

    students = tmp_path / "ics" / "m1" / "students"
    teachers = {s.staff[0].teacher for s in solution.sections}
    assert len(list(students.glob("*.ics"))) == 3000
    assert len(list((tmp_path / "ics" / "m1" / "teachers").glob("*.ics"))) == len(teachers)
    with open(tmp_path / "csv" / "assignments.csv", encoding="utf-8-sig") as handle:
        assert sum(1 for _ in csv.reader(handle)) == 1 + 6000
    names = openpyxl.load_workbook(tmp_path / "xlsx" / "m1.xlsx", read_only=True).sheetnames
    assert sum(n.startswith("点名表") for n in names) == 200
    assert sum(n.startswith("班级 ") for n in names) == 60
    assert len(paths) == 4 + 1 + 3000 + len(teachers) + 2
