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


def _vetted(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    provider, name, _ = words.provider(key.who)
    end = words.district.term.end
    if provider.qualification != "approved":
        field, state = "qualification", str(provider.qualification)
        text = words.t("{p} 的资质审核未通过（qualification: {q}），不能安排",
                       "{p} is not approved (qualification: {q}), so cannot be scheduled",
                       p=name, q=state)
    else:
        field, state = "background_check_until", str(provider.background_check_until or "-")
        text = words.t("{p} 的背景审查有效期（background_check_until: {q}）不到学期结束 {e}",
                       "{p}'s background check (background_check_until: {q}) does not last "
                       "to the term's end {e}", p=name, q=state, e=end)
    fix_text = words.t("完成 {p} 的审核与背景审查（有效至 {e} 或更晚；需要 {b} 组）",
                       "get {p} approved with a background check valid to {e} or later "
                       "({b} group(s) needed)", p=name, e=end, b=int(fix.new)) \
        if fix.new else ""
    where = words.place("providers", key.who, field) or words.place("providers", key.who)
    return text, where, fix_text


def _serves(words: Words, key: RuleKey, fix: Fix) -> tuple[str, str | None, str]:
    _, name, _ = words.provider(key.who)
    text = words.t("{p} 的 serves 不含学校 {s}", "{p}'s serves list does not include school {s}",
                   p=name, s=key.school)
    fix_text = words.t("把 {s} 加入 {p} 的 serves（需要 {b} 组）",
                       "add {s} to {p}'s serves ({b} group(s) needed)", p=name, s=key.school,
                       b=int(fix.new)) if fix.new else ""
    where = words.place("providers", key.who, "serves") or words.place("providers", key.who)
    return text, where, fix_text


def _provider(district: District, key: RuleKey) -> Provider:
    return next(p for p in district.providers if p.id == key.who)


def _open_day(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    """Available all that day."""
    provider = _provider(district, key)
    provider.available = {**(provider.available or {}), key.day: [(0, 24 * 60 - 1)]}  # type: ignore[dict-item]


def _vet(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    provider = _provider(district, key)
    provider.qualification = "approved"
    end = district.term.end
    if provider.background_check_until is None or provider.background_check_until < end:
        provider.background_check_until = end


def _serve(district: District, instance: Instance, key: RuleKey, value: float) -> None:
    provider = _provider(district, key)
    if provider.serves is not None and key.school not in provider.serves:
        provider.serves.append(key.school)


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
    Rule.PROVIDER_VETTED: RuleText(_vetted, _vet),
    Rule.PROVIDER_SERVES: RuleText(_serves, _serve),
    Rule.PROVIDER_INSTRUCTORS_ALL: RuleText(_instructors_all),
}
