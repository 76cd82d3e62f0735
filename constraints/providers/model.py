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
    for provider_id, slots in slots_of.items():
        cap = instance.providers[provider_id].instructors
        reserved = [(r.day, r.start) for r in instance.reserved if r.provider == provider_id]
        for day, minute, running in moments(slots, reserved):
            free = max(0, cap - instance.reserved_at(provider_id, day, minute))
            busy = total(vars.providers_of(s.school, s)[provider_id] for s in running)
            named(
                vars,
                model.add(busy <= free),
                RuleKey(Rule.PROVIDER_INSTRUCTORS, who=provider_id, day=day, minute=minute),
            )
    _inside_windows(model, instance, vars)
    _vetted_and_serving(model, instance, vars)
    return []


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
