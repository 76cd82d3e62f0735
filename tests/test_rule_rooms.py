"""H2 rooms: sections need a free room of their type that holds them."""

from micro import district, load_data, solve_verified, students

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


def _club(id_, class_hours, max_size, grades):
    return {"id": id_, "name": id_, "category": "club", "grades": grades,
            "class_hours": class_hours, "min_size": 1, "max_size": max_size,
            "room_type": "lab", "skill": id_}


def _two_labs_school():
    """Two labs, 44 and 38 seats; a one-hour club of 40 (the big lab only) and a two-hour
    club of 30 (either lab). Periods at 15:10, 16:00 and 16:50 (grade 1); each group of
    children fits exactly one section: the big club at 15:10 and at 16:50, the two-hour
    club at 15:10 and at 16:00. At every moment two sections run, at most one needing the
    big lab, so counts of rooms per moment allow all four; but the two-hour club at 16:00
    overlaps both the one at 15:10 (in the small lab, beside the big club) and the big club
    at 16:50 (in the big lab), so it has no room: one of the four must stay closed."""
    grade1 = students(5, pickup="15:50", choices="big", prefix="a")
    grade1 += students(5, pickup="16:40", choices="long", prefix="b")
    later = students(5, pickup="17:30", choices="long", prefix="c", grade=3)
    later += students(5, pickup="17:30", choices="big", prefix="d", grade=2)
    study = {"id": "study", "name": "作业辅导", "category": "homework", "grades": [1, 2, 3],
             "max_size": 40, "room_type": "classroom", "skill": "homework", "fallback": True}
    return district(
        grades={1: {"dismissal": "15:10"}, 2: {"dismissal": "16:50"}, 3: {"dismissal": "16:00"}},
        rooms=[{"id": "big-lab", "type": "lab", "capacity": 44},
               {"id": "small-lab", "type": "lab", "capacity": 38},
               *({"id": f"c{i}", "type": "classroom", "capacity": 40} for i in range(4))],
        teachers=[*({"id": f"h{i}", "skills": ["homework"]} for i in range(4)),
                  *({"id": f"b{i}", "skills": ["homework", "big"]} for i in range(2)),
                  *({"id": f"l{i}", "skills": ["homework", "long"]} for i in range(2))],
        activities=[study, _club("big", 1, 40, [1, 2]), _club("long", 2, 30, [1, 3])],
        students=grade1 + later,
    )


def test_rooms_of_two_sizes_hold_a_section_in_one_room_throughout():
    result = solve_verified(_two_labs_school())
    assert result.status == "OPTIMAL"
    clubs = [s for s in result.solution.sections if s.activity != "study"]
    assert len(clubs) == 3  # one of the four has no room all through its time
    assert result.solution.kpis.any_choice_share == 15 / 20


def test_rooms_are_found_where_the_smallest_free_room_first_strands_a_section():
    """Sections at 15:10 of a one-hour and a two-hour club (either lab), then the big club
    at 16:00 (the big lab only): smallest-first gives the one-hour section the small lab
    and the two-hour one the big lab, which it still holds at 16:00. The assignment
    exists (two-hour in the small lab), and is found."""
    from models.instance import build_instance
    from models.solution import StaffRef
    from scheduler.solver.extract import Draft, _assign_rooms

    data = _two_labs_school()
    data["schools"][0]["activities"].append(_club("short", 1, 30, [1, 3]))
    data["schools"][0]["teachers"].append({"id": "s0", "skills": ["homework", "short"]})
    school = build_instance(load_data(data).district).schools[0]
    slot = {(s.activity.id, s.start): s for s in school.slots if s.day == "tue"}
    drafts = [Draft(slot[(club, start)], StaffRef(teacher="h0"), ["a0"])
              for club, start in (("short", 910), ("long", 910), ("big", 960))]
    assert _assign_rooms(school, drafts, prefer_home=False)
    rooms = {d.slot.activity.id: d.room for d in drafts}
    assert rooms == {"short": "big-lab", "long": "small-lab", "big": "big-lab"}


def test_explain_names_the_rooms_a_section_cannot_leave():
    """Every child assigned to their club: all four sections must open, which the labs
    cannot hold; the explanation cites the rooms of each size and a room more fixes it."""
    from constraints.common.keys import Rule
    from scheduler.explain import explain

    data = _two_labs_school()
    for child in data["schools"][0]["students"]:
        child["assigned"] = [child["choices"]]
    explanation = explain(load_data(data), time_limit=30)
    assert explanation.status == "INFEASIBLE"
    cited = {key for core in explanation.cores for key in core if key.rule == Rule.ROOM_CLASS}
    assert {key.who for key in cited} == {"big-lab", "small-lab"}
    assert any(fix.alone_feasible for key, fix in explanation.fixes.items() if key in cited)
