"""H1 time: sections start on their grades' period starts and end by `latest_end`.

It holds by construction in the model: the instance offers only such slots.
"""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("clock", "H1 time", hard=True, check=check.check, model=False)
