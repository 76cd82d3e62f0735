"""`afterschool import fet`: FET files (handmade, Debian's fet-data examples, fet-cl output)."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from models.loader import load
from scheduler.cli import main
from scheduler.importers.fet import default_windows, hour_windows

TINY_FET = """<?xml version="1.0" encoding="UTF-8"?>
<fet version="6.0.0">
<Institution_Name>测试小学</Institution_Name>
<Days_List><Number_of_Days>5</Number_of_Days>
<Day><Name>星期一</Name></Day><Day><Name>星期二</Name></Day><Day><Name>星期三</Name></Day>
<Day><Name>星期四</Name></Day><Day><Name>星期五</Name></Day>
</Days_List>
<Hours_List><Number_of_Hours>4</Number_of_Hours>
<Hour><Name>第1节</Name></Hour><Hour><Name>第2节</Name></Hour>
<Hour><Name>第3节</Name></Hour><Hour><Name>第4节</Name></Hour>
</Hours_List>
<Teachers_List><Teacher><Name>王老师</Name></Teacher><Teacher><Name>Li Ming</Name></Teacher>
</Teachers_List>
<Students_List>
<Year><Name>一年级</Name><Number_of_Students>60</Number_of_Students>
 <Group><Name>一(1)班</Name><Number_of_Students>30</Number_of_Students></Group>
 <Group><Name>一(2)班</Name><Number_of_Students>30</Number_of_Students></Group>
</Year>
<Year><Name>二年级</Name><Number_of_Students>25</Number_of_Students></Year>
</Students_List>
<Activities_List>
<Activity><Teacher>王老师</Teacher><Subject>语文</Subject><Students>一(1)班</Students>
 <Duration>2</Duration><Id>1</Id><Active>true</Active></Activity>
<Activity><Teacher>Li Ming</Teacher><Subject>Math</Subject><Students>一年级</Students>
 <Duration>1</Duration><Id>2</Id><Active>true</Active></Activity>
<Activity><Teacher>王老师</Teacher><Subject>语文</Subject><Students>二年级</Students>
 <Duration>1</Duration><Id>3</Id><Active>true</Active></Activity>
<Activity><Teacher>Li Ming</Teacher><Subject>Math</Subject><Students>一(2)班</Students>
 <Duration>1</Duration><Id>4</Id><Active>true</Active></Activity>
</Activities_List>
<Rooms_List>
<Room><Name>Room 101</Name><Capacity>30000</Capacity></Room>
<Room><Name>Gym</Name><Capacity>80</Capacity></Room>
</Rooms_List>
<Time_Constraints_List>
<ConstraintTeacherNotAvailableTimes><Weight_Percentage>100</Weight_Percentage>
 <Teacher>Li Ming</Teacher><Number_of_Not_Available_Times>1</Number_of_Not_Available_Times>
 <Not_Available_Time><Day>星期五</Day><Hour>第4节</Hour></Not_Available_Time>
 <Active>true</Active></ConstraintTeacherNotAvailableTimes>
</Time_Constraints_List>
</fet>
"""

# Activity 1 (王老师, class 1-1, two hours) Monday hours 1-2; 2 (Li Ming, all of grade 1)
# Monday hour 3; 3 (王老师, grade 2) Tuesday hour 2; 4 (Li Ming, class 1-2) Tuesday hour 4.
TINY_TIMETABLE = """<?xml version="1.0" encoding="UTF-8"?>
<Activities_Timetable>
<Activity><Id>1</Id><Day>星期一</Day><Hour>第1节</Hour><Room>Room 101</Room></Activity>
<Activity><Id>2</Id><Day>星期一</Day><Hour>第3节</Hour><Room>Room 101</Room></Activity>
<Activity><Id>3</Id><Day>星期二</Day><Hour>第2节</Hour><Room>Room 101</Room></Activity>
<Activity><Id>4</Id><Day>星期二</Day><Hour>第4节</Hour><Room>Gym</Room></Activity>
</Activities_Timetable>
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.fet"
    path.write_text(TINY_FET, encoding="utf-8")
    return path


def test_tiny_file_without_timetable_passes_check_with_defaults(tiny: Path, tmp_path: Path):
    out = tmp_path / "school.yaml"
    result = run("import", "fet", str(tiny), "--school", "t1", "-o", str(out))
    assert result.exit_code == 0, result.output
    school = load(out).district.schools[0]
    assert school.id == "t1" and school.name == "测试小学"
    assert sorted(school.grades) == [1, 2]
    assert school.enrolled == 85  # 60 + 25 from FET's sizes
    assert school.students == []  # an empty student list passes check
    # Hour names carry no times: default day 08:00, 45-minute lessons, 10-minute breaks,
    # so the fourth hour ends 08:00 + 3 × 55 + 45 = 11:30, everyone's dismissal.
    assert school.dismissal(1, "wed") == school.dismissal(2, "mon") == 11 * 60 + 30
    assert [(r.id, r.type, r.capacity) for r in school.rooms] == [
        ("room-101", "classroom", 40), ("gym", "gym", 80)]  # 30000 is FET's "unlimited"
    fallback = school.activities[0]
    assert fallback.fallback and fallback.grades == [1, 2] and fallback.max_size == 40
    assert all("homework" in t.skills for t in school.teachers)
    text = out.read_text(encoding="utf-8")
    assert "TODO(edit)" in text and '1-1="一(1)班" (30)' in text


