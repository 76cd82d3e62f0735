"""Priority and fairness (SPEC §8.5): `weighted` scales a student's choice terms by
1 + priority; `leximin` serves everyone, then the worst rank, then the rank profile;
`previous:` serves first those an earlier term left out.

Micro school: one period (tue 16:00, pick-up 16:40), so each child takes one club;
choice weights [10, 6, 3, 1], unmatched -50.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from micro import STUDY, district, load_data, solve_verified, students

from models.instance import build_instance
from models.loader import load
from models.solution import Solution
from scheduler.generator import generate_district
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import solve_district
from scheduler.verifier import verify


def club(activity_id: str, **changes: object) -> dict:
    return {"id": activity_id, "category": "club", "grades": [1], "max_size": 1,
            "max_sections_week": 1, "room_type": "classroom", "skill": "club", **changes}


STAFF = [{"id": f"t{i}", "skills": ["homework", "club"], "max_class_hours_week": 10}
         for i in range(3)]
ROOMS = [{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in range(3)]


def school(kids: list[dict], clubs: list[dict], fairness: str = "weighted") -> dict:
    data = district(activities=[STUDY, *clubs], teachers=STAFF, rooms=ROOMS, students=kids)
    data["policy"]["fairness"] = fairness
    return data


def attends(solution: Solution, student: str) -> list[str]:
    return sorted(s.activity for s in solution.sections if student in s.students)


def one_seat(priority_of_b: int, fairness: str) -> dict:
    kids = students(1, choices="x", prefix="a") + students(1, choices="x", prefix="b")
    kids[1]["priority"] = priority_of_b
    return school(kids, [club("x")], fairness)


def test_weighted_priority_doubles_a_students_choice_terms():
    # One seat. b0 has priority 1 (factor 2): b0 in x, 2 × 10 - 50 = -30; a0 in x would
    # give 10 - 2 × 50 = -90.
    result = solve_verified(one_seat(1, "weighted"))
    assert result.status == "OPTIMAL"
    assert attends(result.solution, "b0") == ["x"]
    assert result.solution.objective == -30
    assert result.solution.objective_terms["choice_rank"] == 20


def test_leximin_gives_the_seat_to_the_higher_priority_without_weighing_the_score():
    # Phase 1 counts b0 twice: b0 gets x. The score itself is unweighted: 10 - 50 = -40.
    result = solve_verified(one_seat(1, "leximin"))
    assert attends(result.solution, "b0") == ["x"]
    assert result.solution.objective == -40


def fair_or_not(fairness: str) -> dict:
    # w never opens (max_sections_week 0); x, y, z open once for one child each.
    # a0 ranks [x, z]; b0 ranks [w, x, y].
    # Weighted: a0 in x (1st, 10), b0 in y (3rd, 3) = 13, the best sum.
    # Leximin: worst rank 2nd: a0 in z (2nd, 6), b0 in x (2nd, 6) = 12.
    kids = students(1, choices="x;z", prefix="a") + students(1, choices="w;x;y", prefix="b")
    clubs = [club("w", max_sections_week=0), club("x"), club("y"), club("z")]
    return school(kids, clubs, fairness)


def test_weighted_takes_the_best_sum_of_rank_points():
    result = solve_verified(fair_or_not("weighted"))
    assert result.status == "OPTIMAL"
    assert (attends(result.solution, "a0"), attends(result.solution, "b0")) == (["x"], ["y"])
    assert result.solution.objective == 13


def test_leximin_serves_the_worst_rank_first():
    result = solve_verified(fair_or_not("leximin"))
    assert (attends(result.solution, "a0"), attends(result.solution, "b0")) == (["z"], ["x"])
    assert result.solution.objective == 12


def test_leximin_first_gives_everyone_a_choice_then_the_rank_profile():
    # x holds 1, y holds 2. a0 ranks [x, y], b0 [x, y], c0 [x]: everyone matched only
    # with c0 in x (phase 1: 3 matched), a0 and b0 in y (their 2nd): 10 + 6 + 6 - 0 = 22.
    kids = (students(1, choices="x;y", prefix="a") + students(1, choices="x;y", prefix="b")
            + students(1, choices="x", prefix="c"))
    data = school(kids, [club("x"), club("y", max_size=2)], "leximin")
    data["policy"]["weights"]["unmatched_student"] = 0
    result = solve_verified(data)
    assert attends(result.solution, "c0") == ["x"]
    assert result.solution.objective == 22
    assert result.solution.unmatched == []


def test_the_verifier_recomputes_priority_weights():
    data = one_seat(1, "weighted")
    broken = solve_verified(data).solution.model_copy(deep=True)
    x = next(s for s in broken.sections if s.activity == "x")
    study = next(s for s in broken.sections if s.activity == "study")
    x.students, study.students = ["a0"], ["b0"]  # hand-swapped: the score is now -90
    report = verify(load_data(data).district, broken)
    assert report.objective == -90
    assert [v.rule for v in report.violations] == ["unmatched", "objective"]


def two_terms(tmp_path: Path, fairness: str) -> tuple[Solution, Solution]:
    """Term 1: a0 and b0 both want x, which holds one. Term 2: the same, with term 1's
    solution as `previous`."""
    data = one_seat(0, fairness)
    (tmp_path / "term1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    settings = SolveSettings(time_limit=10, workers=1)
    first = solve_district(load(tmp_path / "term1.yaml").district, settings).solution
    assert first is not None
    (tmp_path / "term1.json").write_text(first.model_dump_json(), "utf-8")
    data["previous"] = "term1.json"
    (tmp_path / "term2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    second_district = load(tmp_path / "term2.yaml").district
    second = solve_district(second_district, settings).solution
    assert second is not None
    report = verify(second_district, second)
    assert report.ok and abs(report.objective - second.objective) < 1e-6
    return first, second


def test_over_two_terms_the_student_left_out_is_served_first(tmp_path: Path):
    for fairness in ("weighted", "leximin"):
        first, second = two_terms(tmp_path, fairness)
        assert first.unmatched is not None and len(first.unmatched) == 1
        left_out = first.unmatched[0].student
        assert attends(second, left_out) == ["x"], fairness
        assert second.unmatched is not None
        assert [u.student for u in second.unmatched] == [s for s in ("a0", "b0")
                                                           if s != left_out]


def test_priority_assignments_and_labels_split_groups_only_where_they_matter():
    # c0, c1: no choices, different priority and label: one group (they only need study).
    # d0, d1: the same choice, never scheduled (not approved), so no club to take; their
    # priorities differ, and so do their unmatched penalties: two groups.
    kids = students(2, prefix="c") + students(2, choices="x", prefix="d")
    kids[0].update(priority=3, together="王家")
    kids[2]["priority"] = 2
    data = school(kids, [club("x", approved=False)])
    instance = build_instance(load_data(data).district)
    sizes = sorted((g.size, g.priority, g.together) for g in instance.schools[0].groups)
    assert sizes == [(1, 0, None), (1, 2, None), (2, 0, None)]


def test_the_verifier_checks_the_unmatched_list():
    data = one_seat(0, "weighted")
    solution = solve_verified(data).solution
    assert solution.unmatched is not None and len(solution.unmatched) == 1
    broken = solution.model_copy(update={"unmatched": []})
    report = verify(load_data(data).district, broken)
    assert [v.rule for v in report.violations] == ["unmatched"]


def test_leximin_phases_share_the_time_limit_on_a_generated_school():
    # 120 students, 3 s: the phases and the final search together stay near the limit.
    data = generate_district(1, 120, seed=3)
    data["policy"]["fairness"] = "leximin"
    loaded = load_data(data)
    result = solve_district(loaded.district, SolveSettings(time_limit=3, workers=1))
    assert result.solution is not None, result.status
    assert result.solve_seconds < 3 + 1.5
    report = verify(loaded.district, result.solution)
    assert report.ok and abs(report.objective - result.solution.objective) < 1e-6
