"""Excel (.xlsx) workbooks: the header row found by its names, merged cells read as their top-left value.

`check_workbook` reads each sheet's XML as a stream before openpyxl sees the file, and refuses a workbook that
would make openpyxl build too much (limits.py): openpyxl makes an object for every cell of a merged range and of
a hyperlink range, and a reader lays out every cell of a sheet's rows × columns. The declared <dimension> is not
trusted either way; the cells, ranges and comments a reader builds are counted. The 台账 read-back calls it too.

The same scan gives the import what openpyxl's read-only mode does not: each sheet's merged ranges and the rows
and columns its cells reach. The cells themselves are read in read-only mode, a row at a time, without the
cell, style and merged-cell objects the full mode builds (half the time of a large sheet).
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import warnings
import zipfile
from typing import Any

from .limits import MAX_CELLS, MAX_COLUMNS, MAX_RANGE_CELLS, MAX_ROWS
from .rows import Cleaner, DocumentInfo, GridRow, ImportRefusedError, Note, Row, find_header, grid_rows
from .safezip import check_zip, open_zip, relationships, root_name, scan_xml

KIND = "Excel（.xlsx）"
_ROW = re.compile(r"(\d{1,9})(?:\.0*)?")
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,9})")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,9})(?::\$?([A-Za-z]{1,3})\$?(\d{1,9}))?")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_TAG, _ROW_TAG, _SHEET_TAG, _COMMENT_TAG = (_MAIN + name for name in ("c", "row", "sheet", "comment"))
_MERGE_TAG = _MAIN + "mergeCell"
_RANGE_TAGS = frozenset({_MERGE_TAG, _MAIN + "hyperlink"})
_RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_COMMENTS = "/comments"
# A number in a time-limit column is a date typed into a General-format cell when it falls in these years.
_SERIAL_YEARS = range(2000, 2101)


@functools.cache
def _column(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _range(ref: str, title: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column) of "A1" or "A1:B2"."""
    m = _RANGE.fullmatch(ref.strip())
    if m is None:
        raise ImportRefusedError(f"工作表“{title}”中有无法识别的单元格范围“{ref[:40]}”，文件可能已损坏")
    first_row, first_column = int(m.group(2)), _column(m.group(1))
    last_row, last_column = (int(m.group(4)), _column(m.group(3))) if m.group(3) else (first_row, first_column)
    return (
        min(first_row, last_row),
        min(first_column, last_column),
        max(first_row, last_row),
        max(first_column, last_column),
    )


class _Sheet:
    """What a sheet's XML makes openpyxl build: the rows and columns its cells reach, and the cells its merged
    and hyperlink ranges cover. Its methods are expat's handlers, called once per element: kept lean."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.row = self.column = 0  # where the last cell stood: a cell without r="…" follows it
        self.rows = self.columns = 0
        self.covered = 0
        self.merged: list[tuple[int, int, int, int]] = []  # (first row, first column, last row, last column)

    def reach(self, row: int, column: int) -> None:
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == _CELL_TAG:
            coordinate = attributes.get("r")
            if coordinate:
                m = _CELL.fullmatch(coordinate)
                if m is None:
                    raise ImportRefusedError(
                        f"工作表“{self.title}”中有无法识别的单元格位置“{coordinate[:40]}”，文件可能已损坏"
                    )
                self.row, self.column = int(m.group(2)), _column(m.group(1))
            else:
                self.column += 1
            if self.row > self.rows:
                self.rows = self.row
            if self.column > self.columns:
                self.columns = self.column
        elif tag == _ROW_TAG:
            number = attributes.get("r")
            m = _ROW.fullmatch(number) if number else None
            if number and m is None:
                raise ImportRefusedError(f"工作表“{self.title}”中有无法识别的行号“{number[:40]}”，文件可能已损坏")
            self.row = int(m.group(1)) if m else self.row + 1
            self.column = 0
        elif tag in _RANGE_TAGS and "ref" in attributes:
            found = first_row, first_column, last_row, last_column = _range(attributes["ref"], self.title)
            if tag == _MERGE_TAG:
                self.merged.append(found)
            self.covered += (last_row - first_row + 1) * (last_column - first_column + 1)
            if self.covered > MAX_RANGE_CELLS:
                raise ImportRefusedError(
                    f"工作表“{self.title}”的合并单元格和超链接范围覆盖超过 {MAX_RANGE_CELLS:,} 个单元格"
                    "，疑似恶意构造的文件，拒绝读取"
                )
            self.reach(last_row, last_column)

    def comment(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == _COMMENT_TAG and "ref" in attributes:
            _, _, last_row, last_column = _range(attributes["ref"], self.title)
            self.reach(last_row, last_column)

    def rows_of(self, sheet: Any) -> Any:
        """The values of `sheet`'s rows (an openpyxl read-only worksheet this scan measured): as many rows and
        columns as its cells, ranges and comments reach (at least one of each, as openpyxl counts them), whatever
        dimension the sheet declares."""
        return sheet.iter_rows(min_row=1, max_row=max(self.rows, 1), max_col=max(self.columns, 1), values_only=True)

    def check(self) -> None:
        if self.rows > MAX_ROWS:
            raise ImportRefusedError(f"工作表“{self.title}”有 {self.rows:,} 行（上限 {MAX_ROWS:,} 行），拒绝读取")
        if self.columns > MAX_COLUMNS:
            raise ImportRefusedError(f"工作表“{self.title}”有 {self.columns:,} 列（上限 {MAX_COLUMNS} 列），拒绝读取")


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet member's title, from the workbook part and its relationships."""
    titles: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []  # (relationship id, title)

    def sheet(tag: str, attributes: dict[str, str]) -> None:
        if tag == _SHEET_TAG:
            sheets.append((attributes.get(_RELATIONSHIP_ID, ""), attributes.get("name", "")))

    for name in archive.namelist():
        if root_name(archive, name, KIND) == "workbook":
            sheets.clear()
            scan_xml(archive, name, KIND, sheet)
            targets = {rid: member for rid, _, member in relationships(archive, name, KIND)}
            titles.update((targets[rid], title) for rid, title in sheets if rid in targets)
    return titles


