"""Benchmark schools made another way: a check that the solver generalises.

This generator shares no code with `scheduler/generator.py` or `benchmarks/families.py`
(it imports only the standard library and `yaml`), so a solver tuned on their schools
meets here schools built on other assumptions:

- a primary school (grades 1-6, 40-minute class hours) or a nine-year school (grades 1-9,
  45 minutes), by the seed; dismissal differs by grade and by weekday (Wednesday earlier
  for everyone, some Fridays earlier for grades 1-3), not always on one period grid;
- clubs open to wide grade ranges (1-6, 3-9) as well as narrow ones, some of two class
  hours, min_size 8-15, max_size 20-40, a weekly section cap on about half;
- about a third of the club skills held only by 2-4 outside providers (on 2-3 weekdays),
  the rest by teachers with 1-3 club skills plus homework, weekly caps 3-8, some busy on
  one afternoon;
- a budget that pays for the cheapest all-study timetable, the teachers' clubs and only
  30-50 % of the provider clubs (each net of the study places it frees), so money limits
  the provider-led sections (a yearly rate of roughly 250-400 yuan, not Shenzhen's 1,000);
- students registered 1-5 days (more for younger grades), pick-ups at fixed times or
  one or two class hours after dismissal, 1-5 ranked choices with Zipf-like popularity,
  about 10 % choosing nothing.

Supervision under `coverage: required` is sized by counting, per weekday, grade and
period, the students who need a supervised place, in groups of the study room's size;
teachers and classrooms cover those groups with about 1.4x slack.

`make_outside(students, seed)` returns the district as plain data (students inline);
`write_outside(folder, students, seed)` writes `outside-<students>-seed<seed>.yaml`.
"""

from __future__ import annotations

import argparse
import math
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import yaml

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
LATEST_END = 18 * 60
HOURS_PER_DAY = 2  # policy max_class_hours_per_day: how far the service reaches
STUDY_SIZE = 45  # one supervised-study group; every classroom seats at least this many
SLACK = 1.4  # teachers and classrooms over the counted supervision need
TERM_SHARE = 0.5

# id, name, category, room type, lowest and highest grade it suits
CATALOGUE = [
    ("football", "足球", "sports", "field", 1, 9),
    ("basketball", "篮球", "sports", "gym", 3, 9),
    ("rope", "花样跳绳", "sports", "field", 1, 6),
    ("pingpong", "乒乓球", "sports", "gym", 2, 9),
    ("badminton", "羽毛球", "sports", "gym", 3, 9),
    ("athletics", "田径", "sports", "field", 3, 9),
    ("wushu", "武术", "sports", "gym", 1, 9),
    ("chess", "国际象棋", "club", "classroom", 1, 9),
    ("go", "围棋", "club", "classroom", 1, 9),
    ("calligraphy", "书法", "arts", "classroom", 1, 9),
    ("ink-painting", "国画", "arts", "art", 2, 9),
    ("sketching", "素描", "arts", "art", 4, 9),
    ("paper-cutting", "剪纸", "arts", "art", 1, 6),
    ("pottery", "陶艺", "arts", "art", 1, 9),
    ("choir", "合唱", "arts", "music", 1, 9),
    ("guzheng", "古筝", "arts", "music", 2, 9),
    ("ukulele", "尤克里里", "arts", "music", 3, 9),
    ("dance", "舞蹈", "arts", "dance", 1, 9),
    ("textbook-drama", "课本剧", "club", "dance", 2, 8),
    ("robotics", "机器人", "science", "computer", 3, 9),
    ("coding", "编程", "science", "computer", 4, 9),
    ("experiments", "趣味科学实验", "science", "lab", 1, 6),
    ("model-planes", "航模", "science", "lab", 4, 9),
    ("astronomy", "天文观测", "science", "lab", 5, 9),
    ("picture-books", "绘本阅读", "reading", "library", 1, 3),
    ("classics", "经典诵读", "reading", "library", 1, 9),
    ("debate", "演讲与辩论", "club", "classroom", 5, 9),
    ("gardening", "校园种植", "labor", "garden", 1, 9),
    ("cooking", "小小厨房", "labor", "kitchen", 3, 9),
    ("photography", "摄影", "arts", "art", 6, 9),
]
ROOM_SEATS = {"field": (60, 80), "gym": (40, 50), "art": (30, 40), "music": (40, 50),
              "dance": (30, 40), "computer": (40, 48), "lab": (36, 48), "library": (40, 60),
              "garden": (30, 40), "kitchen": (24, 30)}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = "芳静伟敏丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玲红鹏辉婷宇欣怡晨阳"

