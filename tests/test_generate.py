"""The synthetic generator: valid, deterministic, realistic, and feasible by counting.

Feasibility is shown without a solver: for every school, weekday and period (grades whose
periods coincide share them) we put the students who need that period into fallback groups
of at most 45, so every group starts on a period start of each of its grades (H1), then
hand the groups out greedily to
homework teachers (skill, not busy, no overlap, day and week caps) and classrooms. If the
greedy hand-out succeeds, a timetable that supervises everyone exists (clubs are optional).
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from models.district import District, School
from models.loader import load
from scheduler.cli import main
from scheduler.generator import (
    GROUP_SIZE,
    generate_district,
    scarcity_of,
    write_district,
)

Group = tuple[str, int, int]  # day, start, end


@pytest.fixture(scope="module")
def district_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 12-school district (so some nine-year schools) of 250 students each, on disk."""
    folder = tmp_path_factory.mktemp("district")
    write_district(generate_district(12, 250, seed=11), folder / "district.yaml")
    return folder


@pytest.fixture(scope="module")
def loaded_district(district_dir: Path) -> District:
    return load(district_dir / "district.yaml").district


def fallback_groups(district: District, school: School) -> Counter[Group]:
    """Groups of ≤ 45 per (day, period) covering every needed period (rules.md)."""
    policy = district.policy_for(school)
    pupils: Counter[Group] = Counter()
    for student in school.students:
        hour = school.hour_minutes(student.grade)
        for day in student.days:
            starts = school.period_starts(student.grade, day, policy.latest_end)
            starts = starts[: policy.max_class_hours_per_day]
            end = starts[-1] + hour
            pickup = student.pickup_on(day)
            window_end = end if pickup is None else min(pickup, end)
            for start in starts:
                if start < window_end:
                    pupils[(day, start, start + hour)] += 1
    return Counter({period: math.ceil(count / GROUP_SIZE) for period, count in pupils.items()})


def supervisors(district: District, school: School) -> list[dict]:
    """Homework teachers who may be staffed, with their caps and busy windows."""
    policy = district.policy_for(school)
    return [
        {"week": t.max_class_hours_week if t.max_class_hours_week is not None
         else policy.teacher_max_class_hours_week,
         "day": t.max_class_hours_day if t.max_class_hours_day is not None
         else policy.teacher_max_class_hours_day,
         "busy": t.busy, "load": 0, "today": [], "pay": t.pay_per_class_hour}
        for t in school.teachers if "homework" in t.skills and not t.affiliations
    ]


def free(teacher: dict, day: str, start: int, end: int) -> bool:
    windows = list(teacher["busy"].get(day, [])) + teacher["today"]
    return all(end <= a or b <= start for a, b in windows)


def hand_out(district: District, school: School, groups: Counter[Group]) -> float | None:
    """Greedy: each group to the least-loaded free teacher; the weekly pay, or None."""
    teachers = supervisors(district, school)
    pay = 0.0
    for day in district.term.weekdays:
        for teacher in teachers:
            teacher["today"] = []
        for (d, start, end), count in sorted(groups.items(), key=lambda g: g[0][1]):
            for _ in range(count if d == day else 0):
                able = [t for t in teachers if t["load"] < t["week"]
                        and len(t["today"]) < t["day"] and free(t, day, start, end)]
                if not able:
                    return None
                chosen = min(able, key=lambda t: t["load"])
                chosen["load"] += 1
                chosen["today"].append((start, end))
                pay += chosen["pay"] * district.term.meetings(day)
    return pay


def peak(groups: Counter[Group], day: str) -> int:
    todays = [(s, e, n) for (d, s, e), n in groups.items() if d == day]
    return max((sum(n for s, e, n in todays if s <= t < e) for t, _, _ in todays), default=0)


def test_every_school_is_feasible_by_counting(loaded_district: District) -> None:
    """Per day and moment, groups ≤ classrooms; per week and day, hours ≤ teachers' caps."""
    for school in loaded_district.schools:
        groups = fallback_groups(loaded_district, school)
        classrooms = sum(1 for r in school.rooms if r.type == "classroom" and r.capacity >= 45)
        able = supervisors(loaded_district, school)
        week_hours = sum(groups.values())
        for day in loaded_district.term.weekdays:
            # built-in slack: 1.5x classrooms at the busiest moment (generate.py)
            assert peak(groups, day) * 1.5 <= classrooms + 1, school.id
            day_hours = sum(n for (d, _, _), n in groups.items() if d == day)
            assert day_hours <= sum(min(t["day"], t["week"]) for t in able), (school.id, day)
        # built-in slack: weekly caps of homework teachers ≥ 1.5 × group-hours needed
        assert sum(min(t["week"], 5 * t["day"]) for t in able) >= 1.5 * week_hours, school.id


def test_every_school_has_a_greedy_supervision_timetable(loaded_district: District) -> None:
    """A constructive witness: the fallback alone covers every student-day within budget."""
    for school in loaded_district.schools:
        pay = hand_out(loaded_district, school, fallback_groups(loaded_district, school))
        assert pay is not None, f"{school.id}: greedy supervision hand-out failed"
        # The fallback costs under half the budget, leaving the rest for clubs and providers.
        assert pay <= 0.5 * loaded_district.budget(school), school.id


