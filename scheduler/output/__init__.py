"""Writing outputs so that a failed, interrupted or concurrent run never loses what was there.

- `write_atomic`: one file, written beside its target and renamed over it.
- `refuse_inputs`: a run never writes onto one of its own input files.
- `output_folder`: a run's whole output set for a folder DIR, all or nothing. The folder is
  locked (`DIR/.afterschool.lock`: a second run exits 2), every file is written into a
  fresh hidden folder inside DIR, and `commit` swaps the new entries in (rename the old
  away, rename the new in; on failure the old come back). Files afterschool did not make
  (not listed in `DIR/.afterschool.json`) are kept. The rules are in docs/views.md.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from models.problems import InputError, Problem

LOCK_NAME = ".afterschool.lock"
MANIFEST_NAME = ".afterschool.json"  # the files afterschool made in DIR
NEW_PREFIX = ".afterschool-new-"
OLD_PREFIX = ".afterschool-old-"
TRASH_PREFIX = ".afterschool-trash-"


class Interrupted(Exception):
    """Ctrl-C: what the run kept, for the message (exit 130)."""


def refused(message: str) -> InputError:
    """A refusal reported like bad input: the message, exit 2, nothing written."""
    return InputError([Problem(None, message)])


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; keep the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- never onto an input --------------------------------------------------------------


def same_file(a: Path, b: Path) -> bool:
    """One file under two names: the same resolved path, or (both existing) the same inode,
    which also catches hard links."""
    if Path(os.path.abspath(a)).resolve() == Path(os.path.abspath(b)).resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): the resolved paths decided
        return False


def refuse_inputs(out: Path, inputs: Iterable[tuple[str, Path | None]], option: str = "-o") -> None:
    """Refuse (exit 2) when `out` is one of the run's inputs, given as (what, path) pairs."""
    for what, path in inputs:
        if path is not None and same_file(out, path):
            raise refused(
                f"{option} {out} is also the {what} this run reads; writing it would "
                "destroy it: choose another output"
            )


# --- one folder, all or nothing -------------------------------------------------------


class OutputFolder:
    """The fresh folder a run writes into (`path`), and the swap that publishes it."""

    def __init__(self, target: Path, path: Path, inputs: list[Path], names: set[str]):
        self.target = target
        self.path = path
        self.inputs = inputs
        self.names = names  # the top-level entries this run may write
        self.committed = False

    def final(self, paths: Iterable[Path]) -> list[Path]:
        """Where files written under `path` end up after the commit."""
        return [self.target / p.relative_to(self.path) for p in paths]

    def commit(self, scope: Iterable[str] | None = None) -> None:
        """Swap this run's files in. Files an earlier run made under the top-level names in
        `scope` (default: all the run's names) and this run did not write again are
        removed; files afterschool never made are kept."""
        new = _files_under(self.path)
        made = _read_manifest(self.target)
        names = self.names if scope is None else set(scope)
        stale = {p for p in made - new if p.split("/")[0] in names}
        self._refuse_inputs(new | stale)
        entries = sorted({p.split("/")[0] for p in new | stale})
        for name in entries:
            _keep_users_files(self.target / name, self.path / name, made | new, name)
        with _holding_interrupts():  # a few renames: the folder is never half swapped
            trash = _swap(self.target, self.path, entries)
            self.committed = True
            kept = {p for p in made - stale if (self.target / p).is_file()}
            write_atomic(self.target / MANIFEST_NAME, _manifest_text(kept | new))
        shutil.rmtree(trash, ignore_errors=True)

    def _refuse_inputs(self, touched: set[str]) -> None:
        """No input may be among the entries this commit replaces or removes."""
        for path, relative in _inside(self.target, self.inputs):
            if relative in touched:
                raise _input_in_the_way(path, self.target)


