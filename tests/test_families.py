"""Benchmark families (benchmarks/families.py): valid files `check` accepts, seeded; the
side-by-side comparator's quick mode on one tiny family."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from families import FAMILIES, fet_examples, make_family, write_family  # noqa: E402

STUDENTS = 120


def _usable(name: str) -> bool:
    return name != "fet" or fet_examples() is not None


@pytest.mark.parametrize("name", [n for n in FAMILIES if _usable(n)])
def test_family_files_pass_check(name: str, tmp_path: Path) -> None:
    path = write_family(tmp_path, name, "tiny", 3, STUDENTS)
    result = CliRunner().invoke(main, ["check", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"{STUDENTS} students" in result.output


def test_families_differ_from_the_generator_as_described() -> None:
    days = make_family("days", STUDENTS, 1)["schools"][0]["students"]
    assert {len(s["days"]) for s in days} <= {2, 3, 4}
    pickups = make_family("pickups", STUDENTS, 1)["schools"][0]["students"]
    assert {s["pickup"] for s in pickups} <= {"16:40", "17:30", "18:00"}
    staff = make_family("staff", STUDENTS, 1)["schools"][0]["teachers"]
    assert all(len(t["skills"]) == 2 and t["skills"][0] == "homework" for t in staff)
    assert {t["max_class_hours_week"] for t in staff} <= {4, 5, 6}
    busy = sum(1 for t in staff if t.get("busy"))
    assert 0.15 * len(staff) < busy < 0.5 * len(staff)
    assert make_family("days", STUDENTS, 1) == make_family("days", STUDENTS, 1)  # seeded


REFERENCE = Path("/work/shared/reference/ref_model.py")


@pytest.mark.skipif(not REFERENCE.exists(), reason="the reference model is not on this machine")
def test_comparator_quick_mode(tmp_path: Path) -> None:
    out = tmp_path / "quick.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "03_families_benchmark.py"), "--quick", "--families",
         "mixed", "--out", str(out)], capture_output=True, text=True, timeout=120)
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {r["method"] for r in records} == {"ours", "reference"}, done.stdout + done.stderr
    ours = next(r for r in records if r["method"] == "ours")
    assert ours["verified"] and 0 <= ours["any"] <= ours["bound_share"] <= 1
    assert ours["timeline"] and ours["first_seconds"] is not None


def test_benchmarks_set_option_reads_json_values() -> None:
    from changes import parse_changes

    assert parse_changes(["match_phase=0.8", "day_search=false", " seed = 3"]) == {
        "match_phase": 0.8, "day_search": False, "seed": 3}
