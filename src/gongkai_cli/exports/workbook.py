"""The 台账 workbook: one row per task and unit that owes it, with columns the units fill in (filled.py reads it back).

The workbook goes out to units and comes back filled in, so it is built to survive that trip: the table's own
text is locked (sheet protection; no password, it guards against slips, the read-back check guards against the
rest), every row carries a hidden key (table|task|fingerprint|unit) by which it is found again however the
rows were sorted or filtered, and a row whose locked text no longer matches the table is refused. A row
appears twice, on 总表 and on its unit's sheet, pre-filled from the progress records: whichever copy says
something new counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import GongkaiError
from ..models import Division, Task, TaskId
from ..owing import Role, ledger_units
from ..progress import STATUSES as STATUS_LABELS
from ..progress import ProgressRecord, Records, fingerprint, index_records
from ..query import responsibility_cells, roster_unit
from ..render import Cell
from ..safetext import visible
from ..tuples import NamedTuple
from ..views import section_label
from ..vocabulary import LEDGER_ROLE_LABELS

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
# The custom document property naming the one unit a workbook was exported for (`export xlsx --unit`).
SCOPE_PROPERTY = "gongkai-unit"
# A recurring task's 时限要求 cell names the period its row reports on: 每月（期次：2024-10）.
PERIOD_LABEL = "期次"
# Widest a column grows, in the width units of Excel (about one Latin character); Chinese counts two.
MAX_WIDTHS = {"具体要求": 60, "责任单位": 30, "时限要求": 16}
FILL_IN_WIDTHS = {"状态": 14, "工作进展情况": 40, "佐证材料": 30, "完成时间": 14}
DEFAULT_MAX_WIDTH = 24
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# What the workbook pre-fills per (task, unit): status label, progress, evidence and date (ISO).
Statuses = Mapping[tuple[TaskId, str], tuple[str, str, str, str]]


class LedgerRow(NamedTuple):
    """One row of the 台账: a task and a unit that owes it, or may owe it (a member of a `relevant` group)."""

    task: Task
    unit: str
    role: Role
    via: str | None = None


# --- rows -------------------------------------------------------------------------------------------------


def task_rows(division: Division, task: Task) -> list[LedgerRow]:
    """The rows of one task: every unit that owes it or may owe it (`owing.ledger_units`), so that each can report."""
    return [LedgerRow(task, *owing) for owing in ledger_units(division, task)]


def ledger_rows(division: Division, unit: str | None = None) -> list[LedgerRow]:
    """Every row of the 台账 in task order, or only those of `unit` (a roster unit, see `roster_unit`)."""
    rows = [row for task in division.tasks for row in task_rows(division, task)]
    if unit is None:
        return rows
    name = roster_unit(division, unit).name
    return [row for row in rows if row.unit == name]


def _cells_of(record: ProgressRecord) -> tuple[str, str, str, str]:
    """A record as the fill-in columns show it: status label, progress, evidence and date (ISO)."""
    return STATUS_LABELS[record.status], record.progress, " ".join(record.evidence), record.date.isoformat()


def exported_statuses(records: Records) -> Statuses:
    """What the workbook pre-fills for each task and unit with a record: its latest record (of the records that
    speak of the export's today, `progress.status.current_records`, for a recurring task's current period)."""
    return {key: _cells_of(found[-1]) for key, found in index_records(records).by_key.items()}


def role_text(row: LedgerRow) -> str:
    """牵头, 配合, 全体（市政府各部门）…"""
    label = LEDGER_ROLE_LABELS[row.role]
    return f"{label}（{row.via}）" if row.via else label


def responsibility_text(task: Task) -> str:
    """The printed 责任单位 cell, or the 牵头 and 配合 cells of a table that prints them apart, one per line."""
    return "\n".join(responsibility_cells(task))


def row_key(division: Division, table_key: str, row: LedgerRow) -> str:
    """The hidden key of a row: table|task|fingerprint|unit, the task by its identity (17, or 4-2)."""
    return f"{table_key}|{division.task_id(row.task)}|{fingerprint(row.task)}|{row.unit}"


def table_key_of(division: Division, table_id: str | None) -> str:
    return table_id or division.document.title


def time_limit_text(task: Task, period: str | None) -> str:
    """The 时限要求 cell: the table's phrase, and for a recurring task the period its row reports on."""
    return f"{task.time_limit.text}（{PERIOD_LABEL}：{period}）" if period else task.time_limit.text


