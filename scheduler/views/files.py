"""File names from ids, and files written beside their target, then renamed over it.

The whole output folder is swapped in at the end (`scheduler.output.output_folder`); a file
renamed into place is still never half-written for whoever reads the fresh folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f~]')  # `~` marks a name that was changed
_RESERVED = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", re.I)  # Windows device names
MAX_NAME_BYTES = 64  # of the readable part: far below every file system's 255


def safe_name(text: str) -> str:
    """A file name from an id, one to one: the id itself when it is safe everywhere, else a
    readable slug plus `~` and a hash of the exact id, so `a/b`, `a_b` and `a:b` never share
    a file. Upper case counts as unsafe (Windows and macOS ignore case by default), and the
    slug is cut to MAX_NAME_BYTES so a long id still gives a valid name."""
    if _keeps_as_is(text):
        return text
    slug = _cut(_UNSAFE.sub("_", text).strip(" .").lower(), MAX_NAME_BYTES) or "_"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"{slug}~{digest}"


def _keeps_as_is(text: str) -> bool:
    return (
        bool(text)
        and not _UNSAFE.search(text)
        and text == text.strip(" .")
        and text == text.lower()
        and len(text.encode("utf-8")) <= MAX_NAME_BYTES
        and not _RESERVED.fullmatch(text)
    )


def _cut(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, never splitting a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


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
