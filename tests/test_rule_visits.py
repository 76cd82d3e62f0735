"""Visits (SPEC §8.4): trips on dates, their children and adults, checked both ways.

The micro school (tests/micro.py) with a museum 20 minutes away: a trip leaves at 16:00
(grade 1's dismissal), is there 16:20-17:20 and back at 17:40, before 18:00. The term's
two Tuesdays, 2027-03-02 and 03-09, are the visit's dates. A trip is optional, so a case
that breaks a rule is forced: the trip must go (`forced`), and then it cannot.
"""

from __future__ import annotations

import copy
from typing import Any

from micro import STUDY, district, load_data, solve_verified, students

from models.instance import build_instance
from models.solution import Cover, StaffRef
from scheduler.solver.model import build_model
from scheduler.solver.settings import SolveSettings, SolveStatus
from scheduler.solver.solve import solve
from scheduler.verifier import verify

VISIT: dict[str, Any] = {
    "id": "museum", "name": "博物馆参观", "category": "visit", "venue": "museum", "grades": [1],
    "dates": ["2027-03-02", "2027-03-09"], "minutes_at_venue": 60, "min_size": 2,
    "max_size": 10, "students_per_staff": 5, "skill": "visit", "transport_per_trip": 300,
}
GUIDE = {"id": "t1", "skills": ["homework", "visit"]}
HELPER = {"id": "t2", "skills": ["homework"]}


def school(kids: int = 6, pickup: str = "18:00", visit: dict | None = None,
           **changes: Any) -> dict[str, Any]:
    data = district(**{"students": students(kids, pickup=pickup, choices="museum"),
                       "activities": [STUDY, visit or VISIT], "teachers": [GUIDE, HELPER],
                       **changes})
    data["venues"] = [{"id": "museum", "name": "深圳博物馆", "capacity": 30}]
    data["travel_minutes"] = {"s1": {"museum": 20}}
    return data


def trips(result) -> list:
    return [s for s in result.solution.sections if s.date is not None]


def forced(data: dict[str, Any]) -> SolveStatus:
    """Solve with every trip that could go made to go."""
    loaded = load_data(data)
    instance = build_instance(loaded.district)
    model = build_model(instance)
    going = [t for d in instance.schools for t in model.vars.trips(d)]
    assert going, "no trip could go at all: nothing to force"
    for trip in going:
        model.cp.add(model.vars.trip_open(trip) == 1)
    return solve(model, SolveSettings(time_limit=5, workers=1)).status


def test_children_who_chose_it_go_and_a_teacher_away_is_covered():
    result = solve_verified(school())
    assert result.status == "OPTIMAL"
    went = trips(result)
    # Six children, two trips of 2-10: every child goes once, t1 takes each trip.
    assert sorted(s for t in went for s in t.students) == [f"s{i}" for i in range(6)]
    assert all(t.start == 16 * 60 and t.end == 17 * 60 + 40 for t in went)
    assert all(t.staff == [StaffRef(teacher="t1")] for t in went)
    # t1 leads no weekly group or has each of them covered by t2 that date.
    weekly = {s.id for s in result.solution.sections if s.date is None
              and s.staff[0].teacher == "t1"}
    for trip in went:
        assert {c.section for c in trip.covers} == weekly
        assert {c.teacher for c in trip.covers} <= {"t2"}
    # Transport 300 a trip; neither teacher is paid.
    assert result.solution.kpis.cost == 600


def test_one_adult_per_students_per_staff():
    # Five children, one trip date, five per adult: one adult is enough.
    one_date = {**VISIT, "dates": ["2027-03-02"], "min_size": 5}
    assert forced(school(kids=5, visit=one_date)) == SolveStatus.OPTIMAL
    # Six children must all go: two adults needed, only t1 has the skill.
    six = {**one_date, "min_size": 6}
    assert forced(school(visit=six)) == SolveStatus.INFEASIBLE
    helper = {"id": "t2", "skills": ["homework", "visit"]}
    third = {"id": "t3", "skills": ["homework"]}
    assert forced(school(visit=six, teachers=[GUIDE, helper, third])) == SolveStatus.OPTIMAL


def test_a_teacher_whose_weekly_group_nobody_can_cover_cannot_go():
    # t1 is the only teacher: it leads Tuesday's supervised study, so nobody covers it.
    assert forced(school(teachers=[GUIDE])) == SolveStatus.INFEASIBLE
    assert forced(school()) == SolveStatus.OPTIMAL  # t2 covers


def test_a_child_picked_up_before_the_return_does_not_go():
    # Picked up at 17:30, the group is back at 17:40: no child can go, so no trip.
    result = solve_verified(school(pickup="17:30"))
    assert result.status == "OPTIMAL"
    assert trips(result) == []


def test_the_venue_holds_the_children_of_every_trip_there():
    second = {**VISIT, "id": "museum-2", "min_size": 4, "dates": ["2027-03-02"]}
    first = {**VISIT, "min_size": 4, "dates": ["2027-03-02"]}
    kids = students(4, pickup="18:00", choices="museum", prefix="a")
    kids += students(4, pickup="18:00", choices="museum-2", prefix="b")
    both = school(kids=0, visit=first, students=kids,
                  teachers=[GUIDE, {"id": "t2", "skills": ["homework", "visit"]},
                            {"id": "t3", "skills": ["homework"]}])
    both["schools"][0]["activities"].append(second)
    assert forced(both) == SolveStatus.OPTIMAL
    both["venues"][0]["capacity"] = 7  # 4 + 4 children at once
    assert forced(both) == SolveStatus.INFEASIBLE


