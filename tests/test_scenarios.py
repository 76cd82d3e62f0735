"""Scenario files (SPEC §8.2): patches by id, positions in the scenario file, the command."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from models.problems import InputError
from models.scenario import load_scenario
from scheduler.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BASE = EXAMPLES / "district.yaml"


def scenario(tmp_path: Path, body: str, name: str = "s") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"base: {BASE}\n{body}", encoding="utf-8")
    return path


def test_changes_apply_by_id(tmp_path: Path) -> None:
    path = scenario(tmp_path, """changes:
  - remove: {school: kuiyong, teacher: t2}
  - set: {policy.teacher_max_class_hours_week: 3}
  - set: {schools.nanao.teachers.t1.max_class_hours_week: 2}
  - add: {school: nanao, room: {id: gym, type: gym, capacity: 40}}
  - remove: {school: kuiyong, activity: robotics}
  - remove: {school: nanao, activity: robotics}
  - remove: {provider: p-robot}
""")
    sc, loaded = load_scenario(path)
    d = loaded.district
    assert sc.name == "s"
    assert "t2" not in [t.id for t in d.school("kuiyong").teachers]
    assert d.policy.teacher_max_class_hours_week == 3
    assert d.school("nanao").teachers[0].max_class_hours_week == 2
    assert d.school("nanao").rooms[-1].id == "gym"
    assert [p.id for p in d.providers] == ["p-football"]


def test_scale_signups_clones_deterministically(tmp_path: Path) -> None:
    path = scenario(tmp_path, "changes:\n  - scale_signups: {school: nanao, grades: [1], "
                    "factor: 1.5}\n")
    _, first = load_scenario(path)
    _, again = load_scenario(path)
    before = [s for s in load_scenario(scenario(tmp_path, "changes: []\n", "none"))[1]
              .district.school("nanao").students if s.grade == 1]
    after = [s for s in first.district.school("nanao").students if s.grade == 1]
    assert len(after) == round(len(before) * 1.5)
    clones = after[len(before):]
    assert clones[0].id == f"{before[0].id}+1" and clones[0].choices == before[0].choices
    assert [s.id for s in after] == [s.id for s in again.district.school("nanao").students
                                     if s.grade == 1]


def test_scale_down_drops_latest_signups(tmp_path: Path) -> None:
    path = scenario(tmp_path, "changes:\n  - scale_signups: {school: nanao, factor: 0.5}\n")
    full = load_scenario(scenario(tmp_path, "changes: []\n", "none"))[1].district.school("nanao")
    half = load_scenario(path)[1].district.school("nanao")
    assert 0 < len(half.students) < len(full.students)
    assert half.students[0].id == full.students[0].id


@pytest.mark.parametrize(("change", "line", "words"), [
    ("  - remove: {school: kuiyong, teacher: t99}\n", 3, "no teacher 't99'"),
    ("  - remove: {school: kuiyongg, teacher: t1}\n", 3, "did you mean 'kuiyong'"),
    ("  - set: {policy.teacher_max_class_hours_week: -1}\n", 3, "teacher_max_class_hours_week"),
    ("  - set: {policy.teacher_max_hours: 3}\n", 3, "no field"),
    ("  - add: {school: nanao, room: {id: c1, type: gym, capacity: 4}}\n", 3, "already has"),
    ("  - add: {school: nanao, room: {id: g, type: gym,\n           capacity: 0}}\n", 4,
     "capacity"),
    ("  - explode: {school: nanao}\n", 3, "unknown change"),
])
def test_errors_point_into_the_scenario(tmp_path: Path, change: str, line: int,
                                        words: str) -> None:
    path = scenario(tmp_path, "changes:\n" + change)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    text = str(caught.value.problems[0])
    assert text.startswith(f"{path}:{line}:"), text
    assert words in text


def test_base_at_fault_is_cited_in_the_base(tmp_path: Path) -> None:
    """Losing the only robotics provider: the activities left without staff are the base's."""
    path = scenario(tmp_path, "changes:\n  - remove: {provider: p-robot}\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    texts = [str(p) for p in caught.value.problems]
    assert len(texts) == 2 and all(t.startswith(f"{BASE}:") for t in texts), texts
    assert all("robotics" in t for t in texts)


def test_missing_base(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("base: nowhere.yaml\nchanges: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert f"{path}:1:7: base file" in result.output


def test_scenario_command_runs_the_examples(tmp_path: Path) -> None:
    files = sorted((EXAMPLES / "scenarios").glob("*.yaml"))
    assert len(files) == 6
    for file in files:
        assert file.read_text(encoding="utf-8").startswith("base: ")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scenario", str(BASE), *map(str, files), "-o", str(out),
                                       "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    with open(out / "scenarios.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + 1 + 6
    assert all(r[1] in ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN") for r in rows[1:])
    assert not any(r[-1].startswith("verify") for r in rows[1:])
    page = (out / "scenarios.html").read_text(encoding="utf-8")
    assert "<svg" in page and "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"',
                                                          "")
    assert (out / "base" / "solution.json").is_file()
    assert (out / "teacher_retires" / "changes.json").is_file()


def test_remove_instructors_and_refusals(tmp_path: Path) -> None:
    path = scenario(tmp_path, "changes:\n  - remove: {provider: p-football, instructors: 1}\n")
    provider = load_scenario(path)[1].district.providers[1]
    assert provider.id == "p-football" and provider.instructors == 1
    path = scenario(tmp_path, "changes:\n  - remove: {provider: p-robot, instructors: 1}\n",
                    "all")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert "remove the provider" in str(caught.value)


def test_an_infeasible_scenario_is_explained_in_the_table(tmp_path: Path) -> None:
    removed = "".join(f"  - remove: {{school: nanao, teacher: t{i}}}\n" for i in range(3, 9))
    broken = scenario(tmp_path, "name: 南澳只剩两位老师\nchanges:\n" + removed, "broken")
    cheaper = EXAMPLES / "scenarios" / "budget_minus_10.yaml"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scenario", str(BASE), str(broken), str(cheaper), "-o",
                                       str(out), "--time-limit", "3", "--fresh"])
    assert result.exit_code == 0, result.output
    with open(out / "scenarios.csv", encoding="utf-8-sig") as handle:
        rows = {r[0]: r for r in csv.reader(handle)}
    assert rows["南澳只剩两位老师"][1] == "INFEASIBLE"
    assert rows["南澳只剩两位老师"][-1].startswith("无可行课表：")
    assert (out / "broken" / "explanation.json").is_file()
    assert rows["预算削减 10%"][1] in ("OPTIMAL", "FEASIBLE")
    assert rows["预算削减 10%"][13] != ""  # changes against the base, --fresh too
