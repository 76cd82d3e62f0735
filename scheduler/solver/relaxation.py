"""The linear relaxation of the timetable model, strengthened, as a bound in students.

The CP-SAT model is exact for our rules (docs/rules.md): every timetable the rules allow is
one of its solutions. Its linear relaxation, read constraint by constraint from the model
itself, so every rule family's part is in it with no second copy of a rule, is therefore
a relaxation too, once constraints it cannot state are dropped (those with an enforcement
literal, and the helpers of the soft terms): dropping a constraint only widens the set.
Minimising the students with choices who get none over it bounds every timetable.

On its own that relaxation is as loose as the flow of `scheduler.solver.bound`: a slot may
open a hundredth of a section for the one child who fits it. The strengthening says that
a child seated in a slot needs the slot open: seats(g, slot) ≤ size(g) × sections(slot).
It holds for every timetable (seats > 0 only where a section opens), and with teachers'
caps, one place at a time and every needed period supervised, it prices each club section
at a whole teacher, which is what makes children's scattered windows expensive.

The number reported is not the LP solver's optimum but the value of the Lagrangian dual
at the solver's row duals: for any multipliers, min over the variables' box of
c·x − y·(A·x − b) is at most the optimum (every variable here has finite bounds), so the
bound holds whatever the solver's tolerances, and equals the optimum at exact duals.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.math_opt import callback_pb2, model_parameters_pb2, model_pb2, parameters_pb2
from ortools.math_opt.core.python import solver as math_opt

from constraints.common.variables import Variables

_UNBOUNDED = 2**50  # the model's large finite bounds stand for "none"
_ROUNDING = 1e-6  # float sums over a few million terms err far less than this
TIME_LIMIT_SECONDS = 60.0  # the default; callers give the time the user can wait


@dataclass
class Program:
    """min c·x subject to low ≤ A·x ≤ high and lower ≤ x ≤ upper, A by its entries."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    low: list[float] = field(default_factory=list)
    high: list[float] = field(default_factory=list)
    entry_rows: list[int] = field(default_factory=list)
    entry_columns: list[int] = field(default_factory=list)
    entry_values: list[float] = field(default_factory=list)
    # Columns of the program's own (not the model's) that are whole numbers in every
    # timetable: each slot's sections (`scheduler.solver.integer` branches on them).
    whole: list[int] = field(default_factory=list)

    def column(self, lower: float, upper: float) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(0.0)
        return len(self.lower) - 1

    def row(self, entries: dict[int, float], low: float, high: float) -> None:
        row = len(self.low)
        self.low.append(low)
        self.high.append(high)
        for column, value in entries.items():
            self.entry_rows.append(row)
            self.entry_columns.append(column)
            self.entry_values.append(value)


Columns = dict[int, int]  # the model's variable index -> the program's column


def relaxed_unmatched(vars: Variables, seconds: float = TIME_LIMIT_SECONDS) -> float | None:
    """At least how many students with choices get none of them (a real number), or None
    when the linear program gave no multipliers within `seconds`."""
    relaxed = relax(vars, seconds)
    return None if relaxed is None else relaxed.unmatched


@dataclass(frozen=True)
class Relaxed:
    """The strengthened relaxation of a model, the program's column of each model
    variable, and its row multipliers (None: the interior point gave none in its time).
    Kept by a solve that bounds before its search, so the branch and cut on whole staff
    units starts from the same program and multipliers instead of solving them again."""

    program: Program
    columns: Columns
    duals: np.ndarray | None

    @property
    def unmatched(self) -> float | None:
        """At least how many students with choices get none (None: no multipliers)."""
        return None if self.duals is None else lagrangian(self.program, self.duals)


def relax(vars: Variables, seconds: float = TIME_LIMIT_SECONDS) -> Relaxed | None:
    """The strengthened relaxation, solved for its multipliers within `seconds` (None: no
    student has choices)."""
    if not vars.unmatched:
        return None
    program, columns = strengthened(vars)
    return Relaxed(program, columns, multipliers(program, seconds))


