"""The verifier passes a valid hand-written timetable and catches each broken rule."""

from __future__ import annotations

import pytest
from verifier_cases import (
    COST,
    OBJECTIVE,
    SCHOOL,
    load_school,
    section,
    solution_for,
    valid_sections,
)

from scheduler.verifier import Report, score, verify


def rules(report: Report) -> set[str]:
    return {v.rule for v in report.violations}


def messages(report: Report) -> str:
    return "\n".join(v.message for v in report.violations)


def replace(sections, index, new):
    return [new if i == index else s for i, s in enumerate(sections)]


def test_valid_timetable_passes_with_exact_objective():
    loaded = load_school()
    report = verify(loaded.district, solution_for(loaded, valid_sections()))
    assert report.violations == []
    assert report.ok
    assert report.objective == pytest.approx(OBJECTIVE) and OBJECTIVE == 13.5
    assert report.terms == {
        "choice_rank": 40, "unmatched_student": 0, "uncovered_student_day": 0,
        "teacher_load_spread": -25, "provider_rating": 1.5, "cost": 0, "fallback_mixing": -1,
        "fallback_group": -2,
    }


def test_kpis_of_valid_timetable():
    loaded = load_school()
    kpis = verify(loaded.district, solution_for(loaded, valid_sections())).kpis
    assert kpis.model_dump() == {
        "students": 5, "students_with_choices": 4, "student_days": 5, "covered_share": 1.0,
        "first_choice_share": 1.0, "any_choice_share": 1.0, "no_choice_share": 0.0,
        "rank_shares": [1.0], "top2_share": 1.0, "students_with_none": 0, "envy": 0,
        "teacher_hours_max": 2, "cost": COST, "budget": 1000 * 10 * 0.5, "sections": 4,
    }


def test_score_matches_verify_and_ignores_the_files_objective():
    loaded = load_school()
    result = score(loaded.district, solution_for(loaded, valid_sections(), objective=0))
    assert result.objective == pytest.approx(13.5)
    assert result.kpis.cost == 980


def test_objective_mismatch_is_a_violation():
    loaded = load_school()
    report = verify(loaded.district, solution_for(loaded, valid_sections(), objective=16))
    assert [v.rule for v in report.violations] == ["objective"]
    assert report.violations[0].message == "objective in file 16, recomputed 13.5"


def test_double_booked_room():
    loaded = load_school()
    # chess moves from r302 into r301, where study already meets 16:20-17:00.
    sections = replace(valid_sections(), 2,
                       section("chess", "16:20", "17:00", "r301", ["a5"], teacher="t-zhao"))
    report = verify(loaded.district, solution_for(loaded, sections))
    assert rules(report) == {"H2"}
    assert ("tue 16:20-17:00 room r301: 国际象棋 (16:20-17:00) overlaps "
            "课后作业辅导 (16:20-17:00)") in messages(report)


def test_teacher_over_week_cap():
    loaded = load_school(SCHOOL.replace("max_class_hours_week: 4", "max_class_hours_week: 1"))
    # t-wang's 2 class hours of football now exceed his cap of 1 (his load share is 200 %).
    report = verify(loaded.district, solution_for(loaded, valid_sections(), objective=-136.5))
    assert rules(report) == {"H3"}
    assert "teacher 王老师 teaches 2 class hours a week, cap 1" in messages(report)


def test_teacher_busy_and_over_day_cap():
    text = SCHOOL.replace("pay_per_class_hour: 80}\n      - {id: t-li",
                          "pay_per_class_hour: 80, max_class_hours_day: 1,\n"
                          "         busy: {tue: [\"08:00-16:30\"]}}\n      - {id: t-li", 1)
    loaded = load_school(text)
    report = verify(loaded.district, solution_for(loaded, valid_sections()))
    assert rules(report) == {"H3"}
    assert "teacher 王老师 is busy 08:00-16:30" in messages(report)
    assert "tue: teacher 王老师 teaches 2 class hours, day cap 1" in messages(report)


def test_section_ending_after_latest_end():
    loaded = load_school()
    late = section("robotics", "17:25", "18:05", "lab", ["a2"], provider="p-robo")
    report = verify(loaded.district, solution_for(loaded, replace(valid_sections(), 1, late)))
    assert "H1" in rules(report)
    assert "ends 18:05, after the latest end 18:00" in messages(report)
    assert "starts 17:25, not a period start of grade 3 on tue (16:20, 17:10)" in messages(report)


def test_student_in_two_overlapping_sections():
    loaded = load_school()
    study = section("study", "16:20", "17:00", "r301", ["a1", "a2", "a3"], teacher="t-li")
    report = verify(loaded.district, solution_for(loaded, replace(valid_sections(), 3, study)))
    assert ("tue 16:20-17:00: student a1 is in both 课后作业辅导 (16:20-17:00, room r301) "
            "and 足球 (16:20-17:50, room field)") in messages(report)
    assert "H5" in rules(report)
    assert "tue: student a1 has 3 class hours, at most 2" in messages(report)  # H8 too


