"""H5 students: choices only, registered days, pick-up, clubs a week, full supervision."""

import pytest
from micro import STUDY, district, load_data, solve_verified, students

from models.problems import InputError

CHESS = {
    "id": "chess",
    "name": "国际象棋",
    "category": "club",
    "grades": [1],
    "max_size": 20,
    "room_type": "classroom",
    "skill": "chess",
}
FOOTBALL = {
    "id": "football",
    "name": "足球",
    "category": "sports",
    "grades": [1],
    "max_size": 20,
    "room_type": "classroom",
    "skill": "football",
}
STAFF = [
    {"id": "t1", "skills": ["homework", "chess", "football"], "max_class_hours_week": 10},
    {"id": "t2", "skills": ["homework"], "max_class_hours_week": 10},
]
ROOMS = [{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in (1, 2)]


def school(**changes):
    base = {"activities": [STUDY, CHESS, FOOTBALL], "teachers": STAFF, "rooms": ROOMS}
    return district(**{**base, **changes})


def attends(solution, student):
    return sorted((s.day, s.activity) for s in solution.sections if student in s.students)


def test_nobody_sits_in_an_activity_they_did_not_choose():
    kids = students(1, choices="chess", prefix="a") + students(1, prefix="b")
    result = solve_verified(school(students=kids))
    assert attends(result.solution, "a0") == [("tue", "chess")]
    assert attends(result.solution, "b0") == [("tue", "study")]


def test_chosen_club_must_end_by_pick_up():
    # Pick-up 16:30: the 16:00-16:40 club would end after it; supervised study may run past.
    result = solve_verified(school(students=students(1, pickup="16:30", choices="chess")))
    assert attends(result.solution, "s0") == [("tue", "study")]


def test_two_periods_are_both_covered_without_overlap():
    # Pick-up 17:30 needs 16:00 and 16:50; the child takes chess in one, study in the other.
    result = solve_verified(school(students=students(1, pickup="17:30", choices="chess")))
    sections = [s for s in result.solution.sections if "s0" in s.students]
    assert sorted(s.activity for s in sections) == ["chess", "study"]
    assert sorted(s.start for s in sections) == [16 * 60, 16 * 60 + 50]


def test_clubs_per_week_are_capped():
    # Three days, three chosen clubs of one hour, but at most two club sessions a week.
    data = school(students=students(1, days="mon;tue;wed", choices="chess;football"))
    data["policy"] = {
        "max_clubs_per_student_week": 1,
        "weights": {"teacher_load_spread": 0, "fallback_mixing": 0, "fallback_group": 0},
    }
    result = solve_verified(data)
    clubs = [a for _, a in attends(result.solution, "s0") if a != "study"]
    assert clubs == ["chess"]  # the first choice, once


def test_a_club_is_taken_at_most_once_a_week():
    result = solve_verified(school(students=students(1, days="mon;tue", choices="chess")))
    assert [a for _, a in attends(result.solution, "s0")].count("chess") == 1


def test_required_coverage_without_staff_is_infeasible_and_best_effort_lists_it():
    data = school(
        students=students(1, days="mon;tue"),
        activities=[STUDY],
        teachers=[{"id": "t1", "skills": ["homework"], "max_class_hours_week": 1}],
    )
    assert solve_verified(data).status == "INFEASIBLE"
    data["policy"] = {
        "coverage": "best_effort",
        "weights": {"teacher_load_spread": 0, "fallback_mixing": 0, "fallback_group": 0},
    }
    result = solve_verified(data)
    assert result.status == "OPTIMAL"
    # One day supervised, one listed: score = -1000 x 1 uncovered student-day.
    assert [(u.student) for u in result.solution.unserved] == ["s0"]
    assert result.solution.objective == -1000


def test_a_two_hour_fallback_is_refused_by_check():
    with pytest.raises(InputError, match="a fallback \\(supervised study\\) lasts one class hour"):
        load_data(school(students=students(1), activities=[{**STUDY, "class_hours": 2}]))
