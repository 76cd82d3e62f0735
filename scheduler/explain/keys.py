"""Guard keys: which hard rule instances share one assumption literal when explaining.

A *fine* key names one thing a school can change (a teacher's weekly cap, a room type at
one moment, a student group's supervision on one day, an activity's minimum size); a
*coarse* key gathers fine keys of one kind (all teachers' weekly caps of a school, one
grade's supervision on one day) so a large school's core is found in a few solves.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.instance import Instance


@dataclass(frozen=True)
class Key:
    """A parsed guard key: `family[body]`."""

    family: str
    body: str

    @property
    def text(self) -> str:
        return f"{self.family}[{self.body}]"

    @property
    def parts(self) -> list[str]:
        return self.body.split("/")


def parse(key: str) -> Key:
    family, _, body = key.partition("[")
    return Key(family, body.removesuffix("]"))


def fine_key(name: str) -> str | None:
    """The fine guard key of a hard rule instance named by `constraints.terms.named`."""
    key = parse(name)
    if key.family == "max-size":
        # Always enforced: without it students could sit in groups that never open.
        return None
    if key.family == "coverage":  # school/gN/day-minute -> school/gN/day
        head, _, when = key.body.rpartition("/")
        return f"coverage[{head}/{when.split('-')[0]}]"
    if key.family == "min-size":  # school/activity/day-minute -> school/activity
        return f"{key.family}[{key.body.rpartition('/')[0]}]"
    return name


def coarse_key(instance: Instance, fine: str) -> str:
    """The coarse key gathering a fine key with others of its kind."""
    key = parse(fine)
    school = key.parts[0]
    if key.family == "teacher-week-cap":
        return f"teacher-week-caps[{school}]"
    if key.family == "teacher-day-cap":
        return f"teacher-day-caps[{school}]"
    if key.family == "teacher-busy":  # school/teacher/day -> school/day
        return f"teacher-busy-all[{school}/{key.parts[2]}]"
    if key.family == "rooms":
        return f"rooms-all[{key.body.split('>=')[0]}]"
    if key.family == "provider-instructors":
        return f"provider-instructors-all[{key.body.split('@')[0]}]"
    if key.family == "coverage":
        group = group_of(instance, school, key.parts[1])
        return f"coverage-grade[{school}/{group.grade}/{key.parts[2]}]"
    if key.family == "clubs-per-week":
        return f"clubs-per-week-all[{school}]"
    return fine


def group_of(instance: Instance, school: str, tag: str):  # noqa: ANN201 - Group
    """The group `gN` of a school."""
    data = next(d for d in instance.schools if d.school.id == school)
    return data.groups[int(tag.removeprefix("g"))]
