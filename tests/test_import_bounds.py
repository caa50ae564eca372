"""Sources built to make a reader build too much, and the text and sheets an import must not lose.

Bombs run the real console script in a child process under the memory and CPU limits of test_hostile.py: a
few kilobytes of workbook or document XML must be refused, with a Chinese message and exit 1, before openpyxl or
python-docx builds anything from it. Every file is built here, with python-docx, openpyxl and zip edits.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from test_hostile import BOMB_QUICK, QUICK, expect, gongkai

from gongkai_cli.importers import ImportRefusedError, read_source
from gongkai_cli.importers.limits import MAX_CELLS, MAX_ROWS
from gongkai_cli.importers.rows import TaskRow

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

HEADER = ["序号", "具体要求", "责任单位", "时限要求"]
TASK = [1, "公开年度预算。", "市财政局", "年底前"]
SHEET = "xl/worksheets/sheet1.xml"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def rewrite(raw: bytes, member: str, edit: Callable[[str], str]) -> bytes:
    """The zip `raw` with one member's text edited; the edit must change it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as edited:
        for info in original.infolist():
            content = original.read(info)
            if info.filename == member:
                text = content.decode("utf-8")
                changed = edit(text)
                assert changed != text, f"the edit left {member} as it was"
                content = changed.encode("utf-8")
            edited.writestr(info, content)
    return out.getvalue()


def saved(book: object) -> bytes:
    out = io.BytesIO()
    book.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def plain_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(TASK)
    return saved(book)


def sheet_with(xml: str, *, before: str = "</worksheet>") -> bytes:
    """The plain workbook with `xml` put into its sheet before `before`."""
    return rewrite(plain_workbook(), SHEET, lambda text: text.replace(before, xml + before, 1))


def far_comment() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(TASK)
    book.active["A1"].comment = openpyxl.comments.Comment("批注", "某人")
    raw = saved(book)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        member = next(n for n in archive.namelist() if re.search(r"comments?\d*\.xml$", n))
    return rewrite(raw, member, lambda text: text.replace('ref="A1"', 'ref="BL100000"'))


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


# --- workbooks ----------------------------------------------------------------------------------------------

WORKBOOK_BOMBS = {
    # openpyxl makes an object for each of the 17 billion merged cells.
    "merged-to-the-last-cell": (
        lambda: sheet_with(
            '<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>', before="<pageMargins"
        ),
        ("合并单元格", "200,000"),
    ),
    # 300 small ranges over the same cells: each one's cells are made again.
    "merged-over-and-over": (
        lambda: sheet_with(
            '<mergeCells count="300">' + '<mergeCell ref="A3:J102"/>' * 300 + "</mergeCells>", before="<pageMargins"
        ),
        ("合并单元格",),
    ),
    "hyperlink-range": (
        lambda: sheet_with(
            '<hyperlinks><hyperlink ref="A1:XFD1048576" location="Sheet!A1" display="x"/></hyperlinks>',
            before="<pageMargins",
        ),
        ("超链接",),
    ),
    # Two cells within the row and column limits, 6.4 million apart: a reader lays out every cell between.
    "cells-far-apart": (
        lambda: sheet_with(
            '<row r="100000"><c r="BL100000" t="inlineStr"><is><t>x</t></is></c></row>', before="</sheetData>"
        ),
        ("行数 × 列数", f"{MAX_CELLS:,}"),
    ),
    "last-column": (
        lambda: sheet_with('<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>', before="</sheetData>"),
        ("16,384 列", "上限 64 列"),
    ),
    "comment-far-away": (far_comment, ("行数 × 列数",)),
}


@pytest.mark.parametrize(("build", "fragments"), WORKBOOK_BOMBS.values(), ids=WORKBOOK_BOMBS.keys())
def test_workbook_bomb_is_refused_by_import(
    tmp_path: Path, build: Callable[[], bytes], fragments: tuple[str, ...]
) -> None:
    source = write(tmp_path / "bomb.xlsx", build())
    assert source.stat().st_size < 16 * 1024
    ran = gongkai(tmp_path, "import", "bomb.xlsx", "--out", "out")
    expect(ran, 1, *fragments, within=BOMB_QUICK)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("build", "fragments"), WORKBOOK_BOMBS.values(), ids=WORKBOOK_BOMBS.keys())