def row_values(
    division: Division, row: LedgerRow, status: tuple[str, str, str, str] | None, period: str | None = None
) -> list[Cell]:
    task = row.task
    return [
        division.task_id(task),
        section_label(division, task),
        task.requirement,
        responsibility_text(task),
        time_limit_text(task, period),
        row.unit,
        role_text(row),
        *(status or ("", "", "", "")),
    ]


def export_rows(
    division: Division,
    unit: str | None = None,
    statuses: Statuses | None = None,
    periods: Mapping[TaskId, str] | None = None,
) -> list[list[Cell]]:
    """The 台账 rows for a CSV export (columns EXPORT_HEADER, without the key); write them with render.write_csv."""
    statuses, periods = statuses or {}, periods or {}
    return [
        row_values(
            division, row, statuses.get((division.task_id(row.task), row.unit)), periods.get(division.task_id(row.task))
        )
        for row in ledger_rows(division, unit)
    ]


EXPORT_HEADER = HEADERS[:-1]

# --- writing ----------------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width of a line in Excel's column units: East Asian wide and full-width characters count two."""
    if text.isascii():
        return len(text)
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


# The cell styles, registered once per workbook as named styles: each cell refers to one by index.
_HEADER_STYLE, _FILL_IN_HEADER_STYLE, _TEXT_STYLE, _FILL_IN_STYLE = "台账表头", "台账填写表头", "台账正文", "台账填写"
_FILL_IN_COLUMNS = frozenset(HEADERS.index(h) for h in FILL_IN)


class WorkbookTooLargeError(GongkaiError):
    """A 台账 that `report --from` would refuse to read back (importers/limits.py): refused before writing."""