def test_budget_covers_fallback_and_every_capped_club(loaded_district: District) -> None:
    """Fallback witness + every capped club at its cap, led by the dearest staff, fits."""
    top_price = max(p.price_per_class_hour for p in loaded_district.providers)
    for school in loaded_district.schools:
        pay = hand_out(loaded_district, school, fallback_groups(loaded_district, school))
        assert pay is not None
        weekly_clubs = sum((a.max_sections_week or 1)
                           * (a.class_hours * top_price + a.consumables_per_section)
                           for a in school.activities if not a.fallback)
        meetings = max(loaded_district.term.meetings(d) for d in loaded_district.term.weekdays)
        assert pay + weekly_clubs * meetings <= loaded_district.budget(school), school.id


def test_same_seed_same_district_other_seed_other_district() -> None:
    first = generate_district(3, 200, seed=7)
    assert generate_district(3, 200, seed=7) == first
    assert generate_district(3, 200, seed=8) != first


def test_written_files_load_with_students_from_csv(district_dir: Path,
                                                   loaded_district: District) -> None:
    assert len(loaded_district.schools) == 12
    assert all(len(s.students) == 250 for s in loaded_district.schools)
    csvs = sorted(p.name for p in district_dir.glob("*.csv"))
    assert csvs == [f"district-s{i:03d}-students.csv" for i in range(1, 13)]
    assert not list(district_dir.glob(".*"))  # no temporary files left behind
    text = (district_dir / "district.yaml").read_text(encoding="utf-8")
    assert "students: district-s001-students.csv" in text and "_popularity" not in text


def test_inline_data_passes_the_loader_unchanged(tmp_path: Path) -> None:
    """generate_district's dict is valid input as it is (students inline)."""
    import yaml

    data = generate_district(1, 120, seed=2)
    (tmp_path / "inline.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                          encoding="utf-8")
    school = load(tmp_path / "inline.yaml").district.schools[0]
    assert len(school.students) == 120 and school.students[0].id == "s001-00001"


def test_m_school_proportions() -> None:
    """M: 3,000 students → 180 teachers, 60 clubs + fallback, 10 providers, ~45 per class."""
    data = generate_district(1, 3000, seed=1)
    school = data["schools"][0]
    assert 180 <= len(school["teachers"]) <= 190
    assert len([a for a in school["activities"] if not a.get("fallback")]) == 60
    assert len(data["providers"]) == 10
    homes = [r for r in school["rooms"] if r.get("class")]
    assert 40 <= school["enrolled"] / len(homes) <= 45
    assert {r["type"] for r in school["rooms"]} >= {"classroom", "field", "gym", "library"}
    assert 0.6 <= scarcity_of(school) <= 0.8


@pytest.mark.parametrize("target", [0.4, 1.0])
def test_scarcity_knob_sets_seats_over_demand(target: float) -> None:
    school = generate_district(1, 1500, seed=4, scarcity=target)["schools"][0]
    assert scarcity_of(school) == pytest.approx(target, rel=0.15)


def test_popular_clubs_are_oversubscribed() -> None:
    """Seats are spread flatter than demand: the most wanted club has fewer seats than asks."""
    school = generate_district(1, 1500, seed=4, scarcity=0.7)["schools"][0]
    wants: Counter[str] = Counter()
    ids = {a[k]: a["id"] for a in school["activities"] for k in ("id", "name")}
    for student in school["students"]:
        wants.update(ids[c] for c in student["choices"][:2])
    top = max(wants, key=lambda a: wants[a])
    club = next(a for a in school["activities"] if a["id"] == top)
    assert club["max_size"] * club["max_sections_week"] < wants[top]


def test_nine_year_schools_have_junior_grades_at_45_minutes(loaded_district: District) -> None:
    nine_year = [s for s in loaded_district.schools if 9 in s.grades]
    assert nine_year, "a 12-school district should include a nine-year school"
    for school in nine_year:
        assert school.hour_minutes(7) == 45 and school.hour_minutes(1) == 40
        fallbacks = {a.id: a.grades for a in school.activities if a.fallback}
        assert fallbacks == {"study": [1, 2, 3, 4, 5, 6], "study-junior": [7, 8, 9]}
        for activity in school.activities:  # every junior club fits before 18:00
            if 7 in activity.grades:
                assert school.dismissal(7, "mon") + school.duration(activity) <= 18 * 60


def test_providers_serve_a_few_nearby_schools_and_are_mostly_vetted() -> None:
    data = generate_district(100, 20, seed=5)
    providers = data["providers"]
    assert len(providers) == 300
    assert all(1 <= len(p["serves"]) <= 5 for p in providers)
    assert all(100 <= p["price_per_class_hour"] <= 300 and 3 <= p["rating"] <= 5
               for p in providers)
    vetted = [p for p in providers if p["qualification"] == "approved"
              and p["background_check_until"] >= "2027-07-09"]
    assert 0.75 * len(providers) <= len(vetted) < len(providers)


def test_dismissal_lower_grades_first_and_pickups_within_service(loaded_district: District
                                                                 ) -> None:
    for school in loaded_district.schools:
        assert school.dismissal(1, "tue") < school.dismissal(5, "tue")
        assert all(15 * 60 + 30 <= school.dismissal(g, "tue") <= 16 * 60 + 30
                   for g in school.grades)


def test_cli_generate_writes_a_checkable_district(tmp_path: Path) -> None:
    out = tmp_path / "gen.yaml"
    args = ["generate", "--schools", "2", "--students", "80", "--seed", "3", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "gen-s002-students.csv").is_file()
    checked = CliRunner().invoke(main, ["check", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "合计：160 名学生" in checked.output  # generated districts are in Chinese


def test_failed_write_keeps_the_earlier_output(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are written to a temporary name and renamed: a failure leaves the old file."""
    import os

    out = tmp_path / "d.yaml"
    out.write_text("old", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_district(generate_district(1, 30, seed=1), out)
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]