def check_workbook(raw: bytes) -> dict[str, _Sheet | None]:
    """Refuse a workbook over the limits (rows, columns, cells, merged and hyperlink ranges) before openpyxl; what
    the scan found of each worksheet, by title (None for a title that two worksheets bear)."""
    check_zip(raw, KIND)
    found: dict[str, _Sheet | None] = {}
    with open_zip(raw) as archive:
        titles = _sheet_titles(archive)
        cells = covered = 0
        for name in archive.namelist():
            if root_name(archive, name, KIND) != "worksheet":
                continue
            sheet = _Sheet(titles.get(name, name))
            scan_xml(archive, name, KIND, sheet.start)
            covered += sheet.covered
            if covered > MAX_RANGE_CELLS:
                raise ImportRefusedError(
                    f"工作簿的合并单元格和超链接范围共覆盖超过 {MAX_RANGE_CELLS:,} 个单元格，疑似恶意构造的文件，拒绝读取"
                )
            for _, kind, member in relationships(archive, name, KIND):
                if kind.endswith(_COMMENTS) and member in archive.NameToInfo:
                    scan_xml(archive, member, KIND, sheet.comment)
            sheet.check()
            cells += sheet.rows * sheet.columns
            if cells > MAX_CELLS:
                raise ImportRefusedError(
                    f"工作簿的各工作表共占 {cells:,} 个单元格（行数 × 列数，上限 {MAX_CELLS:,}），拒绝读取"
                )
            found[sheet.title] = None if sheet.title in found else sheet
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _serial_date(value: float, epoch: datetime.datetime) -> str | None:
    """A date typed into a General-format cell, shown as its serial number (45555), as date text; else None."""
    from openpyxl.utils.datetime import from_excel  # type: ignore[import-untyped]

    if value < 1 or value > 2_958_465:  # Excel's serials run to 9999-12-31
        return None
    day = from_excel(value, epoch)
    return _text(day) if day.year in _SERIAL_YEARS else None


def open_workbook(raw: bytes) -> tuple[Any, dict[str, _Sheet | None]]:
    """A workbook checked against the limits (`check_workbook`) and opened in openpyxl's read-only mode, with what
    the check's scan found of each sheet, by title; ImportRefusedError when it is over a limit or cannot be opened.
    Both the import and the 台账 read-back open workbooks here."""
    scanned = check_workbook(raw)
    import defusedxml  # type: ignore[import-untyped]

    with warnings.catch_warnings():  # defuse_stdlib also patches the deprecated cElementTree, with a warning
        warnings.simplefilter("ignore", DeprecationWarning)
        defusedxml.defuse_stdlib()
    import openpyxl  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():  # data validation extensions and the like are reported as warnings
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise ImportRefusedError(f"无法读取 Excel 文件（{type(e).__name__}），文件可能已损坏") from None
    return workbook, scanned