# Two real-shaped terms, so instances do not all share one calendar.
TERMS = [
    {"name": "2027 春季学期", "start": "2027-03-01", "end": "2027-07-09",
     "service_start": "2027-03-08", "weekdays": WEEKDAYS,
     "holidays": ["2027-04-05", "2027-05-03", "2027-05-04", "2027-06-14"],
     "makeup_days": {"2027-04-25": "mon"}},
    {"name": "2027 秋季学期", "start": "2027-09-01", "end": "2028-01-21",
     "service_start": "2027-09-06", "weekdays": WEEKDAYS,
     "holidays": ["2027-09-15", "2027-10-01", "2027-10-04", "2027-10-05", "2027-10-06",
                  "2027-10-07", "2028-01-03"],
     "makeup_days": {"2027-09-26": "thu", "2027-10-09": "fri"}},
]


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# ---- clock: dismissal by grade and weekday ------------------------------------------


def make_clock(rng: random.Random, nine_year: bool) -> dict[int, dict]:
    """Each grade's class hour, break and dismissal per weekday (minutes after midnight).

    One class-hour length per school (40 minutes primary, 45 nine-year): the SPEC makes
    an activity's grades share one length, so a 40/45 split would rule out clubs across
    grades 6 and 7 and need a second supervised-study activity."""
    hour = 45 if nine_year else 40
    step = hour + 10
    two_hours = LATEST_END - 2 * hour - 10  # the last dismissal with two class hours
    base = rng.choice([910, 920] if nine_year else [930, 940, 950])  # grades 1-2
    wed_shift = rng.choice([30, 40, 50, 60])  # Wednesday: staff meeting, everyone earlier
    early_friday = rng.random() < 0.5
    clock = {}
    for grade, offset in enumerate(grade_offsets(rng, step, nine_year), start=1):
        default = min(base + offset, two_hours) if grade <= 8 else base + offset
        friday = default - 30 if early_friday and grade <= 3 else default
        clock[grade] = grade_clock(hour, default, default - wed_shift, friday)
    return clock


def grade_offsets(rng: random.Random, step: int, nine_year: bool) -> list[int]:
    """Minutes after grade 1 at which each grade leaves: some land on grade 1's period
    grid (`step` apart), some not, so a wide club cannot mix every grade in one section.
    Grade 9 leaves last, often with time for one class hour only."""
    third = rng.choice([0, 30, step])
    fifth = rng.choice([step, step + 10])
    offsets = [0, rng.choice([0, 0, 10]), third, third + rng.choice([0, 0, 20]),
               fifth, fifth + rng.choice([0, 10])]
    if nine_year:
        junior = rng.choice([step, step + 10, step + 30])
        offsets += [junior, junior, rng.choice([step + 30, 2 * step - 10, 2 * step])]
    return offsets


def grade_clock(hour: int, default: int, wednesday: int, friday: int) -> dict:
    dismiss = {day: settle(default, hour) for day in WEEKDAYS}
    dismiss["wed"] = settle(wednesday, hour)
    dismiss["fri"] = settle(friday, hour)
    return {"hour": hour, "break": 10, "dismiss": dismiss}


