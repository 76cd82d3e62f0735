"""Assigned (hard, SPEC §8.5): a student assigned an activity is in a section of it."""

from __future__ import annotations

from micro import STUDY, district, load_data, solve_verified, students

from models.solution import Solution
from scheduler.explain import explain
from scheduler.verifier import verify

CHESS = {"id": "chess", "name": "国际象棋", "category": "club", "grades": [1], "max_size": 20,
         "room_type": "classroom", "skill": "chess"}
STAFF = [{"id": "t1", "skills": ["homework", "chess"], "max_class_hours_week": 10},
         {"id": "t2", "skills": ["homework"], "max_class_hours_week": 10}]
ROOMS = [{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in (1, 2)]


def school(kids: list[dict], **chess: object) -> dict:
    return district(activities=[STUDY, {**CHESS, **chess}], teachers=STAFF, rooms=ROOMS,
                    students=kids)


def attends(solution: Solution, student: str) -> list[str]:
    return sorted(s.activity for s in solution.sections if student in s.students)


def test_an_assigned_student_gets_the_activity_they_did_not_choose():
    # a0 chose nothing but is on the chess team; b0 chose chess and may take the last seat.
    # max_size 1: only one of them fits, and the assignment wins although b0's choice
    # would score +10 (b0 is left out: -50).
    kids = students(1, prefix="a") + students(1, choices="chess", prefix="b")
    kids[0].update(assigned="chess", assigned_reason="校队")
    result = solve_verified(school(kids, max_size=1))
    assert result.status == "OPTIMAL"
    assert attends(result.solution, "a0") == ["chess"]
    assert attends(result.solution, "b0") == ["study"]
    assert result.solution.objective == -50  # b0 unmatched; a0 has no choices


def test_an_assignment_nobody_can_keep_is_infeasible_and_explained():
    # Two students assigned to chess, which holds one: no timetable keeps both.
    kids = students(2, prefix="a")
    for kid in kids:
        kid.update(assigned="chess", assigned_reason="校队")
    data = school(kids, max_size=1, max_sections_week=1)
    assert solve_verified(data).status == "INFEASIBLE"
    loaded = load_data(data)
    for lang, words in (("en", "student a0 is assigned 国际象棋 (chess) (校队)"),
                        ("zh", "学生 a0 被指定参加国际象棋 (chess)（校队）")):
        found = explain(loaded, time_limit=10, lang=lang).to_dict()
        elements = [e for cause in found["causes"] for e in cause
                    if e["rule"] == "assigned"]
        assert elements, found
        texts = {e["text"] for e in elements}
        assert words in texts or words.replace("a0", "a1") in texts
        assert all(e["where"].startswith("micro.yaml:") for e in elements)


def test_the_verifier_catches_an_assignment_not_kept():
    kids = students(1, choices="chess", prefix="a")
    kids[0].update(assigned="chess")
    data = school(kids)
    result = solve_verified(data)
    assert result.solution is not None
    broken = result.solution.model_copy(deep=True)
    for section in broken.sections:  # hand-break: a0 goes to study instead of chess
        if section.activity == "chess":
            section.activity, section.id = "study", section.id.replace("chess", "study")
    loaded = load_data(data)
    messages = [str(v) for v in verify(loaded.district, broken).violations]
    assert "H5: student a0 is assigned chess but is in no group of it" in messages


def test_an_assigned_activity_counts_as_a_chosen_one_for_the_week():
    # max_clubs_per_student_week 1: assigned chess fills a0's week, so no other club.
    go = {**CHESS, "id": "go", "name": "围棋", "skill": "chess"}
    kids = students(1, days="tue;wed", choices="go", prefix="a")
    kids[0]["assigned"] = "chess"
    data = district(activities=[STUDY, CHESS, go], teachers=STAFF, rooms=ROOMS, students=kids)
    data["policy"]["max_clubs_per_student_week"] = 1
    result = solve_verified(data)
    assert attends(result.solution, "a0") == ["chess", "study"]
    assert result.solution.objective == -50  # go is a0's only choice, not given
