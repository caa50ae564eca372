"""The 台账 workbook: one row per task and owing unit, with columns the units fill in, and reading it back.

The workbook goes out to units and comes back filled in, so it is built to survive that trip: the table's own
text is locked (sheet protection; no password, it guards against slips, the read-back check guards against the
rest), every row carries a hidden key (table|task|fingerprint|unit) by which it is found again however the
rows were sorted or filtered, and a row whose locked text no longer matches the table is refused. A row
appears twice, on 总表 and on its unit's sheet, pre-filled from the progress records: whichever copy says
something new counts.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..deadlines import TimeLimitError, parse_date_arg
from ..models import Division, Task
from ..progress import STATUSES as STATUS_LABELS
from ..progress import ProgressRecord, Records, index_records, table_period
from ..query import GROUP_ROLES, ROLE_LABELS, Role, members, responsibility_cells, units_of
from ..render import FORMULA_STARTS, Cell
from ..safetext import visible
from ..tuples import NamedTuple
from ..views import section_label
from . import fingerprint, roster_unit, write_atomically

# The columns, in order: the table's text (locked), then what units fill in, then the hidden key.
HEADERS = (
    "序号",
    "部分",
    "具体要求",
    "责任单位",
    "时限要求",
    "单位",
    "角色",
    "状态",
    "工作进展情况",
    "佐证材料",
    "完成时间",
    "键（勿改）",
)
FILL_IN = ("状态", "工作进展情况", "佐证材料", "完成时间")
KEY_HEADER = HEADERS[-1]
# Locked columns compared with the table when a filled workbook comes back: all of the table's text.
CHECKED = HEADERS[: HEADERS.index("角色") + 1]
STATUSES = ("未开始", "按序时推进", "已完成", "未达预期")
SUMMARY_SHEET = "总表"
# Widest a column grows, in the width units of Excel (about one Latin character); Chinese counts two.
MAX_WIDTHS = {"具体要求": 60, "责任单位": 30, "时限要求": 16}
FILL_IN_WIDTHS = {"状态": 14, "工作进展情况": 40, "佐证材料": 30, "完成时间": 14}
DEFAULT_MAX_WIDTH = 24
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# What the workbook pre-fills per (task, unit): status label, progress, evidence and date (ISO).
Statuses = Mapping[tuple[int, str], tuple[str, str, str, str]]
# What a record says, in the terms of a filled row: status label, progress, evidence (space-separated) and date.
Reported = tuple[str, str, str, datetime.date]


class LedgerRow(NamedTuple):
    """One row of the 台账: a task and a unit that owes it, or may owe it (a member of a `relevant` group)."""

    task: Task
    unit: str
    role: Role
    via: str | None = None


class FilledRow(NamedTuple):
    """What a unit reported for one task: status (empty if none was chosen), progress, evidence and completion
    date, and where it was read (the 状态 cell)."""

    number: int
    unit: str
    fingerprint: str
    status: str
    progress: str
    evidence: str
    finished: datetime.date | None
    where: str


class Refusal(NamedTuple):
    """A reason a filled workbook is not taken, with its place (台账.xlsx:总表!C12)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


# --- rows -------------------------------------------------------------------------------------------------


def owing_rows(division: Division, task: Task) -> list[LedgerRow]:
    """The rows of one task: units named as lead, implementer or support, then the roster members of `all`
    groups, then those of `relevant` groups (such a member owes the task once it reports, so it needs a row to
    report in); each unit once, under the first way it owes the task. A group never has a row of its own."""
    groups = {g.name: g for g in division.units_file.groups}
    rows: list[LedgerRow] = []
    seen: set[str] = set()

    def add(name: str, role: Role, via: str | None = None) -> None:
        if name not in seen:
            seen.add(name)
            rows.append(LedgerRow(task, name, role, via))

    named: tuple[tuple[tuple[str, ...], Role], ...] = (
        (task.leads or (), "lead"),
        (task.implementers or (), "named"),
        (task.supports or (), "support"),
    )
    for names, role in named:
        for name in names:
            if name not in groups:
                add(name, role)
    named_groups = [groups[name] for name in units_of(task) if name in groups]
    for coverage, group_role in GROUP_ROLES:
        for group in named_groups:
            if group.coverage == coverage:
                for member in members(division, group):
                    add(member.name, group_role, group.name)
    return rows


def ledger_rows(division: Division, unit: str | None = None) -> list[LedgerRow]:
    """Every row of the 台账 in task order, or only those of `unit` (a roster unit, see `roster_unit`)."""
    rows = [row for task in division.tasks for row in owing_rows(division, task)]
    if unit is None:
        return rows
    name = roster_unit(division, unit).name
    return [row for row in rows if row.unit == name]


