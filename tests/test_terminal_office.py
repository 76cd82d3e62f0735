"""What the office reads in the terminal (issue 11 §6): the file's language (`--lang`
overrides), `solve` repeating `check`'s warnings and saying first that `check` refuses a
file, and pre-check findings summarised (the few that decide it first)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from models.loader import load
from scheduler.cli import main
from scheduler.explain.prechecks import decisive, prechecks
from scheduler.messages import Say

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DATA = Path(__file__).parent / "data" / "infeasible"


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def spec_copy(tmp: Path, old: str = "", new: str = "") -> Path:
    shutil.copy(EXAMPLES / "spec_students.csv", tmp / "spec_students.csv")
    path = tmp / "spec.yaml"
    path.write_text((EXAMPLES / "spec.yaml").read_text(encoding="utf-8").replace(old, new),
                    encoding="utf-8")
    return path


def many_conflicts(tmp: Path, language: str = "zh") -> Path:
    """Six grades every weekday, the only teacher capped at 0: 71 pre-check conflicts."""
    grades = "\n".join(f'      {g}: {{dismissal: "15:30"}}' for g in range(1, 7))
    students = "\n".join(f"      - {{id: a{g}{i}, grade: {g}, days: [mon, tue, wed, thu, fri]}}"
                         for g in range(1, 7) for i in range(3))
    path = tmp / "many.yaml"
    path.write_text(f"""version: 1
language: {language}
term: {{name: tiny, start: 2027-03-01, end: 2027-03-12}}
schools:
  - id: s1
    enrolled: 100
    grades:
{grades}
    rooms:
      - {{id: r1, type: classroom, capacity: 40}}
    teachers:
      - {{id: t-li, name: 李老师, skills: [homework], max_class_hours_week: 0}}
    activities:
      - {{id: study, name: 作业辅导, category: homework, grades: [1, 2, 3, 4, 5, 6],
         max_size: 40, room_type: classroom, skill: homework, fallback: true}}
    students:
{students}
""", encoding="utf-8")
    return path


def bullets(text: str, after: str) -> list[str]:
    """The `  • ` lines right after the heading `after`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(after)) + 1
    found = []
    for line in lines[start:]:
        if not line.startswith("  • "):
            break
        found.append(line)
    return found


# --- the message catalogue --------------------------------------------------------------------

def test_the_catalogue_counts_in_both_languages() -> None:
    assert Say("en")("warnings", n=1) == "1 warning"
    assert Say("en")("warnings", n=3) == "3 warnings"
    assert Say("zh")("warnings", n=3) == "3 条警告"
    assert Say(None)("no_warnings") == "没有警告"  # Chinese unless told otherwise
    assert Say("en").kpi("covered_share") == "student-days supervised"
    assert Say("zh").kpi("covered_share") == "有人看护的人次"


# --- solve: progress, KPI table and messages in the file's language --------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_solve_speaks_the_files_language_or_lang(tmp_path: Path, lang: str) -> None:
    args = ["solve", str(EXAMPLES / "spec.yaml"), "-o", str(tmp_path / "out"), "--time-limit",
            "3", "--workers", "1"]
    result = run(*args, *(["--lang", "en"] if lang == "en" else []))
    assert result.exit_code == 0, result.output
    out = result.output
    if lang == "zh":  # spec.yaml says `language: zh`
        assert "求解中" in out
        assert "每周报名人次" in out and "有人看护的人次" in out  # the KPI table
        assert "得分" in out and "差距" in out
        assert "独立检查（afterschool verify）：所有规则均满足" in out
        assert f"已写入 {tmp_path / 'out' / 'solution.json'} 及" in out
        assert "registered student-days" not in out
    else:
        assert "solving" in out
        assert "registered student-days" in out and "student-days supervised" in out
        assert "independent check (afterschool verify): every rule holds" in out
        assert "每周报名人次" not in out


def test_an_infeasible_solve_says_so_in_chinese(tmp_path: Path) -> None:
    result = run("solve", str(DATA / "caps_zero.yaml"), "-o", str(tmp_path), "--time-limit", "5")
    assert result.exit_code == 3
    assert "无解：这个输入的规则不能同时满足。" in result.output
    assert "把 李老师 (t-li) 的 max_class_hours_week 从 0 提高到至少 1" in result.output
    assert f"已写入 {tmp_path / 'explanation.json'}" in result.output


# --- solve repeats check's warnings; a file check refuses is said to be refused first ---------

def test_solve_repeats_checks_warnings_before_the_search(tmp_path: Path) -> None:
    path = spec_copy(tmp_path)
    warnings = [str(w) for w in load(path).warnings]
    assert len(warnings) == 1
    result = run("solve", str(path), "-o", str(tmp_path / "out"), "--time-limit", "2",
                 "--workers", "1")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    heading = lines.index("afterschool check 对这个文件的警告（1 条）：")
    assert lines[heading + 1] == warnings[0]
    assert lines[heading + 2] == "1 条警告"
    assert result.output.index(warnings[0]) < result.output.index("求解中")


