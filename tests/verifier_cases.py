"""A tiny school and a hand-written valid timetable for it, shared by the verifier tests.

Term: 2027-03-01 (a Monday) to 2027-03-12, service on mon and tue, so a tue group meets
twice (03-02, 03-09). Grade 3 is dismissed 16:20; with 40-minute class hours and 10-minute
breaks its periods are 16:20-17:00 and 17:10-17:50 (18:00-18:40 would end after 18:00).
"""

from __future__ import annotations

from models.loader import Loaded, instance_sha256, load_text
from models.solution import SectionOut, Solution, StaffRef, section_id

SCHOOL = """
version: 1
term: {name: T, start: 2027-03-01, end: 2027-03-12, weekdays: [mon, tue]}
providers:
  - {id: p-robo, name: 机器人中心, qualification: approved, background_check_until: 2027-12-31,
     instructors: 1, price_per_class_hour: 150, rating: 4.5, skills: [robotics],
     available: {tue: ["16:00-18:00"]}}
schools:
  - id: s1
    name: 南山小学
    enrolled: 10
    grades: {3: {dismissal: "16:20"}}
    rooms:
      - {id: field, type: field, capacity: 40}
      - {id: lab, type: lab, capacity: 20}
      - {id: r301, type: classroom, capacity: 30, class: 3-1}
      - {id: r302, type: classroom, capacity: 30, class: 3-2}
    teachers:
      - {id: t-wang, name: 王老师, skills: [football, homework], max_class_hours_week: 4,
         pay_per_class_hour: 80}
      - {id: t-li, name: 李老师, skills: [homework], pay_per_class_hour: 80}
      - {id: t-zhao, name: 赵老师, skills: [chess], pay_per_class_hour: 80}
    activities:
      - {id: football, name: 足球, category: sports, grades: [3], class_hours: 2, min_size: 2,
         max_size: 20, room_type: field, skill: football, consumables_per_section: 20}
      - {id: robotics, name: 机器人, category: science, grades: [3], max_size: 10,
         room_type: lab, skill: robotics}
      - {id: chess, name: 国际象棋, category: club, grades: [3], max_size: 30,
         room_type: classroom, skill: chess}
      - {id: study, name: 课后作业辅导, category: homework, grades: [3], max_size: 30,
         room_type: classroom, skill: homework, fallback: true}
    students:
      - {id: a1, grade: 3, class: 3-1, days: [tue], pickup: "18:00", choices: [football, robotics]}
      - {id: a2, grade: 3, class: 3-1, days: [tue], pickup: "18:00", choices: [机器人]}
      - {id: a3, grade: 3, class: 3-2, days: [tue], pickup: "17:00", choices: []}
      - {id: a4, grade: 3, class: 3-1, days: [tue], pickup: "18:00", choices: [football]}
      - {id: a5, grade: 3, class: 3-2, days: [tue], pickup: "17:00", choices: [chess]}
"""

# The valid timetable's score, term by term (default weights):
#   choice_rank: a1 football (1st) 10 + a2 robotics (1st) 10 + a4 football 10 + a5 chess 10 = 40
#   teacher_load_spread: eligible t-wang 2/4 = 50 %, t-li 1/4 = 25 %, t-zhao 1/4 = 25 % -> -25
#   provider_rating: (4.5 - 3) × 1 class hour = +1.5
#   fallback_mixing: study holds classes 3-1 and 3-2 -> -1
#   fallback_group: one supervised-study group, weight 2 -> -2
#   unmatched, uncovered, cost (weight 0): 0
OBJECTIVE = 40 - 25 + 1.5 - 1 - 2
# Cost: two tue meetings × (football 80×2+20, robotics 150, chess 80, study 80) = 980.
COST = 2 * (180 + 150 + 80 + 80)


def load_school(text: str = SCHOOL) -> Loaded:
    return load_text(text, "school.yaml")


def section(activity: str, start: str, end: str, room: str, students: list[str],
            teacher: str | None = None, provider: str | None = None,
            day: str = "tue") -> SectionOut:
    """A section of school s1 with its id derived as the solver derives it."""
    minutes = int(start[:2]) * 60 + int(start[3:])
    return SectionOut(
        id=section_id("s1", activity, day, minutes, room), school="s1", activity=activity,
        day=day, start=start, end=end, room=room,  # type: ignore[arg-type]
        staff=[StaffRef(teacher=teacher, provider=provider)], students=students)


def valid_sections() -> list[SectionOut]:
    return [
        section("football", "16:20", "17:50", "field", ["a1", "a4"], teacher="t-wang"),
        section("robotics", "17:10", "17:50", "lab", ["a2"], provider="p-robo"),
        section("chess", "16:20", "17:00", "r302", ["a5"], teacher="t-zhao"),
        section("study", "16:20", "17:00", "r301", ["a2", "a3"], teacher="t-li"),
    ]


def solution_for(loaded: Loaded, sections: list[SectionOut], objective: float = OBJECTIVE,
                 **extra: object) -> Solution:
    return Solution(instance_sha256=instance_sha256(loaded.district), status="FEASIBLE",
                    objective=objective, bound=objective, solve_seconds=0.0,
                    sections=sections, **extra)  # type: ignore[arg-type]
