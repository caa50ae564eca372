"""Files made from a table for other programs: a calendar (.ics) and the 台账 workbook units fill in (.xlsx).

Helpers shared by both: the task fingerprint that ties a filled-in row to the text it was issued with, an
atomic write, so that a calendar or workbook being imported is never read half-written, and the roster unit a
one-unit export is made for (only units report, so a group is refused).
"""

from __future__ import annotations

# write_atomically, fingerprint and roster_unit: one definition of each, shared with progress records and every
# other writer.
from ..atomic import write_atomically
from ..progress import fingerprint, roster_unit

# The unit part of keys and names when an export covers every unit.
ALL_UNITS = "全部"


__all__ = ["ALL_UNITS", "fingerprint", "roster_unit", "write_atomically"]
