"""Hand-made inputs and solutions for the view tests, and checks that they are consistent.

`small()` is two schools sharing a robotics provider, with a holiday (Mon 2027-04-05) and a
make-up day (Sun 2027-04-25 worked as Monday). `large()` is an M-size school: 3,000
students, 60 classes, 180 teachers, 200 sections. Both solutions are built by hand so that
rooms, teachers, providers and students never overlap in time.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from models.district import District
from models.loader import Loaded, load_text
from models.solution import SectionOut, Solution, StaffRef, section_id

SMALL_YAML = """
version: 1
language: zh
term:
  name: "2027 春季"
  start: 2027-03-01
  end: 2027-04-30
  service_start: 2027-03-08
  holidays: [2027-04-05]
  makeup_days: {2027-04-25: mon}
providers:
  - {id: p-robot, name: 少儿机器人中心, qualification: approved,
     background_check_until: 2027-12-31, instructors: 2, price_per_class_hour: 150,
     rating: 4.5, skills: [robotics], serves: [s1, s2]}
schools:
  - id: s1
    name: 南山实验小学
    enrolled: 100
    grades:
      3: {dismissal: "16:20"}
      4: {dismissal: "16:20"}
    rooms:
      - {id: field, type: field, capacity: 60}
      - {id: r301, type: classroom, capacity: 45, class: 3-1}
      - {id: r302, type: classroom, capacity: 45, class: 3-2}
      - {id: r401, type: classroom, capacity: 45, class: 4-1}
      - {id: lab, type: lab, capacity: 30}
    teachers:
      - {id: t-wang, name: 王老师, skills: [football, homework], pay_per_class_hour: 80}
      - {id: t-li, name: 李老师, skills: [homework], pay_per_class_hour: 80}
      - {id: t-zhang, name: 张老师, skills: [homework], pay_per_class_hour: 60,
         max_class_hours_week: 3}
    activities:
      - {id: football, name: 足球, category: sports, grades: [3, 4], class_hours: 2,
         max_size: 30, room_type: field, skill: football, consumables_per_section: 20}
      - {id: robotics, name: 机器人, category: science, grades: [3, 4], max_size: 20,
         room_type: lab, skill: robotics}
      - {id: study, name: 课后作业辅导, category: homework, grades: [3, 4], max_size: 45,
         room_type: classroom, skill: homework, fallback: true}
    students:
      - {id: s01, grade: 3, class: 3-1, days: [tue], pickup: "18:00", choices: [football]}
      - {id: s02, grade: 3, class: 3-1, days: [tue], pickup: "18:00", choices: [robotics, 足球]}
      - {id: s03, grade: 3, class: 3-1, days: [tue, thu], pickup: "17:50",
         choices: [robotics]}
      - {id: s04, grade: 3, class: 3-1, days: [tue, thu], pickup: "tue=17:50;thu=17:00",
         choices: [robotics, football]}
      - {id: s05, grade: 3, class: 3-2, days: [tue], pickup: "18:00", choices: [football]}
      - {id: s06, grade: 3, class: 3-2, days: [mon], pickup: "17:00", choices: []}
      - {id: s07, grade: 3, class: 3-2, days: [mon], pickup: "17:00", choices: []}
      - {id: s08, grade: 3, class: 3-2, days: [mon], choices: [robotics]}
      - {id: s09, grade: 4, class: 4-1, days: [tue], pickup: "18:00", choices: [football]}
      - {id: s10, grade: 4, class: 4-1, days: [thu], pickup: "18:00", choices: [robotics]}
      - {id: s11, grade: 4, class: 4-1, days: [thu], pickup: "18:00", choices: []}
  - id: s2
    name: 南山第二实验学校
    enrolled: 50
    grades:
      4: {dismissal: "16:20"}
    rooms:
      - {id: lab, type: lab, capacity: 30}
    teachers:
      - {id: t-zhao, name: 赵老师, skills: [homework], pay_per_class_hour: 80}
    activities:
      - {id: robotics, name: 机器人, category: science, grades: [4], max_size: 20,
         room_type: lab, skill: robotics}
    students:
      - {id: b01, grade: 4, class: 4-1, days: [thu], pickup: "18:00", choices: [robotics]}
      - {id: b02, grade: 4, class: 4-1, days: [thu], pickup: "18:00", choices: [robotics]}
