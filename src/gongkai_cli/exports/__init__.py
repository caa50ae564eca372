"""Files made from a table for other programs: a calendar (.ics) and the 台账 workbook units fill in (.xlsx).

Both are written by the one writer (`io.write`, as exports): a file is replaced atomically, so that a calendar or
workbook being imported is never read half-written, and a pipe or device is written into directly; a one-unit export is made for a roster unit (`query.roster_unit`: only units report, so a group is
refused). The workbook is written by workbook.py and read back, filled in, by filled.py.
"""

from __future__ import annotations

# The unit part of keys and names when an export covers every unit.
ALL_UNITS = "全部"


__all__ = ["ALL_UNITS"]
