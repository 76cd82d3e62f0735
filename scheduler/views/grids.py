"""Timetable grids: weekday columns × time rows, one block per section.

A grid belongs to a *subject*: the school, a grade, a class, a teacher, a provider, a room
or one student. Rows are cut at every start and end time of the subject's sections, so a
section covers whole rows; sections that overlap on a day (a school runs many at once) go
side by side in *lanes* of that day's column. A grid wider than WIDE lanes is laid out
again as a table per day with a line per room (`layout`, `DaySplit`). Every view (XLSX
merged cells, HTML tables) draws from this one layout, so they agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from models.common import format_clock
from models.solution import SectionOut

from .context import ViewData

KINDS = ("school", "grade", "class", "teacher", "provider", "room", "student")


@dataclass
class Subject:
    """Whose timetable: kind, key (an id, grade or class), a title, and their sections."""

    kind: str
    key: str
    title: str
    school: str | None
    sections: list[SectionOut] = field(default_factory=list)


@dataclass(frozen=True)
class Placement:
    section: SectionOut
    day: str
    lane: int
    row: int  # first time row
    rows: int  # time rows covered


@dataclass
class Grid:
    subject: Subject
    days: list[str]
    lanes: dict[str, int]  # columns of each day, at least 1
    times: list[int]  # row i runs from times[i] to times[i + 1]
    placements: list[Placement]

    def row_label(self, row: int) -> str:
        return f"{format_clock(self.times[row])}-{format_clock(self.times[row + 1])}"

    @property
    def row_count(self) -> int:
        return max(0, len(self.times) - 1)


def natural_key(text: str) -> list[object]:
    """Sort `3-10` after `3-9`: numbers inside names compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def build_grid(subject: Subject, days: list[str]) -> Grid:
    """Lay out the subject's sections: lanes per day, rows cut at every start and end."""
    times = sorted({t for s in subject.sections for t in (s.start, s.end)})
    row_of = {t: i for i, t in enumerate(times)}
    placements: list[Placement] = []
    lanes: dict[str, int] = {}
    for day in days:
        todays = sorted((s for s in subject.sections if s.day == day),
                        key=lambda s: (s.start, s.end, s.id))
        assigned = _assign_lanes(todays)
        lanes[day] = max(assigned, default=-1) + 1 or 1
        placements += [
            Placement(s, day, lane, row_of[s.start], row_of[s.end] - row_of[s.start])
            for s, lane in zip(todays, assigned, strict=True)
        ]
    return Grid(subject, days, lanes, times, placements)


# --- wide grids, split by day -------------------------------------------------------

WIDE = 10  # lane columns past which a week grid no longer reads on a screen or a page


@dataclass(frozen=True)
class Block:
    """A section in a day table: its line (a room), first time column and columns spanned."""

    section: SectionOut
    line: int
    column: int
    span: int


@dataclass
class DayTable:
    """One day of a wide grid: a line per room in use (two if its sections overlap)."""

    day: str
    rooms: list[str]  # the room of each line
    blocks: list[Block]


@dataclass
class DaySplit:
    """A wide grid (a school runs 60 sections at once) as one table per day: a line per
    room, the week's time cuts as columns. Every day shares the columns, so a printed
    sheet repeats one header."""

    subject: Subject
    times: list[int]
    tables: list[DayTable]

    def column_label(self, column: int) -> str:
        return f"{format_clock(self.times[column])}-{format_clock(self.times[column + 1])}"

    @property
    def column_count(self) -> int:
        return max(0, len(self.times) - 1)


def is_wide(grid: Grid) -> bool:
    return sum(grid.lanes.values()) > WIDE


def layout(subject: Subject, days: list[str]) -> Grid | DaySplit:
    """The week grid, or, when it is wider than WIDE lanes, the same sections split by day."""
    grid = build_grid(subject, days)
    return split_by_day(grid) if is_wide(grid) else grid


def split_by_day(grid: Grid) -> DaySplit:
    column_of = {t: i for i, t in enumerate(grid.times)}
    tables = []
    for day in grid.days:
        todays = [p.section for p in grid.placements if p.day == day]
        if not todays:
            continue
        rooms: list[str] = []
        blocks: list[Block] = []
        for room in sorted({s.room for s in todays}, key=natural_key):
            mine = sorted((s for s in todays if s.room == room), key=lambda s: (s.start, s.id))
            lanes = _assign_lanes(mine)  # a verified timetable has one lane per room
            first = len(rooms)
            rooms += [room] * (max(lanes) + 1)
            blocks += [Block(s, first + lane, column_of[s.start],
                             column_of[s.end] - column_of[s.start])
                       for s, lane in zip(mine, lanes, strict=True)]
        tables.append(DayTable(day, rooms, blocks))
    return DaySplit(grid.subject, grid.times, tables)


