"""Query answers as Listings, the display rows and the documented JSON contract, one module per area.

The names below load their module on first use, so that a query pays only for the views it shows. `views.diff`
is not among them: only `gongkai diff` needs it, and it loads the diff package with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .progress import progress_listing
    from .reminders import reminder_listing, reminder_messages
    from .tables import table_heading, tables_listing
    from .tasks import (
        contents_listing,
        scoring_listing,
        search_listing,
        section_heading,
        section_label,
        show_listing,
        task_listing,
        timeline_listing,
    )
    from .units import UNIT_ORDERS, group_members_line, summary_listing, unit_listing

_HOMES = {
    "progress_listing": "progress",
    **dict.fromkeys(("reminder_listing", "reminder_messages"), "reminders"),
    **dict.fromkeys(("table_heading", "tables_listing"), "tables"),
    **dict.fromkeys(
        (
            "contents_listing",
            "scoring_listing",
            "search_listing",
            "section_heading",
            "section_label",
            "show_listing",
            "task_listing",
            "timeline_listing",
        ),
        "tasks",
    ),
    **dict.fromkeys(("UNIT_ORDERS", "group_members_line", "summary_listing", "unit_listing"), "units"),
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
    "UNIT_ORDERS",
    "contents_listing",
    "group_members_line",
    "progress_listing",
    "reminder_listing",
    "reminder_messages",
    "scoring_listing",
    "search_listing",
    "section_heading",
    "section_label",
    "show_listing",
    "summary_listing",
    "table_heading",
    "tables_listing",
    "task_listing",
    "timeline_listing",
    "unit_listing",
]
