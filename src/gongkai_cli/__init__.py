"""gongkai: what each office owes under a city's annual 政务公开 task-division table, and by when.

The library works without the command line::

    from gongkai_cli import load_data, tasks_for_unit
    division = load_data()                       # the bundled data, validated (and cached)
    for owed in tasks_for_unit(division, "市司法局"):
        print(owed.task.number, owed.role, owed.task.time_limit.due)
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import DataError, GongkaiError, LookupFailedError, Problem
    from .load import load_data
    from .owing import Obligation, obligations
    from .query import (
        DateWindow,
        dated,
        due_window,
        find_section,
        find_task,
        resolve,
        search,
        tasks_for_unit,
        undated,
    )

# The library's names, imported on first use: the command line starts from this package, and should not pay
# for modules a command does not need before it has set the process up.
_HOMES = {
    **dict.fromkeys(("DataError", "GongkaiError", "LookupFailedError", "Problem"), "errors"),
    "load_data": "load",
    **dict.fromkeys(("Obligation", "obligations"), "owing"),
    **dict.fromkeys(
        (
            "DateWindow",
            "dated",
            "due_window",
            "find_section",
            "find_task",
            "resolve",
            "search",
            "tasks_for_unit",
            "undated",
        ),
        "query",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


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