def strengthened(vars: Variables) -> tuple[Program, Columns]:
    """The strengthened relaxation of the model as a program minimising the students
    with choices who get none, and the program's column of each model variable in it."""
    program, columns = Program(), Columns()
    _columns(program, vars, columns)
    _rows(program, vars, columns)
    _seats_need_sections(program, vars, columns)
    for var in vars.unmatched.values():
        program.cost[columns[var.index]] = 1.0
    return program, columns


def primal_and_duals(program: Program, seconds: float = TIME_LIMIT_SECONDS
                     ) -> tuple[np.ndarray, np.ndarray] | None:
    """A solution of the program and its row multipliers, by the same interior point (for
    studies of where the relaxation is loose: `benchmarks/08_relaxation_study.py`)."""
    result = _solved(program, seconds)
    if result is None:
        return None
    for solution in result.solutions:
        if solution.HasField("primal_solution") and solution.HasField("dual_solution"):
            values = dense(solution.primal_solution.variable_values, len(program.cost))
            duals = _dual_values(program, solution)
            return None if duals is None else (values, duals)
    return None


def bound_count(with_choices: int, unmatched: float) -> int:
    """The most students with choices who can get one, given at least `unmatched` don't."""
    return math.floor(with_choices - unmatched + _ROUNDING)


def lagrangian(program: Program, duals: np.ndarray) -> float:
    """A lower bound on the program's minimum from any row multipliers: a positive one
    prices the row's low side, a negative one its high side (zero where that side is
    open), and each column sits at the end of its box its reduced cost prefers."""
    y = signed(program, duals)
    return sides(program, y) + box_minimum(program, reduced_costs(program, y))


def signed(program: Program, duals: np.ndarray) -> np.ndarray:
    """The multipliers a side can take: positive on a finite low side, negative on a
    finite high side, else 0."""
    low, high = np.array(program.low), np.array(program.high)
    y = np.where((duals > 0) & np.isfinite(low), duals, 0.0)
    return y + np.where((duals < 0) & np.isfinite(high), duals, 0.0)


def reduced_costs(program: Program, y: np.ndarray) -> np.ndarray:
    rows = np.array(program.entry_rows, dtype=np.int64)
    columns = np.array(program.entry_columns, dtype=np.int64)
    priced = np.bincount(columns, weights=np.array(program.entry_values) * y[rows],
                         minlength=len(program.cost))
    return np.array(program.cost) - priced


def sides(program: Program, y: np.ndarray, rows: np.ndarray | None = None) -> float:
    """Σ y × the side each multiplier prices, over `rows` (a mask; all when None)."""
    low, high = np.array(program.low), np.array(program.high)
    if rows is not None:
        y = np.where(rows, y, 0.0)
    priced = np.where(y > 0, y * np.where(np.isfinite(low), low, 0.0),
                      y * np.where(np.isfinite(high), high, 0.0))
    return float(priced.sum())


def box_minimum(program: Program, reduced: np.ndarray, columns: np.ndarray | None = None
                ) -> float:
    """Σ reduced × the end of each column's box it prefers, over `columns` (a mask)."""
    at = np.where(reduced >= 0, np.array(program.lower), np.array(program.upper))
    terms = reduced * at
    return float((terms if columns is None else terms[columns]).sum())


def multipliers(program: Program, seconds: float = TIME_LIMIT_SECONDS) -> np.ndarray | None:
    """Row multipliers from HiGHS's interior point method (the HiGHS inside OR-Tools,
    through MathOpt), without crossover.

    Measured (docs/solver.md): on a 600-student school (12,400 columns) 2.2 s where GLOP's
    dual simplex took 2-6 s; on a 3,000-student one (66,700 columns, 990,000 entries) 44 s
    where GLOP's simplex stalled on degenerate pivots for minutes. Interior duals are
    approximate, which costs nothing here: `lagrangian` is a bound at any multipliers, so
    they are used even when the time ran out, as long as HiGHS gave some."""
    result = _solved(program, seconds)
    if result is None:
        return None
    for solution in result.solutions:
        if solution.HasField("dual_solution"):
            return _dual_values(program, solution)
    return None


