"""Write a synthetic task-division table as a published Excel workbook, for timing `gongkai import`.

Usage::

    python benchmarks/workbook.py ROWS OUT.xlsx [--seed S]

The sheet is laid out as notices publish the table: the title in a row merged across the columns, a blank row,
the header (序号, 工作任务, 具体要求, 责任单位, 时限要求), then each section and subsection title in a row merged
across the columns, each followed by its task rows. The sections and tasks are those `generate.py` writes (the
same texts, units and time limits); the sheet stops at ROWS rows. The same arguments give the same cells.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generate import _shipped_document, sections

HEADER = ("序号", "工作任务", "具体要求", "责任单位", "时限要求")
SHEET = "xl/worksheets/sheet1.xml"
FIRST_ROW = 4  # below the title, a blank row and the header


def rows(count: int, seed: int) -> Iterator[tuple[Any, ...] | str]:
    """The sheet's rows after the header: a str is a title row merged across the columns, a tuple a task row."""
    year: int = _shipped_document()["year"]
    written = 0
    # Each task takes a row, and sections and subsections a few more: `count` tasks always fill `count` rows.
    for section in sections(count, random.Random(seed), year):
        for row in _section_rows(section):
            if written == count:
                return
            written += 1
            yield row


def _section_rows(section: dict[str, Any]) -> Iterator[tuple[Any, ...] | str]:
    yield f"{section['numeral']}、{section['title']}"
    for sub in section["subsections"]:
        yield f"（{sub['numeral']}）{sub['title']}" if sub["numeral"] else sub["title"]
        for task in sub["tasks"]:
            yield task["number"], None, task["requirement"], task["responsibility"], task["time_limit"]


def write_workbook(count: int, path: Path, seed: int = 0) -> int:
    """Write the workbook of `count` rows below the header; the number of merged ranges.

    openpyxl's write-only mode writes the cells a row at a time (its full mode takes seconds per thousand rows);
    it cannot merge cells, so the merged ranges are written into the sheet's XML after its cells, where the
    format puts them.
    """
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("任务分工")
    sheet.append([_shipped_document()["title"]])
    sheet.append([])
    sheet.append(list(HEADER))
    merged = ["A1:E1"]
    for number, row in enumerate(rows(count, seed), FIRST_ROW):
        if isinstance(row, str):
            sheet.append([row])
            merged.append(f"A{number}:E{number}")
        else:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    ranges = "".join(f'<mergeCell ref="{ref}"/>' for ref in merged)
    with zipfile.ZipFile(buffer) as written, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in written.infolist():
            data = written.read(info)
            if info.filename == SHEET:
                data = data.replace(
                    b"</sheetData>", f'</sheetData><mergeCells count="{len(merged)}">{ranges}</mergeCells>'.encode(), 1
                )
            out.writestr(info, data, zipfile.ZIP_DEFLATED)
    return len(merged)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic task-division table as an Excel workbook.")
    parser.add_argument("rows", type=int, help="rows below the header")
    parser.add_argument("out", type=Path, help="the .xlsx file to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args()
    started = time.perf_counter()
    merged = write_workbook(args.rows, args.out, args.seed)
    print(
        f"{args.out}: {args.rows:,} rows, {merged:,} merged ranges in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
