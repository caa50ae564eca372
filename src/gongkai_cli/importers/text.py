"""Tab-separated text: a Word table copied as text (one cell per line), or rows copied from a spreadsheet.

A Word table saved or pasted as text starts every cell with a tab; a paragraph of the same cell follows on a
line of its own without one. Rows are not marked, so they are rebuilt from the cells: a number starts a task,
whose cells follow in the header's order; 一、… and （一）… are headings. Text copied from a spreadsheet holds
one row per line, its cells separated by tabs, and is read like a CSV file.
"""

from __future__ import annotations

from collections.abc import Sequence

from .columns import Columns, header_role, parse_number
from .limits import MAX_CELLS, MAX_ROWS
from .notice import document_info
from .prose import read_prose, reads_as_prose
from .rows import (
    SECTION,
    SUBSECTION,
    Cleaner,
    DocumentInfo,
    GridRow,
    ImportRefusedError,
    Note,
    Row,
    _classify,
    find_header,
    grid_rows,
    rebuild_by_position,
)


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK); else ImportRefusedError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRefusedError(
                "文件以 UTF-16 标记开头，但内容不是有效的 UTF-16（字节数为奇数或含有不成对的代理字符）；"
                "请在记事本或 WPS 中另存为 UTF-8"
            ) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefusedError("无法识别文件编码（既不是 UTF-8 也不是 GBK）；请在记事本或 WPS 中另存为 UTF-8")


def refuse_oversized(name: str, *, rows: int = 0, fields: int = 0) -> None:
    """Refuse a text or CSV file of more rows, or more fields, than a workbook may hold."""
    if rows > MAX_ROWS:
        raise ImportRefusedError(f"{name} 超过 {MAX_ROWS:,} 行（与 Excel 表的上限相同），拒绝读取")
    if fields > MAX_CELLS:
        raise ImportRefusedError(f"{name} 超过 {MAX_CELLS:,} 个单元格（与 Excel 表的上限相同），拒绝读取")


def read_text(raw: bytes, name: str, year: int, cleaner: Cleaner) -> tuple[list[Row], DocumentInfo, list[Note]]:
    """The rows and the notice of a tab-separated text."""
    text = decode_text(raw).replace("\r\n", "\n").replace("\r", "\n")
    refuse_oversized(name, rows=text.count("\n") + 1, fields=text.count("\t"))
    cleaner.tally(text)
    lines = text.split("\n")
    grid = [
        GridRow(line.split("\t"), [f"{name}:{i}"] * (line.count("\t") + 1), f"{name}:{i}")
        for i, line in enumerate(lines, 1)
    ]
    found = find_header(grid, cleaner)
    if found is not None and sum(1 for c in grid[found[0]].cells if c.strip()) >= 2:
        return grid_rows(rebuild_by_position(grid, cleaner, year), cleaner, year)
    if "\t" not in text and reads_as_prose(lines):
        return read_prose(lines, name, year, cleaner)
    return _read_cells(lines, name, year, cleaner)


def _read_cells(
    lines: Sequence[str], name: str, year: int, cleaner: Cleaner
) -> tuple[list[Row], DocumentInfo, list[Note]]:
    preamble: list[str] = []
    cells: list[tuple[list[str], str]] = []
    for i, line in enumerate(lines, 1):
        if line.startswith("\t"):
            cells += [([part], f"{name}:{i}") for part in line.split("\t")[1:]]
        elif cells:
            cells[-1][0].append(line)  # another paragraph of the same cell
        else:
            preamble.append(line)
    texts = [(cleaner.cell("\n".join(parts), paragraphs=True), where) for parts, where in cells]
    texts = [(t, w) for t, w in texts if t]
    start = None
    for i in range(len(texts)):
        run = 0
        while i + run < len(texts) and header_role(texts[i + run][0]) is not None:
            run += 1
        if run >= 2:
            start, width = i, run
            break
    if start is None:
        raise ImportRefusedError(
            "未找到表头：需要连续至少两个可识别的列名，如 序号、工作任务、具体要求、责任单位、时限要求"
        )
    header = [t for t, _ in texts[start : start + width]]
    roles = [header_role(h) for h in header]
    lines_before = [cleaner.cell(line) for line in preamble] + [t.replace("\n", "") for t, _ in texts[:start]]
    lines_before = [line for line in lines_before if line]
    info = document_info(lines_before, lines_before[-1] if lines_before else None, header)
    # The cells a task row holds after its number, in the header's order.
    number_col = (
        roles.index("number") if "number" in roles else (roles.index("work_item") if "work_item" in roles else None)
    )
    if number_col is None:
        raise ImportRefusedError("表头中没有序号或工作任务列，无法按行拆分以制表符分隔的单元格")
    rest = [j for j in range(width) if j != number_col]
    grid: list[GridRow] = []
    notes: list[Note] = []
    body = texts[start + width :]
    i = 0
    last = ""

    def boundary(text: str) -> bool:
        return parse_number(text) is not None or bool(SECTION.fullmatch(text) or SUBSECTION.fullmatch(text))

    while i < len(body):
        text, where = body[i]
        if parse_number(text) is not None:
            row = [""] * width
            places = [where] * width
            row[number_col] = text
            j = i + 1
            for col in rest:
                if j >= len(body) or boundary(body[j][0].replace("\n", "")):
                    break
                row[col], places[col] = body[j]
                j += 1
            grid.append(GridRow(row, places, where))
            i, last = j, "task"
            continue
        flat = text.replace("\n", "")
        next_is_task = i + 1 < len(body) and parse_number(body[i + 1][0]) is not None
        if SECTION.fullmatch(flat) or SUBSECTION.fullmatch(flat) or last == "section" or (next_is_task and last):
            grid.append(GridRow([flat, flat], [where, where], where))
            last = "section" if SECTION.fullmatch(flat) else "heading"
        else:
            notes.append(Note(where, f"无法归入任何任务或标题的单元格“{flat[:40]}”，未导入，请核对"))
        i += 1
    rows, more = _classify(grid, _columns(roles, header), cleaner, info.year or year)
    return rows, info, notes + more


def _columns(roles: Sequence[str | None], header: Sequence[str]) -> Columns:
    found: dict[str, int] = {}
    for j, role in enumerate(roles):
        if role is not None and role not in found:
            found[role] = j
    return Columns(found, tuple(header))