def test_tiny_timetable_gives_busy_times_and_dismissals(tiny: Path, tmp_path: Path):
    timetable = tmp_path / "tiny_activities.xml"
    timetable.write_text(TINY_TIMETABLE, encoding="utf-8")
    out = tmp_path / "school.yaml"
    result = run("import", "fet", str(tiny), "--timetable", str(tmp_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    school = load(out).district.schools[0]
    teachers = {t.name: t for t in school.teachers}
    hm = 60
    # Two consecutive hours join into one window: 08:00-09:40.
    assert teachers["王老师"].busy == {"mon": [(8 * hm, 9 * hm + 40)],
                                       "tue": [(8 * hm + 55, 9 * hm + 40)]}
    # Placed Monday hour 3 and Tuesday hour 4; away (FET not-available) Friday hour 4.
    assert teachers["Li Ming"].busy == {"mon": [(9 * hm + 50, 10 * hm + 35)],
                                        "tue": [(10 * hm + 45, 11 * hm + 30)],
                                        "fri": [(10 * hm + 45, 11 * hm + 30)]}
    assert teachers["Li Ming"].skills == ["homework", "math"]
    # Grade 1 ends Monday after hour 3 (10:35), Tuesday after hour 4 (11:30); days without
    # lessons take the usual (on a tie, the later) time. Grade 2 only has Tuesday hour 2.
    assert [school.dismissal(1, d) for d in ("mon", "tue", "wed")] == [635, 690, 690]
    assert {school.dismissal(2, d) for d in ("mon", "tue", "fri")} == {9 * hm + 40}


def test_unknown_day_in_timetable_is_bad_input(tiny: Path, tmp_path: Path):
    timetable = tmp_path / "x_activities.xml"
    timetable.write_text(TINY_TIMETABLE.replace("星期二", "Tuesday"), encoding="utf-8")
    out = tmp_path / "school.yaml"
    result = run("import", "fet", str(tiny), "--timetable", str(timetable), "-o", str(out))
    assert result.exit_code == 2
    assert "activity 3: day 'Tuesday'" in result.output and not out.exists()


def test_not_xml_is_bad_input_and_keeps_the_old_output(tmp_path: Path):
    bad = tmp_path / "bad.fet"
    bad.write_text("<fet><Days_List>\n<oops></fet>", encoding="utf-8")
    out = tmp_path / "school.yaml"
    out.write_text("old", encoding="utf-8")
    result = run("import", "fet", str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert f"{bad}:2:" in result.output and "not valid XML" in result.output
    assert out.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize(("names", "expected"), [
    (["08:00", "09:00"], [(480, 525), (540, 585)]),  # starts only: 45-min lessons
    (["08:00-08:45", "8.50 - 9.35"], [(480, 525), (530, 575)]),
    (["Pd1 08h00-08h40", "Pd2 08h40-09h20"], [(480, 520), (520, 560)]),
    (["[1]08:00-08:50", "[2]08:50-09:40"], [(480, 530), (530, 580)]),
])
def test_hour_names_with_times_are_read(names: list[str], expected: list[tuple[int, int]]):
    assert hour_windows(names, 8 * 60, 45, 10) == (expected, True)


def test_hour_names_without_times_get_the_default_day():
    assert hour_windows(["1", "2", "3"], 7 * 60 + 30, 40, 5) == (
        [(450, 490), (495, 535), (540, 580)], False)
    # 22 hours cannot fit 55 minutes each: squeezed to end by 17:00.
    squeezed = default_windows(22, 8 * 60, 45, 10)
    assert squeezed[-1][1] <= 17 * 60
    assert all(a[1] <= b[0] for a, b in zip(squeezed, squeezed[1:], strict=False))


# -- Debian's fet-data examples -------------------------------------------------------------

def examples_dir() -> Path | None:
    """Where fet-data put its examples (they moved between releases)."""
    for candidate in (Path("/usr/share/fet/examples"), Path("/usr/share/doc/fet-data/examples")):
        if candidate.is_dir():
            return candidate
    try:
        listed = subprocess.run(["dpkg", "-L", "fet-data"], capture_output=True, text=True,
                                timeout=30).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return None
    found = [Path(p) for p in listed if p.endswith(".fet")]
    return found[0].parents[2] if found else None


EXAMPLES = examples_dir()


def example(relative: str) -> Path:
    if EXAMPLES is None or not (EXAMPLES / relative).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"fet-data example {relative} missing (CI installs fet-data)")
        pytest.skip("Debian package fet-data is not installed")
    return EXAMPLES / relative


def fet_levels(path: Path) -> tuple[int, int, int]:
    """Years, groups and teachers counted straight from the XML, to compare with the import."""
    root = ET.parse(path).getroot()
    years = root.find("Students_List").findall("Year")
    groups = sum(len(y.findall("Group")) for y in years)
    return len(years), groups, len(root.find("Teachers_List").findall("Teacher"))


# Countries and sizes differ: a Greek primary school (one year, grades as groups), an Italian
# liceo (six days), a Sudanese school (hours "1st", "2nd"), a German school (capacities
# "unlimited"), a Namibian primary (hours "07:20 - 08:00"), a Romanian faculty (160 teachers),
# an Algerian mornings/afternoons school (10 FET days), a Tunisian lycée (150 years).
CASES = [
    ("FET-5-official/Greece/Didymoteicho/6th-Primary-School.fet", "groups"),
    ("FET-5-official/Italy/2007/simple/simpler-Italian.fet", "years"),
    ("FET-5-official/Sudan/Khartoum-2010-02-13.fet", "years"),
    ("FET-5-official/Germany/DGS-Pro/dgspro200809.fet", "years"),
    ("FET-5-official/Namibia/by-Willy/Highlands_Christian_School.fet", "years"),
    ("FET-5-official/Romania/Faculty-Econ-Timisoara-difficult/2009-2010-sem-2/v1_7.fet", "years"),
    ("FET-5-mornings-afternoons/Algeria/2-by-Benahmed-Abdelkrim/abc_test_15.fet", "years"),
    ("FET-5-official/Tunisia/Licee-secondaire-Hanibal-a-L-Ariana/Diff1TverouillageTPass3.fet",
     "years"),
]


@pytest.mark.parametrize(("relative", "level"), CASES, ids=[c[0].split("/")[1] for c in CASES])
def test_fet_data_examples_import_and_pass_check(relative: str, level: str, tmp_path: Path):
    source = example(relative)
    out = tmp_path / "school.yaml"
    result = run("import", "fet", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    loaded = load(out)
    school = loaded.district.schools[0]
    years, groups, teachers = fet_levels(source)
    expected_grades = years if level == "years" else groups
    assert len(school.grades) == expected_grades
    assert len(school.teachers) == max(teachers, 1)
    assert loaded.district.term.weekdays == ["mon", "tue", "wed", "thu", "fri"]
    latest = loaded.district.policy.latest_end
    assert all(school.dismissal(g, "mon") + school.class_hour_minutes <= latest
               for g in school.grades)
    assert [a.id for a in school.activities] == ["homework"] and school.students == []


def test_fet_data_data_and_timetable_file_is_a_timetable(tmp_path: Path):
    source = example("FET-5-mornings-afternoons/Algeria/2-by-Benahmed-Abdelkrim/abc_test_15.fet")
    timetable = source.with_name("abc_test_15_data_and_timetable.fet")
    out = tmp_path / "school.yaml"
    result = run("import", "fet", str(source), "--timetable", str(timetable), "-o", str(out))
    assert result.exit_code == 0, result.output
    school = load(out).district.schools[0]
    assert sum(1 for t in school.teachers if t.busy) >= len(school.teachers) // 2


# -- a timetable generated here by fet-cl ------------------------------------------------------

def test_fet_cl_output_gives_each_teacher_their_placed_lessons(tmp_path: Path):
    source = example("FET-5-official/Greece/Didymoteicho/6th-Primary-School.fet")
    if shutil.which("fet-cl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("fet-cl missing (CI installs fet)")
        pytest.skip("fet-cl is not installed")
    # This primary school solves in well under a second (measured: 0.07 s).
    subprocess.run(["fet-cl", f"--inputfile={source}", f"--outputdir={tmp_path / 'fet'}",
                    "--timelimitseconds=30", "--htmllevel=0"], check=True, timeout=60,
                   capture_output=True)
    out = tmp_path / "school.yaml"
    result = run("import", "fet", str(source), "--timetable", str(tmp_path / "fet"),
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    school = load(out).district.schools[0]
    busy = {t.name: t.busy for t in school.teachers}
    placed = ET.parse(next((tmp_path / "fet").rglob("*_activities.xml"))).getroot()
    activities = ET.parse(source).getroot().find("Activities_List")
    teacher_of = {a.findtext("Id"): a.findtext("Teacher") for a in activities.findall("Activity")}
    days = [d.findtext("Name") for d in ET.parse(source).getroot().find("Days_List")
            .findall("Day")]
    for item in placed.findall("Activity"):
        teacher = teacher_of[item.findtext("Id")]
        day = ["mon", "tue", "wed", "thu", "fri"][days.index(item.findtext("Day"))]
        start = int(item.findtext("Hour")[:2]) * 60 + int(item.findtext("Hour")[3:])
        if teacher:  # the hour names are clock times: the lesson starts inside a busy window
            assert any(a <= start < b for a, b in busy[teacher][day]), (teacher, day, start)
    # A primary school's day ends by 14:00 (its last FET hour, 13:20-14:00).
    assert all(school.dismissal(g, d) <= 14 * 60 for g in school.grades for d in ("mon", "fri"))
