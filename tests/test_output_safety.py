"""No data lost (issue 11 §1): a run never writes onto its inputs, writes all its outputs or
none, keeps what Ctrl-C interrupted, refuses a folder another run is writing, keeps the
user's own files, and gives every id its own calendar file."""

from __future__ import annotations

import fcntl
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_import_fet import TINY_FET, TINY_TIMETABLE
from test_views_fixtures import SMALL_YAML, small

import scheduler.cli as cli
import scheduler.search as search_module
from scheduler.cli import main
from scheduler.output import LOCK_NAME, MANIFEST_NAME
from scheduler.solver.interrupts import noticing_interrupts
from scheduler.solver.settings import SolveSettings, SolveStatus, make_solver
from scheduler.solver.solve import Result
from scheduler.views import FORMATS
from scheduler.views.files import safe_name

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCHOOL = "nanshan-1"


def run(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def school_yaml(tmp_path: Path) -> Path:
    for name in ("spec.yaml", "spec_students.csv"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    return tmp_path / "spec.yaml"


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "form.csv"
    path.write_text("学号,年级,班级,星期,志愿1\na01,3,3-1,周一,足球\n", encoding="utf-8")
    return path


# --- never onto an input ----------------------------------------------------------------


def test_signups_into_the_school_file_itself_is_refused(school_yaml: Path, sheet: Path):
    before = school_yaml.read_bytes()
    result = run(
        "import", "signups", sheet, "--school", SCHOOL, "--into", school_yaml, "-o", school_yaml
    )
    assert result.exit_code == 2
    assert f"-o {school_yaml} is also the school YAML (--into) this run reads" in result.output
    assert school_yaml.read_bytes() == before


def test_signups_onto_the_sheet_is_refused_also_through_a_symlink_or_hard_link(
    sheet: Path, tmp_path: Path
):
    before = sheet.read_bytes()
    (tmp_path / "soft.csv").symlink_to(sheet)
    os.link(sheet, tmp_path / "hard.csv")
    for out in (sheet, tmp_path / "soft.csv", tmp_path / "hard.csv", tmp_path / "." / sheet.name):
        result = run("import", "signups", sheet, "--school", SCHOOL, "-o", out)
        assert result.exit_code == 2, out
        assert "is also the sign-up sheet this run reads" in result.output
    assert sheet.read_bytes() == before


def test_fet_onto_the_fet_file_or_its_timetable_is_refused(tmp_path: Path):
    fet = tmp_path / "tiny.fet"
    fet.write_text(TINY_FET, encoding="utf-8")
    timetable = tmp_path / "tiny_activities.xml"
    timetable.write_text(TINY_TIMETABLE, encoding="utf-8")
    assert run("import", "fet", fet, "-o", fet).exit_code == 2
    found = run("import", "fet", fet, "--timetable", tmp_path, "-o", timetable)
    assert found.exit_code == 2 and "is also the FET timetable" in found.output
    assert fet.read_text(encoding="utf-8") == TINY_FET
    assert timetable.read_text(encoding="utf-8") == TINY_TIMETABLE


def test_signups_link_failure_puts_the_csv_back(
    school_yaml: Path, sheet: Path, tmp_path: Path, monkeypatch
):
    import scheduler.importers.signups as signups

    out = tmp_path / "students.csv"
    out.write_text("an earlier roster", encoding="utf-8")
    before = school_yaml.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(signups, "_link", interrupted)  # after the CSV was written
    result = run("import", "signups", sheet, "--school", SCHOOL, "--into", school_yaml, "-o", out)
    assert result.exit_code == 130
    assert "interrupted:" in result.output and "left as they were" in result.output
    assert out.read_text(encoding="utf-8") == "an earlier roster"
    assert school_yaml.read_bytes() == before


def test_solve_reading_a_file_it_would_replace_is_refused_before_solving(
    tmp_path: Path, monkeypatch
):
    (tmp_path / "solution.json").write_text(SMALL_YAML, encoding="utf-8")  # YAML, oddly named
    monkeypatch.setattr(search_module, "solve_district", _must_not_run)
    result = run("solve", tmp_path / "solution.json", "-o", tmp_path)
    assert result.exit_code == 2
    assert "is an input of this run and would be replaced" in result.output
    assert (tmp_path / "solution.json").read_text(encoding="utf-8") == SMALL_YAML


def _must_not_run(*args, **kwargs):
    raise AssertionError("the search ran")


# --- solve: all or nothing, and Ctrl-C ------------------------------------------------------


@pytest.fixture
def solved(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """An input and a folder holding an earlier solve's outputs (the search is faked with
    the hand-made timetable of the view tests, to stay fast)."""
    source = tmp_path / "small.yaml"
    source.write_text(SMALL_YAML, encoding="utf-8")
    _, solution = small()
    monkeypatch.setattr(
        search_module,
        "solve_district",
        lambda *args, **kwargs: Result(SolveStatus.OPTIMAL, solution.model_copy()),
    )
    out = tmp_path / "out"
    result = run("solve", source, "-o", out)
    assert result.exit_code in (0, 1), result.output  # 1: the hand-made timetable's score
    assert (out / "solution.json").is_file() and (out / "csv" / "sections.csv").is_file()
    return source, out


def test_ctrl_c_during_the_search_leaves_the_folder_as_it_was(solved, monkeypatch):
    source, out = solved
    before = snapshot(out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(search_module, "solve_district", interrupted)
    result = run("solve", source, "-o", out)
    assert result.exit_code == 130
    assert f"interrupted: {out} left as it was" in result.output
    assert snapshot(out) == before


def test_ctrl_c_while_views_are_written_leaves_the_folder_as_it_was(solved, monkeypatch):
    source, out = solved
    before = snapshot(out)
    folder, _ = FORMATS["xlsx"]

    def interrupted(data, where):
        raise KeyboardInterrupt  # csv/ is already written in the fresh folder by now

    monkeypatch.setitem(FORMATS, "xlsx", (folder, interrupted))
    result = run("solve", source, "-o", out)
    assert result.exit_code == 130
    assert f"interrupted: {out} left as it was" in result.output
    assert snapshot(out) == before


def test_ctrl_c_during_the_swap_waits_until_the_folder_is_whole(solved, monkeypatch):
    import scheduler.output as output

    source, out = solved
    moves = []
    real_move = output._move

    def move(source_path, dest):
        moves.append(dest)
        if len(moves) == 3:
            os.kill(os.getpid(), signal.SIGINT)  # mid-swap: held back until it is done
        return real_move(source_path, dest)

    monkeypatch.setattr(output, "_move", move)
    (out / "csv" / "sections.csv").write_text("old", encoding="utf-8")
    result = run("solve", source, "-o", out)
    assert result.exit_code == 130
    assert f"interrupted: {out} holds this run's outputs" in result.output
    assert len(moves) > 3
    assert (out / "csv" / "sections.csv").read_text(encoding="utf-8-sig").startswith("教学班,学校")
    assert (out / "ics").is_dir() and (out / "xlsx").is_dir()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".afterschool-new")]


def _pigeonhole():
    """15 pigeons in 14 holes: CP-SAT needs far longer than a test to prove it impossible."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    pigeons = [[model.new_bool_var(f"p{p}h{h}") for h in range(14)] for p in range(15)]
    for row in pigeons:
        model.add_exactly_one(row)
    for hole in zip(*pigeons, strict=True):
        model.add_at_most_one(hole)
    return model


def _pigeonhole_solver():
    solver = make_solver(SolveSettings(time_limit=60, workers=1))
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_presolve = False
    return solver


def test_a_real_sigint_stops_cp_sat_and_raises_keyboard_interrupt():
    """CP-SAT would swallow Ctrl-C and return its best timetable as if time had run out."""
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt), noticing_interrupts():
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
        _pigeonhole_solver().solve(_pigeonhole())
    assert time.perf_counter() - started < 10
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_real_sigint_during_solve_keeps_the_folder(solved, monkeypatch):
    """The search stops on Ctrl-C with a timetable in hand, as CP-SAT's would: not written."""
    source, out = solved
    before = snapshot(out)
    _, solution = small()

    def search(*args, **kwargs):
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        _pigeonhole_solver().solve(_pigeonhole())
        return Result(SolveStatus.FEASIBLE, solution)  # what a swallowed Ctrl-C gave before

    monkeypatch.setattr(search_module, "solve_district", search)
    result = run("solve", source, "-o", out)
    assert result.exit_code == 130, result.output
    assert f"interrupted: {out} left as it was" in result.output
    assert snapshot(out) == before


def test_a_solved_run_replaces_an_earlier_explanation_an_infeasible_one_keeps_the_timetable(
    solved, monkeypatch
):
    source, out = solved
    timetable = (out / "solution.json").read_bytes()
    infeasible = Result(SolveStatus.INFEASIBLE)
    monkeypatch.setattr(search_module, "solve_district", lambda *a, **k: infeasible)
    monkeypatch.setattr(cli, "explain_input", lambda *a, **k: '{"status": "INFEASIBLE"}')
    assert run("solve", source, "-o", out).exit_code == 3
    assert (out / "explanation.json").is_file()
    assert (out / "solution.json").read_bytes() == timetable  # the last good timetable stays
    _, solution = small()
    monkeypatch.setattr(
        search_module, "solve_district", lambda *a, **k: Result(SolveStatus.OPTIMAL, solution)
    )
    assert run("solve", source, "-o", out).exit_code in (0, 1)
    assert not (out / "explanation.json").exists()  # it was about an earlier input


def test_leftovers_of_a_killed_run_are_tidied(solved):
    source, out = solved
    (out / ".afterschool-new-abc").mkdir()
    (out / ".afterschool-new-abc" / "half.csv").write_text("half", encoding="utf-8")
    assert run("solve", source, "-o", out).exit_code in (0, 1)
    assert not (out / ".afterschool-new-abc").exists()


# --- one run at a time -----------------------------------------------------------------------


def test_a_folder_another_run_is_writing_is_refused(solved, monkeypatch):
    source, out = solved
    before = snapshot(out)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the other run holds it
        os.write(fd, b"4242\n")
        monkeypatch.setattr(search_module, "solve_district", _must_not_run)
        result = run("solve", source, "-o", out)
        assert result.exit_code == 2
        assert f"another afterschool run is writing {out} (pid 4242)" in result.output
        exported = run("export", source, out / "solution.json", "-o", out)
        assert exported.exit_code == 2 and "(pid 4242)" in exported.output
        assert snapshot(out) == {**before, LOCK_NAME: b"4242\n"}
    finally:
        os.close(fd)


def test_a_stale_lock_of_a_dead_run_is_taken_over(solved):
    source, out = solved
    (out / LOCK_NAME).write_text("999999\n", encoding="utf-8")  # no process holds it
    result = run("export", source, out / "solution.json", "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert not (out / LOCK_NAME).exists()


# --- the user's own files ----------------------------------------------------------------


def test_export_keeps_the_users_own_files_and_drops_only_its_own_old_ones(tmp_path: Path):
    source = tmp_path / "small.yaml"
    source.write_text(SMALL_YAML, encoding="utf-8")
    loaded, solution = small()
    saved = tmp_path / "solution.json"
    saved.write_text(solution.model_dump_json(), encoding="utf-8")
    out = tmp_path / "out"
    assert run("export", source, saved, "--format", "ics,csv", "-o", out).exit_code == 0
    child = out / "ics" / "s1" / "students" / "s04.ics"
    assert child.is_file()
    (out / "notes.txt").write_text("the office's notes", encoding="utf-8")
    (out / "ics" / "family.ics").write_text("BEGIN:VCALENDAR", encoding="utf-8")
    (out / "ics" / "s1" / "students" / "mine.ics").write_text("mine", encoding="utf-8")
    for section in solution.sections:  # s04 has no section any more: no calendar for them
        section.students = [s for s in section.students if s != "s04"]
    solution.unserved = []
    saved.write_text(solution.model_dump_json(), encoding="utf-8")
    csv_before = snapshot(out / "csv")
    result = run("export", source, saved, "--format", "ics", "-o", out)
    assert result.exit_code == 0, result.output
    assert not child.exists()  # export made it, and the timetable no longer has it
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the office's notes"
    assert (out / "ics" / "family.ics").read_text(encoding="utf-8") == "BEGIN:VCALENDAR"
    assert (out / "ics" / "s1" / "students" / "mine.ics").read_text(encoding="utf-8") == "mine"
    assert snapshot(out / "csv") == csv_before  # not asked for: untouched
    assert MANIFEST_NAME in os.listdir(out)


# --- calendar file names ------------------------------------------------------------------


IDS = [
    "a/b",
    "a_b",
    "a:b",
    "A_b",
    "a~b",
    "a\\b",
    "a b",
    "a.b",
    "a..",
    "..",
    ".",
    "",
    " ",
    "con",
    "CON",
    "nul.txt",
    "张三",
    "张三/1",
    "张三_1",
    "x" * 100,
    "x" * 101,
    "张" * 100,
    "s04",
    "t-li",
    "a\x00b",
    "a*b",
    "a?b",
]


def test_distinct_ids_get_distinct_bounded_file_names(tmp_path: Path):
    names = [safe_name(i) for i in IDS]
    assert len(set(names)) == len(IDS)
    assert len({n.lower() for n in names}) == len(IDS)  # also where case is ignored
    for name in names:
        assert "/" not in name and "\\" not in name and name not in ("", ".", "..")
        assert len(name.encode("utf-8")) <= 100
        (tmp_path / f"{name}.ics").write_text("ok", encoding="utf-8")  # never "too long"
    assert len(list(tmp_path.iterdir())) == len(IDS)
    assert safe_name("s04") == "s04" and safe_name("张三") == "张三"  # plain ids stay as they are
    assert safe_name("a/b").startswith("a_b~")


def test_calendars_of_ids_that_once_shared_a_file_are_separate(tmp_path: Path):
    """Before, `A_b`, `a_b` and `a:b` all wrote ics/s1/students/a_b.ics: one child's
    calendar replaced the others' (`/` is now refused in ids by `check`)."""
    import icalendar

    from models.loader import load_text
    from scheduler.views import export_all

    renamed = {"s06": "A_b", "s07": "a_b", "s08": "a:b"}
    text = SMALL_YAML
    for old, new in renamed.items():
        text = text.replace(f"{{id: {old},", f'{{id: "{new}",')
    loaded = load_text(text, "small.yaml")
    _, solution = small()
    for section in solution.sections:
        section.students = [renamed.get(s, s) for s in section.students]
    export_all(loaded, solution, tmp_path, {"ics"})
    folder = tmp_path / "ics" / "s1" / "students"
    for sid in renamed.values():
        calendar = icalendar.Calendar.from_ical((folder / f"{safe_name(sid)}.ics").read_bytes())
        assert str(calendar["X-WR-CALNAME"]).startswith(f"{sid} ")
        mine = {s.id for s in solution.sections if sid in s.students}
        assert {str(e["DESCRIPTION"]).split(": ")[-1] for e in calendar.walk("VEVENT")} == mine
    assert len(list(folder.glob("*.ics"))) == 11  # every child of s1 has sections
