"""H3 teachers: skill, daytime timetable, affiliation, one place at a time, own caps."""

from micro import district, solve_verified, students

WEEK = "mon;tue;wed;thu;fri"


def test_week_cap_counts_class_hours():
    # One period a day, five days: five class hours of supervision, one teacher.
    capped = [{"id": "t1", "skills": ["homework"], "max_class_hours_week": 4}]
    assert (
        solve_verified(district(students=students(1, days=WEEK), teachers=capped)).status
        == "INFEASIBLE"
    )
    capped[0]["max_class_hours_week"] = 5
    assert (
        solve_verified(district(students=students(1, days=WEEK), teachers=capped)).status
        == "OPTIMAL"
    )


def test_day_cap():
    # Pick-up 17:30 needs both periods (16:00 and 16:50) on Tuesday.
    capped = [{"id": "t1", "skills": ["homework"], "max_class_hours_day": 1}]
    data = district(students=students(1, pickup="17:30"), teachers=capped)
    assert solve_verified(data).status == "INFEASIBLE"
    capped[0]["max_class_hours_day"] = 2
    data = district(students=students(1, pickup="17:30"), teachers=capped)
    result = solve_verified(data)
    assert result.status == "OPTIMAL"
    assert len(result.solution.sections) == 2


def test_busy_teacher_is_not_staffed():
    busy = [{"id": "t1", "skills": ["homework"], "busy": {"tue": ["08:00-16:30"]}}]
    assert solve_verified(district(students=students(1), teachers=busy)).status == "INFEASIBLE"
    free = [{"id": "t1", "skills": ["homework"], "busy": {"tue": ["08:00-16:00"]}}]
    assert solve_verified(district(students=students(1), teachers=free)).status == "OPTIMAL"


def test_affiliated_teacher_is_never_staffed():
    data = district(
        students=students(1),
        teachers=[{"id": "t1", "skills": ["homework"], "affiliations": ["p1"]}],
    )
    data["providers"] = [{"id": "p1", "price_per_class_hour": 100, "skills": ["chess"]}]
    assert solve_verified(data).status == "INFEASIBLE"


def test_one_teacher_cannot_lead_two_groups_at_once():
    rooms = [
        {"id": "r1", "type": "classroom", "capacity": 1},
        {"id": "r2", "type": "classroom", "capacity": 1},
    ]
    assert solve_verified(district(students=students(2), rooms=rooms)).status == "INFEASIBLE"
