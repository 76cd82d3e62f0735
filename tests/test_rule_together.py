"""Together (soft, SPEC §8.5): students with one label share a section of what they share.

Micro school: one period a day (pick-up 16:40), choice weights [10, 6, 3, 1], unmatched
-50, `weights.together` 5 per pair and club they are split in.
"""

from __future__ import annotations

from micro import STUDY, district, load_data, solve_verified, students

from scheduler.verifier import verify

CHESS = {"id": "chess", "name": "国际象棋", "category": "club", "grades": [1], "max_size": 2,
         "room_type": "classroom", "skill": "chess"}
ROOMS = [{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in (1, 2, 3)]


def staff(chess_teachers: int) -> list[dict]:
    return [{"id": f"t{i}", "skills": ["homework", "chess"], "max_class_hours_week": 10}
            for i in range(chess_teachers)] + [{"id": "h", "skills": ["homework"]}]


def siblings(days: str, count: int = 2) -> list[dict]:
    kids = students(count, days=days, choices="chess", prefix="a")
    for kid in kids:
        kid["together"] = "陈家"
    return kids


def test_siblings_are_kept_in_one_section():
    # Chess holds 2: both siblings in one section, +10 +10 = 20; apart (tue and wed) would
    # cost 5 more.
    data = district(activities=[STUDY, CHESS], teachers=staff(1), rooms=ROOMS,
                    students=siblings("tue;wed"))
    result = solve_verified(data)
    assert result.status == "OPTIMAL"
    assert result.solution.objective == 20
    (pair,) = result.solution.together
    assert (pair.students, pair.kept, pair.split) == (["a0", "a1"], ["chess"], [])


def test_a_full_section_splits_them_over_two_days_at_a_cost():
    # Chess holds 1: a0 on one day, a1 on the other: 10 + 10 - 5 = 15 (better than one of
    # them left out: 10 - 50).
    data = district(activities=[STUDY, {**CHESS, "max_size": 1}], teachers=staff(1),
                    rooms=ROOMS, students=siblings("tue;wed"))
    result = solve_verified(data)
    assert result.solution.objective == 15
    assert result.solution.objective_terms["together"] == -5
    (pair,) = result.solution.together
    assert [s.why for s in pair.split] == ["other-time"]


def test_two_sections_at_one_time_split_them_and_the_score_says_so():
    # One day, chess holds 1, two chess teachers: two sections at tue 16:00, one sibling
    # each: 15. The model counts one slot as kept (its estimate errs upward, bound 20).
    data = district(activities=[STUDY, {**CHESS, "max_size": 1}], teachers=staff(2),
                    rooms=ROOMS, students=siblings("tue"))
    result = solve_verified(data)
    assert result.solution.objective == 15
    assert result.solution.bound >= 15
    (pair,) = result.solution.together
    assert [s.why for s in pair.split] == ["same-time"]


def test_extraction_keeps_a_label_in_one_of_two_sections():
    # Five children in one slot over two sections of at most 3 (two teachers): the cut
    # falls outside the siblings (a0 and a1, listed apart by class).
    kids = students(3, choices="chess", prefix="b") + siblings("tue")
    kids[-1]["class"] = "1-2"
    data = district(activities=[STUDY, {**CHESS, "max_size": 3}], teachers=staff(2),
                    rooms=ROOMS, students=kids)
    result = solve_verified(data)
    assert result.solution.objective == 50
    (pair,) = result.solution.together
    assert pair.kept == ["chess"]


def test_the_verifier_recomputes_a_split_claimed_as_kept():
    # The two-day split timetable (15), its file edited to claim the pair kept (20).
    data = district(activities=[STUDY, {**CHESS, "max_size": 1}], teachers=staff(1),
                    rooms=ROOMS, students=siblings("tue;wed"))
    broken = solve_verified(data).solution.model_copy(deep=True)
    broken.objective, broken.objective_terms["together"] = 20, 0
    report = verify(load_data(data).district, broken)
    assert report.terms["together"] == -5
    assert report.objective == 15
    assert [v.rule for v in report.violations] == ["objective"]


def test_three_with_one_label_are_three_pairs():
    data = district(activities=[STUDY, {**CHESS, "max_size": 3}], teachers=staff(1),
                    rooms=ROOMS, students=siblings("tue", count=3))
    result = solve_verified(data)
    assert result.solution.objective == 30
    assert [p.students for p in result.solution.together] == [
        ["a0", "a1"], ["a0", "a2"], ["a1", "a2"]]
