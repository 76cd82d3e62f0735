"""Read a FET file (`.fet`, the free timetabling program's XML) and its generated timetable.

What is read: days, hours, teachers (with subjects and not-available times), rooms with
capacities, student sets as grades and classes with sizes, and the activities; from a
generated timetable (`*_activities.xml` or `*_data_and_timetable.fet`) each activity's
day and starting hour. Turning this into a school YAML is `school_yaml`'s job.
"""

from __future__ import annotations

import re
import statistics
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from models.problems import InputError, Location, Problem

UNLIMITED_CAPACITY = 1000  # FET's default capacity is 30000 ("no limit"); also 1000 and 15000

Slot = tuple[int, int]  # (day index, hour index) in the FET file's own order


@dataclass
class FetClass:
    id: str  # our class id, "<grade>-<n>"
    fet_name: str
    size: int


@dataclass
class FetGrade:
    number: int
    fet_name: str
    size: int
    classes: list[FetClass] = field(default_factory=list)


@dataclass
class FetActivity:
    id: str
    teachers: list[str]
    students: list[str]
    subject: str
    duration: int


@dataclass
class FetRoom:
    name: str
    capacity: int | None  # None: FET left it unlimited


@dataclass
class FetSchool:
    """What a FET file says about a school, in FET's own names and order."""

    source: str
    version: str
    institution: str
    days: list[str]
    hours: list[str]
    teachers: list[str]
    grades: list[FetGrade]
    rooms: list[FetRoom]
    activities: dict[str, FetActivity]
    classes_of_set: dict[str, set[str]]  # FET year/group/subgroup name -> our class ids
    not_available: dict[str, set[Slot]]  # teacher -> slots FET marks as not available
    grades_from: str = "years"  # "years" or "groups": which FET level became our grades
    placements: dict[str, Slot] = field(default_factory=dict)  # from a generated timetable
    timetable_source: str = ""

    def subjects_of(self, teacher: str) -> list[str]:
        subjects = {a.subject for a in self.activities.values() if teacher in a.teachers}
        return sorted(s for s in subjects if s)


def read_fet(path: Path, grades_from: str = "auto") -> FetSchool:
    """Read a `.fet` file; raise `InputError` (with the file's name) if it is not one."""
    root = _parse(path, "fet")
    years = root.find("Students_List")
    mode = _grade_level(years, grades_from)
    grades, classes_of_set = _student_sets(years, mode)
    days = _names(root, "Days_List", "Day")
    hours = _names(root, "Hours_List", "Hour")
    if not days or not hours or not grades:
        message = "the FET file lists no days, no hours or no students (years)"
        raise InputError([Problem(Location(str(path), 1), message)])
    school = FetSchool(
        source=str(path),
        version=root.get("version", "?"),
        institution=(root.findtext("Institution_Name") or "").strip(),
        days=days,
        hours=hours,
        teachers=_names(root, "Teachers_List", "Teacher"),
        grades=grades,
        rooms=_rooms(root),
        activities=_activities(root),
        classes_of_set=classes_of_set,
        not_available={},
        grades_from=mode,
    )
    school.not_available = _teachers_not_available(root, school)
    return school


def _parse(path: Path, root_tag: str) -> ET.Element:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line, col = exc.position
        raise InputError(
            [Problem(Location(str(path), line, col + 1), f"not valid XML: {exc.msg}")]
        ) from None
    except OSError as exc:
        raise InputError(
            [Problem(Location(str(path), 1), f"cannot read the file: {exc.strerror}")]
        ) from None
    if root.tag != root_tag:
        message = f"expected a FET file (<{root_tag}> root element), found <{root.tag}>"
        raise InputError([Problem(Location(str(path), 1), message)])
    return root


def _text(element: ET.Element | None, tag: str) -> str:
    return (element.findtext(tag) or "").strip() if element is not None else ""


def _names(root: ET.Element, list_tag: str, item_tag: str) -> list[str]:
    """Names in a FET list; older files put `<Name>` directly under the list."""
    listing = root.find(list_tag)
    if listing is None:
        return []
    items = listing.findall(item_tag)
    if items:
        return [_text(item, "Name") for item in items]
    return [(name.text or "").strip() for name in listing.findall("Name")]


def _size(element: ET.Element) -> int:
    try:
        return max(0, int(_text(element, "Number_of_Students") or 0))
    except ValueError:
        return 0


def _grade_level(students: ET.Element | None, grades_from: str) -> str:
    """Years are grades, unless one year holds the school with groups (grades) of subgroups."""
    if grades_from != "auto":
        return grades_from
    years = [] if students is None else students.findall("Year")
    if len(years) == 1:
        groups = years[0].findall("Group")
        if len(groups) > 1 and all(g.findall("Subgroup") for g in groups):
            return "groups"
    return "years"


