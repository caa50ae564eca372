"""Files made from a table for other programs: a calendar (.ics) and the 台账 workbook units fill in (.xlsx).

Helpers shared by both: the task fingerprint that ties a filled-in row to the text it was issued with, and an
atomic write, so that a calendar or workbook being imported is never read half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# One definition of each, shared with progress records and every other writer.
from ..atomic import write_atomically
from ..models import Task
from ..progress import fingerprint

# Whether a unit has finished a task (for a recurring limit, one occurrence of it): task, unit name, due date.
# For a whole-table calendar the unit name is ALL_UNITS.
IsDone = Callable[[Task, str, date | None], bool]

# The unit part of keys and names when an export covers every unit.
ALL_UNITS = "全部"


__all__ = ["ALL_UNITS", "IsDone", "fingerprint", "write_atomically"]
