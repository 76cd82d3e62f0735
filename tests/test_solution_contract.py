"""The solution file's shape (SPEC §5, §8.1): staff with only the keys that apply, typed KPIs."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from models.solution import Kpis, Solution, StaffRef


def test_staff_entries_carry_only_the_keys_that_apply() -> None:
    assert json.loads(StaffRef(teacher="t-wang").model_dump_json()) == {"teacher": "t-wang"}
    assert StaffRef(provider="p-robot").model_dump() == {"provider": "p-robot"}


def test_a_staff_entry_names_one_teacher_or_one_provider() -> None:
    with pytest.raises(ValidationError):
        StaffRef()
    with pytest.raises(ValidationError):
        StaffRef(teacher="t", provider="p")


def test_kpis_are_typed_and_read_back_from_a_file() -> None:
    solution = Solution(instance_sha256="x", status="FEASIBLE", objective=1, bound=2,
                        solve_seconds=0.1, kpis=Kpis(students=3, any_choice_share=0.5))
    again = Solution.model_validate_json(solution.model_dump_json())
    assert again.kpis.students == 3 and again.kpis.any_choice_share == 0.5
    assert [name for name, _ in again.kpis.rows()][:2] == ["students", "students_with_choices"]
    with pytest.raises(ValidationError):
        Kpis.model_validate({"studnets": 3})
