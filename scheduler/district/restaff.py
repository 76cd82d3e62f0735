"""A school's timetable with its named instructors chosen again around other schools'.

Solved alone, every school of a district names the same instructors of a shared provider
(the first cleared ones), so its timetable breaks "one place at a time" beside the other
schools' even where the provider has instructors to spare. Choosing who leads each
section again, keeping every time, room and student, often makes it fit without a solve
(on L, no alone timetable fitted as it was). This only proposes: the caller keeps the
result only if the providers family's own check passes on it.
"""

from __future__ import annotations

from collections import defaultdict

from models.district import District, Provider
from models.solution import SectionOut, Solution, StaffRef

Busy = list[tuple[int, int, str]]  # (start, end, school) of one instructor on one day


def restaffed(district: District, candidate: Solution, others: list[Solution | None]) -> Solution:
    """`candidate` with each named instructor chosen again, section by section in order of
    start, so that none is at two places at once or short of travel time, beside the
    others' sections; a section keeps its instructor where it still can."""
    providers = {p.id: p for p in district.providers if isinstance(p.instructors, list)}
    busy: dict[tuple[str, str, str], Busy] = defaultdict(list)  # provider, instructor, day
    for solution in others:
        for section in solution.sections if solution is not None else []:
            for ref in section.staff:
                if ref.provider in providers and ref.instructor is not None:
                    busy[(ref.provider, ref.instructor, section.day)].append(
                        (section.start, section.end, section.school))
    term_end = district.term.end
    sections = sorted(candidate.sections, key=lambda s: (s.day, s.start, s.end, s.id))
    changed = {s.id: _restaff(district, s, providers, busy, term_end) for s in sections}
    return candidate.model_copy(update={"sections": [changed[s.id] for s in candidate.sections]})


def _restaff(district: District, section: SectionOut, providers: dict[str, Provider],
             busy: dict[tuple[str, str, str], Busy], term_end: object) -> SectionOut:
    staff = []
    for ref in section.staff:
        provider = providers.get(ref.provider or "")
        if provider is None or ref.instructor is None:
            staff.append(ref)
            continue
        cleared = [i.id for i in provider.cleared(term_end)]  # type: ignore[arg-type]
        order = sorted(cleared, key=lambda i: i != ref.instructor)  # its own first
        chosen = next((i for i in order
                       if _free(district, busy[(provider.id, i, section.day)], section)),
                      ref.instructor)
        busy[(provider.id, chosen, section.day)].append(
            (section.start, section.end, section.school))
        staff.append(StaffRef(provider=provider.id, instructor=chosen))
    return section.model_copy(update={"staff": staff})


def _free(district: District, taken: Busy, section: SectionOut) -> bool:
    """Whether an instructor with these sections that day can also lead this one, with the
    travel between schools on either side."""
    for start, end, school in taken:
        gap = district.travel(school, section.school)
        if section.start < end + gap and start < section.end + gap:
            return False
    return True