def _cells_of(record: ProgressRecord) -> tuple[str, str, str, str]:
    """A record as the fill-in columns show it: status label, progress, evidence and date (ISO)."""
    return STATUS_LABELS[record.status], record.progress, " ".join(record.evidence), record.date.isoformat()


def exported_statuses(records: Records) -> Statuses:
    """What the workbook pre-fills for each task and unit with a record: its latest record."""
    return {key: _cells_of(found[-1]) for key, found in index_records(records).by_key.items()}


def role_text(row: LedgerRow) -> str:
    """牵头, 配合, 全体（市政府各部门）…"""
    label = ROLE_LABELS[row.role]
    return f"{label}（{row.via}）" if row.via else label


def responsibility_text(task: Task) -> str:
    """The printed 责任单位 cell, or the 牵头 and 配合 cells of a table that prints them apart, one per line."""
    return "\n".join(responsibility_cells(task))


def row_key(table_key: str, row: LedgerRow) -> str:
    """The hidden key of a row: table|task|fingerprint|unit."""
    return f"{table_key}|{row.task.number}|{fingerprint(row.task)}|{row.unit}"


def _table_key(division: Division, table_id: str | None) -> str:
    return table_id or division.document.title


def _values(division: Division, row: LedgerRow, status: tuple[str, str, str, str] | None) -> list[Cell]:
    task = row.task
    return [
        task.number,
        section_label(division, task),
        task.requirement,
        responsibility_text(task),
        task.time_limit.text,
        row.unit,
        role_text(row),
        *(status or ("", "", "", "")),
    ]


def export_rows(division: Division, unit: str | None = None, statuses: Statuses | None = None) -> list[list[Cell]]:
    """The 台账 rows for a CSV export (columns EXPORT_HEADER, without the key); write them with render.write_csv."""
    statuses = statuses or {}
    return [_values(division, row, statuses.get((row.task.number, row.unit))) for row in ledger_rows(division, unit)]


EXPORT_HEADER = HEADERS[:-1]


# --- writing ----------------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width of a line in Excel's column units: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), distinct from those taken."""
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "单位"
    title = base[:31]
    counter = 2
    while title.casefold() in taken:
        suffix = f"_{counter}"
        title = base[: 31 - len(suffix)] + suffix
        counter += 1
    taken.add(title.casefold())
    return title


def _escaped(text: str) -> str:
    """csv_text's guard (control characters shown, a quote before a formula start), made reversible: a text that
    starts with a quote gets one more, so that reading back takes exactly one off."""
    shown = visible(text)
    return "'" + shown if shown.startswith((*FORMULA_STARTS, "'")) else shown


def _put(sheet: Any, row: int, column: int, value: Cell) -> Any:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _escaped(value)
        # A string is a string: never let openpyxl read "=…" as a formula.
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _fill_sheet(sheet: Any, division: Division, rows: Sequence[LedgerRow], table_key: str, statuses: Statuses) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    fill_in_fill = PatternFill("solid", fgColor="FFF2CC")
    unlocked = Protection(locked=False)
    fill_in_columns = {HEADERS.index(h) + 1 for h in FILL_IN}
    widths = [display_width(h) + 4 for h in HEADERS]

    for column, header in enumerate(HEADERS, 1):
        cell = _put(sheet, 1, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.fill = fill_in_fill if column in fill_in_columns else header_fill
    for index, row in enumerate(rows, 2):
        values = [*_values(division, row, statuses.get((row.task.number, row.unit))), row_key(table_key, row)]
        for column, value in enumerate(values, 1):
            cell = _put(sheet, index, column, value)
            cell.alignment = wrap
            if column in fill_in_columns:
                cell.protection = unlocked
                cell.fill = fill_in_fill
            text = str(value)
            widths[column - 1] = max(widths[column - 1], *(display_width(line) + 2 for line in text.split("\n")))

    last_row = max(len(rows) + 1, 2)
    last_column = get_column_letter(len(HEADERS))
    for column, header in enumerate(HEADERS, 1):
        letter = get_column_letter(column)
        if header in FILL_IN_WIDTHS:
            width = FILL_IN_WIDTHS[header]
        else:
            width = min(widths[column - 1], MAX_WIDTHS.get(header, DEFAULT_MAX_WIDTH))
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions[last_column].hidden = True

    sheet.freeze_panes = "A2"
    # The filter covers the hidden key too, so that sorting moves each key with its row.
    sheet.auto_filter.ref = f"A1:{last_column}{last_row}"
    status_letter = get_column_letter(HEADERS.index("状态") + 1)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态不在可选范围内",
        error="请从下拉列表中选择：" + "、".join(STATUSES),
        promptTitle="状态",
        prompt="请选择：" + "、".join(STATUSES),
    )
    validation.add(f"{status_letter}2:{status_letter}{last_row}")
    sheet.add_data_validation(validation)

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"

    protection = sheet.protection
    protection.sheet = True
    # Units may still sort, filter and resize; only the locked cells cannot change.
    protection.sort = False
    protection.autoFilter = False
    protection.formatColumns = False
    protection.formatRows = False