def settle(dismissal: int, hour: int) -> int:
    """Keep a dismissal out of the span where a second class hour no longer fits before
    18:00 but the first ends more than a break before it. There, whether a child picked
    up at 18:00 must be supervised to 18:00 is read two ways (the project: the service
    ends with the last period that fits; the reference model: it does not, so coverage
    fails), so such schools would test the reading, not the solver."""
    two_hours = LATEST_END - 2 * hour - 10
    one_hour = LATEST_END - 10 - hour  # the first hour ends a break before 18:00
    if two_hours < dismissal < one_hour:
        return two_hours if dismissal - two_hours < one_hour - dismissal else one_hour
    return dismissal


def periods(clock: dict[int, dict], grade: int, day: str) -> list[tuple[int, int]]:
    """The service periods of a grade that day, as far as the policy lets a child stay."""
    tick = clock[grade]
    start, found = tick["dismiss"][day], []
    while len(found) < HOURS_PER_DAY and start + tick["hour"] <= LATEST_END:
        found.append((start, start + tick["hour"]))
        start += tick["hour"] + tick["break"]
    return found


def grades_yaml(clock: dict[int, dict]) -> dict[int, dict]:
    out = {}
    for grade, tick in clock.items():
        default = Counter(tick["dismiss"].values()).most_common(1)[0][0]
        other = {d: hhmm(m) for d, m in tick["dismiss"].items() if m != default}
        out[grade] = {"dismissal": {"default": hhmm(default), **other} if other
                      else hhmm(default)}
    return out


# ---- clubs ---------------------------------------------------------------------------

PRIMARY_RANGES = {"wide": [(1, 6), (3, 6), (1, 4), (2, 6)],
                  "narrow": [(1, 2), (3, 4), (5, 6), (1, 3), (4, 6), (2, 3), (4, 5), (6, 6)]}
NINE_YEAR_RANGES = {"wide": [(1, 6), (3, 6), (3, 9), (1, 9), (5, 9), (7, 9)],
                    "narrow": [(1, 2), (3, 4), (5, 6), (1, 3), (4, 6), (6, 7), (7, 8), (8, 9),
                               (2, 3)]}


def make_clubs(rng: random.Random, count: int, clock: dict[int, dict]) -> list[dict]:
    """Clubs on wide grade ranges (1-6, 3-9) and narrow ones (1-2, 9)."""
    ranges = NINE_YEAR_RANGES if 9 in clock else PRIMARY_RANGES
    order = rng.sample(CATALOGUE, len(CATALOGUE))
    copies: Counter = Counter()  # a popular item may run as a second club of its own
    clubs: list[dict] = []
    for _ in range(count):
        span = rng.choice(ranges["wide" if rng.random() < 0.4 else "narrow"])
        fits = [i for i in order if i[4] <= span[1] and span[0] <= i[5]]
        item = min(fits, key=lambda i: (copies[i[0]], order.index(i)))
        clubs.append(make_club(rng, item, copies, span, clock))
    for grade in clock:  # every grade gets at least two clubs to choose from
        while sum(grade in c["grades"] for c in clubs) < 2:
            item = rng.choice([i for i in CATALOGUE if i[4] <= grade <= i[5]])
            span = (grade, min(grade + 1, max(clock)))  # this grade and the next
            clubs.append(make_club(rng, item, copies, span, clock))
    return clubs


def make_club(rng: random.Random, item: tuple, copies: Counter, span: tuple[int, int],
              clock: dict[int, dict]) -> dict:
    """One club on the grades of `span` that its catalogue item suits."""
    key, name, category, room_type, low, high = item
    copy = copies[key]
    copies[key] += 1
    grades = [g for g in range(span[0], span[1] + 1) if low <= g <= high]
    club = {"id": key if copy == 0 else f"{key}-{copy + 1}",
            "name": name if copy == 0 else f"{name}（{copy + 1}）",
            "category": category, "grades": grades,
            "class_hours": 2 if rng.random() < 0.25 and two_hours_fit(clock, grades) else 1,
            "min_size": rng.randint(8, 15), "max_size": rng.randint(20, 40),
            "room_type": room_type, "skill": key}
    if rng.random() < 0.5:
        club["max_sections_week"] = rng.randint(1, 3)
    if rng.random() < 0.5:
        club["consumables_per_section"] = rng.choice([10, 20, 30])
    return club


