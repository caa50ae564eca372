"""gongkai_cli.importers: tables read from text, CSV, Word and Excel into the lean form, and hostile sources refused."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA, SEED

from gongkai_cli.importers import ImportRefusedError, import_table, read_source
from gongkai_cli.importers.rows import TaskRow
from gongkai_cli.load import errors_in, inspect_data

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

CHINESE = re.compile("[\u4e00-\u9fff]")


def _flat(text: Any) -> str:
    return "".join(str(text).split())


def _bundled() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DATA / "tasks.yaml").read_text(encoding="utf-8"))
    return loaded


def _limit_text(task: dict[str, Any]) -> str:
    limit = task["time_limit"]
    return str(limit if isinstance(limit, str) else limit["text"])


def _outline(tasks_file: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every task with its section and subsection, texts without whitespace."""
    out = []
    for section in tasks_file.get("sections", ()):
        for sub in section.get("subsections", ()):
            for task in sub["tasks"]:
                out.append(
                    (
                        section.get("numeral"),
                        _flat(section["title"]),
                        sub.get("numeral"),
                        _flat(sub["title"]),
                        task["number"],
                        _flat(task["requirement"]),
                        _flat(task["responsibility"]),
                        _flat(_limit_text(task)),
                    )
                )
    return out


def _inspect(folder: Path, *, accept_review: bool = False) -> tuple[Any, list[Any]]:
    units = folder / "units.yaml"
    if accept_review:
        units.write_text(units.read_text(encoding="utf-8").replace("    review: true\n", ""), encoding="utf-8")
    files = (units, folder / "tasks.yaml")
    return inspect_data(files, {p: p.read_bytes() for p in files})


# --- the seed -----------------------------------------------------------------------------------------------


@pytest.fixture
def seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed text not found at {SEED} (set GONGKAI_SEED to its path)")
    return SEED


def test_seed_round_trip(seed: Path, tmp_path: Path) -> None:
    out = tmp_path / "2024"
    summary = import_table(seed, out, year=2024, roster=DATA / "units.yaml", force=False)
    assert (summary.tasks, summary.sections, summary.new_units) == (44, 11, ())
    written = yaml.safe_load((out / "tasks.yaml").read_text(encoding="utf-8"))
    bundled = _bundled()
    assert _outline(written) == _outline(bundled)
    assert written["document"] == bundled["document"]
    # The one cell that needs a person: 9底前 (task 17).
    assert [(n.where.split(":")[0], "9底前" in n.message) for n in summary.notes] == [(seed.name, True)]
    _, problems = _inspect(out)
    assert [(p.code, "9底前" in p.message) for p in errors_in(problems)] == [("time-limit", True)]


# --- Word and Excel versions of the bundled table -----------------------------------------------------------


def _merged_row(table: Any, text: str) -> None:
    row = table.add_row()
    cell = row.cells[0].merge(row.cells[-1])
    cell.text = text


def _bundled_docx(path: Path) -> None:
    bundled = _bundled()
    document = docx.Document()
    document.add_paragraph(bundled["document"]["notice_title"])
    document.add_paragraph(bundled["document"]["number"])
    document.add_paragraph(bundled["document"]["body"])
    document.add_paragraph(bundled["document"]["title"])
    table = document.add_table(rows=1, cols=4)
    for cell, name in zip(table.rows[0].cells, ("序号", "具体要求", "责任单位", "时限要求"), strict=True):
        cell.text = name
    for section in bundled["sections"]:
        _merged_row(table, f"{section['numeral']}、{section['title']}")
        for sub in section["subsections"]:
            _merged_row(table, f"（{sub['numeral']}）{sub['title']}" if sub.get("numeral") else sub["title"])
            for task in sub["tasks"]:
                cells = table.add_row().cells
                cells[0].text = str(task["number"])
                first, *more = task["requirement"].split("\n")
                cells[1].text = first
                for paragraph in more:
                    cells[1].add_paragraph(paragraph)
                cells[2].text = task["responsibility"]
                cells[3].text = _limit_text(task)
    document.save(str(path))


