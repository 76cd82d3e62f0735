"""The linear relaxation of the timetable model, strengthened, as a bound in students.

The CP-SAT model is exact for our rules (docs/rules.md): every timetable the rules allow is
one of its solutions. Its linear relaxation, read constraint by constraint from the model
itself, so every rule family's part is in it with no second copy of a rule, is therefore
a relaxation too, once constraints it cannot state are dropped (those with an enforcement
literal, and the non-linear helpers of the soft terms): dropping a constraint only widens
the set. Maximising the students with choices who get one over it bounds the count of
any timetable.

On its own that relaxation is as loose as the flow of `scheduler.solver.bound`: a slot may
open a hundredth of a section for the one child who fits it. The strengthening says that
a child seated in a slot needs the slot open: seats(g, slot) ≤ size(g) × sections(slot).
It holds for every timetable (seats > 0 only where a section opens), and with teachers'
caps, one place at a time and every needed period supervised, it prices each club section
at a whole teacher, which is what makes children's scattered windows expensive. Measured
on the benchmark families (docs/solver.md "A bound in students"): mixed S 97.3 % → 87.7 %,
dismissal 94.8 → 89.9, days 92.3 → 90.4, staff 93.0 → 91.7.
"""

from __future__ import annotations

import math

from ortools.linear_solver import pywraplp

from constraints.common.variables import Variables

# The model's large finite bounds stand for "none".
_UNBOUNDED = 2**50
# GLOP's optimum is exact to its tolerances; a bound rounds up by more than they can err.
_SLACK = 1e-3
TIME_LIMIT_MS = 60_000


def relaxed_matches(vars: Variables) -> float | None:
    """At most how many students with choices get one (a real number, the relaxation's
    optimum), or None when the linear program was not solved in time."""
    unmatched = list(vars.unmatched.values())
    if not unmatched:
        return None
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    columns = _columns(lp, vars)
    _rows(lp, vars, columns)
    _seats_need_sections(lp, vars, columns)
    objective = lp.Objective()
    for var in unmatched:
        objective.SetCoefficient(columns[var.index], 1)
    objective.SetMinimization()
    lp.SetTimeLimit(TIME_LIMIT_MS)
    # Measured on the benchmark families: the primal simplex took a minute or more on
    # 600-student schools, the dual simplex 2-5 s.
    lp.SetSolverSpecificParametersAsString("use_dual_simplex: true")
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    with_choices = sum(g.size for d in vars.instance.schools for g in d.groups if g.has_choices)
    return with_choices - objective.Value()


def bound_count(relaxed: float) -> int:
    """The integer count the relaxation allows (rounded up past the solver's tolerance)."""
    return math.floor(relaxed + _SLACK)


Columns = dict[int, pywraplp.Variable]  # by the model's variable index


def _columns(lp: pywraplp.Solver, vars: Variables) -> Columns:
    """A column for each decision and each count of students left out: the helpers of
    the soft terms (and the rules written on them) stay out, which only relaxes, and
    keeps the program small enough to solve in seconds."""
    kept = [*vars.decisions(), *vars.unmatched.values(), *vars.unserved_vars().values()]
    proto = vars.model.proto.variables
    columns = {}
    for var in kept:
        domain = list(proto[var.index].domain)
        columns[var.index] = lp.NumVar(float(domain[0]), float(domain[-1]), "")
    return columns


def _rows(lp: pywraplp.Solver, vars: Variables, columns: Columns) -> None:
    """Every constraint of the model the relaxation can state: linear ones (their domain's
    hull) and at-most-one, exactly-one, at-least-one and all of literals. (Only `has_`
    asks: reading an unset part of a constraint would set it, and change the model.)"""
    infinity = lp.infinity()
    for constraint in vars.model.proto.constraints:
        if len(constraint.enforcement_literal):
            continue
        if constraint.has_linear():
            _linear(lp, columns, constraint.linear)
        elif constraint.has_at_most_one():
            _literal_sum(lp, columns, list(constraint.at_most_one.literals), -infinity, 1.0)
        elif constraint.has_exactly_one():
            _literal_sum(lp, columns, list(constraint.exactly_one.literals), 1.0, 1.0)
        elif constraint.has_bool_or():
            _literal_sum(lp, columns, list(constraint.bool_or.literals), 1.0, infinity)
        elif constraint.has_bool_and():
            for literal in constraint.bool_and.literals:
                _literal_sum(lp, columns, [literal], 1.0, 1.0)


def _linear(lp: pywraplp.Solver, columns: Columns, linear: object) -> None:
    refs = list(linear.vars)  # type: ignore[attr-defined]
    if not refs or any(ref not in columns for ref in refs):
        return
    domain = list(linear.domain)  # type: ignore[attr-defined]
    infinity = lp.infinity()
    low = domain[0] if domain[0] > -_UNBOUNDED else -infinity
    high = domain[-1] if domain[-1] < _UNBOUNDED else infinity
    row = lp.Constraint(low, high)
    for ref, coefficient in zip(refs, linear.coeffs, strict=True):  # type: ignore[attr-defined]
        _add(row, columns[ref], coefficient)


def _literal_sum(lp: pywraplp.Solver, columns: Columns, literals: list[int],
                 low: float, high: float) -> None:
    """low ≤ Σ literals ≤ high, where a negative reference r means 1 − x[−r − 1]."""
    if any((ref if ref >= 0 else -ref - 1) not in columns for ref in literals):
        return
    negated = sum(1 for ref in literals if ref < 0)
    row = lp.Constraint(low - negated, high - negated)
    for ref in literals:
        if ref >= 0:
            _add(row, columns[ref], 1)
        else:
            _add(row, columns[-ref - 1], -1)


def _add(row: pywraplp.Constraint, column: pywraplp.Variable, coefficient: float) -> None:
    """Add to a coefficient (a variable may appear twice in a constraint)."""
    row.SetCoefficient(column, row.GetCoefficient(column) + coefficient)


def _seats_need_sections(lp: pywraplp.Solver, vars: Variables,
                         columns: Columns) -> None:
    """seats(g, slot) ≤ size(g) × sections(slot), for every seat variable."""
    for data in vars.instance.schools:
        sid = data.school.id
        for slot in data.slots:
            units = [*vars.teachers_of(sid, slot).values(), *vars.providers_of(sid, slot).values()]
            for group, seats in vars.seats_in(sid, slot):
                row = lp.Constraint(-lp.infinity(), 0)
                row.SetCoefficient(columns[seats.index], 1)
                for unit in units:
                    _add(row, columns[unit.index], -group.size)
