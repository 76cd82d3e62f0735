"""H4 providers: at most `instructors` sections at once, across all the schools they serve
(less the instructors reserved elsewhere, when the instance is part of a district).

Vetting, skill and the schools served are respected when the instance offers a provider
its slots; so are availability windows, except when explaining: then slots outside them
are offered and forbidden here by a named rule per provider and day (and, with
`relax_staff`, vetting and the schools served, by a rule per provider).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.common.keys import Rule, RuleKey
from constraints.common.terms import Term, named, total
from constraints.common.timeline import moments
from constraints.common.variables import Variables
from models.instance import Instance, Slot


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    slots_of: dict[str, list[Slot]] = defaultdict(list)
    for data in instance.schools:
        for provider_id, slots in data.provider_slots.items():
            slots_of[provider_id].extend(slots)
    term_end = instance.district.term.end
    for provider_id, slots in slots_of.items():
        provider = instance.providers[provider_id]
        cap = len(provider.cleared(term_end)) if provider.named else provider.instructor_count
        reserved = [(r.day, r.start) for r in instance.reserved if r.provider == provider_id]
        for day, minute, running in moments(slots, reserved):
            free = max(0, cap - instance.reserved_at(provider_id, day, minute))
            busy = total(vars.providers_of(s.school, s)[provider_id] for s in running)
            named(
                vars,
                model.add(busy <= free),
                RuleKey(Rule.PROVIDER_INSTRUCTORS, who=provider_id, day=day, minute=minute),
            )
        if provider.named:
            _named_instructors(model, instance, vars, provider_id, slots)
        _weekly_cap(model, instance, vars, provider_id, slots)
    _inside_windows(model, instance, vars)
    _vetted_and_serving(model, instance, vars)
    return []


def _named_instructors(
    model: cp_model.CpModel, instance: Instance, vars: Variables, provider_id: str,
    slots: list[Slot],
) -> None:
    """A provider's sections are led by its named instructors, each one section at a time
    anywhere in the district, with the travel time between two schools on one day."""
    options: dict[str, list[tuple[Slot, cp_model.IntVar]]] = defaultdict(list)
    for slot in slots:
        leads = vars.leads_of(slot.school, slot, provider_id)
        model.add(vars.providers_of(slot.school, slot)[provider_id] == total(leads.values()))
        for instructor, var in leads.items():
            options[instructor].append((slot, var))
    for pairs in options.values():
        lead = {(s.school, s.index): v for s, v in pairs}
        for _, _, running in moments(s for s, _ in pairs):
            if len(running) > 1:
                model.add_at_most_one(lead[(s.school, s.index)] for s in running)
        _travel(model, instance, pairs)


def _travel(
    model: cp_model.CpModel, instance: Instance, pairs: list[tuple[Slot, cp_model.IntVar]]
) -> None:
    """Two sections at different schools one day: the second starts after the first ends
    plus the travel between them (sections that overlap are already kept apart)."""
    by_day: dict[str, list[tuple[Slot, cp_model.IntVar]]] = defaultdict(list)
    for slot, var in pairs:
        by_day[slot.day].append((slot, var))
    furthest = instance.longest_travel()
    for day_pairs in by_day.values():
        day_pairs.sort(key=lambda p: p[0].start)
        for i, (a, lead_a) in enumerate(day_pairs):
            for b, lead_b in day_pairs[i + 1:]:
                if b.start >= a.end + furthest:
                    break  # later ones start later still
                if b.school == a.school or b.start < a.end and a.start < b.end:
                    continue  # the same school, or overlapping: the moments rule holds them
                gap = instance.district.travel(a.school, b.school)
                if b.start < a.end + gap and a.start < b.end + gap:
                    model.add_bool_or([lead_a.Not(), lead_b.Not()])


def _weekly_cap(
    model: cp_model.CpModel, instance: Instance, vars: Variables, provider_id: str,
    slots: list[Slot],
) -> None:
    """A provider's contract cap on class hours a week, across all schools."""
    cap = instance.providers[provider_id].max_class_hours_week
    if cap is None:
        return
    hours = total(s.class_hours * vars.providers_of(s.school, s)[provider_id] for s in slots)
    model.add(hours <= max(0, cap - instance.reserved_hours(provider_id)))


def _vetted_and_serving(model: cp_model.CpModel, instance: Instance, vars: Variables) -> None:
    """Explaining only (`relax_staff`): vetting and a provider's schools as named rules."""
    unvetted: dict[str, list[Slot]] = defaultdict(list)
    for data in instance.schools:
        for provider_id, slots in data.unvetted.items():
            unvetted[provider_id].extend(slots)
        for provider_id, slots in data.not_served.items():
            sections = total(vars.providers_of(s.school, s)[provider_id] for s in slots)
            named(vars, model.add(sections <= 0),
                  RuleKey(Rule.PROVIDER_SERVES, data.school.id, who=provider_id))
    for provider_id, slots in unvetted.items():
        sections = total(vars.providers_of(s.school, s)[provider_id] for s in slots)
        named(vars, model.add(sections <= 0), RuleKey(Rule.PROVIDER_VETTED, who=provider_id))


def _inside_windows(model: cp_model.CpModel, instance: Instance, vars: Variables) -> None:
    outside: dict[tuple[str, str], list[Slot]] = defaultdict(list)
    for data in instance.schools:
        for provider_id, slots in data.outside_window.items():
            for slot in slots:
                outside[(provider_id, slot.day)].append(slot)
    for (provider_id, day), slots in outside.items():
        sections = total(vars.providers_of(s.school, s)[provider_id] for s in slots)
        named(
            vars, model.add(sections <= 0), RuleKey(Rule.PROVIDER_WINDOW, who=provider_id, day=day)
        )
