"""Ctrl-C during a search raises KeyboardInterrupt, as it does everywhere else in Python.

Left to itself, CP-SAT catches SIGINT: it ends the search and returns the best timetable
so far as if time had run out (the caller cannot tell), and afterwards leaves SIGINT at
the system default (the next Ctrl-C kills Python without clean-up). Inside
`noticing_interrupts`, every solver `make_solver` makes runs with `catch_sigint_signal`
off, so Python's own handler takes Ctrl-C; a watcher thread, woken through
`signal.set_wakeup_fd`, stops the searches (`CpSolver.stop_search`), and Python raises
KeyboardInterrupt as soon as the search returns.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from ortools.sat.python import cp_model

_watching: list[_Watcher] = []  # the watcher of the block we are in, if any


def track(solver: cp_model.CpSolver) -> None:
    """Leave Ctrl-C to Python for this solver, and stop it when Ctrl-C comes (in the block)."""
    if _watching:
        solver.parameters.catch_sigint_signal = False
        _watching[-1].solvers.add(solver)


@contextmanager
def noticing_interrupts() -> Iterator[None]:
    """Within the block, Ctrl-C stops CP-SAT and raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread() or os.name != "posix":
        yield  # Python handles signals in the main thread; Windows wakes only on sockets
        return
    read, write = os.pipe()
    os.set_blocking(write, False)  # Python's handler must never block on it
    watcher = _Watcher(read)
    previous = signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    _watching.append(watcher)
    watcher.start()
    try:
        yield
    finally:
        _watching.remove(watcher)
        signal.set_wakeup_fd(previous)
        watcher.stop(write)
        os.close(read)
        os.close(write)


class _Watcher(threading.Thread):
    """Stops every search under way when Python's SIGINT handler writes to the wake-up fd."""

    def __init__(self, read: int) -> None:
        super().__init__(name="afterschool-interrupts", daemon=True)
        self.read = read
        self.solvers: weakref.WeakSet[cp_model.CpSolver] = weakref.WeakSet()
        self.hit = False

    def run(self) -> None:
        while True:
            select.select([self.read], [], [], 0.1 if self.hit else None)
            data = _drain(self.read)
            if b"stop" in data:
                return
            if data:  # the byte of a signal: only SIGINT has a Python handler here
                self.hit = True
            if self.hit:  # again each poll: a search may have been starting
                for solver in list(self.solvers):
                    solver.stop_search()

    def stop(self, write: int) -> None:
        os.write(write, b"stop")
        self.join()


def _drain(fd: int) -> bytes:
    os.set_blocking(fd, False)
    try:
        return os.read(fd, 4096)
    except BlockingIOError:
        return b""
