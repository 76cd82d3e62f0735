"""Ties in the score broken by the published lottery (SPEC §8.5 `policy.lottery_seed`).

After extraction, a club seat held by student A goes to student B, who waits for that
activity with a smaller lottery number, whenever the swap leaves every term of the score
as it was: B ranks the activity as A does, has the same priority, and gets a choice
elsewhere exactly when A does; both are of one grade, need the club's periods that day,
and B sits in supervised study exactly there, which A takes over (the groups keep their
sizes, and their classes, as checked). B must be free for the club (registered, home by
the club's end, under the clubs-per-week cap, not in that activity already). Seats on a
visit's trips are not swapped: a trip is one date, the study seat it would trade is
every week's.

The objective stays exact: the score of the timetable is recomputed, and if any term
moved (a rule this pass does not see, such as a re-solve's changes), no swap is kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from models.allocation import lottery_number
from models.instance import Group, Instance, SchoolData
from models.solution import SectionOut, Unserved

from .score import score


@dataclass
class _School:
    data: SchoolData
    sections: list[SectionOut]
    group_of: dict[str, Group]
    lottery: dict[str, int]
    fallback: set[str]
    of: dict[str, list[SectionOut]] = field(default_factory=lambda: defaultdict(list))
    # (activity, grade, rank) -> the students who could swap for one another, luckiest
    # first: a swap needs both of one grade ranking the activity alike.
    alike: dict[tuple[str, int, int], list[str]] = field(
        default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.by_id = {st.id: st for st in self.data.school.students}
        for section in self.sections:
            for student in section.students:
                self.of[student].append(section)
        for student, group in sorted(self.group_of.items(), key=lambda p: self.lottery[p[0]]):
            for activity, rank in group.ranks.items():
                self.alike[(activity, group.grade, rank)].append(student)

    def in_activity(self, student: str, activity: str) -> bool:
        return any(s.activity == activity for s in self.of[student])

    def mine(self, student: str) -> list[SectionOut]:
        return self.of[student]

    def clubs(self, student: str) -> list[SectionOut]:
        return [s for s in self.mine(student) if s.activity not in self.fallback]

    def chosen_elsewhere(self, student: str, activity: str) -> bool:
        ranks = self.group_of[student].ranks
        return any(s.activity in ranks and s.activity != activity for s in self.clubs(student))


def break_ties(instance: Instance, sections: list[SectionOut],
               unserved: list[Unserved]) -> list[SectionOut]:
    """The timetable with club seats given by lottery where the score does not tell."""
    if instance.base is not None:  # a re-solve keeps its students where they were
        return sections
    result: list[SectionOut] = []
    for data in instance.schools:
        mine = [s.model_copy(deep=True) for s in sections if s.school == data.school.id]
        result += _school(data, mine)
    before, after = score(instance, sections, unserved), score(instance, result, unserved)
    if before.keys() != after.keys() or any(abs(before[k] - after[k]) > 1e-9 for k in before):
        return sections
    return result


def _school(data: SchoolData, sections: list[SectionOut]) -> list[SectionOut]:
    seed = data.policy.lottery_seed
    school = _School(
        data, sections,
        {st.id: g for g in data.groups for st in g.students},
        {st.id: lottery_number(seed, data.school.id, st.id) for st in data.school.students},
        {a.id for a in data.school.activities if a.fallback})
    # Weekly clubs only: a trip runs on one date, while the study seat a swap hands over
    # holds every week, which the child leaving the trip already sits in on the others.
    for club in sorted((s for s in sections if s.activity not in school.fallback
                        and s.date is None), key=lambda s: s.id):
        while _one_swap(school, club):
            pass
    return sections


def _one_swap(school: _School, club: SectionOut) -> bool:
    """Give one seat of `club` to a luckier waiting student; False when none can."""
    for holder in sorted(club.students, key=lambda st: -school.lottery[st]):
        group = school.group_of[holder]
        if club.activity not in group.ranks:
            continue  # not a choice of theirs (only an unverified timetable has that)
        for luckier in school.alike[(club.activity, group.grade, group.ranks[club.activity])]:
            if school.lottery[luckier] >= school.lottery[holder]:
                break
            if school.in_activity(luckier, club.activity):
                continue
            study = _swappable(school, club, holder, luckier)
            if study is not None:
                _swap(school, club, study, holder, luckier)
                return True
    return False


def _swappable(school: _School, club: SectionOut, holder: str,
               luckier: str) -> list[SectionOut] | None:
    """The study sections `luckier` would hand to `holder`, or None if the swap could
    change the score or break a rule."""
    a, b = school.group_of[holder], school.group_of[luckier]
    if (a.grade != b.grade or a.ranks[club.activity] != b.ranks[club.activity]
            or a.priority != b.priority or a.together != b.together
            or school.chosen_elsewhere(holder, club.activity)
            != school.chosen_elsewhere(luckier, club.activity)):
        return None
    day = club.day
    if day not in b.needs or b.window_end[day] < club.end:
        return None
    if len(school.clubs(luckier)) >= school.data.policy.max_clubs_per_student_week:
        return None
    periods = [p for p in b.needs[day] if club.start <= p < club.end]
    if periods != [p for p in a.needs.get(day, []) if club.start <= p < club.end]:
        return None
    overlap = [s for s in school.mine(luckier)
               if s.day == day and s.start < club.end and club.start < s.end]
    if (any(s.activity not in school.fallback for s in overlap)
            or sorted(s.start for s in overlap) != periods
            or any(s.end > club.end for s in overlap)):
        return None
    if not all(_same_classes(school, s, luckier, holder) for s in overlap):
        return None
    return overlap


def _same_classes(school: _School, section: SectionOut, leaving: str, coming: str) -> bool:
    """A study group keeps the classes it holds when `coming` takes `leaving`'s seat."""
    group = school.group_of
    before = {group[st].class_ for st in section.students}
    after = {group[st].class_ for st in section.students if st != leaving} | {group[coming].class_}
    return before == after


def _swap(school: _School, club: SectionOut, study: list[SectionOut], holder: str,
          luckier: str) -> None:
    club.students[club.students.index(holder)] = luckier
    for section in study:
        section.students[section.students.index(luckier)] = holder
    school.of[holder] = [s for s in school.of[holder] if s is not club] + study
    school.of[luckier] = [s for s in school.of[luckier] if all(s is not t for t in study)] + [club]

