"""Progress as Listings: per unit, per task, and one unit task by task."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ..models import Division
from ..render import Column, Listing, Row
from ..vocabulary import HEADERS, STATE_LABELS
from .tasks import NUMBER_COLUMN, TIME_COLUMN, task_row

PROGRESS_COLUMNS = (
    Column("unit", HEADERS["unit"], ratio=1),
    Column("owed", HEADERS["owed"], number_format="d"),
    *(
        Column(state, STATE_LABELS[state], number_format="d")
        for state in ("done", "on_track", "behind", "not_reported")
    ),
    Column("overdue", HEADERS["overdue"], number_format="d"),
    Column("rate", HEADERS["rate"]),
)
UNIT_PROGRESS_COLUMNS = (
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", HEADERS["requirement"], ratio=3, clip=2),
    Column("state", HEADERS["status"]),
)
TASK_REPORT_COLUMNS = (
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("owing", HEADERS["owing"], number_format="d"),
    Column("reporting", HEADERS["reporting"], number_format="d"),
    Column("not_reported", HEADERS["not_reported_units"], ratio=2),
    Column("reported", HEADERS["reported_units"], ratio=1),
)
BAR_WIDTH = 10


def _progress_counts(p: Any) -> dict[str, Any]:
    """A unit's progress counts, under the keys both the table and the JSON use."""
    keys = ("unit", "owed", "done", "on_track", "behind", "not_reported", "overdue")
    return {key: getattr(p, key) for key in keys}


def _bar(rate: float) -> str:
    filled = round(rate * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled) + f" {rate:.0%}"


def progress_listing(
    division: Division,
    summary: Sequence[Any],
    reports: Sequence[Any],
    today: date,
    one_unit: str | None,
    by_task: bool = False,
) -> Listing:
    """Per unit: owed, done, on track, behind, not reported, overdue and the completion rate; per task who reported.

    The JSON holds both; a table shows the units, or with `by_task` the tasks (which units have reported and which
    have not), or with one unit its tasks one by one with their state.
    """
    from ..progress.status import STATE_LABELS

    def payload() -> dict[str, Any]:
        return {
            "today": today,
            "units": [
                _progress_counts(p)
                | {
                    "completion_rate": round(p.completion_rate, 4),
                    "states": {str(number): state for number, state in p.states.items()},
                }
                for p in summary
            ],
            "tasks": [
                {"task": r.task, "reported": list(r.reported), "not_reported": list(r.not_reported)} for r in reports
            ],
        }

    if one_unit is not None and summary:
        states = summary[0].states
        tasks = [t for t in division.tasks if division.task_id(t) in states]

        def unit_rows() -> list[Row]:
            return [task_row(division, t) | {"state": STATE_LABELS[states[division.task_id(t)]]} for t in tasks]

        title = f"{one_unit}：{_summary_text(summary[0])}（今天按 {today.isoformat()} 计）"
        return Listing(UNIT_PROGRESS_COLUMNS, unit_rows, payload, title=title)

    if by_task:
        by_id = {division.task_id(t): t for t in division.tasks}

        def task_rows() -> list[Row]:
            return [
                task_row(division, by_id[r.task])
                | {
                    "owing": len(r.reported) + len(r.not_reported),
                    "reporting": len(r.reported),
                    "not_reported": "、".join(r.not_reported),
                    "reported": "、".join(r.reported),
                }
                for r in reports
            ]

        complete = sum(1 for r in reports if not r.not_reported)
        title = f"各项任务报送情况（今天按 {today.isoformat()} 计）：{len(reports)} 项，{complete} 项各单位均已报送"
        return Listing(TASK_REPORT_COLUMNS, task_rows, payload, title=title)

    def rows() -> list[Row]:
        return [_progress_counts(p) | {"rate": _bar(p.completion_rate)} for p in summary if p.owed]

    total_owed = sum(p.owed for p in summary)
    total_done = sum(p.done for p in summary)
    overall = total_done / total_owed if total_owed else 0.0
    title = (
        f"落实情况（今天按 {today.isoformat()} 计）：应办 {total_owed} 项次，已完成 {total_done}，完成率 {overall:.0%}"
    )
    return Listing(PROGRESS_COLUMNS, rows, payload, title=title)


def _summary_text(p: Any) -> str:
    # A task 未达预期 past its date is counted under both; say so, so the counts add up for the reader.
    both = sum(1 for state in p.states.values() if state == "behind_overdue")
    overlap = f"（其中未达预期 {both}）" if both else ""
    return (
        f"应办 {p.owed}，已完成 {p.done}，按序时推进 {p.on_track}，未达预期 {p.behind}，"
        f"未报送 {p.not_reported}，逾期 {p.overdue}{overlap}，完成率 {p.completion_rate:.0%}"
    )
