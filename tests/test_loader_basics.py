"""Loading: YAML 1.2 meanings, CSV rosters, and positions in error messages."""

from pathlib import Path

import pytest

from models.loader import load, load_text
from models.problems import InputError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def errors_of(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(text, "x.yaml")
    return [str(p) for p in info.value.problems]


def test_spec_example_loads_with_csv_students():
    loaded = load(EXAMPLES / "spec.yaml")
    school = loaded.district.schools[0]
    assert len(school.students) == 42
    assert school.students[0].pickup_on("tue") == 17 * 60
    # The example's only warning: some children are picked up after the service ends.
    assert [w.message.split(":")[0] for w in loaded.warnings] == ["school nanshan-1"]
    assert "13 student-days have a pick-up later" in loaded.warnings[0].message


def test_unquoted_time_is_a_time_not_sexagesimal():
    text = (EXAMPLES / "spec.yaml").read_text(encoding="utf-8").replace('"18:00"', "18:00")
    loaded = load_text(text, "spec.yaml", base_dir=EXAMPLES)
    assert loaded.district.policy.latest_end == 18 * 60


def test_duplicate_key_is_an_error_with_position():
    assert errors_of("version: 1\nversion: 1\n") == ["x.yaml:2:1: duplicate key 'version'"]


def test_empty_file():
    assert errors_of("") == ["x.yaml:1:1: the file is empty"]