def _dual_values(program: Program, solution: Any) -> np.ndarray | None:
    duals = dense(solution.dual_solution.dual_values, len(program.low))
    return duals if np.all(np.isfinite(duals)) else None


def dense(sparse: Any, size: int) -> np.ndarray:
    """MathOpt's sparse vector (ids, values) as an array of `size`, zero elsewhere."""
    dense = np.zeros(size)
    dense[np.array(sparse.ids, dtype=np.int64)] = np.array(sparse.values, dtype=float)
    return dense


def _solved(program: Program, seconds: float) -> Any | None:
    model, parameters = math_opt_model(program), _parameters(seconds)
    return _waiting_for(lambda: _highs(model, parameters))


def branch_and_cut(program: Program, whole: np.ndarray, seconds: float) -> Any:
    """MathOpt's result of HiGHS's branch and cut on the program with the `whole` columns
    (a mask) integers, one thread (CP-SAT has the other cores), for `seconds`."""
    model = math_opt_model(program)
    del model.variables.integers[:]
    model.variables.integers.extend(whole.tolist())
    parameters = parameters_pb2.SolveParametersProto(enable_output=False)
    parameters.time_limit.FromMilliseconds(max(100, int(seconds * 1000)))
    parameters.highs.int_options["threads"] = 1
    return _highs(model, parameters)


def _highs(model: model_pb2.ModelProto, parameters: parameters_pb2.SolveParametersProto
           ) -> Any:
    return math_opt.solve(
        model, parameters_pb2.SOLVER_TYPE_HIGHS, parameters_pb2.SolverInitializerProto(),
        parameters, model_parameters_pb2.ModelSolveParametersProto(), None,
        callback_pb2.CallbackRegistrationProto(), None, None)


