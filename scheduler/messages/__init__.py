"""What the terminal says, in Simplified Chinese (the default) and English (SPEC §3 `language`).

One catalogue for the CLI, its progress line, `check`'s summary, the KPI table, `verify`'s
report and `explain`'s printout. The `file:line:col: message` lines of input errors and
warnings stay as the loader writes them (English, long-standing and tested). An English
text `one|many` picks by the value `n`.
"""

from __future__ import annotations

import re
from typing import Any

DAYS = {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五", "sat": "周六",
        "sun": "周日"}

# key: (zh, en)
_TEXT: dict[str, tuple[str, str]] = {
    # a district solved in parts
    "part_done": ("[{done}/{total}] {name} {phase}：{got}，{seconds:.1f} 秒",
                  "[{done}/{total}] {name} {phase}: {got}, {seconds:.1f} s"),
    "part_got": ("任一志愿满足率 {share:.0%}，得分 {score:,.1f}",
                 "any choice {share:.0%}, score {score:,.1f}"),
    "phase_whole": ("已排", "solved"),
    "phase_alone": ("单独试排", "alone"),
    "phase_fitted": ("避让共享资源后排定", "fitted"),
    "phase_together": ("与邻校重新分配", "re-shared"),
    "phase_kept": ("单独试排的课表避让后可直接用", "alone timetable fits as it is"),
    "district_done": ("全区 {n:,} 所学校，用时 {seconds:.0f} 秒{bound}",
                      "district: {n:,} schools in {seconds:.0f} s{bound}"),
    "district_bound": ("；上界 {bound:,.1f}", "; bound {bound:,.1f}"),
    "district_failed": ("以下部分没有课表：{names}", "no timetable for: {names}"),
    "schools_title": ("各校指标", "Schools"),
    "schools_title_more": ("各校指标（前 {n} 所；全部见 csv/district_schools.csv）",
                           "Schools (first {n}; all in csv/district_schools.csv)"),
    "col_school": ("学校", "school"),
    "col_students": ("学生", "students"),
    "col_any": ("任一志愿", "any choice"),
    "col_first": ("第一志愿", "1st choice"),
    "col_covered": ("看护覆盖", "supervised"),
    "col_cost": ("费用", "cost"),
    "col_budget": ("预算", "budget"),
    # counts
    "schools": ("{n:,} 所学校", "{n:,} school|{n:,} schools"),
    "providers": ("{n:,} 家机构", "{n:,} provider|{n:,} providers"),
    "students": ("{n:,} 名学生", "{n:,} student|{n:,} students"),
    "teachers": ("{n:,} 名教师", "{n:,} teacher|{n:,} teachers"),
    "rooms": ("{n:,} 个场地", "{n:,} room|{n:,} rooms"),
    "activities": ("{n:,} 项活动", "{n:,} activity|{n:,} activities"),
    "warnings": ("{n:,} 条警告", "{n:,} warning|{n:,} warnings"),
    "no_warnings": ("没有警告", "no warnings"),
    # check's summary
    "term_line": ("{source}：学期 {name}，服务日 {first} 至 {end}（{days}）；{schools}，"
                  "{providers}（{vetted} 家已审核）",
                  "{source}: term {name}, service {first} to {end} on {days}; {schools}, "
                  "{providers} ({vetted} vetted)"),
    "school_people": ("  {school}：{grades} 年级，{students}（{chose:,} 名有志愿），{teachers}，"
                      "{rooms}，{activities}",
                      "  {school}: grades {grades}, {students} ({chose:,} with choices), "
                      "{teachers}, {rooms}, {activities}"),
    "school_days": ("    每周报名 {days:,} 人次；在校生 {enrolled:,} 人；学期预算 {budget:,.0f} 元",
                    "    {days:,} registered student-days a week; enrolled {enrolled:,}; "
                    "term budget {budget:,.0f} yuan"),
    "school_allocation": ("    分配选项：{labels} 个同行标签（{paired} 名学生），"
                          "{assigned} 名指定参加，{priority} 名有优先级；公平规则 {fairness}"
                          "{previous}",
                          "    allocation: {labels} together labels ({paired} students), "
                          "{assigned} assigned, {priority} with priority; fairness {fairness}"
                          "{previous}"),
    "school_previous": ("；上学期 {n} 名学生未得到任何志愿，本学期优先",
                        "; {n} left out last term go first"),
    "total": ("合计：{students:,} 名学生，每周报名 {days:,} 人次，学期预算 {budget:,.0f} 元",
              "total: {students:,} students, {days:,} registered student-days, term budget "
              "{budget:,.0f} yuan"),
    "visits_blocked": ("以下研学出行（或其中部分年级）无法成行：",
                       "visits that cannot go (or some grades of them), and why:"),
    "no_timetable_exists": ("预检查已证明排不出课表（afterschool explain 给出原因和修改建议）：",
                            "a pre-check already proves no timetable exists (afterschool "
                            "explain names the causes and fixes):"),
    # solve
    "check_refuses": ("afterschool check 拒绝这个文件（{n} 个问题，见下），所以不开始求解：",
                      "afterschool check refuses this file ({n} problem(s) below), so no "
                      "search was started:"),
    "check_warned": ("afterschool check 对这个文件的警告（{n} 条）：",
                     "afterschool check's warnings on this file ({n}):"),
    "problems": ("发现 {n} 个问题；未写入任何文件。", "{n} problem(s) found; nothing was written."),
    "interrupted": ("已中断", "interrupted"),
    "solving": ("求解中", "solving"),
    "waiting": ("等待第一个课表", "waiting for a first timetable"),
    "progress": ("得分 {score:,.1f}  上界 {bound:,.1f}  差距 {gap:.2%}  有志愿的学生满足 {met:.0%}",
                 "score {score:,.1f}  bound {bound:,.1f}  gap {gap:.2%}  choices met {met:.0%}"),
    "start": ("初始课表：得分 {score:,.1f}  有志愿的学生满足 {met:.0%}；开始搜索",
              "starting timetable: score {score:,.1f}  choices met {met:.0%}; searching"),
    "bounding": ("有志愿的学生满足 {met:.0%}；正在计算上界", "choices met {met:.0%}; bounding"),
    "kpi_title": ("{status}：得分 {score:,.1f}，差距 {gap:.2%}，用时 {seconds:.1f} 秒",
                  "{status}: score {score:,.1f}, gap {gap:.2%}, {seconds:.1f} s"),
    "OPTIMAL": ("最优", "OPTIMAL"),
    "FEASIBLE": ("可行", "FEASIBLE"),
    "kpi": ("指标", "KPI"),
    "value": ("数值", "value"),
    "wrote_all": ("已写入 {path} 及 {out} 下的 {n} 个视图文件",
                  "wrote {path} and {n} view file(s) under {out}"),
    "wrote": ("已写入 {path}", "wrote {path}"),
    "wrote_files": ("已在 {out} 下写入 {n} 个文件", "wrote {n} file(s) under {out}"),
    "lottery_baseline": ("对比：按公开抽签号顺序报名（同一批教学班）：获得任一志愿 {any:.1%}，"
                         "第一志愿 {first:.1%}，前两志愿 {top2:.1%}，志愿全未获得 {none} 人，"
                         "嫉妒 {envy} 人",
                         "compare: sign-up in published lottery order on the same sections: any "
                         "choice {any:.1%}, 1st {first:.1%}, top-2 {top2:.1%}, none {none}, "
                         "envious {envy}"),
    "verified": ("独立检查（afterschool verify）：所有规则均满足",
                 "independent check (afterschool verify): every rule holds"),
    "not_verified": ("已中断：{out} 中是新课表；独立检查未完成（请运行 afterschool verify）",
                     "interrupted: {out} holds the new timetable; the independent check did not "
                     "finish (run `afterschool verify`)"),
    "internal_error": ("内部错误：课表违反了求解器应遵守的规则；请连同输入文件一起报告：",
                       "internal error: the timetable breaks rules the solver should keep; "
                       "please report it with the input file:"),
    "infeasible": ("无解：这个输入的规则不能同时满足。",
                   "infeasible: the rules cannot all hold for this input."),
    "not_found": ("{limit:g} 秒内未找到课表（{status}）；请加大 --time-limit；{out} 保持原样。",
                  "no timetable found within {limit:g} s ({status}); try a longer --time-limit; "
                  "{out} left as it was."),
    "explaining": ("正在分析原因 ...", "explaining ..."),
    "other_version": ("警告：{solution} 是为 {file} 的另一个版本生成的（instance_sha256 不同）；"
                      "仍然导出。",
                      "warning: {solution} was made for another version of {file} "
                      "(instance_sha256 differs); exporting it anyway."),
    # verify
    "rules_broken": ("违反的规则", "rules broken"),
    "rule": ("规则", "rule"),
    "what": ("内容", "what"),
    "objective_title": ("目标值（越大越好）", "objective (maximised)"),
    "term": ("项", "term"),
    "in_file": ("文件中", "in file"),
    "recomputed": ("重新计算", "recomputed"),
    "objective": ("目标值", "objective"),
    "kpis": ("关键指标", "KPIs"),
    "all_hold": ("所有规则均满足", "all rules hold"),
    "violations": ("{n} 处违反规则", "{n} violation|{n} violations"),
    # explain
    "feasible": ("这个输入可以排出课表。", "This input is feasible: a timetable can be made."),
    "prechecks_found": ("预检查发现：", "Pre-checks found:"),
    "cause": ("原因 {n}：以下规则不能同时满足", "Cause {n}: these rules cannot all hold"),
    "no_core": ("（时限内未找到精确的冲突规则集合；以上预检查已证明无法排出课表）",
                "(no exact core within the time limit; the pre-checks above prove no "
                "timetable exists)"),
    "undecided": ("在时限内未能判定是否可行；请加大 --time-limit。",
                  "Could not decide within the time limit; try a longer --time-limit."),
    "not_minimal": ("（时限内未能证明这是最小的冲突集合）",
                    "(minimality could not be proven within the time limit)"),
    "also_note": ("另请注意：", "Also note:"),
    "more": ("……另有 {n} 条，见 {where}", "... and {n} more in {where}"),
    "fix": ("建议", "fix"),
    "alone_ok": ("单独即可排出课表", "alone makes it feasible"),
    "alone_not": ("单独不够", "not enough alone"),
    "alone_unknown": ("未验证", "not checked"),
}

