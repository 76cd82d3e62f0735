"""Sentences a school uses: names from the input, weekdays in the file's language, file:line."""

from __future__ import annotations

from typing import Any

from models.common import format_clock, format_window
from models.instance import Instance
from models.loader import Loaded

from .fixes import Fix
from .keys import group_of, parse
from .prechecks import Finding

DAY = {
    "zh": {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五",
           "sat": "周六", "sun": "周日"},
    "en": {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri",
           "sat": "Sat", "sun": "Sun"},
}


class Words:
    """Renders core elements, fixes and pre-check findings in one language."""

    def __init__(self, loaded: Loaded, instance: Instance, lang: str = "zh"):
        self.loaded = loaded
        self.instance = instance
        self.lang = lang if lang in DAY else "zh"
        self.district = loaded.district

    def t(self, zh: str, en: str, **values: Any) -> str:
        return (zh if self.lang == "zh" else en).format(**values)

    def day(self, day: str) -> str:
        return DAY[self.lang].get(day, day)

    def when(self, text: str) -> str:
        """`tue-960` as `周二 16:00`."""
        day, _, minute = text.partition("-")
        return f"{self.day(day)} {format_clock(int(minute))}"

    # --- places in the input -------------------------------------------------------------
    def where(self, *path: Any) -> str | None:
        location = self.loaded.where(tuple(path))
        return None if location is None else f"{location.file}:{location.line}"

    def _school(self, school_id: str) -> tuple[int, Any]:
        index = next(i for i, s in enumerate(self.district.schools) if s.id == school_id)
        return index, self.district.schools[index]

    def _teacher(self, school_id: str, teacher_id: str) -> tuple[str, str | None]:
        i, school = self._school(school_id)
        j = next(j for j, t in enumerate(school.teachers) if t.id == teacher_id)
        teacher = school.teachers[j]
        name = f"{teacher.name} ({teacher.id})" if teacher.name else teacher.id
        return name, self.where("schools", i, "teachers", j)

    def _activity(self, school_id: str, activity_id: str, field: str) -> tuple[str, str | None]:
        i, school = self._school(school_id)
        j = next(j for j, a in enumerate(school.activities) if a.id == activity_id)
        activity = school.activities[j]
        name = f"{activity.name} ({activity.id})" if activity.name else activity.id
        place = self.where("schools", i, "activities", j, field) or self.where(
            "schools", i, "activities", j)
        return name, place

    def _provider(self, provider_id: str) -> tuple[str, str | None]:
        j = next(j for j, p in enumerate(self.district.providers) if p.id == provider_id)
        provider = self.district.providers[j]
        name = f"{provider.name} ({provider.id})" if provider.name else provider.id
        return name, self.where("providers", j, "instructors") or self.where("providers", j)

    # --- core elements ---------------------------------------------------------------------
    def element(self, key: str, fix: Fix | None) -> dict[str, Any]:
        """One core element: what the rule says, where it is set, and the suggested fix."""
        text, where, fix_text = getattr(self, "_" + parse(key).family.replace("-", "_"))(
            parse(key), fix or Fix(key))
        return {"key": key, "rule": parse(key).family, "text": text, "where": where,
                "fix": None if fix is None else {
                    "text": fix_text, "changes": fix.changes, "students": fix.students,
                    "alone_feasible": fix.alone_feasible}}

    def _budget(self, key, fix):  # noqa: ANN001, ANN202
        i, school = self._school(key.body)
        budget = self.district.budget(school)
        text = self.t("{s} 本学期课后服务预算 {b:,.0f} 元", "{s}'s after-school budget this term "
                      "is {b:,.0f} yuan", s=school.name or school.id, b=budget)
        short = max((v / 100 - budget for v in fix.changes.values()), default=0)
        fix_text = self.t("预算至少差 {x:,.0f} 元", "budget short by at least {x:,.0f} yuan",
                          x=short) if short else ""
        return text, self.where("schools", i, "enrolled"), fix_text

    def _teacher_week_cap(self, key, fix):  # noqa: ANN001, ANN202
        name, where = self._teacher(*key.parts[:2])
        old = int(next(iter(fix.old.values()), self._cap(key, "week")))
        text = self.t("{n} 每周最多 {c} 课时", "{n} may lead at most {c} class hours a week",
                      n=name, c=old)
        new = next(iter(fix.changes.values()), None)
        fix_text = self.t("把 {n} 的每周上限从 {a} 提高到 {b} 课时",
                          "raise {n}'s weekly cap from {a} to {b} class hours",
                          n=name, a=old, b=int(new)) if new is not None else ""
        return text, where, fix_text

    def _teacher_day_cap(self, key, fix):  # noqa: ANN001, ANN202
        name, where = self._teacher(*key.parts[:2])
        old = int(next(iter(fix.old.values()), self._cap(key, "day")))
        day = self.day(key.parts[2])
        text = self.t("{n} {d} 最多 {c} 课时", "{n} may lead at most {c} class hours on {d}",
                      n=name, d=day, c=old)
        new = next(iter(fix.changes.values()), None)
        fix_text = self.t("把 {n} 的每日上限从 {a} 提高到 {b} 课时（{d}）",
                          "raise {n}'s daily cap from {a} to {b} class hours ({d})",
                          n=name, a=old, b=int(new), d=day) if new is not None else ""
        return text, where, fix_text

    def _cap(self, key, which: str) -> int:  # noqa: ANN001
        _, school = self._school(key.parts[0])
        data = next(d for d in self.instance.schools if d.school.id == school.id)
        teacher = data.teacher(key.parts[1])
        return data.week_cap(teacher) if which == "week" else data.day_cap(teacher)

    def _rooms(self, key, fix):  # noqa: ANN001, ANN202
        head, _, rest = key.body.partition(">=")
        school_id, room_type = head.split("/", 1)
        need, _, moment = rest.partition("@")
        i, school = self._school(school_id)
        have = [k for k, r in enumerate(school.rooms)
                if r.type == room_type and r.capacity >= int(need)]
        where = self.where("schools", i, "rooms", have[0] if have else 0)
        text = self.t("{w}：能容纳 {n} 人的 {t} 只有 {k} 间", "{w}: only {k} {t} room(s) "
                      "holding {n}", w=self.when(moment), n=need, t=room_type, k=len(have))
        more = int(max(fix.changes.values(), default=len(have))) - len(have)
        fix_text = self.t("{w} 多 {m} 间 {t}（≥{n} 人）", "{m} more room(s) of type {t} "
                          "(≥{n} seats) on {w}", w=self.when(moment), m=more, t=room_type,
                          n=need) if more > 0 else ""
        return text, where, fix_text

    def _teacher_busy(self, key, fix):  # noqa: ANN001, ANN202
        school_id, teacher_id, day = key.parts
        name, where = self._teacher(school_id, teacher_id)
        _, school = self._school(school_id)
        teacher = next(t for t in school.teachers if t.id == teacher_id)
        hours = ", ".join(format_window(w) for w in teacher.busy.get(day, []))
        text = self.t("{n} {d} 忙于日间课表（{h}）", "{n} is busy on {d} with daytime duties ({h})",
                      n=name, d=self.day(day), h=hours)
        new = next(iter(fix.changes.values()), None)
        fix_text = self.t("{d} 让 {n} 腾出 {b} 节课后服务", "free {n} on {d} for {b} after-school "
                          "group(s)", n=name, d=self.day(day), b=int(new)) if new else ""
        return text, where, fix_text

    def _provider_window(self, key, fix):  # noqa: ANN001, ANN202
        provider_id, day = key.parts
        name, where = self._provider(provider_id)
        provider = self.instance.providers[provider_id]
        hours = ", ".join(format_window(w) for w in (provider.available or {}).get(day, [])) or "-"
        text = self.t("{p} {d} 只在 {h} 有空", "{p} is available on {d} only {h}",
                      p=name, d=self.day(day), h=hours)
        new = next(iter(fix.changes.values()), None)
        fix_text = self.t("请 {p} {d} 在放学后另开 {b} 组", "ask {p} for {b} more group(s) after "
                          "dismissal on {d}", p=name, d=self.day(day), b=int(new)) if new else ""
        return text, where, fix_text

    def _provider_instructors(self, key, fix):  # noqa: ANN001, ANN202
        provider_id, _, moment = key.body.partition("@")
        name, where = self._provider(provider_id)
        count = self.instance.providers[provider_id].instructors
        text = self.t("{p} 在 {w} 同时只有 {c} 名教练（所有学校合计）",
                      "{p} has {c} instructor(s) at {w}, across all schools it serves",
                      p=name, w=self.when(moment), c=count)
        new = next(iter(fix.changes.values()), None)
        fix_text = self.t("{p} 在 {w} 需要 {b} 名教练（现 {a} 名）",
                          "{p} needs {b} instructors on {w} (has {a})", p=name,
                          w=self.when(moment), a=count, b=int(new)) if new is not None else ""
        return text, where, fix_text

    def _coverage(self, key, fix):  # noqa: ANN001, ANN202
        school_id, tag, day = key.parts
        group = group_of(self.instance, school_id, tag)
        i, school = self._school(school_id)
        first = next(k for k, s in enumerate(school.students) if s.id == group.students[0].id)
        until = format_clock(group.window_end[day])
        who = self.t("{g} 年级{c}的 {n} 名学生", "{n} student(s) of grade {g}{c}", g=group.grade,
                     n=group.size, c=self.t("（{x} 班）", " (class {x})", x=group.class_)
                     if group.class_ else "")
        text = self.t("{who}{d}需要看护到 {u}", "{who} need supervision on {d} until {u}",
                      who=who, d=self.day(day), u=until)
        fix_text = self.t("{d}{who}的看护无人能给：请调整他们的报名日或增加当天有空的人员",
                          "{who} on {d} need supervision nobody can give: change their "
                          "registered days or add staff free then", who=who, d=self.day(day))
        return text, self.where("schools", i, "students", first), fix_text

    def _min_size(self, key, fix):  # noqa: ANN001, ANN202
        name, where = self._activity(key.parts[0], key.parts[1], "min_size")
        old = next(iter(fix.old.values()), None) or self._act(key).min_size
        text = self.t("{a} 每组至少 {m} 人", "a group of {a} needs at least {m} students",
                      a=name, m=old)
        new = next(iter(fix.changes.values()), None)
        fix_text = self.t("把 {a} 的最少人数从 {x} 降到 {y}", "lower {a}'s min_size from {x} "
                          "to {y}", a=name, x=old, y=int(new)) if new is not None else ""
        return text, where, fix_text

    def _max_size(self, key, fix):  # noqa: ANN001, ANN202
        name, where = self._activity(key.parts[0], key.parts[1], "max_size")
        old = next(iter(fix.old.values()), None) or self._act(key).max_size
        text = self.t("{a} 每组最多 {m} 人", "a group of {a} holds at most {m} students",
                      a=name, m=old)
        new = next(iter(fix.changes.values()), None)
        fix_text = self.t("把 {a} 每组人数上限（及其教室）从 {x} 提高到 {y}",
                          "let groups of {a} (and their rooms) hold {y} instead of {x}",
                          a=name, x=old, y=int(new)) if new is not None else ""
        return text, where, fix_text

    def _max_sections_week(self, key, fix):  # noqa: ANN001, ANN202
        name, where = self._activity(key.parts[0], key.parts[1], "max_sections_week")
        old = self._act(key).max_sections_week
        text = self.t("{a} 每周最多开 {m} 组", "{a} opens at most {m} group(s) a week",
                      a=name, m=old)
        new = next(iter(fix.changes.values()), None)
        fix_text = self.t("把 {a} 每周最多组数从 {x} 提高到 {y}", "raise {a}'s "
                          "max_sections_week from {x} to {y}", a=name, x=old, y=int(new)) \
            if new is not None else ""
        return text, where, fix_text

    def _clubs_per_week(self, key, fix):  # noqa: ANN001, ANN202
        group = group_of(self.instance, *key.parts[:2])
        limit = self.instance.schools[self._school(key.parts[0])[0]].policy
        text = self.t("学生每周最多参加 {m} 次社团", "a student joins at most {m} club "
                      "sessions a week", m=limit.max_clubs_per_student_week)
        return text, None, self.t("{g} 年级学生需要更多社团次数", "students of grade {g} need "
                                  "more club sessions", g=group.grade)

    def _act(self, key):  # noqa: ANN001, ANN202
        _, school = self._school(key.parts[0])
        return next(a for a in school.activities if a.id == key.parts[1])

    # --- coarse elements (large schools) ---------------------------------------------------
    def _teacher_week_caps(self, key, fix):  # noqa: ANN001, ANN202
        return self._many(key, fix, "所有教师的每周课时上限", "the weekly caps of all teachers",
                          "课时", "class hours")

    def _teacher_busy_all(self, key, fix):  # noqa: ANN001, ANN202
        day = self.day(key.parts[1])
        return self._many(key, fix, f"教师们{day}的日间课表", f"the teachers' daytime duties on "
                          f"{day}", "节课后服务", "after-school group(s)")

    def _teacher_day_caps(self, key, fix):  # noqa: ANN001, ANN202
        return self._many(key, fix, "所有教师的每日课时上限", "the daily caps of all teachers",
                          "课时", "class hours")

    def _rooms_all(self, key, fix):  # noqa: ANN001, ANN202
        room_type = key.body.split("/")[1]
        return self._many(key, fix, f"{room_type} 类教室的数量", f"the number of {room_type} rooms",
                          "间", "rooms")

    def _provider_instructors_all(self, key, fix):  # noqa: ANN001, ANN202
        return self._many(key, fix, f"{key.body} 的教练人数", f"{key.body}'s instructors",
                          "名", "instructors")

    def _clubs_per_week_all(self, key, fix):  # noqa: ANN001, ANN202
        return self._many(key, fix, "每周社团次数上限", "the weekly club limit", "次", "sessions")

    def _coverage_grade(self, key, fix):  # noqa: ANN001, ANN202
        school_id, grade, day = key.parts
        text = self.t("{g} 年级{d}报名的学生需要看护", "students of grade {g} registered on {d} "
                      "need supervision", g=grade, d=self.day(day))
        fix_text = self.t("{d}{g} 年级最多 {n} 名学生的看护无人能给", "up to {n} students of "
                          "grade {g} on {d} need supervision nobody can give", g=grade,
                          d=self.day(day), n=fix.students)
        return text, None, fix_text

    def _many(self, key, fix, zh, en, unit_zh, unit_en):  # noqa: ANN001, ANN202
        total = sum(fix.changes[k] - fix.old[k] for k in fix.changes)
        text = self.t(zh, en)
        fix_text = self.t("共需再增加 {x:g} {u}（{n} 处）", "{x:g} more {u} in total ({n} "
                          "places)", x=total, u=unit_zh if self.lang == "zh" else unit_en,
                          n=len(fix.changes)) if fix.changes else ""
        return text, None, fix_text

    # --- pre-checks ------------------------------------------------------------------------
    def finding(self, f: Finding) -> str:
        d = f.data
        if f.kind == "period":
            return self.t(
                "{day} {a}–{b}：{n} 名学生需要看护，最多只能开 {g} 组（每组 ≤{s} 人，共 {seats} "
                "个位置）：{free} 名教师有空，{busy} 名忙，{capped} 名已达上限或不可安排，"
                "{unskilled} 名无相关技能；外聘教练 {ins} 名；可用教室 {rooms} 间",
                "{day} {a}–{b}: {n} students need supervision, at most {g} groups of ≤{s} "
                "can be staffed ({seats} seats): {free} teachers free, {busy} are busy, "
                "{capped} are at their cap or cannot serve, {unskilled} have no skill for it; "
                "{ins} provider instructors; {rooms} rooms",
                day=self.day(d["day"]), a=format_clock(d["start"]), b=format_clock(d["end"]),
                n=d["students"], g=d["groups"], s=d["largest"], seats=d["seats"],
                free=d["free"], busy=d["busy"], capped=d["capped"], unskilled=d["unskilled"],
                ins=d["instructors"], rooms=d["rooms"])
        if f.kind == "unservable":
            return self.t("{day} {a}：{g} 年级 {n} 名学生没有任何可参加且有人带的组"
                          "（{fb}：有相关技能的教师 {k} 名，其中 {b} 名此时忙）",
                          "{day} {a}: {n} students of grade {g} have no group they may join "
                          "that anyone can lead ({fb}: {k} teachers have the skill, {b} of "
                          "them are busy then)", day=self.day(d["day"]),
                          a=format_clock(d["start"]), g=d["grade"], n=d["students"],
                          fb=d["fallback"] or "-", k=d["skilled"], b=d["busy"])
        if f.kind == "week":
            return self.t("每周至少需要 {h} 个看护课时，教师最多能给 {t}，外聘最多 {p}",
                          "at least {h} supervision class hours a week are needed; teachers "
                          "can give at most {t}, providers at most {p}", h=d["hours"],
                          t=d["teacher_hours"], p=d["provider_hours"])
        if f.kind == "budget":
            return self.t("预算 {b:,.0f} 元，但任何覆盖所有学生的课表至少花费 {l:,.0f} 元"
                          "（{h} 课时 × 最低 {c:g} 元/课时）：至少差 {s:,.0f} 元",
                          "budget {b:,.0f} yuan, but any covering timetable costs at least "
                          "{l:,.0f} yuan ({h} class hours × cheapest {c:g} yuan): short by at "
                          "least {s:,.0f} yuan", b=d["budget"], l=d["lower"], h=d["hours"],
                          c=d["cheapest"], s=d["short"])
        if f.kind == "no-staff":
            return self.t("没有人能带 {a}（需要技能 {k}；有该技能的教师 {t} 名，外聘 {p} 家，"
                          "但都不可安排）", "nobody can lead {a} (skill {k}: {t} teacher(s) and "
                          "{p} provider(s) have it, none can be scheduled)", a=d["label"],
                          k=d["skill"], t=d["teachers"], p=d["providers"])
        if f.kind == "late-dismissal":
            return self.t("{g} 年级{day}放学 {x}，{e} 前排不下一节 {h} 分钟的课：{n} 名学生"
                          "无法安排", "grade {g} on {day}: dismissal {x} leaves no whole "
                          "{h}-minute class hour before {e}; {n} students get no service",
                          g=d["grade"], day=self.day(d["day"]), x=format_clock(d["dismissal"]),
                          e=format_clock(d["latest_end"]), h=d["hour"], n=d["students"])
        return self.t("{p} 的可用时间从不在放学之后", "{p} is never available after "
                      "dismissal", p=d["name"])
