"""Parents' notices (issue 13 part 7): one short text per student in the file's language,
as a CSV (UTF-8 with BOM) and a printable A4 page, written with the other views."""

from __future__ import annotations

from verifier_cases import SCHOOL, load_school, solution_for, valid_sections

from models.solution import Waitlist
from scheduler.views import Labels, ViewData, export_all
from scheduler.views.notices import notice

NAMED = SCHOOL.replace("- {id: a1, grade: 3,", "- {id: a1, name: 陈小明, grade: 3,")


def views(lang: str = "zh", **extra: object) -> ViewData:
    loaded = load_school(NAMED)
    solution = solution_for(loaded, valid_sections(), **extra)
    return ViewData.build(loaded.district, solution, Labels(lang))  # type: ignore[arg-type]


def student(data: ViewData, student_id: str):
    return data.student("s1", student_id)


def test_chinese_notice_names_the_child_and_lists_the_week():
    data = views()
    assert notice(data, "s1", student(data, "a1")) == (
        "陈小明同学本学期课后服务：周二 16:20–17:50 足球（field）。")
    # a2: study then robotics, two activities in order; no name: the id
    assert notice(data, "s1", student(data, "a2")) == (
        "a2同学本学期课后服务：周二 16:20–17:00 课后作业辅导（r301）；"
        "周二 17:10–17:50 机器人（lab）。")


def test_english_notice_and_waiting_list_places():
    data = views("en", waitlists=[Waitlist(school="s1", activity="robotics",
                                           students=["a4", "a1"])])
    assert notice(data, "s1", student(data, "a1")) == (
        "陈小明's after-school service this term: Tue 16:20–17:50 足球 (field); "
        "waiting list: 机器人 (place 2).")


def test_export_writes_the_csv_with_bom_and_a_printable_page(tmp_path):
    loaded = load_school(NAMED)
    solution = solution_for(loaded, valid_sections())
    written = export_all(loaded, solution, tmp_path, formats={"notices"})
    assert sorted(p.name for p in written) == ["s1.csv", "s1.html"]
    raw = (tmp_path / "notices" / "s1.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "班级,学号,学生姓名,通知"
    assert lines[1].startswith("3-1,a1,陈小明,陈小明同学本学期课后服务：周二 16:20–17:50 足球")
    assert len(lines) == 6
    page = (tmp_path / "notices" / "s1.html").read_text(encoding="utf-8")
    assert "@page{size:A4" in page
    assert page.count("<section>") == 2  # classes 3-1 and 3-2, each from a new page
    assert "a5同学本学期课后服务：周二 16:20–17:00 国际象棋（r302）。" in page


def test_report_compares_with_the_lottery_baseline_and_csv_lists_the_waiting(tmp_path):
    from models.solution import Kpis, SchoolLottery

    loaded = load_school(NAMED)
    solution = solution_for(
        loaded, valid_sections(),
        waitlists=[Waitlist(school="s1", activity="robotics", students=["a4", "a1"])],
        lottery=[SchoolLottery(school="s1", seed=0, numbers={"a4": 5, "a1": 9})],
        lottery_baseline=Kpis(students_with_choices=4, any_choice_share=0.5, envy=2,
                              rank_shares=[0.25, 0.25], students_with_none=2))
    export_all(loaded, solution, tmp_path, formats={"csv", "html"}, lang="en")
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "Compare: sign-up in published lottery order on the same sections" in page
    assert "<td>Students envious (someone ranking it lower got it)</td><td>0</td><td>2</td>" in page
    rows = (tmp_path / "csv" / "waitlists.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1:] == ["s1,robotics,1,a4,5,机器人,", "s1,robotics,2,a1,9,机器人,陈小明"]