def two_hours_fit(clock: dict[int, dict], grades: list[int]) -> bool:
    """A two-hour club only where each of its grades has two periods on some weekday."""
    return all(any(len(periods(clock, g, d)) == 2 for d in WEEKDAYS) for g in grades)


def study_activity(clock: dict[int, dict]) -> dict:
    """Supervised study, the fallback, for every grade."""
    return {"id": "study", "name": "课后作业辅导与答疑", "category": "homework",
            "grades": list(clock), "class_hours": 1, "max_size": STUDY_SIZE,
            "room_type": "classroom", "skill": "homework", "fallback": True}


# ---- students ------------------------------------------------------------------------

# weights of registering 1..5 days: younger children stay more afternoons
DAY_WEIGHTS = {1: [1, 1, 2, 4, 12], 3: [1, 2, 3, 5, 9], 5: [2, 3, 4, 5, 6], 7: [4, 5, 4, 3, 3]}
# pick-up styles: fixed times, or one / two class hours after dismissal
PICKUPS = ["17:00", "17:30", "18:00", "+1", "+2"]
PICKUP_WEIGHTS = {"primary": [2, 3, 3, 1, 1], "junior": [1, 1, 2, 3, 3]}


def grade_sizes(rng: random.Random, students: int, grades: list[int]) -> dict[int, int]:
    """Registered students per grade: cohorts of similar size, younger ones signing up
    more often (0.9 in grade 1 down to 0.5 in grade 9)."""
    weights = {g: rng.uniform(0.9, 1.1) * (0.95 - 0.05 * g) for g in grades}
    total = sum(weights.values())
    sizes = {g: int(students * w / total) for g, w in weights.items()}
    for g in rng.sample(grades, students - sum(sizes.values())):
        sizes[g] += 1
    return sizes


def make_students(rng: random.Random, sizes: dict[int, int], classes: dict[int, int],
                  clock: dict[int, dict], clubs: list[dict]) -> list[dict]:
    popularity = zipf_popularity(rng, clubs)
    grades = [g for g, n in sizes.items() for _ in range(n)]
    rng.shuffle(grades)  # rows are sign-up order, not sorted by grade
    return [make_student(rng, f"x{n + 1:05d}", g, classes[g], clock, clubs, popularity)
            for n, g in enumerate(grades)]


def zipf_popularity(rng: random.Random, clubs: list[dict]) -> dict[str, float]:
    """A few clubs draw most sign-ups (weight 1/rank^1.1), so some are oversubscribed."""
    ranked = rng.sample([c["id"] for c in clubs], len(clubs))
    return {key: 1.0 / (rank + 1) ** 1.1 for rank, key in enumerate(ranked)}


def make_student(rng: random.Random, sid: str, grade: int, classes: int,
                 clock: dict[int, dict], clubs: list[dict],
                 popularity: dict[str, float]) -> dict:
    band = max(k for k in DAY_WEIGHTS if k <= grade)
    count = rng.choices([1, 2, 3, 4, 5], DAY_WEIGHTS[band])[0]
    days = sorted(rng.sample(WEEKDAYS, count), key=WEEKDAYS.index)
    student = {"id": sid, "grade": grade, "class": f"{grade}-{rng.randint(1, classes)}",
               "days": days, "pickup": make_pickup(rng, grade, days, clock),
               "choices": make_choices(rng, grade, clubs, popularity)}
    return student


