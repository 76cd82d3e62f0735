"""Broken copies of `examples/spec.yaml` never crash `check`: exit 2 with positions, or exit 0.

Hypothesis deletes keys and lines, swaps values for ones of other types, inserts garbage
text and truncates, in the YAML file and in its students CSV; `afterschool check` runs
in-process and must answer every mutant with `file:line[:col]: message` lines.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
YAML = (EXAMPLES / "spec.yaml").read_text(encoding="utf-8")
CSV = (EXAMPLES / "spec_students.csv").read_text(encoding="utf-8")
KEY = re.compile(r"([A-Za-z_]+): ")
VALUES = ['"x"', "-1", "0", "[1, 2]", "{a: 1}", "true", "no", "25:00", "15:30", "null", "3.5",
          "''", "2027-02-30", "[]", "{}", "lesson", "visit", "9999999999999999999999", "!!str 1"]
GARBAGE = st.text(alphabet=list(":{}[]-,#&*!|>'\"\t\n ab1é课"), min_size=1, max_size=12)
POSITION = re.compile(r"^.+\.(yaml|csv):\d+(:\d+)?: \S")


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with one to three random edits."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete_line", "delete_key", "swap", "insert", "truncate"]))
        text = _edit(draw, text, kind)
    return text


def _edit(draw: st.DrawFn, text: str, kind: str) -> str:
    if kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if kind == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(GARBAGE) + text[at:]
    if kind == "delete_line":
        lines = text.splitlines(keepends=True)
        if not lines:
            return text
        del lines[draw(st.integers(0, len(lines) - 1))]
        return "".join(lines)
    keys = list(KEY.finditer(text))
    if not keys:
        return text
    key = keys[draw(st.integers(0, len(keys) - 1))]
    end = _value_end(text, key.end())
    if kind == "delete_key":
        return text[: key.start()] + text[end:]
    return text[: key.end()] + draw(st.sampled_from(VALUES)) + text[end:]


def _value_end(text: str, start: int) -> int:
    """End of a simple value: the next comma, closing brace or line end."""
    for index in range(start, len(text)):
        if text[index] in ",}\n":
            return index
    return len(text)


def _check(folder: Path, yaml_text: str, csv_text: str) -> None:
    (folder / "spec.yaml").write_text(yaml_text, encoding="utf-8")
    (folder / "spec_students.csv").write_text(csv_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder / "spec.yaml")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert lines[-1].endswith("problem(s) found; nothing was written.")
        for line in lines[:-1]:
            assert POSITION.match(line) or line.startswith("... and "), line


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(mutated(YAML))
def test_mutated_yaml_is_reported_with_positions(yaml_text: str):
    with tempfile.TemporaryDirectory() as folder:
        _check(Path(folder), yaml_text, CSV)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(CSV))
def test_mutated_csv_is_reported_with_positions(csv_text: str):
    with tempfile.TemporaryDirectory() as folder:
        _check(Path(folder), YAML, csv_text)


def test_the_unmutated_example_passes():
    with tempfile.TemporaryDirectory() as folder:
        _check(Path(folder), YAML, CSV)
        result = CliRunner().invoke(main, ["check", str(Path(folder) / "spec.yaml")])
        assert result.exit_code == 0
