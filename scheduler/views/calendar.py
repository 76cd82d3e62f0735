"""ICS calendars: one per teacher, provider and student, over the term's real service dates.

Each section is a weekly event (RRULE) from its first to its last regular meeting, with an
EXDATE for each holiday on its weekday; a make-up day (调休, a weekend worked on that
weekday's timetable) is an event of its own. So the dates a calendar shows are exactly
`Term.meeting_dates(day)`. UIDs derive from the stable section id: re-importing an updated
timetable updates the events instead of duplicating them. Times carry the term's time zone
with its VTIMEZONE. A child's calendar is named after the child (`张三 (s001)` where the
roster gives names); a teacher's or provider's events list the children in the section,
a child's never list the others.

A trip of a visit (SPEC §8.4) is a dated event of its own in the calendars of the children
and adults who go; their weekly events of that weekday get an EXDATE for the trip's date
(they are away), and a teacher covering a weekly group of one who is away gets that group
as a dated event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vRecur, vText
from icalendar.parser import Contentline, Parameters

from models.common import DAYS, format_clock
from models.solution import SectionOut

from .context import ViewData
from .files import safe_name
from .grids import (
    Subject,
    natural_key,
    provider_subjects,
    student_subjects,
    subject_for,
    teacher_subjects,
)

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
        self._events: dict[tuple[str, bool, frozenset[dt.date]], bytes] = {}

    def events(self, section: SectionOut, roster: bool = False,
               away: frozenset[dt.date] = frozenset()) -> list[Event]:
        """The weekly event of the section and one event per make-up day, less the dates
        the calendar's owner is `away` on a trip; with `roster` (a teacher's or provider's
        calendar, never a child's) the description lists the children."""
        if section.date is not None:
            return self._with_roster([self._trip(section)], section, roster)
        dates = self.data.meeting_dates(section.day)
        weekday = DAYS.index(section.day)  # type: ignore[arg-type]
        regular = [d for d in dates if d.weekday() == weekday]
        found = [self._weekly(section, regular, away)] if regular else []
        found += [self._single(section, d) for d in dates
                  if d.weekday() != weekday and d not in away]
        return self._with_roster(found, section, roster)

    def _with_roster(self, found: list[Event], section: SectionOut, roster: bool) -> list[Event]:
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

    def _weekly(self, section: SectionOut, regular: list[dt.date],
                away: frozenset[dt.date] = frozenset()) -> Event:
        event = self._base(section, regular[0], section_uid(section.id))
        last = self._at(section, regular[-1]).astimezone(dt.UTC)
        event.add("rrule", vRecur(freq="WEEKLY", until=last))
        skipped = sorted(set(_weekly_dates(regular[0], regular[-1])) - set(regular)
                         | (away & set(regular)))
        if skipped:
            event.add("exdate", [self._at(section, d) for d in skipped])
        return event

    def _single(self, section: SectionOut, day: dt.date) -> Event:
        return self._base(section, day, section_uid(section.id, day))

    def _trip(self, trip: SectionOut) -> Event:
        """A trip on its date, from leaving school to being back."""
        assert trip.date is not None
        event = self._base(trip, trip.date, f"{trip.id}@{UID_DOMAIN}")
        event["description"] = vText(f"{event['description']}\n{self.data.labels('back_at')}: "
                                     f"{format_clock(trip.end)}")
        return event

    def cover(self, section: SectionOut, day: dt.date) -> Event:
        """A weekly group led on one date by a teacher covering for one away on a trip."""
        event = self._base(section, day, f"{section.id}/cover/{day:%Y%m%d}@{UID_DOMAIN}")
        event["summary"] = vText(f"{self.data.activity_label(section)} "
                                 f"({self.data.labels('cover')})")
        return event

    def _at(self, section: SectionOut, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(section.start // 60, section.start % 60),
                                   self.zone)

    def _section_bytes(self, section: SectionOut, roster: bool,
                       away: frozenset[dt.date] = frozenset()) -> bytes:
        # Only the weekday's own trip dates change a weekly event: keep the cache shared.
        away = frozenset(d for d in away if DAYS[d.weekday()] == section.day
                         or d in self.data.district.term.makeup_days)
        cached = self._events.get((section.id, roster, away))
        if cached is None:
            cached = b"".join(e.to_ical() for e in self.events(section, roster, away))
            self._events[(section.id, roster, away)] = cached
        return cached

    def calendar_bytes(self, title: str, sections: Iterable[SectionOut],
                       about: str = "", roster: bool = False,
                       away: frozenset[dt.date] = frozenset(),
                       covers: Iterable[tuple[SectionOut, dt.date]] = ()) -> bytes:
        """A VCALENDAR: header, name (and description), VTIMEZONE and the sections' events
        (each serialised once, shared by every calendar it appears in), less the dates the
        owner is `away`, with the groups they `cover` on one date each."""
        lines = [("X-WR-CALNAME", title)] + ([("X-WR-CALDESC", about)] if about else [])
        named = b"".join(Contentline.from_parts(key, Parameters(), vText(value)).to_ical()
                         + b"\r\n" for key, value in lines)
        body = b"".join(self._section_bytes(s, roster, away) for s in sections)
        body += b"".join(self.cover(s, d).to_ical() for s, d in covers)
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
    providers for the district; each subject's sections are followed by its trips."""
    for school_id in data.schools:
        folder = Path(safe_name(school_id))
        teachers = with_trips(data, teacher_subjects(data, school_id), "teacher", school_id)
        for subject in teachers:
            yield folder / "teachers" / f"{safe_name(subject.key)}.ics", subject
        for subject in student_subjects(data, school_id):
            subject.sections += data.trips_of(school_id, "student", subject.key)
            if subject.sections:
                yield folder / "students" / f"{safe_name(subject.key)}.ics", subject
    for subject in with_trips(data, provider_subjects(data), "provider", None):
        yield Path("providers") / f"{safe_name(subject.key)}.ics", subject


def with_trips(data: ViewData, subjects: list[Subject], kind: str,
               school: str | None) -> list[Subject]:
    """The subjects with their trips added, and a subject for staff who only go on trips
    or only cover for someone away."""
    by_key = {s.key: s for s in subjects}
    people = {getattr(ref, kind) for t in data.trips for ref in t.staff
              if school is None or t.school == school} - {None}
    if kind == "teacher":
        people |= {c.teacher for t in data.trips if t.school == school for c in t.covers}
    for key in sorted(people - set(by_key), key=natural_key):
        by_key[key] = subject_for(data, school, kind, key)
    for key, subject in by_key.items():
        subject.sections = [*subject.sections, *data.trips_of(school, kind, key)]
    return sorted(by_key.values(), key=lambda s: natural_key(s.key))


def covers_of(data: ViewData, subject: Subject) -> list[tuple[SectionOut, dt.date]]:
    """(weekly section, date) a teacher leads for a colleague away on a trip."""
    if subject.kind != "teacher":
        return []
    weekly = {s.id: s for s in data.sections}
    return [(weekly[c.section], t.date) for t in data.trips if t.school == subject.school
            and t.date for c in t.covers if c.teacher == subject.key and c.section in weekly]


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
        away = data.away_dates(subject.school, subject.kind, subject.key)
        path.write_bytes(writer.calendar_bytes(f"{subject.title} {term}", subject.sections,
                                               pickup_note(data, subject),
                                               roster=subject.kind != "student", away=away,
                                               covers=covers_of(data, subject)))
        written.append(path)
    return written
