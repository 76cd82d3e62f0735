"""Every value `check` accepts can be solved (issue 11 §2): out-of-range values refused at check.

Each case is a value that used to pass `check` and then crash `solve` (overflow, OR-Tools
errors, a date past year 9999, a file name too long), now refused with its position.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_validation import BASE, at, edit

from models.loader import load_text
from models.problems import InputError
from scheduler.cli import main


def errors_of(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(text, "x.yaml")
    return [str(p) for p in info.value.problems if p.severity == "error"]


def refused(old: str, new: str, marker: str, words: str, text: str = BASE) -> None:
    """Replacing `old` by `new` gives exactly one error, at `marker`, saying `words`."""
    changed = edit(old, new, text)
    found = errors_of(changed)
    assert len(found) == 1, found
    assert found[0].startswith(at(changed, marker) + ":"), found
    assert words in found[0], found


WITH_POLICY = BASE.replace("providers:\n", "policy: {}\nproviders:\n")


@pytest.mark.parametrize("value", ["1e308", ".inf", ".nan", "1e30", "-1", "1000001"])
def test_budget_per_student_year(value: str):
    refused(
        "policy: {}",
        f"policy: {{budget_per_student_year: {value}}}",
        value,
        "budget_per_student_year",
        WITH_POLICY,
    )


@pytest.mark.parametrize("value", [".inf", ".nan", "1.5"])
def test_term_share(value: str):
    refused("policy: {}", f"policy: {{term_share: {value}}}", value, "term_share", WITH_POLICY)


@pytest.mark.parametrize(
    "key",
    [
        "unmatched_student",
        "uncovered_student_day",
        "teacher_load_spread",
        "provider_rating",
        "cost_per_1000_yuan",
        "fallback_mixing",
        "fallback_group",
    ],
)
@pytest.mark.parametrize("value", ["1e20", ".inf", "100001"])
def test_weights(key: str, value: str):
    refused("policy: {}", f"policy: {{weights: {{{key}: {value}}}}}", value, key, WITH_POLICY)


@pytest.mark.parametrize("value", ["[1e20]", "[10, .inf]", "[10, 6, 100001]"])
def test_choice_rank(value: str):
    refused(
        "policy: {}",
        f"policy: {{weights: {{choice_rank: {value}}}}}",
        value.split(", ")[-1].strip("[]"),
        "choice_rank",
        WITH_POLICY,
    )


def test_choice_rank_length():
    ranks = "[" + ", ".join(["1"] * 21) + "]"
    refused(
        "policy: {}",
        f"policy: {{weights: {{choice_rank: {ranks}}}}}",
        ranks,
        "choice_rank",
        WITH_POLICY,
    )


def test_a_school_policy_override_is_bounded_too():
    refused(
        "    enrolled: 100\n",
        "    enrolled: 100\n    policy: {weights: {fallback_group: 1e30}}\n",
        "{fallback_group: 1e30}",
        "fallback_group",
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("teacher_max_class_hours_week", "1e30"),
        ("teacher_max_class_hours_week", "41"),
        ("teacher_max_class_hours_day", "11"),
        ("max_clubs_per_student_week", "1e9"),
    ],
)
def test_policy_hours(key: str, value: str):
    refused("policy: {}", f"policy: {{{key}: {value}}}", value, key, WITH_POLICY)


@pytest.mark.parametrize(
    ("old", "new", "value"),
    [
        ("price_per_class_hour: 100", "price_per_class_hour: 1e308", "1e308"),
        ("price_per_class_hour: 100", "price_per_class_hour: .inf", ".inf"),
        ("price_per_class_hour: 100", "price_per_class_hour: .nan", ".nan"),
        ("price_per_class_hour: 100", "price_per_class_hour: 10001", "10001"),
        ("qualification: approved", "qualification: approved\n    rating: .nan", ".nan"),
        ("qualification: approved", "qualification: approved\n    instructors: 1e30", "1e30"),
    ],
)
def test_provider_numbers(old: str, new: str, value: str):
    refused(old, new, value, new.split(":")[-2].split()[-1])


@pytest.mark.parametrize(
    ("new", "key"),
    [
        ("{id: t1, skills: [homework, football], pay_per_class_hour: 1e30}", "pay_per_class_hour"),
        ("{id: t1, skills: [homework, football], pay_per_class_hour: .inf}", "pay_per_class_hour"),
        (
            "{id: t1, skills: [homework, football], max_class_hours_week: 1e30}",
            "max_class_hours_week",
        ),
        ("{id: t1, skills: [homework, football], max_class_hours_day: 99}", "max_class_hours_day"),
    ],
)
def test_teacher_numbers(new: str, key: str):
    refused("{id: t1, skills: [homework, football]}", new, new.split(": ")[-1].rstrip("}"), key)


@pytest.mark.parametrize(
    ("old", "new", "marker", "key"),
    [
        ("enrolled: 100", "enrolled: 1e30", "1e30", "enrolled"),
        ("enrolled: 100", "enrolled: 100001", "100001", "enrolled"),
        ("type: lab, capacity: 20", "type: lab, capacity: 1e30", "1e30", "capacity"),
        ("max_size: 20", "max_size: 1e9", "1e9", "max_size"),
        ("max_size: 20", "max_size: 20, max_sections_week: 1e30", "1e30", "max_sections_week"),
        ("max_size: 20", "max_size: 20, max_sections_week: .inf", ".inf", "max_sections_week"),
        (
            "max_size: 20",
            "max_size: 20, consumables_per_section: .inf",
            ".inf",
            "consumables_per_section",
        ),
        ("max_size: 20", "max_size: 20, min_size: 1001", "1001", "min_size"),
    ],
)
def test_school_numbers(old: str, new: str, marker: str, key: str):
    refused(old, new, marker, key)


def test_grade_numbers_are_school_grades():
    refused(
        '      3: {dismissal: "16:20"}',
        '      3: {dismissal: "16:20"}\n      1000: {dismissal: "16:20"}',
        "1000:",
        "grades key '1000'",
    )


def test_a_student_grade_of_1e30_is_refused():
    refused("{id: a2, grade: 3,", "{id: a2, grade: 1e30,", "1e30", "grade")


# --- the term ------------------------------------------------------------------------------


def test_a_term_ending_in_year_9999_is_refused():
    refused("end: 2027-07-09", "end: 9999-12-31", "9999-12-31", "between 2000 and 2100")


def test_a_term_longer_than_a_year_is_refused():
    refused("end: 2027-07-09", "end: 2029-07-09", "2029-07-09", "at most 366 days")


def test_a_term_in_a_strange_year_is_refused():
    refused("start: 2027-03-01", "start: 1027-03-01", "1027-03-01", "between 2000 and 2100")


@pytest.mark.parametrize(
    "zone", ["Asia/Shangai", "../../etc/passwd", "", "Mars/Olympus", "Asia", "x" * 300]
)
def test_a_misspelt_timezone_is_refused(zone: str):
    refused("  weekdays:", f'  timezone: "{zone}"\n  weekdays:', f'"{zone}"', "time zone")


def test_a_known_timezone_is_fine():
    text = edit("  weekdays:", "  timezone: Europe/Berlin\n  weekdays:")
    assert load_text(text, "x.yaml").district.term.timezone == "Europe/Berlin"


# --- ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('"' + "a" * 65 + '"', "at most 64 characters"),
        ('"a/b"', "'/'"),
        ('"a\\\\b"', "'\\\\'"),
        ('"a\\tb"', "control"),
        ('"a\\u200bb"', "control"),
        ('""', "empty"),
        ('"   "', "empty"),
        ('" a2"', "space"),
    ],
)
def test_student_ids(value: str, words: str):
    refused("{id: a2,", f"{{id: {value},", value, words)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  - id: s1\n", '  - id: "s/1"\n'),
        ("  - id: p1\n", '  - id: "p/1"\n'),
        ("{id: t1,", '{id: "t/1",'),
        ("{id: r1,", '{id: "r/1",'),
        ("{id: robot,", '{id: "ro/bot",'),
    ],
)
def test_every_kind_of_id_follows_the_rule(old: str, new: str):
    changed = edit(old, new)
    found = errors_of(changed)
    quoted = new[new.index('"') : new.rindex('"') + 1]
    assert any("'/'" in line and line.startswith(at(changed, quoted)) for line in found), found


def test_an_id_excel_shortened_to_a_number_is_refused():
    refused("{id: a2,", '{id: "1.23457E+16",', '"1.23457E+16"', "Excel")


# --- command-line options ------------------------------------------------------------------


def solve(*args: str, tmp: Path):
    path = tmp / "x.yaml"
    path.write_text(BASE, encoding="utf-8")
    return CliRunner().invoke(main, ["solve", str(path), "-o", str(tmp / "out"), *args])


@pytest.mark.parametrize(
    "args",
    [
        ["--seed", "99999999999"],
        ["--seed", "-1"],
        ["--time-limit", "inf"],
        ["--time-limit", "nan"],
        ["--time-limit", "-5"],
        ["--time-limit", "1e9"],
        ["--workers", "99999999999"],
    ],
)
def test_bad_solve_options_are_refused_before_solving(tmp_path: Path, args: list[str]):
    result = solve(*args, tmp=tmp_path)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{args[0]}'" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["explain", "demo"])
def test_time_limit_nan_refused_everywhere(tmp_path: Path, command: str):
    path = tmp_path / "x.yaml"
    path.write_text(BASE, encoding="utf-8")
    args = [command, str(path)] if command == "explain" else [command, "-o", str(tmp_path / "d")]
    result = CliRunner().invoke(main, [*args, "--time-limit", "nan"])
    assert result.exit_code == 2 and "Invalid value for '--time-limit'" in result.output


# --- output paths, checked before the search -----------------------------------------------


def test_an_output_folder_under_a_file_is_refused_before_solving(tmp_path: Path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "out"
    path = tmp_path / "x.yaml"
    path.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out), "--time-limit", "600"])
    assert result.exit_code == 2, result.output
    assert f"cannot write to {out}: {tmp_path / 'file'} is a file, not a folder" in result.stderr
    assert "score" not in result.output  # no search was run


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path):
    (tmp_path / "out").write_text("x", encoding="utf-8")
    result = solve(tmp=tmp_path)
    assert result.exit_code == 2, result.output
    assert "is a file" in result.output


def test_a_read_only_output_folder_is_refused_before_solving(tmp_path: Path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    path = tmp_path / "x.yaml"
    path.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(locked / "out")])
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_an_output_folder_you_may_not_write_is_refused(tmp_path: Path, monkeypatch):
    # Root writes anywhere, so the test asks os.access the way a normal user's call answers.
    import os

    import scheduler.cli as cli

    real = cli.os.access
    monkeypatch.setattr(cli.os, "access", lambda path, mode: real(path, mode) and mode == os.R_OK)
    result = solve(tmp=tmp_path)
    assert result.exit_code == 2, result.output
    assert f"cannot write to {tmp_path / 'out'}: {tmp_path} is read-only for you" in result.stderr


# --- names: shown in every view, so they must fit a spreadsheet cell ------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('"足\\x01球"', "control characters"),
        ('"a\\x1bb"', "control characters"),
        ('"' + "足" * 201 + '"', "at most 200 characters"),
    ],
)
def test_names_that_would_crash_the_workbook(value: str, words: str):
    # openpyxl raises IllegalCharacterError on control characters: solve ended in a traceback.
    refused("name: 作业辅导", f"name: {value}", value, words)


def test_a_class_with_a_control_character_is_refused():
    refused("{id: a2, grade: 3,", '{id: a2, grade: 3, class: "3\\x0b1",', '"3\\x0b1"', "control")
