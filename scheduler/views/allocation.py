"""The allocation options in words (SPEC §8.5): `together` pairs kept and split with the
reason, and assigned students with theirs, for the terminal summary and the HTML report.

Made from `solution.json`'s `together` list and the input alone.
"""

from __future__ import annotations

from html import escape

from models.common import format_clock
from models.district import District
from models.solution import SectionOut, Solution, TogetherPair

from .i18n import Labels, Lang

_WORDS: dict[str, tuple[str, str]] = {
    "pair": ("{label}：{a}、{b} ", "{label}: {a} and {b} "),
    "kept": ("同在{what}", "together in {what}"),
    "split": ("在{what}分开（{why}）", "split in {what} ({why})"),
    "and": ("；", "; "),
    "other-time": ("不同时间：{x} / {y}", "other times: {x} / {y}"),
    "same-time": ("同一时间分成两组（{x}），一组已满",
                  "one time, two groups ({x}): a group was full"),
    "apart": ("没有共同的活动（{a}：{x}；{b}：{y}）", "share no activity ({a}: {x}; {b}: {y})"),
    "none": ("无", "none"),
    "more": ("……另有 {n} 对，见报告（html）与 solution.json",
             "... and {n} more pairs in the report (html) and solution.json"),
    "summary": ("同行安排：{kept} 对在一起，{split} 对分开，{apart} 对没有共同活动",
                "together: {kept} pairs kept, {split} split, {apart} share no activity"),
    "title": ("同行安排（together）", "Together (siblings and friends)"),
    "assigned_title": ("指定参加（assigned）", "Assigned"),
    "assigned_row": ("{s}：{what}{reason}", "{s}: {what}{reason}"),
}


def _t(lang: Lang, key: str, **values: object) -> str:
    zh, en = _WORDS[key]
    return (zh if lang == "zh" else en).format(**values)


def _label(district: District, school: str, activity: str) -> str:
    found = district.school(school).activity(activity)
    return found.label if found is not None else activity


def pair_line(district: District, solution: Solution, pair: TogetherPair, lang: Lang) -> str:
    """One sentence per pair: the clubs they share, kept or split and why."""
    a, b = pair.students
    school = pair.school
    head = _t(lang, "pair", label=pair.label, a=a, b=b)
    if pair.apart:
        got = [", ".join(_label(district, school, x) for x in side) or _t(lang, "none")
               for side in pair.apart]
        return head + _t(lang, "apart", a=a, b=b, x=got[0], y=got[1])
    parts = []
    if pair.kept:
        what = "、".join(_label(district, school, x) for x in pair.kept)
        parts.append(_t(lang, "kept", what=what))
    by_id = {s.id: s for s in solution.sections}
    for split in pair.split:
        times = [_when(by_id.get(i), lang) for i in split.sections]
        why = _t(lang, split.why, x=times[0], y=times[1])
        parts.append(_t(lang, "split", what=_label(district, school, split.activity), why=why))
    return head + _t(lang, "and").join(parts)


def _when(section: SectionOut | None, lang: Lang) -> str:
    if section is None:
        return "?"
    return f"{Labels(lang).day(section.day)} {format_clock(section.start)}"


TERMINAL_PAIRS = 20  # past this, the report and solution.json hold the rest


def together_lines(district: District, solution: Solution, lang: Lang) -> list[str]:
    """A count, then a line per pair, split pairs first (the first `TERMINAL_PAIRS`)."""
    pairs = sorted(solution.together or [], key=lambda p: not p.split)
    if not pairs:
        return []
    kept = sum(1 for p in pairs if p.kept and not p.split)
    split = sum(1 for p in pairs if p.split)
    head = _t(lang, "summary", kept=kept, split=split, apart=len(pairs) - kept - split)
    lines = [head] + ["  " + pair_line(district, solution, p, lang)
                      for p in pairs[:TERMINAL_PAIRS]]
    if len(pairs) > TERMINAL_PAIRS:
        lines.append("  " + _t(lang, "more", n=len(pairs) - TERMINAL_PAIRS))
    return lines


def assigned_lines(district: District, solution: Solution, lang: Lang, school: str) -> list[str]:
    """Each assigned student of the school, the activity, and the reason written."""
    lines = []
    for student in district.school(school).students:
        for key in student.assigned:
            reason = f" — {student.assigned_reason}" if student.assigned_reason else ""
            lines.append(_t(lang, "assigned_row", s=student.id,
                            what=_label(district, school, key), reason=reason))
    return lines


def allocation_block(district: District, solution: Solution, lang: Lang, school: str) -> str:
    """The report's part for one school: together pairs, then assigned students."""
    pairs = [p for p in solution.together or [] if p.school == school]
    html = ""
    if pairs:
        items = "".join(f"<li>{escape(pair_line(district, solution, p, lang))}</li>"
                        for p in pairs)
        html += f'<h3>{escape(_t(lang, "title"))}</h3><ul class="together">{items}</ul>'
    assigned = assigned_lines(district, solution, lang, school)
    if assigned:
        items = "".join(f"<li>{escape(line)}</li>" for line in assigned)
        html += f'<h3>{escape(_t(lang, "assigned_title"))}</h3><ul class="assigned">{items}</ul>'
    return html