def _waiting_for(solve: Callable[[], Any]) -> Any | None:
    """The solve's result, or None when it failed (a bound we cannot compute is a bound we
    do not write). It runs in a thread the caller waits for in short naps: MathOpt's HiGHS
    ignores interrupters but releases the GIL, so Ctrl-C still raises KeyboardInterrupt at
    once (the abandoned solve ends at its time limit)."""
    found: list[Any] = []

    def run() -> None:
        try:
            found.append(solve())
        except Exception:  # noqa: BLE001 - reported as no bound
            found.append(None)

    thread = threading.Thread(target=run, name="afterschool-bound", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
    return found[0] if found else None


def _parameters(seconds: float) -> parameters_pb2.SolveParametersProto:
    parameters = parameters_pb2.SolveParametersProto(
        enable_output=False, lp_algorithm=parameters_pb2.LP_ALGORITHM_BARRIER)
    parameters.time_limit.FromMilliseconds(max(100, int(seconds * 1000)))
    parameters.highs.string_options["run_crossover"] = "off"
    parameters.highs.int_options["threads"] = 1  # the search has the other cores
    return parameters


def math_opt_model(program: Program) -> model_pb2.ModelProto:
    """The program as MathOpt's proto: the matrix row by row, as it requires."""
    model = model_pb2.ModelProto()
    columns, rows = len(program.cost), len(program.low)
    model.variables.ids.extend(range(columns))
    model.variables.lower_bounds.extend(program.lower)
    model.variables.upper_bounds.extend(program.upper)
    model.variables.integers.extend([False] * columns)
    costs = np.array(program.cost)
    priced = np.flatnonzero(costs)
    model.objective.linear_coefficients.ids.extend(priced.tolist())
    model.objective.linear_coefficients.values.extend(costs[priced].tolist())
    model.linear_constraints.ids.extend(range(rows))
    model.linear_constraints.lower_bounds.extend(program.low)
    model.linear_constraints.upper_bounds.extend(program.high)
    row, column = np.array(program.entry_rows), np.array(program.entry_columns)
    order = np.lexsort((column, row))
    matrix = model.linear_constraint_matrix
    matrix.row_ids.extend(row[order].tolist())
    matrix.column_ids.extend(column[order].tolist())
    matrix.coefficients.extend(np.array(program.entry_values)[order].tolist())
    return model


def _columns(program: Program, vars: Variables, columns: Columns) -> None:
    """A column for each decision and each count of students left out: the helpers of
    the soft terms (and the rules written on them) stay out, which only relaxes, and
    keeps the program small enough to solve in seconds."""
    kept = [*vars.decisions(), *vars.unmatched.values(), *vars.unserved_vars().values()]
    proto = vars.model.proto.variables
    for var in kept:
        domain = list(proto[var.index].domain)
        columns[var.index] = program.column(float(domain[0]), float(domain[-1]))


def _rows(program: Program, vars: Variables, columns: Columns) -> None:
    """Every constraint of the model the relaxation can state: linear ones (their domain's
    hull) and at-most-one, exactly-one, at-least-one and all of literals. (Only `has_`
    asks: reading an unset part of a constraint would set it, and change the model.)"""
    inf = math.inf
    for constraint in vars.model.proto.constraints:
        if len(constraint.enforcement_literal):
            continue
        if constraint.has_linear():
            _linear(program, columns, constraint.linear)
        elif constraint.has_at_most_one():
            _literal_sum(program, columns, list(constraint.at_most_one.literals), -inf, 1.0)
        elif constraint.has_exactly_one():
            _literal_sum(program, columns, list(constraint.exactly_one.literals), 1.0, 1.0)
        elif constraint.has_bool_or():
            _literal_sum(program, columns, list(constraint.bool_or.literals), 1.0, inf)
        elif constraint.has_bool_and():
            for literal in constraint.bool_and.literals:
                _literal_sum(program, columns, [literal], 1.0, 1.0)


def _linear(program: Program, columns: Columns, linear: object) -> None:
    refs = list(linear.vars)  # type: ignore[attr-defined]
    if not refs or any(ref not in columns for ref in refs):
        return
    domain = list(linear.domain)  # type: ignore[attr-defined]
    low = float(domain[0]) if domain[0] > -_UNBOUNDED else -math.inf
    high = float(domain[-1]) if domain[-1] < _UNBOUNDED else math.inf
    entries: dict[int, float] = {}
    for ref, coefficient in zip(refs, linear.coeffs, strict=True):  # type: ignore[attr-defined]
        column = columns[ref]
        entries[column] = entries.get(column, 0.0) + coefficient
    program.row(entries, low, high)


def _literal_sum(program: Program, columns: Columns, literals: list[int], low: float,
                 high: float) -> None:
    """low ≤ Σ literals ≤ high, where a negative reference r means 1 − x[−r − 1]."""
    if any((ref if ref >= 0 else -ref - 1) not in columns for ref in literals):
        return
    negated = sum(1 for ref in literals if ref < 0)
    entries: dict[int, float] = {}
    for ref in literals:
        column = columns[ref if ref >= 0 else -ref - 1]
        entries[column] = entries.get(column, 0.0) + (1.0 if ref >= 0 else -1.0)
    program.row(entries, low - negated, high - negated)


def _seats_need_sections(program: Program, vars: Variables, columns: Columns) -> None:
    """seats(g, slot) ≤ size(g) × sections(slot), for every seat variable, through one
    column per slot for its sections (cuts written on the staff units themselves held
    millions of coefficients on a 3,000-student school)."""
    for data in vars.instance.schools:
        sid = data.school.id
        for slot in data.slots:
            seated = vars.seats_in(sid, slot)
            units = vars.units(sid, slot)
            if not seated or not units:
                continue
            most = sum(program.upper[columns[u.index]] for u in units)
            sections = program.column(0.0, most)
            program.whole.append(sections)
            opened = {columns[u.index]: 1.0 for u in units}
            opened[sections] = -1.0
            program.row(opened, 0.0, 0.0)
            for group, seats in seated:
                program.row({columns[seats.index]: 1.0, sections: -float(group.size)},
                            -math.inf, 0.0)
