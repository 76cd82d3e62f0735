"""Everything people look at, made from `solution.json` and the input (SPEC §5).

`export_all` writes, under `out_dir`:
- `csv/`: assignments.csv, sections.csv, unserved.csv, expenditure.csv (UTF-8 with BOM);
- `xlsx/<school>.xlsx`: KPI, expenditure, timetable grids, students;
- `xlsx/rollcall/<school>.xlsx`: an index and a roll-call sheet (点名表) per section;
- `ics/<school>/teachers|students/<id>.ics`, `ics/providers/<id>.ics`;
- `report/index.html`, `report/expenditure.html`: the offline HTML report;
- `notices/<school>.csv`, `notices/<school>.html`: parents' notices, one per student.
Labels follow the file's `language` unless `lang` overrides it. The folder is written all
or nothing (`scheduler.output.output_folder`). See docs/views.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from models.loader import Loaded
from models.solution import Solution
from scheduler.output import output_folder

from .calendar import write_calendars
from .context import ViewData
from .i18n import Labels, Lang
from .notices import write_notices
from .report import write_report
from .tables import write_tables
from .workbook import write_workbooks

FORMATS: dict[str, tuple[str, Callable[[ViewData, Path], list[Path]]]] = {
    "csv": ("csv", write_tables),
    "xlsx": ("xlsx", write_workbooks),
    "ics": ("ics", write_calendars),
    "html": ("report", write_report),
    "notices": ("notices", write_notices),
}
ALL_FORMATS = frozenset(FORMATS)


def parse_formats(text: str) -> set[str]:
    """`csv,xlsx` → {"csv", "xlsx"}; `all` means every format; unknown names are errors."""
    chosen = {part.strip().lower() for part in text.split(",") if part.strip()}
    if "all" in chosen:
        return set(ALL_FORMATS)
    unknown = chosen - ALL_FORMATS
    if unknown or not chosen:
        names = ", ".join(sorted(FORMATS))
        raise ValueError(f"unknown format {', '.join(sorted(unknown)) or '(none)'}; "
                         f"choose from {names}")
    return chosen


def export_all(loaded: Loaded, solution: Solution, out_dir: str | Path,
               formats: Iterable[str] = ALL_FORMATS, lang: Lang | None = None,
               source: str = "solution.json", inputs: Iterable[Path] = ()) -> list[Path]:
    """Write the chosen views of `solution` into `out_dir`, replacing the folders of those
    formats whole (the user's own files in them are kept); return the files written."""
    chosen = _checked(formats)
    data = view_data(loaded, solution, lang, source)
    names = folder_names(chosen)
    with output_folder(Path(out_dir), names, inputs) as out:
        written = write_views(data, out.path, chosen)
        out.commit()
        return out.final(written)


def view_data(loaded: Loaded, solution: Solution, lang: Lang | None = None,
              source: str = "solution.json") -> ViewData:
    """What every view is made from; refuses a solution that names what the input lacks."""
    district = loaded.district
    return ViewData.build(district, solution, Labels(lang or district.language), source)


def write_views(data: ViewData, out: Path, formats: Iterable[str] = ALL_FORMATS) -> list[Path]:
    """Write the chosen views under `out` (a fresh folder); return the files written."""
    written: list[Path] = []
    for name in sorted(_checked(formats), key=list(FORMATS).index):
        folder, writer = FORMATS[name]
        written += writer(data, out / folder)
    return written


def folder_names(formats: Iterable[str]) -> set[str]:
    """The top-level folders the chosen formats write."""
    return {FORMATS[name][0] for name in _checked(formats)}


def _checked(formats: Iterable[str]) -> set[str]:
    chosen = set(formats)
    unknown = chosen - ALL_FORMATS
    if unknown:
        raise ValueError(f"unknown format {', '.join(sorted(unknown))}")
    return chosen


__all__ = ["ALL_FORMATS", "FORMATS", "Labels", "ViewData", "export_all", "folder_names",
           "parse_formats", "view_data", "write_views"]