def make_pickup(rng: random.Random, grade: int, days: list[str],
                clock: dict[int, dict]) -> str | dict[str, str]:
    style = rng.choices(PICKUPS, PICKUP_WEIGHTS["junior" if grade >= 7 else "primary"])[0]
    tick = clock[grade]
    times = {}
    for day in days:
        dismissal = tick["dismiss"][day]
        one_hour = dismissal + tick["hour"]
        if style == "+1":
            times[day] = one_hour
        elif style == "+2":
            times[day] = min(one_hour + tick["break"] + tick["hour"], LATEST_END)
        else:  # a fixed time before the child leaves class means one hour after dismissal
            times[day] = hm(style) if hm(style) > dismissal else one_hour
    if len(set(times.values())) == 1:
        return hhmm(times[days[0]])
    return {day: hhmm(m) for day, m in times.items()}


def make_choices(rng: random.Random, grade: int, clubs: list[dict],
                 popularity: dict[str, float]) -> list[str]:
    if rng.random() < 0.1:  # about one child in ten only wants supervised study
        return []
    open_to_grade = [c["id"] for c in clubs if grade in c["grades"]]
    wanted = min(rng.choices([1, 2, 3, 4, 5], [2, 3, 3, 2, 2])[0], len(open_to_grade))
    chosen: list[str] = []
    while len(chosen) < wanted:
        left = [k for k in open_to_grade if k not in chosen]
        chosen.append(rng.choices(left, [popularity[k] for k in left])[0])
    return chosen


# ---- supervision need ----------------------------------------------------------------


def supervision_need(students: list[dict], clock: dict[int, dict]) -> dict:
    """Study groups needed if every child sat in supervised study, one group per grade
    and period: per weekday the group class hours and the most groups at one moment.
    Clubs only take children out of study, so this bounds what a timetable must staff.
    `shared` counts the week's groups when grades starting together share them, the
    cheapest all-study plan, which the budget pays for."""
    counts: Counter = Counter()
    for student in students:
        for day in student["days"]:
            for k in needed_periods(student, day, clock):
                counts[day, student["grade"], k] += 1
    hours = dict.fromkeys(WEEKDAYS, 0)
    busy_minutes = {day: Counter() for day in WEEKDAYS}
    together: Counter = Counter()
    for (day, grade, k), children in counts.items():
        groups = math.ceil(children / STUDY_SIZE)
        hours[day] += groups
        start, end = periods(clock, grade, day)[k]
        together[day, start] += children
        for minute in range(start, end):
            busy_minutes[day][minute] += groups
    peak = {day: max(busy_minutes[day].values(), default=0) for day in WEEKDAYS}
    shared = sum(math.ceil(n / STUDY_SIZE) for n in together.values())
    return {"hours": hours, "peak": peak, "week": sum(hours.values()), "shared": shared}


def needed_periods(student: dict, day: str, clock: dict[int, dict]) -> list[int]:
    """Periods starting before the service window ends (pick-up or the last period)."""
    found = periods(clock, student["grade"], day)
    pickup = student["pickup"]
    leaves = hm(pickup[day] if isinstance(pickup, dict) else pickup)
    window_end = min(leaves, found[-1][1]) if found else 0
    return [k for k, (start, _) in enumerate(found) if start < window_end]


def club_demand(students: list[dict], clubs: list[dict]) -> dict[str, int]:
    """Sections a club would open to seat its likely members (later choices count less,
    as a child gets at most two clubs), within its weekly cap."""
    weight = [1.0, 0.8, 0.5, 0.3, 0.2]
    seats: Counter = Counter()
    for student in students:
        for rank, key in enumerate(student.get("choices", [])):
            seats[key] += weight[rank]
    demand = {}
    for club in clubs:
        sections = math.ceil(seats[club["id"]] / club["max_size"])
        demand[club["id"]] = min(sections, club.get("max_sections_week", sections))
    return demand


