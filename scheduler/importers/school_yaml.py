"""Write a school YAML from what a FET file says, with marked defaults for what it cannot say.

FET knows teachers, rooms, classes, days, hours and (given a generated timetable) who is
busy when and when each class's last lesson ends. It does not know clock times (unless
its hour names carry them), the term, after-school activities or sign-ups: those get
defaults marked `# TODO(edit)` in the written file. The result passes `afterschool check`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from models.common import DAYS, format_clock, format_window
from models.loader import Loaded, load_text
from scheduler.output import write_atomic

from .common import IdMaker, flow, slug
from .fet import FetSchool, hour_windows

SERVICE_DAYS = DAYS[:5]  # after-school service runs Monday to Friday
FALLBACK = "homework"
_TYPE_HINTS = (  # room types guessed from room names, in a few languages
    ("gym", re.compile(r"gym|sport|turnhalle|palestra|gimnas|体育|操场|fiel|pitch", re.I)),
    ("lab", re.compile(r"lab|实验|computer|informat|机房", re.I)),
    ("music", re.compile(r"music|musik|musica|音乐", re.I)),
)


@dataclass
class Defaults:
    """The user's choices for what FET cannot say."""

    school_id: str = ""
    day_start: int = 8 * 60
    lesson_minutes: int = 45
    break_minutes: int = 10
    class_hour_minutes: int = 40  # the after-school class hour (primary: 40; junior: 45)
    latest_end: int = 18 * 60
    room_capacity: int = 40  # for rooms FET leaves unlimited
    today: dt.date | None = None  # fixes the default term in tests


def import_fet(school: FetSchool, out: Path, defaults: Defaults) -> Loaded:
    """Write the school YAML to `out` (atomically) after checking it loads; return it loaded."""
    text = school_yaml(school, defaults)
    loaded = load_text(text, str(out), base_dir=out.parent)  # never write a file `check` refuses
    write_atomic(out, text)
    return loaded


def school_yaml(school: FetSchool, defaults: Defaults) -> str:
    """The whole YAML text: header, term, policy and one school."""
    windows, parsed = hour_windows(
        school.hours, defaults.day_start, defaults.lesson_minutes, defaults.break_minutes
    )
    days = _service_days(school)
    lines = _header(school, windows, parsed, days)
    lines += _term(defaults, days)
    lines += ["policy:", f"  latest_end: {flow(format_clock(defaults.latest_end))}", "schools:"]
    lines += _school(school, defaults, windows, days)
    return "\n".join(lines) + "\n"


def _service_days(school: FetSchool) -> dict[int, str]:
    """FET day index -> weekday, by position: the first FET day is Monday, and so on to Friday."""
    return {k: SERVICE_DAYS[k] for k in range(min(len(school.days), len(SERVICE_DAYS)))}


def _header(
    school: FetSchool, windows: list[tuple[int, int]], parsed: bool, days: dict[int, str]
) -> list[str]:
    lines = [
        f"# Imported by `afterschool import fet` from {school.source} (FET {school.version}).",
        "# Lines marked TODO(edit) hold defaults FET cannot know: check them before solving.",
    ]
    if school.timetable_source:
        lines.append(
            f"# Busy times and dismissals come from the timetable {school.timetable_source}."
        )
    else:
        lines.append("# No FET timetable was given: teachers have no busy times and every grade is")
        lines.append("# dismissed at the end of FET's last hour. TODO(edit), or pass --timetable.")
    mapping = ", ".join(f"{flow(school.days[k])}={day}" for k, day in days.items())
    lines.append(f"# FET days by position: {mapping}")
    if len(school.days) > len(days):
        lines.append(
            f"# FET lists {len(school.days)} days; only the first {len(days)} are school days here."
        )
    how = (
        "read from FET's hour names"
        if parsed
        else "TODO(edit): default day, FET hour names carry no times"
    )
    lines.append(f"# FET hours as clock times ({how}):")
    lines += [
        f"#   {flow(name)} = {format_window(w)}"
        for name, w in zip(school.hours, windows, strict=True)
    ]
    return lines


def _term(defaults: Defaults, days: dict[int, str]) -> list[str]:
    start, end = _default_term(defaults.today or dt.date.today())
    return [
        "version: 1",
        "language: zh",
        "term:  # TODO(edit): the term's name, dates and holidays",
        f"  name: {flow(f'{start.year} term')}",
        f"  start: {start.isoformat()}",
        f"  end: {end.isoformat()}",
        f"  weekdays: {flow(list(days.values()))}",
        "  holidays: []",
    ]


