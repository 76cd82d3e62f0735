"""The model parts of the registered families, in registry order (hard, then soft)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ortools.sat.python import cp_model

from models.instance import Instance

from . import FAMILIES
from .common.terms import Term
from .common.variables import Variables

ModelPart = Callable[[cp_model.CpModel, Instance, Variables], list[Term]]


def model_parts() -> list[ModelPart]:
    """`constraints.<family>.model.add` of every family that has a model part."""
    return [import_module(f"{__package__}.{f.name}.model").add for f in FAMILIES if f.model]