def _bundled_xlsx(path: Path) -> None:
    bundled = _bundled()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "任务分工"
    sheet["A1"] = bundled["document"]["title"]
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["序号", "工作任务", "具体要求", "责任单位", "时限要求"])
    for section in bundled["sections"]:
        sheet.append([f"{section['numeral']}、{section['title']}"])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5)
        for sub in section["subsections"]:
            title = f"（{sub['numeral']}）{sub['title']}" if sub.get("numeral") else sub["title"]
            sheet.append([title])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5)
            for task in sub["tasks"]:
                sheet.append([task["number"], None, task["requirement"], task["responsibility"], _limit_text(task)])
    workbook.save(str(path))


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_bundled_table_from_office_files(suffix: str, tmp_path: Path) -> None:
    source = tmp_path / f"table{suffix}"
    (_bundled_docx if suffix == ".docx" else _bundled_xlsx)(source)
    out = tmp_path / "out"
    summary = import_table(source, out, year=2024, roster=DATA / "units.yaml", force=False)
    assert (summary.tasks, summary.sections, summary.new_units) == (44, 11, ())
    written = yaml.safe_load((out / "tasks.yaml").read_text(encoding="utf-8"))
    assert _outline(written) == _outline(_bundled())
    assert written["document"]["title"] == "池州市2024年政务公开重点任务分工"
    if suffix == ".docx":
        assert written["document"]["number"] == "池政公办函〔2024〕14号"
        assert written["document"]["issuer"] == "池州市政务公开办公室"
    # Paragraphs within one cell stay paragraphs (task 7 has two).
    task7 = written["sections"][1]["subsections"][1]["tasks"][0]
    assert task7["number"] == 7 and task7["requirement"].count("\n") == 1
    _, problems = _inspect(out)
    assert [p.code for p in errors_in(problems)] == ["time-limit"]


# --- other offices' tables, in each format ------------------------------------------------------------------

_LEAD_SUPPORT_ROWS = [
    ["某县2025年政务公开重点任务分工"],
    ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"],
    ["1", "政策解读", "围绕年度重点改革事项，以图解、问答等形式发布解读材料。", "县司法局", "县融媒体中心", "6月底前"],
    ["2", "依申请公开", "规范依申请公开答复文书，统一救济渠道表述。", "县政府办", "县司法局、县数据资源局", "每季度"],
    ["3", "平台建设", "完成政府网站集约化平台栏目梳理。", "县数据资源局", "", "年底前"],
]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_with_lead_and_support_columns(encoding: str, tmp_path: Path) -> None:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(_LEAD_SUPPORT_ROWS)
    source = tmp_path / "分工.csv"
    source.write_bytes(buffer.getvalue().encode(encoding))
    out = tmp_path / "out"
    summary = import_table(source, out, year=None, roster=None, force=False)
    assert summary.tasks == 3 and summary.sections == 0
    assert set(summary.new_units) == {"县司法局", "县融媒体中心", "县政府办", "县数据资源局"}
    division, problems = _inspect(out, accept_review=True)
    assert errors_in(problems) == [], problems
    assert division.year == 2025
    one, two, three = division.tasks
    assert (one.leads, one.implementers, one.supports) == (("县司法局",), (), ("县融媒体中心",))
    assert one.time_limit.due == datetime.date(2025, 6, 30)
    assert (two.leads, two.supports) == (("县政府办",), ("县司法局", "县数据资源局"))
    assert two.time_limit.kind == "recurring" and len(two.time_limit.occurrences) == 4
    assert (three.leads, three.supports, three.time_limit.due) == (("县数据资源局",), (), datetime.date(2025, 12, 31))
    assert one.work_item == "政策解读"


