"""Seeded synthetic districts with the proportions of Chinese primary and nine-year schools.

`generate_district(schools, students, seed)` returns the district as plain YAML data (students
inline); `write_district(data, path)` writes it, each school's students to a CSV beside it.

Proportions (one school of M registered students; SPEC §7):
- enrolled = M ÷ participation (0.75–0.9); classes of ~43 enrolled; a home classroom per class
  (capacity 45–50) plus a few spare classrooms and the special rooms the clubs need;
- teachers ≈ 0.06 × M (M = 3,000 → 180), most with skill `homework` plus 0–2 club skills;
- activities ≈ M ÷ 50 (M = 3,000 → 60) drawn from a catalogue of clubs per grade band, plus
  the supervised-homework fallback (one per class-hour length);
- providers: max(2, M ÷ 300) for one school, 3 per school in a district (L → 300), each
  serving its 1–5 nearest schools.

Feasibility under `coverage: required`: supervision is sized by counting. Every registered
student-day needs its grade's periods up to pick-up (at most `max_class_hours_per_day`); a
fallback group holds 45. Per school the generator makes sure that (a) the homework teachers'
weekly caps give at least `SUPERVISION_SLACK` × the group-hours needed with one group per
grade and period, (b) homework teachers free at the busiest period and (c) classrooms are at
least `SUPERVISION_SLACK` × the groups running then. Teachers' weekly cap is raised to
`TEACHER_WEEK_CAP` in the district policy (the SPEC default 4 leaves almost no slack).
"""

from __future__ import annotations

import csv
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from models.common import DAYS, format_clock, parse_clock
from scheduler.output import write_atomic

GROUP_SIZE = 45
TEACHER_WEEK_CAP = 6
TEACHER_DAY_CAP = 2
STUDENT_HOURS_PER_DAY = 2
SUPERVISION_SLACK = 1.5
LATEST_END = parse_clock("18:00")
WEEKDAYS: tuple[str, ...] = DAYS[:5]


@dataclass(frozen=True)
class Club:
    """A catalogue entry; a school opens it per grade band (足球（三四年级）)."""

    key: str
    name: str
    category: str
    room: str
    class_hours: int
    min_size: int
    max_size: int
    bands: tuple[str, ...]
    popularity: float


CATALOGUE: tuple[Club, ...] = (
    Club("football", "足球", "sports", "field", 2, 10, 30, ("12", "34", "56", "79"), 1.6),
    Club("basketball", "篮球", "sports", "gym", 2, 10, 24, ("34", "56", "79"), 1.5),
    Club("table_tennis", "乒乓球", "sports", "gym", 1, 6, 16, ("12", "34", "56", "79"), 1.2),
    Club("badminton", "羽毛球", "sports", "gym", 1, 6, 16, ("34", "56", "79"), 1.0),
    Club("rope_skipping", "跳绳", "sports", "field", 1, 10, 40, ("12", "34"), 0.9),
    Club("athletics", "田径", "sports", "field", 1, 10, 30, ("34", "56", "79"), 0.7),
    Club("martial_arts", "武术", "sports", "gym", 1, 8, 30, ("12", "34", "56"), 0.8),
    Club("calligraphy", "书法", "arts", "classroom", 1, 8, 30, ("12", "34", "56", "79"), 1.0),
    Club("painting", "国画", "arts", "art", 1, 8, 25, ("34", "56", "79"), 0.9),
    Club("drawing", "儿童画", "arts", "art", 1, 8, 25, ("12",), 1.0),
    Club("choir", "合唱", "arts", "music", 1, 15, 45, ("12", "34", "56", "79"), 0.7),
    Club("dance", "舞蹈", "arts", "dance", 1, 8, 25, ("12", "34", "56"), 1.2),
    Club("hulusi", "葫芦丝", "arts", "music", 1, 8, 30, ("34", "56"), 0.6),
    Club("papercut", "剪纸", "arts", "art", 1, 8, 25, ("12", "34", "56"), 0.7),
    Club("pottery", "陶艺", "arts", "art", 2, 6, 16, ("34", "56", "79"), 1.0),
    Club("handcraft", "手工", "arts", "classroom", 1, 8, 25, ("12", "34"), 0.9),
    Club("english_drama", "英语戏剧", "arts", "music", 1, 8, 25, ("34", "56", "79"), 0.8),
    Club("robotics", "机器人", "science", "computer", 2, 6, 20, ("34", "56", "79"), 1.5),
    Club("coding", "编程", "science", "computer", 1, 6, 30, ("34", "56", "79"), 1.4),
    Club("science", "科学实验", "science", "lab", 1, 8, 30, ("12", "34", "56", "79"), 1.3),
    Club("model_aircraft", "航模", "science", "lab", 2, 6, 20, ("56", "79"), 0.8),
    Club("go", "围棋", "club", "classroom", 1, 6, 24, ("12", "34", "56", "79"), 0.9),
    Club("chess", "象棋", "club", "classroom", 1, 6, 24, ("12", "34", "56", "79"), 0.8),
    Club("rubik", "魔方", "club", "classroom", 1, 6, 30, ("12", "34", "56"), 0.7),
    Club("speech", "演讲与主持", "club", "classroom", 1, 6, 25, ("34", "56", "79"), 0.6),
    Club("reading", "阅读", "reading", "library", 1, 10, 40, ("12", "34", "56", "79"), 0.8),
    Club("picture_books", "绘本阅读", "reading", "library", 1, 8, 30, ("12",), 0.9),
    Club("planting", "种植", "labor", "garden", 1, 8, 25, ("12", "34", "56"), 0.6),
)

