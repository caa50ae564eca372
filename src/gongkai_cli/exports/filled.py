"""Reading a filled 台账 back: the rows units filled in that say something new, or every reason to refuse it.

Rows are found by their hidden keys on any sheet, however they were sorted or filtered; a row whose locked text
no longer matches the table, or whose key belongs to another table or task, is refused, and then nothing is taken.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..deadlines import TimeLimitError, parse_date_arg
from ..models import Division, Task, TaskId
from ..progress import STATUSES as STATUS_LABELS
from ..progress import NewRecord, ProgressRecord, Records, fingerprint, index_records, period_bounds, table_period
from ..progress.status import occurrence_of, occurrence_on, occurrence_period
from ..render import FORMULA_STARTS
from ..safetext import visible
from ..tuples import NamedTuple
from .workbook import (
    CHECKED,
    EXPORT_HEADER,
    HEADERS,
    KEY_HEADER,
    SCOPE_PROPERTY,
    STATUSES,
    LedgerRow,
    row_values,
    table_key_of,
    task_rows,
    time_limit_text,
)

# What a record says, in the terms of a filled row: status label, progress, evidence (space-separated) and date.
Reported = tuple[str, str, str, datetime.date]
K = TypeVar("K")
V = TypeVar("V")


class FilledRow(NamedTuple):
    """What a unit reported for one task: status (empty if none was chosen), progress, evidence and completion
    date, and where it was read (the 状态 cell); `number` is the task's identity (17, or 4-2)."""

    number: TaskId
    unit: str
    fingerprint: str
    status: str
    progress: str
    evidence: str
    finished: datetime.date | None
    where: str
    period: str | None = None

    def report(self, today: datetime.date) -> NewRecord:
        """The record this row asks for: finished on its completion date, or today; its status as progress text
        when it gives none."""
        return NewRecord(
            self.unit,
            self.number,
            self.finished or today,
            self.status,
            self.progress or self.status,
            tuple(self.evidence.split()),
            period=self.period,
        )


