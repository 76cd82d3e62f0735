"""What a district planner looks at: each school's KPIs side by side, each provider's load
across schools by day, and each named instructor's day with the travel between schools."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from constraints.common.context import build
from models.common import format_clock
from models.solution import SectionOut
from scheduler.verifier.score import school_kpis

from .context import ViewData

SCHOOL_COLUMNS = ("school", "students_count", "kpi_students_with_choices",
                  "kpi_any_choice_share", "kpi_first_choice_share", "kpi_covered_share",
                  "kpi_teacher_hours_max", "kpi_sections", "kpi_cost", "kpi_budget")
LOAD_COLUMNS = ("provider", "day", "class_hours", "sections", "schools_served")
INSTRUCTOR_COLUMNS = ("provider", "instructor", "day", "start", "end", "school", "activity",
                      "travel_before", "free_before")


def school_rows(data: ViewData) -> list[list[object]]:
    """One row per school, from the verifier's own recomputation."""
    kpis = school_kpis(build(data.district, data.solution))
    rows: list[list[object]] = []
    for school in data.district.schools:
        k = kpis[school.id]
        rows.append([data.school_label(school.id), k.students, k.students_with_choices,
                     round(k.any_choice_share, 4), round(k.first_choice_share, 4),
                     round(k.covered_share, 4), k.teacher_hours_max, k.sections,
                     round(k.cost, 2), round(k.budget, 2)])
    return rows


def load_rows(data: ViewData) -> list[list[object]]:
    """Per provider and weekday: class hours, sections and the schools they are at."""
    hours: dict[tuple[str, str], int] = defaultdict(int)
    count: dict[tuple[str, str], int] = defaultdict(int)
    schools: dict[tuple[str, str], set[str]] = defaultdict(set)
    for section in data.sections:
        for ref in section.staff:
            if ref.provider is not None:
                key = (ref.provider, section.day)
                hours[key] += data.activity(section).class_hours
                count[key] += 1
                schools[key].add(section.school)
    order = {d: i for i, d in enumerate(data.weekdays)}
    return [[data.providers[p].name or p, data.labels.day(d), hours[(p, d)], count[(p, d)],
             "、".join(sorted(schools[(p, d)]))]
            for p, d in sorted(hours, key=lambda k: (k[0], order.get(k[1], 9)))]


def instructor_rows(data: ViewData) -> list[list[object]]:
    """Each named instructor's sections in the week, with the trip from the last school."""
    rows: list[list[object]] = []
    for (provider, person, day), sections in sorted(_by_instructor_day(data).items(),
                                                    key=lambda kv: _order(data, kv[0])):
        previous: SectionOut | None = None
        for section in sorted(sections, key=lambda s: s.start):
            travel = data.district.travel(previous.school, section.school) if previous else 0
            spare = section.start - previous.end - travel if previous else ""
            rows.append([data.providers[provider].name or provider, person,
                         data.labels.day(day), format_clock(section.start),
                         format_clock(section.end), data.school_label(section.school),
                         data.activity_label(section), travel if previous else "", spare])
            previous = section
    return rows


def _by_instructor_day(data: ViewData) -> dict[tuple[str, str, str], list[SectionOut]]:
    table: dict[tuple[str, str, str], list[SectionOut]] = defaultdict(list)
    for section in data.sections:
        for ref in section.staff:
            if ref.provider is not None and ref.instructor is not None:
                table[(ref.provider, ref.instructor, section.day)].append(section)
    return table


def _order(data: ViewData, key: tuple[str, str, str]) -> tuple[str, str, int]:
    days = {d: i for i, d in enumerate(data.weekdays)}
    return key[0], key[1], days.get(key[2], 9)


def tables(data: ViewData) -> Iterator[tuple[str, tuple[str, ...], list[list[object]]]]:
    """(name, columns, rows) of each planner table with something in it (schools side by
    side only for a district of two or more)."""
    if len(data.district.schools) > 1:
        yield "district_schools", SCHOOL_COLUMNS, school_rows(data)
    load = load_rows(data)
    if load:
        yield "provider_load", LOAD_COLUMNS, load
    people = instructor_rows(data)
    if people:
        yield "instructor_days", INSTRUCTOR_COLUMNS, people
