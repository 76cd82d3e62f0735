"""H6 group sizes and H7 budget."""

from micro import STUDY, district, solve_verified, students


def study(**changes):
    return [{**STUDY, **changes}]


def test_min_size_cannot_be_met():
    assert (
        solve_verified(district(students=students(2), activities=study(min_size=3))).status
        == "INFEASIBLE"
    )
    result = solve_verified(district(students=students(2), activities=study(min_size=2)))
    assert [len(s.students) for s in result.solution.sections] == [2]


def test_max_size_splits_groups():
    two = [{"id": "t1", "skills": ["homework"]}, {"id": "t2", "skills": ["homework"]}]
    rooms = [
        {"id": "r1", "type": "classroom", "capacity": 40},
        {"id": "r2", "type": "classroom", "capacity": 40},
    ]
    data = district(students=students(5), activities=study(max_size=3), teachers=two, rooms=rooms)
    result = solve_verified(data)
    assert sorted(len(s.students) for s in result.solution.sections) == [2, 3]
    data["schools"][0]["teachers"] = two[:1]
    assert solve_verified(data).status == "INFEASIBLE"


def test_budget():
    # Tuesday meets twice in the term; one class hour at 100 yuan: 200 yuan in all.
    # Budget = 1000 x enrolled x 0.5 = 500 x enrolled.
    paid = [{"id": "t1", "skills": ["homework"], "pay_per_class_hour": 100}]
    feasible = district(students=students(1), teachers=paid, enrolled=1)  # 500 yuan
    result = solve_verified(feasible)
    assert result.solution.kpis.cost == 200
    expensive = [{"id": "t1", "skills": ["homework"], "pay_per_class_hour": 300}]  # 600 yuan
    assert (
        solve_verified(district(students=students(1), teachers=expensive, enrolled=1)).status
        == "INFEASIBLE"
    )
