"""How explanations name, size and fix the budget rule (H7)."""

from __future__ import annotations

import math

from constraints.common.family import RuleText
from constraints.common.keys import Rule, RuleKey
from constraints.common.words import Fix, Words
from models.district import District
from models.instance import Instance


def _budget(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    school = words.school(key.school)
    budget = words.district.budget(school)
    text = words.t("{s} 本学期课后服务预算 {b:,.0f} 元", "{s}'s after-school budget this term "
                   "is {b:,.0f} yuan", s=school.name or school.id, b=budget)
    short = max((v / 100 - budget for v in fix.changes.values()), default=0)
    fix_text = words.t("预算至少差 {x:,.0f} 元", "budget short by at least {x:,.0f} yuan",
                       x=short) if short else ""
    return text, words.place("schools", key.school, "enrolled"), fix_text


def _raise_budget(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """A yearly rate per student that gives the school `value` fen this term."""
    school = district.school(key.school)
    share = district.policy_for(school).term_share or 1.0
    school.policy.term_share = share
    school.policy.budget_per_student_year = math.ceil(
        value / 100 / share / school.enrolled * 100 + 1) / 100


RULES: dict[Rule, RuleText] = {Rule.BUDGET: RuleText(_budget, _raise_budget)}