def test_student_in_unchosen_activity():
    loaded = load_school()
    # a3 chose nothing, so only the fallback may hold them; put them in chess instead.
    sections = valid_sections()
    sections[2] = section("chess", "16:20", "17:00", "r302", ["a5", "a3"], teacher="t-zhao")
    sections[3] = section("study", "16:20", "17:00", "r301", ["a2"], teacher="t-li")
    report = verify(loaded.district, solution_for(loaded, sections, objective=14.5))
    assert rules(report) == {"H5"}
    assert messages(report) == (
        "tue 16:20-17:00 国际象棋 (room r302): student a3 did not choose 国际象棋")


def test_chosen_activity_must_end_by_pickup():
    loaded = load_school(SCHOOL.replace('days: [tue], pickup: "18:00", choices: [机器人]',
                                        'days: [tue], pickup: "17:30", choices: [机器人]'))
    report = verify(loaded.district, solution_for(loaded, valid_sections()))
    assert "student a2 is picked up at 17:30" in messages(report)


def test_unvetted_provider():
    loaded = load_school(SCHOOL.replace("qualification: approved", "qualification: pending"))
    report = verify(loaded.district, solution_for(loaded, valid_sections()))
    assert rules(report) == {"H4"}
    assert "provider 机器人中心 is not vetted (qualification pending" in messages(report)


def test_provider_outside_its_hours_and_over_instructors():
    loaded = load_school(SCHOOL.replace('available: {tue: ["16:00-18:00"]}',
                                        'available: {tue: ["17:00-17:30"]}'))
    second = section("robotics", "17:10", "17:50", "field", ["a1"], provider="p-robo")
    report = verify(loaded.district, solution_for(loaded, [*valid_sections(), second]))
    assert "provider 机器人中心 is not available then (tue: 17:00-17:30)" in messages(report)
    assert "tue 17:10: provider 机器人中心 runs 2 groups at once, it has 1" in messages(report)


def test_cost_over_budget():
    loaded = load_school(SCHOOL.replace("enrolled: 10", "enrolled: 1"))
    report = verify(loaded.district, solution_for(loaded, valid_sections()))
    assert rules(report) == {"H7"}
    assert messages(report) == ("s1 南山小学: the timetable costs 980.00 yuan this term, "
                                "the budget is 500.00")


def test_coverage_gap_under_required():
    loaded = load_school()
    sections = replace(valid_sections(), 3,
                       section("study", "16:20", "17:00", "r301", ["a2"], teacher="t-li"))
    # study now holds one class: the mixing penalty of -1 is gone.
    report = verify(loaded.district, solution_for(loaded, sections, objective=14.5))
    assert rules(report) == {"H5"}
    assert messages(report) == "tue: student a3 (grade 3) is not supervised 16:20-17:00"
    assert report.kpis.covered_share == pytest.approx(4 / 5)


def test_best_effort_lists_unserved_and_pays_for_it():
    text = SCHOOL.replace("schools:\n", "policy: {coverage: best_effort}\nschools:\n", 1)
    loaded = load_school(text)
    sections = replace(valid_sections(), 3,
                       section("study", "16:20", "17:00", "r301", ["a2"], teacher="t-li"))
    unserved = [{"school": "s1", "student": "a3", "day": "tue", "reason": "no room"}]
    # 13.5 + 1 (no mixing) - 1000 (one unserved student-day) = -985.5
    solution = solution_for(loaded, sections, objective=-985.5, unserved=unserved)
    report = verify(loaded.district, solution)
    assert report.ok, messages(report)
    assert report.terms["uncovered_student_day"] == -1000


def test_unserved_under_required_is_a_violation():
    loaded = load_school()
    unserved = [{"school": "s1", "student": "a3", "day": "tue", "reason": "no room"}]
    report = verify(loaded.district, solution_for(loaded, valid_sections(), unserved=unserved))
    assert "coverage is required" in messages(report)
    assert "is listed as unserved but placed in a group" in messages(report)


def test_wrong_instance_hash_is_one_violation():
    loaded = load_school()
    solution = solution_for(loaded, valid_sections())
    solution.instance_sha256 = "0" * 64
    report = verify(loaded.district, solution)
    assert [(v.rule, v.message) for v in report.violations] == [
        ("instance", "solution is for another input")]


def test_wrong_ids_and_unknown_names():
    loaded = load_school()
    sections = valid_sections()
    sections[0] = sections[0].model_copy(update={"id": "football-1"})
    sections[1] = sections[1].model_copy(update={"room": "lab9"})
    report = verify(loaded.district, solution_for(loaded, sections))
    assert "section id football-1 should be s1/football/tue-1620/field" in messages(report)
    assert "s1 has no room 'lab9'" in messages(report)


def test_wrong_room_type_too_small_and_forbidden_category():
    text = SCHOOL.replace("capacity: 40}", "capacity: 1}").replace(
        "category: club", "category: lesson")
    with pytest.raises(Exception):  # noqa: B017 - the loader refuses lessons outright
        load_school(text)
    loaded = load_school(SCHOOL.replace("capacity: 40}", "capacity: 1}"))
    sections = replace(valid_sections(), 2,
                       section("chess", "16:20", "17:00", "lab", ["a5"], teacher="t-zhao"))
    report = verify(loaded.district, solution_for(loaded, sections))
    assert "2 students, room field holds 1" in messages(report)
    assert "room lab is a lab, 国际象棋 needs a classroom" in messages(report)