BAND_GRADES = {"12": (1, 2), "34": (3, 4), "56": (5, 6), "79": (7, 8, 9)}
BAND_LABEL = {"12": "一二年级", "34": "三四年级", "56": "五六年级", "79": "初中"}
PROVIDER_SKILLS = (
    "robotics", "coding", "dance", "pottery", "english_drama", "go", "chess", "model_aircraft",
    "martial_arts", "football", "basketball", "science", "hulusi", "choir", "painting",
)
STANDARD_ROOMS = ("field", "gym", "music", "art", "lab", "library")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晶瑶婷雪琳"
AREAS = ("南山", "福田", "罗湖", "宝安", "龙岗", "龙华", "坪山", "光明", "盐田", "大鹏")
CN_DIGITS = "零一二三四五六七八九"
PICKUPS = ("16:30", "16:50", "17:00", "17:10", "17:20", "17:30", "17:40", "17:50", "18:00")
PICKUP_WEIGHTS = (1, 1, 4, 2, 2, 4, 2, 1, 4)
minutes = cache(parse_clock)  # the same few times, read millions of times

TERM = {
    "name": "2027 Spring", "start": "2027-03-01", "end": "2027-07-09",
    "service_start": "2027-03-08", "weekdays": list(WEEKDAYS),
    "holidays": ["2027-04-05", "2027-05-03", "2027-05-04", "2027-06-14"],
    "makeup_days": {"2027-04-25": "mon"}, "timezone": "Asia/Shanghai",
}


@dataclass
class SchoolPlan:
    """What one school is being built from, filled in step by step."""

    id: str
    rng: random.Random
    students: int
    nine_year: bool
    providers: list[dict[str, Any]]
    scarcity: float
    grades: dict[int, dict[str, Any]] = field(default_factory=dict)
    classes: dict[int, list[str]] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)
    roster: list[dict[str, Any]] = field(default_factory=list)


def generate_district(
    schools: int, students: int, seed: int, scarcity: float = 0.7, providers: int | None = None,
    sharing: str = "nearest",
) -> dict[str, Any]:
    """A district of `schools` schools with `students` registered students each (inline).

    `sharing`: "nearest" (each provider serves its 1-5 nearest schools, interchangeable
    instructors) or "district" (SPEC §7 L: most providers serve 2-8 nearby schools, a few
    popular ones 20 or more, named instructors with their own checks, travel times between
    the schools a provider serves, from the schools' places on a 20 km square).
    """
    if schools < 1 or students < 1 or scarcity <= 0:
        raise ValueError("schools and students must be at least 1 and scarcity positive")
    if sharing not in ("nearest", "district"):
        raise ValueError("sharing is 'nearest' or 'district'")
    rng = random.Random(f"district-{seed}")
    ids = [f"s{i + 1:03d}" for i in range(schools)]
    places = [(rng.random(), rng.random()) for _ in ids]
    count = providers if providers is not None else default_providers(schools, students)
    provider_list = [_provider(rng, i, ids, places) for i in range(count)]
    travel: dict[str, dict[str, int]] = {}
    if sharing == "district":
        sharer = random.Random(f"sharing-{seed}")
        for provider in provider_list:
            _share_widely(sharer, provider, ids, places)
        travel = _travel(provider_list, ids, places)
    school_list = []
    for i, school_id in enumerate(ids):
        nine_year = schools >= 5 and rng.random() < 0.15
        serving = [p for p in provider_list if school_id in p["serves"]]
        plan = SchoolPlan(school_id, random.Random(f"school-{seed}-{i}"), students, nine_year,
                          serving, scarcity)
        school_list.append(_school(plan, i))
    policy = _policy()
    if travel:
        policy["default_travel_minutes"] = TRAVEL_DEFAULT
    return clean({"version": 1, "language": "zh", "term": dict(TERM), "policy": policy,
                  "providers": provider_list, "travel_minutes": travel,
                  "schools": school_list})


