"""Coupling rules across schools (SPEC §8.1): named instructors with their own background
checks, one section at a time anywhere, travel between schools, a provider's weekly cap."""

from __future__ import annotations

import copy

from micro import district, load_data, solve_verified, students
from test_rule_providers import PROVIDER

from models.solution import SectionOut, Solution, StaffRef
from scheduler.verifier import verify

PEOPLE = [{"id": "coach-li", "name": "李教练", "background_check_until": "2027-12-31"},
          {"id": "coach-wu", "background_check_until": "2027-03-05"}]  # lapses mid-term


def schools(count: int, pickup: str = "16:40", **provider_changes) -> dict:
    """`count` schools whose one child each needs supervision Tuesday 16:00-16:40, by p1 only."""
    data = district(students=students(1, pickup=pickup), teachers=[])
    data["providers"] = [{**PROVIDER, "instructors": copy.deepcopy(PEOPLE), **provider_changes}]
    for n in range(2, count + 1):
        other = copy.deepcopy(data["schools"][0])
        other["id"] = f"s{n}"
        data["schools"].append(other)
    return data


def test_a_named_instructor_leads_and_is_named_in_the_timetable() -> None:
    result = solve_verified(schools(1))
    assert result.status == "OPTIMAL"
    (staff,) = result.solution.sections[0].staff
    assert staff == StaffRef(provider="p1", instructor="coach-li")
    assert staff.model_dump() == {"provider": "p1", "instructor": "coach-li"}


def test_an_instructor_whose_check_lapses_before_the_term_ends_is_never_staffed() -> None:
    # Two schools need p1 at once; only coach-li is cleared, so one school goes without.
    assert solve_verified(schools(2)).status == "INFEASIBLE"
    people = copy.deepcopy(PEOPLE)
    people[1]["background_check_until"] = "2027-12-31"
    result = solve_verified(schools(2, instructors=people))
    assert result.status == "OPTIMAL"
    assert {s.staff[0].instructor for s in result.solution.sections} == {"coach-li", "coach-wu"}


def test_travel_between_schools_keeps_one_instructor_from_two_places() -> None:
    # One cleared instructor: s1's child needs 16:00-16:40, s2 dismisses at 16:50 and its
    # child needs 16:50-17:30. Ten minutes between: fine with 5 minutes' travel, not with 30.
    data = schools(2, pickup="17:30", instructors=[PEOPLE[0]])
    data["schools"][0]["students"] = students(1, pickup="16:40")
    data["schools"][1]["grades"] = {1: {"dismissal": "16:50"}}
    data["travel_minutes"] = {"s1": {"s2": 5}}
    near = solve_verified(data)
    assert near.status == "OPTIMAL"
    data["travel_minutes"] = {"s1": {"s2": 30}}
    assert solve_verified(data).status == "INFEASIBLE"


def test_a_providers_weekly_cap_holds_across_schools() -> None:
    data = schools(2, instructors=3, max_class_hours_week=1)
    assert solve_verified(data).status == "INFEASIBLE"
    data["providers"][0]["max_class_hours_week"] = 2
    assert solve_verified(data).status == "OPTIMAL"


def _led(school: str, start: str, end: str, instructor: str | None) -> SectionOut:
    return SectionOut(id=f"{school}/study/tue-{start.replace(':', '')}/r1", school=school,
                      activity="study", day="tue", start=start, end=end, room="r1",
                      staff=[StaffRef(provider="p1", instructor=instructor)], students=["s0"])


def _broken(sections: list[SectionOut], **provider_changes) -> list[str]:
    loaded = load_data(schools(2, pickup="17:30", **provider_changes))
    solution = Solution(instance_sha256=loaded.sha256, status="FEASIBLE", objective=0,
                        bound=0, solve_seconds=0, sections=sections)
    return [str(v) for v in verify(loaded.district, solution).violations if v.rule == "H4"]


def test_the_verifier_sees_travel_lapsed_checks_and_missing_names() -> None:
    too_close = [_led("s1", "16:00", "16:40", "coach-li"), _led("s2", "16:50", "17:30", "coach-li")]
    assert any("cannot travel from s1 to s2 in time (30 min)" in v for v in _broken(too_close))
    lapsed = [_led("s1", "16:00", "16:40", "coach-wu")]
    assert any("background check ends 2027-03-05" in v for v in _broken(lapsed))
    unnamed = [_led("s1", "16:00", "16:40", None)]
    assert any("names none" in v for v in _broken(unnamed))
    capped = [_led("s1", "16:00", "16:40", "coach-li"), _led("s2", "16:00", "16:40", None)]
    assert any("its cap is 1" in v for v in _broken(capped, instructors=2,
                                                     max_class_hours_week=1))


def test_the_planner_sees_each_instructors_day_with_its_travel() -> None:
    from scheduler.views import view_data
    from scheduler.views.district import instructor_rows, load_rows, school_rows

    data = schools(2, pickup="17:30", instructors=[PEOPLE[0]])
    data["schools"][0]["students"] = students(1, pickup="16:40")
    data["schools"][1]["grades"] = {1: {"dismissal": "16:50"}}
    data["travel_minutes"] = {"s1": {"s2": 5}}
    loaded = load_data(data)
    result = solve_verified(loaded)
    views = view_data(loaded, result.solution, "en")
    day = instructor_rows(views)
    assert [row[1] for row in day] == ["coach-li", "coach-li"]
    assert [row[3] for row in day] == ["16:00", "16:50"]
    assert day[1][7:] == [5, 5]  # 5 minutes' travel, 5 to spare on arrival
    assert load_rows(views)[0][2:4] == [2, 2]  # two class hours, two sections on Tuesday
    assert [row[1] for row in school_rows(views)] == [1, 1]
