"""Helpers shared by the importers: safe writing, ids, YAML flow text."""

from __future__ import annotations

import json
import re

_NOT_ID = re.compile(r"[^\w]+")


def slug(text: str) -> str:
    """A lower-case id from any name: letters and digits of any script, runs of others as `-`."""
    return _NOT_ID.sub("-", text.strip().lower()).replace("_", "-").strip("-")


class IdMaker:
    """Hands out unique ids `prefix + slug(name)`, numbering repeats and empty slugs."""

    def __init__(self, prefix: str, fallback: str):
        self.prefix = prefix
        self.fallback = fallback
        self.used: set[str] = set()

    def make(self, name: str) -> str:
        base = self.prefix + (slug(name) or self.fallback)
        candidate, number = base, 2
        while candidate in self.used:
            candidate, number = f"{base}-{number}", number + 1
        self.used.add(candidate)
        return candidate


def flow(value: object) -> str:
    """YAML flow text for plain data; every string is double-quoted (JSON is valid YAML)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _key(key: object) -> str:
    # Keys are our own field names, weekdays or grade numbers: all plain words.
    return str(key)
