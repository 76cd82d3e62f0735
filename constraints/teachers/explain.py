"""How explanations name, size and fix the teacher rules (H3)."""

from __future__ import annotations

from constraints.common.family import RuleText
from constraints.common.keys import Rule, RuleKey
from constraints.common.words import Fix, Words
from models.common import format_window
from models.district import District, Teacher
from models.instance import Instance


def _cap(words: Words, key: RuleKey, which: str) -> int:
    data = words.instance.school_data(key.school)
    teacher = data.teacher(key.who)
    return teacher.week_cap(data.policy) if which == "week" else teacher.day_cap(data.policy)


def _week_cap(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    _, name, where = words.teacher(key.school, key.who)
    old = int(fix.old_or(_cap(words, key, "week")))
    text = words.t("{n} 每周最多 {c} 课时", "{n} may lead at most {c} class hours a week",
                   n=name, c=old)
    fix_text = words.t("把 {n} 的每周上限从 {a} 提高到 {b} 课时",
                       "raise {n}'s weekly cap from {a} to {b} class hours",
                       n=name, a=old, b=int(fix.new)) if fix.new is not None else ""
    return text, where, fix_text


def _day_cap(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    _, name, where = words.teacher(key.school, key.who)
    old = int(fix.old_or(_cap(words, key, "day")))
    day = words.day(key.day)
    text = words.t("{n} {d} 最多 {c} 课时", "{n} may lead at most {c} class hours on {d}",
                   n=name, d=day, c=old)
    fix_text = words.t("把 {n} 的每日上限从 {a} 提高到 {b} 课时（{d}）",
                       "raise {n}'s daily cap from {a} to {b} class hours ({d})",
                       n=name, a=old, b=int(fix.new), d=day) if fix.new is not None else ""
    return text, where, fix_text


def _busy(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    teacher, name, where = words.teacher(key.school, key.who)
    hours = ", ".join(format_window(w) for w in teacher.busy.get(key.day, []))  # type: ignore[call-overload]
    text = words.t("{n} {d} 忙于日间课表（{h}）", "{n} is busy on {d} with daytime duties ({h})",
                   n=name, d=words.day(key.day), h=hours)
    fix_text = words.t("{d} 让 {n} 腾出 {b} 节课后服务", "free {n} on {d} for {b} after-school "
                       "group(s)", n=name, d=words.day(key.day), b=int(fix.new)) \
        if fix.new else ""
    return text, where, fix_text


def _teacher(district: District, key: RuleKey) -> Teacher:
    return next(t for t in district.school(key.school).teachers if t.id == key.who)


def _set_week_cap(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    _teacher(district, key).max_class_hours_week = int(value)


def _set_day_cap(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    _teacher(district, key).max_class_hours_day = int(value)


def _free_day(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """Free the teacher's daytime timetable that day."""
    _teacher(district, key).busy.pop(key.day, None)  # type: ignore[call-overload]


def _week_caps(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    return words.many(fix, "所有教师的每周课时上限", "the weekly caps of all teachers",
                      "课时", "class hours")


def _day_caps(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    return words.many(fix, "所有教师的每日课时上限", "the daily caps of all teachers",
                      "课时", "class hours")


def _busy_all(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    day = words.day(key.day)
    return words.many(fix, f"教师们{day}的日间课表", f"the teachers' daytime duties on {day}",
                      "节课后服务", "after-school group(s)")


RULES: dict[Rule, RuleText] = {
    Rule.TEACHER_WEEK_CAP: RuleText(
        _week_cap, _set_week_cap,
        coarse=lambda instance, k: RuleKey(Rule.TEACHER_WEEK_CAPS, k.school)),
    Rule.TEACHER_DAY_CAP: RuleText(
        _day_cap, _set_day_cap,
        coarse=lambda instance, k: RuleKey(Rule.TEACHER_DAY_CAPS, k.school)),
    Rule.TEACHER_BUSY: RuleText(
        _busy, _free_day,
        coarse=lambda instance, k: RuleKey(Rule.TEACHER_BUSY_ALL, k.school, day=k.day)),
    Rule.TEACHER_WEEK_CAPS: RuleText(_week_caps),
    Rule.TEACHER_DAY_CAPS: RuleText(_day_caps),
    Rule.TEACHER_BUSY_ALL: RuleText(_busy_all),
}