def test_solve_on_a_file_check_refuses_says_so_first(tmp_path: Path) -> None:
    path = spec_copy(tmp_path, "capacity: 60", "capcity: 60")
    checked = run("check", str(path))
    solved = run("solve", str(path), "-o", str(tmp_path / "out"))
    assert checked.exit_code == solved.exit_code == 2
    lines = solved.stderr.splitlines()
    assert lines[0] == ("afterschool check refuses this file (2 problem(s) below), so no search "
                        "was started:")
    assert lines[1:] == checked.stderr.splitlines()  # the same problems, then the count
    assert lines[-1] == "2 problem(s) found; nothing was written."
    assert not (tmp_path / "out").exists()
    chinese = run("solve", str(path), "-o", str(tmp_path / "out"), "--lang", "zh").stderr
    assert chinese.splitlines()[0] == ("afterschool check 拒绝这个文件（2 个问题，见下），"
                                       "所以不开始求解：")
    assert chinese.splitlines()[-1] == "发现 2 个问题；未写入任何文件。"


# --- pre-check findings: the decisive few first -------------------------------------------------

def test_check_says_when_a_pre_check_proves_no_timetable_exists(tmp_path: Path) -> None:
    result = run("check", str(many_conflicts(tmp_path)))
    assert result.exit_code == 0, result.output  # the file is valid; exit codes per SPEC §6
    heading = "预检查已证明排不出课表（afterschool explain 给出原因和修改建议）："
    shown = bullets(result.output, heading)
    assert len(shown) == 5
    assert shown[0] == "  • s1: 每周至少需要 10 个看护课时，教师最多能给 0，外聘最多 0"
    assert "……另有 66 条，见 afterschool explain" in result.output
    english = run("check", str(many_conflicts(tmp_path, "en")))
    assert "a pre-check already proves no timetable exists" in english.output
    assert "... and 66 more in afterschool explain" in english.output
    assert "pre-check" not in run("check", str(EXAMPLES / "primary.yaml"), "--lang",
                                  "en").output


def test_explain_shows_the_decisive_findings_and_keeps_all_in_the_json(tmp_path: Path) -> None:
    path = many_conflicts(tmp_path, "en")
    result = run("explain", str(path), "--time-limit", "20")
    assert result.exit_code == 0, result.output
    shown = bullets(result.output, "Pre-checks found:")
    assert len(shown) == 5
    assert shown[0].startswith("  • s1: at least 10 supervision class hours a week are needed")
    assert shown[1].startswith("  • s1: Mon 15:30–16:10: 18 students need supervision")
    assert "  ... and 66 more in afterschool explain --json" in result.output
    data = json.loads(run("explain", str(path), "--json", "--time-limit", "20").output)
    assert sum(f["severity"] == "conflict" for f in data["prechecks"]) == 71
    # The cause names the real culprit, not the pupils' sign-ups alone.
    assert "raise 李老师 (t-li)'s max_class_hours_week from 0 to at least 10" in result.output


def test_solve_points_to_explanation_json_for_the_rest(tmp_path: Path) -> None:
    result = run("solve", str(many_conflicts(tmp_path)), "-o", str(tmp_path / "out"),
                 "--time-limit", "10")
    assert result.exit_code == 3
    assert "……另有 66 条，见 explanation.json" in result.output
    data = json.loads((tmp_path / "out" / "explanation.json").read_text(encoding="utf-8"))
    assert len(data["prechecks"]) == 72


def test_decisive_findings_come_first() -> None:
    from models.instance import build_instance

    findings = decisive(prechecks(build_instance(load(DATA / "no_staff.yaml").district)))
    kinds = [f.kind for f in findings]
    assert kinds[0] == "week"  # the school-wide shortfall decides it
    conflicts = [f for f in findings if f.severity == "conflict"]
    assert findings[:len(conflicts)] == conflicts  # every conflict before any note


def test_explain_follows_lang_over_the_files_language() -> None:
    chinese = run("explain", str(DATA / "caps_zero.yaml"), "--time-limit", "20")  # language: zh
    assert "原因 1：以下规则不能同时满足" in chinese.output
    english = run("explain", str(DATA / "caps_zero.yaml"), "--time-limit", "20", "--lang", "en")
    assert "Cause 1: these rules cannot all hold" in english.output
    assert "raise 李老师 (t-li)'s max_class_hours_week from 0 to at least 1 " \
        "[alone makes it feasible]" in english.output
    data = json.loads(run("explain", str(DATA / "caps_zero.yaml"), "--json", "--lang",
                          "en").output)
    assert data["language"] == "en"
