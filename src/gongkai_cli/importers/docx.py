"""Word (.docx) tables: headings as merged rows, several paragraphs in one cell, the notice in the paragraphs."""

from __future__ import annotations

import io
from typing import Any

from .rows import Cleaner, DocumentInfo, GridRow, ImportRefusedError, Note, Row, grid_rows
from .safezip import check_zip


def read_docx(raw: bytes, name: str, year: int, cleaner: Cleaner) -> tuple[list[Row], DocumentInfo, list[Note]]:
    """The rows of a document's tables (as one grid) and the notice from the paragraphs before the first table."""
    check_zip(raw, "Word（.docx）")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: Any = docx.Document(io.BytesIO(raw))
    except Exception as e:  # python-docx raises many kinds on a damaged file
        raise ImportRefusedError(f"无法读取 Word 文件（{type(e).__name__}），文件可能已损坏") from None
    grid: list[GridRow] = []
    table_number = 0
    counted: set[int] = set()
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            cleaner.tally(block.text)
            if table_number == 0 and block.text.strip():
                where = f"{name} 正文"
                grid.append(GridRow([block.text], [where], where))
            continue
        if not isinstance(block, Table):
            continue
        table_number += 1
        for r, row in enumerate(block.rows, 1):
            cells = []
            places = []
            for c, cell in enumerate(row.cells, 1):
                cells.append("\n".join(p.text for p in cell.paragraphs))
                if id(cell._tc) not in counted:  # a merged cell appears once per row and column it spans
                    counted.add(id(cell._tc))
                    cleaner.tally(cells[-1])
                places.append(f"{name} 表{table_number} 第{r}行第{c}列")
            grid.append(GridRow(cells, places, f"{name} 表{table_number} 第{r}行"))
    if table_number == 0:
        raise ImportRefusedError("Word 文件中没有表格：任务分工需在表格中")
    return grid_rows(grid, cleaner, year)
