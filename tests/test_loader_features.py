"""SPEC §3 input features arrive in the model with their meaning (not just without errors)."""

from __future__ import annotations

import datetime as dt

from test_validation import edit

from models.loader import load_text


def test_per_weekday_dismissal_and_per_grade_class_hour():
    text = edit('3: {dismissal: "16:20"}',
                '3: {dismissal: {default: "16:20", wed: "15:30"}, class_hour_minutes: 45}')
    text = edit("grades: [1, 3], max_size: 40", "grades: [1], max_size: 40", text)
    text = edit("      - {id: a1,", "      - {id: a0, grade: 3, days: [wed], choices: []}\n"
                "      - {id: a1,", text)
    text = edit("      - {id: robot,", "      - {id: study3, category: homework, grades: [3], "
                "max_size: 40, room_type: classroom, skill: homework, fallback: true}\n"
                "      - {id: robot,", text)
    school = load_text(text, "x.yaml").district.schools[0]
    assert school.dismissal(3, "wed") == 15 * 60 + 30
    assert school.dismissal(3, "thu") == 16 * 60 + 20
    assert school.hour_minutes(3) == 45 and school.hour_minutes(1) == 40
    # 15:30-16:15, 16:25-17:10; a third (17:20-18:05) would end after 18:00.
    assert school.period_starts(3, "wed", 18 * 60) == [15 * 60 + 30, 16 * 60 + 25]


def test_service_start_and_makeup_days_shape_the_meetings():
    text = edit("  end: 2027-07-09\n", "  end: 2027-07-09\n  service_start: 2027-03-08\n"
                "  holidays: [2027-04-05]\n  makeup_days: {2027-04-25: mon}\n")
    term = load_text(text, "x.yaml").district.term
    assert term.first_service_day == dt.date(2027, 3, 8)
    mondays = term.meeting_dates("mon")
    assert dt.date(2027, 3, 1) not in mondays and dt.date(2027, 4, 5) not in mondays
    assert dt.date(2027, 4, 25) in mondays


def test_school_policy_overrides_the_district():
    text = edit("version: 1\n", 'version: 1\npolicy: {latest_end: "17:30", term_share: 0.4}\n')
    text = edit("    enrolled: 100\n", "    enrolled: 100\n    policy: {term_share: 0.5, "
                "weights: {unmatched_student: 7}}\n", text)
    district = load_text(text, "x.yaml").district
    policy = district.policy_for(district.schools[0])
    assert policy.latest_end == 17 * 60 + 30 and policy.term_share == 0.5
    assert policy.weights.unmatched_student == 7 and policy.weights.choice_rank == [10, 6, 3, 1]
    assert district.budget(district.schools[0]) == 1000 * 100 * 0.5


def test_per_day_pickup_and_choice_by_name():
    text = edit('pickup: "17:00"', 'pickup: {default: "17:00", tue: "17:20"}')
    text = edit("choices: [robot]", "choices: [机器人, study]", text)
    school = load_text(text, "x.yaml").district.schools[0]
    first, second = school.students
    assert (first.pickup_on("mon"), first.pickup_on("tue")) == (17 * 60, 17 * 60 + 20)
    assert [school.activity(c).id for c in second.choices] == ["robot", "study"]
    assert second.pickup_on("tue") is None  # no pick-up given: the end of service
