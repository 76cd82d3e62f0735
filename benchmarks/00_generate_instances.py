"""Write the seeded benchmark instances (SPEC §7: S and M) to benchmarks/instances/.

    python benchmarks/00_generate_instances.py [--sizes S M] [--seed 1] [--scarcity 0.7]
    python benchmarks/00_generate_instances.py --families mixed fet [--sizes S M]

Each level is one YAML file plus its students' CSV; the same seed gives the same files.
`--families` writes the benchmark families (`benchmarks/families.py`) instead, into
benchmarks/instances/families/ as FAMILY-SIZE-seedN.yaml.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from families import FAMILIES, write_family  # noqa: E402
from ladder import INSTANCES, LEVELS, SCARCITY, SEED, instance_path  # noqa: E402

from scheduler.generator import generate_district, write_district  # noqa: E402


def generate(name: str, seed: int, scarcity: float, folder: Path = INSTANCES) -> Path:
    """Generate one ladder level and return its YAML path."""
    level = LEVELS[name]
    data = generate_district(level.schools, level.students, seed, scarcity)
    path = instance_path(name, folder)
    write_district(data, path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(LEVELS), choices=list(LEVELS))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--scarcity", type=float, default=SCARCITY)
    parser.add_argument("--out", type=Path, default=INSTANCES)
    parser.add_argument("--families", nargs="+", choices=list(FAMILIES), default=None)
    args = parser.parse_args(argv)
    if args.families:
        for family in args.families:
            for name in args.sizes:
                path = write_family(args.out / "families", family, name, args.seed)
                print(f"{family} {name}: {path}")
        return
    for name in args.sizes:
        started = time.perf_counter()
        path = generate(name, args.seed, args.scarcity, args.out)
        print(f"{name}: {LEVELS[name].what} -> {path} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