def test_workbook_bomb_is_refused_by_report(
    tmp_path: Path, data_copy: Path, build: Callable[[], bytes], fragments: tuple[str, ...]
) -> None:
    write(tmp_path / "台账.xlsx", build())
    ran = gongkai(tmp_path, "--data", "data", "report", "--from", "台账.xlsx")
    expect(ran, 1, "台账.xlsx: ", *fragments, "一条记录也没有写入", within=BOMB_QUICK)
    assert not (data_copy / "progress").exists()


def test_dtd_in_a_member_not_named_xml_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO(plain_workbook())
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/media/sheet.bin", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    source = write(tmp_path / "表.xlsx", out.getvalue())
    with pytest.raises(ImportRefusedError, match="DTD"):
        read_source(source)


def test_hidden_first_sheet_is_skipped_and_the_sheet_read_is_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    old = book.active
    old.title = "旧表"
    old.append(["某市2024年政务公开重点任务分工"])
    old.append(HEADER)
    old.append([1, "去年的任务。", "市政府办公室", "年底前"])
    old.sheet_state = "hidden"
    current = book.create_sheet("任务分工")
    current.append(["某市2025年政务公开重点任务分工"])
    current.append(HEADER)
    current.append(TASK)
    write(tmp_path / "表.xlsx", saved(book))
    ran = gongkai(tmp_path, "import", "表.xlsx", "--out", "out", "--year", "2025")
    expect(ran, 0, "1 项任务", "读取工作表“任务分工”，跳过隐藏的工作表“旧表”")
    tasks = (tmp_path / "out" / "tasks.yaml").read_text(encoding="utf-8")
    assert "公开年度预算。" in tasks and "去年的任务" not in tasks


def test_workbook_of_hidden_sheets_only_is_refused(tmp_path: Path) -> None:
    hidden = rewrite(
        plain_workbook(), "xl/workbook.xml", lambda text: text.replace('state="visible"', 'state="hidden"')
    )
    source = write(tmp_path / "表.xlsx", hidden)
    with pytest.raises(ImportRefusedError, match="没有可见的工作表"):
        read_source(source)