def default_providers(schools: int, students: int) -> int:
    """One provider per ~300 students for a lone school; three per school in a district."""
    if schools == 1:
        return max(2, round(students / 300))
    return 3 * schools


def _policy() -> dict[str, Any]:
    return {"latest_end": "18:00", "budget_per_student_year": 1000, "term_share": 0.5,
            "teacher_max_class_hours_week": TEACHER_WEEK_CAP,
            "teacher_max_class_hours_day": TEACHER_DAY_CAP,
            "max_class_hours_per_day": STUDENT_HOURS_PER_DAY, "max_clubs_per_student_week": 2,
            "coverage": "required"}


# Providers ---------------------------------------------------------------------------------

def _provider(rng: random.Random, i: int, ids: list[str], places: list[tuple[float, float]]
              ) -> dict[str, Any]:
    """A provider with a home somewhere in the district, serving its 1–5 nearest schools."""
    skills = rng.sample(PROVIDER_SKILLS, rng.choice((1, 1, 2, 2, 3)))
    kind = rng.choices(("institution", "individual", "retired_teacher", "college"),
                       (75, 10, 10, 5))[0]
    home = (rng.random(), rng.random())
    near = sorted(range(len(ids)), key=lambda j: math.dist(home, places[j]))
    reach = rng.choices((1, 2, 3, 4, 5), (2, 3, 3, 2, 1))[0]
    provider: dict[str, Any] = {
        "id": f"p{i + 1:03d}", "name": _provider_name(rng, kind, skills[0], i), "kind": kind,
        **_vetting(rng), "instructors": rng.choice((1, 1, 2, 2, 3)),
        "price_per_class_hour": rng.randrange(100, 301, 10),
        "rating": round(rng.uniform(3.0, 5.0), 1), "skills": skills,
        "serves": sorted(ids[j] for j in near[:reach]),
    }
    if rng.random() < 0.5:
        days = sorted(rng.sample(WEEKDAYS, rng.randint(2, 4)), key=WEEKDAYS.index)
        window = rng.choice(("15:30-18:00", "16:00-18:00", "15:30-17:30"))
        provider["available"] = {day: [window] for day in days}
    return provider


TRAVEL_DEFAULT = 45  # minutes between two schools no provider shares (never needed)
SQUARE_KM = 20.0
KM_PER_MINUTE = 0.33  # city traffic, about 20 km/h


def _share_widely(rng: random.Random, provider: dict[str, Any], ids: list[str],
                  places: list[tuple[float, float]]) -> None:
    """Serve 2-8 schools near the provider's first school; one in 30 is popular (20-30).
    Named instructors, two to six, each with a check (one in ten lapses mid-term)."""
    first = ids.index(provider["serves"][0])
    near = sorted(range(len(ids)), key=lambda j: math.dist(places[first], places[j]))
    reach = rng.randint(20, 30) if rng.random() < 1 / 30 else rng.randint(2, 8)
    provider["serves"] = sorted(ids[j] for j in near[:reach])
    people = rng.randint(2, 6) if reach <= 8 else rng.randint(6, 12)
    provider["instructors"] = [
        {"id": f"{provider['id']}-{k + 1}", "name": _person(rng),
         "background_check_until": "2027-05-31" if rng.random() < 0.1 else "2028-02-28"}
        for k in range(people)]


def _travel(providers: list[dict[str, Any]], ids: list[str],
            places: list[tuple[float, float]]) -> dict[str, dict[str, int]]:
    """Minutes between each pair of schools some provider serves both of."""
    where = dict(zip(ids, places, strict=True))
    table: dict[str, dict[str, int]] = {}
    for provider in providers:
        served = provider["serves"]
        for i, a in enumerate(served):
            for b in served[i + 1:]:
                km = math.dist(where[a], where[b]) * SQUARE_KM
                table.setdefault(a, {})[b] = 5 + round(km / KM_PER_MINUTE)
    return {a: dict(sorted(row.items())) for a, row in sorted(table.items())}


