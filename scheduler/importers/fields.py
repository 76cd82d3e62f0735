"""Read the values a sign-up form produces: headers, grades, classes, days, marks, times.

Each `parse_*` returns the value or raises `ValueError` with a message for the user.
"""

from __future__ import annotations

import re

from models.common import DAYS, Day

FIELDS = ("id", "name", "grade", "class", "days", "pickup", "choices")

_HEADER_WORDS = {  # normalised header -> field
    "id": "id", "学号": "id", "studentid": "id", "学生编号": "id", "编号": "id", "学籍号": "id",
    "name": "name", "姓名": "name", "学生姓名": "name", "studentname": "name", "名字": "name",
    "grade": "grade", "年级": "grade",
    "class": "class", "班级": "class", "班": "class", "班别": "class",
    "days": "days", "day": "days", "星期": "days", "weekdays": "days", "参加日": "days",
    "参加日期": "days", "服务日": "days", "参加星期": "days", "参加时间": "days",
    "pickup": "pickup", "pickuptime": "pickup", "接送时间": "pickup", "离校时间": "pickup",
    "接送": "pickup", "接孩子时间": "pickup",
    "choices": "choices", "志愿": "choices", "activities": "choices", "选课": "choices",
}
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11, "十二": 12}
_DAY_WORDS: dict[str, str] = {
    **{d: d for d in DAYS},
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
    "saturday": "sat", "sunday": "sun", "tues": "tue", "thur": "thu", "thurs": "thu",
    **{str(k + 1): d for k, d in enumerate(DAYS)},
    **{cn: DAYS[k] for k, cn in enumerate("一二三四五六")}, "日": "sun", "天": "sun", "七": "sun",
}
_DAY_PREFIX = re.compile(r"^(星期|周|礼拜)")
_ALL_DAYS = {"每天", "全部", "全周", "all", "everyday", "每日", "周一至周五"}
_CHOICE = re.compile(r"^(?:choice|志愿|第)(\d+|[一二三四五六七八九十]+)(?:志愿)?$")
_YES = {"✓", "✔", "√", "☑", "是", "y", "yes", "1", "true", "x", "●", "参加", "报名", "有"}
_NO = {"", "否", "n", "no", "0", "false", "✗", "×", "不参加", "无", "-"}


def normalise(header: str) -> str:
    """Compare headers without case, spaces, underscores, hyphens and brackets."""
    return re.sub(r"[\s_\-()（）:：*]", "", header.lower())


def field_of(header: str) -> str | None:
    """The field a column holds: a key of `FIELDS`, `choiceN`, a weekday, or None (ignored)."""
    key = normalise(header)
    if key in _HEADER_WORDS:
        return _HEADER_WORDS[key]
    match = _CHOICE.match(key)
    if match:
        return f"choice{_number(match.group(1))}"
    day = _day_word(key)
    return day if day is not None and not key.isdigit() else None


def valid_field(name: str) -> bool:
    """What `--map HEADER=FIELD` may name."""
    ranked = re.fullmatch(r"choice\d+", name) is not None
    return name in FIELDS or name in DAYS or name == "ignore" or ranked


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_DIGITS[text]


def _day_word(token: str) -> Day | None:
    word = _DAY_PREFIX.sub("", token.strip().lower())
    return _DAY_WORDS.get(word) or _DAY_WORDS.get(word[:3])  # type: ignore[return-value]


def parse_grade(text: str) -> int:
    """`3`, `三年级`, `3年级`, `Grade 3`, `G3`, `初一` (7) ... `高三` (12)."""
    value = re.sub(r"\s+", "", text.lower())
    stage = {"初": 6, "高": 9}.get(value[:1], 0)
    if stage and value[1:2] in _CN_DIGITS and value[2:] in ("", "年级"):
        return stage + _CN_DIGITS[value[1:2]]
    value = re.sub(r"^(grade|g)|年级$|级$", "", value)
    if value.isdigit():
        return int(value)
    if value in _CN_DIGITS:
        return _CN_DIGITS[value]
    raise ValueError(f"grade {text!r} not understood (expected 3 or 三年级)")


def parse_class(text: str, grade: int) -> str | None:
    """`2班`, `(2)班`, `三年级二班`, `3-2`, `3.2` -> `3-2`; anything else is kept as written."""
    value = re.sub(r"\s+", "", text)
    if not value:
        return None
    pair = re.fullmatch(r"(\d+)[-.－/](\d+)", value)
    if pair:
        return f"{int(pair.group(1))}-{int(pair.group(2))}"
    value = re.sub(r"^.*年级", "", value)
    single = re.fullmatch(r"[(（]?(\d+|[一二三四五六七八九十]+)[)）]?班?", value)
    if single and single.group(1) in _CN_DIGITS or single and single.group(1).isdigit():
        return f"{grade}-{_number(single.group(1))}"
    return text.strip()


def parse_days(text: str) -> list[Day]:
    """`周一、周三`, `mon;wed`, `一,三`, `星期一至星期五`, `每天` (every day, filtered later)."""
    value = text.strip().lower()
    if value.replace(" ", "") in _ALL_DAYS:
        return list(DAYS)
    span = re.fullmatch(r"(.+?)\s*(?:至|到|~|～|–|—)\s*(.+)", value)
    if span:
        first, last = _day_of(span.group(1)), _day_of(span.group(2))
        return list(DAYS[DAYS.index(first): DAYS.index(last) + 1])
    tokens = [t for t in re.split(r"[、,，;；/\s|]+", value) if t]
    return list(dict.fromkeys(_day_of(t) for t in tokens))


def _day_of(token: str) -> Day:
    day = _day_word(token)
    if day is None:
        raise ValueError(f"day {token!r} not understood (expected 周一 or mon)")
    return day


def parse_mark(text: str) -> bool:
    """A tick in a weekday column: ✓ 是 1 yes x -> True; empty 否 0 no -> False."""
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"mark {text!r} not understood (use ✓, 是 or 1; leave empty for no)")


def parse_time(text: str) -> tuple[int, str]:
    """`17:30`, `17：30`, `17.30`, `17点半`, `下午5:30` -> minutes, and a note if guessed."""
    value = re.sub(r"\s+", "", text)
    afternoon = value.startswith(("下午", "pm")) or value.endswith("pm")
    value = re.sub(r"^(下午|傍晚|晚上|pm)|pm$", "", value, flags=re.I)
    match = re.fullmatch(r"(\d{1,2})(?:[:：.点时h](\d{2}|半)?分?)?", value)
    if not match:
        raise ValueError(f"bad time {text!r} (expected HH:MM like 17:30)")
    hour = int(match.group(1))
    minute = 30 if match.group(2) == "半" else int(match.group(2) or 0)
    note = ""
    if hour < 12 and (afternoon or 1 <= hour <= 7):
        note = "" if afternoon else f"read {text!r} as {hour + 12:02d}:{minute:02d}"
        hour += 12  # nobody is picked up from after-school service at 5 in the morning
    if hour > 23 or minute > 59:
        raise ValueError(f"bad time {text!r} (expected HH:MM like 17:30)")
    return hour * 60 + minute, note
