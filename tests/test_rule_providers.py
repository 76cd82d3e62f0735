"""H4 providers: vetted, skilled, serving the school, available, instructors across schools."""

import copy

import pytest
from micro import district, load_data, solve_verified, students

from models.problems import InputError

PROVIDER = {
    "id": "p1",
    "name": "托管机构",
    "qualification": "approved",
    "background_check_until": "2027-12-31",
    "instructors": 1,
    "price_per_class_hour": 100,
    "skills": ["homework"],
}


def provider_only(**provider_changes):
    data = district(students=students(1), teachers=[])
    data["providers"] = [{**PROVIDER, **provider_changes}]
    return data


def two_schools(instructors: int):
    data = provider_only(instructors=instructors)
    second = copy.deepcopy(data["schools"][0])
    second["id"] = "s2"
    data["schools"].append(second)
    return data


def test_vetted_provider_staffs_the_school():
    result = solve_verified(provider_only())
    assert result.status == "OPTIMAL"
    assert result.solution.sections[0].staff[0].provider == "p1"


def test_unapproved_or_unchecked_provider_is_never_staffed():
    assert solve_verified(provider_only(qualification="pending")).status == "INFEASIBLE"
    assert solve_verified(provider_only(background_check_until="2027-03-10")).status == "INFEASIBLE"


def test_provider_must_serve_the_school_and_be_available():
    only_s2 = two_schools(2)
    only_s2["providers"][0]["serves"] = ["s2"]
    with pytest.raises(InputError, match="nobody has the skill 'homework'"):
        load_data(only_s2)  # s1's supervised study has nobody who could lead it
    assert solve_verified(provider_only(available={"tue": ["16:10-18:00"]})).status == "INFEASIBLE"
    assert solve_verified(provider_only(available={"tue": ["16:00-18:00"]})).status == "OPTIMAL"


def test_instructors_bound_holds_across_schools():
    # Both schools need a group on Tuesday at 16:00; one instructor cannot be in both.
    assert solve_verified(two_schools(1)).status == "INFEASIBLE"
    result = solve_verified(two_schools(2))
    assert result.status == "OPTIMAL"
    assert {s.school for s in result.solution.sections} == {"s1", "s2"}
