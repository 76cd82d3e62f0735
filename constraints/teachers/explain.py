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


def _field(words: Words, key: RuleKey, name: str, default: str | None) -> str | None:
    """Where the teacher's own field is written, else where the teacher is."""
    return words.place("schools", key.school, "teachers", key.who, name) or default


def _week_cap(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    _, name, where = words.teacher(key.school, key.who)
    old = int(fix.old_or(_cap(words, key, "week")))
    text = words.t("{n} 每周最多 {c} 课时（max_class_hours_week）",
                   "{n} may lead at most {c} class hours a week (max_class_hours_week)",
                   n=name, c=old)
    fix_text = words.t("把 {n} 的 max_class_hours_week 从 {a} 提高到至少 {b}",
                       "raise {n}'s max_class_hours_week from {a} to at least {b}",
                       n=name, a=old, b=int(fix.new)) if fix.new is not None else ""
    return text, _field(words, key, "max_class_hours_week", where), fix_text


def _day_cap(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    _, name, where = words.teacher(key.school, key.who)
    old = int(fix.old_or(_cap(words, key, "day")))
    day = words.day(key.day)
    text = words.t("{n} {d} 最多 {c} 课时（max_class_hours_day）",
                   "{n} may lead at most {c} class hours on {d} (max_class_hours_day)",
                   n=name, d=day, c=old)
    fix_text = words.t("把 {n} 的 max_class_hours_day 从 {a} 提高到至少 {b}（{d}）",
                       "raise {n}'s max_class_hours_day from {a} to at least {b} ({d})",
                       n=name, a=old, b=int(fix.new), d=day) if fix.new is not None else ""
    return text, _field(words, key, "max_class_hours_day", where), fix_text


def _busy(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    teacher, name, where = words.teacher(key.school, key.who)
    hours = ", ".join(format_window(w) for w in teacher.busy.get(key.day, []))  # type: ignore[call-overload]
    text = words.t("{n} {d} 忙于日间课表（{h}）", "{n} is busy on {d} with daytime duties ({h})",
                   n=name, d=words.day(key.day), h=hours)
    fix_text = words.t("{d} 让 {n} 腾出 {b} 节课后服务", "free {n} on {d} for {b} after-school "
                       "group(s)", n=name, d=words.day(key.day), b=int(fix.new)) \
        if fix.new else ""
    return text, where, fix_text


def _skill(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    _, name, where = words.teacher(key.school, key.who)
    activity, label, _ = words.activity(key.school, key.activity, "skill")
    text = words.t("{n} 没有 {a} 需要的技能 {k}（skills）",
                   "{n} lacks the skill {k} that {a} needs (skills)",
                   n=name, a=label, k=activity.skill)
    fix_text = words.t("给 {n} 的 skills 加上 {k}（需要 {b} 组）",
                       "add {k} to {n}'s skills ({b} group(s) needed)",
                       n=name, k=activity.skill, b=int(fix.new)) if fix.new else ""
    return text, _field(words, key, "skills", where), fix_text


def _affiliated(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    teacher, name, where = words.teacher(key.school, key.who)
    providers = ", ".join(teacher.affiliations)
    text = words.t("{n} 隶属于外聘机构 {p}，不得在课后服务任课（affiliations）",
                   "{n} is affiliated with provider {p}, so may not lead groups (affiliations)",
                   n=name, p=providers)
    fix_text = words.t("核实后从 {n} 的 affiliations 删去 {p}（需要 {b} 组）",
                       "once checked, remove {p} from {n}'s affiliations ({b} group(s) needed)",
                       n=name, p=providers, b=int(fix.new)) if fix.new else ""
    return text, _field(words, key, "affiliations", where), fix_text


def _teacher(district: District, key: RuleKey) -> Teacher:
    return next(t for t in district.school(key.school).teachers if t.id == key.who)


def _set_week_cap(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    _teacher(district, key).max_class_hours_week = int(value)


def _set_day_cap(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    _teacher(district, key).max_class_hours_day = int(value)


def _free_day(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """Free the teacher's daytime timetable that day."""
    _teacher(district, key).busy.pop(key.day, None)  # type: ignore[call-overload]


def _add_skill(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    skill = next(a for a in district.school(key.school).activities if a.id == key.activity).skill
    _teacher(district, key).skills.append(skill)


def _unaffiliate(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    _teacher(district, key).affiliations = []


def _skills_all(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    return words.many(fix, "教师们缺少的看护技能", "the supervision skills teachers lack",
                      "组", "group(s)")


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
    Rule.TEACHER_SKILL: RuleText(
        _skill, _add_skill,
        coarse=lambda instance, k: RuleKey(Rule.TEACHER_SKILLS_ALL, k.school)),
    Rule.TEACHER_AFFILIATED: RuleText(_affiliated, _unaffiliate),
    Rule.TEACHER_SKILLS_ALL: RuleText(_skills_all),
    Rule.TEACHER_WEEK_CAPS: RuleText(_week_caps),
    Rule.TEACHER_DAY_CAPS: RuleText(_day_caps),
    Rule.TEACHER_BUSY_ALL: RuleText(_busy_all),
}
