"""Scenario files (SPEC §8.2): a patch on a base district file, entities addressed by id.

```yaml
base: district.yaml             # relative to this file
name: 王老师退休                 # optional; default the file's stem
changes:                        # applied in order
  - remove: {school: nanshan-1, teacher: t-wang}
  - set: {policy.teacher_max_class_hours_week: 3}
  - scale_signups: {school: nanshan-1, grades: [1, 2], factor: 1.2}
```

The base is loaded (and checked) as usual; the changes are applied to its validated data,
and the patched district is validated again like a loaded one (field rules and
`models.checks.cross_checks`). A problem points at the scenario's own line when a change
made or touched the part at fault, else at the base file's line. The meaning of every
change is in docs/scenarios.md. Solver-free.
"""

from __future__ import annotations

import copy
import difflib
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from . import district as d
from .checks import cross_checks
from .common import FROM_FILE
from .loader import Loaded, _entity_index, _pydantic_problem, load
from .problems import InputError, Location, Problem
from .yaml12 import Path, load_yaml

KINDS = ("remove", "add", "set", "scale_signups", "add_signups")
# Entity kinds a change may name, and the list that holds them.
SCHOOL_LISTS = {"teacher": "teachers", "room": "rooms", "activity": "activities",
                "student": "students"}
MAX_SCENARIO_BYTES = 1024 * 1024
MAX_CLONES = 100_000  # sign-ups a scenario may add: past this, a factor is a typo


@dataclass
class Change:
    kind: str
    body: dict[str, Any]
    where: Location | None
    positions: dict[Path, Location]  # of the scenario file, below this change
    path: Path  # this change's path in the scenario file

    def at(self, *keys: str | int) -> Location | None:
        """Position of a key below the change body (the deepest one written)."""
        steps: Path = (*self.path, self.kind)
        best = self.positions.get(steps, self.where)
        for key in keys:
            steps = (*steps, key)
            best = self.positions.get(steps, best)
        return best


@dataclass
class Scenario:
    name: str
    file: str
    base: FsPath
    changes: list[Change]
    base_at: Location | None = None


@dataclass
class Patched:
    """The patched district's data, and which of its parts a change wrote (by id path)."""

    data: dict[str, Any]
    touched: dict[tuple[str, ...], Location | None] = field(default_factory=dict)


def is_scenario(value: Any) -> bool:
    """A YAML document is a scenario when it names a base and has no schools of its own."""
    return isinstance(value, dict) and "base" in value and "schools" not in value


