"""The greedy start: a whole timetable that keeps every rule, so CP-SAT can adopt it."""

from micro import district, load_data, students

from models.instance import build_instance
from scheduler.solver.hint import add_hint
from scheduler.solver.model import build_model
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import make_solver, status_of

ROBOTS = {
    "id": "robots", "name": "机器人", "category": "club", "grades": [1], "max_size": 20,
    "min_size": 5, "room_type": "classroom", "skill": "robotics",
}
PROVIDER = {
    "id": "p1", "name": "机器人中心", "qualification": "approved",
    "background_check_until": "2027-12-31", "instructors": 3, "price_per_class_hour": 100,
    "skills": ["robotics"],
}


def popular_club():
    """60 children want one club that only a provider with three instructors can lead."""
    data = district(
        students=students(60, choices="robots"),
        rooms=[{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in range(4)],
        teachers=[{"id": f"t{i}", "skills": ["homework"]} for i in range(3)],
        activities=[district()["schools"][0]["activities"][0], ROBOTS],
    )
    data["providers"] = [PROVIDER]
    return load_data(data).district


def test_a_slot_opening_several_sections_of_one_provider_hints_them_all():
    # Found on the L district: a second section of the same provider in one slot replaced
    # the count of the first, so the seats overflowed the hinted sections and the start
    # broke the size rule (CP-SAT then searched from nothing and often found nothing).
    model = build_model(build_instance(popular_club()))
    add_hint(model, model.instance)
    hinted = _hinted(model)
    provided = [hinted[v.index] for v in model.vars.decisions() if v.name.startswith("provide[")]
    assert max(provided) == 3
    solver = make_solver(SolveSettings(time_limit=5, workers=1))
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert status_of(solver, solver.solve(model.cp)).has_solution


def _hinted(model) -> dict[int, int]:
    hint = model.cp.proto.solution_hint
    return dict(zip(hint.vars, hint.values, strict=True))


def _hinted_matches(model) -> int:
    """Students with choices the hint seats in a club they chose."""
    hinted = _hinted(model)
    matched = {}
    for data in model.instance.schools:
        for slot in data.slots:
            for group, var in model.vars.seats_in(data.school.id, slot):
                if hinted.get(var.index, 0) and slot.activity.id in group.ranks:
                    matched[data.school.id, group.index] = group.size
    return sum(matched.values())


def test_children_with_fewer_chances_get_a_club_before_anyone_gets_a_second():
    # Ten children want chess then art, ten want only chess; each club opens once, for ten.
    # Seating by rank alone gave chess to the first ten and art as their second club,
    # leaving the chess-only children with nothing: 10 of 20 where 20 fit.
    clubs = [
        {"id": a, "name": a, "category": "club", "grades": [1], "class_hours": 1,
         "max_size": 10, "max_sections_week": 1, "room_type": "classroom", "skill": a}
        for a in ("chess", "art")
    ]
    data = district(
        activities=[district()["schools"][0]["activities"][0], *clubs],
        teachers=[{"id": "t1", "skills": ["homework"]}, {"id": "t2", "skills": ["chess"]},
                  {"id": "t3", "skills": ["art"]}],
        rooms=[{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in range(3)],
        students=students(10, pickup="17:40", choices="chess;art", prefix="x")
        + students(10, pickup="17:40", choices="chess", prefix="y"),
    )
    model = build_model(build_instance(load_data(data).district))
    add_hint(model, model.instance)
    assert _hinted_matches(model) == 20
    solver = make_solver(SolveSettings(time_limit=5, workers=1))
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert status_of(solver, solver.solve(model.cp)).has_solution


def test_clubs_leave_the_money_supervised_study_needs():
    # Children staying two periods, a budget with room for their study and one provider
    # section more: the greedy spent the study's money on the club, could not pay for
    # study at 16:50, and started from no club at all (found on a school made by another
    # generator, benchmarks/outside.py).
    from constraints.budget.model import section_cost
    from scheduler.solver.hint import _greedy, _study_cost

    data = district(
        students=students(60, pickup="17:40", choices="robots"),
        rooms=[{"id": f"r{i}", "type": "classroom", "capacity": 40} for i in range(4)],
        teachers=[{"id": f"t{i}", "skills": ["homework"], "pay_per_class_hour": 50}
                  for i in range(3)],
        activities=[district()["schools"][0]["activities"][0], ROBOTS],
    )
    data["providers"] = [PROVIDER]
    instance = build_instance(load_data(data).district)
    model = build_model(instance)
    school = instance.schools[0]
    robots = next(s for s in school.slots if s.activity.id == "robots")
    study = _study_cost(instance, school, model.vars)
    assert study > 0
    school.budget = study + section_cost(school, robots, PROVIDER["price_per_class_hour"])
    assert _greedy(instance, model.vars, clubs=True) is not None
    add_hint(model, instance)
    solver = make_solver(SolveSettings(time_limit=5, workers=1))
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert status_of(solver, solver.solve(model.cp)).has_solution
    assert _hinted_matches(model) >= ROBOTS["min_size"]