def _assign_lanes(sections: list[SectionOut]) -> list[int]:
    """Greedy interval colouring (sections sorted by start): the lowest free lane each."""
    lane_ends: list[int] = []
    result = []
    for section in sections:
        free = next((i for i, end in enumerate(lane_ends) if end <= section.start), None)
        if free is None:
            free = len(lane_ends)
            lane_ends.append(section.end)
        lane_ends[free] = section.end
        result.append(free)
    return result


def cell_lines(data: ViewData, section: SectionOut, kind: str, by_room: bool = False) -> list[str]:
    """What a grid cell says: activity, time, room, staff and size, less the obvious (the
    room, where the grid has a row per room)."""
    lines = [data.activity_label(section), data.time_label(section)]
    if kind != "room" and not by_room:
        lines.append(f"{data.labels('room')}: {data.section_room(section)}")
    if kind not in ("teacher", "provider"):
        lines.append(f"{data.labels('staff')}: {data.staff_label(section)}")
    if kind != "student":
        lines.append(f"{data.labels('size')}: {len(section.students)}")
    return lines


# --- subjects --------------------------------------------------------------------------


def school_subjects(data: ViewData, school_id: str) -> list[Subject]:
    """The school, then each grade, class, teacher, provider and room that has sections."""
    sections = data.sections_by_school[school_id]
    return [
        Subject("school", school_id, data.school_label(school_id), school_id, list(sections)),
        *_grouped(data, school_id, "grade", _grades_of(data, sections)),
        *_grouped(data, school_id, "class", _classes_of(data, sections)),
        *_grouped(data, school_id, "teacher", _staff_of(sections, "teacher")),
        *_grouped(data, school_id, "provider", _staff_of(sections, "provider")),
        *_grouped(data, school_id, "room", ((s.room, s) for s in sections)),
    ]


def teacher_subjects(data: ViewData, school_id: str) -> list[Subject]:
    """Teachers of the school who run sections."""
    pairs = _staff_of(data.sections_by_school[school_id], "teacher")
    return _grouped(data, school_id, "teacher", pairs)


def student_subjects(data: ViewData, school_id: str) -> list[Subject]:
    """One subject per student of the school, in roster order, with or without sections."""
    return [
        Subject("student", s.id, data.student_label(school_id, s.id), school_id,
                list(data.sections_by_student.get((school_id, s.id), [])))
        for s in data.schools[school_id].students
    ]


def provider_subjects(data: ViewData) -> list[Subject]:
    """Providers across the district (they serve several schools) that run sections."""
    pairs = _staff_of(data.sections, "provider")
    return _grouped(data, None, "provider", pairs)


def subject_for(data: ViewData, school: str | None, kind: str, key: str) -> Subject:
    """A subject with no weekly sections yet (a teacher who only goes on trips)."""
    return Subject(kind, key, _title(data, school, kind, key), school)


def _grouped(data: ViewData, school: str | None, kind: str,
             pairs: Iterable[tuple[str, SectionOut]]) -> list[Subject]:
    groups: dict[str, list[SectionOut]] = {}
    for key, section in pairs:
        bucket = groups.setdefault(key, [])
        if not bucket or bucket[-1] is not section:
            bucket.append(section)
    return [Subject(kind, key, _title(data, school, kind, key), school, groups[key])
            for key in sorted(groups, key=natural_key)]


def _title(data: ViewData, school: str | None, kind: str, key: str) -> str:
    if kind == "grade":
        return data.labels.grade(int(key))
    if kind == "teacher" and school is not None:
        name = data.teachers[(school, key)].name
        return f"{name} ({key})" if name else key
    if kind == "provider":
        return data.providers[key].name or key
    if kind == "room" and school is not None:
        return data.room_title(school, key)
    return key


def _grades_of(data: ViewData, sections: list[SectionOut]) -> Iterable[tuple[str, SectionOut]]:
    for section in sections:
        grades = {data.student(section.school, s).grade for s in section.students}
        yield from ((str(g), section) for g in sorted(grades))


def _classes_of(data: ViewData, sections: list[SectionOut]) -> Iterable[tuple[str, SectionOut]]:
    for section in sections:
        classes = {data.student(section.school, s).class_ for s in section.students}
        yield from ((c, section) for c in sorted(c for c in classes if c))


def _staff_of(sections: Iterable[SectionOut], kind: str) -> Iterable[tuple[str, SectionOut]]:
    for section in sections:
        ids = {getattr(staff, kind) for staff in section.staff} - {None}
        yield from ((i, section) for i in sorted(ids))
