"""`--set KEY=VALUE`: run ours with solve settings changed (shared by the benchmarks)."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="ours with this SolveSettings field changed, e.g. "
                             "match_phase=0.8 (repeatable; VALUE read as JSON)")


def parse_changes(pairs: list[str]) -> dict[str, Any]:
    """{field: value} from KEY=VALUE pairs; a VALUE that is not JSON is a string."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            changes[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            changes[key.strip()] = value
    return changes
