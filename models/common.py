"""Small value types shared by the input and the solution: clock times, windows, weekdays."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationInfo,
)

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_clock(value: object) -> int:
    """Read "HH:MM" (24-hour, two digits each) as minutes after midnight."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"expected a time like \"15:30\", got {value!r}")
    if isinstance(value, int):
        # Only accept ints that came from our own serialisation round trip.
        if 0 <= value < 24 * 60:
            return value
        raise ValueError(f"expected a time like \"15:30\", got {value!r}")
    match = _HHMM.match(value.strip())
    if not match:
        raise ValueError(f"expected a time like \"15:30\" (HH:MM, 00:00-23:59), got {value!r}")
    return int(match.group(1)) * 60 + int(match.group(2))


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


FROM_FILE = {"from_file": True}  # validation context of the loader: times must be text


def _text_only(value: object, info: ValidationInfo) -> None:
    """In a file, a time is always text: a bare number like 930 is a mistake, not 15:30."""
    if isinstance(value, int) and not isinstance(value, bool) and (info.context or {}).get(
        "from_file"
    ):
        raise ValueError(f"expected a time like \"15:30\", got the number {value!r}")


def _clock(value: object, info: ValidationInfo) -> int:
    _text_only(value, info)
    return parse_clock(value)


Clock = Annotated[int, BeforeValidator(_clock), PlainSerializer(format_clock, return_type=str)]


def parse_window(value: object) -> tuple[int, int]:
    """Read "HH:MM-HH:MM" as a (start, end) pair of minutes, start before end."""
    if isinstance(value, list | tuple) and len(value) == 2:
        start, end = parse_clock(value[0]), parse_clock(value[1])
    elif isinstance(value, str) and value.count("-") == 1:
        left, right = value.split("-")
        start, end = parse_clock(left.strip()), parse_clock(right.strip())
    else:
        raise ValueError(f"expected a time window like \"15:30-18:00\", got {value!r}")
    if start >= end:
        raise ValueError(f"window {value!r} ends before it starts")
    return start, end


def format_window(window: tuple[int, int]) -> str:
    return f"{format_clock(window[0])}-{format_clock(window[1])}"


def _window(value: object, info: ValidationInfo) -> tuple[int, int]:
    if isinstance(value, list | tuple):
        for part in value:
            _text_only(part, info)
    return parse_window(value)


Window = Annotated[
    tuple[int, int],
    BeforeValidator(_window),
    PlainSerializer(format_window, return_type=str),
]


MAX_ID_LENGTH = 64
# Ids name files (calendars, workbooks) and join sections' ids with `/`; control and
# invisible characters (a tab, a zero-width space, a stray BOM) make two ids look alike.
_ID_SEPARATORS = ("/", "\\")
_EXCEL_NUMBER = re.compile(r"^[0-9](\.[0-9]+)?E\+[0-9]+$", re.IGNORECASE)


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def check_id(value: str) -> str:
    """The id rule (docs/input.md): 1 to 64 characters, no `/` `\\`, nothing invisible."""
    if not value.strip():
        raise ValueError("an id cannot be empty or only spaces")
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"an id may be at most {MAX_ID_LENGTH} characters (this one has "
                         f"{len(value)})")
    if value != value.strip():
        raise ValueError(f"the id {value!r} starts or ends with a space")
    for char in _ID_SEPARATORS:
        if char in value:
            raise ValueError(f"an id cannot contain {char!r} (got {value!r})")
    if any(_invisible(char) for char in value):
        raise ValueError(f"an id cannot contain control or invisible characters (got {value!r})")
    if _EXCEL_NUMBER.match(value):
        raise ValueError(f"the id {value!r} looks like a long number Excel shortened; its digits "
                         "are lost: format the column as Text in Excel and enter the ids again")
    return value


Id = Annotated[str, AfterValidator(check_id)]

MAX_NAME_LENGTH = 200
_CELL_REFUSES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl cannot store


def check_name(value: str) -> str:
    """Names are shown in every view: no character a spreadsheet cell refuses, not too long."""
    if len(value) > MAX_NAME_LENGTH:
        raise ValueError(f"a name may be at most {MAX_NAME_LENGTH} characters (this one has "
                         f"{len(value)})")
    if _CELL_REFUSES.search(value):
        raise ValueError(f"a name cannot contain control characters; got {value!r}")
    return value


Name = Annotated[str, AfterValidator(check_name)]


class Strict(BaseModel):
    """Base for every input record: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
