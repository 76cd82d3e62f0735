"""Parents' notices (通知): one short text per student, ready for a class's message group.

`notices/<school>.csv` (UTF-8 with BOM, one row per student: class, id, name, the text)
and `notices/<school>.html`, a printable A4 page with the notices class by class, each
class starting a page. A notice lists the child's week in order, the sections of one
activity and room that follow each other within a break joined into one
(`周二 15:50–17:20 课后作业辅导（301教室）`), and any waiting-list places the child holds.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from models.common import DAYS, format_clock
from models.district import Student
from models.solution import SectionOut

from .context import ViewData
from .files import safe_name, write_text
from .tables import write_csv

COLUMNS = ("class", "student_no", "student_name", "notice")


Places = dict[tuple[str, str], list[tuple[str, int]]]  # (school, student) -> (activity, place)


def notice(data: ViewData, school_id: str, student: Student,
           places: Places | None = None) -> str:
    """The child's notice in the views' language (`places`: `waiting_places(data)`)."""
    zh = data.labels.lang == "zh"
    name = student.name or student.id
    parts = [_part(data, block) for block in _blocks(data, school_id, student.id)]
    waiting = (places if places is not None else waiting_places(data)).get(
        (school_id, student.id), [])
    if zh:
        text = f"{name}同学本学期课后服务：" + ("；".join(parts) if parts else "本学期未安排")
        if waiting:
            text += "；候补：" + "、".join(f"{label}第{place}位" for label, place in waiting)
        return text + "。"
    text = f"{name}'s after-school service this term: " + ("; ".join(parts) or "none")
    if waiting:
        text += "; waiting list: " + ", ".join(f"{label} (place {place})"
                                               for label, place in waiting)
    return text + "."


def _blocks(data: ViewData, school_id: str, student_id: str) -> list[list[SectionOut]]:
    """The child's sections by weekday and start, runs of one activity and room joined."""
    mine = sorted(data.sections_by_student.get((school_id, student_id), []),
                  key=lambda s: (DAYS.index(s.day), s.start))
    school = data.schools[school_id]
    blocks: list[list[SectionOut]] = []
    for section in mine:
        last = blocks[-1][-1] if blocks else None
        if (last is not None and last.day == section.day and last.activity == section.activity
                and last.room == section.room
                and section.start - last.end <= school.break_minutes):
            blocks[-1].append(section)
        else:
            blocks.append([section])
    return blocks


def _part(data: ViewData, block: list[SectionOut]) -> str:
    first, last = block[0], block[-1]
    times = f"{format_clock(first.start)}–{format_clock(last.end)}"
    room = data.section_room(first)
    where = f"（{room}）" if data.labels.lang == "zh" else f" ({room})"
    return f"{data.labels.day(first.day)} {times} {data.activity_label(first)}{where}"


def waiting_places(data: ViewData) -> Places:
    """Each child's waiting-list places: (activity label, 1-based place), list by list."""
    found: Places = {}
    for waitlist in data.solution.waitlists:
        activity = data.activities.get((waitlist.school, waitlist.activity))
        label = activity.label if activity else waitlist.activity
        for place, student_id in enumerate(waitlist.students, start=1):
            found.setdefault((waitlist.school, student_id), []).append((label, place))
    return found


def _by_class(data: ViewData, school_id: str) -> dict[str, list[Student]]:
    """Students with registered days, class by class (classes sorted, roster order within)."""
    classes: dict[str, list[Student]] = {}
    for student in data.schools[school_id].students:
        if student.days:
            classes.setdefault(student.class_ or data.labels.grade(student.grade), []).append(
                student)
    return dict(sorted(classes.items()))


def write_notices(data: ViewData, out: Path) -> list[Path]:
    """`<school>.csv` and `<school>.html` for every school, into `out`."""
    written = []
    places = waiting_places(data)
    for school_id in data.schools:
        texts = {klass: [(st, notice(data, school_id, st, places)) for st in students]
                 for klass, students in _by_class(data, school_id).items()}
        rows = [[klass, st.id, st.name, text] for klass, pairs in texts.items()
                for st, text in pairs]
        name = safe_name(school_id)
        written.append(write_csv(out / f"{name}.csv", [data.labels(c) for c in COLUMNS], rows))
        written.append(write_text(out / f"{name}.html", _page(data, school_id, texts)))
    return written


PRINT_STYLE = (
    "@page{size:A4;margin:15mm}body{font-family:sans-serif;font-size:11pt;margin:0 auto;"
    "max-width:180mm}section{break-before:page}section:first-of-type{break-before:auto}"
    "h1{font-size:15pt}h2{font-size:13pt;border-bottom:1px solid #999}"
    "p.notice{margin:0 0 3mm;padding:2mm 0;border-bottom:1px dashed #ccc;"
    "break-inside:avoid}"
)


def _page(data: ViewData, school_id: str,
          texts: dict[str, list[tuple[Student, str]]]) -> str:
    labels = data.labels
    title = (f"{data.school_label(school_id)} — {labels('notices')} — "
             f"{data.district.term.name}")
    body = "".join(
        f"<section><h2>{escape(klass)}</h2>"
        + "".join(f'<p class="notice">{escape(text)}</p>' for _, text in pairs) + "</section>"
        for klass, pairs in texts.items())
    return (f'<!DOCTYPE html><html lang="{labels.lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{PRINT_STYLE}</style></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>")
