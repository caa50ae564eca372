"""Files made from a table for other programs: a calendar (.ics) and the 台账 workbook units fill in (.xlsx).

Helpers shared by both: the task fingerprint that ties a filled-in row to the text it was issued with, an
atomic write, so that a calendar or workbook being imported is never read half-written, and the roster unit a
one-unit export is made for.
"""

from __future__ import annotations

# write_atomically and fingerprint: one definition of each, shared with progress records and every other writer.
from ..atomic import write_atomically
from ..errors import LookupFailedError
from ..models import Division, Group, Unit
from ..progress import fingerprint
from ..query import resolve

# The unit part of keys and names when an export covers every unit.
ALL_UNITS = "全部"


def roster_unit(division: Division, name: str) -> Unit:
    """The roster unit `name` means (any name `resolve` accepts); LookupFailedError for a group as for an unknown
    name, since an export for one unit lists what that unit reports on, and only units report."""
    entity = resolve(division, name)
    if isinstance(entity, Group):
        raise LookupFailedError(f"“{name}”是群体，不是单位；请写成员单位的名称")
    return entity


__all__ = ["ALL_UNITS", "fingerprint", "roster_unit", "write_atomically"]
