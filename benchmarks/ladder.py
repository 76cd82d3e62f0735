"""The SPEC §7 ladder levels that run on one machine, and where their files live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
INSTANCES = HERE / "instances"
SEED = 1
SCARCITY = 0.7


@dataclass(frozen=True)
class Level:
    name: str
    schools: int
    students: int  # registered students per school
    what: str


LEVELS = {
    "S": Level("S", 1, 600, "one primary school of 600 students"),
    "M": Level("M", 1, 3000, "one school of 3,000 students, 180 teachers, 60 activities, "
                             "10 providers"),
}


def instance_path(name: str, folder: Path = INSTANCES) -> Path:
    return folder / f"{name}.yaml"