def _vetting(rng: random.Random) -> dict[str, Any]:
    """Mostly approved with a check valid past the term; a few pending or expired."""
    roll = rng.random()
    if roll < 0.08:
        return {"qualification": "pending", "background_check_until": "2027-12-31"}
    if roll < 0.14:
        return {"qualification": "approved", "background_check_until": "2027-05-31"}
    return {"qualification": "approved", "background_check_until": "2028-02-28"}


def _provider_name(rng: random.Random, kind: str, skill: str, i: int) -> str:
    club = next((c.name for c in CATALOGUE if c.key == skill), skill)
    area = AREAS[i % len(AREAS)]
    if kind == "individual":
        return f"{_person(rng)}{club}工作室"
    if kind == "retired_teacher":
        return f"{rng.choice(SURNAMES)}老师（退休教师，{club}）"
    if kind == "college":
        return f"{area}职业技术学院{club}志愿服务队"
    suffix = rng.choice(("培训中心", "俱乐部", "教育科技有限公司", "艺术中心"))
    return f"深圳市{area}区少儿{club}{suffix}（{i + 1}）"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


# One school --------------------------------------------------------------------------------

def _school(plan: SchoolPlan, index: int) -> dict[str, Any]:
    """Grades, students, activities sized to the scarcity, then staff and rooms to fit."""
    rng = plan.rng
    enrolled = round(plan.students / rng.uniform(0.75, 0.9))
    _plan_grades(plan)
    _plan_classes(plan, enrolled)
    _plan_activities(plan)
    _plan_students(plan)
    _size_activities(plan)
    demand = supervision_demand(plan)
    teachers = _teachers(plan, demand)
    kind = "学校（九年一贯制）" if plan.nine_year else "小学"
    area = AREAS[index % len(AREAS)]
    return {
        "id": plan.id, "name": f"深圳市{area}区第{chinese_number(index + 1)}{kind}",
        "enrolled": enrolled, "class_hour_minutes": 40, "break_minutes": 10,
        "grades": plan.grades, "rooms": _rooms(plan, demand), "teachers": teachers,
        "activities": plan.activities + _fallbacks(plan), "students": plan.roster,
    }


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十, 100 → 一百 (school names count this way)."""
    if n >= 100:
        rest = n % 100
        tail = "" if rest == 0 else ("零" if rest < 10 else "") + chinese_number(rest)
        return CN_DIGITS[n // 100] + "百" + tail
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def _plan_grades(plan: SchoolPlan) -> None:
    """Lower grades leave first; some schools dismiss one band early on Wednesday or Friday."""
    rng = plan.rng
    first = minutes(rng.choice(("15:30", "15:40", "15:50")))
    times = {"12": first, "34": first + rng.choice((20, 30))}
    times["56"] = min(minutes("16:30"), times["34"] + rng.choice((10, 20, 30)))
    bands = ["12", "34", "56"] + (["79"] if plan.nine_year else [])
    times["79"] = minutes("16:20")
    early = rng.choice(bands[1:3]) if rng.random() < 0.4 else None
    for band in bands:
        dismissal: Any = format_clock(times[band])
        if band == early:
            dismissal = {"default": dismissal, rng.choice(("wed", "fri")): "15:30"}
        for grade in BAND_GRADES[band]:
            plan.grades[grade] = {"dismissal": dismissal}
            if band == "79":
                plan.grades[grade]["class_hour_minutes"] = 45


def _plan_classes(plan: SchoolPlan, enrolled: int) -> None:
    """Classes of ~43 enrolled pupils per grade; junior grades a little smaller."""
    per_grade = enrolled / len(plan.grades)
    for grade in plan.grades:
        count = max(1, math.ceil(per_grade / 43))
        plan.classes[grade] = [f"{grade}-{c + 1}" for c in range(count)]


def _plan_activities(plan: SchoolPlan) -> None:
    """About one club per 50 students, popular clubs more likely, spread across bands."""
    rng = plan.rng
    bands = sorted({band for band in BAND_GRADES if BAND_GRADES[band][0] in plan.grades})
    options = [(club, band) for club in CATALOGUE for band in club.bands if band in bands]
    wanted = min(len(options), max(6, round(plan.students / 50)))
    weights = [club.popularity for club, _ in options]
    chosen = _weighted_sample(rng, options, weights, wanted)
    for club, band in sorted(chosen, key=lambda cb: (cb[1], cb[0].key)):
        plan.activities.append(_activity(club, band, rng))


def _activity(club: Club, band: str, rng: random.Random) -> dict[str, Any]:
    return {
        "id": f"{club.key}-{band}", "name": f"{club.name}（{BAND_LABEL[band]}）",
        "category": club.category, "grades": list(BAND_GRADES[band]),
        "class_hours": club.class_hours, "min_size": club.min_size, "max_size": club.max_size,
        "room_type": club.room, "skill": club.key,
        "consumables_per_section": rng.choice((0, 0, 10, 20, 30)),
        # popularity is private to the generator and removed before writing
        "_popularity": club.popularity * rng.lognormvariate(0, 0.5),
    }


def _weighted_sample(rng: random.Random, items: list[Any], weights: list[float], k: int
                     ) -> list[Any]:
    """k distinct items, each drawn with probability proportional to its weight (Efraimidis)."""
    keyed = sorted(range(len(items)), key=lambda i: -rng.random() ** (1 / weights[i]))
    return [items[i] for i in keyed[:k]]


# Students ----------------------------------------------------------------------------------

def _plan_students(plan: SchoolPlan) -> None:
    """Registered days, pick-up times and ranked choices; classes filled in turn."""
    rng = plan.rng
    grades = sorted(plan.grades)
    # Junior pupils take part less (they often leave for home study), so fewer of them.
    weights = list(accumulate(0.6 if g >= 7 else 1.0 for g in grades))
    by_grade = _eligible_activities(plan)
    ends = {(g, d): service_end(plan.grades[g], d) + 10 for g in grades for d in WEEKDAYS}
    for number in range(plan.students):
        grade = rng.choices(grades, cum_weights=weights)[0]
        days = _days(rng)
        latest = {d: ends[grade, d] for d in days}
        plan.roster.append({
            "id": f"{plan.id}-{number + 1:05d}", "grade": grade,
            "class": rng.choice(plan.classes[grade]), "days": days,
            "pickup": _pickup(rng, latest), "choices": _choices(rng, by_grade[grade]),
        })


def _eligible_activities(plan: SchoolPlan) -> dict[int, list[dict[str, Any]]]:
    table: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for activity in plan.activities:
        for grade in activity["grades"]:
            table[grade].append(activity)
    return table


def _days(rng: random.Random) -> list[str]:
    """Most families register 4–5 afternoons."""
    count = rng.choices((5, 4, 3, 2, 1), cum_weights=(55, 80, 90, 96, 100))[0]
    return sorted(rng.sample(WEEKDAYS, count), key=WEEKDAYS.index)


def _pickup(rng: random.Random, latest: dict[str, int]) -> str | dict[str, str]:
    """Half-hours favoured, never after the day's service end plus a break (else the child
    would wait unsupervised); some families pick up at another time on one day."""
    allowed, cumulative = _pickups_until(min(latest.values()))
    usual = rng.choices(allowed, cum_weights=cumulative)[0]
    days: dict[str, str] = {}
    for day, last in latest.items():
        if minutes(usual) > last:  # an early-dismissal day: earlier pick-up
            days[day] = _pickups_until(last)[0][-1]
    if not days and rng.random() < 0.15:
        day = rng.choice(list(latest))
        other = rng.choice(_pickups_until(latest[day])[0])
        if other != usual:
            days[day] = other
    return {"default": usual, **days} if days else usual


@cache
def _pickups_until(last: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Pick-up times no later than `last` (at least the earliest), with cumulative weights."""
    count = max(1, sum(1 for p in PICKUPS if minutes(p) <= last))
    return PICKUPS[:count], tuple(accumulate(PICKUP_WEIGHTS[:count]))


