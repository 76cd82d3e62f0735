"""Labels of every view in Simplified Chinese (the default) and English (SPEC §3 `language`)."""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["zh", "en"]

_DAYS = {
    "zh": {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五",
           "sat": "周六", "sun": "周日"},
    "en": {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri",
           "sat": "Sat", "sun": "Sun"},
}

# key: (zh, en). Keys are the stable names used in code; the labels are what people read.
_TEXT: dict[str, tuple[str, str]] = {
    "school": ("学校", "School"),
    "district_schools": ("各校指标", "Schools side by side"),
    "provider_load": ("外聘机构各日负荷", "Provider load by day"),
    "instructor_days": ("外聘教练日程（含学校间路程）", "Instructors' days (with travel)"),
    "class_hours": ("课时", "Class hours"),
    "schools_served": ("服务学校", "Schools"),
    "instructor": ("教练", "Instructor"),
    "travel_before": ("前往本校路程（分钟）", "Travel here (min)"),
    "free_before": ("到达后空余（分钟）", "Spare on arrival (min)"),
    "students_count": ("学生数", "Students"),
    "school_name": ("学校名称", "School name"),
    "grade": ("年级", "Grade"),
    "class": ("班级", "Class"),
    "teacher": ("教师", "Teacher"),
    "provider": ("机构", "Provider"),
    "room": ("场地", "Room"),
    "student": ("学生", "Student"),
    "students": ("学生", "Students"),
    "day": ("星期", "Day"),
    "time": ("时间", "Time"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "activity": ("活动", "Activity"),
    "activity_name": ("活动名称", "Activity name"),
    "category": ("类别", "Category"),
    "staff": ("负责人", "Staff"),
    "staff_name": ("负责人姓名", "Staff name"),
    "staff_kind": ("负责人类型", "Staff kind"),
    "section": ("教学班", "Section"),
    "sections": ("教学班", "Sections"),
    "size": ("人数", "Size"),
    "meetings": ("上课次数", "Meetings"),
    "cost": ("费用(元)", "Cost (yuan)"),
    "pickup": ("接送时间", "Pick-up"),
    "end_of_service": ("服务结束", "end of service"),
    "kpis": ("关键指标", "KPIs"),
    "kpi": ("指标", "Indicator"),
    "value": ("数值", "Value"),
    "expenditure": ("经费支出", "Expenditure"),
    "rollcall": ("点名表", "Roll call"),
    # off-campus visits (SPEC §8.4)
    "trips": ("研学出行", "Off-campus visits"),
    "trip_rollcall": ("研学点名表", "Visit roll call"),
    "venue": ("场馆", "Venue"),
    "leave_at": ("出发", "Leaves"),
    "back_at": ("返校", "Back at school"),
    "returned": ("返校签到", "Back (time)"),
    "cover": ("代课", "cover"),
    "covers": ("代课安排", "Covers"),
    "away_on_trip": ("研学外出", "away on a visit"),
    "no_trips": ("本学期没有研学出行。", "No off-campus visits this term."),
    "timetable": ("课表", "Timetable"),
    "report_title": ("课后服务报告", "After-school service report"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "All"),
    "view_school": ("全校", "Whole school"),
    "no": ("序号", "No."),
    "week": ("一周安排", "Week"),
    "term": ("学期", "Term"),
    "status": ("求解状态", "Solver status"),
    "status_OPTIMAL": ("已证明是最优课表", "Proven best timetable"),
    "status_FEASIBLE": ("可用课表，尚未证明最优(求解时间已到)",
                        "A usable timetable, not proven best (the time limit came first)"),
    "objective": ("课表得分(越高越好)", "Timetable score (higher is better)"),
    "bound": ("可能的最高得分不超过", "Best possible score is at most"),
    "gap": ("与已证明的最优至多相差", "How far from proven best (at most)"),
    "score_note": (
        "得分综合了志愿满足、看护覆盖、教师课时均衡、机构评分与费用(见 docs/rules.md)，"
        "单位是分，不是学生人数；“最高得分”是求解器已证明任何课表都超不过的分数。",
        "The score weighs choices met, supervision, teachers' even load, provider ratings "
        "and cost (docs/rules.md); it is in points, not students. The best possible score "
        "is what the solver has proven no timetable can beat.",
    ),
    "of": ("{part:,} / {whole:,} ({share:.1%})", "{part:,} of {whole:,} ({share:.1%})"),
    "got_any": ("有志愿的学生中获得志愿的", "Students with choices who got one"),
    "got_first": ("有志愿的学生中获得第一志愿的", "Students with choices who got their first"),
    "days_covered": ("有人看护的报名学生日", "Registered student-days supervised"),
    "name": ("姓名", "Name"),
    "student_no": ("学号", "Student ID"),
    "student_name": ("学生姓名", "Student name"),
    "notice": ("通知", "Notice"),
    "notices": ("家长通知", "Parents' notices"),
    "waitlist_place": ("候补位次", "Place on the waiting list"),
    "choice_rank": ("志愿序号", "Choice"),
    "lottery_number": ("抽签号", "Lottery number"),
    "lottery_baseline": ("对比：同一批教学班按公开抽签号顺序报名", "Compare: sign-up in published "
                         "lottery order on the same sections"),
    "this_timetable": ("本课表", "This timetable"),
    "baseline": ("抽签报名", "Lottery sign-up"),
    "room_name": ("场地名称", "Room name"),
    "index": ("目录", "Index"),
    "solve_seconds": ("求解用时(秒)", "Solve time (s)"),
    "item": ("项目", "Item"),
    "amount": ("金额(元)", "Amount (yuan)"),
    "share": ("占预算比例", "Share of budget"),
    "budget": ("学期预算", "Term budget"),
    "total": ("合计", "Total"),
    "balance": ("结余", "Balance"),
    "enrolled": ("在校生数", "Students enrolled"),
    "rate": ("生均标准(元/年)", "Rate (yuan per student per year)"),
    "term_share": ("本学期比例", "Term share"),
    "cat_services": ("购买服务(校外机构)", "Purchased provider services"),
    "cat_items": ("开发或购买服务项目", "Service items developed or purchased"),
    "cat_consumables": ("耗材", "Consumables"),
    "cat_staff": ("教师课后服务补助", "Staff pay"),
    "cat_transport": ("交通及安保", "Transport and security"),
    "expenditure_note": (
        "服务项目开发与购买、安保费用暂未录入，按 0 元列示；交通为研学出行的车费。",
        "Items developed or purchased, and security, are not yet in the input (shown as 0); "
        "transport is the fares of off-campus visits.",
    ),
    "plot_rank": ("志愿满足情况(按志愿序)", "Choice satisfaction by rank"),
    "plot_grade": ("志愿满足情况(按年级)", "Choice satisfaction by grade"),
    "plot_load": ("教师课时与本人上限", "Teacher load against own cap"),
    "plot_rooms": ("场地利用率", "Room utilisation"),
    "plot_budget": ("分类支出与学期预算", "Spending by category against the term budget"),
    "choice_n": ("第{n}志愿", "Choice {n}"),
    "choice_none": ("未获志愿", "None of their choices"),
    "choice_any": ("获得任一志愿", "Any choice"),
    "choice_first": ("获得第一志愿", "First choice"),
    "hours_week": ("周课时", "Class hours a week"),
    "cap": ("上限", "Cap"),
    "utilisation": ("利用率", "Utilisation"),
    "unserved": ("未覆盖的学生日", "Uncovered student-days"),
    "reason": ("原因", "Reason"),
    "date": ("日期", "Date"),
    "signature": ("签到", "Present"),
    "generated_from": ("数据来源", "Made from"),
    "kpi_students": ("学生数", "Students"),
    "kpi_students_with_choices": ("有志愿的学生数", "Students with choices"),
    "kpi_student_days": ("报名学生日", "Registered student-days"),
    "kpi_covered_share": ("覆盖率", "Covered share"),
    "kpi_first_choice_share": ("第一志愿满足率", "First-choice share"),
    "kpi_any_choice_share": ("任一志愿满足率", "Any-choice share"),
    "kpi_no_choice_share": ("未获志愿比例", "No-choice share"),
    "kpi_rank_share": ("获得第{rank}志愿（最好的一项）", "Best got is choice {rank}"),
    "kpi_top2_share": ("获得第一或第二志愿", "Got 1st or 2nd choice"),
    "kpi_students_with_none": ("志愿全未获得的学生数", "Students who got none of their choices"),
    "kpi_envy": ("志愿被排名更低者得到的学生数",
                 "Students envious (someone ranking it lower got it)"),
    "kpi_teacher_hours_max": ("教师最高周课时", "Most weekly class hours of a teacher"),
    "kpi_cost": ("费用(元)", "Cost (yuan)"),
    "kpi_budget": ("预算(元)", "Budget (yuan)"),
    "kpi_sections": ("教学班数", "Sections"),
}

CATEGORY = {
    "club": ("社团", "Club"), "sports": ("体育", "Sports"), "arts": ("艺术", "Arts"),
    "science": ("科技", "Science"), "reading": ("阅读", "Reading"),
    "homework": ("作业辅导", "Homework"), "qa": ("答疑", "Q&A"), "visit": ("研学", "Visit"),
    "labor": ("劳动", "Labour"), "other": ("其他", "Other"), "lesson": ("授课", "Lesson"),
}


_RANK_ROW = re.compile(r"rank_(\d+)_share")  # Kpis.rows(): one row per rank of the profile


class Labels:
    """Look up labels in one language: `labels("room")`, `labels.day("tue")`."""

    def __init__(self, lang: Lang = "zh"):
        if lang not in ("zh", "en"):
            raise ValueError(f"language must be zh or en, got {lang!r}")
        self.lang: Lang = lang
        self._index = 0 if lang == "zh" else 1

    def __call__(self, key: str, **values: object) -> str:
        pair = _TEXT.get(key)
        text = pair[self._index] if pair else key
        return text.format(**values) if values else text

    def day(self, day: str) -> str:
        return _DAYS[self.lang].get(day, day)

    def category(self, category: str) -> str:
        pair = CATEGORY.get(category)
        return pair[self._index] if pair else category

    def kpi(self, key: str) -> str:
        """A KPI's label; an unknown KPI key is shown as it is."""
        rank = _RANK_ROW.fullmatch(key)
        if rank:
            return self("kpi_rank_share", rank=rank.group(1))
        return self(f"kpi_{key}") if f"kpi_{key}" in _TEXT else key

    def grade(self, grade: int) -> str:
        return f"{grade}年级" if self.lang == "zh" else f"Grade {grade}"
