"""Explanations of infeasible inputs: the catalogue in tests/data/infeasible/.

Each case names the exact rule instances responsible (as guard keys), the pre-check
kinds that see it, and checks that every core is minimal and that the fixes work.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models.loader import load
from scheduler.explain import explain
from scheduler.explain.core import Guarded
from scheduler.explain.fixes import apply, feasible
from scheduler.solver.settings import SolveSettings

DATA = Path(__file__).parent / "data" / "infeasible"

NOBODY = {"unservable", "period", "week", "no-staff"}  # what pre-checks see of "no staff at all"

# file -> (the causes: each a set of guard keys, pre-check kinds that see it)
CATALOGUE: dict[str, tuple[list[set[str]], set[str]]] = {
    "week_cap.yaml": ([{"teacher-week-cap[s1/t-wang]", "coverage[s1/g0/tue]",
                        "coverage[s1/g0/thu]"}], {"week"}),
    "day_cap.yaml": ([{"teacher-day-cap[s1/t-wang/tue]", "coverage[s1/g0/tue]"}], {"week"}),
    "rooms.yaml": ([{"rooms[s1/classroom>=40@tue-960]", "coverage[s1/g0/tue]"}], {"period"}),
    "budget.yaml": ([{"budget[s1]", "coverage[s1/g0/tue]"}], {"budget"}),
    # The homework provider's window (13:00-15:00) is a named rule the core can cite, and
    # so is the teacher's missing homework skill (applied before the model otherwise).
    "no_staff.yaml": ([{"provider-window[p-early/tue]", "teacher-skill[s1/t-wang/study]",
                        "coverage[s1/g0/tue]"}],
                      {"unservable", "period", "week", "no-staff", "late-dismissal",
                       "provider-window"}),
    # A teacher's daytime timetable: a named rule (explain builds with relax_times).
    "busy.yaml": ([{"teacher-busy[s1/t-wang/tue]", "coverage[s1/g0/tue]"}],
                  {"unservable", "period", "week"}),
    # Rules about a person, applied before the model when solving, named when explaining.
    "caps_zero.yaml": ([{"teacher-week-cap[s1/t-li]", "teacher-week-cap[s1/t-wang]",
                         "coverage[s1/g0/tue]"}], NOBODY),
    "affiliated.yaml": ([{"teacher-affiliated[s1/t-li]", "coverage[s1/g0/tue]"}], NOBODY),
    "unvetted.yaml": ([{"provider-vetted[p-care]", "coverage[s1/g0/tue]"}], NOBODY),
    "not_served.yaml": ([{"provider-serves[p-care/s1]", "teacher-week-cap[s1/t-zhao]",
                          "coverage[s1/g0/tue]"}], NOBODY),
    # Only the exact core sees these three.
    "provider_shared.yaml": ([{"provider-instructors[p-care@tue-960]", "coverage[s1/g0/tue]",
                               "coverage[s2/g0/tue]"}], set()),
    "min_size.yaml": ([{"min-size[s1/study]", "coverage[s1/g0/tue]"}], set()),
    "max_sections.yaml": ([{"max-sections-week[s1/study]", "coverage[s1/g0/tue]",
                            "coverage[s1/g0/thu]"}], set()),
    # Two causes at once.
    "two_causes.yaml": ([{"teacher-week-cap[s1/t-wang]", "coverage[s1/g0/tue]",
                          "coverage[s1/g0/thu]"}, {"budget[s2]", "coverage[s2/g0/tue]"}],
                        {"week", "budget"}),
    "two_causes_one_school.yaml": ([{"rooms[s1/classroom>=40@tue-960]", "coverage[s1/g0/tue]"},
                                    {"min-size[s1/study]", "coverage[s1/g1/thu]"}], {"period"}),
}


@pytest.fixture(scope="module", params=sorted(CATALOGUE))
def case(request):  # noqa: ANN001, ANN201
    loaded = load(DATA / request.param)
    return request.param, loaded, explain(loaded, time_limit=20)


def test_the_core_names_exactly_the_rules_responsible(case) -> None:  # noqa: ANN001
    name, _, result = case
    causes, _ = CATALOGUE[name]
    assert result.status == "INFEASIBLE"
    assert result.minimal
    found = sorted(sorted(map(str, core)) for core in result.cores)
    assert found == sorted(map(sorted, causes))


def test_pre_checks_see_what_they_can_and_nothing_else(case) -> None:  # noqa: ANN001
    name, _, result = case
    assert {f.kind for f in result.findings} == CATALOGUE[name][1]


def test_each_core_is_minimal(case) -> None:  # noqa: ANN001
    _, loaded, result = case
    from models.instance import build_instance

    # as explain() builds it
    guarded = Guarded(build_instance(loaded.district, relax_times=True, relax_staff=True))
    for core in result.cores:
        assert guarded.check(core).status == "INFEASIBLE"
        for key in core:
            assert guarded.check([k for k in core if k != key]).status == "FEASIBLE", key


def test_the_fixes_make_it_feasible(case) -> None:  # noqa: ANN001
    name, loaded, result = case
    fixes = [[result.fixes[k] for k in core] for core in result.cores]
    assert all(f.changes or f.students for cause in fixes for f in cause)
    if len(result.cores) == 1:
        assert all(f.alone_feasible for f in fixes[0])
        return
    # Two causes: no fix alone is enough; one fix per cause, together, is.
    assert all(f.alone_feasible is False for cause in fixes for f in cause)
    district = loaded.district
    for cause in fixes:
        district = apply(district, result.words.instance, cause[0])
    assert feasible(district, 10, SolveSettings())


def test_words_name_the_entities_and_where_they_are_defined() -> None:
    result = explain(load(DATA / "week_cap.yaml"), time_limit=20)
    data = result.to_dict()
    (cause,) = data["causes"]
    by_key = {e["key"]: e for e in cause}
    cap = by_key["teacher-week-cap[s1/t-wang]"]
    assert cap["text"] == ("王老师 (t-wang) may lead at most 1 class hours a week "
                           "(max_class_hours_week)")
    assert cap["where"].endswith("week_cap.yaml:15")
    assert cap["fix"]["text"] == "raise 王老师 (t-wang)'s max_class_hours_week from 1 to at least 2"
    tue = by_key["coverage[s1/g0/tue]"]
    assert tue["text"] == "3 student(s) of grade 1 (class 1-1) need supervision on Tue until 16:40"
    assert tue["where"].endswith("week_cap.yaml:20")
    assert data["prechecks"][0]["text"] == (
        "at least 2 supervision class hours a week are needed; teachers can give at most 1, "
        "providers at most 0")


def test_chinese_is_the_default_and_sizes_are_given() -> None:
    data = explain(load(DATA / "two_causes_one_school.yaml"), time_limit=20).to_dict()
    texts = [e["fix"]["text"] for cause in data["causes"] for e in cause]
    assert "周二 16:00 多 1 间 classroom（≥40 人）" in texts
    assert "把 作业辅导 (study) 的最少人数从 10 降到 5" in texts
    period = data["prechecks"][0]["text"]
    assert period.startswith("周二 16:00–16:40：50 名学生需要看护，最多只能开 1 组（每组 ≤40 人")


def test_budget_shortfall_and_provider_instructors_are_sized() -> None:
    budget = explain(load(DATA / "budget.yaml"), time_limit=20).to_dict()
    texts = {e["key"]: e["fix"]["text"] for e in budget["causes"][0]}
    assert texts["budget[s1]"] == "budget short by at least 500 yuan"
    shared = explain(load(DATA / "provider_shared.yaml"), time_limit=20).to_dict()
    texts = {e["key"]: e["fix"]["text"] for e in shared["causes"][0]}
    assert texts["provider-instructors[p-care@tue-960]"] == (
        "阳光托管中心 (p-care) needs 2 instructors on Tue 16:00 (has 1)")


def test_a_busy_teacher_and_a_provider_window_are_named_with_their_hours() -> None:
    busy = explain(load(DATA / "busy.yaml"), time_limit=20).to_dict()
    element = {e["key"]: e for e in busy["causes"][0]}["teacher-busy[s1/t-wang/tue]"]
    assert element["text"] == "王老师 (t-wang) 周二 忙于日间课表（08:00-16:30）"
    assert element["where"].endswith("busy.yaml:14")
    assert element["fix"]["alone_feasible"] is True
    window = explain(load(DATA / "no_staff.yaml"), time_limit=20).to_dict()
    element = {e["key"]: e for e in window["causes"][0]}["provider-window[p-early/tue]"]
    assert element["text"] == "早班托管 (p-early) is available on Tue only 13:00-15:00"


def test_rules_about_a_person_name_the_person_the_field_and_a_checked_fix() -> None:
    """Caps of 0, affiliations, vetting and `serves` used to stay out of the model, so a
    core blamed the pupils' sign-ups; now the culprit is named, with its line and a fix."""
    data = explain(load(DATA / "caps_zero.yaml"), time_limit=20).to_dict()
    by_key = {e["key"]: e for e in data["causes"][0]}
    li = by_key["teacher-week-cap[s1/t-li]"]
    assert li["text"] == "李老师 (t-li) 每周最多 0 课时（max_class_hours_week）"
    assert li["where"].endswith("caps_zero.yaml:16")  # the field's own line
    assert li["fix"]["text"] == "把 李老师 (t-li) 的 max_class_hours_week 从 0 提高到至少 1"
    assert li["fix"]["alone_feasible"] is True
    texts = {}
    for name in ("affiliated.yaml", "unvetted.yaml", "not_served.yaml"):
        data = explain(load(DATA / name), time_limit=20).to_dict()
        texts.update({e["key"]: (e["text"], e["where"], e["fix"]["text"])
                      for e in data["causes"][0]})
    text, where, fix = texts["teacher-affiliated[s1/t-li]"]
    assert text == ("李老师 (t-li) is affiliated with provider p-art, so may not lead groups "
                    "(affiliations)")
    assert where.endswith("affiliated.yaml:18")
    assert fix == "once checked, remove p-art from 李老师 (t-li)'s affiliations (1 group(s) needed)"
    text, where, fix = texts["provider-vetted[p-care]"]
    assert text == ("阳光托管中心 (p-care)'s background check (background_check_until: "
                    "2027-03-05) does not last to the term's end 2027-03-12")
    assert where.endswith("unvetted.yaml:7")
    assert fix.startswith("get 阳光托管中心 (p-care) approved with a background check valid to "
                          "2027-03-12")
    text, where, fix = texts["provider-serves[p-care/s1]"]
    assert text == "阳光托管中心 (p-care)'s serves list does not include school s1"
    assert where.endswith("not_served.yaml:9")
    assert fix == "add s1 to 阳光托管中心 (p-care)'s serves (1 group(s) needed)"


