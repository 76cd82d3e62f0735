"""The rule families, registered once: hard first (H1-H8), then the soft ones.

Each family is a package `constraints/<name>/`: `model.py` adds its part of the CP-SAT
model (the only part that imports OR-Tools, assembled by `constraints.assemble`),
`check.py` re-checks it on a finished timetable for the verifier, and `explain.py` says
its rules in a school's words and applies their fixes. Solve, verify, explain and the
tests all reach a family through `FAMILIES` and its typed keys (`constraints.common.keys`).
"""

from __future__ import annotations

from . import (
    assigned,
    budget,
    changes,
    choices,
    clock,
    cost,
    fallback_mixing,
    load_balance,
    policy,
    provider_rating,
    providers,
    rooms,
    sizes,
    students,
    teachers,
    together,
    visits,
)
from .common.family import Family, RuleText, Sizing
from .common.keys import Rule, RuleKey, TermName

FAMILIES: tuple[Family, ...] = (
    clock.FAMILY,
    rooms.FAMILY,
    teachers.FAMILY,
    providers.FAMILY,
    students.FAMILY,
    sizes.FAMILY,
    budget.FAMILY,
    policy.FAMILY,
    visits.FAMILY,
    assigned.FAMILY,
    choices.FAMILY,
    load_balance.FAMILY,
    provider_rating.FAMILY,
    cost.FAMILY,
    fallback_mixing.FAMILY,
    together.FAMILY,
    changes.FAMILY,
)
HARD = tuple(f for f in FAMILIES if f.hard)
SOFT = tuple(f for f in FAMILIES if not f.hard)
RULES: dict[Rule, RuleText] = {rule: text for f in FAMILIES for rule, text in f.rules.items()}


def rule_text(rule: Rule) -> RuleText:
    """How explanations treat a kind of rule instance (every guardable rule has one)."""
    return RULES[rule]


def fine_key(key: RuleKey) -> RuleKey | None:
    """The guard a rule instance answers to when explaining (None: always enforced)."""
    text = RULES.get(key.rule)
    return None if text is None else text.fine(key)


__all__ = ["FAMILIES", "HARD", "RULES", "SOFT", "Family", "Rule", "RuleKey", "RuleText",
           "Sizing", "TermName", "fine_key", "rule_text"]
