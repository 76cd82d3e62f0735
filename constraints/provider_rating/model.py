"""Provider rating (soft): prefer providers parents and schools rated well.

Earns `provider_rating` × (rating − 3) per class hour a week of provider sections.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.common.keys import TermName
from constraints.common.terms import SCALE, Term, rounded_up, total
from constraints.common.variables import Variables
from models.instance import Instance


def add(model: cp_model.CpModel, instance: Instance, vars: Variables) -> list[Term]:
    parts = []
    for data in instance.schools:
        weight = data.policy.weights.provider_rating
        for slot in data.slots:
            for provider_id, var in vars.providers_of(data.school.id, slot).items():
                rating = instance.providers[provider_id].rating
                # Rounded up, the model's score is never below the timetable's, so its
                # bound bounds the true score.
                coefficient = rounded_up((rating - 3) * SCALE * weight)
                parts.append(coefficient * slot.class_hours * var)
    return [Term(TermName.PROVIDER_RATING, total(parts), 1)] if parts else []
