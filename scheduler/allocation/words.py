"""The readable list `afterschool promote` prints and writes (`promoted.txt`), zh or en."""

from __future__ import annotations

from models.common import format_clock
from models.district import District
from models.solution import SectionOut, Withdrawal
from scheduler.views.i18n import Labels

from .promote import Outcome


def readable(district: District, outcome: Outcome, lang: str) -> list[str]:
    """Who left what, who was promoted into which section, and seats nobody could take."""
    zh = lang == "zh"
    lines = []
    for gone in _new_withdrawals(outcome):
        school = district.school(gone.school)
        activity = school.activity(gone.activity)
        name = activity.label if activity else gone.activity
        who = _student(district, gone.school, gone.student)
        lines.append(f"{who} 退出 {name}" if zh else f"{who} left {name}")
    for p in outcome.promoted:
        where = _section(district, p.section, lang)
        who = _student(district, p.school, p.student)
        lines.append(f"{who} 递补 {where}：第{p.rank + 1}志愿，候补第{p.place}位" if zh else
                     f"{who} promoted to {where}: choice {p.rank + 1}, place {p.place} on "
                     "the waiting list")
    for section, seats in outcome.unfilled:
        where = _section(district, section, lang)
        lines.append(f"{where}：{seats} 个空位，候补名单中无人能补" if zh else
                     f"{where}: {seats} seat(s) left free, nobody on the waiting list can "
                     "take them")
    if not outcome.promoted:
        lines.append("无人递补" if zh else "nobody promoted")
    return lines


def _new_withdrawals(outcome: Outcome) -> list[Withdrawal]:
    before = {(w.school, w.student, w.activity) for w in outcome.before}
    return [w for w in outcome.withdrawn if (w.school, w.student, w.activity) not in before]


def _student(district: District, school_id: str, student_id: str) -> str:
    student = next(s for s in district.school(school_id).students if s.id == student_id)
    return f"{student.name} ({student_id})" if student.name else student_id


def _section(district: District, section: SectionOut, lang: str) -> str:
    """`周二 16:20–17:50 足球（操场）` / `Tue 16:20–17:50 Football (field)`."""
    school = district.school(section.school)
    activity = school.activity(section.activity)
    room = next((r for r in school.rooms if r.id == section.room), None)
    name = activity.label if activity else section.activity
    place = room.label if room else section.room
    day = Labels("en" if lang == "en" else "zh").day(section.day)
    times = f"{format_clock(section.start)}–{format_clock(section.end)}"
    return f"{day} {times} {name}（{place}）" if lang == "zh" else f"{day} {times} {name} ({place})"
