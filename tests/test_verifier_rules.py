"""Finer points of docs/rules.md: the fallback, room choice, eligible teachers, shared providers."""

from __future__ import annotations

import pytest
from verifier_cases import OBJECTIVE, SCHOOL, load_school, section, solution_for, valid_sections

from models.solution import SectionOut, StaffRef, section_id
from scheduler.verifier import Report, verify


def messages(report: Report) -> str:
    return "\n".join(f"{v.rule} {v.message}" for v in report.violations)


def test_a_choice_of_the_fallback_is_no_choice_and_takes_no_rank():
    text = SCHOOL.replace("choices: [chess]", "choices: [课后作业辅导, chess]").replace(
        'pickup: "17:00", choices: []', 'pickup: "17:00", choices: [study]')
    loaded = load_school(text)
    report = verify(loaded.district, solution_for(loaded, valid_sections()))
    # a5's chess is still their first choice (10, not 6); a3 chose only the fallback, so
    # they stay outside the choice terms (no unmatched penalty): the objective is unchanged.
    assert report.ok, messages(report)
    assert report.objective == pytest.approx(OBJECTIVE)
    assert report.kpis.students_with_choices == 4


def test_the_fallback_may_be_attended_twice_a_day():
    loaded = load_school(SCHOOL + '      - {id: a6, grade: 3, class: 3-1, days: [tue]}\n')
    sections = valid_sections()
    sections[3] = section("study", "16:20", "17:00", "r301", ["a2", "a3", "a6"], teacher="t-li")
    sections.append(section("study", "17:10", "17:50", "r301", ["a6"], teacher="t-li"))
    # t-li now teaches 2 of 4 hours (50 %), like t-wang; t-zhao 25 %: the spread stays 25.
    # One more supervised-study group: -2.
    report = verify(loaded.district, solution_for(loaded, sections, objective=OBJECTIVE - 2))
    assert report.ok, messages(report)
    assert report.objective == pytest.approx(OBJECTIVE - 2)


def test_a_club_is_attended_at_most_once_a_week():
    loaded = load_school(SCHOOL.replace("days: [tue], pickup: \"17:00\", choices: [chess]",
                                        "days: [mon, tue], pickup: \"17:00\", choices: [chess]"))
    sections = [*valid_sections(),
                section("chess", "16:20", "17:00", "r302", ["a5"], teacher="t-zhao", day="mon")]
    report = verify(loaded.district, solution_for(loaded, sections))
    assert "H5 student a5 is in 2 国际象棋 groups a week, at most one" in messages(report)


def test_a_small_room_is_not_used_when_a_full_group_needs_a_bigger_one():
    small = "      - {id: r303, type: classroom, capacity: 10}\n"
    loaded = load_school(SCHOOL.replace("      - {id: r302,", small + "      - {id: r302,"))
    sections = valid_sections()
    sections[2] = section("chess", "16:20", "17:00", "r303", ["a5"], teacher="t-zhao")
    report = verify(loaded.district, solution_for(loaded, sections))
    assert messages(report) == (
        "H2 tue 16:20-17:00 国际象棋 (room r303): room r303 holds 10, "
        "国际象棋 needs a classroom for 30")


@pytest.mark.parametrize("extra, objective", [
    ("", OBJECTIVE - 25),  # t-sun could teach chess and teaches nothing: spread 50 - 0
    (", busy: {mon: [\"08:00-18:00\"], tue: [\"08:00-18:00\"]}", OBJECTIVE),  # never free
    (", affiliations: [p-robo]", OBJECTIVE),  # works for a provider
    (", max_class_hours_week: 0", OBJECTIVE),  # offers no hours
])
def test_only_eligible_teachers_count_in_the_load_spread(extra, objective):
    teacher = f"      - {{id: t-sun, skills: [chess]{extra}}}\n    activities:\n"
    loaded = load_school(SCHOOL.replace("    activities:\n", teacher, 1))
    report = verify(loaded.district, solution_for(loaded, valid_sections(), objective=objective))
    assert report.ok, messages(report)


SECOND_SCHOOL = """
  - id: s2
    enrolled: 10
    grades: {3: {dismissal: "17:10"}}
    rooms: [{id: lab, type: lab, capacity: 20}]
    activities:
      - {id: robotics, name: 机器人, category: science, grades: [3], max_size: 10,
         room_type: lab, skill: robotics}
    students:
      - {id: b1, grade: 3, days: [tue], choices: [robotics]}
"""


def second_school_robotics() -> SectionOut:
    return SectionOut(id=section_id("s2", "robotics", "tue", 17 * 60 + 10, "lab"), school="s2",
                      activity="robotics", day="tue", start="17:10", end="17:50",  # type: ignore
                      room="lab", staff=[StaffRef(provider="p-robo")], students=["b1"])


@pytest.mark.parametrize("instructors, ok", [(1, False), (2, True)])
def test_a_provider_runs_at_most_its_instructors_across_schools(instructors, ok):
    text = (SCHOOL + SECOND_SCHOOL).replace("instructors: 1", f"instructors: {instructors}")
    loaded = load_school(text)
    sections = [*valid_sections(), second_school_robotics()]
    # s2 adds b1's first choice (+10) and another provider hour (+1.5): 13.5 + 11.5 = 25.
    report = verify(loaded.district, solution_for(loaded, sections, objective=25))
    assert report.ok is ok, messages(report)
    if not ok:
        assert messages(report) == (
            "H4 tue 17:10: provider 机器人中心 runs 2 groups at once, it has 1 instructor(s)")


def test_nobody_is_placed_after_they_have_gone_home():
    loaded = load_school()
    # a3 is picked up at 17:00; a fallback group from 17:10 holds a child who is not there.
    late = section("study", "17:10", "17:50", "r301", ["a3"], teacher="t-li")
    # One more supervised-study group: -2 (t-li at 50 % like t-wang: the spread stays 25).
    sections = [*valid_sections(), late]
    report = verify(loaded.district, solution_for(loaded, sections, objective=OBJECTIVE - 2))
    assert messages(report) == ("H5 tue 17:10-17:50 课后作业辅导 (room r301): student a3 has "
                                "gone home at 17:00, before the group starts")
