"""A visit that cannot go says why, in the school's words (zh and en): no adult free that
afternoon, back after latest_end, the venue closed, no child able to go."""

from __future__ import annotations

import yaml
from click.testing import CliRunner
from micro import load_data
from test_rule_visits import HELPER, VISIT, school

from models.instance import build_instance
from scheduler.cli import main
from scheduler.explain.prechecks import prechecks
from scheduler.explain.words import Words


def _said(data: dict, lang: str = "en") -> list[str]:
    loaded = load_data(data)
    instance = build_instance(loaded.district)
    words = Words(loaded, instance, lang)
    return [words.finding(f) for f in prechecks(instance) if f.kind == "visit"]


def _two_grades(dismissal: str, **changes) -> dict:
    data = school(visit={**VISIT, "grades": [1, 2], "dates": ["2027-03-02"]}, **changes)
    data["schools"][0]["grades"][2] = {"dismissal": dismissal}
    return data


def test_no_adult_free_that_afternoon():
    busy = {"id": "t1", "skills": ["homework", "visit"], "busy": {"tue": ["15:00-18:00"]}}
    data = school(visit={**VISIT, "dates": ["2027-03-02"]}, teachers=[busy, HELPER])
    assert _said(data) == ["博物馆参观 on 2027-03-02: no adult is free that afternoon, "
                           "16:00-17:40 (1 teacher(s) have the skill visit, 1 of them busy "
                           "then; 0 provider(s) have it, none can go)"]
    assert _said(data, "zh") == ["博物馆参观 2027-03-02：那天下午 16:00–17:40 没有能带队的成人"
                                 "（有技能 visit 的教师 1 名，其中 1 名那时忙；有该技能的机构 0 "
                                 "家，都不可安排）"]


def test_a_grade_back_after_latest_end():
    # Grade 2 leaves at 16:50: 20 + 60 + 20 minutes bring it back at 18:30.
    assert _said(_two_grades("16:50")) == [
        "博物馆参观 on 2027-03-02: grade 2 leaves at its dismissal 16:50 and would be back "
        "after 18:00 (at 18:30), so it cannot go"]


def test_the_venue_closed_for_a_later_grade():
    data = _two_grades("16:10")
    data["venues"][0]["opening_hours"] = {"tue": ["09:00-17:25"]}
    assert _said(data, "zh") == ["博物馆参观 2027-03-02：深圳博物馆 从 16:30 起的 60 分钟不开放"
                                 "（当天开放 09:00-17:25），2 年级不能参加"]


def test_no_child_can_go_when_all_are_picked_up_before_the_return():
    assert _said(school(pickup="17:30", visit={**VISIT, "dates": ["2027-03-02"]})) == [
        "博物馆参观 on 2027-03-02: no child can go (6 chose it, 6 are registered that day, 6 of "
        "them are picked up before the group is back at 17:40)"]


def test_check_and_explain_print_the_reasons(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(school(pickup="17:30"), allow_unicode=True), encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", str(path)])
    assert checked.exit_code == 0
    assert "以下研学出行（或其中部分年级）无法成行：" in checked.output
    assert "没有学生能去（6 名选了它，6 名当天报名，其中 6 名在 17:40 返校前就被接走）" in \
        checked.output
    explained = CliRunner().invoke(main, ["explain", str(path), "--lang", "en"])
    assert explained.exit_code == 1  # feasible: a timetable exists without the trip
    assert "no child can go" in explained.output
