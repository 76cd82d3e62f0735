"""H2 rooms: sections need a free room of their type that holds them."""

from micro import district, solve_verified, students

ONE_SEAT_STUDY = {
    "id": "study",
    "category": "homework",
    "grades": [1],
    "max_size": 1,
    "room_type": "classroom",
    "skill": "homework",
    "fallback": True,
}
TWO_TEACHERS = [{"id": "t1", "skills": ["homework"]}, {"id": "t2", "skills": ["homework"]}]


def test_one_room_one_group_is_feasible():
    result = solve_verified(district(students=students(2)))
    assert result.status == "OPTIMAL"
    assert [s.room for s in result.solution.sections] == ["r1"]


def test_two_groups_at_once_need_two_rooms():
    # Groups of one, two children at 16:00 on Tuesday, but one classroom.
    data = district(students=students(2), activities=[ONE_SEAT_STUDY], teachers=TWO_TEACHERS)
    assert solve_verified(data).status == "INFEASIBLE"


def test_a_second_room_makes_it_feasible():
    rooms = [
        {"id": "r1", "type": "classroom", "capacity": 40},
        {"id": "r2", "type": "classroom", "capacity": 40},
    ]
    data = district(
        students=students(2), activities=[ONE_SEAT_STUDY], teachers=TWO_TEACHERS, rooms=rooms
    )
    result = solve_verified(data)
    assert result.status == "OPTIMAL"
    assert sorted(s.room for s in result.solution.sections) == ["r1", "r2"]


def test_room_too_small_for_the_group_is_not_used_beyond_its_capacity():
    # A 40-seat limit on the activity, a 3-seat room: 5 children need two groups -> infeasible
    # with one teacher; the groups may never exceed the room's 3 seats.
    rooms = [{"id": "r1", "type": "classroom", "capacity": 3}]
    assert solve_verified(district(students=students(5), rooms=rooms)).status == "INFEASIBLE"
    result = solve_verified(district(students=students(3), rooms=rooms))
    assert result.status == "OPTIMAL"
    assert len(result.solution.sections[0].students) == 3