def _unit_order(division: Division, rows: Iterable[LedgerRow]) -> list[str]:
    present = {row.unit for row in rows}
    roster = [u.name for u in division.units_file.units]
    ordered = [name for name in roster if name in present]
    ordered += sorted(present.difference(ordered))
    return ordered


def workbook_bytes(
    division: Division, *, table_id: str | None, unit: str | None = None, statuses: Statuses | None = None
) -> bytes:
    """The .xlsx bytes: 总表 with every row, then a sheet per unit; or only `unit`'s rows, on 总表 and its sheet."""
    import openpyxl  # type: ignore[import-untyped]

    statuses = statuses or {}
    table_key = _table_key(division, table_id)
    rows = ledger_rows(division, unit)
    workbook: Any = openpyxl.Workbook()
    workbook.properties.title = division.document.title
    summary = workbook.active
    taken: set[str] = set()
    summary.title = sheet_title(SUMMARY_SHEET, taken)
    _fill_sheet(summary, division, rows, table_key, statuses)
    names = [roster_unit(division, unit).name] if unit is not None else _unit_order(division, rows)
    for name in names:
        sheet = workbook.create_sheet(sheet_title(name, taken))
        _fill_sheet(sheet, division, [row for row in rows if row.unit == name], table_key, statuses)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_workbook(
    path: Path, division: Division, *, table_id: str | None, unit: str | None, statuses: Statuses | None = None
) -> int:
    """Write the 台账 workbook to `path` atomically; the number of rows in 总表."""
    write_atomically(path, workbook_bytes(division, table_id=table_id, unit=unit, statuses=statuses))
    return len(ledger_rows(division, unit))


# --- reading a filled workbook back -----------------------------------------------------------------------


def _unescape(text: str) -> str:
    """The text before `_escaped`'s formula guard."""
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


def _open(path: Path) -> tuple[Any, Refusal | None]:
    from ..bounded import FileRefusedError, read_file
    from ..importers.rows import ImportRefusedError
    from ..importers.xlsx import check_workbook
    from ..safetext import display_path

    name = display_path(path.name)
    try:
        raw = read_file(path)
        check_workbook(raw)
    except (FileRefusedError, ImportRefusedError) as e:
        return None, Refusal(name, str(e))
    import defusedxml  # type: ignore[import-untyped]

    with warnings.catch_warnings():  # defuse_stdlib also patches the deprecated cElementTree, with a warning
        warnings.simplefilter("ignore", DeprecationWarning)
        defusedxml.defuse_stdlib()
    import openpyxl

    try:
        with warnings.catch_warnings():  # data validation extensions and the like are reported as warnings
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        return None, Refusal(name, f"无法读取 Excel 文件（{type(e).__name__}），文件可能已损坏")
    return workbook, None


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
        from openpyxl.utils import get_column_letter

        return f"{self.book}:{self.title}!{get_column_letter(self.columns[header] + 1)}{line}"