def test_date_typed_into_a_general_cell_reads_as_a_date(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append([1, "公开年度预算。", "市财政局", 45555])  # 2024-09-20, shown as a number
    book.active.append([2, "公开年度决算。", "市财政局", 45555.75])
    book.active.append([3, "公开统计公报。", "市统计局", 2024])  # a year, not a date
    source = write(tmp_path / "表.xlsx", saved(book))
    rows, _, _ = read_source(source, year=2024)
    limits = [row.time_limit for row in rows if isinstance(row, TaskRow)]
    assert limits == ["2024年9月20日", "2024年9月20日", "2024"]


def test_merged_cells_are_read_whatever_dimension_the_sheet_declares(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([1, "公开年度预算。", "市财政局", 45555])
    sheet.append([2, "公开年度决算。", None, None])
    sheet.merge_cells("C2:C3")  # one unit answers for both rows, one date for both
    sheet.merge_cells("D2:D3")
    # A declared dimension that covers one cell: the cells, not the declaration, say how far the sheet reaches.
    raw = rewrite(saved(book), SHEET, lambda text: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', text))
    rows, _, _ = read_source(write(tmp_path / "表.xlsx", raw), year=2024)
    tasks = [row for row in rows if isinstance(row, TaskRow)]
    assert [(t.number, t.responsibility, t.time_limit) for t in tasks] == [
        (1, "市财政局", "2024年9月20日"),
        (2, "市财政局", "2024年9月20日"),
    ]


def test_two_sheets_of_one_name_are_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "甲"
    book.active.append(HEADER)
    book.create_sheet("乙").append(TASK)
    raw = rewrite(saved(book), "xl/workbook.xml", lambda text: text.replace('name="乙"', 'name="甲"'))
    with pytest.raises(ImportRefusedError, match="工作表“甲”无法与工作簿的结构对应"):
        read_source(write(tmp_path / "表.xlsx", raw), year=2024)


# --- Word documents ----------------------------------------------------------------------------------------


def document_with(body: str) -> bytes:
    """An empty python-docx document whose body starts with `body` (WordprocessingML, prefix w:)."""
    out = io.BytesIO()
    docx.Document().save(out)
    return rewrite(out.getvalue(), "word/document.xml", lambda text: text.replace("<w:body>", "<w:body>" + body, 1))


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def cell(content: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{content}</w:tc>"


def table(*rows: str) -> str:
    return "<w:tbl>" + "".join(rows) + "</w:tbl>"


def row(*cells: str, properties: str = "") -> str:
    return f"<w:tr><w:trPr>{properties}</w:trPr>{''.join(cells)}</w:tr>"


HEADER_ROW = row(*(cell(paragraph(name)) for name in HEADER))


def task_row(number: int, requirement: str, *, units: str = "", limit: str = "") -> str:
    return row(
        cell(paragraph(str(number))),
        cell(requirement),
        cell(units or paragraph("市财政局")),
        cell(limit or paragraph("年底前")),
    )


WORD_BOMBS = {
    "grid-span": ('<w:gridSpan w:val="200000000"/>', "", ("w:gridSpan 为 200,000,000", "上限 64")),
    "grid-before": ("", '<w:gridBefore w:val="200000000"/>', ("w:gridBefore 为 200,000,000",)),
    "grid-after": ("", '<w:gridAfter w:val="200000000"/>', ("w:gridAfter 为 200,000,000",)),
    "spans-adding-up": ('<w:gridSpan w:val="40"/>', "", ("第 2 行有 160 列",)),
}


@pytest.mark.parametrize(("cell_properties", "row_properties", "fragments"), WORD_BOMBS.values(), ids=WORD_BOMBS.keys())
def test_word_table_bomb_is_refused(
    tmp_path: Path, cell_properties: str, row_properties: str, fragments: tuple[str, ...]
) -> None:
    cells = (cell(paragraph(text), cell_properties) for text in ("1", "公开年度预算。", "市财政局", "年底前"))
    write(tmp_path / "bomb.docx", document_with(table(HEADER_ROW, row(*cells, properties=row_properties))))
    ran = gongkai(tmp_path, "import", "bomb.docx", "--out", "out")
    expect(ran, 1, *fragments, within=BOMB_QUICK)


@pytest.mark.stress
def test_vertical_merge_down_1500_rows_is_read(tmp_path: Path) -> None:
    restart, going_on = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    rows = [
        row(
            cell(paragraph(str(n))),
            cell(paragraph(f"公开第{n}项信息。")),
            cell(paragraph("市财政局") if n == 1 else "<w:p/>", restart if n == 1 else going_on),
            cell(paragraph("年底前") if n == 1 else "<w:p/>", restart if n == 1 else going_on),
        )
        for n in range(1, 1501)
    ]
    write(tmp_path / "表.docx", document_with(paragraph("某市2025年政务公开重点任务分工") + table(HEADER_ROW, *rows)))
    ran = gongkai(tmp_path, "import", "表.docx", "--out", "out", "--year", "2025")
    expect(ran, 0, "1500 项任务", within=QUICK * 2)
    tasks = yaml.safe_load((tmp_path / "out" / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert len(tasks) == 1500
    assert {(t["responsibility"], t["time_limit"]) for t in tasks} == {("市财政局", "年底前")}


def run_text(text: str) -> str:
    return f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r>"


# Each kind of wrapper Word puts around the text of a cell, and the deleted text it keeps for tracked changes.
KEPT_AND_DELETED = (
    "<w:p>"
    + run_text("公开")
    + f"<w:ins w:id='1' w:author='甲' w:date='2025-01-01T00:00:00Z'>{run_text('年度')}</w:ins>"
    + "<w:del w:id='2' w:author='甲' w:date='2025-01-01T00:00:00Z'><w:r><w:delText>旧的</w:delText></w:r></w:del>"
    + f"<w:sdt><w:sdtPr/><w:sdtContent>{run_text('预算')}</w:sdtContent></w:sdt>"
    + f"<w:smartTag w:uri='urn:x' w:element='place'>{run_text('和')}</w:smartTag>"
    + f"<w:fldSimple w:instr=' DOCPROPERTY 范围 '>{run_text('决算')}</w:fldSimple>"
    + "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
    + "<w:r><w:fldChar w:fldCharType='separate'/></w:r>"
    + run_text("（第2版）")
    + "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
    + f"<w:hyperlink w:anchor='x'>{run_text('，见网站')}</w:hyperlink>"
    + f"<w:moveFrom w:id='3' w:author='甲' w:date='2025-01-01T00:00:00Z'>{run_text('挪走的')}</w:moveFrom>"
    + "</w:p>"
)


def test_word_cell_keeps_inserted_control_field_and_link_text_and_drops_deleted(tmp_path: Path) -> None:
    in_a_control = f"<w:sdt><w:sdtPr/><w:sdtContent>{paragraph('第二段。')}</w:sdtContent></w:sdt>"
    body = table(HEADER_ROW, task_row(1, KEPT_AND_DELETED + in_a_control))
    source = write(tmp_path / "表.docx", document_with(body))
    rows, _, _ = read_source(source, year=2025)
    (task,) = [r for r in rows if isinstance(r, TaskRow)]
    assert task.requirement == "公开年度预算和决算（第2版），见网站\n第二段。"
    assert (task.responsibility, task.time_limit) == ("市财政局", "年底前")


def test_word_rows_and_tables_in_content_controls_are_read(tmp_path: Path) -> None:
    in_a_control = f"<w:sdt><w:sdtPr/><w:sdtContent>{task_row(2, paragraph('公开统计公报。'))}</w:sdtContent></w:sdt>"
    deleted_row = row(
        cell(paragraph("3")), cell(paragraph("删掉的任务。")), properties="<w:del w:id='9' w:author='甲'/>"
    )
    body = table(HEADER_ROW, task_row(1, paragraph("公开年度预算。")), in_a_control, deleted_row)
    source = write(tmp_path / "表.docx", document_with(f"<w:sdt><w:sdtPr/><w:sdtContent>{body}</w:sdtContent></w:sdt>"))
    rows, _, _ = read_source(source, year=2025)
    assert [(r.number, r.requirement) for r in rows if isinstance(r, TaskRow)] == [
        (1, "公开年度预算。"),
        (2, "公开统计公报。"),
    ]


# --- CSV and text ------------------------------------------------------------------------------------------

CSV_HEADER = ",".join(HEADER) + "\n"
CSV_TASK = "1,公开年度预算。,市财政局,年底前\n"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\xff\xfe" + CSV_HEADER.encode("utf-16-le") + b"\x00", id="odd-byte-count"),
        pytest.param(b"\xff\xfe" + CSV_HEADER.encode("utf-16-le") + b"\x00\xd8a\x00", id="lone-surrogate"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".txt"])
def test_broken_utf16_is_a_problem(tmp_path: Path, content: bytes, suffix: str) -> None:
    write(tmp_path / f"表{suffix}", content)
    expect(gongkai(tmp_path, "import", f"表{suffix}", "--out", "out"), 1, "UTF-16", "另存为 UTF-8")


ROW_BOMBS = {
    "csv-rows": (".csv", CSV_HEADER + CSV_TASK * MAX_ROWS, f"超过 {MAX_ROWS:,} 行"),
    "text-rows": (
        ".txt",
        CSV_HEADER.replace(",", "\t") + CSV_TASK.replace(",", "\t") * MAX_ROWS,
        f"超过 {MAX_ROWS:,} 行",
    ),
    "csv-one-wide-row": (".csv", CSV_HEADER + "," * (MAX_CELLS + 1) + "\n", f"超过 {MAX_CELLS:,} 个单元格"),
    "text-one-wide-row": (".txt", CSV_HEADER + "\t" * (MAX_CELLS + 1) + "\n", f"超过 {MAX_CELLS:,} 个单元格"),
}


@pytest.mark.parametrize(("suffix", "content", "fragment"), ROW_BOMBS.values(), ids=ROW_BOMBS.keys())
def test_csv_and_text_have_the_workbook_limits(tmp_path: Path, suffix: str, content: str, fragment: str) -> None:
    write(tmp_path / f"表{suffix}", content.encode("utf-8"))
    expect(gongkai(tmp_path, "import", f"表{suffix}", "--out", "out"), 1, fragment, "与 Excel 表的上限相同")


# --- formats to save as another --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "save_as"),
    [(".doc", ".docx"), (".wps", ".docx"), (".rtf", ".docx"), (".xls", ".xlsx"), (".et", ".xlsx"), (".ods", ".xlsx")],
)
def test_formats_gongkai_does_not_read_say_what_to_save_as(tmp_path: Path, suffix: str, save_as: str) -> None:
    write(tmp_path / f"表{suffix}", b"\xd0\xcf\x11\xe0 not read")
    expect(gongkai(tmp_path, "import", f"表{suffix}", "--out", "out"), 1, f"另存为 {save_as}")
