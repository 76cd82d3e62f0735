"""YAML read with YAML 1.2 core-schema meanings, keeping every node's position.

PyYAML implements YAML 1.1: unquoted `15:30` becomes the integer 930 (base 60) and
`no` becomes False. We compose the node tree with PyYAML (which gives positions) and
build plain Python values ourselves with the 1.2 core schema, so times stay text.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .problems import InputError, Location, Problem

Path = tuple[str | int, ...]

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


_PLAIN = "tag:afterschool,2027:plain"  # a plain scalar, before YAML 1.2 gives it a meaning
_INF = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"^\.(nan|NaN|NAN)$")


MAX_DEPTH = 40  # a district file nests about 8 levels; far deeper is a broken or hostile file
MAX_ALIAS_NODES = 100_000  # values that aliases may add: enough to share, too few for a bomb


class _Untyped:
    """PyYAML's composer, but plain scalars are left untyped for the YAML 1.2 rules below."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


class _PyLoader(_Untyped, yaml.SafeLoader):
    pass


# libyaml's parser when PyYAML has it: about five times faster on a large file.
_Loader: Any = type("_Loader", (_Untyped, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ \
    else _PyLoader


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    if node.style or node.tag != _PLAIN:  # plain style is None (Python) or "" (libyaml)
        return text  # quoted, block or explicitly tagged: always text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float(text.replace(".", ""))
    if _NAN.match(text):
        return float("nan")
    return text


class _TooDeep(Exception):
    """Stops building at once: past the limits, nothing more is worth reporting."""

    def __init__(self, problem: Problem):
        self.problem = problem


class _Builder:
    def __init__(self, filename: str, budget: int):
        self.filename = filename
        self.positions: dict[Path, Location] = {}
        self.problems: list[Problem] = []
        self.budget = budget  # values left to build: the file's own plus MAX_ALIAS_NODES
        self.open: list[yaml.Node] = []  # the collections being built, outermost first

    def where(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.filename, mark.line + 1, mark.column + 1)

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.where(node), message))

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooDeep(Problem(self.where(node), "aliases (*name) repeat values more than "
                                   f"{MAX_ALIAS_NODES:,} times; write the values out instead"))
        self.positions[path] = self.where(node)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if len(self.open) >= MAX_DEPTH:
            self.too_deep(node)
        self.open.append(node)
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self.build_mapping(node, path)
            raise AssertionError(f"unknown YAML node {node!r}")
        finally:
            self.open.pop()

    def too_deep(self, node: yaml.Node) -> None:
        if any(node is outer for outer in self.open):
            message = "an alias (*name) refers to itself: the value would never end"
        else:
            message = f"values are nested more than {MAX_DEPTH} levels deep"
        raise _TooDeep(Problem(self.where(node), message))

    def build_mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _PLAIN and key_node.value == "<<":
                self.problem(key_node, "merge keys (<<) are not supported")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a key must be plain text")
                continue
            key = _scalar(key_node)
            if _same_key(key) in seen:  # `3:`, `"3":` and `03:` are one grade once read
                self.problem(key_node, f"duplicate key {key_node.value!r}")
                continue
            seen.add(_same_key(key))
            self.positions[(*path, f"{key}@key")] = self.where(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result


def _same_key(key: Any) -> str:
    """A key as the model will read it: the numbers 3, 3.0, "3" and "03" are one key."""
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    elif isinstance(key, str) and _INT.match(key.strip()):
        key = int(key)
    return str(key)


def _count_nodes(text: str, filename: str, loader: Any) -> int:
    """The file's own values (aliases not expanded); refuses deep nesting before composing.

    PyYAML's composer recurses once per level, so a deeply nested file would end in a
    RecursionError (or worse, in libyaml's C stack); the event stream has no such limit.
    """
    count = depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                where = Location(filename, mark.line + 1, mark.column + 1) if mark else None
                message = f"values are nested more than {MAX_DEPTH} levels deep"
                raise InputError([Problem(where, message)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        count += isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent)
    return count


def _compose(text: str, filename: str, loader: Any = _Loader) -> tuple[yaml.Node | None, int]:
    try:
        count = _count_nodes(text, filename, loader)
        return yaml.compose(text, Loader=loader), count
    except yaml.MarkedYAMLError as exc:
        if loader is not _PyLoader:  # PyYAML's own messages are the clearer ones: ask it
            return _compose(text, filename, _PyLoader)
        mark = exc.problem_mark or exc.context_mark
        where = Location(filename, mark.line + 1, mark.column + 1) if mark else None
        message = (exc.problem or exc.context or "not valid YAML").strip()
        raise InputError([Problem(where, f"not valid YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(Location(filename, 1, 1), f"not valid YAML: {exc}")]) from None


def load_yaml(text: str, filename: str) -> tuple[Any, dict[Path, Location]]:
    """Parse one YAML document; return its value and the position of every node."""
    node, count = _compose(text, filename)
    if node is None:
        raise InputError([Problem(Location(filename, 1, 1), "the file is empty")])
    builder = _Builder(filename, count + MAX_ALIAS_NODES)
    try:
        value = builder.build(node, ())
    except _TooDeep as stop:
        raise InputError([stop.problem]) from None
    if builder.problems:
        raise InputError(builder.problems)
    return value, builder.positions
