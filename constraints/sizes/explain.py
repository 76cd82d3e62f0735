"""How explanations name, size and fix the size rules (H6)."""

from __future__ import annotations

from constraints.common.family import RuleText, Sizing
from constraints.common.keys import Rule, RuleKey
from constraints.common.words import Fix, Words
from models.district import Activity, District
from models.instance import Instance


def _min_size(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    activity, name, where = words.activity(key.school, key.activity, "min_size")
    old = fix.old_or(0) or activity.min_size
    text = words.t("{a} 每组至少 {m} 人", "a group of {a} needs at least {m} students",
                   a=name, m=old)
    fix_text = words.t("把 {a} 的最少人数从 {x} 降到 {y}", "lower {a}'s min_size from {x} "
                       "to {y}", a=name, x=old, y=int(fix.new)) if fix.new is not None else ""
    return text, where, fix_text


def _max_size(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    activity, name, where = words.activity(key.school, key.activity, "max_size")
    old = fix.old_or(0) or activity.max_size
    text = words.t("{a} 每组最多 {m} 人", "a group of {a} holds at most {m} students",
                   a=name, m=old)
    fix_text = words.t("把 {a} 每组人数上限（及其教室）从 {x} 提高到 {y}",
                       "let groups of {a} (and their rooms) hold {y} instead of {x}",
                       a=name, x=old, y=int(fix.new)) if fix.new is not None else ""
    return text, where, fix_text


def _max_sections(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    activity, name, where = words.activity(key.school, key.activity, "max_sections_week")
    old = activity.max_sections_week
    text = words.t("{a} 每周最多开 {m} 组", "{a} opens at most {m} group(s) a week",
                   a=name, m=old)
    fix_text = words.t("把 {a} 每周最多组数从 {x} 提高到 {y}", "raise {a}'s "
                       "max_sections_week from {x} to {y}", a=name, x=old, y=int(fix.new)) \
        if fix.new is not None else ""
    return text, where, fix_text


def _activity(district: District, key: RuleKey) -> Activity:
    return next(a for a in district.school(key.school).activities if a.id == key.activity)


def _set_min_size(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    _activity(district, key).min_size = int(value)


def _set_max_sections(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    _activity(district, key).max_sections_week = int(value)


RULES: dict[Rule, RuleText] = {
    # One guard per activity: a school changes the activity's minimum, not one section's.
    Rule.MIN_SIZE: RuleText(_min_size, _set_min_size, fine=lambda k: k.without("day", "minute"),
                            sizing=Sizing.MIN_SIZE),
    # Always enforced: without it students could sit in groups that never open.
    Rule.MAX_SIZE: RuleText(_max_size, fine=lambda k: None, sizing=Sizing.NONE),
    Rule.MAX_SECTIONS_WEEK: RuleText(_max_sections, _set_max_sections),
}