def read_scenario(path: str | FsPath) -> Scenario:
    """Parse a scenario file (not yet applied); problems at `file:line:col`."""
    path = FsPath(path)
    name = str(path)
    try:
        info = os.stat(path)  # stat first: opening a FIFO would wait forever
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SCENARIO_BYTES:
            what = "not a regular file" if not stat.S_ISREG(info.st_mode) else (
                f"larger than {MAX_SCENARIO_BYTES // 1024 // 1024} MB: a scenario is a patch")
            raise InputError([Problem(Location(name, 1, 1), what)])
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(Location(name, 1, 1), "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(Location(name, 1, 1), f"cannot read the file: {exc}")]) from None
    data, positions = load_yaml(text, name)
    top = positions.get(())
    if not isinstance(data, dict):
        raise InputError([Problem(top, "a scenario is a mapping with base, name, changes")])
    problems = [Problem(positions.get((f"{k}@key",)), f"unknown key {k!r} in a scenario; "
                        "expected base, name, changes") for k in data
                if k not in ("base", "name", "changes")]
    base = data.get("base")
    if not isinstance(base, str) or not base.strip():
        problems.append(Problem(positions.get(("base",), top),
                                "base: the district file this scenario patches (a path)"))
    raw = data.get("changes", [])
    if not isinstance(raw, list):
        problems.append(Problem(positions.get(("changes",), top), "changes: a list of changes"))
        raw = []
    changes = [_change(item, i, positions, name, problems) for i, item in enumerate(raw)]
    if problems:
        raise InputError(problems)
    label = data.get("name") or path.stem
    return Scenario(str(label), name, path.parent / str(base), [c for c in changes if c],
                    positions.get(("base",)))


def _change(item: Any, index: int, positions: dict[Path, Location], name: str,
            problems: list[Problem]) -> Change | None:
    path: Path = ("changes", index)
    where = positions.get(path)
    if not isinstance(item, dict) or len(item) != 1:
        problems.append(Problem(where, f"a change is one of {', '.join(KINDS)} with its "
                                "values, like `- remove: {school: s1, teacher: t1}`"))
        return None
    kind, body = next(iter(item.items()))
    if kind not in KINDS:
        hint = difflib.get_close_matches(str(kind), KINDS, n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else f"; expected {', '.join(KINDS)}"
        problems.append(Problem(positions.get((*path, f"{kind}@key"), where),
                                f"unknown change {kind!r}{tip}"))
        return None
    if not isinstance(body, dict) or not body:
        problems.append(Problem(positions.get((*path, kind), where),
                                f"{kind}: expected a mapping of keys"))
        return None
    return Change(kind, body, where, positions, path)


def load_scenario(path: str | FsPath) -> tuple[Scenario, Loaded]:
    """The scenario and its base, patched and validated like a loaded file."""
    scenario = read_scenario(path)
    if not scenario.base.is_file():
        raise InputError([Problem(scenario.base_at, f"base file {str(scenario.base)!r} not "
                                  "found (paths are relative to the scenario file)")])
    base = load(scenario.base)
    return scenario, apply_scenario(scenario, base)


def apply_scenario(scenario: Scenario, base: Loaded) -> Loaded:
    """Apply the changes in order to the base; validate the result."""
    patched = Patched(copy.deepcopy(base.district.model_dump(mode="json", by_alias=True)))
    problems: list[Problem] = []
    for change in scenario.changes:
        try:
            APPLY[change.kind](patched, change)
        except _Refused as exc:
            problems.append(Problem(exc.where or change.where, exc.message))
    if problems:
        raise InputError(problems)
    return _validated(patched, base, scenario)


class _Refused(Exception):
    def __init__(self, where: Location | None, message: str):
        super().__init__(message)
        self.where, self.message = where, message


def _validated(patched: Patched, base: Loaded, scenario: Scenario) -> Loaded:
    try:
        district = d.District.model_validate(patched.data, context=FROM_FILE)
    except ValidationError as exc:
        raise InputError([_problem(patched, base, tuple(e["loc"]), e)
                          for e in exc.errors()]) from None
    findings = cross_checks(district)
    errors = [Problem(_locate(patched, base, f.path), f.message) for f in findings
              if f.severity == "error"]
    if errors:
        raise InputError(errors)
    warnings = [Problem(_locate(patched, base, f.path), f.message, "warning") for f in findings
                if f.severity == "warning"]
    loaded = Loaded(district, base.source, base.positions, warnings)
    loaded._ids = _entity_index(base.district)  # positions of the base file, by id
    loaded.patched_from = base.district
    return loaded


def _problem(patched: Patched, base: Loaded, loc: tuple[Any, ...], err: Any) -> Problem:
    """A pydantic error of the patched data, at the scenario line or the base's."""
    where = _locate(patched, base, loc)
    message = str(_pydantic_problem(err, {}))
    return Problem(where, message)


def _locate(patched: Patched, base: Loaded, loc: tuple[Any, ...]) -> Location | None:
    ids = _id_path(patched.data, loc)
    for length in range(len(ids), 0, -1):
        if ids[:length] in patched.touched:
            return patched.touched[ids[:length]]
    for length in range(len(ids), 0, -1):
        found = base.place(*ids[:length])
        if found is not None:
            return found
    return base.where(())


def _id_path(data: Any, loc: tuple[Any, ...]) -> tuple[str, ...]:
    """A path of list positions in the patched data as a path of entity ids."""
    steps: list[str] = []
    node = data
    for element in loc:
        if isinstance(node, list) and isinstance(element, int) and 0 <= element < len(node):
            node = node[element]
            steps.append(str(node.get("id", element)) if isinstance(node, dict) else str(element))
        elif isinstance(node, dict) and element in node:
            node = node[element]
            steps.append(str(element))
        elif isinstance(node, dict) and str(element) in node:
            node = node[str(element)]
            steps.append(str(element))
        else:
            break
    return tuple(steps)


# --- the changes -------------------------------------------------------------------------

def _school(patched: Patched, change: Change) -> dict[str, Any]:
    school_id = change.body.get("school")
    for school in patched.data["schools"]:
        if school["id"] == str(school_id):
            return school
    known = [s["id"] for s in patched.data["schools"]]
    raise _Refused(change.at("school"), _unknown("school", school_id, known))


def _unknown(kind: str, value: Any, known: list[str]) -> str:
    hint = difflib.get_close_matches(str(value), known, n=1)
    tip = f"; did you mean {hint[0]!r}?" if hint else ""
    return f"no {kind} {value!r} in the base{tip}"


def _target(change: Change, allowed: tuple[str, ...]) -> str:
    """The one entity kind a remove/add names (besides `school`)."""
    named = [k for k in change.body if k != "school"]
    if set(named) == {"provider", "instructors"}:
        named = ["instructors"]
    if len(named) != 1 or named[0] not in allowed:
        raise _Refused(change.at(), f"{change.kind}: name one of {', '.join(allowed)} "
                       "(with `school:` for a school's teacher, room, activity or student)")
    return named[0]


def _remove(patched: Patched, change: Change) -> None:
    kind = _target(change, ("teacher", "room", "activity", "student", "provider", "instructors"))
    if kind == "provider":
        _remove_provider(patched, change)
        return
    if kind == "instructors":
        _remove_instructors(patched, change)
        return
    school = _school(patched, change)
    items = school[SCHOOL_LISTS[kind]]
    wanted = str(change.body[kind])
    kept = [item for item in items if item["id"] != wanted]
    if len(kept) == len(items):
        raise _Refused(change.at(kind), _unknown(kind, wanted, [i["id"] for i in items]) +
                       f" at school {school['id']}")
    school[SCHOOL_LISTS[kind]] = kept
    if kind == "activity":  # nobody can choose it any more: the choice is dropped
        names = {wanted} | {i.get("name") for i in items if i["id"] == wanted and i.get("name")}
        for student in school["students"]:
            student["choices"] = [c for c in student["choices"] if c not in names]


def _remove_provider(patched: Patched, change: Change) -> None:
    if "school" in change.body:
        raise _Refused(change.at("school"), "providers belong to the district: remove one "
                       "with `remove: {provider: id}` (to stop it serving one school, set its "
                       "serves list)")
    wanted = str(change.body["provider"])
    providers = patched.data["providers"]
    kept = [p for p in providers if p["id"] != wanted]
    if len(kept) == len(providers):
        raise _Refused(change.at("provider"), _unknown("provider", wanted,
                                                       [p["id"] for p in providers]))
    patched.data["providers"] = kept
    for school in patched.data["schools"]:  # an affiliation with a provider gone is none
        for teacher in school["teachers"]:
            teacher["affiliations"] = [a for a in teacher["affiliations"] if a != wanted]


def _remove_instructors(patched: Patched, change: Change) -> None:
    """`remove: {provider: id, instructors: n}`: the provider has n fewer instructors."""
    wanted = str(change.body.get("provider"))
    provider = next((p for p in patched.data["providers"] if p["id"] == wanted), None)
    if provider is None:
        raise _Refused(change.at("provider"), _unknown(
            "provider", wanted, [p["id"] for p in patched.data["providers"]]))
    count = change.body["instructors"]
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise _Refused(change.at("instructors"), "instructors: how many fewer (1 or more)")
    if count >= provider["instructors"]:
        raise _Refused(change.at("instructors"), f"{wanted} has {provider['instructors']} "
                       "instructor(s); to lose them all, remove the provider")
    provider["instructors"] -= count
    patched.touched[("providers", wanted, "instructors")] = change.at("instructors")


def _add(patched: Patched, change: Change) -> None:
    kind = _target(change, ("teacher", "room", "activity", "student", "provider"))
    item = change.body[kind]
    if not isinstance(item, dict) or "id" not in item:
        raise _Refused(change.at(kind), f"add: the new {kind} as a mapping with its id")
    item = {str(k): v for k, v in item.items()}
    item["id"] = str(item["id"])
    prefix: tuple[str, ...] = ("providers",)
    if kind == "provider":
        items = patched.data["providers"]
    else:
        school = _school(patched, change)
        items, prefix = school[SCHOOL_LISTS[kind]], ("schools", school["id"], SCHOOL_LISTS[kind])
    if any(existing["id"] == item["id"] for existing in items):
        raise _Refused(change.at(kind, "id"), f"the base already has a {kind} {item['id']!r}; "
                       "use `set` to change it, or pick a new id")
    items.append(item)
    patched.touched[(*prefix, item["id"])] = change.at(kind)
    for key in item:  # a bad value is reported at its own line of the scenario
        patched.touched[(*prefix, item["id"], key)] = change.at(kind, key)


def _set(patched: Patched, change: Change) -> None:
    for dotted, value in change.body.items():
        where = change.at(str(dotted))
        parent, key, ids = _walk(patched.data, str(dotted), where)
        parent[key] = value
        patched.touched[ids] = where


def _walk(data: dict[str, Any], dotted: str, where: Location | None) -> tuple[Any, Any,
                                                                              tuple[str, ...]]:
    """The container and key a dotted path names: lists of entities step by id."""
    parts = dotted.split(".")
    node: Any = data
    ids: list[str] = []
    i = 0
    while i < len(parts) - 1:
        node, used = _step(node, parts, i, dotted, where)
        ids.append(".".join(parts[i:i + used]))
        i += used
    last = parts[-1]
    if isinstance(node, list):
        raise _Refused(where, f"{dotted}: ends at a list; name an entity by id and a field")
    if not isinstance(node, dict):
        raise _Refused(where, f"{dotted}: {'.'.join(parts[:-1])} holds a value, not fields")
    key: Any = last
    if last not in node and any(str(k) == last for k in node):
        key = next(k for k in node if str(k) == last)
    elif last not in node and node and not _open_mapping(ids):
        hint = difflib.get_close_matches(last, [str(k) for k in node], n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        raise _Refused(where, f"{dotted}: no field {last!r} there{tip}")
    ids.append(last)
    return node, key, tuple(ids)


def _open_mapping(ids: list[str]) -> bool:
    """Mappings whose keys are data, not field names: a new key may be set."""
    return bool(ids) and ids[-1] in ("grades", "busy", "available", "makeup_days", "weights")


def _step(node: Any, parts: list[str], i: int, dotted: str,
          where: Location | None) -> tuple[Any, int]:
    """One step down: a key of a mapping, or an entity of a list by id (ids may hold dots)."""
    if isinstance(node, dict):
        for key in node:
            if str(key) == parts[i]:
                return node[key], 1
        hint = difflib.get_close_matches(parts[i], [str(k) for k in node], n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        raise _Refused(where, f"{dotted}: no {parts[i]!r} there{tip}")
    if isinstance(node, list):
        by_id = {str(item.get("id")): item for item in node if isinstance(item, dict)}
        for used in range(len(parts) - 1 - i, 0, -1):  # the longest id that matches
            candidate = ".".join(parts[i:i + used])
            if candidate in by_id:
                return by_id[candidate], used
        raise _Refused(where, f"{dotted}: " + _unknown("entity", parts[i], list(by_id)))
    raise _Refused(where, f"{dotted}: {'.'.join(parts[:i])} holds a value, not fields")


def _scale_signups(patched: Patched, change: Change) -> None:
    """Sign-ups of the grades named (default: all) become round(n × factor)."""
    school = _school(patched, change)
    factor = change.body.get("factor")
    if not isinstance(factor, int | float) or isinstance(factor, bool) or not (
            math.isfinite(factor) and 0 <= factor <= 100):
        raise _Refused(change.at("factor"), "factor: a number from 0 to 100 (1.2: 20 % more)")
    for grade in _grades(school, change):
        students = [s for s in school["students"] if s["grade"] == grade]
        target = round(len(students) * factor)
        if target >= len(students):
            _clone(patched, school, change, grade, target - len(students))
        else:  # the latest sign-ups go first: row order is sign-up order
            leaving = {s["id"] for s in students[target:]}
            school["students"] = [s for s in school["students"] if s["id"] not in leaving]


def _add_signups(patched: Patched, change: Change) -> None:
    """`add_signups: {school, grade, count}`: count more students of that grade."""
    school = _school(patched, change)
    count = change.body.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_CLONES:
        raise _Refused(change.at("count"), f"count: how many sign-ups to add (1 to "
                       f"{MAX_CLONES:,})")
    grades = _grades(school, change)
    if len(grades) != 1:
        raise _Refused(change.at(), "add_signups: name one grade (`grade: 3`)")
    _clone(patched, school, change, grades[0], count)


def _grades(school: dict[str, Any], change: Change) -> list[int]:
    raw = change.body.get("grades", change.body.get("grade"))
    known = sorted({s["grade"] for s in school["students"]})
    if raw is None:
        return known
    values = raw if isinstance(raw, list) else [raw]
    key = "grades" if "grades" in change.body else "grade"
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool) or value not in known:
            raise _Refused(change.at(key), f"{key}: {value!r} is not a grade with sign-ups at "
                           f"{school['id']} (grades {', '.join(map(str, known))})")
    return [int(v) for v in values]


def _clone(patched: Patched, school: dict[str, Any], change: Change, grade: int,
           count: int) -> None:
    """`count` new students like the grade's own, taken in sign-up order, again and again.

    A clone keeps class, days, pick-up and choices; its id is the original's with `+k`
    (k the copy number), so the same scenario always gives the same students.
    """
    if count > MAX_CLONES:
        raise _Refused(change.at(), f"would add {count:,} sign-ups; at most {MAX_CLONES:,}")
    models = [s for s in school["students"] if s["grade"] == grade]
    taken = {s["id"] for s in school["students"]}
    for k in range(count):
        model = models[k % len(models)]
        copy_number = k // len(models) + 1
        new_id = f"{model['id']}+{copy_number}"
        while new_id in taken:
            copy_number += 1
            new_id = f"{model['id']}+{copy_number}"
        taken.add(new_id)
        school["students"].append({**copy.deepcopy(model), "id": new_id, "name": ""})
        patched.touched[("schools", school["id"], "students", new_id)] = change.at()


APPLY = {"remove": _remove, "add": _add, "set": _set, "scale_signups": _scale_signups,
         "add_signups": _add_signups}


def looks_like_scenario(path: str | FsPath) -> bool:
    """A scenario's first line that is not a comment is `base: ...` (SPEC §8.2).

    Only a regular file is opened (opening a FIFO would wait forever); the loader reports
    anything else."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            for line in handle:
                if line.strip() and not line.lstrip().startswith("#"):
                    return line.startswith("base:")
    except OSError:
        return False
    return False


def load_input(path: str | FsPath) -> Loaded:
    """A district file, or a scenario file patched onto its base."""
    if looks_like_scenario(path):
        return load_scenario(path)[1]
    return load(path)
