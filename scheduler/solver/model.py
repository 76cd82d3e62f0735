"""The CP-SAT model: make variables, add the hard rules, add the soft rules' objective."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from constraints.assemble import model_parts
from constraints.common.terms import Term
from constraints.common.variables import GuardBy, Variables
from models.instance import Instance

Decisions = Mapping[int, int]  # a value for some decision variables, by variable index


@dataclass
class Start:
    """A whole assignment known to keep every rule (a completed hint): every variable's
    value by proto index, and the model's objective there."""

    values: list[int]
    objective: float


@dataclass
class Model:
    cp: cp_model.CpModel
    vars: Variables
    terms: list[Term]
    # The completed hint, a timetable before any search: reported as the first, and
    # kept if the search ends before it finds one (scheduler.solver.solve).
    start: Start | None = None

    @property
    def instance(self) -> Instance:
        return self.vars.instance

    @property
    def size(self) -> int:
        return len(self.cp.proto.variables)

    def hint(self, values: Decisions) -> None:
        """Start the search from these values (every decision not named: 0)."""
        indices = [var.index for var in self.vars.decisions()]
        set_hint(self.cp, indices, [values.get(i, 0) for i in indices])

    def hint_all(self, values: Sequence[int]) -> None:
        """Start the search from a whole assignment (a solver's response, by variable index)."""
        set_hint(self.cp, range(len(values)), values)

    def fix(self, values: Decisions) -> None:
        """Hold the named decisions at these values."""
        for index, value in values.items():
            self.cp.add(self.cp.get_int_var_from_proto_index(index) == value)


def set_hint(cp: cp_model.CpModel, indices: Iterable[int], values: Iterable[int]) -> None:
    """Replace the model's hint, written into the proto at once (a call per variable cost
    0.4 s on a 1,500-student school, repeated for every phase)."""
    cp.clear_hints()
    hint = cp.proto.solution_hint
    hint.vars.extend(indices)
    hint.values.extend(values)


def held(cp: cp_model.CpModel, values: Iterable[tuple[int, int]],
         into: cp_model.CpModel | None = None) -> cp_model.CpModel:
    """A copy of `cp` with each (variable index, value) of `values` held at that value;
    written over `into` when given (a search of many parts reuses one model: each copy
    dropped is garbage until Python's full collection, scheduler.solver.memory). The copy
    is for solving: `into`'s constants map is not rebuilt."""
    if into is None:
        copy = cp.clone()
    else:
        copy = into
        copy.proto.copy_from(cp.proto)
    variables = copy.proto.variables
    for index, value in values:
        domain = variables[index].domain
        domain.clear()
        domain.extend((value, value))
    return copy


def objective_at(cp: cp_model.CpModel, values: Sequence[int]) -> float:
    """The objective of `cp` at a whole assignment (by variable index), on the scale of
    `CpSolver.objective_value`."""
    proto = cp.proto

    def value(ref: int) -> int:  # a negative reference stands for the variable negated
        return values[ref] if ref >= 0 else -values[-ref - 1]

    if proto.has_floating_point_objective():
        floating = proto.floating_point_objective
        return floating.offset + sum(c * value(v) for v, c in zip(floating.vars, floating.coeffs,
                                                                   strict=True))
    objective = proto.objective
    total = objective.offset + sum(c * value(v) for v, c in zip(objective.vars, objective.coeffs,
                                                               strict=True))
    return (objective.scaling_factor or 1.0) * total


def domain_bound(cp: cp_model.CpModel) -> float:
    """The objective's largest value over the variables' domains alone: the bound known
    before any search (CP-SAT's maximisation is stored as a scaled minimisation)."""
    objective = cp.proto.objective
    domains = cp.proto.variables
    least = 0
    for v, c in zip(objective.vars, objective.coeffs, strict=True):
        # A list first: OR-Tools 9.15's proto fields read [-1] out of bounds (0 or garbage).
        domain = list(domains[v].domain)
        least += min(c * domain[0], c * domain[-1])
    return (objective.scaling_factor or 1.0) * (objective.offset + least)


def build_model(
    instance: Instance,
    hint: Decisions | None = None,
    fixed: Decisions | None = None,
    guard_by: GuardBy | None = None,
) -> Model:
    """`guard_by` maps a hard rule instance's name to a guard key (see `Variables.guard`)."""
    cp = cp_model.CpModel()
    vars = Variables(cp, instance, guard_by)
    # A hard family may still price its relaxation (best_effort coverage), so keep its terms.
    terms = [term for add in model_parts() for term in add(cp, instance, vars)]
    cp.maximize(
        cp_model.LinearExpr.weighted_sum([t.expr for t in terms], [t.weight for t in terms])
    )
    model = Model(cp, vars, terms)
    if hint is not None:
        model.hint(hint)
    if fixed is not None:
        model.fix(fixed)
    return model
