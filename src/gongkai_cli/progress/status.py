"""Status from progress records: what each unit has done, what is overdue, what falls due next.

Which occurrence a record applies to: a deadline has one, an undated limit (持续推进, 及时, 1月1日后) none, and a
recurring limit (每季度) the first occurrence on or after the record's date, or after the last day of its
`period` (the last occurrence for a later date). So 已完成 in the first quarter does not close the second.

Every status function accepts the records as a list or as a `RecordIndex` built once by `index_records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from operator import attrgetter

from ..models import Division, Group, Task, TaskId, Unit
from ..owing import members, units_owing
from ..query import DoneTest, due_dates, find_section, roster_unit, section_tasks
from ..tuples import NamedTuple
from ..vocabulary import STATE_LABELS, State, Status
from .records import ProgressRecord, period_bounds

STATES: tuple[State, ...] = tuple(STATE_LABELS)
# The counts of a summary each state adds to: a reported 未达预期 past its date stays 未达预期, and is overdue too.
COUNTED_AS: dict[State, tuple[State, ...]] = {
    **{state: (state,) for state in STATES},
    "behind_overdue": ("behind", "overdue"),
}


class RecordIndex:
    """Records by (task identity, unit), each list in date order (file order among equal dates)."""

    __slots__ = ("by_key", "reporters")

    def __init__(self, records: Iterable[ProgressRecord]) -> None:
        self.by_key: dict[tuple[TaskId, str], list[ProgressRecord]] = {}
        self.reporters: dict[TaskId, set[str]] = {}
        for record in records:
            self.by_key.setdefault((record.task, record.unit), []).append(record)
            self.reporters.setdefault(record.task, set()).add(record.unit)
        by_date = attrgetter("date")  # a C-level key: ten thousand records sort without a Python call each
        for found in self.by_key.values():
            found.sort(key=by_date)

    def of(self, task: TaskId, unit: str) -> list[ProgressRecord]:
        """The records of one unit on one task (by its identity), in date order."""
        return self.by_key.get((task, unit), [])


Records = Sequence[ProgressRecord] | RecordIndex


def deciding_records(division: Division, records: Iterable[ProgressRecord]) -> list[ProgressRecord]:
    """The records that decide every status answer, in index order: per task and unit, the latest of each occurrence
    and the latest of all.

    An earlier report on the same occurrence is superseded, so every status, state, reminder and latest record
    comes out the same from these as from all the records; a unit's weekly reports shrink to a few.
    """
    kept: list[ProgressRecord] = []
    for (ident, _), found in RecordIndex(records).by_key.items():
        task = division.find(ident)
        last_of = {occurrence_of(task, r) if task is not None else None: i for i, r in enumerate(found)}
        kept.extend(found[i] for i in sorted({*last_of.values(), len(found) - 1}))
    return kept


def index_records(records: Records) -> RecordIndex:
    """An index of the records, for repeated status questions (an index is returned as it is)."""
    return records if isinstance(records, RecordIndex) else RecordIndex(records)


def occurrence_of(task: Task, record: ProgressRecord) -> date | None:
    """The occurrence a record applies to: a deadline's due date, a recurring limit's occurrence, else None."""
    return occurrence_on(task, record.date, record.period)


def occurrence_on(task: Task, day: date, period: str | None = None) -> date | None:
    """The occurrence a report of `day` (on `period`, where given) applies to, as `occurrence_of` says."""
    if task.time_limit.due is not None:
        return task.time_limit.due
    occurrences = task.time_limit.occurrences
    if not occurrences:
        return None
    if period is not None:
        bounds = period_bounds(period)
        day = bounds[1] if bounds is not None else day
    return next((o for o in occurrences if o >= day), occurrences[-1])


# The period a recurring limit's occurrences are reported by, from how many there are in the year.
_PERIOD_KINDS = {12: "month", 4: "quarter", 2: "half", 1: "year"}


def _periods(kind: str, year: int) -> list[str]:
    if kind == "month":
        return [f"{year}-{month:02d}" for month in range(1, 13)]
    if kind == "quarter":
        return [f"{year}-Q{quarter}" for quarter in range(1, 5)]
    if kind == "half":
        return [f"{year}-H1", f"{year}-H2"]
    return [str(year)]


def occurrence_period(task: Task, occurrence: date, year: int) -> str | None:
    """The period of the plan `year` that names one occurrence of a recurring task (2024-10 for the October
    occurrence of 每月, 2024-Q3 for the 10 October one of 每季度结束后10日内), written as records write it: a period
    whose records apply to that occurrence (`occurrence_on`), the latest that ends by it. None for a task that
    does not recur, or recurs by weeks (no period names a week)."""
    kind = _PERIOD_KINDS.get(len(task.time_limit.occurrences)) if task.time_limit.due is None else None
    if kind is None:
        return None
    naming = [p for p in _periods(kind, year) if occurrence_on(task, occurrence, p) == occurrence]
    ended = [p for p in naming if (bounds := period_bounds(p)) is not None and bounds[1] <= occurrence]
    if ended:
        return ended[-1]
    return naming[0] if naming else None


def current_occurrence(task: Task, today: date) -> date | None:
    """The occurrence of a recurring task current at `today`: the first on or after it, else the last; None for
    a task that does not recur."""
    occurrences = task.time_limit.occurrences if task.time_limit.due is None else ()
    return next((o for o in occurrences if o >= today), occurrences[-1]) if occurrences else None


def current_periods(division: Division, today: date) -> dict[TaskId, str]:
    """By task identity, the period naming the occurrence of each recurring task current at `today`."""
    found = {}
    for task in division.tasks:
        occurrence = current_occurrence(task, today)
        period = occurrence_period(task, occurrence, division.year) if occurrence is not None else None
        if period is not None:
            found[division.task_id(task)] = period
    return found


def current_records(division: Division, records: Records, today: date) -> list[ProgressRecord]:
    """The records that speak of now, in index order: of a recurring task those on the occurrence current at
    `today` (what February reported does not answer for October), of any other task all."""
    kept: list[ProgressRecord] = []
    for (ident, _), found in index_records(records).by_key.items():
        task = division.find(ident)
        current = current_occurrence(task, today) if task is not None else None
        kept.extend(r for r in found if current is None or task is None or occurrence_of(task, r) == current)
    return kept


def latest_status(
    division: Division, records: Records, task: Task, unit: str, occurrence: date | None = None
) -> Status | None:
    """The latest reported status of a unit on a task (on one occurrence where given), None if none applies."""
    found = index_records(records).of(division.task_id(task), unit)
    if occurrence is not None and task.time_limit.occurrences:
        found = [r for r in found if occurrence_of(task, r) == occurrence]
    return found[-1].status if found else None


def is_done(division: Division, records: Records, task: Task, unit: str, occurrence: date | None = None) -> bool:
    """Whether the latest report of a unit on a task (occurrence) says 已完成."""
    return latest_status(division, records, task, unit, occurrence) == "done"


def owed_units(division: Division, task: Task, records: Records | None = None) -> list[str]:
    """The roster units that owe a task as progress counts them (`owing.units_owing`): a member of a group covering
    only the relevant members counts once it has reported on the task (pass `records`)."""
    reporters = index_records(records).reporters.get(division.task_id(task), set()) if records is not None else set()
    return units_owing(division, task, reporters)


def _state_of(division: Division, index: RecordIndex, task: Task, unit: str, today: date) -> State:
    occurrences = due_dates(task)
    current: date | None = None
    for occurrence in occurrences:
        if occurrence < today:
            status = latest_status(division, index, task, unit, occurrence)
            if status == "behind":
                return "behind_overdue"
            if status != "done":
                return "overdue"
        else:
            current = occurrence
            break
    if occurrences and current is None:
        return "done"  # every occurrence is past, and each was done
    status = latest_status(division, index, task, unit, current)
    if status in ("done", "on_track", "behind"):
        return status
    return "not_reported"  # 未开始 says no work to show yet


def task_state(division: Division, records: Records, task: Task, today: date) -> dict[str, State]:
    """The state of a task for each unit that owes it, in owed_units order.

    done; on_track or behind (the latest report on the current occurrence); not_reported (no report, or
    未开始); overdue (an occurrence before today not done), behind_overdue when its latest report says 未达预期.
    Undated limits (持续推进, 及时, 1月1日后) are never overdue.
    """
    index = index_records(records)
    return {unit: _state_of(division, index, task, unit, today) for unit in owed_units(division, task, index)}


class UnitProgress(NamedTuple):
    """How far one unit has come with the tasks it owes; `states` gives each task's state by task identity.

    A task 未达预期 past its date counts in `behind` and in `overdue` (`COUNTED_AS`), so the counts may add up to more
    than `owed`.
    """

    unit: str
    owed: int
    done: int
    on_track: int
    behind: int
    not_reported: int
    overdue: int
    completion_rate: float
    states: dict[TaskId, State]


class TaskReports(NamedTuple):
    """Which units that owe a task have reported on it, and which have not (in owed_units order)."""

    task: TaskId
    reported: tuple[str, ...]
    not_reported: tuple[str, ...]


def _tasks_of(division: Division, section: str | None) -> list[Task]:
    return list(division.tasks) if section is None else section_tasks(find_section(division, section))


def progress_summary(
    division: Division, records: Records, today: date, unit: str | None = None, section: str | None = None
) -> list[UnitProgress]:
    """Per roster unit (or the one `unit`), in roster order: the tasks owed (of `section`, a ref such as 四 or 4.2)."""
    index = index_records(records)
    tasks = _tasks_of(division, section)
    states: dict[str, dict[TaskId, State]] = {}
    for task in tasks:
        for name, state in task_state(division, index, task, today).items():
            states.setdefault(name, {})[division.task_id(task)] = state
    wanted = [roster_unit(division, unit)] if unit is not None else list(division.units_file.units)
    summary = []
    for entity in wanted:
        mine = states.get(entity.name, {})
        if not mine and unit is None:
            continue
        counts = dict.fromkeys(STATES, 0)
        for state in mine.values():
            for counted in COUNTED_AS[state]:
                counts[counted] += 1
        rate = counts["done"] / len(mine) if mine else 0.0
        summary.append(
            UnitProgress(
                entity.name,
                len(mine),
                counts["done"],
                counts["on_track"],
                counts["behind"],
                counts["not_reported"],
                counts["overdue"],
                rate,
                mine,
            )
        )
    return summary


def task_reports(
    division: Division, records: Records, section: str | None = None, unit: str | None = None
) -> list[TaskReports]:
    """Per task (of `section`), the owing units with at least one report on it and those without.

    With `unit`, only the tasks that unit owes, and only that unit in each.
    """
    index = index_records(records)
    found = []
    for task in _tasks_of(division, section):
        owed = owed_units(division, task, index)
        if unit is not None:
            if unit not in owed:
                continue
            owed = [unit]
        ident = division.task_id(task)
        reporters = index.reporters.get(ident, set())
        found.append(
            TaskReports(
                ident,
                tuple(u for u in owed if u in reporters),
                tuple(u for u in owed if u not in reporters),
            )
        )
    return found


def latest_record(division: Division, records: Records, task: Task, unit: str) -> ProgressRecord | None:
    """The latest record of a unit on a task, whatever its occurrence."""
    found = index_records(records).of(division.task_id(task), unit)
    return found[-1] if found else None


class Reminder(NamedTuple):
    """What one unit has to do and has not reported done: (task, due date) pairs past due (`overdue`, before the
    window) and falling due in the window (`items`), each in date order."""

    unit: str
    contact: str | None
    items: tuple[tuple[Task, date], ...]
    overdue: tuple[tuple[Task, date], ...] = ()


def reminders(
    division: Division, records: Records, start: date, end: date, entity: Unit | Group | None = None
) -> list[Reminder]:
    """Per unit (roster order), the occurrences before `start` and those due from `start` to `end` that the unit
    has not reported done: of every unit, of the unit `entity`, or of the members of the group `entity`."""
    index = index_records(records)
    wanted = _unit_names(division, entity) if entity is not None else None
    pending: dict[str, list[tuple[Task, date]]] = {}
    for task in division.tasks:
        days = [day for day in due_dates(task) if day <= end]
        if not days:
            continue
        for name in owed_units(division, task, index):
            if wanted is not None and name not in wanted:
                continue
            for day in days:
                if not is_done(division, index, task, name, day):
                    pending.setdefault(name, []).append((task, day))
    found = []
    for unit in division.units_file.units:
        items = sorted(pending.get(unit.name, ()), key=lambda item: item[1])  # by day, then in table order
        if items:
            late = tuple(item for item in items if item[1] < start)
            found.append(Reminder(unit.name, unit.contact, tuple(items[len(late) :]), late))
    return found


def done_by_all(
    division: Division, records: Records, task: Task, occurrence: date | None, entity: Unit | Group | None = None
) -> bool:
    """Whether a task (one occurrence of it) is reported done: by the unit `entity`; by every member of the group
    `entity` that owes it; or else by every unit that owes it."""
    index = index_records(records)
    if isinstance(entity, Unit):
        return is_done(division, index, task, entity.name, occurrence)
    owing = owed_units(division, task, index)
    if entity is not None:
        in_group = _unit_names(division, entity)
        owing = [name for name in owing if name in in_group]
    return bool(owing) and all(is_done(division, index, task, name, occurrence) for name in owing)


def _unit_names(division: Division, entity: Unit | Group) -> set[str]:
    """The roster units an entity stands for: a unit itself, a group its members."""
    return {u.name for u in members(division, entity)} if isinstance(entity, Group) else {entity.name}


def done_test(division: Division, records: Records, entity: Unit | Group | None = None) -> DoneTest:
    """`done_by_all` as a test of one occurrence, for the queries that leave out or skip what is done."""
    index = index_records(records)
    return lambda task, occurrence: done_by_all(division, index, task, occurrence, entity)


__all__ = [
    "COUNTED_AS",
    "STATES",
    "STATE_LABELS",
    "RecordIndex",
    "Records",
    "Reminder",
    "State",
    "TaskReports",
    "UnitProgress",
    "current_occurrence",
    "current_periods",
    "current_records",
    "deciding_records",
    "done_by_all",
    "done_test",
    "index_records",
    "is_done",
    "latest_record",
    "latest_status",
    "occurrence_of",
    "occurrence_on",
    "occurrence_period",
    "owed_units",
    "progress_summary",
    "reminders",
    "task_reports",
    "task_state",
]
