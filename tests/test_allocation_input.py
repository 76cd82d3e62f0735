"""The allocation options of SPEC §8.5 as input: `together`, `priority`, `assigned`
(+ `assigned_reason`), `policy.fairness` and `previous:`, with their file:line:col errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_validation import BASE, at, edit

from models.loader import load, load_text
from models.problems import InputError

A2 = "- {id: a2, grade: 3, days: [tue], choices: [robot]}"


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(text, "x.yaml")
    return [str(p) for p in info.value.problems]


def with_a2(fields: str) -> str:
    return edit(A2, A2[:-1] + ", " + fields + "}")


def test_the_fields_default_to_nothing_special():
    student = load_text(BASE, "x.yaml").district.schools[0].students[1]
    assert (student.together, student.priority, student.assigned, student.assigned_reason) == (
        None, 0, [], "")
    assert load_text(BASE, "x.yaml").district.policy.fairness == "weighted"


def test_the_fields_are_read_inline():
    text = with_a2('together: 王家, priority: 3, assigned: [robot], assigned_reason: 校队')
    loaded = load_text(text, "x.yaml")
    student = loaded.district.schools[0].students[1]
    assert (student.together, student.priority, student.assigned, student.assigned_reason) == (
        "王家", 3, ["robot"], "校队")
    assert loaded.district.priority("s1", student) == 3


def test_priority_out_of_range_points_at_the_value():
    text = with_a2("priority: 101")
    assert problems(text) == [
        f"{at(text, '101')}: priority: Input should be less than or equal to 100 (got 101)"]


def test_fairness_must_be_weighted_or_leximin():
    text = edit("  weekdays: [mon, tue, wed, thu, fri]\n",
                "  weekdays: [mon, tue, wed, thu, fri]\npolicy: {fairness: fair}\n")
    assert problems(text) == [
        f"{at(text, 'fair}')}: policy.fairness: 'fair' is not one of weighted, leximin"]


def test_a_school_may_choose_its_own_fairness():
    text = edit("    enrolled: 100\n", "    enrolled: 100\n    policy: {fairness: leximin}\n")
    district = load_text(text, "x.yaml").district
    assert district.policy_for(district.schools[0]).fairness == "leximin"


@pytest.mark.parametrize(("assigned", "message"), [
    ("[chess]", "student a2 is assigned unknown activity 'chess'"),
    ("[study]", "student a2 is assigned 'study', the supervised study every child may attend; "
                "assign a club"),
    ("[robot, 机器人]", "student a2 is assigned '机器人' twice"),
])
def test_an_assignment_names_a_club_of_the_students_grade(assigned: str, message: str):
    text = with_a2(f"assigned: {assigned}")
    marker = assigned.strip("[]").split(", ")[-1]
    where = at(text, marker, nth=text.count(marker) - 1)
    assert problems(text) == [f"{where}: {message}"]


def test_an_assignment_outside_the_grade_is_refused():
    text = edit("- {id: a1, grade: 1, days: [mon, tue], pickup: \"17:00\", choices: []}",
                "- {id: a1, grade: 1, days: [mon, tue], pickup: \"17:00\", assigned: robot}")
    assert problems(text) == [f"{at(text, 'robot}')}: student a1 is assigned 'robot', which is "
                              "not offered to grade 1"]


def test_more_assignments_than_clubs_a_week_is_refused():
    text = edit("  weekdays: [mon, tue, wed, thu, fri]\n",
                "  weekdays: [mon, tue, wed, thu, fri]\npolicy: {max_clubs_per_student_week: 0}\n")
    text = edit(A2, A2[:-1] + ", assigned: [robot]}", text)
    assert problems(text) == [f"{at(text, '[robot]}')}: student a2 is assigned 1 activities, more "
                              "than max_clubs_per_student_week (0)"]


def test_a_together_label_nobody_else_has_is_a_warning():
    text = with_a2("together: 王家")
    warnings = [str(w) for w in load_text(text, "x.yaml").warnings]
    assert warnings == [f"{at(text, '王家')}: warning: student a2: no other student has the "
                        "together label '王家'"]


# --- CSV rosters ---------------------------------------------------------------------

CSV_YAML = BASE.replace(
    "    students:\n      - {id: a1, grade: 1, days: [mon, tue], pickup: \"17:00\", choices: []}\n"
    "      - {id: a2, grade: 3, days: [tue], choices: [robot]}\n",
    "    students: students.csv\n")


def test_the_fields_are_csv_columns(tmp_path: Path):
    (tmp_path / "students.csv").write_text(
        "id,grade,days,choices,together,priority,assigned,assigned_reason\n"
        "a1,3,tue,robot,陈家,2,robot,校队\n"
        "a2,3,tue,robot,陈家,,,\n", encoding="utf-8")
    (tmp_path / "x.yaml").write_text(CSV_YAML, encoding="utf-8")
    first, second = load(tmp_path / "x.yaml").district.schools[0].students
    assert (first.together, first.priority, first.assigned, first.assigned_reason) == (
        "陈家", 2, ["robot"], "校队")
    assert (second.together, second.priority, second.assigned) == ("陈家", 0, [])


def test_a_bad_csv_priority_names_row_and_column(tmp_path: Path):
    (tmp_path / "students.csv").write_text("id,grade,days,priority\na1,3,tue,high\n",
                                           encoding="utf-8")
    (tmp_path / "x.yaml").write_text(CSV_YAML, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(tmp_path / "x.yaml")
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'students.csv'}:2: priority: Input should be a valid integer, unable to "
        "parse string as an integer (got 'high')"]


# --- previous: an earlier term's solution ------------------------------------------------

def earlier(tmp: Path, **changes: object) -> None:
    solution = {"format": "afterschool-solution/1", "instance_sha256": "0" * 64,
                "status": "OPTIMAL", "objective": 0, "bound": 0, "solve_seconds": 1,
                "sections": [{"id": "s1/robot/tue-1620/lab", "school": "s1", "activity": "robot",
                              "day": "tue", "start": "16:20", "end": "17:10", "room": "lab",
                              "staff": [{"provider": "p1"}], "students": ["a1"]}],
                "unmatched": [{"school": "s1", "student": "a2"}]}
    solution.update(changes)
    (tmp / "earlier.json").write_text(json.dumps(solution), encoding="utf-8")


def with_previous(tmp: Path) -> Path:
    text = "previous: earlier.json\n" + BASE
    (tmp / "x.yaml").write_text(text, encoding="utf-8")
    return tmp / "x.yaml"


def previous_problems(tmp: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load(with_previous(tmp))
    return [str(p) for p in info.value.problems]


def test_previous_raises_the_priority_of_students_left_out_then(tmp_path: Path):
    earlier(tmp_path)
    district = load(with_previous(tmp_path)).district
    a1, a2 = district.schools[0].students
    assert (district.priority("s1", a1), district.priority("s1", a2)) == (0, 1)
    assert district.previous is not None and district.previous.schools == ["s1"]


def test_a_missing_previous_file_points_at_the_key(tmp_path: Path):
    assert previous_problems(tmp_path) == [f"{tmp_path / 'x.yaml'}:1:11: previous solution file "
                                           "'earlier.json' not found (paths are relative to the "
                                           "YAML file)"]


def test_a_previous_file_that_is_no_solution_is_refused(tmp_path: Path):
    (tmp_path / "earlier.json").write_text('{"hello": 1}', encoding="utf-8")
    found = previous_problems(tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'x.yaml'}:1:11: previous solution 'earlier.json' is "
                               "not a solution.json written by afterschool")


def test_a_previous_file_without_the_unmatched_list_is_refused(tmp_path: Path):
    earlier(tmp_path, unmatched=None)
    assert previous_problems(tmp_path) == [
        f"{tmp_path / 'x.yaml'}:1:11: previous solution 'earlier.json' does not list the students "
        "who got none of their choices (it was written by an older afterschool); solve that term "
        "again to have it"]


def test_a_previous_term_of_another_school_is_refused(tmp_path: Path):
    earlier(tmp_path, sections=[], unmatched=[{"school": "other", "student": "a2"}])
    assert previous_problems(tmp_path) == [
        f"{tmp_path / 'x.yaml'}:1:11: previous solution 'earlier.json' is not an earlier term of "
        "this file's schools: it has other (this file has s1)"]


def test_previous_must_be_a_path(tmp_path: Path):
    text = "previous: {file: x.json}\n" + BASE
    assert problems(text) == ["x.yaml:1:11: previous: expected the path of an earlier term's "
                              "solution.json (got {'file': 'x.json'})"]
