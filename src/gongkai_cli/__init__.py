"""gongkai: what each office owes under a city's annual 政务公开 task-division table, and by when.

The library works without the command line::

    from gongkai_cli import load_data, tasks_for_unit
    division = load_data()                       # the bundled data, validated (and cached)
    for owed in tasks_for_unit(division, "市司法局"):
        print(owed.task.number, owed.role, owed.task.time_limit.due)
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import DataError, GongkaiError, LookupFailedError, Problem
from .load import load_data
from .query import (
    DateWindow,
    Obligation,
    dated,
    due_window,
    find_section,
    find_task,
    obligations,
    resolve,
    search,
    tasks_for_unit,
    undated,
)

__all__ = [
    "DataError",
    "DateWindow",
    "GongkaiError",
    "LookupFailedError",
    "Obligation",
    "Problem",
    "__version__",
    "dated",
    "due_window",
    "find_section",
    "find_task",
    "load_data",
    "obligations",
    "resolve",
    "search",
    "tasks_for_unit",
    "undated",
]
