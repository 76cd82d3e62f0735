"""A re-solve's changes against its base: `changes.json` and a list a timetabler reads.

"周二 16:20 足球 移到 周四 16:20；12 名学生调组" — in the file's language.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from constraints.changes.diff import Diff, SectionChange, diff
from models.common import format_clock
from models.district import District
from models.loader import Loaded
from models.solution import SectionOut, Solution

FORMAT = "afterschool-changes/1"
DAYS_ZH = {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五",
           "sat": "周六", "sun": "周日"}
DAYS_EN = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri",
           "sat": "Sat", "sun": "Sun"}


def former_district(loaded: Loaded) -> District | None:
    """The base district of a patched (scenario) input: names of people who left."""
    return loaded.patched_from


def changes_of(district: District, base: Solution, new: Solution) -> Diff:
    rosters = {s.id: {st.id for st in s.students} for s in district.schools}
    return diff(base.sections, new.sections, rosters)


def _teacher_name(districts: list[District], school_id: str, teacher_id: str) -> str:
    """A teacher's name in the new input, else in the base (a teacher who left)."""
    for district in districts:
        for school in district.schools:
            if school.id == school_id:
                for teacher in school.teachers:
                    if teacher.id == teacher_id:
                        return teacher.name or teacher.id
    return teacher_id


def _staff(district: District, section: SectionOut, lang: str,
           former: District | None = None) -> str:
    names = []
    for ref in section.staff:
        if ref.teacher:
            found = [district] if former is None else [district, former]
            names.append(_teacher_name(found, section.school, ref.teacher))
        else:
            provider = next((p for p in district.providers if p.id == ref.provider), None)
            names.append(provider.name or provider.id if provider else str(ref.provider))
    return "、".join(names) if lang == "zh" else ", ".join(names)


def _when(section: SectionOut, lang: str) -> str:
    days = DAYS_ZH if lang == "zh" else DAYS_EN
    return f"{days[section.day]} {format_clock(section.start)}"


def _label(district: District, change: SectionChange) -> str:
    try:
        activity = district.school(change.school).activity(change.activity)
    except KeyError:
        activity = None
    return activity.label if activity else change.activity


def section_line(district: District, change: SectionChange, lang: str,
                 former: District | None = None) -> str:
    """One change in words; `former`: the base district, for the names of people who left."""
    what = _label(district, change)
    old, new = change.before, change.after
    if lang == "zh":
        if old is None and new is not None:
            return f"新开 {_when(new, lang)} {what}（{_staff(district, new, lang)}，{new.room}）"
        if new is None and old is not None:
            return f"取消 {_when(old, lang)} {what}（{_staff(district, old, lang, former)}）"
        assert old is not None and new is not None
        if change.kind == "room":
            return f"{_when(old, lang)} {what} 教室 {old.room} 改为 {new.room}"
        if change.kind == "staff":
            return (f"{_when(old, lang)} {what} 由 {_staff(district, old, lang, former)} 改为 "
                    f"{_staff(district, new, lang)}")
        extra = "" if change.kind == "time" else f"，改由 {_staff(district, new, lang)}"
        return f"{_when(old, lang)} {what} 移到 {_when(new, lang)}{extra}"
    if old is None and new is not None:
        return f"new: {_when(new, lang)} {what} ({_staff(district, new, lang)}, {new.room})"
    if new is None and old is not None:
        return f"cancelled: {_when(old, lang)} {what} ({_staff(district, old, lang, former)})"
    assert old is not None and new is not None
    if change.kind == "room":
        return f"{_when(old, lang)} {what}: room {old.room} -> {new.room}"
    if change.kind == "staff":
        return (f"{_when(old, lang)} {what}: {_staff(district, old, lang, former)} -> "
                f"{_staff(district, new, lang)}")
    extra = "" if change.kind == "time" else f", now led by {_staff(district, new, lang)}"
    return f"{_when(old, lang)} {what} moved to {_when(new, lang)}{extra}"


def readable(district: District, found: Diff, lang: str,
             former: District | None = None) -> list[str]:
    """One line per section change, then per school the students moved."""
    lines = [section_line(district, c, lang, former) for c in found.sections]
    per_school: dict[str, int] = defaultdict(int)
    for move in found.students:
        per_school[move.school] += 1
    for school, count in sorted(per_school.items()):
        name = district.school(school).name or school
        lines.append(f"{name}：{count} 名学生调组" if lang == "zh"
                     else f"{name}: {count} student(s) moved to another group")
    if not lines:
        lines.append("与原课表相同，没有变动" if lang == "zh" else "no changes: same timetable")
    return lines


def changes_json(district: District, found: Diff, lang: str,
                 former: District | None = None) -> str:
    data: dict[str, Any] = {
        "format": FORMAT,
        "sections_changed": found.section_changes(),
        "students_moved": found.students_moved(),
        "student_sessions_moved": found.student_sessions(),
        "sections": [{
            "kind": c.kind, "school": c.school, "activity": c.activity,
            "before": c.before.id if c.before else None,
            "after": c.after.id if c.after else None,
            "text": section_line(district, c, lang, former)} for c in found.sections],
        "students": [{"school": m.school, "student": m.student,
                      "left": [_session(s) for s in m.lost],
                      "joined": [_session(s) for s in m.gained]} for m in found.students],
        "text": readable(district, found, lang, former),
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def _session(session: tuple[str, str, int]) -> dict[str, str]:
    activity, day, start = session
    return {"activity": activity, "day": day, "start": format_clock(start)}
