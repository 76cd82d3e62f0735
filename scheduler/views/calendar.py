"""ICS calendars: one per teacher, provider and student, over the term's real service dates.

Each section is a weekly event (RRULE) from its first to its last regular meeting, with an
EXDATE for each holiday on its weekday; a make-up day (调休, a weekend worked on that
weekday's timetable) is an event of its own. So the dates a calendar shows are exactly
`Term.meeting_dates(day)`. UIDs derive from the stable section id: re-importing an updated
timetable updates the events instead of duplicating them. Times carry the term's time zone
with its VTIMEZONE. A child's calendar is named after the child (`张三 (s001)` where the
roster gives names); a teacher's or provider's events list the children in the section,
a child's never list the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vRecur, vText
from icalendar.parser import Contentline, Parameters

from models.common import DAYS
from models.solution import SectionOut

from .context import ViewData
from .files import safe_name
from .grids import Subject, provider_subjects, student_subjects, teacher_subjects

PRODID = "-//afterschool//after-school timetable//EN"
UID_DOMAIN = "afterschool"


def section_uid(section_id: str, makeup: dt.date | None = None) -> str:
    """The weekly event's UID is the section id; a make-up day adds its date."""
    suffix = f"/{makeup:%Y%m%d}" if makeup else ""
    return f"{section_id}{suffix}@{UID_DOMAIN}"


class CalendarWriter:
    """Builds each section's events once; a calendar is the events of its owner's sections."""

    def __init__(self, data: ViewData, stamp: dt.datetime | None = None):
        self.data = data
        term = data.district.term
        self.zone = ZoneInfo(term.timezone)
        self.stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._tz = Timezone.from_tzid(term.timezone, first_date=term.start,
                                      last_date=term.end + dt.timedelta(days=1))
        self._events: dict[tuple[str, bool], bytes] = {}

    def events(self, section: SectionOut, roster: bool = False) -> list[Event]:
        """The weekly event of the section and one event per make-up day; with `roster`
        (a teacher's or provider's calendar, never a child's) the description lists the
        children."""
        dates = self.data.meeting_dates(section.day)
        weekday = DAYS.index(section.day)  # type: ignore[arg-type]
        regular = [d for d in dates if d.weekday() == weekday]
        found = [self._weekly(section, regular)] if regular else []
        found += [self._single(section, d) for d in dates if d.weekday() != weekday]
        if roster:
            for event in found:
                event["description"] = vText(f"{event['description']}\n{self._roster(section)}")
        return found

    def _roster(self, section: SectionOut) -> str:
        names = "、".join(self.data.student_label(section.school, s) for s in section.students)
        return f"{self.data.labels('students')} ({len(section.students)}): {names}"

    def _base(self, section: SectionOut, day: dt.date, uid: str) -> Event:
        data = self.data
        start = self._at(section, day)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", self.stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=section.end - section.start))
        event.add("summary", data.activity_label(section))
        event.add("location", f"{data.school_label(section.school)} {data.section_room(section)}")
        event.add("description", f"{data.labels('staff')}: {data.staff_label(section)}\n"
                                 f"{data.labels('section')}: {section.id}")
        return event

    def _weekly(self, section: SectionOut, regular: list[dt.date]) -> Event:
        event = self._base(section, regular[0], section_uid(section.id))
        last = self._at(section, regular[-1]).astimezone(dt.UTC)
        event.add("rrule", vRecur(freq="WEEKLY", until=last))
        skipped = sorted(set(_weekly_dates(regular[0], regular[-1])) - set(regular))
        if skipped:
            event.add("exdate", [self._at(section, d) for d in skipped])
        return event

    def _single(self, section: SectionOut, day: dt.date) -> Event:
        return self._base(section, day, section_uid(section.id, day))

    def _at(self, section: SectionOut, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(section.start // 60, section.start % 60),
                                   self.zone)

    def _section_bytes(self, section: SectionOut, roster: bool) -> bytes:
        cached = self._events.get((section.id, roster))
        if cached is None:
            cached = b"".join(e.to_ical() for e in self.events(section, roster))
            self._events[(section.id, roster)] = cached
        return cached

    def calendar_bytes(self, title: str, sections: Iterable[SectionOut],
                       about: str = "", roster: bool = False) -> bytes:
        """A VCALENDAR: header, name (and description), VTIMEZONE and the sections' events
        (each serialised once, shared by every calendar it appears in)."""
        lines = [("X-WR-CALNAME", title)] + ([("X-WR-CALDESC", about)] if about else [])
        named = b"".join(Contentline.from_parts(key, Parameters(), vText(value)).to_ical()
                         + b"\r\n" for key, value in lines)
        body = b"".join(self._section_bytes(s, roster) for s in sections)
        return self._head + named + self._zone + body + b"END:VCALENDAR\r\n"

    @cached_property
    def _head(self) -> bytes:
        head = Calendar()
        head.add("prodid", PRODID)
        head.add("version", "2.0")
        head.add("calscale", "GREGORIAN")
        head.add("method", "PUBLISH")
        head.add("x-wr-timezone", self.data.district.term.timezone)
        return head.to_ical().removesuffix(b"END:VCALENDAR\r\n")

    @cached_property
    def _zone(self) -> bytes:
        return self._tz.to_ical()


def _weekly_dates(first: dt.date, last: dt.date) -> list[dt.date]:
    count = (last - first).days // 7 + 1
    return [first + dt.timedelta(weeks=i) for i in range(count)]


def calendar_owners(data: ViewData) -> Iterable[tuple[Path, Subject]]:
    """(relative path, subject) of every calendar: teachers and students per school,
    providers for the district."""
    for school_id in data.schools:
        folder = Path(safe_name(school_id))
        for subject in teacher_subjects(data, school_id):
            yield folder / "teachers" / f"{safe_name(subject.key)}.ics", subject
        for subject in student_subjects(data, school_id):
            if subject.sections:
                yield folder / "students" / f"{safe_name(subject.key)}.ics", subject
    for subject in provider_subjects(data):
        yield Path("providers") / f"{safe_name(subject.key)}.ics", subject


def pickup_note(data: ViewData, subject: Subject) -> str:
    """A child's calendar says when to pick them up each registered day (parents ask)."""
    if subject.kind != "student" or subject.school is None:
        return ""
    student = data.student(subject.school, subject.key)
    days = [f"{data.labels.day(d)} {data.pickup_label(student, d)}" for d in student.days]
    return f"{data.labels('pickup')}: " + " / ".join(days) if days else ""  # "," needs escaping


def write_calendars(data: ViewData, out: Path) -> list[Path]:
    """Write every calendar under `out`, a fresh folder the export swaps in whole."""
    writer = CalendarWriter(data)
    term = data.district.term.name
    written: list[Path] = []
    made: set[Path] = set()
    for relative, subject in calendar_owners(data):
        path = out / relative
        if path.parent not in made:  # thousands of files share a handful of folders
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(writer.calendar_bytes(f"{subject.title} {term}", subject.sections,
                                               pickup_note(data, subject),
                                               roster=subject.kind != "student"))
        written.append(path)
    return written