def _default_term(today: dt.date) -> tuple[dt.date, dt.date]:
    """The next autumn or spring term: from the first Monday of September or of March, 19 weeks."""
    year, month = (today.year, 9) if 3 <= today.month < 9 else (today.year + (today.month >= 9), 3)
    first = dt.date(year, month, 1)
    start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    return start, start + dt.timedelta(weeks=19, days=-3)


def _school(
    school: FetSchool, defaults: Defaults, windows: list[tuple[int, int]], days: dict[int, str]
) -> list[str]:
    school_id = (
        defaults.school_id or slug(school.institution) or slug(Path(school.source).stem) or "school"
    )
    enrolled = sum(g.size for g in school.grades) or 30 * sum(len(g.classes) for g in school.grades)
    rooms = _rooms(school, defaults)
    lines = [
        f"  - id: {flow(school_id)}",
        f"    name: {flow(school.institution or school_id)}",
        f"    enrolled: {max(enrolled, 1)}  # TODO(edit): students enrolled; FET's sizes summed",
        f"    class_hour_minutes: {defaults.class_hour_minutes}  # TODO(edit): after-school hour",
        f"    break_minutes: {defaults.break_minutes}",
        "    grades:",
    ]
    lines += _grades(school, defaults, windows, days)
    lines += ["    rooms:  # TODO(edit): room types are guessed from the names"]
    lines += [f"      - {flow(room)}" + (f"  # {note}" if note else "") for room, note in rooms]
    lines += _teacher_lines(_teachers(school, windows, days))
    lines += ["    activities:  # TODO(edit): add the school's clubs, sports and arts"]
    lines += [f"      - {flow(_fallback(school, rooms))}"]
    lines += [
        "    students: []  # sign-ups: afterschool import signups SHEET --school "
        f"{school_id} --into THIS.yaml -o students.csv"
    ]
    return lines


def _grades(
    school: FetSchool, defaults: Defaults, windows: list[tuple[int, int]], days: dict[int, str]
) -> list[str]:
    last_hours = _last_hours(school)
    latest = defaults.latest_end - defaults.class_hour_minutes
    lines = []
    level = "year" if school.grades_from == "years" else "group"
    for grade in school.grades:
        classes = ", ".join(
            f"{c.id}={flow(c.fet_name)}" + (f" ({c.size})" if c.size else "") for c in grade.classes
        )
        lines.append(
            f"      # grade {grade.number} = FET {level} {flow(grade.fet_name)}: {classes}"
        )
        class_ids = {c.id for c in grade.classes}
        by_day = _dismissals(class_ids, last_hours, windows, days)
        if max(by_day.values()) > latest:
            lines.append(
                f"      # TODO(edit): lessons end after {format_clock(latest)}; "
                "dismissal moved there so one class hour fits"
            )
            by_day = {day: min(t, latest) for day, t in by_day.items()}
        lines.append(f"      {grade.number}: {{dismissal: {flow(_dismissal_value(by_day))}}}")
    return lines


def _last_hours(school: FetSchool) -> dict[tuple[str, int], int]:
    """(class id, FET day) -> index of the class's last busy hour that day, from the timetable."""
    last: dict[tuple[str, int], int] = {}
    for activity_id, (day, hour) in school.placements.items():
        activity = school.activities[activity_id]
        end = min(hour + activity.duration, len(school.hours)) - 1
        for name in activity.students:
            for class_id in school.classes_of_set.get(name, ()):
                last[(class_id, day)] = max(last.get((class_id, day), end), end)
    return last


def _dismissals(
    class_ids: set[str],
    last_hours: dict[tuple[str, int], int],
    windows: list[tuple[int, int]],
    days: dict[int, str],
) -> dict[str, int]:
    """Per weekday, when the grade's last class ends; a day without lessons gets the usual time."""
    ends: dict[str, int] = {}
    for (class_id, day), hour in last_hours.items():
        if day in days and class_id in class_ids:
            ends[days[day]] = max(ends.get(days[day], 0), windows[hour][1])
    usual = _usual(list(ends.values())) if ends else windows[-1][1]
    return {day: ends.get(day, usual) for day in days.values()}


def _usual(times: list[int]) -> int:
    """The most frequent time; on a tie the later one (nobody is dismissed before lessons end)."""
    counts = Counter(times)
    return max(counts, key=lambda t: (counts[t], t))