def _choices(rng: random.Random, options: list[dict[str, Any]]) -> list[str]:
    """0–4 ranked choices, popular clubs likelier; one family in ten writes names, not ids."""
    count = min(len(options), rng.choices((0, 1, 2, 3, 4), cum_weights=(15, 35, 65, 85, 100))[0])
    picked = _weighted_sample(rng, options, [a["_popularity"] for a in options], count)
    key = "name" if rng.random() < 0.1 else "id"
    return [a[key] for a in picked]


# Sizing: seats in chosen activities = scarcity × demand -----------------------------------

def _size_activities(plan: SchoolPlan) -> None:
    """Give each club sections so that seats ≈ scarcity × demand, popular clubs scarcer.

    Demand counts each student's choices up to `max_clubs_per_student_week` (2). Seats are
    shared out in proportion to demand^0.6, flatter than demand, so popular clubs end up
    oversubscribed. Sections become `max_sections_week`, except for clubs in the least popular
    fifth whose demand fits one section: they stay uncapped (more sections add no useful seats).
    """
    wanted = activity_demand(plan)
    total = sum(wanted.values())
    shares = {a["id"]: (wanted[a["id"]] + 1) ** 0.6 for a in plan.activities}
    norm = sum(shares.values())
    ranked = sorted(plan.activities, key=lambda a: wanted[a["id"]])
    uncapped = {a["id"] for a in ranked[: len(ranked) // 5]}
    for activity in plan.activities:
        seats = plan.scarcity * total * shares[activity["id"]] / norm
        sections = max(1, round(seats / activity["max_size"]))
        size = round(seats / sections)
        activity["max_size"] = min(activity["max_size"] + 5, max(activity["min_size"] + 4, size))
        activity["_sections"] = sections
        if not (activity["id"] in uncapped and sections == 1
                and wanted[activity["id"]] <= activity["max_size"]):
            activity["max_sections_week"] = sections


def activity_demand(plan: SchoolPlan) -> Counter[str]:
    """Per activity, students who list it among their first two choices."""
    by_key = {a[k]: a["id"] for a in plan.activities for k in ("id", "name")}
    counts: Counter[str] = Counter({a["id"]: 0 for a in plan.activities})
    for student in plan.roster:
        for choice in student["choices"][:2]:
            counts[by_key[choice]] += 1
    return counts


def scarcity_of(school: dict[str, Any], clubs_per_week: int = 2) -> float:
    """Seats (max_size × max_sections_week, 1 if uncapped; non-fallback) ÷ choices wanted.

    Choices wanted are each student's choices capped by `max_clubs_per_student_week`.
    """
    seats = sum(a["max_size"] * a.get("max_sections_week", 1)
                for a in school["activities"] if not a.get("fallback"))
    demand = sum(min(len(s["choices"]), clubs_per_week) for s in school["students"])
    return seats / max(1, demand)


# Supervision demand, teachers and rooms ----------------------------------------------------

@dataclass
class Demand:
    """Fallback groups a school needs, one group per grade and period (a safe upper count)."""

    groups: Counter[tuple[str, int, int]]  # (day, start, end) → groups of ≤ 45
    week_hours: int
    day_hours: dict[str, int]
    peak: int  # most groups running at one moment


def supervision_demand(plan: SchoolPlan) -> Demand:
    """Count the fallback groups every registered student-day needs (SPEC §4 windows)."""
    pupils: Counter[tuple[str, int, int, int]] = Counter()
    periods: dict[tuple[int, str, int], list[tuple[int, int]]] = {}
    for student in plan.roster:
        grade = student["grade"]
        for day in student["days"]:
            key = (grade, day, _pickup_on(student["pickup"], day))
            if key not in periods:
                periods[key] = needed_periods(plan.grades[grade], day, key[2])
            for start, end in periods[key]:
                pupils[(day, grade, start, end)] += 1
    groups: Counter[tuple[str, int, int]] = Counter()
    for (day, _grade, start, end), count in pupils.items():
        groups[(day, start, end)] += math.ceil(count / GROUP_SIZE)
    day_hours = {d: sum(n for (day, _, _), n in groups.items() if day == d) for d in WEEKDAYS}
    return Demand(groups, sum(day_hours.values()), day_hours, _peak(groups))


def _pickup_on(pickup: str | dict[str, str], day: str) -> int:
    value = pickup if isinstance(pickup, str) else pickup.get(day, pickup["default"])
    return minutes(value)


def needed_periods(grade: dict[str, Any], day: str, pickup: int) -> list[tuple[int, int]]:
    """The grade's periods that start before the service window ends (pick-up or 2 periods)."""
    dismissal = grade["dismissal"]
    if isinstance(dismissal, dict):
        dismissal = dismissal.get(day, dismissal["default"])
    hour = grade.get("class_hour_minutes", 40)
    start = minutes(dismissal)
    periods: list[tuple[int, int]] = []
    while len(periods) < STUDENT_HOURS_PER_DAY and start + hour <= LATEST_END:
        periods.append((start, start + hour))
        start += hour + 10
    window_end = min(pickup, periods[-1][1]) if periods else pickup
    return [p for p in periods if p[0] < window_end]


def service_end(grade: dict[str, Any], day: str) -> int:
    """End of the grade's last service period that day (at most two class hours)."""
    return needed_periods(grade, day, LATEST_END + 1)[-1][1]


def _peak(groups: Counter[tuple[str, int, int]]) -> int:
    best = 0
    for day in WEEKDAYS:
        todays = [(s, e, n) for (d, s, e), n in groups.items() if d == day]
        for moment, _, _ in todays:
            best = max(best, sum(n for s, e, n in todays if s <= moment < e))
    return best


def _teachers(plan: SchoolPlan, demand: Demand) -> list[dict[str, Any]]:
    """~0.06 teachers per student, enough homework teachers for the slack, then club skills."""
    rng = plan.rng
    count = max(6, round(plan.students * 0.06))
    teachers = [_teacher(rng, plan, i) for i in range(count)]
    while not _enough_supervisors(teachers, demand):
        teachers.append(_teacher(rng, plan, len(teachers), homework=True))
    _give_club_skills(plan, teachers)
    return teachers


def _teacher(rng: random.Random, plan: SchoolPlan, i: int, homework: bool = False
             ) -> dict[str, Any]:
    """Most teachers supervise homework; some are busy until after dismissal some days."""
    teacher: dict[str, Any] = {"id": f"t{i + 1:04d}", "name": _person(rng) + "老师",
                               "skills": ["homework"] if homework or rng.random() < 0.9 else [],
                               "pay_per_class_hour": rng.choice((40, 50, 60))}
    if rng.random() < 0.1:  # part-time in the service, by their own choice
        teacher["max_class_hours_week"] = rng.choice((2, 3, 4))
    if rng.random() < 0.3:
        until = max(g["dismissal"] if isinstance(g["dismissal"], str)
                    else g["dismissal"]["default"] for g in plan.grades.values())
        late = format_clock(minutes(until) + rng.choice((0, 10, 30)))
        days = rng.sample(WEEKDAYS, rng.choice((1, 2)))
        teacher["busy"] = {d: [f"14:00-{late}"] for d in sorted(days, key=WEEKDAYS.index)}
    if plan.providers and rng.random() < 0.01:  # moonlights for a provider: never staffed
        teacher["affiliations"] = [rng.choice(plan.providers)["id"]]
    return teacher


def supervisors(teachers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Teachers who may lead the homework fallback."""
    return [t for t in teachers if "homework" in t["skills"] and not t.get("affiliations")
            and t.get("max_class_hours_week", TEACHER_WEEK_CAP) > 0]


def _enough_supervisors(teachers: list[dict[str, Any]], demand: Demand) -> bool:
    """Weekly caps and the teachers free at the peak both cover the need with slack."""
    able = supervisors(teachers)
    week = sum(min(t.get("max_class_hours_week", TEACHER_WEEK_CAP), 5 * TEACHER_DAY_CAP)
               for t in able)
    free = {day: sum(1 for t in able if day not in t.get("busy", {})) for day in WEEKDAYS}
    return (week >= SUPERVISION_SLACK * demand.week_hours
            and min(free.values()) >= SUPERVISION_SLACK * demand.peak
            and all(free[d] * TEACHER_DAY_CAP >= SUPERVISION_SLACK * demand.day_hours[d]
                    for d in WEEKDAYS))


def _give_club_skills(plan: SchoolPlan, teachers: list[dict[str, Any]]) -> None:
    """Staff every club: teachers hold its skill unless a vetted provider serving us has it."""
    rng = plan.rng
    covered = {s for p in plan.providers if _vetted(p) for s in p["skills"]}
    need: Counter[str] = Counter()
    for activity in plan.activities:
        hours = activity["_sections"] * activity["class_hours"]
        need[activity["skill"]] += math.ceil(hours / (8 if activity["skill"] in covered else 3))
    pool = [t for t in teachers if not t.get("affiliations")]
    for skill, count in sorted(need.items()):
        for teacher in _fewest_skills(rng, pool, count):
            teacher["skills"].append(skill)
    for teacher in pool:  # a few extra club skills make the staffing less forced
        if len(teacher["skills"]) < 2 and rng.random() < 0.2:
            extra = rng.choice(plan.activities)["skill"]
            if extra not in teacher["skills"]:
                teacher["skills"].append(extra)


def _vetted(provider: dict[str, Any]) -> bool:
    return provider["qualification"] == "approved" and provider["background_check_until"] >= (
        TERM["end"])


def _fewest_skills(rng: random.Random, pool: list[dict[str, Any]], count: int
                   ) -> list[dict[str, Any]]:
    order = sorted(pool, key=lambda t: (len(t["skills"]), rng.random()))
    return order[:count]


def _rooms(plan: SchoolPlan, demand: Demand) -> list[dict[str, Any]]:
    """Home classrooms, spare classrooms for the slack, and the special rooms clubs need."""
    rng = plan.rng
    rooms = []
    for grade, classes in sorted(plan.classes.items()):
        for number, klass in enumerate(classes):
            rooms.append({"id": f"r{grade}{number + 1:02d}", "type": "classroom",
                          "capacity": rng.choice((45, 48, 50)), "class": klass})
    spare = max(2, math.ceil(SUPERVISION_SLACK * demand.peak) - len(rooms))
    rooms += [{"id": f"spare{n + 1:02d}", "type": "classroom", "capacity": 50}
              for n in range(spare)]
    return rooms + _special_rooms(plan)


def _special_rooms(plan: SchoolPlan) -> list[dict[str, Any]]:
    """Each room type gets one room per ~8 planned class hours a week (≈ 3 hours a day free);
    every school has at least a field, a gym, a music room, an art room, a lab and a library."""
    hours: Counter[str] = Counter({kind: 0 for kind in STANDARD_ROOMS})
    size: Counter[str] = Counter({kind: 30 for kind in STANDARD_ROOMS})
    for activity in plan.activities:
        if activity["room_type"] != "classroom":
            hours[activity["room_type"]] += activity["_sections"] * activity["class_hours"]
            size[activity["room_type"]] = max(size[activity["room_type"]], activity["max_size"])
    rooms = []
    for kind in sorted(hours):
        for n in range(max(1, math.ceil(hours[kind] / 8))):
            rooms.append({"id": f"{kind}{n + 1}", "type": kind, "capacity": size[kind] + 10})
    return rooms


def _fallbacks(plan: SchoolPlan) -> list[dict[str, Any]]:
    """课后作业辅导: one per class-hour length (40-minute primary, 45-minute junior)."""
    primary = [g for g in sorted(plan.grades) if g <= 6]
    junior = [g for g in sorted(plan.grades) if g >= 7]
    base = {"category": "homework", "class_hours": 1, "max_size": GROUP_SIZE,
            "room_type": "classroom", "skill": "homework", "fallback": True}
    result = [{"id": "study", "name": "课后作业辅导", "grades": primary, **base}]
    if junior:
        result.append({"id": "study-junior", "name": "课后作业辅导（初中）", "grades": junior,
                       **base})
    return result


# Writing -----------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "grade", "class", "days", "pickup", "choices")


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop the generator's private keys (those starting with `_`) everywhere."""
    for school in data["schools"]:
        for activity in school["activities"]:
            for key in [k for k in activity if k.startswith("_")]:
                del activity[key]
    return data


def write_district(data: dict[str, Any], path: str | Path) -> list[Path]:
    """Write the YAML at `path` and each school's students to `<stem>-<school>-students.csv`.

    Every file is written to a temporary name and renamed, so a failed run leaves any
    earlier output whole. Returns the paths written. `data` is not changed.
    """
    path = Path(path)
    written = []
    schools = []
    for school in data["schools"]:
        csv_path = path.with_name(f"{path.stem}-{school['id']}-students.csv")
        write_atomic(csv_path, students_csv(school["students"]))
        written.append(csv_path)
        schools.append({**school, "students": csv_path.name})
    write_atomic(path, _header(data) + yaml_text({**data, "schools": schools}))
    return [path, *written]


def _header(data: dict[str, Any]) -> str:
    students = sum(len(s["students"]) for s in data["schools"])
    return (
        "# Synthetic district made by `afterschool generate` (seeded, deterministic).\n"
        f"# {len(data['schools'])} school(s), {students} registered students, "
        f"{len(data['providers'])} provider(s).\n"
        f"# Teachers' weekly cap is {TEACHER_WEEK_CAP} class hours (SPEC default 4): each "
        "student-day needs\n# up to 2 supervised class hours, so 4 leaves almost no slack. "
        f"Homework teachers and\n# classrooms are sized to {SUPERVISION_SLACK}x the fallback "
        "groups needed (one group of <= 45\n# per grade and period).\n"
    )


def yaml_text(data: dict[str, Any]) -> str:
    """Block-style YAML, Chinese kept readable, times quoted (the C dumper when present)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    # Flow style for lists and mappings of plain values only: `grades: [1, 2]` on one line.
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=None)


def students_csv(students: list[dict[str, Any]]) -> str:
    """Students in the SPEC §3 CSV form: `mon;tue`, `17:30` or `default=17:30;fri=17:00`."""
    lines = []
    for s in students:
        pickup = s["pickup"]
        if isinstance(pickup, dict):
            pickup = ";".join(f"{k}={v}" for k, v in pickup.items())
        lines.append((s["id"], s["grade"], s["class"], ";".join(s["days"]), pickup,
                      ";".join(s["choices"])))
    return _csv_text(lines)


def _csv_text(rows: list[tuple[Any, ...]]) -> str:
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


