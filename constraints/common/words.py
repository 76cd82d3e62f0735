"""Sentences a school uses: names from the input, weekdays in the file's language, file:line.

Each rule family describes its own rules with these (`constraints.<family>.explain`);
places are looked up by entity id in the file as the user wrote it, so a patched copy or a
part of a district still cites the user's own lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.common import format_clock
from models.district import Activity, Provider, School, Teacher
from models.instance import Instance
from models.loader import Loaded

from .keys import RuleKey

DAY = {
    "zh": {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五",
           "sat": "周六", "sun": "周日"},
    "en": {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri",
           "sat": "Sat", "sun": "Sun"},
}


@dataclass
class Fix:
    """A relaxation of one core element: new limits per rule instance, and what it did."""

    key: RuleKey
    members: list[RuleKey] = field(default_factory=list)  # the fine keys it stands for
    changes: dict[RuleKey, float] = field(default_factory=dict)  # fine key -> new limit
    old: dict[RuleKey, float] = field(default_factory=dict)  # fine key -> current limit
    students: int = 0  # coverage: students who cannot be supervised that day
    alone_feasible: bool | None = None  # None: not checked (no time, or no size found)

    @property
    def new(self) -> float | None:
        return next(iter(self.changes.values()), None)

    def old_or(self, default: float) -> float:
        return next(iter(self.old.values()), default)


class Words:
    """Renders rules and fixes in one language."""

    def __init__(self, loaded: Loaded, instance: Instance, lang: str = "zh"):
        self.loaded = loaded
        self.instance = instance
        self.lang = lang if lang in DAY else "zh"
        self.district = instance.district

    def t(self, zh: str, en: str, **values: Any) -> str:
        return (zh if self.lang == "zh" else en).format(**values)

    def day(self, day: str) -> str:
        return DAY[self.lang].get(day, day)

    def when(self, key: RuleKey) -> str:
        """The key's moment as `周二 16:00`."""
        return f"{self.day(key.day)} {format_clock(key.minute)}"

    # --- places in the input -------------------------------------------------------------
    def place(self, *path: str | int) -> str | None:
        location = self.loaded.place(*path)
        return None if location is None else f"{location.file}:{location.line}"

    def school(self, school_id: str) -> School:
        return self.district.school(school_id)

    def teacher(self, school_id: str, teacher_id: str) -> tuple[Teacher, str, str | None]:
        """The teacher, how to name them, and where they are written."""
        teacher = next(t for t in self.school(school_id).teachers if t.id == teacher_id)
        name = f"{teacher.name} ({teacher.id})" if teacher.name else teacher.id
        return teacher, name, self.place("schools", school_id, "teachers", teacher_id)

    def activity(self, school_id: str, activity_id: str,
                 field_name: str) -> tuple[Activity, str, str | None]:
        activity = next(a for a in self.school(school_id).activities if a.id == activity_id)
        name = f"{activity.name} ({activity.id})" if activity.name else activity.id
        where = self.place("schools", school_id, "activities", activity_id, field_name)
        return activity, name, where

    def provider(self, provider_id: str) -> tuple[Provider, str, str | None]:
        provider = self.instance.providers[provider_id]
        name = f"{provider.name} ({provider.id})" if provider.name else provider.id
        return provider, name, self.place("providers", provider_id, "instructors")

    # --- coarse elements (large schools) ---------------------------------------------------
    def many(self, fix: Fix, zh: str, en: str, unit_zh: str,
             unit_en: str) -> tuple[str, str | None, str]:
        """A coarse element: what it gathers, and how much more is needed in all."""
        total = sum(fix.changes[k] - fix.old[k] for k in fix.changes)
        text = self.t(zh, en)
        fix_text = self.t("共需再增加 {x:g} {u}（{n} 处）", "{x:g} more {u} in total ({n} "
                          "places)", x=total, u=unit_zh if self.lang == "zh" else unit_en,
                          n=len(fix.changes)) if fix.changes else ""
        return text, None, fix_text
