"""Cross-reference checks on a validated district: errors (exit 2) and warnings.

Each check reads like a rule a timetabler knows; each finding names the path of the
input value to edit, which the loader turns into `file:line:col`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .district import District, School
from .yaml12 import Path


@dataclass(frozen=True)
class Finding:
    path: Path
    message: str
    severity: Literal["error", "warning"] = "error"


def cross_checks(district: District) -> list[Finding]:
    findings: list[Finding] = []
    findings += _duplicate_ids(district)
    for i, school in enumerate(district.schools):
        findings += _school_checks(district, i, school)
    return findings


def _duplicates(items: list[str], where: Path, what: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for j, item in enumerate(items):
        if item in seen:
            yield Finding((*where, j, "id"), f"duplicate {what} id {item!r}")
        seen.add(item)


def _duplicate_ids(district: District) -> list[Finding]:
    findings = list(_duplicates([s.id for s in district.schools], ("schools",), "school"))
    findings += _duplicates([p.id for p in district.providers], ("providers",), "provider")
    for i, school in enumerate(district.schools):
        base: Path = ("schools", i)
        findings += _duplicates([r.id for r in school.rooms], (*base, "rooms"), "room")
        findings += _duplicates([t.id for t in school.teachers], (*base, "teachers"), "teacher")
        findings += _duplicates([a.id for a in school.activities], (*base, "activities"), "activity")
        findings += _duplicates([s.id for s in school.students], (*base, "students"), "student")
    return findings


def _school_checks(district: District, i: int, school: School) -> list[Finding]:
    base: Path = ("schools", i)
    findings: list[Finding] = []
    for j, student in enumerate(school.students):
        where: Path = (*base, "students", j)
        if student.grade not in school.grades:
            findings.append(Finding((*where, "grade"), f"student {student.id}: grade {student.grade} is not one of the school's grades"))
        for choice in student.choices:
            if school.activity(choice) is None:
                findings.append(Finding((*where, "choices"), f"student {student.id} chose unknown activity {choice!r}"))
    for j, activity in enumerate(school.activities):
        where = (*base, "activities", j)
        for grade in activity.grades:
            if grade not in school.grades:
                findings.append(Finding((*where, "grades"), f"activity {activity.id}: grade {grade} is not one of the school's grades"))
    return findings
