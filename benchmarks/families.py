"""Benchmark families: schools that differ from `afterschool generate` the way real ones do.

`afterschool generate` gives most students 4–5 days, pick-ups spread over nine times, a
tidy dismissal ladder, teachers with several club skills and a cap of 6, and a special
room per ~8 class hours. Real schools differ, so each family starts from a generated
school (or a FET-imported one) and changes one thing, or all of them (`mixed`):

- `days`: students registered 2–4 days (35/40/25 %), not mostly 5;
- `pickups`: pick-ups bunched at three times (16:40, 17:30, 18:00);
- `dismissal`: uneven dismissal by grade (15:00 for grade 1 up to 16:20 for grade 6);
- `staff`: every teacher has homework plus one club skill, a weekly cap of 4–6, and a third
  are busy one whole afternoon;
- `rooms`: one room of each special type;
- `scarce` / `plentiful`: seats at 0.45 / 1.6 × the demand (the generator's default: 0.7);
- `mixed`: days, pickups, dismissal, staff and rooms together;
- `fet`: a school imported from Debian's fet-data (`afterschool import fet`: its classes,
  rooms and teachers with their busy times), given synthetic clubs and sign-ups (2–4 days,
  bunched pick-ups) and the staff rule above;
- `outside`: a school from `benchmarks/outside.py`, a generator sharing no code with ours
  (primary or nine-year, clubs across wide grade ranges, two-hour clubs, a third of the
  clubs led only by outside providers, a budget that limits them, rooms of one type in
  different sizes, 1–5 ranked choices of Zipf-like popularity).

Supervision stays feasible under `coverage: required`: after a change, homework teachers
are added until the generator's counting test (`_enough_supervisors`) holds again.
`make_family(name, students, seed)` returns the district as plain data (students inline);
`scheduler.generator.write_district` writes it as YAML + CSV.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from outside import make_outside

from models.common import format_clock, parse_clock
from scheduler import generator as gen

School = dict[str, Any]
BUNCHED = ("16:40", "17:30", "18:00")
DISMISSAL = {1: "15:00", 2: "15:10", 3: "15:40", 4: "15:50", 5: "16:10", 6: "16:20"}
FET_EXAMPLE = "FET-5-official/Spain/1-school/school.fet"
FET_ROOM_TYPES = {"gim": "gym", "pista": "field", "música": "music", "dibuix": "art",
                  "inf1": "computer", "inf2": "computer", "bio": "lab", "fis": "lab",
                  "qui": "lab", "audio": "library"}


def _dismissal_of(grade: dict[str, Any], day: str) -> int:
    value = grade["dismissal"]
    return parse_clock(value if isinstance(value, str) else value.get(day, value["default"]))


def _pickup_after(school: School, student: dict[str, Any], choose: Callable[[int], str]) -> None:
    """Replace a student's pick-up by `choose(latest dismissal of their days)`."""
    grade = school["grades"][student["grade"]]
    latest = max(_dismissal_of(grade, d) for d in student["days"])
    student["pickup"] = choose(latest)


def days_2_to_4(school: School, rng: random.Random) -> None:
    for student in school["students"]:
        count = rng.choices((2, 3, 4), (35, 40, 25))[0]
        student["days"] = sorted(rng.sample(gen.WEEKDAYS, count), key=gen.WEEKDAYS.index)
        pickup = student["pickup"]
        if isinstance(pickup, dict):
            student["pickup"] = pickup["default"]


def bunched_pickups(school: School, rng: random.Random) -> None:
    def choose(latest: int) -> str:
        later = [t for t in BUNCHED if parse_clock(t) >= latest + 40] or [BUNCHED[-1]]
        return rng.choices(later, (3, 4, 3)[-len(later):])[0]

    for student in school["students"]:
        _pickup_after(school, student, choose)


def uneven_dismissal(school: School, rng: random.Random) -> None:
    for grade, entry in school["grades"].items():
        if grade in DISMISSAL:
            entry["dismissal"] = DISMISSAL[grade]
    for student in school["students"]:  # a pick-up at or before dismissal: 50 min after
        grade = school["grades"][student["grade"]]
        pickup = student["pickup"]
        usual = pickup if isinstance(pickup, str) else pickup["default"]
        if any(parse_clock(usual) <= _dismissal_of(grade, d) + 40 for d in student["days"]):
            _pickup_after(school, student, lambda t: format_clock(t + 50))


def one_skill_staff(school: School, rng: random.Random) -> None:
    """Homework plus one club skill each (clubs by sections needed), caps 4–6, a third of
    the teachers busy one afternoon; homework teachers added until supervision fits."""
    clubs = [a for a in school["activities"] if not a.get("fallback")]
    weights = [a.get("max_sections_week", 1) * a["class_hours"] for a in clubs]
    teachers = [t for t in school["teachers"] if not t.get("affiliations")]
    skills = [a["skill"] for a in clubs]
    for i, teacher in enumerate(teachers):
        skill = skills[i] if i < len(skills) else rng.choices(skills, weights)[0]
        _staff_rule(teacher, skill, rng)
    demand = gen.supervision_demand(SimpleNamespace(roster=school["students"],
                                                    grades=school["grades"]))
    while not gen._enough_supervisors(school["teachers"], demand):
        teacher = {"id": f"t{len(school['teachers']) + 1:04d}x", "name": f"{gen.SURNAMES[0]}老师",
                   "pay_per_class_hour": 50}
        _staff_rule(teacher, rng.choices(skills, weights)[0], rng)
        school["teachers"].append(teacher)