def test_a_trip_counts_among_the_weeks_chosen_sessions():
    # One chosen session a week: a child in chess on Tuesday cannot also go that week.
    chess = {"id": "chess", "category": "club", "grades": [1], "max_size": 10,
             "room_type": "classroom", "skill": "chess"}
    one_date = {**VISIT, "dates": ["2027-03-02"], "min_size": 3}
    data = school(kids=3, visit=one_date,
                  students=students(3, pickup="18:00", choices="chess;museum"),
                  teachers=[GUIDE, HELPER, {"id": "t3", "skills": ["chess"]}])
    data["schools"][0]["activities"].append(chess)
    data["schools"][0]["policy"] = {"max_clubs_per_student_week": 1}
    result = solve_verified(data)
    assert result.status == "OPTIMAL"
    for kid in ("s0", "s1", "s2"):
        assert sum(kid in s.students for s in result.solution.sections
                   if s.activity != "study") == 1
    assert forced(data) == SolveStatus.OPTIMAL  # they go, and get no chess


def test_transport_and_staff_pay_count_in_the_budget():
    # Budget 1000 × 10 × 0.5 = 5,000 yuan; a trip costs 4,000 transport + 2 h × 600 pay.
    paid = {**GUIDE, "pay_per_class_hour": 600}
    costly = {**VISIT, "dates": ["2027-03-02"], "transport_per_trip": 4000}
    data = school(visit=costly, teachers=[paid, HELPER], enrolled=10)
    assert forced(data) == SolveStatus.INFEASIBLE
    costly["transport_per_trip"] = 3000
    result = solve_verified(school(visit=costly, teachers=[paid, HELPER], enrolled=10))
    assert result.solution.kpis.cost == 3000 + 3 * 600  # 100 min away: 3 class hours of 40


def _broken(change) -> list[str]:
    loaded = load_data(school())
    result = solve_verified(loaded)
    solution = result.solution.model_copy(deep=True)
    trip = next(s for s in solution.sections if s.date is not None)
    change(trip, solution)
    return [str(v) for v in verify(loaded.district, solution).violations if v.rule == "visits"]


def test_the_verifier_catches_a_hand_broken_trip():
    # Every child goes on one of the two trips: one more on this one goes twice.
    twice = _broken(lambda t, s: t.students.append(next(f"s{i}" for i in range(6)
                                                        if f"s{i}" not in t.students)))
    assert any("2 trips of museum, at most one" in v for v in twice), twice
    assert any("no cover" in v for v in _broken(lambda t, s: _uncover(t, s)))
    assert any("back at 17:40" in v for v in _broken(lambda t, s: setattr(t, "end", 17 * 60)))
    assert any("one adult per 5" in v for v in _broken(_too_many))
    assert any("not one of the visit's dates" in v
               for v in _broken(lambda t, s: setattr(t, "date", t.date.replace(day=1))))


def _uncover(trip, solution) -> None:
    # t1 leads a weekly group on Tuesday in this timetable, or is given one to lead.
    weekly = next(s for s in solution.sections if s.date is None)
    weekly.staff = [StaffRef(teacher="t1")]
    trip.covers = [c for c in trip.covers if c.section != weekly.id]


def _too_many(trip, solution) -> None:
    extra = [f"s{i}" for i in range(6) if f"s{i}" not in trip.students]
    trip.students.extend(extra)


def test_a_cover_by_a_teacher_who_is_busy_leading_is_caught():
    loaded = load_data(school())
    solution = solve_verified(loaded).solution.model_copy(deep=True)
    trip = next(s for s in solution.sections if s.date is not None)
    weekly = [s for s in solution.sections if s.date is None]
    weekly[0].staff = [StaffRef(teacher="t1")]
    trip.covers = [Cover(section=weekly[0].id, teacher="t9")]
    found = [str(v) for v in verify(loaded.district, solution).violations]
    assert any("t9 cannot cover" in v and "no such teacher" in v for v in found), found


def test_a_re_solve_plans_trips_afresh_and_counts_no_change_for_them():
    from models.instance import BaseTimetable
    from scheduler.solver.solve import solve_district

    loaded = load_data(school())
    base = solve_verified(loaded).solution
    again = solve_district(loaded.district, SolveSettings(time_limit=5, workers=1),
                           base=BaseTimetable(base)).solution
    report = verify(loaded.district, again, base=base)
    assert report.ok, [str(v) for v in report.violations]
    assert abs(report.objective - again.objective) < 1e-6
    assert again.objective_terms["change_section"] == 0
    assert any(s.date is not None for s in again.sections)


def test_two_schools_visiting_one_venue_on_one_date_are_solved_together():
    from scheduler.district.decompose import components

    first = school(visit={**VISIT, "dates": ["2027-03-02"], "min_size": 4})
    second = copy.deepcopy(first["schools"][0])
    second["id"] = "s2"
    first["schools"].append(second)
    first["travel_minutes"]["s2"] = {"museum": 20}
    first["venues"][0]["capacity"] = 7  # 4 + 4 children would not fit at once
    loaded = load_data(first)
    assert components(loaded.district) == [["s1", "s2"]]
    result = solve_verified(loaded)
    assert result.status == "OPTIMAL"
    assert len(trips(result)) == 1  # one school's trip fits, not both