def test_xlsx_with_remark_as_time_limit(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "要点"
    sheet["A1"] = "某区2025年政务公开工作要点任务分工"
    sheet.merge_cells("A1:E1")
    sheet.append(["（2025年3月）"])
    sheet.append(["序号", "重点任务", "工作内容", "责任部门", "备注"])
    sheet.append(["一、深化重点领域信息公开"])
    sheet.merge_cells("A4:E4")
    sheet.append(
        [
            1,
            "财政信息",
            "按时公开部门预决算和“三公”经费，细化到功能分类项级科目。",
            "区财政局牵头，区属各部门负责落实",
            "9月底前",
        ]
    )
    sheet.append(
        [2, "就业信息", "集中发布稳岗补贴、创业担保贷款等政策清单。", "区人社局负责，区财政局配合", "三季度末"]
    )
    sheet.append(["二、加强政务公开平台建设"])
    sheet.merge_cells("A7:E7")
    sheet.append([3, "网站管理", "开展政府网站常态化监测，及时整改错断链。", "区政府办", "持续推进"])
    source = tmp_path / "要点.xlsx"
    workbook.save(str(source))
    out = tmp_path / "out"
    summary = import_table(source, out, year=None, roster=None, force=False)
    assert (summary.tasks, summary.sections) == (3, 2)
    assert set(summary.new_units) == {"区财政局", "区人社局", "区政府办"}
    # 区属各部门 is a group: written as one, its members the departments and offices, for a person to review.
    assert summary.new_groups == ("区属各部门",)
    groups = yaml.safe_load((out / "units.yaml").read_text(encoding="utf-8"))["groups"]
    assert groups == [
        {"name": "区属各部门", "coverage": "all", "member_kinds": ["department", "office"], "review": True}
    ]
    rows, info, _ = read_source(source)
    tasks = [r for r in rows if isinstance(r, TaskRow)]
    assert [t.place("time_limit") for t in tasks] == ["要点!E5", "要点!E6", "要点!E8"]
    assert info.title == "某区2025年政务公开工作要点任务分工" and info.year == 2025
    division, problems = _inspect(out, accept_review=True)
    assert errors_in(problems) == [], problems
    one, two, three = division.tasks
    assert (one.leads, one.implementers, one.time_limit.due) == (
        ("区财政局",),
        ("区属各部门",),
        datetime.date(2025, 9, 30),
    )
    assert (two.implementers, two.supports, two.time_limit.due) == (
        ("区人社局",),
        ("区财政局",),
        datetime.date(2025, 9, 30),
    )
    assert (three.implementers, three.time_limit.kind) == (("区政府办",), "ongoing")


def test_docx_flat_list_of_sections_tasks(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("某市统计局2025年政务公开工作任务清单")
    table = document.add_table(rows=1, cols=4)
    for cell, name in zip(table.rows[0].cells, ("序号", "工作内容", "责任科室", "完成时间"), strict=True):
        cell.text = name
    for number, requirement, unit, limit in (
        ("1", "更新本局政府信息公开指南和目录。", "办公室", "3月底前"),
        ("2", "按月发布主要统计数据和解读。", "综合科、办公室", "每月"),
        ("3", "做好统计执法检查结果公开。", "法规科牵头，各专业科配合", "持续推进"),
    ):
        cells = table.add_row().cells
        for cell, text in zip(cells, (number, requirement, unit, limit), strict=True):
            cell.text = text
    source = tmp_path / "清单.docx"
    document.save(str(source))
    out = tmp_path / "out"
    summary = import_table(source, out, year=None, roster=None, force=False)
    assert (summary.tasks, summary.sections) == (3, 0)
    written = yaml.safe_load((out / "tasks.yaml").read_text(encoding="utf-8"))
    assert [t["number"] for t in written["tasks"]] == [1, 2, 3]
    assert written["document"] == {
        "title": "某市统计局2025年政务公开工作任务清单",
        "year": 2025,
        "columns": ["序号", "工作内容", "责任科室", "完成时间"],
    }
    division, problems = _inspect(out, accept_review=True)
    assert errors_in(problems) == [], problems
    one, two, three = division.tasks
    assert (one.implementers, one.time_limit.due) == (("办公室",), datetime.date(2025, 3, 31))
    assert two.implementers == ("综合科", "办公室") and len(two.time_limit.occurrences) == 12
    assert (three.leads, three.supports) == (("法规科",), ("各专业科",))


def test_text_rows_copied_from_a_spreadsheet_with_invisible_characters(tmp_path: Path) -> None:
    text = (
        "\ufeff某镇2025年政务公开重点任务\n"
        "序号\t工作任务\t具体要求\t责任单位\t时限要求\n"
        "1\t村务公开\t推进\u00a0村务公开目录\u3000标准化。\t镇\u200b党政办\u00a0牵头，各村\u3000负责落实\t6月底前\n"
        "2\t财务公开\t每季度公开\u200b村级财务收支。\t镇财政所\t每季度\n"
    )
    source = tmp_path / "镇.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    summary = import_table(source, out, year=None, roster=None, force=False)
    assert summary.normalised == 6  # 2 NBSP, 2 U+3000, 2 U+200B (the BOM is the encoding's)
    assert (set(summary.new_units), summary.new_groups) == ({"镇党政办", "镇财政所"}, ("各村",))
    for name in summary.new_units + summary.new_groups:
        assert not re.search("[\u00a0\u3000\u200b\ufeff\\s]", name)
    written = (out / "tasks.yaml").read_text(encoding="utf-8") + (out / "units.yaml").read_text(encoding="utf-8")
    assert not re.search("[\u00a0\u3000\u200b\ufeff]", written)
    division, problems = _inspect(out, accept_review=True)
    assert errors_in(problems) == [], problems
    one, two = division.tasks
    assert one.requirement == "推进村务公开目录标准化。"
    assert (one.leads, one.implementers, one.time_limit.due) == (("镇党政办",), ("各村",), datetime.date(2025, 6, 30))
    assert two.time_limit.kind == "recurring"


# --- hostile sources ----------------------------------------------------------------------------------------


def _refused(source: Path) -> str:
    started = time.process_time()
    with pytest.raises(ImportRefusedError) as caught:
        read_source(source)
    assert time.process_time() - started < 10
    message = str(caught.value)
    assert CHINESE.search(message), message
    return message


def test_zip_bomb_xlsx_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert source.stat().st_size < 1024 * 1024
    assert "压缩炸弹" in _refused(source)


def test_zip_with_absurd_ratio_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "ratio.docx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/blank.bin", b"\0" * (8 * 1024 * 1024))
    assert "压缩比" in _refused(source)


def test_docx_with_a_dtd_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    source = tmp_path / "entity.docx"
    with zipfile.ZipFile(plain) as original, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as hostile:
        for info in original.infolist():
            content = original.read(info)
            if info.filename == "word/document.xml":
                declaration, rest = content.split(b"?>", 1)
                content = declaration + b'?><!DOCTYPE w:document [<!ENTITY lol "lol">]>' + rest
            hostile.writestr(info, content)
    assert "DTD" in _refused(source)


def test_fifo_is_refused(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    source = tmp_path / "pipe.csv"
    os.mkfifo(source)
    assert "管道" in _refused(source)


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "table.pdf"
    source.write_bytes(b"%PDF-1.4")
    message = _refused(source)
    assert ".pdf" in message and ".docx" in message and ".xlsx" in message


def test_garbage_office_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "fake.xlsx"
    source.write_bytes(b"not a zip at all")
    _refused(source)


# --- writing --------------------------------------------------------------------------------------------------


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(
        "某县2025年任务\n序号\t具体要求\t责任单位\t时限\n1\t公开预算。\t县财政局\t年底前\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "tasks.yaml").write_text("# a person's work\n", encoding="utf-8")
    with pytest.raises(ImportRefusedError, match="--force"):
        import_table(source, out, year=None, roster=None, force=False)
    assert (out / "tasks.yaml").read_text(encoding="utf-8") == "# a person's work\n"
    import_table(source, out, year=None, roster=None, force=True)
    assert "公开预算。" in (out / "tasks.yaml").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_roster_entries_are_added_to_the_given_roster(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(
        "池州市2024年补充任务\n序号\t具体要求\t责任单位\t时限\n1\t公开统计公报。\t市统计局牵头，市政府办公室配合\t年底前\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = import_table(source, out, year=None, roster=DATA / "units.yaml", force=False)
    assert summary.new_units == ("市统计局",)
    roster = yaml.safe_load((out / "units.yaml").read_text(encoding="utf-8"))
    assert roster["units"][-1] == {"name": "市统计局", "kind": "department", "review": True}
    assert len(roster["groups"]) == len(yaml.safe_load((DATA / "units.yaml").read_text(encoding="utf-8"))["groups"])
    _, problems = _inspect(out)
    assert errors_in(problems) == []
    assert [p.code for p in problems] == ["roster"] or all(p.severity == "notice" for p in problems)


# --- header names are the in-cell labels ---------------------------------------------------------------------

COUNTY = Path(__file__).parent / "data" / "county"


def _csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_a_lead_header_is_the_lead_column(tmp_path: Path) -> None:
    source = _csv(
        tmp_path / "处室分工.csv",
        [
            ["某厅2025年政务公开工作任务分工"],
            ["序号", "主要工作任务", "具体工作要求", "牵头处室", "协同单位", "时间节点"],
            ["1", "政策解读", "厅发规范性文件印发后同步发布解读。", "政策法规处", "办公室、信息中心", "及时"],
            ["2", "平台建设", "完成门户网站适老化改造。", "信息中心", "", "9月底前"],
        ],
    )
    out = tmp_path / "out"
    summary = import_table(source, out, year=None, roster=None, force=False)
    assert summary.tasks == 2
    tasks = yaml.safe_load((out / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert [(t["work_item"], t["lead_text"], t.get("support_text")) for t in tasks] == [
        ("政策解读", "政策法规处", "办公室、信息中心"),
        ("平台建设", "信息中心", None),
    ]
    division, problems = _inspect(out, accept_review=True)
    assert errors_in(problems) == [], problems
    one, two = division.tasks
    assert (one.leads, one.implementers, one.supports) == (("政策法规处",), (), ("办公室", "信息中心"))
    assert (two.leads, two.time_limit.due) == (("信息中心",), datetime.date(2025, 9, 30))


def test_a_lead_header_alone_gives_the_leads(tmp_path: Path) -> None:
    source = _csv(
        tmp_path / "分工.csv",
        [
            ["序号", "具体内容", "牵头部门", "完成时限"],
            ["1", "公开年度预决算。", "县财政局", "9月底前"],
        ],
    )
    out = tmp_path / "out"
    import_table(source, out, year=2025, roster=None, force=False)
    division, problems = _inspect(out, accept_review=True)
    assert errors_in(problems) == [], problems
    assert (division.tasks[0].leads, division.tasks[0].implementers) == (("县财政局",), ())


def test_a_label_in_a_cell_is_read_as_the_header_of_that_name(tmp_path: Path) -> None:
    source = _csv(
        tmp_path / "分工.csv",
        [
            ["序号", "工作内容", "责任处室", "完成时间"],
            ["1", "更新政策问答库。", "牵头处室：办公室；责任处室：政策法规处；协同单位：信息中心", "每季度末"],
        ],
    )
    out = tmp_path / "out"
    import_table(source, out, year=2025, roster=None, force=False)
    division, problems = _inspect(out, accept_review=True)
    assert errors_in(problems) == [], problems
    task = division.tasks[0]
    assert (task.leads, task.implementers, task.supports) == (("办公室",), ("政策法规处",), ("信息中心",))


def test_a_county_table_imported_with_its_roster(tmp_path: Path) -> None:
    source = _csv(
        tmp_path / "某县分工.csv",
        [
            ["某县2025年政务公开重点任务分工"],
            ["序号", "重点任务", "具体工作要求", "牵头部门", "配合部门", "完成时限"],
            ["1", "基层公开", "推进基层政务公开标准化，更新乡镇公开目录。", "县政府办", "各乡镇人民政府", "10月底前"],
            ["2", "融媒发布", "通过县融媒体平台同步发布重要政策。", "县融媒体中心", "县档案馆、李村镇", "每季度"],
            ["3", "政府信息", "县政府门户网站开设主动公开专栏。", "县政府", "城关镇", "6月底前"],
        ],
    )
    roster = COUNTY / "units.yaml"
    out = tmp_path / "out"
    summary = import_table(source, out, year=None, roster=roster, force=False)
    assert summary.new_units == ("县档案馆", "李村镇", "县政府")
    written = yaml.safe_load((out / "units.yaml").read_text(encoding="utf-8"))
    guessed = {u["name"]: u["kind"] for u in written["units"] if u.get("review")}
    # The roster's own kinds first (馆 → 县直事业单位), then the built-in endings; 县政府 is the county's own.
    assert guessed == {"县档案馆": "institution", "李村镇": "township", "县政府": "office"}
    division, problems = _inspect(out, accept_review=True)
    assert errors_in(problems) == [], problems
    one, two, three = division.tasks
    assert (one.leads, one.supports) == (("县政府办公室",), ("各乡镇人民政府",))
    assert (two.leads, two.supports) == (("县融媒体中心",), ("县档案馆", "李村镇"))
    assert (three.leads, three.supports, three.time_limit.due) == (("县政府",), ("城关镇",), datetime.date(2025, 6, 30))
    assert division.kind_label("institution") == "县直事业单位"


# --- the command ---------------------------------------------------------------------------------------------


def test_import_command_on_the_seed_names_what_needs_a_person(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from gongkai_cli.cli.app import app

    if not SEED.is_file():
        pytest.skip(f"the seed document is not at {SEED}; set GONGKAI_SEED=/path/to/000_4f7d8cdad68d011f.txt")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA / "units.yaml", data / "units.yaml")
    runner = CliRunner()
    result = runner.invoke(
        app, ["import", str(SEED), "--out", str(data / "2024"), "--year", "2024", "--roster", str(data / "units.yaml")]
    )
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("000_4f7d8cdad68d011f.txt:176: 无法识别的时限“9底前”")
    assert f"已导入到 {data / '2024'}：44 项任务、11 个部分。" in result.stderr
    # A table of a folder of several tables shares the folder's roster: its own units.yaml adds nothing here.
    assert "name:" not in (data / "2024" / "units.yaml").read_text(encoding="utf-8")
    again = runner.invoke(app, ["import", str(SEED), "--out", str(data / "2024")])
    assert again.exit_code == 1 and "已有 tasks.yaml" in again.stderr
    missing = runner.invoke(app, ["import", str(tmp_path / "nowhere.docx"), "--out", str(tmp_path / "x")])
    assert missing.exit_code == 2
