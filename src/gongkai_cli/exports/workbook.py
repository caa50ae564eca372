"""The 台账 workbook: one row per task and owing unit, with columns the units fill in, and reading it back.

The workbook goes out to units and comes back filled in, so it is built to survive that trip: the table's own
text is locked (sheet protection; no password, it guards against slips, the read-back check guards against the
rest), every row carries a hidden key (table|task|fingerprint|unit) by which it is found again however the
rows were sorted or filtered, and a row whose locked text no longer matches the table is refused.
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

from ..models import Division, Task
from ..query import ROLE_LABELS, Role, members, resolve, responsibility_cells, units_of
from ..render import FORMULA_STARTS, Cell, csv_text
from ..tuples import NamedTuple
from ..views import section_label
from . import fingerprint, write_atomically

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
# Locked columns compared with the table when a filled workbook comes back.
CHECKED = ("具体要求", "责任单位", "时限要求", "单位")
STATUSES = ("未开始", "按序时推进", "已完成", "未达预期")
SUMMARY_SHEET = "总表"
# Widest a column grows, in the width units of Excel (about one Latin character); Chinese counts two.
MAX_WIDTHS = {"具体要求": 60, "责任单位": 30, "时限要求": 16}
FILL_IN_WIDTHS = {"状态": 14, "工作进展情况": 40, "佐证材料": 30, "完成时间": 14}
DEFAULT_MAX_WIDTH = 24
# A returned workbook larger than this is not one of ours.
MAX_ROWS = 100_000
MAX_COLUMNS = 64
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Statuses = Mapping[tuple[int, str], tuple[str, str, str, str]]


class LedgerRow(NamedTuple):
    """One row of the 台账: a task and a unit that owes it (a `relevant` group stands for its members)."""

    task: Task
    unit: str
    role: Role
    via: str | None = None


class FilledRow(NamedTuple):
    """What a unit reported for one task: status, progress, evidence and completion date, and where it was read."""

    number: int
    unit: str
    fingerprint: str
    status: str
    progress: str
    evidence: str
    finished: str
    where: str


class Refusal(NamedTuple):
    """A reason a filled workbook is not taken, with its place (台账.xlsx:总表!C12)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


# --- rows -------------------------------------------------------------------------------------------------


def owing_rows(division: Division, task: Task) -> list[LedgerRow]:
    """The rows of one task: units named as lead, implementer or support, then the members of `all` groups,
    then one row for each `relevant` group itself; each unit once, under the first way it owes the task."""
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
    for name in units_of(task):
        group = groups.get(name)
        if group is None:
            continue
        if group.coverage == "all":
            for member in members(division, group):
                add(member.name, "group", group.name)
        else:
            add(group.name, "relevant")
    return rows


def ledger_rows(division: Division, unit: str | None = None) -> list[LedgerRow]:
    """Every row of the 台账 in task order, or only those of `unit` (any name `resolve` accepts)."""
    rows = [row for task in division.tasks for row in owing_rows(division, task)]
    if unit is None:
        return rows
    name = resolve(division, unit).name
    return [row for row in rows if row.unit == name]


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


def _put(sheet: Any, row: int, column: int, value: Cell) -> Any:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = csv_text(value)
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
    roster = [u.name for u in division.units_file.units] + [g.name for g in division.units_file.groups]
    ordered = [name for name in roster if name in present]
    ordered += sorted(present.difference(ordered))
    return ordered


def workbook_bytes(
    division: Division, *, table_id: str | None, unit: str | None = None, statuses: Statuses | None = None
) -> bytes:
    """The .xlsx bytes: 总表 with every row, then a sheet per unit (or only `unit`'s sheet)."""
    import openpyxl  # type: ignore[import-untyped]

    statuses = statuses or {}
    table_key = _table_key(division, table_id)
    rows = ledger_rows(division)
    workbook: Any = openpyxl.Workbook()
    workbook.properties.title = division.document.title
    summary = workbook.active
    taken: set[str] = set()
    summary.title = sheet_title(SUMMARY_SHEET, taken)
    _fill_sheet(summary, division, rows, table_key, statuses)
    names = [resolve(division, unit).name] if unit is not None else _unit_order(division, rows)
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
    return len(ledger_rows(division))


# --- reading a filled workbook back -----------------------------------------------------------------------