def _named_styles(workbook: Any) -> None:
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection  # type: ignore[import-untyped]

    header_fill = PatternFill("solid", fgColor="D9D9D9")
    fill_in_fill = PatternFill("solid", fgColor="FFF2CC")
    centred = Alignment(wrap_text=True, horizontal="center", vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for style in (
        NamedStyle(_HEADER_STYLE, font=Font(bold=True), alignment=centred, fill=header_fill),
        NamedStyle(_FILL_IN_HEADER_STYLE, font=Font(bold=True), alignment=centred, fill=fill_in_fill),
        NamedStyle(_TEXT_STYLE, alignment=wrap),
        NamedStyle(_FILL_IN_STYLE, alignment=wrap, fill=fill_in_fill, protection=Protection(locked=False)),
    ):
        workbook.add_named_style(style)


def _sheet_values(
    division: Division,
    rows: Sequence[LedgerRow],
    table_key: str,
    statuses: Statuses,
    periods: Mapping[TaskId, str],
) -> list[list[Cell]]:
    """Every row's cells, control characters shown; a task's own text is built once however many units owe it."""
    by_task: dict[TaskId, list[Cell]] = {}
    values = []
    for row in rows:
        task = row.task
        ident = division.task_id(task)
        text = by_task.get(ident)
        if text is None:
            text = by_task[ident] = [
                ident,
                *map(visible, (section_label(division, task), task.requirement, responsibility_text(task))),
                visible(time_limit_text(task, periods.get(ident))),
            ]
        status = statuses.get((ident, row.unit), ("", "", "", ""))
        values.append([*text, *map(visible, (row.unit, role_text(row), *status, row_key(division, table_key, row)))])
    return values


def _widths(values: Sequence[Sequence[Cell]]) -> list[float]:
    """Each column's width: its widest line, up to the column's cap; each distinct text is measured once, and a
    column stops being measured when it reaches its cap."""
    widths: list[float] = []
    for column, header in enumerate(HEADERS):
        if header in FILL_IN_WIDTHS:
            widths.append(FILL_IN_WIDTHS[header])
            continue
        cap = MAX_WIDTHS.get(header, DEFAULT_MAX_WIDTH)
        width = display_width(header) + 4
        seen: set[Cell] = set()
        for row in values:
            value = row[column]
            if width >= cap:
                break
            if value in seen:
                continue
            seen.add(value)
            width = max(width, *(display_width(line) + 2 for line in str(value).split("\n")))
        widths.append(min(width, cap))
    return widths


def _fill_sheet(sheet: Any, values: Sequence[Sequence[Cell]]) -> None:
    """Write one sheet in a single pass: what goes before the rows (widths, panes, page), the rows, what follows."""
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

    last_row = max(len(values) + 1, 2)
    last_column = get_column_letter(len(HEADERS))
    for column, width in enumerate(_widths(values), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions[last_column].hidden = True
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"

    styles = {}
    for name in (_HEADER_STYLE, _FILL_IN_HEADER_STYLE, _TEXT_STYLE, _FILL_IN_STYLE):
        template = WriteOnlyCell(sheet)
        template.style = name
        styles[name] = template._style

    def cell(value: Cell, style: str) -> Any:
        written = WriteOnlyCell(sheet, value)
        # A string is a string: never let openpyxl read "=…" as a formula.
        if isinstance(value, str):
            written.data_type = "s"
        # The named style's array, shared: openpyxl only reads it (to find the style's index when writing),
        # and assigning the style by name would copy it for every cell.
        written._style = styles[style]
        return written

    sheet.append(
        [
            cell(header, _FILL_IN_HEADER_STYLE if column in _FILL_IN_COLUMNS else _HEADER_STYLE)
            for column, header in enumerate(HEADERS)
        ]
    )
    body = [_FILL_IN_STYLE if column in _FILL_IN_COLUMNS else _TEXT_STYLE for column in range(len(HEADERS))]
    for row in values:
        sheet.append([cell(value, style) for value, style in zip(row, body, strict=True)])

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
    sheet.data_validations.append(validation)

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


def check_size(sheet_rows: Sequence[int]) -> None:
    """Refuse a 台账 of sheets of these many rows (the header not counted) that `report --from` would refuse."""
    from ..importers.limits import MAX_CELLS, MAX_ROWS

    largest = max(sheet_rows, default=0) + 1
    if largest > MAX_ROWS:
        raise WorkbookTooLargeError(
            f"台账有一张工作表达 {largest:,} 行（上限 {MAX_ROWS:,} 行），填好后无法用 report --from 汇总；"
            "请用 --unit 按单位分别导出"
        )
    cells = sum(rows + 1 for rows in sheet_rows) * len(HEADERS)
    if cells > MAX_CELLS:
        raise WorkbookTooLargeError(
            f"台账共 {cells:,} 个单元格（上限 {MAX_CELLS:,}），填好后无法用 report --from 汇总；请用 --unit 按单位分别导出"
        )


def write_workbook(
    path: Path,
    division: Division,
    *,
    table_id: str | None,
    unit: str | None,
    statuses: Statuses | None = None,
    periods: Mapping[TaskId, str] | None = None,
) -> int:
    """Write the 台账 workbook to `path`: 总表 with every row, then a sheet per unit; or only `unit`'s rows, on 总表
    and its sheet. The number of rows in 总表.

    Written in openpyxl's write-only mode, a row at a time, each cell referring to a named style, straight into the
    one writer's stream (an export, by io.write's rules: a temporary file, or the pipe or device). A workbook that
    `report --from` would refuse (too many rows or cells) is refused before it is built. `periods` names, by task
    identity, the period a recurring task's rows report on (`time_limit_text`).
    """
    import openpyxl  # type: ignore[import-untyped]

    from ..io.write import open_for_write

    statuses, periods = statuses or {}, periods or {}
    table_key = table_key_of(division, table_id)
    rows = ledger_rows(division, unit)
    names = [roster_unit(division, unit).name] if unit is not None else _unit_order(division, rows)
    by_unit: dict[str, list[LedgerRow]] = {name: [] for name in names}
    for row in rows:
        by_unit[row.unit].append(row)
    check_size([len(rows), *map(len, by_unit.values())])

    workbook: Any = openpyxl.Workbook(write_only=True)
    workbook.properties.title = division.document.title
    if unit is not None:
        # The unit the workbook was exported for: the read-back takes rows of that unit only.
        from openpyxl.packaging.custom import StringProperty  # type: ignore[import-untyped]

        workbook.custom_doc_props.append(StringProperty(name=SCOPE_PROPERTY, value=names[0]))
    _named_styles(workbook)
    taken: set[str] = set()
    summary = _sheet_values(division, rows, table_key, statuses, periods)
    _fill_sheet(workbook.create_sheet(sheet_title(SUMMARY_SHEET, taken)), summary)
    for name in names:
        values = _sheet_values(division, by_unit[name], table_key, statuses, periods)
        _fill_sheet(workbook.create_sheet(sheet_title(name, taken)), values)
    with open_for_write(path, export=True) as out:
        workbook.save(out)
    return len(rows)


__all__ = [
    "CHECKED",
    "EXPORT_HEADER",
    "HEADERS",
    "KEY_HEADER",
    "PERIOD_LABEL",
    "SCOPE_PROPERTY",
    "STATUSES",
    "LedgerRow",
    "WorkbookTooLargeError",
    "check_size",
    "display_width",
    "export_rows",
    "exported_statuses",
    "ledger_rows",
    "row_key",
    "row_values",
    "table_key_of",
    "task_rows",
    "time_limit_text",
    "write_workbook",
]
