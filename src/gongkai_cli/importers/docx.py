"""Word (.docx) tables: headings as merged rows, several paragraphs in one cell, the notice in the paragraphs.

The document's XML is read as a stream first, and a table over the limits (limits.py) is refused: a cell's
gridSpan of 200,000,000 would make a grid of that many cells. The tables are then walked here rather than
through python-docx's cells, which resolve a vertical merge by recursion, one level per row it spans: a cell
continuing a merge takes the cell above it in a map of the previous row, whatever the merge's length.

A cell's text is what Word shows with its changes accepted: tracked insertions, content controls, smart tags,
field results and hyperlinks are kept; deleted text (w:del, w:moveFrom) is left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from .limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS
from .rows import Cleaner, DocumentInfo, GridRow, ImportRefusedError, Note, Row, grid_rows
from .safezip import check_zip, open_zip, root_name, scan_xml

KIND = "Word（.docx）"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Elements that wrap blocks, rows, cells or runs without changing what they hold.
_WRAPPERS = frozenset({f"{{{W}}}sdt", f"{{{W}}}customXml"})
# The runs of a paragraph, without deleted ones, a fallback's duplicate or a text box's own paragraphs.
_RUN_TEXT = (
    ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::mc:Fallback or ancestor::w:txbxContent)]"
    "/*[self::w:t or self::w:tab or self::w:ptab or self::w:br or self::w:cr or self::w:noBreakHyphen]"
)
# Names as expat streams them ("namespace}local").
_TR, _TC, _VAL = f"{W}}}tr", f"{W}}}tc", f"{W}}}val"
_GRID_VALUES = {f"{W}}}{name}": name for name in ("gridSpan", "gridBefore", "gridAfter")}


def _grid_value(value: str | None, tag: str) -> int:
    if value is None:
        return 1 if tag == "gridSpan" else 0
    if not value.isdigit() or len(value) > 9:
        raise ImportRefusedError(f"Word 文件的表格中有无效的 w:{tag} 值“{value[:20]}”，文件可能已损坏")
    return int(value)


def check_document(raw: bytes) -> None:
    """Refuse a document whose tables are over the limits (rows; each row's grid columns; cells in all)."""
    check_zip(raw, KIND)
    with open_zip(raw) as archive:
        for name in archive.namelist():
            if root_name(archive, name, KIND) == "document":
                tables = _Tables()
                scan_xml(archive, name, KIND, tables.start, tables.end)


class _Tables:
    """The rows of a document's tables and the grid columns of each, counted as expat streams it."""

    def __init__(self) -> None:
        self.widths: list[int] = []  # the grid columns of each open row, a nested table's innermost last
        self.rows = self.cells = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == _TR:
            self.widths.append(0)
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise ImportRefusedError(f"Word 文件的表格超过 {MAX_ROWS:,} 行，拒绝读取")
        elif self.widths and tag == _TC:
            self.widths[-1] += 1
        elif self.widths and tag in _GRID_VALUES:
            name = _GRID_VALUES[tag]
            value = _grid_value(attributes.get(_VAL), name)
            if value > MAX_COLUMNS:
                raise ImportRefusedError(
                    f"Word 文件的表格中 w:{name} 为 {value:,}（上限 {MAX_COLUMNS}），疑似恶意构造的文件，拒绝读取"
                )
            self.widths[-1] += max(value, 1) - 1 if name == "gridSpan" else value

    def end(self, tag: str) -> None:
        if tag != _TR:
            return
        width = self.widths.pop()
        self.cells += width
        if width > MAX_COLUMNS:
            raise ImportRefusedError(
                f"Word 文件的表格第 {self.rows:,} 行有 {width:,} 列（上限 {MAX_COLUMNS} 列），疑似恶意构造的文件，拒绝读取"
            )
        if self.cells > MAX_CELLS:
            raise ImportRefusedError(f"Word 文件的表格超过 {MAX_CELLS:,} 个单元格，拒绝读取")


def _children(element: Any, *tags: str) -> Iterator[Any]:
    """The children of `element` named one of `tags`, in order, looking through content controls and custom XML."""
    for child in element:
        if child.tag in _WRAPPERS:
            content = child.find(f"{{{W}}}sdtContent") if child.tag == f"{{{W}}}sdt" else child
            if content is not None:
                yield from _children(content, *tags)
        elif child.tag in tags:
            yield child


def _paragraph_text(paragraph: Any, runs: Any) -> str:
    return "".join(str(piece) for piece in runs(paragraph))


def read_docx(raw: bytes, name: str, year: int, cleaner: Cleaner) -> tuple[list[Row], DocumentInfo, list[Note]]:
    """The rows of a document's tables (as one grid) and the notice from the paragraphs before the first table."""
    check_document(raw)
    import docx
    from lxml import etree  # type: ignore[import-untyped]

    try:
        document: Any = docx.Document(io.BytesIO(raw))
    except Exception as e:  # python-docx raises many kinds on a damaged file
        raise ImportRefusedError(f"无法读取 Word 文件（{type(e).__name__}），文件可能已损坏") from None
    runs = etree.XPath(_RUN_TEXT, namespaces={"w": W, "mc": _MC})
    body = document.element.body
    grid: list[GridRow] = []
    table_number = 0
    for block in _children(body, f"{{{W}}}p", f"{{{W}}}tbl"):
        if block.tag == f"{{{W}}}p":
            text = _paragraph_text(block, runs)
            cleaner.tally(text)
            if table_number == 0 and text.strip():
                where = f"{name} 正文"
                grid.append(GridRow([text], [where], where))
            continue
        table_number += 1
        grid += _table_rows(block, runs, f"{name} 表{table_number}", cleaner)
    if table_number == 0:
        raise ImportRefusedError("Word 文件中没有表格：任务分工需在表格中")
    return grid_rows(grid, cleaner, year)


def _table_rows(table: Any, runs: Any, label: str, cleaner: Cleaner) -> list[GridRow]:
    """A table's rows as grid rows: a cell spanning columns repeated in each, a vertical merge's text in each row."""
    grid: list[GridRow] = []
    above: dict[int, str] = {}  # the text of the previous row's cell starting at each grid column
    r = 0
    for row in _children(table, f"{{{W}}}tr"):
        if row.find(f"{{{W}}}trPr/{{{W}}}del") is not None:
            continue  # a deleted row
        r += 1
        offset = 0
        before = row.find(f"{{{W}}}trPr/{{{W}}}gridBefore")
        if before is not None:
            offset = _grid_value(before.get(f"{{{W}}}val"), "gridBefore")
        cells = [""] * offset
        here: dict[int, str] = {}
        for tc in _children(row, f"{{{W}}}tc"):
            span_element = tc.find(f"{{{W}}}tcPr/{{{W}}}gridSpan")
            span = max(_grid_value(span_element.get(f"{{{W}}}val"), "gridSpan"), 1) if span_element is not None else 1
            merge = tc.find(f"{{{W}}}tcPr/{{{W}}}vMerge")
            if merge is not None and merge.get(f"{{{W}}}val", "continue") == "continue" and offset in above:
                text = above[offset]
            else:
                text = "\n".join(_paragraph_text(p, runs) for p in _children(tc, f"{{{W}}}p"))
                cleaner.tally(text)
            here[offset] = text
            cells += [text] * span
            offset += span
        above = here
        places = [f"{label} 第{r}行第{c}列" for c in range(1, len(cells) + 1)]
        grid.append(GridRow(cells, places, f"{label} 第{r}行"))
    return grid
