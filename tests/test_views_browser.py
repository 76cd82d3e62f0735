"""The HTML report in a real headless Chromium: loads offline without script errors, the
filter shows only the chosen class's rows, and a screenshot is produced.

With CI=true these tests must run (CI installs chromium); elsewhere they skip without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_views_fixtures import small

from scheduler.views import export_all

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def browser() -> str:
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required in CI (.ci/run installs it)")
    pytest.skip("no chromium installed")


def run_browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [browser(), *FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


class Elements(HTMLParser):
    """Collects the report's section rows, grids and script-error paragraphs."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str | None]] = []
        self.grids: list[dict[str, str | None]] = []
        self.errors: list[dict[str, str | None]] = []
        self.body: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "tr" and "section" in classes:
            self.rows.append(found)
        elif tag == "div" and "grid" in classes:
            self.grids.append(found)
        elif "js-error" in classes:
            self.errors.append(found)
        elif tag == "body":
            self.body = found


def dom(tmp_path: Path, url: str) -> tuple[Elements, str]:
    done = run_browser(tmp_path, "--dump-dom", url)
    parsed = Elements()
    parsed.feed(done.stdout)
    return parsed, done.stderr


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "Uncaught" in line or ("CONSOLE" in line and "ERROR" in line.upper())]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    loaded, solution = small()
    out = tmp_path_factory.mktemp("report")
    export_all(loaded, solution, out, {"html"})
    return loaded, solution, out / "report" / "index.html"


def test_filter_by_class_from_the_address_shows_only_that_class(report, tmp_path):
    loaded, solution, index = report
    page, stderr = dom(tmp_path, index.as_uri() + "#class=3-2&school=s1")
    assert page.body.get("data-filter") == "class=3-2", "the filter script ran"
    assert page.errors == [] and console_errors(stderr) == []
    classes = {s.id: s.class_ for s in loaded.district.school("s1").students}
    wanted = {s.id for s in solution.sections
              if s.school == "s1" and any(classes[x] == "3-2" for x in s.students)}
    shown = {r["data-id"] for r in page.rows if "hidden" not in r}
    assert shown == wanted and len(wanted) == 3  # two Monday studies and football
    visible = [(g["data-kind"], g["data-key"]) for g in page.grids if "hidden" not in g]
    assert visible == [("class", "3-2")]


def test_filter_by_teacher_from_the_query(report, tmp_path):
    _, solution, index = report
    page, _ = dom(tmp_path, index.as_uri() + "?teacher=t-li")
    shown = {r["data-id"] for r in page.rows if "hidden" not in r}
    assert shown == {s.id for s in solution.sections if s.staff[0].teacher == "t-li"}


def test_a_screenshot_is_made(report, tmp_path):
    _, _, index = report
    shot = tmp_path / "report.png"
    done = run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1280,1800",
                       index.as_uri())
    assert console_errors(done.stderr) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_unfiltered_page_shows_everything_and_script_errors_would_be_seen(report, tmp_path):
    """The error check is not vacuous: a script error added to the page shows up on it."""
    _, solution, index = report
    broken = tmp_path / "broken.html"
    html = index.read_text(encoding="utf-8")
    broken.write_text(html.replace("</body>", "<script>notDefined();</script></body>"),
                      encoding="utf-8")
    page, _ = dom(tmp_path, broken.as_uri())
    assert len(page.errors) == 1
    assert len(page.rows) == len(solution.sections)
    assert all("hidden" not in r for r in page.rows)
    assert [g["data-kind"] for g in page.grids if "hidden" not in g] == ["school", "school"]


def test_report_has_no_network_assets(report):
    _, _, index = report
    for page in (index, index.with_name("expenditure.html")):
        html = page.read_text(encoding="utf-8")
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in html and "src=" not in html
        assert html.count("<svg") >= 1
