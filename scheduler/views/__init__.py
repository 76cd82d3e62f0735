"""Everything people look at, made from `solution.json` and the input (SPEC §5).

`export_all` writes, under `out_dir`:
- `csv/`: assignments.csv, sections.csv, unserved.csv, expenditure.csv (UTF-8 with BOM);
- `xlsx/<school>.xlsx`: KPI, expenditure, timetable grids, students, roll-call sheets;
- `ics/<school>/teachers|students/<id>.ics`, `ics/providers/<id>.ics`;
- `report/index.html`, `report/expenditure.html`: the offline HTML report.
Labels follow the file's `language` unless `lang` overrides it. See docs/views.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from models.loader import Loaded
from models.solution import Solution

from .calendar import write_calendars
from .context import ViewData
from .i18n import Labels, Lang
from .report import write_report
from .tables import write_tables
from .workbook import write_workbooks

FORMATS: dict[str, tuple[str, Callable[[ViewData, Path], list[Path]]]] = {
    "csv": ("csv", write_tables),
    "xlsx": ("xlsx", write_workbooks),
    "ics": ("ics", write_calendars),
    "html": ("report", write_report),
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
               source: str = "solution.json") -> list[Path]:
    """Write the chosen views of `solution` into `out_dir`; return the files written."""
    unknown = set(formats) - ALL_FORMATS
    if unknown:
        raise ValueError(f"unknown format {', '.join(sorted(unknown))}")
    district = loaded.district
    data = ViewData.build(district, solution, Labels(lang or district.language), source)
    out = Path(out_dir)
    written: list[Path] = []
    for name in sorted(set(formats), key=list(FORMATS).index):
        folder, writer = FORMATS[name]
        written += writer(data, out / folder)
    return written


__all__ = ["ALL_FORMATS", "FORMATS", "Labels", "ViewData", "export_all", "parse_formats"]