def _inside(target: Path, inputs: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """(input, its path relative to `target`) for the inputs inside `target`. Renames never
    write through a link, so the entry's own path counts, not where a link points."""
    base = target.resolve()
    for path in inputs:
        entry = Path(os.path.abspath(path))
        try:
            yield path, (entry.parent.resolve() / entry.name).relative_to(base).as_posix()
        except ValueError:
            continue  # elsewhere


def _input_in_the_way(path: Path, target: Path) -> InputError:
    return refused(
        f"{path} is an input of this run and would be replaced in {target}: "
        "choose another output folder"
    )


def _refuse_inputs_early(target: Path, inputs: Iterable[Path], names: set[str]) -> None:
    """Before any work: an input that is one of the run's entries, or a file an earlier run
    made under them, would be replaced."""
    made = _read_manifest(target)
    for path, relative in _inside(target, inputs):
        if relative.split("/")[0] in names and (relative in names or relative in made):
            raise _input_in_the_way(path, target)


@contextmanager
def output_folder(
    target: Path, names: Iterable[str], inputs: Iterable[Path] = ()
) -> Iterator[OutputFolder]:
    """Lock `target`, give the run a fresh folder inside it, clean up whatever happens.

    `names` are the top-level entries the run may write. Ctrl-C before the commit becomes
    `Interrupted` with "left as it was": the target is untouched. Write into `.path`, then
    call `commit` once.
    """
    inputs, names = list(inputs), set(names)
    _refuse_inputs_early(target, inputs, names)
    with _locked(target):
        _recover(target)
        fresh = Path(tempfile.mkdtemp(prefix=NEW_PREFIX, dir=target))
        folder = OutputFolder(target, fresh, inputs, names)
        try:
            yield folder
        except KeyboardInterrupt:
            kept = "holds this run's outputs" if folder.committed else "left as it was"
            raise Interrupted(f"interrupted: {target} {kept}") from None
        finally:
            shutil.rmtree(fresh, ignore_errors=True)


def _files_under(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir()}


def _read_manifest(target: Path) -> set[str]:
    try:
        data = json.loads((target / MANIFEST_NAME).read_text(encoding="utf-8"))
        listed = [Path(str(p)) for p in data["files"]]
        return {p.as_posix() for p in listed if not p.is_absolute() and ".." not in p.parts}
    except (OSError, ValueError, KeyError, TypeError):
        return set()  # no record (a folder from before, or the user's): nothing is ours


def _manifest_text(files: set[str]) -> str:
    note = "files afterschool made here; the next run may replace or remove them"
    return json.dumps({"about": note, "files": sorted(files)}, ensure_ascii=False, indent=0)


def _keep_users_files(old: Path, new: Path, ours: set[str], name: str) -> None:
    """Carry the files of the old folder `old` that afterschool did not make into `new`,
    which replaces it: the user's own files survive the swap (where this run writes a file
    of the same path, the new file wins)."""
    if not old.is_dir() or old.is_symlink():
        return
    for path in old.rglob("*"):
        relative = f"{name}/{path.relative_to(old).as_posix()}"
        if path.is_dir() or relative in ours:
            continue
        copy = new / path.relative_to(old)
        if copy.exists():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, copy, follow_symlinks=False)  # instant, and the very same file
        except OSError:
            shutil.copy2(path, copy, follow_symlinks=False)


def _swap(target: Path, fresh: Path, names: list[str]) -> Path:
    """Rename each old entry away and the new one in; undo every step if one fails.
    Returns the folder holding the old entries, to remove."""
    old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=target))
    done: list[tuple[str, bool, bool]] = []
    try:
        for name in names:
            moved = _move(target / name, old / name)
            placed = _move(fresh / name, target / name)
            done.append((name, moved, placed))
    except BaseException:
        for name, moved, placed in reversed(done):
            if placed:
                os.replace(target / name, fresh / name)
            if moved:
                os.replace(old / name, target / name)
        raise
    trash = old.with_name(TRASH_PREFIX + old.name.removeprefix(OLD_PREFIX))
    os.replace(old, trash)  # marks the swap complete, for _recover
    return trash


def _move(source: Path, dest: Path) -> bool:
    if not source.exists() and not source.is_symlink():
        return False
    os.replace(source, dest)
    return True


def _recover(target: Path) -> None:
    """Tidy after a run that was killed (we hold the lock, so it is not running): an
    unfinished swap gets its old entries back; temporary folders go."""
    for leftover in sorted(target.glob(".afterschool-*-*")):
        if leftover.name.startswith(OLD_PREFIX):
            for entry in leftover.iterdir():
                if not (target / entry.name).exists():
                    os.replace(entry, target / entry.name)
        if leftover.name.startswith((NEW_PREFIX, OLD_PREFIX, TRASH_PREFIX)):
            shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def _holding_interrupts() -> Iterator[None]:
    """Delay Ctrl-C until the block has run (Python handles signals in the main thread)."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


# --- one run at a time ----------------------------------------------------------------


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold `target/.afterschool.lock`, or refuse (exit 2) naming the run that holds it.

    The kernel drops a lock when its process dies, so a lock file left by a killed run is
    simply taken over."""
    path = target / LOCK_NAME
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd = _acquire(path, target)
    except OSError as exc:  # a read-only folder, a file in the way: say so before any work
        raise refused(f"cannot write to {target}: {exc.strerror or exc}") from None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        Path(path).unlink(missing_ok=True)  # before unlocking: a waiting run opens afresh
        os.close(fd)


def _acquire(path: Path, target: Path) -> int:
    try:
        import fcntl
    except ImportError:  # not POSIX (Windows): no lock, the rest still holds
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise refused(
                f"another afterschool run is writing {target} (pid {pid}); "
                "wait for it to finish or choose another folder"
            ) from None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # the holder removed the file as we opened it: lock the new one


# --- a few single files, together -----------------------------------------------------


@contextmanager
def all_or_none(*paths: Path) -> Iterator[None]:
    """Files written in the block (atomically, one by one) get their old contents back if
    the block fails or is interrupted, so a run leaves all of them new or all as they were.
    Ctrl-C becomes `Interrupted` naming them."""
    before = {path: path.read_bytes() if path.is_file() else None for path in paths}
    try:
        yield
    except BaseException as exc:
        with _holding_interrupts():
            for path, data in before.items():
                _put_back(path, data)
        if isinstance(exc, KeyboardInterrupt):
            names = ", ".join(str(p) for p in paths)
            raise Interrupted(f"interrupted: {names} left as they were") from None
        raise


def _put_back(path: Path, data: bytes | None) -> None:
    now = path.read_bytes() if path.is_file() else None
    if now == data:
        return
    if data is None:
        path.unlink(missing_ok=True)
    else:
        write_atomic(path, data)
