"""Reminders as a Listing and as messages to paste into a work chat or a mail: overdue items first, then what falls
due soon, each with its own date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ..models import Division, Task
from ..render import Column, Listing, Message, Row
from ..vocabulary import HEADERS
from .tasks import NUMBER_COLUMN, TIME_COLUMN, section_label

OVERDUE_MARK = "逾期"
DUE_SOON_MARK = "将截止"
REMINDER_COLUMNS = (
    Column("unit", HEADERS["unit"], max_width=16, detail=Column("contact", HEADERS["contact"])),
    Column("state", HEADERS["reminder"], max_width=6),
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", HEADERS["requirement"], ratio=1, clip=2),
)


def _reminder_title(today: date, end: date) -> str:
    return f"提醒：已逾期或截止日期在 {today.isoformat()} 至 {end.isoformat()} 之间、尚未报送完成的任务"


def _marked(reminder: Any) -> list[tuple[str, Task, date]]:
    """The items of one reminder, overdue ones first, each with its mark."""
    return [(OVERDUE_MARK, task, day) for task, day in reminder.overdue] + [
        (DUE_SOON_MARK, task, day) for task, day in reminder.items
    ]


def reminder_listing(division: Division, found: Sequence[Any], today: date, end: date) -> Listing:
    """Per unit, what is overdue and what falls due from today to `end`, not reported done."""

    def rows() -> list[Row]:
        return [
            {
                "unit": reminder.unit,
                "contact": reminder.contact or "",
                "state": mark,
                "number": division.task_id(task),
                "section": section_label(division, task),
                "due": day.isoformat(),
                "time_limit": task.time_limit.text,
                "requirement": task.requirement,
            }
            for reminder in found
            for mark, task, day in _marked(reminder)
        ]

    def item(task: Task, day: date) -> dict[str, Any]:
        return {
            "task": division.task_id(task),
            "section": section_label(division, task),
            "due": day,
            "time_limit": task.time_limit.text,
            "requirement": task.requirement,
        }

    def payload() -> list[dict[str, Any]]:
        return [
            {
                "unit": r.unit,
                "contact": r.contact,
                "overdue": [item(task, day) for task, day in r.overdue],
                "items": [item(task, day) for task, day in r.items],
            }
            for r in found
        ]

    return Listing(REMINDER_COLUMNS, rows, payload, title=_reminder_title(today, end))


def _opening(reminder: Any) -> str:
    counts = []
    if reminder.overdue:
        counts.append(f"{len(reminder.overdue)} 项任务已逾期")
    if reminder.items:
        counts.append(f"{len(reminder.items)} 项任务即将截止")
    return f"以下 {'、'.join(counts)}，尚未报送完成，请抓紧落实并及时报送进展："


def reminder_messages(division: Division, found: Sequence[Any], today: date, end: date) -> tuple[str, list[Message]]:
    """The reminders as one message per unit, naming its contact, to paste into a work chat or a mail."""
    messages = [
        Message(
            f"【{r.unit}】" + (f"联络人：{r.contact}" if r.contact else ""),
            _opening(r),
            tuple(
                ("【逾期】" if mark == OVERDUE_MARK else "")
                + f"任务 {division.task_id(task)}，截止日期 {day.isoformat()}（时限：{task.time_limit.text}）：{task.requirement}"
                for mark, task, day in _marked(r)
            ),
        )
        for r in found
    ]
    return _reminder_title(today, end), messages