# ---- staff ---------------------------------------------------------------------------


def make_providers(rng: random.Random, skills: list[str], school: str, end: date) -> list:
    """2-4 vetted providers over the provider-only skills, some skills with two providers
    (at different prices); each comes 2-3 weekdays."""
    count = max(2, min(rng.randint(2, 4), len(skills)))
    owners: dict[int, list[str]] = {n: [] for n in range(count)}
    for n, skill in enumerate(rng.sample(skills, len(skills))):
        owners[n % count].append(skill)
        if rng.random() < 0.3 and count > 1:
            owners[(n + 1) % count].append(skill)
    return [make_provider(rng, n, sorted(set(owned)), school, end)
            for n, owned in owners.items() if owned]


def make_provider(rng: random.Random, n: int, skills: list[str], school: str,
                  end: date) -> dict:
    kind = rng.choice(["institution", "institution", "individual", "college",
                       "retired_teacher"])
    days = sorted(rng.sample(WEEKDAYS, rng.randint(2, 3)), key=WEEKDAYS.index)
    window = f"{rng.choice(['14:30', '15:00', '15:30'])}-18:00"
    label = {"institution": "青少年素质教育中心", "individual": "工作室",
             "college": "大学志愿服务队", "retired_teacher": "退休教师服务社"}[kind]
    area = ["福田", "罗湖", "宝安", "龙岗"][n]  # one area each, so names differ
    return {"id": f"vendor-{n + 1}", "name": f"{area}{label}",
            "kind": kind, "qualification": "approved",
            "background_check_until": (end + timedelta(days=rng.randint(60, 400))).isoformat(),
            # an institution running more programmes keeps more instructors
            "instructors": min(3, max(rng.randint(1, 3), len(skills))),
            "price_per_class_hour": rng.randrange(100, 301, 10),
            "rating": round(rng.uniform(3.0, 4.9), 1), "skills": skills,
            "serves": [school], "available": {day: [window] for day in days}}


def make_teachers(rng: random.Random, skills: list[str], need: dict, club_hours: int,
                  pay: int) -> list[dict]:
    """Club teachers (1-3 club skills each, every skill covered), then homework teachers
    until the supervision need is covered with SLACK to spare."""
    teachers: list[dict] = []
    uncovered = rng.sample(skills, len(skills))
    while uncovered:
        own = uncovered[: rng.randint(1, 3)]
        uncovered = uncovered[len(own):]
        if len(own) < 3 and rng.random() < 0.3:  # a second teacher for a skill
            own.append(rng.choice(skills))
        teachers.append(make_teacher(rng, len(teachers), sorted(set(own)), pay + 10))
    while not enough_teachers(teachers, need, club_hours):
        teachers.append(make_teacher(rng, len(teachers), [], pay))
    return teachers


def make_teacher(rng: random.Random, n: int, clubs: list[str], pay: int) -> dict:
    teacher = {"id": f"tch{n + 1:03d}",
               "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
               + "老师",
               "skills": ["homework", *clubs], "max_class_hours_week": rng.randint(3, 8),
               "pay_per_class_hour": pay + rng.choice([0, 0, 0, 10, 20])}
    if rng.random() < 0.25:  # a meeting, a duty or their own child's pick-up that day
        window = rng.choice(["13:30-17:00", "14:00-18:00", "16:00-18:00"])
        teacher["busy"] = {rng.choice(WEEKDAYS): [window]}
    return teacher


def enough_teachers(teachers: list[dict], need: dict, club_hours: int) -> bool:
    """Week caps cover SLACK x the study hours plus half the club hours; each weekday the
    teachers free all afternoon cover SLACK x that day's study hours (two a day each) and
    SLACK x the groups sitting at once."""
    caps = sum(t["max_class_hours_week"] for t in teachers)
    if caps < SLACK * need["week"] + club_hours / 2:
        return False
    for day in WEEKDAYS:
        free = [t for t in teachers if day not in t.get("busy", {})]
        day_hours = sum(min(2, t["max_class_hours_week"]) for t in free)
        if day_hours < SLACK * need["hours"][day] or len(free) < SLACK * need["peak"][day]:
            return False
    return True


