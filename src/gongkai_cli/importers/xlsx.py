"""Excel (.xlsx) workbooks: the header row found by its names, merged cells read as their top-left value."""

from __future__ import annotations

import datetime
import io
import warnings
from typing import Any

from .rows import Cleaner, DocumentInfo, GridRow, ImportRefusedError, Note, Row, grid_rows
from .safezip import check_zip

MAX_ROWS = 100_000
MAX_COLUMNS = 64


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


def read_xlsx(raw: bytes, name: str, year: int, cleaner: Cleaner) -> tuple[list[Row], DocumentInfo, list[Note]]:
    """The rows of the first sheet that holds a header row, and the notice from the rows above it."""
    check_zip(raw, "Excel（.xlsx）")
    import defusedxml  # type: ignore[import-untyped]

    with warnings.catch_warnings():  # defuse_stdlib also patches the deprecated cElementTree, with a warning
        warnings.simplefilter("ignore", DeprecationWarning)
        defusedxml.defuse_stdlib()
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    try:
        workbook: Any = openpyxl.load_workbook(io.BytesIO(raw), read_only=False, data_only=True)
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise ImportRefusedError(f"无法读取 Excel 文件（{type(e).__name__}），文件可能已损坏") from None
    last_error: ImportRefusedError | None = None
    for sheet in workbook.worksheets:
        rows, columns = sheet.max_row, sheet.max_column
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise ImportRefusedError(f"工作表“{sheet.title}”过大（{rows} 行 × {columns} 列），拒绝读取")
        values = [["" for _ in range(columns)] for _ in range(rows)]
        for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=rows, max_col=columns, values_only=True)):
            for c, value in enumerate(row):
                values[r][c] = _text(value)
                cleaner.tally(values[r][c])
        for merged in sheet.merged_cells.ranges:
            top_left = values[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= rows else ""
            for r in range(merged.min_row, min(merged.max_row, rows) + 1):
                for c in range(merged.min_col, min(merged.max_col, columns) + 1):
                    values[r - 1][c - 1] = top_left
        letters = [get_column_letter(c) for c in range(1, columns + 1)]
        grid = [
            GridRow(values[r], [f"{sheet.title}!{letters[c]}{r + 1}" for c in range(columns)], f"{sheet.title}!{r + 1}")
            for r in range(rows)
        ]
        try:
            return grid_rows(grid, cleaner, year)
        except ImportRefusedError as e:
            last_error = e
    raise last_error or ImportRefusedError("Excel 文件中没有工作表")
