"""YAML read with YAML 1.2 meanings, and the problems of files that are not YAML at all."""

from __future__ import annotations

import pytest

from models.loader import load_text
from models.problems import InputError
from models.yaml12 import load_yaml


def test_yaml_12_scalars_keep_their_text_meaning():
    text = "a: 15:30\nb: no\nc: yes\nd: on\ne: 0o17\nf: 1.5\ng: ~\nh: true\ni: !!str 12\nj: 1_000\n"
    data, _ = load_yaml(text, "x")
    assert data == {"a": "15:30", "b": "no", "c": "yes", "d": "on", "e": 15, "f": 1.5,
                    "g": None, "h": True, "i": "12", "j": "1_000"}


def test_dates_stay_text_until_the_model_reads_them():
    data, _ = load_yaml("start: 2027-03-01\n", "x")
    assert data == {"start": "2027-03-01"}


def test_positions_of_keys_and_values():
    _, positions = load_yaml("term:\n  name: T\n  weekdays: [mon, tue]\n", "x.yaml")
    assert str(positions[("term", "weekdays", 1)]) == "x.yaml:3:19"
    assert str(positions[("term", "name@key")]) == "x.yaml:2:3"


def errors_of(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(text, "x.yaml")
    return [str(p) for p in info.value.problems]


def test_duplicate_key_deep_in_the_file():
    assert errors_of("term:\n  name: a\n  start: 2027-03-01\n  name: b\n") == [
        "x.yaml:4:3: duplicate key 'name'"
    ]


def test_not_yaml():
    assert errors_of("term: [mon, tue\nschools: 1\n") == [
        "x.yaml:2:8: not valid YAML: expected ',' or ']', but got ':'"
    ]


def test_tabs_are_not_yaml():
    found = errors_of("term:\n\tname: T\n")
    assert len(found) == 1 and found[0].startswith("x.yaml:2:1: not valid YAML")


def test_two_documents_in_one_file():
    found = errors_of("version: 1\n---\nversion: 1\n")
    assert found == ["x.yaml:2:1: not valid YAML: but found another document"]


def test_a_list_instead_of_a_mapping():
    assert errors_of("- version\n- term\n") == [
        "x.yaml:1:1: expected a mapping of keys (version, term, schools, ...)"
    ]


def test_merge_keys_are_refused():
    found = errors_of("base: &b {name: T}\nterm:\n  <<: *b\n")
    assert found == ["x.yaml:3:3: merge keys (<<) are not supported"]


def test_only_a_comment_is_an_empty_file():
    assert errors_of("# nothing here\n") == ["x.yaml:1:1: the file is empty"]


def test_missing_top_level_keys():
    assert errors_of("version: 1\n") == [
        "x.yaml:1:1: missing required key 'term'",
        "x.yaml:1:1: missing required key 'schools'",
    ]


def test_unknown_top_level_key_with_hint():
    found = errors_of("version: 1\nterms: {}\n")
    assert "x.yaml:2:1: unknown key 'terms'; did you mean 'term'?" in found
