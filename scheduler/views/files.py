"""Writing outputs safely: a file is written beside its target, then renamed over it.

A failed or interrupted export therefore never leaves a half-written file where a good
one was (SPEC §6).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_name(text: str) -> str:
    """A file name from an id: path separators and characters Windows refuses become `_`."""
    cleaned = _UNSAFE.sub("_", text).strip(" .")
    return cleaned or "_"


def write_with(path: Path, writer: Callable[[Path], None]) -> Path:
    """Call `writer(temp_path)`, then rename the finished file to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        writer(Path(temp))
        os.chmod(temp, 0o644)  # mkstemp makes it private; an export is for sharing
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    def write(temp: Path) -> None:
        temp.write_bytes(data)

    return write_with(path, write)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(path, text.encode(encoding))


def replace_dir(path: Path, fill: Callable[[Path], list[Path]]) -> list[Path]:
    """Fill a fresh sibling folder, then swap it in place of `path` in two renames.

    For folders of thousands of small files (calendars): the old folder stays whole until
    the new one is complete, files of people no longer in the timetable disappear, and no
    per-file temporary is needed. `fill(folder)` returns the paths it wrote under `folder`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        written = [path / p.relative_to(fresh) for p in fill(fresh)]
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    os.chmod(fresh, 0o755)
    old = None
    if path.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
        os.replace(path, old / path.name)
    os.replace(fresh, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return written
