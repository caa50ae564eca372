"""CSV and TSV files: UTF-8 with or without BOM, or GBK/GB18030 as Excel on a Chinese Windows saves them."""

from __future__ import annotations

import csv
import io

from .limits import MAX_ROWS
from .rows import Cleaner, DocumentInfo, GridRow, ImportRefusedError, Note, Row, grid_rows
from .text import decode_text, refuse_oversized


def read_delimited(
    raw: bytes, name: str, year: int, cleaner: Cleaner, *, tab: bool = False
) -> tuple[list[Row], DocumentInfo, list[Note]]:
    """The rows and the notice of a comma- (or tab-) separated file; the header row is found by its names."""
    text = decode_text(raw)
    delimiter = "\t" if tab else ","
    # One row of a million fields would be built whole before it could be counted: count the delimiters first.
    refuse_oversized(name, fields=text.count(delimiter))
    cleaner.tally(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[GridRow] = []
    line = 1
    try:
        for cells in reader:
            if len(grid) == MAX_ROWS:
                refuse_oversized(name, rows=MAX_ROWS + 1)
            where = f"{name}:{line}"
            grid.append(GridRow(cells, [where] * len(cells), where))
            line = reader.line_num + 1
    except csv.Error as e:
        raise ImportRefusedError(f"{name}:{line}：{_csv_reason(e)}") from None
    return grid_rows(grid, cleaner, year)


def _csv_reason(error: csv.Error) -> str:
    """A Chinese reason for the csv module's English one."""
    if "field limit" in str(error):
        return f"CSV 格式错误：单元格超过 {csv.field_size_limit()} 个字符"
    return "CSV 格式错误：无法分出单元格（请检查引号是否成对）"
