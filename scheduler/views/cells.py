"""Cell values safe to open in a spreadsheet (OWASP's CSV-injection guidance).

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a
formula by Excel and LibreOffice (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`), so such text
gets a leading `'`. Numbers, and text that is just a number (`-480.00`), are left alone.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?[0-9]+(\.[0-9]+)?$")


def neutral(value: object) -> object:
    """`value`, with a leading `'` if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if not _PLAIN_NUMBER.match(value):
            return "'" + value
    return value