class _Reading:
    """Reading the rows of a returned workbook against the table, collecting a refusal for each wrong one."""

    def __init__(self, division: Division, table_key: str, today: datetime.date, records: Records) -> None:
        self.division = division
        self.table_key = table_key
        self.today = today
        self.records = index_records(records)
        self.tasks = {task.number: task for task in division.tasks}
        self.refusals: list[Refusal] = []

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
        filled = FilledRow(
            owing.task.number,
            owing.unit,
            fingerprint(owing.task),
            status,
            _unescape(cells["工作进展情况"]),
            _unescape(cells["佐证材料"]),
            finished,
            sheet.place("状态", line),
        )
        return filled

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
        task = self.tasks.get(int(number_text)) if number_text.isdigit() and len(number_text) <= 9 else None
        if task is None:
            refuse(key_place, f"键“{key}”对应不到任务表中的任务")
            return None
        if printed != fingerprint(task):
            refuse(text_place, f"第{task.number}项任务的具体要求已在任务表中修改，请重新导出台账后填报")
            return None
        row = next((r for r in owing_rows(self.division, task) if r.unit == unit), None)
        if row is None and any(g.name == unit for g in self.division.units_file.groups):
            refuse(key_place, f"“{unit}”是群体，由成员单位各自填报；请重新导出台账，在本单位的行中填写")
        elif row is None:
            refuse(key_place, f"“{unit}”不是第{task.number}项任务的责任单位")
        return row

    def _edited(self, row: LedgerRow, sheet: _Sheet, line: int, cells: Mapping[str, str]) -> bool:
        expected = dict(zip(EXPORT_HEADER, _values(self.division, row, None), strict=True))
        edited = [h for h in CHECKED if _flat(cells[h]) != _flat(_escaped(str(expected[h])))]
        for header in edited:
            self.refuse(sheet.place(header, line), f"第{row.task.number}项任务的“{header}”被改动，与任务表不符")
        return bool(edited)

    def _is_new(self, copy: FilledRow) -> bool:
        """Whether a copy of a row says what no record says yet: one with a status that neither repeats what
        the export pre-filled nor an earlier record (a workbook read twice, or exported before a later report)."""
        said = _said(copy, self.today)
        return said is not None and all(said != _record_says(r) for r in self.records.of(copy.number, copy.unit))

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
                    f"第{first.number}项任务“{first.unit}”的填报与 {first.where} 不一致，两处都有改动，请只保留一份",
                )
        return first


def read_filled_workbook(
    path: Path,
    division: Division,
    *,
    table_id: str | None,
    today: datetime.date,
    records: Records = (),
) -> tuple[list[FilledRow], list[Refusal]]:
    """The rows units filled in that say something new, found by their hidden keys on any sheet.

    Every row appears on 总表 and on its unit's sheet, and the export pre-fills both from the latest of the
    progress `records`: a copy that repeats a record (as pre-filled, or an earlier one) or has no status says
    nothing new, and the other copy counts. With its defaults (progress: the status; date: today) a row repeats a
    record when status, progress, evidence and date are all the same.

    All or nothing: a row whose locked text was edited, whose key does not belong to this table's current tasks,
    whose status is not one of STATUSES, whose 完成时间 is not a date up to `today`, or whose copies say two
    different new things, is refused, and then no row is returned.
    """
    from ..importers.limits import MAX_COLUMNS, MAX_ROWS
    from ..safetext import display_path

    workbook, failure = _open(path)
    if failure is not None:
        return [], [failure]
    name = display_path(path.name)
    reading = _Reading(division, _table_key(division, table_id), today, records)
    copies: dict[tuple[int, str], list[FilledRow]] = {}
    found_key_column = False

    for worksheet in workbook.worksheets:
        if worksheet.max_row > MAX_ROWS or worksheet.max_column > MAX_COLUMNS:
            reading.refuse(
                f"{name}:{worksheet.title}", f"工作表过大（{worksheet.max_row} 行 × {worksheet.max_column} 列）"
            )
            continue
        grid = list(
            worksheet.iter_rows(min_row=1, max_row=worksheet.max_row, max_col=worksheet.max_column, values_only=True)
        )
        if not grid:
            continue
        columns = {_cell_text(value): index for index, value in enumerate(grid[0]) if value is not None}
        if KEY_HEADER not in columns:
            continue  # a sheet of the unit's own, not one of the 台账's
        found_key_column = True
        missing = [h for h in HEADERS if h not in columns]
        if missing:
            reading.refuse(
                f"{name}:{worksheet.title}", f"缺少列“{'”“'.join(missing)}”；请勿删除台账的列，可重新导出后填报"
            )
            continue
        sheet = _Sheet(name, worksheet.title, columns)
        for line, values in enumerate(grid[1:], 2):
            filled = reading.row(sheet, line, {header: _cell_text(values[columns[header]]) for header in HEADERS})
            if filled is not None:
                copies.setdefault((filled.number, filled.unit), []).append(filled)
    if not found_key_column:
        reading.refuse(name, f"不是 gongkai 导出的台账（没有“{KEY_HEADER}”列）")
    taken = [row for row in map(reading.changed, copies.values()) if row is not None]
    if reading.refusals:
        return [], reading.refusals
    return sorted(taken, key=lambda r: (r.number, r.unit)), []


__all__ = [
    "EXPORT_HEADER",
    "HEADERS",
    "STATUSES",
    "FilledRow",
    "LedgerRow",
    "Refusal",
    "display_width",
    "export_rows",
    "exported_statuses",
    "fingerprint",
    "ledger_rows",
    "owing_rows",
    "read_filled_workbook",
    "row_key",
    "workbook_bytes",
    "write_workbook",
]