# What a school calls each KPI (models.solution.Kpis).
_KPIS: dict[str, tuple[str, str]] = {
    "students": ("学生数", "students"),
    "students_with_choices": ("有志愿的学生", "students with choices"),
    "student_days": ("每周报名人次", "registered student-days"),
    "covered_share": ("有人看护的人次", "student-days supervised"),
    "first_choice_share": ("获得第一志愿", "got 1st choice"),
    "any_choice_share": ("获得任一志愿", "got any choice"),
    "no_choice_share": ("志愿全未满足", "got none of their choices"),
    "top2_share": ("获得第一或第二志愿", "got 1st or 2nd choice"),
    "students_with_none": ("志愿全未获得（人）", "students with none of their choices"),
    "envy": ("志愿被排名更低者得到（人）", "envious (someone ranking it lower got it)"),
    "teacher_hours_max": ("教师最多周课时", "most class hours of a teacher"),
    "cost": ("学期费用（元）", "term cost (yuan)"),
    "budget": ("学期预算（元）", "term budget (yuan)"),
    "sections": ("每周教学班数", "sections a week"),
}


_RANK_ROW = re.compile(r"rank_(\d+)_share")


class Say:
    """The catalogue in one language: `say("wrote", path=p)`."""

    def __init__(self, lang: str | None = "zh"):
        self.lang = "en" if lang == "en" else "zh"

    def __call__(self, key: str, **values: Any) -> str:
        zh, en = _TEXT[key]
        text = zh if self.lang == "zh" else en
        if "|" in text:
            one, many = text.split("|")
            text = one if values.get("n") == 1 else many
        return text.format(**values)

    def kpi(self, key: str) -> str:
        rank = _RANK_ROW.fullmatch(key)
        if rank:  # Kpis.rows(): one row per rank of the profile
            n = rank.group(1)
            return f"最好获得第{n}志愿" if self.lang == "zh" else f"best got: choice {n}"
        zh, en = _KPIS.get(key, (key, key))
        return zh if self.lang == "zh" else en

    def days(self, days: list[str]) -> str:
        return " ".join(DAYS.get(d, d) for d in days) if self.lang == "zh" else " ".join(days)