"""

# Meetings in the small term (2027-03-08 .. 2027-04-30): 7 Mondays (8 less the 04-05
# holiday) + the 04-25 make-up day = 8; 8 Tuesdays; 8 Thursdays.
SMALL_MEETINGS = {"mon": 8, "tue": 8, "thu": 8}


def _section(school: str, activity: str, day: str, start: str, end: str, room: str,
             staff: StaffRef, students: list[str]) -> SectionOut:
    h, m = map(int, start.split(":"))
    return SectionOut(id=section_id(school, activity, day, h * 60 + m, room), school=school,
                      activity=activity, day=day, start=start, end=end, room=room,
                      staff=[staff], students=students)


def small() -> tuple[Loaded, Solution]:
    loaded = load_text(SMALL_YAML, "small.yaml")
    t = lambda i: StaffRef(teacher=i)  # noqa: E731
    robot = StaffRef(provider="p-robot")
    sections = [
        _section("s1", "football", "tue", "16:20", "17:50", "field", t("t-wang"),
                 ["s01", "s02", "s05", "s09"]),
        _section("s1", "study", "tue", "16:20", "17:00", "r301", t("t-li"), ["s03", "s04"]),
        _section("s1", "study", "tue", "17:10", "17:50", "r301", t("t-li"), ["s03", "s04"]),
        _section("s1", "robotics", "thu", "16:20", "17:00", "lab", robot, ["s03", "s04", "s10"]),
        _section("s1", "study", "thu", "17:10", "17:50", "r401", t("t-zhang"), ["s03", "s10"]),
        _section("s1", "study", "thu", "16:20", "17:00", "r401", t("t-zhang"), ["s11"]),
        _section("s1", "study", "thu", "17:10", "17:50", "r302", t("t-wang"), ["s11"]),
        _section("s1", "study", "mon", "16:20", "17:00", "r302", t("t-zhang"),
                 ["s06", "s07", "s08"]),
        _section("s1", "study", "mon", "17:10", "17:50", "r302", t("t-li"), ["s08"]),
        _section("s2", "robotics", "thu", "16:20", "17:00", "lab", robot, ["b01", "b02"]),
    ]
    solution = Solution(
        instance_sha256=loaded.sha256, status="OPTIMAL", objective=61.5, bound=61.5,
        solve_seconds=0.4, sections=sections,
        kpis={"students": 13, "students_with_choices": 10, "covered_share": 1.0,
              "first_choice_share": 0.6, "any_choice_share": 0.8, "teacher_hours_max": 3,
              "cost": 7840.0, "budget": 75000.0, "sections": len(sections)},
    )
    return loaded, solution


# --- an M-size school ---------------------------------------------------------------

DAYS5 = ("mon", "tue", "wed", "thu", "fri")
SLOTS = (("16:20", "17:00"), ("17:10", "17:50"))
PER_SLOT = 20  # sections at once: 5 days × 2 slots × 20 = 200 sections


def large_district() -> District:
    """3,000 students in 60 classes (grades 1-6 × 10), 180 teachers, 80 rooms, 20 clubs."""
    grades = {g: {"dismissal": "16:20"} for g in range(1, 7)}
    rooms = [{"id": f"r{g}{c:02d}", "type": "classroom", "capacity": 45, "class": f"{g}-{c}"}
             for g in range(1, 7) for c in range(1, 11)]
    rooms += [{"id": f"hall{k}", "type": "hall", "capacity": 60} for k in range(20)]
    teachers = [{"id": f"t{k:03d}", "name": f"教师{k:03d}", "skills": [f"club{k % 20}"],
                 "pay_per_class_hour": 80} for k in range(180)]
    activities = [{"id": f"club{k}", "name": f"社团{k}", "category": "club",
                   "grades": list(range(1, 7)), "max_size": 45, "room_type": "hall",
                   "skill": f"club{k}", "consumables_per_section": 10} for k in range(20)]
    students = [{"id": f"s{i:04d}", "grade": i // 500 + 1, "class": f"{i // 500 + 1}-{i % 10 + 1}",
                 "days": list(_large_days(i)), "pickup": "18:00",
                 "choices": [f"club{(i + j) % 20}" for j in range(3)]} for i in range(3000)]
    school = {"id": "m1", "name": "海滨实验小学", "enrolled": 3000, "grades": grades,
              "rooms": rooms, "teachers": teachers, "activities": activities,
              "students": students}
    term = {"name": "2027 Spring", "start": "2027-03-01", "end": "2027-07-09",
            "service_start": "2027-03-08", "holidays": ["2027-04-05", "2027-05-03"],
            "makeup_days": {"2027-04-25": "mon"}}
    return District.model_validate({"version": 1, "term": term, "schools": [school]})


def _large_days(i: int) -> tuple[str, str]:
    first = i % 5
    return DAYS5[first], DAYS5[(first + 2) % 5]


def large() -> tuple[Loaded, Solution]:
    """Each student attends one club on each of their two days: 30 students a section."""
    district = large_district()
    members: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for i in range(3000):
        for day in _large_days(i):
            members[(day, (i // 20) % 2, (i // 5) % PER_SLOT)].append(f"s{i:04d}")
    sections = []
    for (d, day), (s, (start, end)), k in itertools.product(enumerate(DAYS5), enumerate(SLOTS),
                                                            range(PER_SLOT)):
        teacher = f"t{(k + 20 * (d * 2 + s) % 180) % 180:03d}"
        sections.append(_section("m1", f"club{k}", day, start, end, f"hall{k}",
                                 StaffRef(teacher=teacher), sorted(members[(day, s, k)])))
    loaded = Loaded(district, "large.yaml")
    solution = Solution(instance_sha256=loaded.sha256, status="FEASIBLE", objective=1.0,
                        bound=2.0, solve_seconds=60.0, sections=sections,
                        kpis={"students": 3000, "sections": len(sections)})
    return loaded, solution


# --- the fixtures are consistent: no double booking anywhere -------------------------


def _no_double_booking(solution: Solution) -> list[str]:
    """Pairs of sections that share a room, staff member or student at overlapping times."""
    clashes = []
    for a, b in itertools.combinations(solution.sections, 2):
        if a.day != b.day or not (a.start < b.end and b.start < a.end):
            continue
        shared_room = a.school == b.school and a.room == b.room
        shared_teacher = a.school == b.school and {x.teacher for x in a.staff} & \
            {x.teacher for x in b.staff} - {None}
        shared_student = a.school == b.school and set(a.students) & set(b.students)
        if shared_room or shared_teacher or shared_student:
            clashes.append(f"{a.id} / {b.id}")
    return clashes


def test_small_fixture_is_consistent():
    loaded, solution = small()
    assert _no_double_booking(solution) == []
    term = loaded.district.term
    assert {d: term.meetings(d) for d in SMALL_MEETINGS} == SMALL_MEETINGS
    ids = [s.id for s in solution.sections]
    assert len(ids) == len(set(ids))


def test_large_fixture_is_m_size_and_consistent():
    loaded, solution = large()
    sizes = [len(s.students) for s in solution.sections]
    assert len(solution.sections) == 200
    assert sum(sizes) == 6000 and max(sizes) <= 45 and min(sizes) >= 1
    assert _no_double_booking(solution) == []
    assert len(loaded.district.schools[0].students) == 3000