def read_xlsx(raw: bytes, name: str, year: int, cleaner: Cleaner) -> tuple[list[Row], DocumentInfo, list[Note], str]:
    """The rows of the first visible sheet that holds a header row, the notice from the rows above it, and which
    sheet was read (hidden sheets are skipped)."""
    workbook, scanned = open_workbook(raw)
    try:
        return _first_table(workbook, scanned, year, cleaner)
    except ImportRefusedError:
        raise
    except Exception as e:  # read-only mode parses each sheet as it is read: damage shows here
        raise ImportRefusedError(f"无法读取 Excel 文件（{type(e).__name__}），文件可能已损坏") from None
    finally:
        workbook.close()


def _first_table(
    workbook: Any, scanned: dict[str, _Sheet | None], year: int, cleaner: Cleaner
) -> tuple[list[Row], DocumentInfo, list[Note], str]:
    hidden = [sheet.title for sheet in workbook.worksheets if sheet.sheet_state != "visible"]
    skipped = f"，跳过隐藏的工作表“{'”“'.join(hidden)}”" if hidden else ""
    last_error: ImportRefusedError | None = None
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        scan = scanned.get(sheet.title)
        if scan is None:  # the sheet the scan measured cannot be told from another: its merged cells are unknown
            raise ImportRefusedError(f"工作表“{sheet.title}”无法与工作簿的结构对应（同名或缺失），文件可能已损坏")
        grid, numbers = _grid(sheet, scan, cleaner)
        _read_serial_dates(grid, numbers, cleaner, workbook.epoch)
        try:
            rows_read, info, notes = grid_rows(grid, cleaner, year)
        except ImportRefusedError as e:
            last_error = e
            continue
        return rows_read, info, notes, f"读取工作表“{sheet.title}”{skipped}"
    if last_error is None:
        raise ImportRefusedError(
            "Excel 文件中没有可见的工作表" + (f"（隐藏的工作表：“{'”“'.join(hidden)}”）" if hidden else "")
        )
    raise last_error


def _grid(sheet: Any, scan: _Sheet, cleaner: Cleaner) -> tuple[list[GridRow], dict[tuple[int, int], float]]:
    """A sheet's cells as text, each merged range holding its top-left value, and the cells that hold numbers.

    The rows and columns are those the sheet's cells, merged and hyperlink ranges and comments reach (at least
    one of each, as openpyxl counts them), from the scan rather than the sheet's declared dimension.
    """
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    rows, columns = max(scan.rows, 1), max(scan.columns, 1)
    values = [["" for _ in range(columns)] for _ in range(rows)]
    numbers: dict[tuple[int, int], float] = {}
    for r, row in enumerate(scan.rows_of(sheet)):
        for c, value in enumerate(row):
            if value is None:
                continue
            values[r][c] = _text(value)
            cleaner.tally(values[r][c])
            if isinstance(value, int | float) and not isinstance(value, bool):
                numbers[r, c] = value
    for first_row, first_column, last_row, last_column in scan.merged:
        top = (first_row - 1, first_column - 1)
        top_left = values[top[0]][top[1]] if first_row <= rows else ""
        for r in range(first_row, min(last_row, rows) + 1):
            for c in range(first_column, min(last_column, columns) + 1):
                values[r - 1][c - 1] = top_left
                if top in numbers:
                    numbers[r - 1, c - 1] = numbers[top]
    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    grid = [
        GridRow(values[r], [f"{sheet.title}!{letters[c]}{r + 1}" for c in range(columns)], f"{sheet.title}!{r + 1}")
        for r in range(rows)
    ]
    return grid, numbers


def _read_serial_dates(
    grid: list[GridRow], numbers: dict[tuple[int, int], float], cleaner: Cleaner, epoch: datetime.datetime
) -> None:
    """Numbers below the header in the time-limit column (备注 when there is none) that are dates, as dates."""
    dates = {place: day for place, value in numbers.items() if (day := _serial_date(value, epoch)) is not None}
    if not dates:  # the usual case (task numbers are no dates): no need to look for the header
        return
    found = find_header(grid, cleaner)
    if found is None:
        return
    start, columns = found
    column = columns.roles.get("time_limit", columns.roles.get("remark"))
    if column is None:
        return
    for (r, c), day in dates.items():
        if c == column and r > start:
            grid[r].cells[c] = day
