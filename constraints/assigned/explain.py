"""How explanations name and fix an assignment no timetable can keep."""

from __future__ import annotations

from constraints.common.family import RuleText, Sizing
from constraints.common.keys import Rule, RuleKey
from constraints.common.words import Fix, Words
from models.district import District
from models.instance import Instance


def _student(instance: Instance, key: RuleKey) -> str:
    return instance.school_data(key.school).groups[key.group].students[0].id


def _assigned(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    student_id = _student(words.instance, key)
    student = next(s for s in words.school(key.school).students if s.id == student_id)
    _, name, _ = words.activity(key.school, key.activity, "id")
    reason = words.t("（{r}）", " ({r})", r=student.assigned_reason) if student.assigned_reason \
        else ""
    text = words.t("学生 {s} 被指定参加{a}{r}", "student {s} is assigned {a}{r}", s=student_id,
                   a=name, r=reason)
    fix_text = words.t("取消学生 {s} 对{a}的指定，或让{a}在该学生能参加的时间开班",
                       "drop the assignment of student {s} to {a}, or open {a} at a time the "
                       "student can attend", s=student_id, a=name)
    where = words.place("schools", key.school, "students", student_id, "assigned")
    return text, where, fix_text


def _drop(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """The student is no longer assigned the activity."""
    student_id = _student(instance, key)
    school = district.school(key.school)
    for student in school.students:
        if student.id == student_id:
            student.assigned = [a for a in student.assigned
                                if (found := school.activity(a)) is None
                                or found.id != key.activity]


RULES: dict[Rule, RuleText] = {
    Rule.ASSIGNED: RuleText(_assigned, _drop, sizing=Sizing.STUDENTS),
}