def _dismissal_value(by_day: dict[str, int]) -> object:
    usual = _usual(list(by_day.values()))
    others = {day: format_clock(t) for day, t in by_day.items() if t != usual}
    if not others:
        return format_clock(usual)
    return {"default": format_clock(usual), **others}


def _rooms(school: FetSchool, defaults: Defaults) -> list[tuple[dict[str, object], str]]:
    """FET's rooms with guessed types; home rooms per class when FET has no classroom."""
    ids = IdMaker("", "room")
    rooms = []
    for room in school.rooms:
        kind = next((k for k, pattern in _TYPE_HINTS if pattern.search(room.name)), "classroom")
        capacity = room.capacity or defaults.room_capacity
        note = f"FET {flow(room.name)}" + ("" if room.capacity else ", capacity unlimited in FET")
        rooms.append(({"id": ids.make(room.name), "type": kind, "capacity": capacity}, note))
    if not any(r["type"] == "classroom" for r, _ in rooms):
        for grade in school.grades:
            for c in grade.classes:
                home_room: dict[str, object] = {
                    "id": ids.make(f"room-{c.id}"),
                    "type": "classroom",
                    "capacity": max(c.size, defaults.room_capacity),
                    "class": c.id,
                }
                rooms.append((home_room, "generated home room: FET lists no classroom"))
    return rooms


def _teachers(
    school: FetSchool, windows: list[tuple[int, int]], days: dict[int, str]
) -> list[dict[str, object]]:
    ids = IdMaker("t-", "teacher")
    busy = _busy_slots(school)
    teachers = []
    for name in school.teachers:
        skills = [
            FALLBACK,
            *(s for s in map(slug, school.subjects_of(name)) if s and s != FALLBACK),
        ]
        record: dict[str, object] = {
            "id": ids.make(name),
            "name": name,
            "skills": list(dict.fromkeys(skills)),
        }
        windows_by_day = _busy_windows(busy.get(name, set()), windows, days)
        if windows_by_day:
            record["busy"] = windows_by_day
        teachers.append(record)
    return teachers


def _teacher_lines(teachers: list[dict[str, object]]) -> list[str]:
    if teachers:
        return ["    teachers:", *(f"      - {flow(t)}" for t in teachers)]
    # Without a teacher the homework fallback could never run.
    placeholder = {"id": "t-homework", "name": "TODO", "skills": [FALLBACK]}
    return [
        "    teachers:  # TODO(edit): FET lists no teachers; this one is a placeholder",
        f"      - {flow(placeholder)}",
    ]


def _busy_slots(school: FetSchool) -> dict[str, set[tuple[int, int]]]:
    """Teacher -> (FET day, FET hour) slots: their placed lessons and their not-available times."""
    busy: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for teacher, slots in school.not_available.items():
        busy[teacher] |= slots
    for activity_id, (day, hour) in school.placements.items():
        activity = school.activities[activity_id]
        for teacher in activity.teachers:
            last = min(hour + activity.duration, len(school.hours))
            busy[teacher].update((day, h) for h in range(hour, last))
    return busy


def _busy_windows(
    slots: set[tuple[int, int]], windows: list[tuple[int, int]], days: dict[int, str]
) -> dict[str, list[str]]:
    """Clock windows per weekday; consecutive FET hours join into one window."""
    result: dict[str, list[str]] = {}
    for index, day in days.items():
        hours = sorted(h for d, h in slots if d == index)
        runs: list[list[int]] = []
        for h in hours:
            if runs and runs[-1][-1] == h - 1:
                runs[-1].append(h)
            else:
                runs.append([h])
        if runs:
            result[day] = [format_window((windows[r[0]][0], windows[r[-1]][1])) for r in runs]
    return result


def _fallback(school: FetSchool, rooms: list[tuple[dict[str, object], str]]) -> dict[str, object]:
    """Supervised homework for every grade, led by any teacher: a valid, solvable start."""
    capacities = [int(str(r["capacity"])) for r, _ in rooms if r["type"] == "classroom"]
    return {
        "id": FALLBACK,
        "name": "课后作业辅导",
        "category": "homework",
        "grades": [g.number for g in school.grades],
        "class_hours": 1,
        "max_size": max(min(max(capacities), 45), 1),
        "room_type": "classroom",
        "skill": FALLBACK,
        "fallback": True,
    }