def _unescape(text: str) -> str:
    """The text before csv_text's formula guard."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


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
    from ..importers.safezip import check_zip
    from ..safetext import display_path

    name = display_path(path.name)
    try:
        raw = read_file(path)
        check_zip(raw, "Excel（.xlsx）")
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


def read_filled_workbook(
    path: Path, division: Division, *, table_id: str | None
) -> tuple[list[FilledRow], list[Refusal]]:
    """The rows units filled in (a status chosen), found by their hidden keys on any sheet.

    All or nothing: a row whose locked text was edited, whose key does not belong to this table's current
    tasks, whose status is not one of STATUSES, or that disagrees with another copy of the same row, is
    refused, and then no row is returned.
    """
    from openpyxl.utils import get_column_letter

    from ..safetext import display_path

    workbook, failure = _open(path)
    if failure is not None:
        return [], [failure]
    name = display_path(path.name)
    table_key = _table_key(division, table_id)
    tasks = {task.number: task for task in division.tasks}
    refusals: list[Refusal] = []
    taken: dict[tuple[int, str], FilledRow] = {}
    found_key_column = False

    for sheet in workbook.worksheets:
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            refusals.append(
                Refusal(f"{name}:{sheet.title}", f"工作表过大（{sheet.max_row} 行 × {sheet.max_column} 列）")
            )
            continue
        grid = list(sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column, values_only=True))
        if not grid:
            continue
        columns = {_cell_text(value): index for index, value in enumerate(grid[0]) if value is not None}
        if KEY_HEADER not in columns or any(h not in columns for h in HEADERS):
            continue
        found_key_column = True

        def place(header: str, line: int, sheet_title: str = sheet.title, columns: dict[str, int] = columns) -> str:
            return f"{name}:{sheet_title}!{get_column_letter(columns[header] + 1)}{line}"

        for line, values in enumerate(grid[1:], 2):
            cells = {header: _cell_text(values[columns[header]]) for header in HEADERS}
            key, status = _unescape(cells[KEY_HEADER]), cells["状态"]
            if not key:
                if status:
                    refusals.append(
                        Refusal(place(KEY_HEADER, line), "此行没有键，无法对应到任务（请勿在台账中新增行）")
                    )
                continue
            table, _, rest = key.partition("|")
            number_text, _, rest = rest.partition("|")
            printed, _, unit = rest.partition("|")
            if table != table_key:
                refusals.append(Refusal(place(KEY_HEADER, line), f"此行属于另一张任务表（{table}），不是“{table_key}”"))
                continue
            task = tasks.get(int(number_text)) if number_text.isdigit() and len(number_text) <= 9 else None
            if task is None:
                refusals.append(Refusal(place(KEY_HEADER, line), f"键“{key}”对应不到任务表中的任务"))
                continue
            if printed != fingerprint(task):
                refusals.append(
                    Refusal(
                        place("具体要求", line),
                        f"第{task.number}项任务的具体要求已在任务表中修改，请重新导出台账后填报",
                    )
                )
                continue
            row = next((r for r in owing_rows(division, task) if r.unit == unit), None)
            if row is None:
                refusals.append(Refusal(place(KEY_HEADER, line), f"“{unit}”不是第{task.number}项任务的责任单位"))
                continue
            expected = dict(zip(EXPORT_HEADER, _values(division, row, None), strict=True))
            edited = [h for h in CHECKED if _flat(cells[h]) != _flat(csv_text(str(expected[h])))]
            for header in edited:
                refusals.append(Refusal(place(header, line), f"第{task.number}项任务的“{header}”被改动，与任务表不符"))
            if edited or not status:
                continue
            if status not in STATUSES:
                refusals.append(Refusal(place("状态", line), f"状态“{status}”不在可选范围内：{'、'.join(STATUSES)}"))
                continue
            filled = FilledRow(
                task.number,
                unit,
                printed,
                status,
                _unescape(cells["工作进展情况"]),
                _unescape(cells["佐证材料"]),
                _unescape(cells["完成时间"]),
                place("状态", line),
            )
            earlier = taken.get((task.number, unit))
            if earlier is None:
                taken[(task.number, unit)] = filled
            elif earlier[:7] != filled[:7]:
                refusals.append(
                    Refusal(filled.where, f"第{task.number}项任务“{unit}”的填报与 {earlier.where} 不一致，请只保留一份")
                )
    if not found_key_column:
        refusals.append(Refusal(name, f"不是 gongkai 导出的台账（没有“{KEY_HEADER}”列）"))
    if refusals:
        return [], refusals
    return sorted(taken.values(), key=lambda r: (r.number, r.unit)), []


__all__ = [
    "EXPORT_HEADER",
    "HEADERS",
    "STATUSES",
    "FilledRow",
    "LedgerRow",
    "Refusal",
    "display_width",
    "export_rows",
    "fingerprint",
    "ledger_rows",
    "owing_rows",
    "read_filled_workbook",
    "row_key",
    "workbook_bytes",
    "write_workbook",
]
