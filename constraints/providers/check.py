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
        if peak > providers[pid].instructors:
            provider = providers[pid]
            yield Violation(
                "H4", f"{day} {format_clock(at)}: provider {provider.name or pid} runs {peak} "
                f"groups at once, it has {provider.instructors} instructor(s)", None)


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