def _student_sets(
    students: ET.Element | None, mode: str
) -> tuple[list[FetGrade], dict[str, set[str]]]:
    """Grades and classes in file order, and which classes each FET student set names."""
    years = [] if students is None else students.findall("Year")
    classes_of: dict[str, set[str]] = defaultdict(set)
    levels = years if mode == "years" else [g for y in years for g in y.findall("Group")]
    inner = "Group" if mode == "years" else "Subgroup"
    grades = []
    for number, level in enumerate(levels, start=1):
        grade = FetGrade(number, _text(level, "Name"), _size(level))
        members = level.findall(inner) or [level]
        for k, member in enumerate(members, start=1):
            fet_class = FetClass(f"{number}-{k}", _text(member, "Name"), _size(member))
            grade.classes.append(fet_class)
            _register(member, fet_class.id, classes_of)
        for name in _set_names(level, above=mode == "groups", years=years):
            classes_of[name].update(c.id for c in grade.classes)
        grades.append(grade)
    return grades, dict(classes_of)


def _register(member: ET.Element, class_id: str, classes_of: dict[str, set[str]]) -> None:
    """A class answers to its own name and to the names of the sets inside it."""
    classes_of[_text(member, "Name")].add(class_id)
    for inner in member.iter():
        if inner.tag in ("Group", "Subgroup"):
            classes_of[_text(inner, "Name")].add(class_id)


def _set_names(level: ET.Element, above: bool, years: list[ET.Element]) -> list[str]:
    """Names that mean the whole grade: its own, and when grades are groups, their year's."""
    names = [_text(level, "Name")]
    if above:
        names += [_text(y, "Name") for y in years if level in y.findall("Group")]
    return names


def _rooms(root: ET.Element) -> list[FetRoom]:
    listing = root.find("Rooms_List")
    rooms = []
    for room in [] if listing is None else listing.findall("Room"):
        if _text(room, "Virtual") == "true":
            continue  # a FET-6 virtual room is a set of real rooms, listed on their own
        try:
            capacity: int | None = int(_text(room, "Capacity"))
        except ValueError:
            capacity = None
        if capacity is not None and not 0 < capacity < UNLIMITED_CAPACITY:
            capacity = None
        rooms.append(FetRoom(_text(room, "Name"), capacity))
    return rooms


def _activities(root: ET.Element) -> dict[str, FetActivity]:
    listing = root.find("Activities_List")
    activities = {}
    for item in [] if listing is None else listing.findall("Activity"):
        if _text(item, "Active") == "false":
            continue
        try:
            duration = max(1, int(_text(item, "Duration") or 1))
        except ValueError:
            duration = 1
        activity = FetActivity(
            id=_text(item, "Id"),
            teachers=[(t.text or "").strip() for t in item.findall("Teacher")],
            students=[(s.text or "").strip() for s in item.findall("Students")],
            subject=_text(item, "Subject"),
            duration=duration,
        )
        activities[activity.id] = activity
    return activities


def _teachers_not_available(root: ET.Element, school: FetSchool) -> dict[str, set[Slot]]:
    """Slots of `ConstraintTeacherNotAvailableTimes`: the teacher is away, so busy."""
    result: dict[str, set[Slot]] = defaultdict(set)
    day_index = {d: i for i, d in enumerate(school.days)}
    hour_index = {h: i for i, h in enumerate(school.hours)}
    constraints = root.find("Time_Constraints_List")
    found = [] if constraints is None else constraints.findall("ConstraintTeacherNotAvailableTimes")
    for constraint in found:
        if (
            _text(constraint, "Active") == "false"
            or _text(constraint, "Weight_Percentage") != "100"
        ):
            continue
        teacher = _text(constraint, "Teacher")
        for slot in constraint.findall("Not_Available_Time"):
            day, hour = _text(slot, "Day"), _text(slot, "Hour")
            if day in day_index and hour in hour_index:
                result[teacher].add((day_index[day], hour_index[hour]))
    return dict(result)


def read_timetable(school: FetSchool, where: Path) -> None:
    """Add each activity's day and starting hour from FET's output (a folder or a file)."""
    path = find_timetable(where, Path(school.source).stem)
    if path.suffix == ".xml":
        placed = _placements_from_xml(path)
    else:
        placed = _placements_from_fet(path)
    school.placements = _slots(placed, school, path)
    school.timetable_source = str(path)


