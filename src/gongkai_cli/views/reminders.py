"""Reminders as a Listing and as messages to paste into a work chat or a mail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ..models import Division
from ..render import Column, Listing, Message, Row
from .tasks import NUMBER_COLUMN, TIME_COLUMN, section_label

REMINDER_COLUMNS = (
    Column("unit", "单位", max_width=16, detail=Column("contact", "联络人")),
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", "任务要求", ratio=1, clip=2),
)


def _reminder_title(today: date, end: date) -> str:
    return f"提醒：{today.isoformat()} 至 {end.isoformat()} 到期、尚未报送完成的任务"


def reminder_listing(division: Division, found: Sequence[Any], today: date, end: date) -> Listing:
    """Per unit, what falls due from today to `end` and has not been reported done."""

    def rows() -> list[Row]:
        shown: list[Row] = []
        for reminder in found:
            for task, day in reminder.items:
                shown.append(
                    {
                        "unit": reminder.unit,
                        "contact": reminder.contact or "",
                        "number": division.task_id(task),
                        "section": section_label(division, task),
                        "due": day.isoformat(),
                        "time_limit": task.time_limit.text,
                        "requirement": task.requirement,
                    }
                )
        return shown

    def payload() -> list[dict[str, Any]]:
        return [
            {
                "unit": r.unit,
                "contact": r.contact,
                "items": [
                    {
                        "task": division.task_id(task),
                        "section": section_label(division, task),
                        "due": day,
                        "time_limit": task.time_limit.text,
                        "requirement": task.requirement,
                    }
                    for task, day in r.items
                ],
            }
            for r in found
        ]

    return Listing(REMINDER_COLUMNS, rows, payload, title=_reminder_title(today, end))


def reminder_messages(division: Division, found: Sequence[Any], today: date, end: date) -> tuple[str, list[Message]]:
    """The reminders as one message per unit, naming its contact, to paste into a work chat or a mail."""
    messages = [
        Message(
            f"【{r.unit}】" + (f"联络人：{r.contact}" if r.contact else ""),
            f"以下 {len(r.items)} 项任务将于 {end.isoformat()} 前到期，尚未报送完成，请抓紧落实并及时报送进展：",
            tuple(
                f"任务 {division.task_id(task)}，{day.isoformat()} 到期（时限：{task.time_limit.text}）：{task.requirement}"
                for task, day in r.items
            ),
        )
        for r in found
    ]
    return _reminder_title(today, end), messages