def test_a_missing_supervision_skill_is_named() -> None:
    data = explain(load(DATA / "no_staff.yaml"), time_limit=20).to_dict()
    element = {e["key"]: e for e in data["causes"][0]}["teacher-skill[s1/t-wang/study]"]
    assert element["text"] == ("王老师 (t-wang) lacks the skill homework that 作业辅导 (study) "
                               "needs (skills)")
    assert element["fix"]["text"] == "add homework to 王老师 (t-wang)'s skills (1 group(s) needed)"
    assert element["fix"]["alone_feasible"] is True


def test_explaining_relaxes_nothing_when_solving() -> None:
    """The normal model never sees the explaining-only rules."""
    from models.instance import build_instance
    from scheduler.solver.model import build_model

    for name in ("caps_zero.yaml", "affiliated.yaml", "unvetted.yaml", "not_served.yaml"):
        instance = build_instance(load(DATA / name).district)
        data = instance.schools[0]
        assert not (data.unskilled or data.affiliated or data.unvetted or data.not_served)
        assert not data.teacher_slots and not data.provider_slots
        names = {c.name for c in build_model(instance).cp.proto.constraints}
        assert not any(n.startswith(("teacher-skill", "teacher-affiliated", "provider-vetted",
                                     "provider-serves")) for n in names)
