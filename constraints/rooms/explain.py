"""How explanations name, size and fix the room rule (H2)."""

from __future__ import annotations

from constraints.common.family import RuleText
from constraints.common.keys import Rule, RuleKey
from constraints.common.words import Fix, Words
from models.district import District, Room
from models.instance import Instance


def _rooms(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    school = words.school(key.school)
    have = [r for r in school.rooms if r.type == key.room_type and r.capacity >= key.need]
    first = have[0] if have else (school.rooms[0] if school.rooms else None)
    where = words.place("schools", key.school, "rooms", first.id) if first else None
    text = words.t("{w}：能容纳 {n} 人的 {t} 只有 {k} 间", "{w}: only {k} {t} room(s) "
                   "holding {n}", w=words.when(key), n=key.need, t=key.room_type, k=len(have))
    return text, where, _more_text(words, key, fix, len(have))


def _add_rooms(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """`value` rooms of the type and size at that moment: add the ones missing."""
    school = district.school(key.school)
    have = sum(1 for r in school.rooms if r.type == key.room_type and r.capacity >= key.need)
    _more_rooms(district, key, int(value) - have)


def _more_rooms(district: District, key: RuleKey, count: int) -> None:
    """`count` rooms of the key's type, as big as its biggest (they hold every section the
    rooms the key counts hold)."""
    school = district.school(key.school)
    kind, size = key.room_type, key.need
    biggest = max((r.capacity for r in school.rooms if r.type == kind), default=size)
    for n in range(max(0, count)):
        school.rooms.append(Room.model_validate(
            {"id": f"extra-{kind}-{n + 1}", "type": kind, "capacity": max(biggest, size)}))


def _room_class(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    """Rooms holding sections of up to `need` but none larger (the key's rooms): a section
    keeps one room all through its time, so they cannot lend a bigger room's place."""
    rooms = key.who.split(",")
    where = words.place("schools", key.school, "rooms", rooms[0])
    text = words.t("{w}：可容纳 {n} 人但容纳不下更大分组的 {t} 只有 {k} 间（{r}）；每个分组全程"
                   "占用同一间", "{w}: only {k} {t} room(s) hold groups of {n} but not larger "
                   "ones ({r}); a group keeps one room all through its time", w=words.when(key),
                   n=key.need, t=key.room_type, k=len(rooms), r=", ".join(rooms))
    return text, where, _more_text(words, key, fix, len(rooms))


def _more_text(words: Words, key: RuleKey, fix: Fix, have: int) -> str:
    """The fix in words: how many rooms of the type (and size) more, at that moment."""
    more = int(max(fix.changes.values(), default=have)) - have
    if more <= 0:
        return ""
    return words.t("{w} 多 {m} 间 {t}（≥{n} 人）", "{m} more room(s) of type {t} (≥{n} seats) "
                   "on {w}", w=words.when(key), m=more, t=key.room_type, n=key.need)


def _add_class_rooms(district: District, instance: Instance, key: RuleKey, value: float
                     ) -> None:
    """`value` rooms where the key's rooms are: add the ones missing."""
    _more_rooms(district, key, int(value) - len(key.who.split(",")))


def _rooms_all(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    return words.many(fix, f"{key.room_type} 类教室的数量", f"the number of {key.room_type} rooms",
                      "间", "rooms")


RULES: dict[Rule, RuleText] = {
    Rule.ROOMS: RuleText(
        _rooms, _add_rooms,
        coarse=lambda instance, k: RuleKey(Rule.ROOMS_ALL, k.school, room_type=k.room_type)),
    Rule.ROOM_CLASS: RuleText(
        _room_class, _add_class_rooms,
        coarse=lambda instance, k: RuleKey(Rule.ROOMS_ALL, k.school, room_type=k.room_type)),
    Rule.ROOMS_ALL: RuleText(_rooms_all),
}
