"""What changed between a base timetable and a new one (SPEC §8.3), solver-free.

Sections are compared per school and activity. A section with the same weekday, start,
staff and room is unchanged; the rest are paired up: same time and staff (room moved),
same time (restaffed), same staff (moved in time), any (moved in time and staff); what is
left was closed (base) or opened (new). Each pair or leftover is one section change, so a
section moved from Tuesday to Thursday counts once.

A student's sessions are the (activity, weekday, start) they sit in; a student who is
in both timetables' district and lost one of their base sessions was moved out of it.
Students who left or joined are not moves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from models.solution import SectionOut

Session = tuple[str, str, int]  # (activity, day, start)


@dataclass(frozen=True)
class SectionChange:
    kind: str  # room | staff | time | time+staff | closed | opened
    school: str
    activity: str
    before: SectionOut | None
    after: SectionOut | None


@dataclass
class StudentMove:
    school: str
    student: str
    lost: list[Session]
    gained: list[Session]


@dataclass
class Diff:
    sections: list[SectionChange] = field(default_factory=list)
    students: list[StudentMove] = field(default_factory=list)

    def section_changes(self, school: str | None = None) -> int:
        return sum(1 for c in self.sections if school is None or c.school == school)

    def student_sessions(self, school: str | None = None) -> int:
        """Sessions students were moved out of (what `weights.change_student` prices)."""
        return sum(len(m.lost) for m in self.students if school is None or m.school == school)

    def students_moved(self, school: str | None = None) -> int:
        return sum(1 for m in self.students if school is None or m.school == school)


def staff_key(section: SectionOut) -> tuple[str, ...]:
    return tuple(f"t:{s.teacher}" if s.teacher else f"p:{s.provider}" for s in section.staff)


def diff(base: Iterable[SectionOut], new: Iterable[SectionOut],
         rosters: Mapping[str, set[str]]) -> Diff:
    """Changes from `base` to `new`; `rosters`: each school's students in the new input.
    Trips of visits are planned afresh in a re-solve, never changes (docs/visits.md)."""
    base = [s for s in base if s.date is None]
    new = [s for s in new if s.date is None]
    result = Diff()
    by_activity: dict[tuple[str, str], tuple[list[SectionOut], list[SectionOut]]] = \
        defaultdict(lambda: ([], []))
    for section in base:
        by_activity[(section.school, section.activity)][0].append(section)
    for section in new:
        by_activity[(section.school, section.activity)][1].append(section)
    for (school, activity), (before, after) in sorted(by_activity.items()):
        result.sections += _pair(school, activity, before, after)
    result.students = _moves(base, new, rosters)
    return result


def _exact(section: SectionOut) -> tuple:
    return section.day, section.start, staff_key(section), section.room


_PAIRINGS = (
    ("room", lambda s: (s.day, s.start, staff_key(s))),
    ("staff", lambda s: (s.day, s.start)),
    ("time", staff_key),
    ("time+staff", lambda s: ()),
)


def _pair(school: str, activity: str, before: list[SectionOut],
          after: list[SectionOut]) -> list[SectionChange]:
    kept = Counter(_exact(s) for s in before) & Counter(_exact(s) for s in after)
    left = _without(before, kept)
    right = _without(after, kept)
    changes = []
    for kind, key in _PAIRINGS:
        for old in list(left):
            match = next((n for n in right if key(n) == key(old)), None)
            if match is not None:
                left.remove(old)
                right.remove(match)
                changes.append(SectionChange(kind, school, activity, old, match))
    changes += [SectionChange("closed", school, activity, s, None) for s in left]
    changes += [SectionChange("opened", school, activity, None, s) for s in right]
    return changes


def _without(sections: list[SectionOut], kept: Counter) -> list[SectionOut]:
    budget = Counter(kept)
    rest = []
    for section in sorted(sections, key=lambda s: (s.day, s.start, s.id)):
        key = _exact(section)
        if budget[key] > 0:
            budget[key] -= 1
        else:
            rest.append(section)
    return rest


def sessions_of(sections: Iterable[SectionOut]) -> dict[tuple[str, str], set[Session]]:
    table: dict[tuple[str, str], set[Session]] = defaultdict(set)
    for section in sections:
        for student in section.students:
            table[(section.school, student)].add((section.activity, section.day, section.start))
    return table


def _moves(base: list[SectionOut], new: list[SectionOut],
           rosters: Mapping[str, set[str]]) -> list[StudentMove]:
    before, after = sessions_of(base), sessions_of(new)
    moves = []
    for (school, student), sessions in sorted(before.items()):
        if student not in rosters.get(school, set()):
            continue  # left the school (or the school is not in this input)
        now = after.get((school, student), set())
        lost = sorted(sessions - now)
        if lost:
            moves.append(StudentMove(school, student, lost, sorted(now - sessions)))
    return moves
