"""Every validation message of `check`, at the exact line and column of the value to edit."""

from __future__ import annotations

import pytest

from models.loader import load_text
from models.problems import InputError

BASE = """\
version: 1
term:
  name: T
  start: 2027-03-01
  end: 2027-07-09
  weekdays: [mon, tue, wed, thu, fri]
providers:
  - id: p1
    qualification: approved
    background_check_until: 2027-12-31
    price_per_class_hour: 100
    skills: [robotics]
    serves: [s1]
schools:
  - id: s1
    enrolled: 100
    grades:
      1: {dismissal: "15:50"}
      3: {dismissal: "16:20"}
    rooms:
      - {id: r1, type: classroom, capacity: 40}
      - {id: lab, type: lab, capacity: 20}
    teachers:
      - {id: t1, skills: [homework, football]}
    activities:
      - {id: study, name: 作业辅导, category: homework, grades: [1, 3], max_size: 40,
         room_type: classroom, skill: homework, fallback: true}
      - {id: robot, name: 机器人, category: science, grades: [3], max_size: 20,
         room_type: lab, skill: robotics}
    students:
      - {id: a1, grade: 1, days: [mon, tue], pickup: "17:00", choices: []}
      - {id: a2, grade: 3, days: [tue], choices: [robot]}
"""


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def at(text: str, marker: str, nth: int = 0) -> str:
    """`x.yaml:line:col` of the nth occurrence of marker, counted independently of the loader."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(marker, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"x.yaml:{line}:{col}"


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(text, "x.yaml")
    return [str(p) for p in info.value.problems]


def warnings(text: str) -> list[str]:
    return [str(w) for w in load_text(text, "x.yaml").warnings]


def test_base_is_valid_with_no_warnings():
    loaded = load_text(BASE, "x.yaml")
    assert loaded.warnings == []
    assert [s.id for s in loaded.district.schools[0].students] == ["a1", "a2"]


# --- field validation (pydantic), mapped to positions ----------------------------------


def test_unknown_key_suggests_the_right_one():
    text = edit("{id: lab, type: lab, capacity: 20}", "{id: lab, type: lab, capcity: 20}")
    assert problems(text) == [
        f"{at(text, '{id: lab')}: missing required key 'capacity' in this room",
        f"{at(text, 'capcity')}: unknown key 'capcity'; did you mean 'capacity'?",
    ]


def test_wrong_type_names_the_key_and_the_value():
    text = edit("capacity: 20}", "capacity: lots}")
    assert problems(text) == [
        f"{at(text, 'lots')}: capacity: Input should be a valid integer, "
        "unable to parse string as an integer (got 'lots')"
    ]


def test_missing_enrolled_points_at_the_school():
    text = edit("    enrolled: 100\n", "")
    where = at(text, "id: s1")
    assert problems(text) == [f"{where}: missing required key 'enrolled' in this school"]


@pytest.mark.parametrize("bad", ["25:00", "7:5", "15:60", "1530"])
def test_times_are_strict(bad: str):
    text = edit('3: {dismissal: "16:20"}', f'3: {{dismissal: "{bad}"}}')
    where = at(text, f'"{bad}"')  # a quoted scalar starts at its opening quote
    assert problems(text) == [
        f"{where}: dismissal.default: expected a time like \"15:30\" "
        f"(HH:MM, 00:00-23:59), got '{bad}'"
    ]


def test_unquoted_time_is_a_time_and_a_bare_number_is_refused():
    school = load_text(edit('"15:50"', "15:50"), "x.yaml").district.schools[0]
    assert school.dismissal(1, "mon") == 15 * 60 + 50
    text = edit('"15:50"', "950")
    assert problems(text) == [
        f"{at(text, '950')}: dismissal.default: expected a time like \"15:30\", got the number 950"
    ]


def test_error_in_a_per_day_mapping_points_at_that_day():
    text = edit('pickup: "17:00"', 'pickup: {mon: "17:00", tue: "17:77"}')
    where = at(text, '"17:77"')
    assert problems(text) == [
        f"{where}: pickup.tue: expected a time like \"15:30\" "
        "(HH:MM, 00:00-23:59), got '17:77'"
    ]


def test_bad_grade_key_points_at_the_key():
    text = edit('1: {dismissal: "15:50"}', 'x: {dismissal: "15:50"}')
    found = problems(text)
    assert found[0] == (
        f"{at(text, 'x: {dis')}: grades key 'x': Input should be a valid integer, "
        "unable to parse string as an integer"
    )


def test_bad_makeup_date_points_at_the_date():
    text = edit("  weekdays:", "  makeup_days: {2027-13-01: mon}\n  weekdays:")
    assert problems(text) == [
        f"{at(text, '2027-13-01')}: term.makeup_days key '2027-13-01': Input should be a valid "
        "date or datetime, month value is outside expected range of 1-12"
    ]


def test_makeup_day_on_a_weekday_the_term_does_not_have():
    text = edit("  weekdays:", "  makeup_days: {2027-04-25: sat}\n  weekdays:")
    assert problems(text) == [
        f"{at(text, 'sat')}: make-up day 2027-04-25 runs sat's timetable, but sat is not one "
        "of the term's weekdays"
    ]


def test_unknown_day_with_hint():
    text = edit("days: [tue]", "days: [tue, thx]")
    assert problems(text) == [
        f"{at(text, 'thx')}: days: 'thx' is not one of mon, tue, wed, thu, fri, sat, sun; "
        "did you mean 'thu'?"
    ]


def test_unknown_category_with_hint():
    text = edit("category: science", "category: sciense")
    assert problems(text)[0].startswith(f"{at(text, 'sciense')}: category: 'sciense' is not one")
    assert problems(text)[0].endswith("did you mean 'science'?")


def test_min_size_above_max_size():
    text = edit("grades: [3], max_size: 20", "grades: [3], min_size: 25, max_size: 20")
    assert problems(text) == [
        f"{at(text, '20,', 0)}: max_size: max_size 20 is smaller than min_size 25"
    ]


def test_service_start_outside_the_term():
    text = edit("  end: 2027-07-09\n", "  end: 2027-07-09\n  service_start: 2026-03-08\n")
    assert problems(text) == [
        f"{at(text, '2026-03-08')}: term.service_start: 2026-03-08 is not between the term's "
        "start 2027-03-01 and end 2027-07-09"
    ]


def test_unknown_weight_in_a_school_policy_override():
    override = "    policy: {weights: {choise_rank: [1]}}\n"
    text = edit("    enrolled: 100\n", "    enrolled: 100\n" + override)
    assert problems(text) == [
        f"{at(text, '{choise')}: policy.weights: choise_rank: Extra inputs are not permitted"
    ]


# --- cross-references (models/checks.py) ------------------------------------------------


def test_room_type_no_room_has():
    text = edit("room_type: lab", "room_type: gym")
    assert problems(text) == [f"{at(text, 'gym')}: activity robot: no room has type 'gym'"]


def test_skill_nobody_has():
    text = edit("skill: robotics", "skill: chess")
    assert problems(text) == [
        f"{at(text, 'chess')}: activity robot: nobody has the skill 'chess' "
        "(no teacher of the school, no provider serving it)"
    ]


def test_student_choosing_an_unknown_activity():
    text = edit("choices: [robot]", "choices: [robt]")
    assert problems(text) == [
        f"{at(text, 'robt')}: student a2 chose unknown activity 'robt'; did you mean 'robot'?"
    ]


def test_choice_by_name_is_accepted():
    school = load_text(edit("choices: [robot]", "choices: [机器人]"), "x.yaml").district.schools[0]
    assert school.activity(school.students[1].choices[0]).id == "robot"


def test_provider_serving_an_unknown_school():
    text = edit("serves: [s1]", "serves: [s1, s2]")
    assert problems(text) == [f"{at(text, 's2')}: provider p1 serves unknown school 's2'"]


def test_teacher_affiliated_with_an_unknown_provider():
    text = edit("{id: t1, skills:", "{id: t1, affiliations: [p9], skills:")
    assert problems(text) == [
        f"{at(text, 'p9')}: teacher t1 is affiliated with unknown provider 'p9'"
    ]


def test_duplicate_room_id():
    text = edit("{id: lab, type: lab", "{id: r1, type: lab")
    assert problems(text) == [f"{at(text, 'r1', 1)}: duplicate room id 'r1'"]


def test_dismissal_after_latest_end():
    text = edit("version: 1\n", 'version: 1\npolicy: {latest_end: "16:00"}\n')
    found = problems(text)
    where = at(text, '"16:20"')
    assert found[0] == (
        f"{where}: grade 3: dismissal 16:20 on mon is not before latest_end "
        "16:00; no service fits"
    )


def test_activity_that_cannot_fit_before_latest_end():
    text = edit("grades: [3], max_size: 20", "grades: [3], class_hours: 2, max_size: 20")
    text = edit("version: 1\n", 'version: 1\npolicy: {latest_end: "17:30"}\n', text)
    assert problems(text) == [
        f"{at(text, '3]', 1)}: activity robot (90 min) cannot fit between grade 3's dismissal "
        "and latest_end 17:30 on any weekday"
    ]


def test_activity_grades_with_different_class_hour_lengths():
    text = edit('3: {dismissal: "16:20"}', '3: {dismissal: "16:20", class_hour_minutes: 45}')
    assert problems(text) == [
        f"{at(text, '[1, 3]')}: activity study: its grades have different class-hour lengths "
        "(grade 1: 40 min, grade 3: 45 min); split it into one activity per length"
    ]


def test_lesson_is_always_refused_with_the_policy_reason():
    text = edit("category: science", "category: lesson")
    assert problems(text) == [
        f"{at(text, 'lesson')}: activity robot: category 'lesson' is not allowed: the policy "
        "bans collective teaching and unified supplementary lessons in the after-school "
        "service, and no policy setting can allow it"
    ]


def test_forbidden_category():
    text = edit("version: 1\n", "version: 1\npolicy: {forbidden_categories: [science]}\n")
    assert problems(text) == [
        f"{at(text, 'science', 1)}: activity robot: category 'science' is forbidden by the "
        "policy (forbidden_categories)"
    ]


def test_student_of_a_grade_the_school_does_not_have():
    text = edit("{id: a1, grade: 1,", "{id: a1, grade: 2,")
    assert problems(text) == [
        f"{at(text, '2,', 0)}: student a1: grade 2 is not one of the school's grades"
    ]


def test_student_choosing_an_activity_not_offered_to_their_grade():
    text = edit("pickup: \"17:00\", choices: []", "pickup: \"17:00\", choices: [robot]")
    assert problems(text) == [
        f"{at(text, 'robot]', 0)}: student a1 (grade 1) chose 'robot', which is not offered "
        "to grade 1"
    ]


def test_student_day_not_in_the_term():
    text = edit("days: [tue]", "days: [tue, sat]")
    assert problems(text) == [
        f"{at(text, 'sat')}: student a2: sat is not one of the term's weekdays "
        "(mon, tue, wed, thu, fri)"
    ]


def test_required_coverage_needs_a_fallback_for_children_without_choices():
    text = edit(" fallback: true}", "}")
    assert problems(text) == [
        f"{at(text, '1: {')}: grade 1 has no fallback activity (fallback: true), so its 1 "
        "registered student(s) with no choices cannot be supervised (coverage: required); "
        "add one or use best_effort"
    ]


def test_all_problems_are_reported_at_once():
    text = edit("room_type: lab", "room_type: gym")
    text = edit("choices: [robot]", "choices: [robt]", text)
    assert len(problems(text)) == 2


# --- warnings (exit 0) ---------------------------------------------------------------------


def test_missing_fallback_is_only_a_warning_when_no_child_needs_it():
    text = edit(" fallback: true}", "}")
    text = edit("days: [mon, tue], pickup", "days: [], pickup", text)
    assert warnings(text) == [
        f"{at(text, '1: {')}: warning: grade 1 has no fallback activity (fallback: true); "
        "children between or without choices have no supervised study",
        f"{at(text, '3: {')}: warning: grade 3 has no fallback activity (fallback: true); "
        "children between or without choices have no supervised study",
    ]


def test_teacher_affiliated_with_a_provider_is_never_staffed():
    text = edit("{id: t1, skills:", "{id: t1, affiliations: [p1], skills:")
    text = edit("    teachers:\n", "    teachers:\n      - {id: t2, skills: [homework]}\n", text)
    assert warnings(text) == [
        f"{at(text, '[p1]')}: warning: teacher t1 is affiliated with a provider (p1); staff of "
        "the service may not be, so this teacher is never staffed"
    ]


def test_unapproved_provider_and_the_activity_nobody_can_lead():
    text = edit("qualification: approved", "qualification: pending")
    assert warnings(text) == [
        f"{at(text, 'pending')}: warning: provider p1 is not approved (qualification: "
        "pending); it is never staffed",
        f"{at(text, 'robotics}')}: warning: activity robot: nobody can lead it: the teachers "
        "with skill 'robotics' are affiliated or have no hours, and no vetted provider serving "
        "the school has it",
    ]


def test_background_check_ending_before_the_term_end():
    text = edit("2027-12-31", "2027-06-30")
    assert warnings(text)[0] == (
        f"{at(text, '2027-06-30')}: warning: provider p1 background check ends 2027-06-30, "
        "before the term's end 2027-07-09; it is never staffed"
    )


def test_unapproved_activity():
    text = edit("skill: robotics}", "skill: robotics, approved: false}")
    assert warnings(text) == [
        f"{at(text, 'false')}: warning: activity robot is not approved (approved: false); "
        "it is never scheduled"
    ]


def test_name_suggesting_a_lesson():
    text = edit("name: 机器人", "name: 数学培优")
    assert warnings(text) == [
        f"{at(text, '数学培优')}: warning: activity robot: the name '数学培优' suggests a lesson "
        "(培优); the policy bans unified supplementary lessons in the service"
    ]


def test_late_pickup_is_one_warning_per_student_day_when_few():
    # Grade 1: dismissal 15:50, two 40-minute periods with a 10-minute break: ends 17:20.
    text = edit('pickup: "17:00"', 'pickup: {mon: "17:30", tue: "17:31"}')
    assert warnings(text) == [
        f"{at(text, '{mon:')}: warning: pick-up later than the service covers: student a1 on "
        "tue: pick-up 17:31, but the service ends 17:20"
    ]


def test_late_pickups_are_one_line_per_school_when_many():
    rows = "".join(
        f"      - {{id: b{i}, grade: 1, days: [mon, tue], pickup: \"18:00\"}}\n" for i in range(3)
    )
    text = BASE + rows
    where = at(text, '"18:00"')
    assert warnings(text) == [
        f"{where}: warning: school s1: 6 student-days have a pick-up later than "
        "the service covers (after its last class hour and a break); the first: student b0 "
        "on mon: pick-up 18:00, but the service ends 17:20"
    ]


def test_day_listed_twice_and_choice_listed_twice():
    text = edit("days: [tue], choices: [robot]", "days: [tue, tue], choices: [robot, 机器人]")
    assert problems(text) == [
        f"{at(text, 'tue]', 1)}: student a2: tue is listed twice",
        f"{at(text, '机器人]')}: student a2 chose '机器人' twice; list each choice once, in order",
    ]


def test_an_activity_name_shared_by_two_activities():
    text = edit("name: 机器人", "name: study")
    assert warnings(text) == [
        f"{at(text, 'study,', 1)}: warning: activity robot: the name 'study' is already another "
        "activity's name or id; students choosing it by name get only one of them (choose by id)"
    ]
