"""How explanations name, size and fix the student rules (H5): supervision and club limits."""

from __future__ import annotations

import math

from constraints.common.family import RuleText, Sizing
from constraints.common.keys import Rule, RuleKey
from constraints.common.words import Fix, Words
from models.common import format_clock
from models.district import District
from models.instance import Group, Instance


def group_of(instance: Instance, key: RuleKey) -> Group:
    return instance.school_data(key.school).groups[key.group]


def _coverage(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    group = group_of(words.instance, key)
    until = format_clock(group.window_end[key.day])  # type: ignore[index]
    who = words.t("{g} 年级{c}的 {n} 名学生", "{n} student(s) of grade {g}{c}", g=group.grade,
                  n=group.size, c=words.t("（{x} 班）", " (class {x})", x=group.class_)
                  if group.class_ else "")
    text = words.t("{who}{d}需要看护到 {u}", "{who} need supervision on {d} until {u}",
                   who=who, d=words.day(key.day), u=until)
    fix_text = words.t("{d}{who}的看护无人能给：请调整他们的报名日或增加当天有空的人员",
                       "{who} on {d} need supervision nobody can give: change their "
                       "registered days or add staff free then", who=who, d=words.day(key.day))
    where = words.place("schools", key.school, "students", group.students[0].id)
    return text, where, fix_text


def _clubs(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    group = group_of(words.instance, key)
    policy = words.instance.school_data(key.school).policy
    text = words.t("学生每周最多参加 {m} 次社团", "a student joins at most {m} club "
                   "sessions a week", m=policy.max_clubs_per_student_week)
    return text, None, words.t("{g} 年级学生需要更多社团次数", "students of grade {g} need "
                               "more club sessions", g=group.grade)


def _drop_day(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """The group's students no longer register that day (nobody can supervise them)."""
    ids = {s.id for s in group_of(instance, key).students}
    for student in district.school(key.school).students:
        if student.id in ids:
            student.days = [d for d in student.days if d != key.day]


def _more_clubs(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    school = district.school(key.school)
    size = group_of(instance, key).size
    school.policy.max_clubs_per_student_week = math.ceil(value / size)


def _coverage_grade(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    text = words.t("{g} 年级{d}报名的学生需要看护", "students of grade {g} registered on {d} "
                   "need supervision", g=key.grade, d=words.day(key.day))
    fix_text = words.t("{d} {g} 年级最多 {n} 名学生的看护无人能给", "up to {n} students of "
                       "grade {g} on {d} need supervision nobody can give", g=key.grade,
                       d=words.day(key.day), n=fix.students)
    return text, None, fix_text


def _clubs_all(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    return words.many(fix, "每周社团次数上限", "the weekly club limit", "次", "sessions")


def _grade_day(instance: Instance, key: RuleKey) -> RuleKey:
    grade = group_of(instance, key).grade
    return RuleKey(Rule.COVERAGE_GRADE, key.school, grade=grade, day=key.day)


RULES: dict[Rule, RuleText] = {
    # One guard per group and day: a school changes who comes when, not one period.
    Rule.COVERAGE: RuleText(_coverage, _drop_day, fine=lambda k: k.without("minute"),
                            coarse=_grade_day, sizing=Sizing.STUDENTS),
    Rule.CLUBS_PER_WEEK: RuleText(
        _clubs, _more_clubs,
        coarse=lambda instance, k: RuleKey(Rule.CLUBS_PER_WEEK_ALL, k.school)),
    Rule.COVERAGE_GRADE: RuleText(_coverage_grade, sizing=Sizing.STUDENTS),
    Rule.CLUBS_PER_WEEK_ALL: RuleText(_clubs_all),
}
