"""Tiny schools for solver tests, built as data and loaded through the real loader.

The micro school: one grade dismissed at 16:00, 40-minute class hours, 10-minute
breaks, service until 18:00, so periods start at 16:00 and 16:50 (17:40 would end 18:20).
The term runs two weeks (2027-03-01 to 03-12), so each weekday meets twice.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from models.loader import Loaded, load_text
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import Result, solve_district
from scheduler.verifier import verify

# Supervised study: the fallback every micro school has.
STUDY: dict[str, Any] = {
    "id": "study",
    "name": "作业辅导",
    "category": "homework",
    "grades": [1],
    "max_size": 40,
    "room_type": "classroom",
    "skill": "homework",
    "fallback": True,
}

BASE: dict[str, Any] = {
    "version": 1,
    "term": {"name": "micro", "start": "2027-03-01", "end": "2027-03-12"},
    "policy": {"weights": {"teacher_load_spread": 0, "fallback_mixing": 0, "fallback_group": 0}},
    "providers": [],
    "schools": [
        {
            "id": "s1",
            "name": "微型小学",
            "enrolled": 100,
            "grades": {1: {"dismissal": "16:00"}},
            "rooms": [{"id": "r1", "type": "classroom", "capacity": 40}],
            "teachers": [{"id": "t1", "skills": ["homework"]}],
            "activities": [STUDY],
            "students": [],
        }
    ],
}


def district(**changes: Any) -> dict[str, Any]:
    """A deep copy of the micro district; keyword changes replace keys of school s1."""
    data = copy.deepcopy(BASE)
    data["schools"][0].update(copy.deepcopy(changes))
    return data


def students(
    count: int,
    days: str = "tue",
    pickup: str = "16:40",
    choices: str = "",
    prefix: str = "s",
    grade: int = 1,
) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{prefix}{i}",
            "grade": grade,
            "class": f"{grade}-1",
            "days": days,
            "pickup": pickup,
            "choices": choices,
        }
        for i in range(count)
    ]


def load_data(data: dict[str, Any]) -> Loaded:
    return load_text(yaml.safe_dump(data, allow_unicode=True), "micro.yaml")


def solve_verified(data: dict[str, Any] | Loaded, time_limit: float = 10.0) -> Result:
    """Solve with one worker and check whatever comes back with the independent verifier."""
    loaded = data if isinstance(data, Loaded) else load_data(data)
    result = solve_district(loaded.district, SolveSettings(time_limit=time_limit, workers=1))
    if result.solution is not None:
        report = verify(loaded.district, result.solution)
        assert report.ok, [str(v) for v in report.violations]
        assert abs(report.objective - result.solution.objective) < 1e-6
        assert result.solution.bound >= result.solution.objective - 1e-6
    return result
