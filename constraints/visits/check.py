"""Visits: each trip on its date, with the right children and adults, back in time.

The verifier's own reading of docs/visits.md, from the input and the solution alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from constraints.common.context import Context, Placed, ranked_choices, span
from constraints.common.report import Violation
from models.common import format_clock
from models.district import Student, Teacher
from models.solution import trip_id

RULE = "visits"
Away = dict[tuple[str, object], list[Placed]]  # (teacher, date) -> the trips they are on


def check(ctx: Context) -> Iterator[Violation]:
    for trip in ctx.trips:
        yield from _when_and_where(ctx, trip)
        yield from _size_and_adults(ctx, trip)
        for student in trip.students:
            yield from _may_go(trip, student)
    yield from _children(ctx)
    yield from _teachers_away(ctx)
    yield from _instructors(ctx)
    yield from _venue_capacity(ctx)


def _said(trip: Placed, text: str) -> Violation:
    return Violation(RULE, f"{trip.where()}: {text}", trip.id)


def _when_and_where(ctx: Context, trip: Placed) -> Iterator[Violation]:
    """A visit's own date and venue; it leaves at its children's dismissal and is back by
    latest_end; the venue is open all the stay."""
    activity, out, term = trip.activity, trip.out, ctx.district.term
    if not activity.is_visit or out.date is None:
        yield _said(trip, f"{activity.id} is not a visit, so it has no trips")
        return
    if out.date not in activity.dates:
        yield _said(trip, f"{out.date} is not one of the visit's dates")
    if term.timetable_day(out.date) != out.day:
        yield _said(trip, f"{out.date} runs {term.timetable_day(out.date) or 'no'} timetable, "
                    f"not {out.day}'s")
    expected = trip_id(out.school, out.activity, out.date, out.start, out.room)
    if out.id != expected:
        yield Violation("ids", f"section id {out.id} should be {expected}", out.id)
    venue = ctx.district.venue(out.room)
    if venue is None or out.room != activity.venue:
        yield _said(trip, f"goes to {out.room!r}, the visit's venue is {activity.venue!r}")
        return
    if trip.students:
        leave = max((trip.school.dismissal(s.grade, out.day) for s in trip.students
                     if s.grade in trip.school.grades), default=out.start)
        if out.start != leave:
            yield _said(trip, f"leaves at {format_clock(out.start)}, its children are "
                        f"dismissed by {format_clock(leave)}")
    back = out.start + ctx.district.trip_minutes(trip.school, activity)
    if out.end != back:
        yield _said(trip, f"says back at {format_clock(out.end)}, the journey and stay bring "
                    f"it back at {format_clock(back)}")
    latest = trip.policy.latest_end
    if back > latest:
        yield _said(trip, f"is back at {format_clock(back)}, after latest_end "
                    f"{format_clock(latest)}")
    arrive = out.start + ctx.district.travel(trip.school.id, venue.id)
    if not venue.open_for(out.day, arrive, arrive + (activity.minutes_at_venue or 0)):
        yield _said(trip, f"venue {venue.label} is closed then")


def _size_and_adults(ctx: Context, trip: Placed) -> Iterator[Violation]:
    """Size within [min_size, max_size]; one adult per `students_per_staff` children, each
    one allowed to take it and free all the trip."""
    activity, size = trip.activity, len(trip.students)
    if not activity.min_size <= size <= activity.max_size:
        yield _said(trip, f"takes {size} children, the visit takes {activity.min_size} to "
                    f"{activity.max_size}")
    adults = len(trip.out.staff)
    if adults * activity.per_staff < size:
        yield _said(trip, f"{size} children with {adults} adult(s): one adult per "
                    f"{activity.per_staff} children")
    for teacher in trip.teachers:
        problem = _teacher_problem(trip, teacher)
        if problem:
            yield _said(trip, f"teacher {teacher.id} {problem}")
    end = ctx.district.term.end
    for provider in trip.providers:
        windows = None if provider.available is None else \
            provider.available.get(trip.day, [])  # type: ignore[call-overload]
        if not provider.vetted(end) or activity.skill not in provider.skills or \
                not provider.serves_school(trip.school.id):
            yield _said(trip, f"provider {provider.id} is not vetted, skilled ({activity.skill}) "
                        "and serving the school")
        elif windows is not None and not any(w[0] <= trip.start and trip.end <= w[1]
                                             for w in windows):
            yield _said(trip, f"provider {provider.id} is not available all the trip")


def _teacher_problem(trip: Placed, teacher: Teacher) -> str:
    if trip.activity.skill not in teacher.skills:
        return f"lacks the skill {trip.activity.skill!r}"
    if teacher.affiliations:
        return "is affiliated with a provider"
    if teacher.week_cap(trip.policy) <= 0:
        return "gives no hours to the service"
    busy = [b for b in teacher.busy.get(trip.day, [])  # type: ignore[call-overload]
            if b[0] < trip.end and trip.start < b[1]]
    return f"is busy {span(*busy[0])}" if busy else ""


def _may_go(trip: Placed, student: Student) -> Iterator[Violation]:
    """Only children who chose it, of its grades, registered that weekday, not picked up
    before the group is back."""
    if trip.activity.id not in ranked_choices(trip.school, student):
        yield _said(trip, f"student {student.id} did not choose it")
    if student.grade not in trip.activity.grades:
        yield _said(trip, f"student {student.id} is in grade {student.grade}, not one of the "
                    "visit's grades")
    if trip.day not in student.days:
        yield _said(trip, f"student {student.id} is not registered on {trip.day}")
    pickup = student.pickup_on(trip.day)  # type: ignore[arg-type]
    if pickup is not None and pickup < trip.end:
        yield _said(trip, f"student {student.id} is picked up at {format_clock(pickup)}, "
                    f"before the group is back at {format_clock(trip.end)}")


def _children(ctx: Context) -> Iterator[Violation]:
    """One trip of a visit and one trip a date per child; a trip counts among its week's
    chosen sessions (`max_clubs_per_student_week`)."""
    trips_of: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    for trip in ctx.trips:
        for student in trip.students:
            trips_of[(trip.school.id, student.id)].append(trip)
    for key, trips in trips_of.items():
        visits = Counter(t.activity.id for t in trips)
        dates = Counter(t.out.date for t in trips)
        for visit, count in visits.items():
            if count > 1:
                yield Violation(RULE, f"student {key[1]} goes on {count} trips of {visit}, at "
                                "most one", None)
        for date, count in dates.items():
            if count > 1:
                yield Violation(RULE, f"student {key[1]} goes on {count} trips on {date}", None)
        weekly = sum(1 for p in ctx.by_student.get(key, []) if not p.activity.fallback)
        weeks = Counter(t.out.date.isocalendar()[:2] for t in trips if t.out.date)
        cap = trips[0].policy.max_clubs_per_student_week
        for (year, week), count in weeks.items():
            if weekly + count > cap:
                yield Violation(RULE, f"student {key[1]}: {weekly} chosen group(s) a week and "
                                f"{count} trip(s) in week {week} of {year}, at most {cap}", None)


def _teachers_away(ctx: Context) -> Iterator[Violation]:
    """A teacher takes one trip a date, and each of their weekly sections that weekday is
    led by another teacher who could lead it, at school and free then."""
    away: Away = defaultdict(list)
    for trip in ctx.trips:
        for teacher in trip.teachers:
            away[(teacher.id, trip.out.date)].append(trip)
    for (teacher_id, _), trips in away.items():
        if len(trips) > 1:
            yield _said(trips[1], f"teacher {teacher_id} is on another trip that date")
    by_id = {p.id: p for p in ctx.placed}
    for trip in ctx.trips:
        yield from _covers(ctx, trip, away, by_id)
    yield from _one_cover_at_a_time(ctx, by_id)


def _covers(ctx: Context, trip: Placed, away: Away, by_id: dict[str, Placed]
            ) -> Iterator[Violation]:
    """Each weekly section that weekday of a teacher on the trip has a cover who may lead it."""
    gone = {t.id for t in trip.teachers}
    covered: set[str] = set()
    for cover in trip.out.covers:
        section = by_id.get(cover.section)
        if section is None or not {t.id for t in section.teachers} & gone:
            yield _said(trip, f"covers {cover.section}, which no teacher of the trip leads")
            continue
        covered.add(cover.section)
        problem = _cover_problem(ctx, trip, section, cover.teacher, away)
        if problem:
            yield _said(trip, f"teacher {cover.teacher} cannot cover {section.where()}: {problem}")
    for section in ctx.placed:
        if section.school.id == trip.school.id and section.day == trip.day and \
                {t.id for t in section.teachers} & gone and section.id not in covered:
            yield _said(trip, f"{section.where()} is left without its teacher (no cover)")


def _one_cover_at_a_time(ctx: Context, by_id: dict[str, Placed]) -> Iterator[Violation]:
    """On a date, a teacher covers one group at a time, whichever trips they cover for."""
    mine: dict[tuple[str, str, object], list[Placed]] = defaultdict(list)
    for trip in ctx.trips:
        for cover in trip.out.covers:
            if cover.section in by_id:
                mine[(trip.school.id, cover.teacher, trip.out.date)].append(by_id[cover.section])
    for (_, teacher_id, date), sections in mine.items():
        if any(a.start < b.end and b.start < a.end for i, a in enumerate(sections)
               for b in sections[i + 1:]):
            yield Violation(RULE, f"{date}: teacher {teacher_id} covers two groups at once",
                            None)


def _cover_problem(ctx: Context, trip: Placed, section: Placed, teacher_id: str,
                   away: Away) -> str:
    teacher = next((t for t in trip.school.teachers if t.id == teacher_id), None)
    if teacher is None:
        return "no such teacher at the school"
    if section.activity.skill not in teacher.skills or teacher.affiliations:
        return f"not allowed to lead it (skill {section.activity.skill!r}, no affiliations)"
    if any(b[0] < section.end and section.start < b[1]
           for b in teacher.busy.get(section.day, [])):  # type: ignore[call-overload]
        return "busy then"
    if (teacher_id, trip.out.date) in away:
        return "away on a trip that date"
    own = [p for p in ctx.placed if p.school.id == trip.school.id and p.day == section.day
           and teacher in p.teachers and p.start < section.end and section.start < p.end]
    return f"leads {own[0].where()} then" if own else ""


def _instructors(ctx: Context) -> Iterator[Violation]:
    """On a trip's date, a provider's instructors on trips and in its weekly groups then
    never outnumber it."""
    by_date: dict[tuple[str, object], list[Placed]] = defaultdict(list)
    for trip in ctx.trips:
        for provider_id in {p.id for p in trip.providers}:
            by_date[(provider_id, trip.out.date)].append(trip)
    for (provider_id, date), trips in by_date.items():
        provider = next(p for p in trips[0].providers if p.id == provider_id)
        weekly = [p for p in ctx.placed if p.day == trips[0].day
                  and any(q.id == provider_id for q in p.providers)]
        for minute in sorted({t.start for t in trips} | {p.start for p in weekly}):
            on_trips = sum(sum(q.id == provider_id for q in t.providers) for t in trips
                           if t.start <= minute < t.end)
            if not on_trips:
                continue
            running = on_trips + sum(1 for p in weekly if p.start <= minute < p.end)
            if running > provider.instructor_count:
                yield Violation(RULE, f"{date} {format_clock(minute)}: provider {provider_id} "
                                f"has {running} instructors out, it has "
                                f"{provider.instructor_count}", trips[0].id)


def _venue_capacity(ctx: Context) -> Iterator[Violation]:
    """Children at a venue at once, from every trip there, within its capacity."""
    by_venue: dict[tuple[str, object], list[Placed]] = defaultdict(list)
    for trip in ctx.trips:
        by_venue[(trip.out.room, trip.out.date)].append(trip)
    for (venue_id, date), trips in by_venue.items():
        venue = ctx.district.venue(venue_id)
        if venue is None:
            continue
        stays = [(t, t.start + ctx.district.travel(t.school.id, venue_id)) for t in trips]
        for _, minute in stays:
            there = sum(len(t.students) for t, arrive in stays
                        if arrive <= minute < arrive + (t.activity.minutes_at_venue or 0))
            if there > venue.capacity:
                yield Violation(RULE, f"{date} {format_clock(minute)}: {there} children at "
                                f"{venue.label}, it holds {venue.capacity}", trips[0].id)