def _staff_rule(teacher: dict[str, Any], skill: str, rng: random.Random) -> None:
    teacher["skills"] = ["homework", skill]
    teacher["max_class_hours_week"] = rng.choice((4, 5, 6))
    teacher.pop("busy", None)
    if rng.random() < 1 / 3:
        teacher["busy"] = {rng.choice(gen.WEEKDAYS): ["13:00-18:00"]}


def few_special_rooms(school: School, rng: random.Random) -> None:
    seen: set[str] = set()
    kept = []
    for room in school["rooms"]:
        if room["type"] == "classroom" or room["type"] not in seen:
            kept.append(room)
            seen.add(room["type"])
    school["rooms"] = kept


def generated(scarcity: float, *changes: Callable[[School, random.Random], None]
              ) -> Callable[[int, int], dict[str, Any]]:
    def make(students: int, seed: int) -> dict[str, Any]:
        data = gen.generate_district(1, students, seed, scarcity)
        rng = random.Random(f"family-{seed}")
        for change in changes:
            change(data["schools"][0], rng)
        if one_skill_staff not in changes:  # keep supervision feasible after other changes
            _add_supervisors(data["schools"][0], rng)
        return data
    return make


def _add_supervisors(school: School, rng: random.Random) -> None:
    demand = gen.supervision_demand(SimpleNamespace(roster=school["students"],
                                                    grades=school["grades"]))
    while not gen._enough_supervisors(school["teachers"], demand):
        school["teachers"].append({"id": f"t{len(school['teachers']) + 1:04d}x",
                                   "name": "补充老师", "skills": ["homework"],
                                   "pay_per_class_hour": 50})


# The FET family ----------------------------------------------------------------------------

def fet_examples() -> Path | None:
    """Where Debian's fet-data put its examples (they moved between releases)."""
    for folder in (Path("/usr/share/fet/examples"), Path("/usr/share/doc/fet-data/examples")):
        if (folder / FET_EXAMPLE).exists():
            return folder
    return None


def fet_school(path: Path) -> School:
    """`afterschool import fet` on `path`, read back as plain data."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "school.yaml"
        subprocess.run(["afterschool", "import", "fet", str(path), "-o", str(out)], check=True,
                       capture_output=True)
        data = yaml.safe_load(out.read_text(encoding="utf-8"))
    school: School = data["schools"][0]
    return school


def fet_family(students: int, seed: int) -> dict[str, Any]:
    """The imported school's grade, classes, rooms and teachers; clubs and sign-ups made
    the generator's way (one grade band), then 2–4 days, bunched pick-ups, one-skill staff."""
    folder = fet_examples()
    if folder is None:
        raise FileNotFoundError("Debian package fet-data is not installed")
    school = fet_school(folder / FET_EXAMPLE)
    rng = random.Random(f"fet-{seed}")
    plan = gen.SchoolPlan(school["id"], rng, students, False, [], 0.7)
    plan.grades = {int(g): dict(v) for g, v in school["grades"].items()}
    plan.classes = {g: [f"{g}-{c + 1}" for c in range(22)] for g in plan.grades}
    gen._plan_activities(plan)
    for activity in plan.activities:
        activity["grades"] = sorted(plan.grades)
    gen._plan_students(plan)
    for room in school["rooms"]:
        room["type"] = FET_ROOM_TYPES.get(room["id"], room["type"])
    types = {r["type"] for r in school["rooms"]}
    for activity in plan.activities:
        if activity["room_type"] not in types:
            activity["room_type"] = "classroom"
    fallback = [a for a in school["activities"] if a.get("fallback")]
    school.update(grades=plan.grades, activities=plan.activities + fallback,
                  students=plan.roster, enrolled=max(school["enrolled"], students))
    days_2_to_4(school, rng)
    bunched_pickups(school, rng)
    gen._size_activities(plan)
    one_skill_staff(school, rng)
    for teacher in school["teachers"]:
        teacher.setdefault("pay_per_class_hour", 50)
    return gen.clean({"version": 1, "language": "zh", "term": dict(gen.TERM),
                      "policy": gen._policy(), "providers": [], "schools": [school]})


FAMILIES: dict[str, Callable[[int, int], dict[str, Any]]] = {
    "days": generated(0.7, days_2_to_4),
    "pickups": generated(0.7, bunched_pickups),
    "dismissal": generated(0.7, uneven_dismissal),
    "staff": generated(0.7, one_skill_staff),
    "rooms": generated(0.7, few_special_rooms),
    "scarce": generated(0.45),
    "plentiful": generated(1.6),
    "mixed": generated(0.7, uneven_dismissal, days_2_to_4, bunched_pickups, one_skill_staff,
                       few_special_rooms),
    "fet": fet_family,
    "outside": make_outside,
}
SIZES = {"S": 600, "M": 3000}


def make_family(name: str, students: int, seed: int) -> dict[str, Any]:
    return FAMILIES[name](students, seed)


def family_path(folder: Path, name: str, size: str, seed: int) -> Path:
    return folder / f"{name}-{size}-seed{seed}.yaml"


def write_family(folder: Path, name: str, size: str, seed: int, students: int | None = None
                 ) -> Path:
    path = family_path(folder, name, size, seed)
    folder.mkdir(parents=True, exist_ok=True)
    gen.write_district(make_family(name, students or SIZES[size], seed), path)
    return path
