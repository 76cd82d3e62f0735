"""Allocation KPIs (issue 13 part 6): rank profile, top-2 share, students with none, envy;
the solver's own count and the verifier's independent recount agree."""

from __future__ import annotations

import pytest
from verifier_cases import load_school, section, solution_for

from models.instance import build_instance
from models.solution import Kpis
from scheduler.solver import score as solver_score
from scheduler.verifier import score as verifier_score

# a1 (football, robotics) gets robotics, its 2nd choice; a2 (robotics first) gets nothing
# while a1, who ranked robotics lower, has it: a2 is envious. a4 and a5 get their first.
ENVY_SECTIONS = [
    section("football", "16:20", "17:50", "field", ["a4"], teacher="t-wang"),
    section("robotics", "17:10", "17:50", "lab", ["a1"], provider="p-robo"),
    section("chess", "16:20", "17:00", "r302", ["a5"], teacher="t-zhao"),
    section("study", "16:20", "17:00", "r301", ["a1", "a2", "a3"], teacher="t-li"),
]


def test_verifier_counts_rank_profile_top2_none_and_envy():
    loaded = load_school()
    kpis = verifier_score(loaded.district, solution_for(loaded, ENVY_SECTIONS)).kpis
    assert kpis.rank_shares == [0.5, 0.25]
    assert kpis.top2_share == 0.75
    assert kpis.students_with_none == 1
    assert kpis.envy == 1


def test_solver_and_verifier_agree_on_the_allocation_kpis():
    loaded = load_school()
    instance = build_instance(loaded.district)
    mine = solver_score.kpis(instance, ENVY_SECTIONS, [])
    theirs = verifier_score(loaded.district, solution_for(loaded, ENVY_SECTIONS)).kpis
    fields = {"rank_shares", "top2_share", "students_with_none", "envy", "first_choice_share"}
    assert mine.model_dump(include=fields) == theirs.model_dump(include=fields)


def test_a_choice_below_someone_elses_is_no_envy():
    """a1 misses football (1st) while a4, who also ranked it 1st, has it: no envy."""
    loaded = load_school()
    sections = [s for s in ENVY_SECTIONS if s.activity != "robotics"]
    kpis = verifier_score(loaded.district, solution_for(loaded, sections)).kpis
    assert kpis.envy == 0
    assert kpis.students_with_none == 2


def test_rank_rows_follow_the_profile_and_districts_combine_by_counts():
    one = Kpis(students_with_choices=4, rank_shares=[0.5, 0.25], top2_share=0.75,
               students_with_none=1, envy=1)
    two = Kpis(students_with_choices=2, rank_shares=[0.5, 0.0, 0.5], top2_share=0.5, envy=2)
    rows = dict(one.rows())
    assert rows["rank_1_share"] == 0.5 and rows["rank_2_share"] == 0.25
    assert "rank_shares" not in rows
    both = Kpis.combined([one, two])
    assert both.rank_shares == pytest.approx([3 / 6, 1 / 6, 1 / 6])
    assert both.top2_share == pytest.approx(4 / 6)
    assert (both.students_with_none, both.envy) == (1, 3)
