"""Hostile or broken files (issue 11 §3): refused quickly with a position, never a traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_loader_csv import HEADER, YAML
from test_validation import BASE

from models.loader import MAX_YAML_BYTES, load, load_text
from models.problems import InputError
from scheduler.cli import main


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(text, "x.yaml")
    return [str(p) for p in info.value.problems]


def check(path: Path, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["check", str(path)], env=env)


# --- YAML: aliases, nesting, size ----------------------------------------------------------


def test_an_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    started = time.perf_counter()
    found = problems_of("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    assert len(found) == 1 and "aliases" in found[0], found
    assert found[0].startswith("x.yaml:")


def test_a_recursive_alias_is_refused_not_a_recursion_error():
    found = problems_of("term: &t\n  name: T\n  again: *t\n")
    assert len(found) == 1 and "refers to itself" in found[0], found
    assert found[0].startswith("x.yaml:1:7:")


def test_deep_nesting_is_refused_at_its_position():
    text = "term: " + "[" * 5000 + "]" * 5000 + "\n"
    found = problems_of(text)
    assert len(found) == 1 and "nested more than" in found[0], found
    assert found[0].startswith("x.yaml:1:")


def test_deep_block_nesting_is_refused():
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x\n"
    found = problems_of(text)
    assert len(found) == 1 and "nested more than" in found[0], found


def test_a_few_aliases_still_work():
    text = BASE.replace(
        "teachers:\n",
        "teachers:\n      - {id: t2, skills: &sk [homework]}\n      - {id: t3, skills: *sk}\n",
    )
    school = load_text(text, "x.yaml").district.schools[0]
    assert [t.skills for t in school.teachers[:2]] == [["homework"], ["homework"]]


def test_a_too_large_yaml_file_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_YAML_BYTES + 1)  # sparse: no time spent writing it
    started = time.perf_counter()
    result = check(path)
    assert time.perf_counter() - started < 2
    assert result.exit_code == 2
    assert f"{path}:1:1: the file is 20.0 MB" in result.stderr


def test_a_5_mb_yaml_file_is_read_in_reasonable_time(tmp_path: Path):
    rows = "".join(
        f"      - {{id: s{i}, grade: 3, days: [mon, tue], choices: [robot]}}\n"
        for i in range(60_000)
    )
    path = tmp_path / "big.yaml"
    path.write_text(BASE + rows, encoding="utf-8")
    assert path.stat().st_size > 4_000_000
    started = time.perf_counter()
    loaded = load(path)
    assert len(loaded.district.schools[0].students) == 60_002
    assert time.perf_counter() - started < 25  # was 40+ s with the pure-Python parser


def test_the_yaml_file_must_be_a_regular_file(tmp_path: Path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = check(fifo)
    assert result.exit_code == 2
    assert f"{fifo}:1:1: not a regular file" in result.stderr


# --- rosters -------------------------------------------------------------------------------


def school_with_roster(tmp: Path, ref: str) -> Path:
    text = YAML.replace("{teachers}", "[{id: t1, skills: [homework, calligraphy]}]")
    path = tmp / "school.yaml"
    path.write_text(text.replace("{students}", ref), encoding="utf-8")
    return path


def roster_at(path: Path) -> str:
    """`file:line:col` of the `students:` value in the school file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if "students:" in text)
    return f"{path}:{line + 1}:{lines[line].index('students:') + 11}"


def test_a_fifo_roster_is_refused_without_hanging(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.csv")
    path = school_with_roster(tmp_path, "pipe.csv")
    result = check(path)
    assert result.exit_code == 2
    assert f"{roster_at(path)}: roster 'pipe.csv' is not a regular file" in result.stderr


def test_a_device_roster_is_refused(tmp_path: Path):
    path = school_with_roster(tmp_path, "/dev/zero")
    result = check(path, env={"AFTERSCHOOL_ALLOW_OUTSIDE_ROSTERS": "1"})
    assert result.exit_code == 2
    assert f"{roster_at(path)}: roster '/dev/zero' is not a regular file" in result.stderr


def test_a_folder_roster_is_refused(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    path = school_with_roster(tmp_path, "sub")
    result = check(path)
    assert result.exit_code == 2
    assert f"{roster_at(path)}: roster 'sub' is not a regular file" in result.stderr


@pytest.mark.parametrize("ref", ["../../../../etc/passwd", "/etc/passwd"])
def test_a_roster_outside_the_folder_is_refused(tmp_path: Path, ref: str):
    path = school_with_roster(tmp_path, ref)
    result = check(path)
    assert result.exit_code == 2
    assert f"{roster_at(path)}: roster {ref!r} is outside the folder of" in result.stderr
    assert "root:" not in result.output


def test_a_symlink_leading_outside_is_refused(tmp_path: Path):
    (tmp_path / "students.csv").symlink_to("/etc/passwd")
    path = school_with_roster(tmp_path, "students.csv")
    result = check(path)
    assert result.exit_code == 2
    assert "is outside the folder of" in result.stderr


def test_outside_rosters_are_read_when_the_user_allows_it(tmp_path: Path):
    (tmp_path / "rosters").mkdir()
    (tmp_path / "rosters" / "s.csv").write_text(HEADER + "a1,3,,mon,,\n", encoding="utf-8")
    (tmp_path / "yaml").mkdir()
    path = school_with_roster(tmp_path / "yaml", "../rosters/s.csv")
    assert check(path).exit_code == 2
    result = check(path, env={"AFTERSCHOOL_ALLOW_OUTSIDE_ROSTERS": "1"})
    assert result.exit_code == 0, result.output


def test_a_roster_in_a_subfolder_is_fine(tmp_path: Path):
    (tmp_path / "rosters").mkdir()
    (tmp_path / "rosters" / "s.csv").write_text(HEADER + "a1,3,,mon,,\n", encoding="utf-8")
    result = check(school_with_roster(tmp_path, "rosters/s.csv"))
    assert result.exit_code == 0, result.output


def test_a_file_that_is_not_a_roster_is_not_echoed(tmp_path: Path):
    secret = "root:$6$secrethash:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n"
    (tmp_path / "shadow").write_text(secret, encoding="utf-8")
    path = school_with_roster(tmp_path, "shadow")
    result = check(path)
    assert result.exit_code == 2
    assert f"{tmp_path / 'shadow'}:1: not a roster: the first row names none of" in result.stderr
    assert "secrethash" not in result.output and "root:" not in result.output


def test_a_too_large_roster_is_refused(tmp_path: Path):
    with (tmp_path / "s.csv").open("wb") as handle:
        handle.truncate(MAX_YAML_BYTES + 1)
    result = check(school_with_roster(tmp_path, "s.csv"))
    assert result.exit_code == 2
    assert "roster 's.csv' is 20.0 MB" in result.stderr
