"""The shape of the code: one home per rule family, imports in one direction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import constraints
from constraints import FAMILIES, RULES, Rule, TermName

ROOT = Path(__file__).parent.parent
MODEL_BUILDING = ("ortools", "scheduler.solver", "constraints.assemble",
                  "constraints.common.variables", "constraints.common.terms")


def _loaded_by(statement: str) -> list[str]:
    """Modules a fresh interpreter holds after running `statement`."""
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    return out.split()


def test_checks_and_explanations_never_load_or_tools_or_model_building_code() -> None:
    imports = ["import constraints"] + [
        f"import constraints.{f.name}.{part}" for f in FAMILIES for part in ("check", "explain")
        if (ROOT / "constraints" / f.name / f"{part}.py").exists()
    ]
    loaded = _loaded_by("\n".join(imports))
    bad = [m for m in loaded if m.startswith(MODEL_BUILDING) or m.endswith(".model")]
    assert bad == []


def test_every_family_has_its_parts_where_the_registry_says() -> None:
    for family in FAMILIES:
        home = ROOT / "constraints" / family.name
        assert (home / "__init__.py").exists(), family.name
        assert (home / "model.py").exists() == family.model, family.name
        assert (family.check is not None) == family.hard or family.name == "students"
        assert family.hard or family.terms is not None, family.name


def test_every_guardable_rule_is_described_and_owned_once() -> None:
    owners = [rule for f in FAMILIES for rule in f.rules]
    assert len(owners) == len(set(owners))
    # Teachers' overlaps are only named, never guarded: a school cannot change them.
    assert set(RULES) == set(Rule) - {Rule.TEACHER_OVERLAP}


def test_every_objective_term_is_recomputed_by_exactly_one_family() -> None:
    from constraints.common.context import build
    from models.loader import load
    from models.solution import Solution

    district = load(ROOT / "examples" / "spec.yaml").district
    ctx = build(district, Solution(instance_sha256="", status="FEASIBLE", objective=0,
                                   bound=0, solve_seconds=0))
    seen: list[TermName] = []
    for family in FAMILIES:
        if family.terms is not None:
            seen += list(family.terms(ctx, district.schools[0]))
    assert sorted(seen) == sorted(TermName)


def test_the_registry_lists_hard_families_before_soft_ones() -> None:
    kinds = [f.hard for f in constraints.FAMILIES]
    assert kinds == sorted(kinds, reverse=True)


@pytest.mark.skipif(not (ROOT.parent / "shared" / "tools" / "import_cycles.py").exists(),
                    reason="the shared import-cycle tool sits beside the checkout")
def test_packages_import_in_one_direction() -> None:
    tool = ROOT.parent / "shared" / "tools" / "import_cycles.py"
    result = subprocess.run([sys.executable, str(tool), str(ROOT)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
