"""What changed between two versions of a table: tasks added, removed, renumbered and reworded, and who is affected.

`match` pairs the tasks of two versions and works out the changes, `wording` diffs two requirements, `versions`
loads the version an argument names. The renderers live in `views.diff`.
"""

from __future__ import annotations

from .match import (
    SIMILARITY_THRESHOLD,
    TableDiff,
    TaskChange,
    UnitImpact,
    UnitsChange,
    diff_divisions,
    match_tasks,
)
from .versions import VersionNotFoundError, load_version
from .wording import Segment, markup, wording_diff

__all__ = [
    "SIMILARITY_THRESHOLD",
    "Segment",
    "TableDiff",
    "TaskChange",
    "UnitImpact",
    "UnitsChange",
    "VersionNotFoundError",
    "diff_divisions",
    "load_version",
    "markup",
    "match_tasks",
    "wording_diff",
]