class Refusal(NamedTuple):
    """A reason a filled workbook is not taken, with its place (台账.xlsx:总表!C12)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _escaped(text: str) -> str:
    """A text as older exports wrote it: a quote before a formula start or a quote (now the cell's type says text)."""
    shown = visible(text)
    return "'" + shown if shown.startswith((*FORMULA_STARTS, "'")) else shown


def _unescape(text: str) -> str:
    """The text before an older export's quote (`_escaped`)."""
    return text[1:] if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")) else text


def _flat(text: str) -> str:
    return "".join(text.split())


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _open(path: Path) -> tuple[Any, dict[str, Any], Refusal | None]:
    """The workbook (in openpyxl's read-only mode) and what the check's scan found of each sheet, by title (see
    `open_workbook`); or a refusal."""
    from ..importers.rows import ImportRefusedError
    from ..importers.xlsx import open_workbook
    from ..io.read import FileRefusedError, read_file
    from ..safetext import display_path

    try:
        workbook, sheets = open_workbook(read_file(path))
    except (FileRefusedError, ImportRefusedError) as e:
        return None, {}, Refusal(display_path(path.name), str(e))
    return workbook, sheets, None


def _finished_day(text: str, division: Division, today: datetime.date) -> datetime.date | None:
    """The 完成时间 of a row (2024-09-30, 2024/9/30, 9月30日 … as the command line reads dates), None if blank;
    ValueError with a Chinese message for a date that is not one, or that no record could carry."""
    if not text:
        return None
    try:
        day = parse_date_arg(text, division.year)
    except TimeLimitError as e:
        raise ValueError(f"完成时间填写有误：{e}") from None
    first, last = table_period(division)
    if day > today:
        raise ValueError(f"完成时间 {day} 晚于今天（{today}）；请填写已经完成或取得进展的日期")
    if not first <= day <= last:
        raise ValueError(f"完成时间 {day} 不在这张表的年度内（{first} 至 {last}）")
    return day


def _said(row: FilledRow, today: datetime.date) -> Reported | None:
    """What the record made of a row would say, with the record's defaults (progress: the status; date: today);
    None for a row without a status."""
    if not row.status:
        return None
    return row.status, row.progress or row.status, " ".join(row.evidence.split()), row.finished or today


def _record_says(record: ProgressRecord) -> Reported:
    return STATUS_LABELS[record.status], record.progress, " ".join(record.evidence), record.date


class _Sheet(NamedTuple):
    """A sheet of the returned workbook: where each header's column is, to name the cells of a row."""

    book: str
    title: str
    columns: dict[str, int]

    def place(self, header: str, line: int) -> str:
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

        return f"{self.book}:{self.title}!{get_column_letter(self.columns[header] + 1)}{line}"


def _scope(workbook: Any) -> str | None:
    """The unit a workbook says it was exported for (SCOPE_PROPERTY), or None."""
    for prop in getattr(workbook, "custom_doc_props", ()):
        if getattr(prop, "name", None) == SCOPE_PROPERTY and isinstance(getattr(prop, "value", None), str):
            return str(prop.value)
    return None


def _kept(store: dict[K, V], key: K, make: Callable[[], V]) -> V:
    """`store[key]`, made and kept the first time it is asked for."""
    found = store.get(key)
    if found is None:
        found = store[key] = make()
    return found


class _Reading:
    """Reading the rows of a returned workbook against the table, collecting a refusal for each wrong one."""

    def __init__(self, division: Division, table_key: str, today: datetime.date, records: Records) -> None:
        self.division = division
        self.table_key = table_key
        self.today = today
        self.records = index_records(records)
        self.tasks = {division.task_id(task): task for task in division.tasks}
        self.positions = {ident: position for position, ident in enumerate(self.tasks)}
        self.refusals: list[Refusal] = []
        # The unit a workbook exported with --unit was made for; None for a whole table's.
        self.scope: str | None = None
        # What each task's rows are checked against, worked out once per task (or task and unit): a 台账 repeats
        # a task on 总表 and on each unit's sheet, for every unit that owes it.
        self._fingerprints: dict[TaskId, str] = {}
        self._rows: dict[TaskId, dict[str, LedgerRow]] = {}
        self._period_lists: dict[TaskId, list[str]] = {}
        self._accepted: dict[tuple[TaskId, str], dict[str, set[str]]] = {}

    def refuse(self, where: str, message: str) -> None:
        self.refusals.append(Refusal(where, message))

    def row(self, sheet: _Sheet, line: int, cells: Mapping[str, str]) -> FilledRow | None:
        """The row on one line of a sheet where a status was chosen; None for a line without one (nothing to take,
        whatever else it holds, as in a row an older export made), and for a wrong one, which is refused."""
        key = _unescape(cells[KEY_HEADER])
        if not cells["状态"]:
            # Nothing to take; still, the table's text must not have been edited on a row that is this table's.
            owing = self._owing_row(key, None, None)
            if owing is not None:
                self._edited(owing, sheet, line, cells)
            return None
        if not key:
            self.refuse(sheet.place(KEY_HEADER, line), "此行没有键，无法对应到任务（请勿在台账中新增行）")
            return None
        owing = self._owing_row(key, sheet.place(KEY_HEADER, line), sheet.place("具体要求", line))
        if owing is None or self._edited(owing, sheet, line, cells):
            return None
        status = cells["状态"]
        if status not in STATUSES:
            self.refuse(sheet.place("状态", line), f"状态“{status}”不在可选范围内：{'、'.join(STATUSES)}")
            return None
        try:
            finished = _finished_day(cells["完成时间"], self.division, self.today)
        except ValueError as e:
            self.refuse(sheet.place("完成时间", line), str(e))
            return None
        ident = self.division.task_id(owing.task)
        period = self._period(owing.task, cells["时限要求"])
        bounds = period_bounds(period) if period is not None else None
        if bounds is not None and (finished or self.today) < bounds[0]:
            day = finished or self.today
            self.refuse(
                sheet.place("完成时间" if finished else "状态", line),
                f"此行报送第{ident}项任务 {period} 期（自 {bounds[0]} 起），{day} 早于该期；"
                "请填写该期内的完成时间，或重新导出台账",
            )
            return None
        progress = cells["工作进展情况"]
        # A text an older export quoted, unless a record says it as it stands (a text that starts with a quote).
        if not any(r.progress == progress for r in self.records.of(ident, owing.unit)):
            progress = _unescape(progress)
        return FilledRow(
            ident,
            owing.unit,
            self._fingerprint(owing.task),
            status,
            progress,
            _unescape(cells["佐证材料"]),
            finished,
            sheet.place("状态", line),
            period,
        )

    def _fingerprint(self, task: Task) -> str:
        return _kept(self._fingerprints, self.division.task_id(task), lambda: fingerprint(task))

    def _periods(self, task: Task) -> list[str]:
        """The periods a recurring task's rows may name, in date order."""

        def periods() -> list[str]:
            named = (occurrence_period(task, o, self.division.year) for o in task.time_limit.occurrences)
            return list(dict.fromkeys(p for p in named if p is not None))

        return _kept(self._period_lists, self.division.task_id(task), periods)

    def _rows_of(self, task: Task) -> dict[str, LedgerRow]:
        """The task's 台账 rows by unit (the first, where a unit has two: the rows are taken last to first)."""
        ident = self.division.task_id(task)
        return _kept(self._rows, ident, lambda: {row.unit: row for row in reversed(task_rows(self.division, task))})

    def _period(self, task: Task, cell: str) -> str | None:
        """The period a row's 时限要求 cell names (每月（期次：2024-10）); None for the table's text alone."""
        return next((p for p in self._periods(task) if _flat(cell) == _flat(time_limit_text(task, p))), None)

    def _owing_row(self, key: str, key_place: str | None, text_place: str | None) -> LedgerRow | None:
        """The 台账 row a key names; None, refused at the places given (quietly without them), when it names none."""

        def refuse(where: str | None, message: str) -> None:
            if where is not None:
                self.refuse(where, message)

        table, _, rest = key.partition("|")
        number_text, _, rest = rest.partition("|")
        printed, _, unit = rest.partition("|")
        if table != self.table_key:
            refuse(key_place, f"此行属于另一张任务表（{table}），不是“{self.table_key}”")
            return None
        task = self.division.find(number_text)
        if task is None:
            refuse(key_place, f"键“{key}”对应不到任务表中的任务")
            return None
        if printed != self._fingerprint(task):
            refuse(text_place, f"第{self.division.task_id(task)}项任务的具体要求已在任务表中修改，请重新导出台账后报送")
            return None
        if self.scope is not None and unit != self.scope:
            refuse(key_place, f"此台账是为“{self.scope}”导出的，不能报送“{unit}”的进展；请用该单位自己的台账")
            return None
        row = self._rows_of(task).get(unit)
        if row is None and any(g.name == unit for g in self.division.units_file.groups):
            refuse(key_place, f"“{unit}”是统称，由成员单位各自报送；请重新导出台账，在本单位的行中填写")
        elif row is None:
            refuse(key_place, f"“{unit}”不是第{self.division.task_id(task)}项任务的责任单位")
        return row

    def _edited(self, row: LedgerRow, sheet: _Sheet, line: int, cells: Mapping[str, str]) -> bool:
        """Whether a locked cell differs from the table's text: as written now, as an older export quoted it, and
        for 时限要求 with any period of the task named."""
        accepted = self._accepted_texts(row)
        edited = [h for h in CHECKED if _flat(cells[h]) not in accepted[h]]
        for header in edited:
            self.refuse(
                sheet.place(header, line), f"第{self.division.task_id(row.task)}项任务的“{header}”被改动，与任务表不符"
            )
        return bool(edited)

    def _accepted_texts(self, row: LedgerRow) -> dict[str, set[str]]:
        """The forms of each locked cell of a row that are not an edit, flattened (see `_edited`)."""

        def accepted() -> dict[str, set[str]]:
            expected = dict(zip(EXPORT_HEADER, row_values(self.division, row, None), strict=True))
            periods = [time_limit_text(row.task, p) for p in self._periods(row.task)]
            found = {}
            for header in CHECKED:
                texts = [str(expected[header]), *(periods if header == "时限要求" else ())]
                found[header] = {_flat(form) for text in texts for form in (visible(text), _escaped(text))}
            return found

        return _kept(self._accepted, (self.division.task_id(row.task), row.unit), accepted)

    def _is_new(self, copy: FilledRow) -> bool:
        """Whether a copy of a row says what no record on its occurrence says yet.

        A row with a 完成时间 is new unless a record says all it says, date included (what the export pre-filled,
        or an earlier record: a workbook read twice, or exported before a later report). A row without one is new
        unless the latest record says its status, progress and evidence, whatever day it is read. Of a recurring
        task only the records on the row's period count (else on the occurrence of its date).
        """
        said = _said(copy, self.today)
        if said is None:
            return False
        task = self.tasks[copy.number]
        occurrence = occurrence_on(task, copy.finished or self.today, copy.period)
        found = [r for r in self.records.of(copy.number, copy.unit) if occurrence_of(task, r) == occurrence]
        if copy.finished is None:
            return not found or said[:3] != _record_says(found[-1])[:3]
        return all(said != _record_says(r) for r in found)

    def changed(self, copies: Sequence[FilledRow]) -> FilledRow | None:
        """Of the copies of one row (总表 and the unit's sheet), the one that says something new, or None;
        copies that say two different new things are refused."""
        new = [copy for copy in copies if self._is_new(copy)]
        if not new:
            return None
        first = new[0]
        for other in new[1:]:
            if _said(other, self.today) != _said(first, self.today):
                self.refuse(
                    other.where,
                    f"第{first.number}项任务“{first.unit}”的报送与 {first.where} 不一致，两处都有改动，请只保留一份",
                )
        return first


class ReturnedWorkbook(NamedTuple):
    """What a returned workbook holds, read (`read_returned`) before any of it is compared with the table."""

    name: str
    """The file's name, as refusals name it."""
    sheets: list[tuple[str, list[tuple[Any, ...]]]]
    """Each worksheet's title and the values of its rows, as many as the check's scan counted."""
    scope: str | None
    """The unit the workbook says it was exported for (SCOPE_PROPERTY), or None."""
    refusals: list[Refusal]
    """The workbook or sheets that could not be read."""


def read_returned(path: Path) -> ReturnedWorkbook:
    """The values of every sheet of a returned workbook: the reading whose cost is the same however many rows were
    filled in (openpyxl's read-only mode, within the check's limits)."""
    from ..safetext import display_path

    name = display_path(path.name)
    workbook, scanned, failure = _open(path)
    if failure is not None:
        return ReturnedWorkbook(name, [], None, [failure])
    sheets: list[tuple[str, list[tuple[Any, ...]]]] = []
    refusals: list[Refusal] = []
    for worksheet in workbook.worksheets:
        scan = scanned.get(worksheet.title)
        if scan is None:  # the sheet the scan measured cannot be told from another
            refusals.append(
                Refusal(f"{name}:{worksheet.title}", "工作表无法与工作簿的结构对应（同名或缺失），文件可能已损坏")
            )
            continue
        try:  # read-only mode parses a sheet as it is read
            grid = list(scan.rows_of(worksheet))
        except Exception as e:  # openpyxl raises many kinds on a damaged file
            refusals.append(
                Refusal(f"{name}:{worksheet.title}", f"无法读取此工作表（{type(e).__name__}），文件可能已损坏")
            )
            continue
        sheets.append((worksheet.title, grid))
    scope = _scope(workbook)
    workbook.close()
    return ReturnedWorkbook(name, sheets, scope, refusals)


def read_filled_workbook(
    path: Path,
    division: Division,
    *,
    table_id: str | None,
    today: datetime.date,
    records: Records = (),
) -> tuple[list[FilledRow], list[Refusal]]:
    """The rows units filled in that say something new (see `filled_rows`)."""
    return filled_rows(read_returned(path), division, table_id=table_id, today=today, records=records)


def filled_rows(
    returned: ReturnedWorkbook,
    division: Division,
    *,
    table_id: str | None,
    today: datetime.date,
    records: Records = (),
) -> tuple[list[FilledRow], list[Refusal]]:
    """The rows units filled in that say something new, found by their hidden keys on any sheet.

    Every row appears on 总表 and on its unit's sheet, and the export pre-fills both from the latest of the
    progress `records`: a copy that repeats a record (as pre-filled, or an earlier one) or has no status says
    nothing new, and the other copy counts. A row repeats a record when status, progress (the status when blank),
    evidence and 完成时间 are all the same; a row without 完成时间 repeats the latest record when the rest is the
    same, whatever day it is read (`_Reading._is_new`). A recurring task's row names its period (每月（期次：2024-10）):
    it is compared with the records on that period, and the record made of it carries it.

    All or nothing: a row whose locked text was edited, whose key does not belong to this table's current tasks,
    whose status is not one of STATUSES, whose 完成时间 is not a date up to `today`, or whose copies say two
    different new things, is refused, and then no row is returned; so is every row of a workbook that could not be
    read whole.
    """
    name = returned.name
    if returned.refusals and not returned.sheets:
        return [], returned.refusals
    reading = _Reading(division, table_key_of(division, table_id), today, records)
    reading.refusals.extend(returned.refusals)
    reading.scope = returned.scope
    copies: dict[tuple[TaskId, str], list[FilledRow]] = {}
    found_key_column = False

    for title, grid in returned.sheets:
        if not grid:
            continue
        columns = {_cell_text(value): index for index, value in enumerate(grid[0]) if value is not None}
        if KEY_HEADER not in columns:
            continue  # a sheet of the unit's own, not one of the 台账's
        found_key_column = True
        missing = [h for h in HEADERS if h not in columns]
        if missing:
            reading.refuse(f"{name}:{title}", f"缺少列“{'”“'.join(missing)}”；请勿删除台账的列，可重新导出后报送")
            continue
        sheet = _Sheet(name, title, columns)
        for line, values in enumerate(grid[1:], 2):
            filled = reading.row(sheet, line, {header: _cell_text(values[columns[header]]) for header in HEADERS})
            if filled is not None:
                copies.setdefault((filled.number, filled.unit), []).append(filled)
    if not found_key_column:
        reading.refuse(name, f"不是 gongkai 导出的台账（没有“{KEY_HEADER}”列）")
    taken = [row for row in map(reading.changed, copies.values()) if row is not None]
    if reading.refusals:
        return [], reading.refusals
    return sorted(taken, key=lambda r: (reading.positions[r.number], r.unit)), []


__all__ = ["FilledRow", "Refusal", "ReturnedWorkbook", "filled_rows", "read_filled_workbook", "read_returned"]
