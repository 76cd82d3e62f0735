"""Give memory back to the system between searches.

A CP-SAT model's Python wrapper (`cp_model.CpModel`) sits in a reference cycle, so a copy
of the model dropped after a search is freed only by Python's full collection, which runs
rarely; its protobuf (tens of megabytes on a 3,000-student school) is held until then.
And glibc keeps the pages a search freed for reuse rather than returning them. Measured on
the 3,000-student `mixed` school, 60 s, seed 0 (docs/solver.md "Memory"): with a new copy
per part of the day search, resident memory grew from 650 to 1,081 MB over 38 parts and
the run peaked at 1,326 MB; with one copy written over for every part
(`model.held(..., into=)`), the pages trimmed after each part and, on models that
large, the garbage collected after each phase, it stays at 304 MB between parts and the
run peaks at 822 MB.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none (macOS, Windows,
    musl): there the allocator's own policy stands."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
        return trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()

# Collect only after searching models at least this large. A full collection's cost grows
# with everything the process holds: 0.1 s beside a 3,000-student model, 0.19 s holding a
# district of 30,000 students (20 schools), so a district's worker would pay it for every
# school, while a dropped copy of a 600-student model (12,000 variables) is a few
# megabytes, freed at Python's next full collection anyway.
COLLECT_VARIABLES = 30_000


def release(variables: int = 0) -> None:
    """Return freed pages to the system; after searching a model of at least
    COLLECT_VARIABLES `variables`, first free the garbage in reference cycles (dropped
    model copies). A full collection costs about 0.1 s on a 3,000-student school, so the
    day search calls this without `variables` after each part, and the solve with them
    once per phase."""
    if variables >= COLLECT_VARIABLES:
        gc.collect()
    if _TRIM is not None:
        _TRIM(0)
