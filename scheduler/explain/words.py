"""Sentences a school uses for explanations: core elements and pre-check findings.

Each rule family says its own rules (`constraints.<family>.explain`); this adds the
pre-checks' sentences and the element's JSON shape.
"""

from __future__ import annotations

from typing import Any

from constraints import rule_text
from constraints.common.keys import RuleKey
from constraints.common.words import Fix
from constraints.common.words import Words as RuleWords
from constraints.visits.explain import describe as describe_visit
from models.common import format_clock

from .prechecks import Finding


class Words(RuleWords):
    """Renders core elements, fixes and pre-check findings in one language."""

    def element(self, key: RuleKey, fix: Fix | None) -> dict[str, Any]:
        """One core element: what the rule says, where it is set, and the suggested fix."""
        text, where, fix_text = rule_text(key.rule).describe(self, key, fix or Fix(key))
        return {"key": str(key), "rule": key.rule.value, "text": text, "where": where,
                "fix": None if fix is None else {
                    "text": fix_text, "changes": {str(k): v for k, v in fix.changes.items()},
                    "students": fix.students, "alone_feasible": fix.alone_feasible}}

    # --- pre-checks ------------------------------------------------------------------------
    def finding(self, f: Finding) -> str:
        d = f.data
        if f.kind == "period":
            return self.t(
                "{day} {a}–{b}：{n} 名学生需要看护，最多只能开 {g} 组（每组 ≤{s} 人，共 {seats} "
                "个位置）：{free} 名教师有空，{busy} 名忙，{capped} 名已达上限或不可安排，"
                "{unskilled} 名无相关技能；外聘教练 {ins} 名；可用教室 {rooms} 间",
                "{day} {a}–{b}: {n} students need supervision, at most {g} groups of ≤{s} "
                "can be staffed ({seats} seats): {free} teachers free, {busy} are busy, "
                "{capped} are at their cap or cannot serve, {unskilled} have no skill for it; "
                "{ins} provider instructors; {rooms} rooms",
                day=self.day(d["day"]), a=format_clock(d["start"]), b=format_clock(d["end"]),
                n=d["students"], g=d["groups"], s=d["largest"], seats=d["seats"],
                free=d["free"], busy=d["busy"], capped=d["capped"], unskilled=d["unskilled"],
                ins=d["instructors"], rooms=d["rooms"])
        if f.kind == "unservable":
            return self.t("{day} {a}：{g} 年级 {n} 名学生没有任何可参加且有人带的组"
                          "（{fb}：有相关技能的教师 {k} 名，其中 {b} 名此时忙）",
                          "{day} {a}: {n} students of grade {g} have no group they may join "
                          "that anyone can lead ({fb}: {k} teachers have the skill, {b} of "
                          "them are busy then)", day=self.day(d["day"]),
                          a=format_clock(d["start"]), g=d["grade"], n=d["students"],
                          fb=d["fallback"] or "-", k=d["skilled"], b=d["busy"])
        if f.kind == "week":
            return self.t("每周至少需要 {h} 个看护课时，教师最多能给 {t}，外聘最多 {p}",
                          "at least {h} supervision class hours a week are needed; teachers "
                          "can give at most {t}, providers at most {p}", h=d["hours"],
                          t=d["teacher_hours"], p=d["provider_hours"])
        if f.kind == "budget":
            return self.t("预算 {b:,.0f} 元，但任何覆盖所有学生的课表至少花费 {l:,.0f} 元"
                          "（{h} 课时 × 最低 {c:g} 元/课时）：至少差 {s:,.0f} 元",
                          "budget {b:,.0f} yuan, but any covering timetable costs at least "
                          "{l:,.0f} yuan ({h} class hours × cheapest {c:g} yuan): short by at "
                          "least {s:,.0f} yuan", b=d["budget"], l=d["lower"], h=d["hours"],
                          c=d["cheapest"], s=d["short"])
        if f.kind == "no-staff":
            return self.t("没有人能带 {a}（需要技能 {k}；有该技能的教师 {t} 名，外聘 {p} 家，"
                          "但都不可安排）", "nobody can lead {a} (skill {k}: {t} teacher(s) and "
                          "{p} provider(s) have it, none can be scheduled)", a=d["label"],
                          k=d["skill"], t=d["teachers"], p=d["providers"])
        if f.kind == "late-dismissal":
            return self.t("{g} 年级{day}放学 {x}，{e} 前排不下一节 {h} 分钟的课：{n} 名学生"
                          "无法安排", "grade {g} on {day}: dismissal {x} leaves no whole "
                          "{h}-minute class hour before {e}; {n} students get no service",
                          g=d["grade"], day=self.day(d["day"]), x=format_clock(d["dismissal"]),
                          e=format_clock(d["latest_end"]), h=d["hour"], n=d["students"])
        if f.kind == "visit":
            return describe_visit(self, d)
        return self.t("{p} 的可用时间从不在放学之后", "{p} is never available after "
                      "dismissal", p=d["name"])
