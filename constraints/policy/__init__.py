"""H8 policy: no forbidden or unapproved activity, no child over the daily class hours.

It holds by construction in the model: the instance offers only allowed activities.
"""

from __future__ import annotations

from constraints.common.family import Family

from . import check

FAMILY = Family("policy", "H8 policy", hard=True, check=check.check, model=False)
