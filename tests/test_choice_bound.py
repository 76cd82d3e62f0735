"""`kpis.any_choice_share_bound`: never below the optimum, found here by enumeration.

Micro schools on one Tuesday with periods at 16:00 and 16:50; every student needs both
(pick-up 17:40) or only the first (16:40). The enumeration opens every subset of the
candidate sections (activity, start, teacher) a teacher can lead without a clash and
within `max_sections_week`, then tries every way of seating students in chosen open
sections (size ≤ max_size, ≥ min_size): its best count of students with a choice is the
optimum, independent of the solver and of the flow.
"""

from __future__ import annotations

from itertools import chain, combinations, product
from typing import Any

import pytest
from micro import STUDY, district, load_data, solve_verified
from scripts import benchmark_script

from models.instance import build_instance
from models.solution import Kpis
from scheduler.solver import relaxation
from scheduler.solver.bound import bound_sentence, choice_bound, more_students
from scheduler.solver.model import build_model

STARTS = (16 * 60, 16 * 60 + 50)


def club(id_: str, max_size: int, min_size: int = 1, **more: Any) -> dict[str, Any]:
    return {"id": id_, "name": id_, "category": "club", "grades": [1], "class_hours": 1,
            "min_size": min_size, "max_size": max_size, "room_type": "classroom",
            "skill": id_, **more}


