"""H4 providers: vetted, skilled, serving the school, within their hours and their instructors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from constraints.common.context import Context, Placed, span
from constraints.common.report import Violation
from models.common import format_clock
from models.district import Provider


def check(ctx: Context) -> Iterator[Violation]:
    term_end = ctx.district.term.end
    for placed in ctx.placed:
        for provider in placed.providers:
            yield from _fit(placed, provider, term_end)
    yield from _instructors(ctx)
    yield from _named(ctx)
    yield from _weekly_caps(ctx)


def _fit(placed: Placed, provider: Provider, term_end: object) -> Iterator[Violation]:
    """Approved, background-checked to the term's end, skilled, serving this school, available."""
    who = f"{placed.where()}: provider {provider.name or provider.id}"
    if not provider.vetted(term_end):  # type: ignore[arg-type]
        until = provider.background_check_until or "never checked"
        yield Violation("H4", f"{who} is not vetted (qualification {provider.qualification}, "
                        f"background check until {until}, term ends {term_end})", placed.id)
    if placed.activity.skill not in provider.skills:
        yield Violation("H4", f"{who} lacks the skill {placed.activity.skill!r}", placed.id)
    if not provider.serves_school(placed.school.id):
        yield Violation("H4", f"{who} does not serve {placed.school.id}", placed.id)
    if not _available(provider, placed):
        windows = (provider.available or {}).get(placed.day, [])  # type: ignore[call-overload]
        shown = ", ".join(span(*w) for w in windows) or "none"
        yield Violation("H4", f"{who} is not available then ({placed.day}: {shown})", placed.id)


def _available(provider: Provider, placed: Placed) -> bool:
    """The whole group lies inside one of the provider's windows that weekday."""
    if provider.available is None:
        return True
    windows = provider.available.get(placed.day, [])  # type: ignore[call-overload]
    return any(w[0] <= placed.start and placed.end <= w[1] for w in windows)


def _instructors(ctx: Context) -> Iterator[Violation]:
    """At no minute does a provider run more groups than it has instructors, across schools."""
    by_day: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    providers: dict[str, Provider] = {}
    for placed in ctx.placed:
        for provider in placed.providers:
            by_day[(provider.id, placed.day)].append(placed)
            providers[provider.id] = provider
    for (pid, day), sections in by_day.items():
        peak, at = _peak(sections)
        if peak > providers[pid].instructor_count:
            provider = providers[pid]
            yield Violation(
                "H4", f"{day} {format_clock(at)}: provider {provider.name or pid} runs {peak} "
                f"groups at once, it has {provider.instructor_count} instructor(s)", None)


def _peak(sections: list[Placed]) -> tuple[int, int]:
    """Most groups running at one minute, and the first minute it happens."""
    # A group ending at 17:00 frees its instructor for one starting at 17:00: ends sort first.
    events = sorted([(p.start, 1) for p in sections] + [(p.end, -1) for p in sections])
    running = peak = at = 0
    for minute, change in events:
        running += change
        if running > peak:
            peak, at = running, minute
    return peak, at


Lead = tuple[Placed, str]  # a section and the school it is at


def _named(ctx: Context) -> Iterator[Violation]:
    """Named instructors: known, background-checked to the term's end, one section at a
    time anywhere, with the travel time between two schools on one day."""
    providers = {p.id: p for p in ctx.district.providers}
    led: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    for placed in ctx.placed:
        for ref in placed.out.staff:
            provider = providers.get(ref.provider or "")
            if provider is None:
                continue
            problem = _instructor_problem(provider, ref.instructor, ctx.district.term.end)
            if problem:
                yield Violation("H4", f"{placed.where()}: provider {provider.id} {problem}",
                                placed.id)
            elif ref.instructor is not None:
                led[(provider.id, ref.instructor)].append(placed)
    for (provider_id, instructor), sections in led.items():
        yield from _one_place_at_a_time(ctx, provider_id, instructor, sections)


def _instructor_problem(provider: Provider, instructor: str | None, term_end: object) -> str:
    people = provider.instructors if isinstance(provider.instructors, list) else []
    if not people:
        return f"has no named instructors, but {instructor!r} is named" if instructor else ""
    if instructor is None:
        return "names its instructors, but this group names none"
    person = next((i for i in people if i.id == instructor), None)
    if person is None:
        return f"has no instructor {instructor!r}"
    until = person.background_check_until or provider.background_check_until
    if until is None or until < term_end:  # type: ignore[operator]
        return f"instructor {instructor}'s background check ends {until or 'never checked'}, " \
               f"before the term ends {term_end}"
    return ""


def _one_place_at_a_time(ctx: Context, provider_id: str, instructor: str,
                         sections: list[Placed]) -> Iterator[Violation]:
    ordered = sorted(sections, key=lambda p: (p.day, p.start))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            if second.day != first.day:
                break
            gap = ctx.district.travel(first.school.id, second.school.id)
            if second.start < first.end + gap:
                why = "leads both at once" if second.start < first.end else \
                    f"cannot travel from {first.school.id} to {second.school.id} in time " \
                    f"({gap} min)"
                yield Violation("H4", f"{first.day}: instructor {instructor} of {provider_id} "
                                f"{why}: {first.where()} and {second.where()}", second.id)


def _weekly_caps(ctx: Context) -> Iterator[Violation]:
    """A provider's contract cap on class hours a week, across all schools."""
    hours: dict[str, int] = defaultdict(int)
    for placed in ctx.placed:
        for provider in placed.providers:
            hours[provider.id] += placed.hours
    for provider in ctx.district.providers:
        cap = provider.max_class_hours_week
        if cap is not None and hours[provider.id] > cap:
            yield Violation("H4", f"provider {provider.name or provider.id} leads "
                            f"{hours[provider.id]} class hours a week, its cap is {cap}", None)