def find_timetable(where: Path, stem: str) -> Path:
    """The timetable in a FET output folder: `*_activities.xml`, else `*_data_and_timetable.fet`."""
    if where.is_file():
        return where
    if not where.is_dir():
        raise InputError([Problem(Location(str(where), 1), "no such file or folder")])
    for pattern in ("_activities.xml", "_data_and_timetable.fet"):
        found = sorted(where.rglob(f"*{pattern}"))
        own = [p for p in found if p.name == stem + pattern]
        if own or len(found) == 1:
            return (own or found)[0]
        if found:
            names = ", ".join(str(p) for p in found[:5])
            message = f"several FET timetables here ({names}); name the file to use"
            raise InputError([Problem(Location(str(where), 1), message)])
    message = "no FET timetable here (expected *_activities.xml or *_data_and_timetable.fet)"
    raise InputError([Problem(Location(str(where), 1), message)])


def _placements_from_xml(path: Path) -> dict[str, tuple[str, str]]:
    root = _parse(path, "Activities_Timetable")
    placed = {}
    for item in root.findall("Activity"):
        day, hour = _text(item, "Day"), _text(item, "Hour")
        if day and hour:  # an activity FET could not place has no day and hour
            placed[_text(item, "Id")] = (day, hour)
    return placed


def _placements_from_fet(path: Path) -> dict[str, tuple[str, str]]:
    """FET writes the timetable into `*_data_and_timetable.fet` as preferred starting times."""
    root = _parse(path, "fet")
    constraints = root.find("Time_Constraints_List")
    found = (
        []
        if constraints is None
        else constraints.findall("ConstraintActivityPreferredStartingTime")
    )
    placed = {}
    for constraint in found:
        if _text(constraint, "Active") != "false":
            placed[_text(constraint, "Activity_Id")] = (
                _text(constraint, "Preferred_Day"),
                _text(constraint, "Preferred_Hour"),
            )
    return placed


def _slots(placed: dict[str, tuple[str, str]], school: FetSchool, path: Path) -> dict[str, Slot]:
    day_index = {d: i for i, d in enumerate(school.days)}
    hour_index = {h: i for i, h in enumerate(school.hours)}
    problems, slots = [], {}
    for activity, (day, hour) in placed.items():
        if day not in day_index or hour not in hour_index:
            problems.append(
                Problem(
                    Location(str(path), 1),
                    f"activity {activity}: day {day!r} or hour {hour!r} is not in {school.source}",
                )
            )
        elif activity in school.activities:
            slots[activity] = (day_index[day], hour_index[hour])
    if problems:
        raise InputError(problems[:10])
    if not slots:
        raise InputError(
            [
                Problem(
                    Location(str(path), 1),
                    f"this timetable places none of the activities of {school.source}",
                )
            ]
        )
    return slots


# Hour names: "08:00", "08:00-08:45", "8.30 - 9.15", "Pd1 08h00-08h40", "[1]08:00-08:50" ...
_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3])\s*[:.hH：]\s*([0-5]\d)(?!\d)")


def hour_windows(
    names: list[str], day_start: int, lesson: int, pause: int
) -> tuple[list[tuple[int, int]], bool]:
    """Clock windows of FET's hours: parsed from their names if all carry times, else a default day.

    Returns the windows and whether they were parsed from the names.
    """
    parsed = [_clock_pair(name) for name in names]
    starts = [p[0] for p in parsed if p is not None]
    if len(starts) == len(names) and all(a < b for a, b in zip(starts, starts[1:], strict=False)):
        return _with_ends(parsed), True  # type: ignore[arg-type]
    return default_windows(len(names), day_start, lesson, pause), False


def _clock_pair(name: str) -> tuple[int, int | None] | None:
    times = [int(h) * 60 + int(m) for h, m in _CLOCK.findall(name)]
    if not times or not 5 * 60 <= times[0] <= 22 * 60:
        return None
    end = times[1] if len(times) > 1 and times[1] > times[0] else None
    return times[0], end


def _with_ends(parsed: list[tuple[int, int | None]]) -> list[tuple[int, int]]:
    """Fill missing ends: the usual lesson length, cut at the next hour's start."""
    lengths = [end - start for start, end in parsed if end is not None]
    gaps = [b[0] - a[0] for a, b in zip(parsed, parsed[1:], strict=False)]
    usual = int(statistics.median(lengths)) if lengths else min([45, *gaps])
    windows = []
    for k, (start, end) in enumerate(parsed):
        if end is None:
            end = start + usual
            if k + 1 < len(parsed):
                end = min(end, parsed[k + 1][0])
        windows.append((start, min(end, 23 * 60 + 59)))
    return windows


def default_windows(count: int, day_start: int, lesson: int, pause: int) -> list[tuple[int, int]]:
    """Hours from `day_start`, lesson and break alternating; squeezed to end by 17:00 if needed."""
    step = lesson + pause
    room = 17 * 60 - day_start
    if count * step > room:
        step = max(room // count, 2)
        pause = min(pause, step // 5)
        lesson = step - pause
    return [(day_start + k * step, day_start + k * step + lesson) for k in range(count)]
