"""The deadlines of a table as an iCalendar file: one all-day event per due date, with reminders.

Re-importing a newer export must update the events already in a calendar rather than add copies, so every
event's UID is derived from what it stands for (table, task, unit, date) and nothing else. DTSTAMP is fixed
for the same reason, and so that two exports of the same data are byte for byte the same: it is the notice's
date (the table's `document.date`), or 1 January of the plan year where the notice gives none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

from icalendar import Alarm, Calendar, Event

from ..io.write import write_file
from ..models import Division, Task, TaskId
from ..owing import ROLE_LABELS, Role, obligations
from ..progress import Records, index_records, owed_units
from ..query import DoneTest, due_dates, responsibility_cells, roster_unit
from ..tuples import NamedTuple
from . import ALL_UNITS

PRODID = "-//gongkai//政务公开任务分工//ZH"
# Characters of the requirement shown in an event's title.
SUMMARY_CHARS = 30
# Reminders before each due date.
ALARM_DAYS = (7, 1)
DONE_MARK = "（已完成）"
DoneMode = Literal["omit", "mark"]


class _Due(NamedTuple):
    task: Task
    day: date
    role: Role | None


def _table_key(division: Division, table_id: str | None) -> str:
    return table_id or division.document.title


def event_uid(table_key: str, number: TaskId, unit: str, day: date) -> str:
    """The stable UID of one due date of one task (by its identity) for one unit (or ALL_UNITS)."""
    material = "\x1f".join((table_key, str(number), unit, day.isoformat()))
    return hashlib.blake2b(material.encode("utf-8"), digest_size=16).hexdigest() + "@gongkai"


def _stamp(division: Division) -> datetime:
    day = division.document.date or date(division.year, 1, 1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _summary(division: Division, task: Task) -> str:
    flat = "".join(task.requirement.split())
    start = flat[:SUMMARY_CHARS] + ("…" if len(flat) > SUMMARY_CHARS else "")
    return f"任务{division.task_id(task)}：{start}"


def _description(task: Task, unit: str | None, role: Role | None) -> str:
    lines = [task.requirement.strip(), ""]
    lines.append("责任单位：" + "；".join(responsibility_cells(task)))
    lines.append("时限要求：" + task.time_limit.text)
    if unit is not None:
        lines.append(f"本单位：{unit}" + (f"（{ROLE_LABELS[role]}）" if role else ""))
    return "\n".join(lines)


def _dues(division: Division, unit: str | None, records: Records) -> tuple[str | None, list[_Due]]:
    if unit is None:
        return None, [_Due(task, day, None) for task in division.tasks for day in due_dates(task)]
    entity = roster_unit(division, unit)
    # As remind and progress count them: a task reached through a `relevant` group once the unit reports on it.
    index = index_records(records)
    found = [o for o in obligations(division, entity) if entity.name in owed_units(division, o.task, index)]
    return entity.name, [_Due(o.task, day, o.role) for o in found for day in due_dates(o.task)]


def _events(
    division: Division,
    unit: str | None,
    table_id: str | None,
    is_done: DoneTest | None,
    done_mode: DoneMode,
    records: Records,
) -> Iterator[Event]:
    name, dues = _dues(division, unit, records)
    unit_key = name or ALL_UNITS
    table_key = _table_key(division, table_id)
    stamp = _stamp(division)
    for due in dues:
        task, day = due.task, due.day
        # A recurring limit's occurrences are asked about one by one; a deadline by its date as well.
        done = is_done is not None and is_done(task, day)
        if done and done_mode == "omit":
            continue
        event = Event()
        event.add("uid", event_uid(table_key, division.task_id(task), unit_key, day))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        summary = _summary(division, task)
        event.add("summary", DONE_MARK + summary if done else summary)
        event.add("description", _description(task, name, due.role))
        event.add("categories", ["政务公开"])
        event.add("transp", "TRANSPARENT")
        if done:
            # Nothing left to remind of: the event stays, marked, without alarms.
            event.add("status", "CONFIRMED")
        else:
            for days in ALARM_DAYS:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{days}天后截止：{summary}")
                alarm.add("trigger", timedelta(days=-days))
                event.add_component(alarm)
        yield event


def build_calendar(
    division: Division,
    *,
    unit: str | None = None,
    table_id: str | None,
    is_done: DoneTest | None = None,
    done_mode: DoneMode = "omit",
    records: Records = (),
) -> Calendar:
    """The calendar of every due date of the table, or of the tasks `unit` owes (any name `resolve` accepts).

    A task `unit` reaches only through a `relevant` group is owed once `records` hold a report of it on the task
    (progress.owed_units). With `is_done`, finished tasks are left out (`done_mode="omit"`) or kept with
    （已完成） in the title and STATUS:CONFIRMED, without reminders (`"mark"`). LookupFailedError if `unit` names
    no roster unit (a group included).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = division.document.title + (f"（{roster_unit(division, unit).name}）" if unit is not None else "")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for event in _events(division, unit, table_id, is_done, done_mode, records):
        calendar.add_component(event)
    return calendar


def calendar_bytes(
    division: Division,
    *,
    unit: str | None = None,
    table_id: str | None,
    is_done: DoneTest | None = None,
    done_mode: DoneMode = "omit",
    records: Records = (),
) -> bytes:
    """The .ics text of `build_calendar`."""
    calendar = build_calendar(
        division, unit=unit, table_id=table_id, is_done=is_done, done_mode=done_mode, records=records
    )
    return bytes(calendar.to_ical())


def write_calendar(
    path: Path,
    division: Division,
    *,
    unit: str | None = None,
    table_id: str | None,
    is_done: DoneTest | None = None,
    done_mode: DoneMode = "omit",
    records: Records = (),
) -> int:
    """Write the calendar to `path` (an export, by io.write's rules); the number of events written."""
    calendar = build_calendar(
        division, unit=unit, table_id=table_id, is_done=is_done, done_mode=done_mode, records=records
    )
    write_file(path, bytes(calendar.to_ical()), export=True)
    # Counted in the calendar, not in its text, where a description may well say BEGIN:VEVENT.
    return len(calendar.walk("VEVENT"))


__all__ = ["ALARM_DAYS", "DONE_MARK", "DoneMode", "build_calendar", "calendar_bytes", "event_uid", "write_calendar"]
