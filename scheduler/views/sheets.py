"""Sizing and printing a worksheet: text widths, row heights from wrapped lines, A4 pages.

Excel and LibreOffice do not grow a row for wrapped text in merged cells, nor reliably for
rows a program wrote, so a cell with more lines than its row showed without its last
line. Heights are therefore set from the text: each line's width in column units (a CJK
character is two), wrapped at the cell's width as a spreadsheet wraps it (at spaces, or
anywhere between CJK characters), times the font's line height.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

PAPER_A4 = 9  # openpyxl's (and the OOXML) paper size code for A4
DEFAULT_WIDTH = 8.43  # Excel's width of a column no one sized
DEFAULT_HEIGHT = 15.0  # points: a row of 11-point text
LINE_FACTOR = 1.45  # a line takes up to 1.45 × the font size in points (Noto CJK; DengXian 1.3)
PADDING = 4.0  # points above and below the text
MAX_HEIGHT = 409.0  # Excel's largest row height
_TOKENS = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+")


def char_width(ch: str) -> int:
    return 2 if ord(ch) > 0x2E80 else 1


def text_width(text: object) -> float:
    """Column width for text: its longest line, CJK characters counting two, plus margin."""
    longest = max((sum(char_width(c) for c in line) for line in str(text).split("\n")),
                  default=0)
    return longest + 2


def wrapped_lines(text: object, width: float) -> int:
    """Lines `text` takes in a wrapping cell `width` columns wide."""
    usable = max(1.0, width - 1)  # the cell's inner margins take about one column
    return sum(_line_count(line, usable) for line in str(text).split("\n"))


def _line_count(line: str, usable: float) -> int:
    lines, used = 1, 0.0
    for token in _TOKENS.findall(line):
        width = sum(char_width(c) for c in token)
        if token.isspace():
            used = used + width if used else 0.0  # spaces at a line's start vanish
            continue
        if used and used + width > usable:
            lines, used = lines + 1, 0.0
        if width > usable:  # a word longer than the cell breaks anywhere
            extra = math.ceil(width / usable) - 1
            lines, used = lines + extra, width - extra * usable
        else:
            used += width
    return lines


def column_widths(sheet: Worksheet) -> dict[int, float]:
    """Width of each sized column (a dimension covers `min..max`, or just its own letter
    until openpyxl fills those in on saving)."""
    widths: dict[int, float] = {}
    for letter, dimension in sheet.column_dimensions.items():
        if dimension.width is None:
            continue
        first = dimension.min or column_index_from_string(letter)
        for col in range(first, (dimension.max or first) + 1):
            widths[col] = dimension.width
    return widths


def fit_row_heights(sheet: Worksheet) -> None:
    """Make every row tall enough for its wrapped cells; a block merged over several rows
    shares its extra height among them. Rows of single-line text are left to the program
    (it fits a row to its font)."""
    widths = column_widths(sheet)
    merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
    book = sheet.parent
    need: dict[int, float] = defaultdict(float)
    tall: list[tuple[int, int, float]] = []
    for (row, col), cell in sheet._cells.items():  # only the cells written, not a rectangle
        style = cell._style  # None for a cell never styled: it does not wrap
        if cell.value is None or style is None or not book._alignments[style.alignmentId].wrap_text:
            continue
        box = merged.get((row, col))
        last_col, last_row = (box.max_col, box.max_row) if box else (col, row)
        width = sum(widths.get(c, DEFAULT_WIDTH) for c in range(col, last_col + 1))
        size = book._fonts[style.fontId].sz or 11
        height = wrapped_lines(cell.value, width) * size * LINE_FACTOR + PADDING
        if last_row > row:
            tall.append((row, last_row, height))
        else:
            need[row] = max(need[row], height)
    for first, last, height in tall:
        rows = range(first, last + 1)
        have = sum(max(need[r], DEFAULT_HEIGHT) for r in rows)
        if have < height:
            extra = (height - have) / len(rows)
            for r in rows:
                need[r] = max(need[r], DEFAULT_HEIGHT) + extra
    for row, height in need.items():
        if height > DEFAULT_HEIGHT:
            sheet.row_dimensions[row].height = min(round(height + 0.05, 1), MAX_HEIGHT)


def print_setup(sheet: Worksheet, landscape: bool, title_rows: str | None = None) -> None:
    """A4 (China's paper, not Letter), one page wide, header rows on every page."""
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows
