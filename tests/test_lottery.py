"""The published lottery (issue 13 part 4): numbers from `policy.lottery_seed`, ties in the
score broken by them, waiting lists in promotion order, the lottery baseline."""

from __future__ import annotations

import hashlib
from typing import Any

from micro import STUDY, district, load_data, solve_verified, students

from models.allocation import lottery_number, waitlists
from scheduler.allocation import with_allocation
from scheduler.solver.settings import SolveSettings
from scheduler.solver.solve import solve_district

FOOTBALL: dict[str, Any] = {"id": "football", "name": "足球", "category": "sports",
                            "grades": [1], "max_size": 1, "room_type": "field",
                            "skill": "football", "max_sections_week": 1}


def one_seat(seed: int, count: int = 4) -> dict[str, Any]:
    """`count` children of one class all want football's single seat."""
    data = district(
        rooms=[{"id": "r1", "type": "classroom", "capacity": 40},
               {"id": "field", "type": "field", "capacity": 30}],
        teachers=[{"id": "t1", "skills": ["homework"]}, {"id": "t2", "skills": ["football"]}],
        activities=[STUDY, FOOTBALL], students=students(count, choices="football"))
    data["policy"]["lottery_seed"] = seed
    return data


def football_of(result: Any) -> list[str]:
    return [st for s in result.solution.sections if s.activity == "football"
            for st in s.students]


def luckiest(seed: int, ids: list[str]) -> str:
    return min(ids, key=lambda i: (lottery_number(seed, "s1", i), i))


def test_the_lottery_number_is_the_published_rule():
    digest = hashlib.sha256(b"7/s1/s001").hexdigest()
    assert lottery_number(7, "s1", "s001") == int(digest[:8], 16)
    assert lottery_number(7, "s1", "s001") != lottery_number(8, "s1", "s001")


def test_a_tie_in_the_score_goes_to_the_smaller_lottery_number():
    ids = [f"s{i}" for i in range(4)]
    seeds = [s for s in range(40) if luckiest(s, ids) != luckiest(0, ids)][:1] + [0]
    winners = set()
    for seed in seeds:
        result = solve_verified(one_seat(seed), time_limit=5)
        assert football_of(result) == [luckiest(seed, ids)]
        winners.add(football_of(result)[0])
    assert len(winners) == 2  # another seed, another published winner


def test_same_seed_same_timetable_and_the_numbers_are_in_the_solution():
    loaded = load_data(one_seat(3, count=6))
    settings = SolveSettings(time_limit=3, deterministic=True, workers=2)
    runs = [solve_district(loaded.district, settings).solution for _ in range(2)]
    assert runs[0] is not None and runs[1] is not None
    assert runs[0].sections == runs[1].sections
    written = with_allocation(loaded, runs[0])
    numbers = written.lottery[0].numbers
    assert written.lottery[0].seed == 3
    assert numbers == {f"s{i}": lottery_number(3, "s1", f"s{i}") for i in range(6)}
    assert '"lottery"' in written.model_dump_json()


def test_waitlist_order_is_rank_then_priority_then_lottery():
    data = one_seat(0, count=0)
    data["schools"][0]["activities"][1]["max_size"] = 5
    data["schools"][0]["students"] = [
        *students(3, choices="football", prefix="a"),
        *students(3, choices="study;football", prefix="b"),  # the fallback takes no rank
    ]
    loaded = load_data(data)
    lists = waitlists(loaded.district, [])
    assert [(w.activity, len(w.students)) for w in lists] == [("football", 6)]
    a = sorted(["a0", "a1", "a2"], key=lambda i: lottery_number(0, "s1", i))
    b = sorted(["b0", "b1", "b2"], key=lambda i: lottery_number(0, "s1", i))
    assert lists[0].students == sorted(a + b, key=lambda i: (lottery_number(0, "s1", i), i))


def test_a_lower_rank_waits_behind_and_the_baseline_is_carried():
    data = one_seat(0, count=0)
    data["schools"][0]["activities"].append({**FOOTBALL, "id": "chess", "name": "象棋"})
    data["schools"][0]["teachers"].append({"id": "t3", "skills": ["football"]})
    data["schools"][0]["students"] = [*students(2, choices="football", prefix="a"),
                                      *students(2, choices="chess;football", prefix="b")]
    loaded = load_data(data)
    result = solve_verified(loaded, time_limit=5)
    assert result.solution is not None
    written = with_allocation(loaded, result.solution)
    football = next(w for w in written.waitlists if w.activity == "football")
    ranks = [0 if st.startswith("a") else 1 for st in football.students]
    assert ranks == sorted(ranks)  # first choices wait in front of second choices
    assert written.lottery_baseline is not None
    assert written.lottery_baseline.students_with_choices == 4


def test_verify_catches_stale_waiting_lists_and_wrong_numbers():
    from scheduler.verifier import verify

    loaded = load_data(one_seat(2))
    result = solve_verified(loaded, time_limit=5)
    assert result.solution is not None
    written = with_allocation(loaded, result.solution)
    assert verify(loaded.district, written).ok
    stale = written.model_copy(update={"waitlists": []})
    assert [v.rule for v in verify(loaded.district, stale).violations] == ["waitlists"]
    lottery = [written.lottery[0].model_copy(update={"seed": 9})]
    wrong = written.model_copy(update={"lottery": lottery})
    assert [v.rule for v in verify(loaded.district, wrong).violations] == ["lottery"]


def test_priority_orders_the_waiting_list_between_rank_and_lottery(monkeypatch):
    """`priority` is the other allocation field (SPEC §8.5); read through one helper."""
    import models.allocation as allocation

    before_the_field = load_data(one_seat(0, 1)).district.schools[0].students[0]
    assert allocation.priority_of(before_the_field) == 0
    data = one_seat(0, count=0)
    data["schools"][0]["students"] = [*students(3, choices="football", prefix="a"),
                                      *students(2, choices="study;chess;football", prefix="b")]
    data["schools"][0]["activities"].append({**FOOTBALL, "id": "chess", "name": "象棋"})
    loaded = load_data(data)
    raised = {"a2": 5, "b1": 9}
    monkeypatch.setattr(allocation, "priority_of", lambda st: raised.get(st.id, 0))
    football = next(w for w in waitlists(loaded.district, []) if w.activity == "football")
    rest = sorted(["a0", "a1"], key=lambda i: lottery_number(0, "s1", i))
    later = sorted(["b0", "b1"], key=lambda i: (-raised.get(i, 0), lottery_number(0, "s1", i)))
    assert football.students == ["a2", *rest, *later]


def test_a_negative_seed_is_refused_with_its_position():
    import pytest

    from models.problems import InputError

    with pytest.raises(InputError) as refused:
        load_data(one_seat(-1))
    message = str(refused.value.problems[0])
    assert message.startswith("micro.yaml:") and "policy.lottery_seed" in message