# ---- rooms ---------------------------------------------------------------------------


def make_rooms(rng: random.Random, classes: dict[int, int], clubs: list[dict],
               need: dict) -> list[dict]:
    """A home room per class; spare classrooms if study groups and classroom clubs at
    their peak would not fit with SLACK; special rooms by how many clubs use each type."""
    rooms = [{"id": f"r{g}{c:02d}", "type": "classroom", "capacity": rng.choice([45, 48, 50]),
              "class": f"{g}-{c}"} for g, n in classes.items() for c in range(1, n + 1)]
    in_classrooms = sum(c["room_type"] == "classroom" for c in clubs)
    wanted = math.ceil(SLACK * max(need["peak"].values())) + in_classrooms
    for n in range(max(0, wanted - len(rooms))):
        rooms.append({"id": f"spare{n + 1}", "type": "classroom", "capacity": 45})
    uses = Counter(c["room_type"] for c in clubs if c["room_type"] != "classroom")
    for kind, count in sorted(uses.items()):
        for n in range(1 + (count - 1) // 3):
            low, high = ROOM_SEATS[kind]
            rooms.append({"id": f"{kind}{n + 1}", "type": kind,
                          "capacity": rng.randint(low, high)})
    return rooms


# ---- budget --------------------------------------------------------------------------


def meetings(term: dict) -> dict[str, int]:
    """Service dates per weekday: that weekday from service_start to end, less holidays,
    plus make-up days worked on its timetable (SPEC §4, H7)."""
    holidays = set(term["holidays"])
    count = dict.fromkeys(WEEKDAYS, 0)
    day, end = date.fromisoformat(term["service_start"]), date.fromisoformat(term["end"])
    while day <= end:
        name = WEEKDAYS[day.weekday()] if day.weekday() < 5 else None
        if name and day.isoformat() not in holidays:
            count[name] += 1
        day += timedelta(days=1)
    for worked, name in term["makeup_days"].items():
        if term["service_start"] <= worked <= term["end"]:
            count[name] += 1
    return count


def term_budget(rng: random.Random, need: dict, dates: dict[str, int], clubs: list[dict],
                demand: dict[str, int], teachers: list[dict], providers: list[dict]) -> int:
    """The cheapest all-study plan (so a timetable always exists), what the teachers'
    clubs add to it, and only 30-50 % of what the provider clubs would add: provider
    sections are rationed by money. A club adds its cost less the study places it frees."""
    price = {s: min(p["price_per_class_hour"] for p in providers if s in p["skills"])
             for p in providers for s in p["skills"]}
    pay = sorted(t["pay_per_class_hour"] for t in teachers)[len(teachers) // 2]
    by_teachers = by_providers = 0.0
    for club in clubs:
        seats = (club["min_size"] + club["max_size"]) / 2
        freed = seats / STUDY_SIZE * pay  # study pay saved per class hour
        rate = price.get(club["skill"], pay)
        cost = demand[club["id"]] * max(0.0, (rate - freed) * club["class_hours"]
                                        + club.get("consumables_per_section", 0))
        if club["skill"] in price:
            by_providers += cost
        else:
            by_teachers += cost
    weeks = max(dates.values())
    # 5 % over cheapest-first pay: day caps and busy afternoons may call dearer teachers
    study = 1.05 * study_cost(need["shared"], teachers)
    return round(weeks * (study + by_teachers + rng.uniform(0.3, 0.5) * by_providers))


def study_cost(hours: int, teachers: list[dict]) -> int:
    """A week of study groups, cheapest teachers first up to their week caps."""
    cost = 0
    for teacher in sorted(teachers, key=lambda t: t["pay_per_class_hour"]):
        taken = min(hours, teacher["max_class_hours_week"])
        cost += taken * teacher["pay_per_class_hour"]
        hours -= taken
    return cost


# ---- the district --------------------------------------------------------------------


def make_outside(students: int, seed: int) -> dict:
    """One school of `students` registered children, as plain data (students inline)."""
    rng = random.Random(seed)
    nine_year = rng.random() < 0.5
    term = dict(rng.choice(TERMS))
    clock = make_clock(rng, nine_year)
    sizes = grade_sizes(rng, students, list(clock))
    enrolled = {g: round(n / (0.95 - 0.05 * g)) for g, n in sizes.items()}  # sign-up rates
    classes = {g: max(1, math.ceil(n / rng.randint(40, 48))) for g, n in enrolled.items()}
    clubs = make_clubs(rng, max(6, round(students / 600 * rng.randint(14, 20))), clock)
    roster = make_students(rng, sizes, classes, clock, clubs)
    need = supervision_need(roster, clock)
    demand = club_demand(roster, clubs)
    skills = sorted({c["skill"] for c in clubs})
    outside_skills = rng.sample(skills, max(1, round(len(skills) / 3)))
    school_id = f"outside-{seed}"
    providers = make_providers(rng, outside_skills, school_id, date.fromisoformat(term["end"]))
    club_hours = sum(demand[c["id"]] * c["class_hours"] for c in clubs
                     if c["skill"] not in outside_skills)
    teachers = make_teachers(rng, [s for s in skills if s not in outside_skills], need,
                             club_hours, rng.choice([40, 50, 60]))
    budget = term_budget(rng, need, meetings(term), clubs, demand, teachers, providers)
    pupils = sum(enrolled.values())
    school = {"id": school_id,
              "name": f"深圳市{'九年一贯制实验学校' if nine_year else '外国语小学'}（{seed}）",
              "enrolled": pupils, "class_hour_minutes": clock[1]["hour"], "break_minutes": 10,
              "grades": grades_yaml(clock), "rooms": make_rooms(rng, classes, clubs, need),
              "teachers": teachers, "activities": [*clubs, study_activity(clock)],
              "students": roster}
    return {"version": 1, "language": "zh", "term": term, "policy": make_policy(budget, pupils),
            "providers": providers, "schools": [school]}


def make_policy(budget: int, pupils: int) -> dict:
    """The SPEC's term budget is rate x enrolled x term_share: the yearly rate that gives
    `budget` (rounded up, so the budget is never below it)."""
    return {"latest_end": hhmm(LATEST_END),
            "budget_per_student_year": math.ceil(budget / (pupils * TERM_SHARE)),
            "term_share": TERM_SHARE,
            "teacher_max_class_hours_week": 5,  # every teacher states their own cap
            "teacher_max_class_hours_day": 2, "max_class_hours_per_day": HOURS_PER_DAY,
            "max_clubs_per_student_week": 2, "coverage": "required"}


class PlainDumper(yaml.SafeDumper):
    """Writes a shared list out in full each time, so no `&id`/`*id` aliases: a school
    timetabler reading the file sees every value where it applies."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def write_outside(folder: Path, students: int, seed: int) -> Path:
    """Write `folder/outside-<students>-seed<seed>.yaml` (students inline)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"outside-{students}-seed{seed}.yaml"
    header = (f"# Made by benchmarks/outside.py --students {students} --seed {seed}: a school\n"
              "# built independently of `afterschool generate` (see that file's docstring).\n")
    text = yaml.dump(make_outside(students, seed), Dumper=PlainDumper, allow_unicode=True,
                     sort_keys=False, default_flow_style=None, width=100)
    path.write_text(header + text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/instances/outside"))
    args = parser.parse_args()
    print(write_outside(args.out, args.students, args.seed))


if __name__ == "__main__":
    main()
