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


class _Loader(yaml.SafeLoader):
    """PyYAML's composer, but plain scalars are left untyped for the YAML 1.2 rules below."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    if node.style is not None or node.tag != _PLAIN:
        return text  # quoted or explicitly tagged: always text
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


class _Builder:
    def __init__(self, filename: str):
        self.filename = filename
        self.positions: dict[Path, Location] = {}
        self.problems: list[Problem] = []

    def where(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.filename, mark.line + 1, mark.column + 1)

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.where(node), message))

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.positions[path] = self.where(node)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        raise AssertionError(f"unknown YAML node {node!r}")

    def build_mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _PLAIN and key_node.value == "<<":
                self.problem(key_node, "merge keys (<<) are not supported")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a key must be plain text")
                continue
            key = _scalar(key_node)
            if key in result:
                self.problem(key_node, f"duplicate key {key_node.value!r}")
                continue
            self.positions[(*path, f"{key}@key")] = self.where(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result


def load_yaml(text: str, filename: str) -> tuple[Any, dict[Path, Location]]:
    """Parse one YAML document; return its value and the position of every node."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(filename, mark.line + 1, mark.column + 1) if mark else None
        message = (exc.problem or exc.context or "not valid YAML").strip()
        raise InputError([Problem(where, f"not valid YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(Location(filename, 1, 1), f"not valid YAML: {exc}")]) from None
    if node is None:
        raise InputError([Problem(Location(filename, 1, 1), "the file is empty")])
    builder = _Builder(filename)
    value = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return value, builder.positions