def pupils(spec: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """(choices, pick-up) per student."""
    return [{"id": f"p{i}", "grade": 1, "class": "1-1", "days": "tue", "pickup": pickup,
             "choices": choices} for i, (choices, pickup) in enumerate(spec)]


def optimum(clubs: list[dict[str, Any]], teachers: dict[str, list[str]],
            spec: list[tuple[str, str]], caps: dict[str, int] | None = None) -> int:
    """Most students with a choice over every timetable of the clubs (brute force);
    `caps`: class hours a week of some teachers (every club here lasts one)."""
    caps = caps or {}
    candidates = [(c["id"], s, t) for c in clubs for s in STARTS for t, skills in teachers.items()
                  if c["id"] in skills]
    by_id = {c["id"]: c for c in clubs}
    best = 0
    subsets = chain.from_iterable(combinations(candidates, k) for k in range(len(candidates) + 1))
    for opened in subsets:
        if len({(s, t) for _, s, t in opened}) < len(opened):
            continue  # a teacher in two places at once
        if any(sum(1 for _, _, x in opened if x == t) > cap for t, cap in caps.items()):
            continue  # over a teacher's week cap
        per_club = {a: sum(1 for x, _, _ in opened if x == a) for a in by_id}
        if any(per_club[a] > by_id[a].get("max_sections_week", 99) for a in by_id):
            continue
        best = max(best, _seat(opened, by_id, spec))
    return best


def _seat(opened: tuple[tuple[str, int, str], ...], clubs: dict[str, dict[str, Any]],
          spec: list[tuple[str, str]]) -> int:
    options = []
    for choices, pickup in spec:
        end = 16 * 60 + 40 if pickup == "16:40" else 17 * 60 + 30
        fits = [i for i, (a, s, _) in enumerate(opened)
                if a in choices.split(";") and s + 40 <= end]
        options.append([None, *fits])
    best = 0
    for pick in product(*options):
        sizes = [sum(1 for p in pick if p == i) for i in range(len(opened))]
        ok = all(clubs[a]["min_size"] <= n <= clubs[a]["max_size"]
                 for (a, _, _), n in zip(opened, sizes, strict=True) if n)
        ok = ok and all(n > 0 for n in sizes)  # an empty section is not opened
        if ok:
            best = max(best, sum(1 for p in pick if p is not None))
    return best


CASES = {
    "seats only": ([club("chess", 2, max_sections_week=1)], {"t2": ["chess"]},
                   [("chess", "17:40")] * 4, True),
    "two periods": ([club("chess", 2)], {"t2": ["chess"]}, [("chess", "17:40")] * 5, True),
    "pick-up too early for the second": (
        [club("chess", 2)], {"t2": ["chess"]},
        [("chess", "16:40")] * 3 + [("chess", "17:40")] * 2, True),
    "one teacher for two clubs": (
        [club("chess", 2), club("art", 2)], {"t2": ["chess", "art"]},
        [("chess", "16:40")] * 2 + [("art", "16:40")] * 2 + [("art;chess", "16:40")], False),
    "min size": ([club("chess", 3, min_size=3, max_sections_week=1)], {"t2": ["chess"]},
                 [("chess", "17:40")] * 2 + [("", "17:40")], False),
    "a teacher's week cap": ([club("chess", 2), club("art", 2)], {"t2": ["chess", "art"]},
                             [("chess", "17:40")] * 2 + [("art", "17:40")] * 2, False),
    "scattered windows, one teacher": (
        [club("chess", 3)], {"t2": ["chess"]},
        [("chess", "16:40")] * 2 + [("chess", "17:40")] * 2, False),
}
CAPS = {"a teacher's week cap": {"t2": 1}, "scattered windows, one teacher": {"t2": 1}}
# On every case the strengthened linear relaxation equals the optimum (the flow is looser
# where a teacher's clash, cap or min_size binds).


def _school(name: str) -> dict[str, Any]:
    clubs, teachers, spec, _ = CASES[name]
    caps = CAPS.get(name, {})
    staff = [{"id": "t1", "skills": ["homework"]}] + [
        {"id": t, "skills": ["homework", *skills],
         **({"max_class_hours_week": caps[t]} if t in caps else {})}
        for t, skills in teachers.items()]
    data = district(activities=[STUDY, *clubs], teachers=staff, students=pupils(spec),
                    rooms=[{"id": f"r{i}", "type": "classroom", "capacity": 40}
                           for i in range(4)])
    return data


@pytest.mark.parametrize("name", list(CASES))
def test_bound_never_below_optimum(name: str) -> None:
    clubs, teachers, spec, tight = CASES[name]
    caps = CAPS.get(name, {})
    loaded = load_data(_school(name))
    vars = build_model(build_instance(loaded.district)).vars
    bound = choice_bound(vars)
    linear = choice_bound(vars, linear=60.0)
    best = optimum(clubs, teachers, spec, caps)
    with_choices = sum(1 for choices, _ in spec if choices)
    assert bound.with_choices == linear.with_choices == with_choices
    assert bound.reachable >= linear.reachable >= best
    if tight:  # seats and windows are all that limit: the flow is exact
        assert bound.reachable == best
    assert linear.reachable == best
    solved = solve_verified(loaded)
    assert solved.solution is not None
    kpis = solved.solution.kpis
    assert kpis.any_choice_share_bound is not None
    assert kpis.any_choice_share <= best / with_choices + 1e-9
    assert kpis.any_choice_share_bound >= best / with_choices - 1e-9
    assert kpis.any_choice_share_bound >= kpis.any_choice_share


@pytest.mark.parametrize("name", list(CASES))
def test_the_matching_phase_never_proves_more_left_out_than_the_optimum(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import scheduler.solver.solve as solve_module

    monkeypatch.setattr(solve_module, "SMALL_MODEL_VARIABLES", 0)  # phases on micro schools
    clubs, teachers, spec, _ = CASES[name]
    caps = CAPS.get(name, {})
    solved = solve_verified(load_data(_school(name)), time_limit=4)
    assert solved.solution is not None
    with_choices = sum(1 for choices, _ in spec if choices)
    best = optimum(clubs, teachers, spec, caps)
    assert solved.stats["fewest_unmatched"] <= with_choices - best  # a proof, never more
    kpis = solved.solution.kpis
    assert kpis.any_choice_share == pytest.approx(best / with_choices)  # micro: optimal
    assert kpis.any_choice_share_bound == pytest.approx(best / with_choices)


def test_sentence() -> None:
    kpis = Kpis(students_with_choices=200, any_choice_share=0.8, any_choice_share_bound=0.9)
    assert more_students(kpis) == 20
    assert "20" in (bound_sentence(kpis, "en") or "")
    assert "20" in (bound_sentence(kpis) or "")
    assert bound_sentence(Kpis()) is None
    old = Kpis.model_validate({"students": 3})  # a file from before the bound loads
    assert old.any_choice_share_bound is None


def test_relaxation_leaves_the_model_as_it_was() -> None:
    """Reading a constraint's unset part would set it (and drop the rule from the model)."""
    clubs, teachers, spec, _ = CASES["one teacher for two clubs"]
    staff = [{"id": "t1", "skills": ["homework"]}] + [
        {"id": t, "skills": ["homework", *skills]} for t, skills in teachers.items()]
    data = district(activities=[STUDY, *clubs], teachers=staff, students=pupils(spec),
                    rooms=[{"id": f"r{i}", "type": "classroom", "capacity": 40}
                           for i in range(4)])
    model = build_model(build_instance(load_data(data).district))
    before = str(model.cp.proto)
    assert choice_bound(model.vars, linear=60.0).reachable == 2
    assert str(model.cp.proto) == before


def test_the_relaxation_is_used_only_where_it_bounds_what_the_user_asked() -> None:
    from models.instance import Reservation
    from scheduler.solver.bound import (
        LINEAR_BOUND_MOST_SECONDS,
        LINEAR_BOUND_SECONDS,
        LINEAR_BOUND_SHARE,
        LINEAR_BOUND_VARIABLES,
        linear_bound_seconds,
    )

    clubs, teachers, spec, _ = CASES["seats only"]
    staff = [{"id": "t1", "skills": ["homework"]}] + [
        {"id": t, "skills": ["homework", *skills]} for t, skills in teachers.items()]
    district_ = load_data(district(activities=[STUDY, *clubs], teachers=staff,
                                   students=pupils(spec))).district
    plain = build_instance(district_)
    assert linear_bound_seconds(plain, 60, 1_000) == 60 * LINEAR_BOUND_SHARE
    assert linear_bound_seconds(plain, 600, 1_000) == LINEAR_BOUND_MOST_SECONDS
    assert not linear_bound_seconds(plain, LINEAR_BOUND_SECONDS - 1, 1_000)  # a district's part
    assert not linear_bound_seconds(plain, 60, LINEAR_BOUND_VARIABLES + 1)  # never measured
    held = Reservation(provider="p", day="tue", start=960, end=1000)
    reserved = build_instance(district_, reserved=[held])
    assert not linear_bound_seconds(reserved, 60, 1_000)  # capacity held by other parts


def test_bound_written_is_rounded_up() -> None:
    """223 of 251 students is 0.88844621...: written to six digits it must not fall under."""
    from models.solution import Kpis
    from scheduler.solver.bound import ChoiceBound, with_bound

    kpis = Kpis.model_construct(any_choice_share=223 / 251)
    written = with_bound(kpis, ChoiceBound(251, 223)).any_choice_share_bound
    assert written is not None and 223 / 251 <= written <= 223 / 251 + 1e-6


@pytest.mark.parametrize("name", list(CASES))
def test_the_studys_block_bound_is_a_bound(name: str) -> None:
    """`benchmarks/08_relaxation_study.py --blocks`: never more students left out than the
    optimum leaves, never fewer than the relaxation says."""
    clubs, teachers, spec, _ = CASES[name]
    model = build_model(build_instance(load_data(_school(name)).district))
    program, columns = relaxation.strengthened(model.vars)
    solved = relaxation.primal_and_duals(program, 60.0)
    assert solved is not None
    values, duals = solved
    assert len(values) == len(program.cost)
    study = benchmark_script("08_relaxation_study.py")
    blocked = study.block_bound(model, program, columns, duals, 5.0)
    with_choices = sum(1 for choices, _ in spec if choices)
    best = optimum(clubs, teachers, spec, CAPS.get(name, {}))
    assert relaxation.lagrangian(program, duals) - 1e-6 <= blocked
    assert blocked <= with_choices - best + 1e-6
