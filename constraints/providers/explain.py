"""How explanations name, size and fix the provider rules (H4)."""

from __future__ import annotations

from constraints.common.family import RuleText
from constraints.common.keys import Rule, RuleKey
from constraints.common.words import Fix, Words
from models.common import format_window
from models.district import District, Instructor, Provider
from models.instance import Instance


def _window(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    provider, name, where = words.provider(key.who)
    windows = (provider.available or {}).get(key.day, [])  # type: ignore[call-overload]
    hours = ", ".join(format_window(w) for w in windows) or "-"
    text = words.t("{p} {d} 只在 {h} 有空", "{p} is available on {d} only {h}",
                   p=name, d=words.day(key.day), h=hours)
    fix_text = words.t("请 {p} {d} 在放学后另开 {b} 组", "ask {p} for {b} more group(s) after "
                       "dismissal on {d}", p=name, d=words.day(key.day), b=int(fix.new)) \
        if fix.new else ""
    return text, where, fix_text


def _instructors(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    provider, name, where = words.provider(key.who)
    count = provider.instructor_count
    text = words.t("{p} 在 {w} 同时只有 {c} 名教练（所有学校合计）",
                   "{p} has {c} instructor(s) at {w}, across all schools it serves",
                   p=name, w=words.when(key), c=count)
    fix_text = words.t("{p} 在 {w} 需要 {b} 名教练（现 {a} 名）",
                       "{p} needs {b} instructors on {w} (has {a})", p=name,
                       w=words.when(key), a=count, b=int(fix.new)) if fix.new is not None else ""
    return text, where, fix_text


def _provider(district: District, key: RuleKey) -> Provider:
    return next(p for p in district.providers if p.id == key.who)


def _open_day(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """Available all that day."""
    provider = _provider(district, key)
    provider.available = {**(provider.available or {}), key.day: [(0, 24 * 60 - 1)]}  # type: ignore[dict-item]


def _set_instructors(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """`value` instructors: a new number, or new named people cleared for the whole term."""
    provider = _provider(district, key)
    if not provider.named:
        provider.instructors = int(value)
        return
    for n in range(max(0, int(value) - provider.instructor_count)):
        provider.named.append(Instructor(id=f"extra-{provider.id}-{n + 1}",
                                         background_check_until=district.term.end))


def _instructors_all(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    return words.many(fix, f"{key.who} 的教练人数", f"{key.who}'s instructors", "名",
                      "instructors")


RULES: dict[Rule, RuleText] = {
    Rule.PROVIDER_INSTRUCTORS: RuleText(
        _instructors, _set_instructors,
        coarse=lambda instance, k: RuleKey(Rule.PROVIDER_INSTRUCTORS_ALL, who=k.who)),
    Rule.PROVIDER_WINDOW: RuleText(_window, _open_day),
    Rule.PROVIDER_INSTRUCTORS_ALL: RuleText(_instructors_all),
}
