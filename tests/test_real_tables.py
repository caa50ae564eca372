"""Tables as offices publish them, imported through the command line, checked and queried.

Each is written from realistic rows of its kind: a county's Word table with merged cells (vMerge, gridSpan), a
Zhejiang district's workbook whose 主要工作任务 header spans section | subsection | number with separate lead and
support columns, a Huaibei district's CSV saved from Excel (merged cells printed once, a 序号 column without a
header), a town's TSV with no time limits, a city department's own table (牵头处室 | 责任处室), a province's
workbook whose numbering restarts in every section, the 任务 | 责任单位 | 时限 layout (宣城 2022), a prose work plan
and a table copied from a browser (row-spanning cells shift the rest of their rows left).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA
from typer.testing import CliRunner

from gongkai_cli.cli.app import app

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

TABLES = Path(__file__).parent / "data" / "tables"
COUNTY = Path(__file__).parent / "data" / "county"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def answer(runner: CliRunner, *args: str) -> Any:
    return json.loads(run(runner, *args, "-f", "json").stdout)


def imported(runner: CliRunner, source: Path, out: Path, year: int, *more: str, code: int = 0) -> Any:
    return run(runner, "import", str(source), "--out", str(out), "--year", str(year), *more, code=code)


def show(runner: CliRunner, folder: Path, number: int) -> Any:
    return answer(runner, "--data", str(folder), "show", str(number))


def roles(runner: CliRunner, folder: Path, unit: str) -> list[tuple[int, str, str | None]]:
    payload = answer(runner, "--data", str(folder), "unit", unit)
    return [(task["number"], task["role"], task["via"]) for task in payload["tasks"]]


def roster(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((folder / "units.yaml").read_text(encoding="utf-8"))
    return loaded


def reviewed(folder: Path) -> None:
    """A person has checked the guessed entries: the review markers go."""
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("review: true\n", "note: 已核对\n"), encoding="utf-8")


def passes_with_reminders(runner: CliRunner, folder: Path, reminders: int) -> None:
    """Plain check passes with the review reminders; --strict refuses until a person removed the markers."""
    result = run(runner, "check", str(folder))
    assert f"未发现问题，{reminders} 条提醒" in result.stderr
    run(runner, "check", "--strict", str(folder), code=1)
    reviewed(folder)
    run(runner, "check", "--strict", str(folder))


# --- Word: a county ------------------------------------------------------------------------------------------


def _docx_row(table: Any, cells: list[str]) -> Any:
    row = table.add_row()
    for cell, text in zip(row.cells, cells, strict=True):
        cell.text = text
    return row


def _docx_heading(table: Any, text: str) -> None:
    row = table.add_row()
    row.cells[0].merge(row.cells[-1]).text = text


@pytest.fixture
def county_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("某县人民政府办公室关于印发某县2023年政务公开工作要点的通知")
    document.add_paragraph("各乡镇人民政府，县直各单位：")
    document.add_paragraph("现将《某县2023年政务公开工作要点》印发给你们，请认真贯彻落实。")
    document.add_paragraph("某县2023年政务公开工作要点任务分工")
    table = document.add_table(rows=1, cols=5)
    for cell, name in zip(table.rows[0].cells, ("序号", "工作任务", "具体要求", "责任单位", "完成时限"), strict=True):
        cell.text = name
    _docx_heading(table, "一、深化基层政务公开")
    first = _docx_row(
        table,
        [
            "1",
            "基层公开",
            "更新乡镇政务公开事项目录，规范公开专区。",
            "县政府办公室牵头，各乡镇人民政府负责落实",
            "6月底前",
        ],
    )
    second = _docx_row(table, ["2", "", "每季度更新乡镇政务公开专区内容。", "各乡镇人民政府", "每季度"])
    merged = first.cells[1].merge(second.cells[1])  # 基层公开 spans both rows (vMerge)
    merged.text = "基层公开"
    _docx_heading(table, "二、加强政策解读")
    _docx_row(table, ["3", "政策解读", "县政府出台的规范性文件同步发布解读。", "县司法局牵头，县直各单位配合", "及时"])
    _docx_row(table, ["4", "年度报告", "编制并公开政府信息公开工作年度报告。", "县政府办公室", "2024年1月31日前"])
    path = tmp_path / "某县2023年政务公开工作要点.docx"
    document.save(str(path))
    return path


def test_county_docx_with_merged_cells(runner: CliRunner, county_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "county"
    result = imported(runner, county_docx, out, 2023, "--roster", str(COUNTY / "units.yaml"))
    assert result.stdout == ""  # nothing a person must decide
    assert "4 项任务、2 个部分，名册中没有的单位 0 个、统称 1 个" in result.stderr
    group = next(g for g in roster(out)["groups"] if g["name"] == "县直各单位")
    # 各 covers all; the roster has 县直部门 and 县直事业单位: the group stands for both.
    assert group == {
        "name": "县直各单位",
        "coverage": "all",
        "member_kinds": ["department", "institution"],
        "review": True,
    }
    passes_with_reminders(runner, out, 1)
    one, two = show(runner, out, 1), show(runner, out, 2)
    assert (one["section"]["title"], one["work_item"], one["leads"], one["implementers"]) == (
        "深化基层政务公开",
        "基层公开",
        ["县政府办公室"],
        ["各乡镇人民政府"],
    )
    assert one["time_limit"]["due"] == "2023-06-30"
    assert (two["work_item"], two["time_limit"]["kind"]) == ("基层公开", "recurring")  # the merged cell applies
    assert show(runner, out, 4)["time_limit"]["due"] == "2024-01-31"
    assert roles(runner, out, "城关镇") == [(1, "group", "各乡镇人民政府"), (2, "group", "各乡镇人民政府")]
    # The new group owes from the start: its members (县直部门, 县直事业单位) are given task 3.
    assert roles(runner, out, "县财政局") == [(3, "group", "县直各单位")]
    assert roles(runner, out, "县融媒体中心") == [(3, "group", "县直各单位")]
    assert roles(runner, out, "县司法局") == [(3, "lead", None)]


# --- Excel: a Zhejiang district, merged heading columns and separate lead and support columns ----------------


@pytest.fixture
def district_xlsx(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "任务分工"
    sheet.append(["某区2024年政务公开工作任务分解"])
    sheet.merge_cells("A1:G1")
    sheet.append(["主要工作任务", None, None, "具体工作要求", "牵头单位", "配合单位", "完成时限"])
    sheet.merge_cells("A2:C2")
    rows = [
        [
            "一、围绕优化营商环境加强公开",
            "（一）助企政策公开",
            1,
            "集中发布惠企政策清单。",
            "区发展改革局",
            "区级各部门",
            "3月底前",
        ],
        [None, None, 2, "推进惠企政策免申即享。", "区经信局", "区财政局", "9月底前"],
        [None, "（二）执法信息公开", 3, "公开行政执法结果。", "区司法局", "区级各部门", "持续推进"],
        ["二、夯实基层公开", "（一）街道公开", 4, "更新街道政务公开事项目录。", "区政府办公室", "各街道", "11月底前"],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A3:A5")  # the section spans three tasks
    sheet.merge_cells("B3:B4")  # the subsection two
    path = tmp_path / "某区任务分解.xlsx"
    workbook.save(str(path))
    return path


def test_district_xlsx_merged_heading_columns(runner: CliRunner, district_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "district"
    result = imported(runner, district_xlsx, out, 2024)
    assert result.stdout == ""
    assert "4 项任务、2 个部分" in result.stderr
    groups = {g["name"]: g for g in roster(out)["groups"]}
    assert groups["各街道"]["member_kinds"] == ["township"] and groups["各街道"]["coverage"] == "all"
    passes_with_reminders(runner, out, 7)
    one, two, three, four = (show(runner, out, n) for n in (1, 2, 3, 4))
    assert [(t["section"]["title"], t["subsection"]["title"]) for t in (one, two, three, four)] == [
        ("围绕优化营商环境加强公开", "助企政策公开"),
        ("围绕优化营商环境加强公开", "助企政策公开"),
        ("围绕优化营商环境加强公开", "执法信息公开"),
        ("夯实基层公开", "街道公开"),
    ]
    assert (one["leads"], one["supports"], one["time_limit"]["due"]) == (["区发展改革局"], ["区级各部门"], "2024-03-31")
    assert (two["leads"], two["supports"], two["time_limit"]["due"]) == (["区经信局"], ["区财政局"], "2024-09-30")
    assert (four["leads"], four["supports"]) == (["区政府办公室"], ["各街道"])
    assert roles(runner, out, "区财政局") == [
        (2, "support", None),
        (1, "group", "区级各部门"),
        (3, "group", "区级各部门"),
    ]


# --- CSV saved from Excel: a Huaibei district ------------------------------------------------------------------


def test_huaibei_csv_merged_cells_printed_once(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "huaibei"
    result = imported(runner, TABLES / "huaibei_district.csv", out, 2023)
    assert result.stdout == ""
    assert "5 项任务、2 个部分，名册中没有的单位 3 个、统称 2 个" in result.stderr
    groups = {g["name"]: g for g in roster(out)["groups"]}
    assert groups["各镇（街道）"] == {
        "name": "各镇（街道）",
        "coverage": "all",
        "member_kinds": ["township"],
        "review": True,
    }
    passes_with_reminders(runner, out, 5)
    one, two, five = show(runner, out, 1), show(runner, out, 2), show(runner, out, 5)
    # The 序号 column has no header of its own; 重点任务 is printed once per merged run.
    assert (one["number"], one["work_item"], one["leads"], one["implementers"]) == (
        1,
        "财政信息公开",
        ["区财政局"],
        ["区直各部门"],
    )
    assert (two["work_item"], two["section"]["title"], two["time_limit"]["due"]) == (
        "财政信息公开",
        "推进重点领域信息公开",
        "2023-06-30",
    )
    assert (five["work_item"], five["implementers"], five["time_limit"]["kind"]) == (
        "政府网站管理",
        ["各镇（街道）"],
        "recurring",
    )
    assert roles(runner, out, "区人社局") == [(3, "named", None), (1, "group", "区直各部门")]


# --- TSV: a town whose table prints no time limits --------------------------------------------------------------


def test_town_tsv_without_time_limits(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "town"
    result = imported(runner, TABLES / "town.tsv", out, 2024)
    # Said once for the table, not once per row; nothing for a person to decide.
    assert result.stdout == "town.tsv: 原表没有时限：3 项任务的时限都记为“未列明”（按持续推进理解，见各任务的 note）\n"
    written = roster(out)
    assert written["groups"] == [
        {"name": "各村（社区）", "coverage": "all", "member_kinds": ["village"], "review": True}
    ]
    assert written["kinds"] == [{"name": "village", "label": "村（社区）", "endings": ["村", "社区", "居委会"]}]
    passes_with_reminders(runner, out, 4)
    one = show(runner, out, 1)
    assert (one["leads"], one["implementers"], one["work_item"]) == (["镇党政办"], ["各村（社区）"], "村务公开")
    assert (one["time_limit"]["text"], one["time_limit"]["kind"]) == ("未列明", "none")
    assert roles(runner, out, "镇民政办") == [(3, "named", None)]


# --- Word: a city department's own table (牵头处室 | 责任处室) ---------------------------------------------------


@pytest.fixture
def department_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("市某局2024年政务公开工作任务分工")
    table = document.add_table(rows=1, cols=6)
    header = ("序号", "工作任务", "具体工作要求", "牵头处室", "责任处室", "完成时限")
    for cell, name in zip(table.rows[0].cells, header, strict=True):
        cell.text = name
    _docx_row(
        table, ["1", "政策解读", "局发规范性文件印发后同步发布解读。", "政策法规处", "办公室、各业务处室", "及时"]
    )
    _docx_row(table, ["2", "平台建设", "完成局网站适老化改造。", "办公室", "信息中心", "9月底前"])
    _docx_row(table, ["3", "依申请公开", "规范依申请公开答复，每季度统计办理情况。", "政策法规处", "", "每季度末"])
    path = tmp_path / "市某局任务分工.docx"
    document.save(str(path))
    return path


def test_department_docx_lead_and_responsible_divisions(
    runner: CliRunner, department_docx: Path, tmp_path: Path
) -> None:
    out = tmp_path / "department"
    result = imported(runner, department_docx, out, 2024)
    assert result.stdout == ""
    tasks = yaml.safe_load((out / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    # Each cell keeps its header as its label, as the table would write them in one cell.
    assert tasks[0]["responsibility"] == "牵头处室：政策法规处；责任处室：办公室、各业务处室"
    groups = {g["name"]: g for g in roster(out)["groups"]}
    assert groups["各业务处室"]["member_kinds"] == ["section"]
    passes_with_reminders(runner, out, 4)
    one, two, three = (show(runner, out, n) for n in (1, 2, 3))
    assert (one["leads"], one["implementers"]) == (["政策法规处"], ["办公室", "各业务处室"])
    assert (two["leads"], two["implementers"], two["time_limit"]["due"]) == (["办公室"], ["信息中心"], "2024-09-30")
    assert (three["leads"], three["time_limit"]["kind"]) == (["政策法规处"], "recurring")
    assert roles(runner, out, "政策法规处") == [(1, "lead", None), (3, "lead", None)]


# --- Excel: a province whose numbering restarts in every section -----------------------------------------------


@pytest.fixture
def province_xlsx(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["某省2024年政务公开重点工作任务分工"])
    sheet.append(["序号", "重点任务", "责任单位", "完成时限"])
    sheet.append(["一、加强政策解读回应"])
    sheet.merge_cells("A3:D3")
    sheet.append([1, "省政府出台的重要政策同步发布解读。", "省政府办公厅牵头，省直有关单位负责", "持续推进"])
    sheet.append([2, "规范政务舆情回应。", "省政府办公厅、各市人民政府", "及时"])
    sheet.append(["二、推进基层政务公开"])
    sheet.merge_cells("A6:D6")
    sheet.append([1, "深化基层政务公开标准化规范化建设。", "各市人民政府", "11月底前"])
    sheet.append([2, "开展基层政务公开专区建设评估。", "省政府办公厅", "12月底前"])
    path = tmp_path / "某省任务分工.xlsx"
    workbook.save(str(path))
    return path


def test_province_xlsx_restarting_numbers(runner: CliRunner, province_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "province"
    result = imported(runner, province_xlsx, out, 2024)
    # The one-column 重点任务 is the requirement; numbers as printed, not renumbered.
    written = yaml.safe_load((out / "tasks.yaml").read_text(encoding="utf-8"))
    numbers = [[t["number"] for t in s["tasks"]] for s in written["sections"]]
    assert numbers == [[1, 2], [1, 2]]
    assert written["sections"][1]["tasks"][0]["requirement"] == "深化基层政务公开标准化规范化建设。"
    groups = {g["name"]: g for g in roster(out)["groups"]}
    assert groups["各市人民政府"] == {
        "name": "各市人民政府",
        "coverage": "all",
        "member_kinds": ["county"],
        "review": True,
    }
    assert groups["省直有关单位"]["coverage"] == "relevant" and groups["省直有关单位"]["open_ended"] is True
    # Numbers that restart by section are a valid table: nothing is left for a person but the guessed entries,
    # and each task is known by its section and number.
    assert [line for line in result.stdout.splitlines() if line] == []
    passes_with_reminders(runner, out, 3)
    second = answer(runner, "--data", str(out), "show", "2-1")
    assert (second["id"], second["requirement"]) == ("2-1", "深化基层政务公开标准化规范化建设。")
    run(runner, "--data", str(out), "show", "1", code=2)  # a plain 1 names two tasks


# --- CSV: the 任务 | 责任单位 | 时限 layout (宣城 2022) ------------------------------------------------------------


def test_xuancheng_single_text_column(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA / "units.yaml", data / "roster.yaml")
    out = tmp_path / "xuancheng"
    result = imported(runner, TABLES / "xuancheng_2022.csv", out, 2022, "--roster", str(data / "roster.yaml"))
    assert result.stdout == ""
    written = roster(out)
    # 市发改委 is the roster's alias of 市发展改革委: recorded as its written form, not added again, no clash.
    fgw = next(u for u in written["units"] if u["name"] == "市发展改革委")
    assert [v["text"] for v in fgw["variants"]] == ["市发改委"]
    assert "市发改委" not in [u["name"] for u in written["units"]]
    passes_with_reminders(runner, out, 1)
    one = show(runner, out, 1)
    assert one["requirement"] == "围绕稳住经济大盘，及时公开助企纾困政策措施及落实情况。"
    assert one["implementers"] == ["市发展改革委", "市经信局", "市财政局"]
    two = show(runner, out, 2)
    assert (two["leads"], two["implementers"], two["time_limit"]["kind"]) == (["市司法局"], ["市政府各部门"], "prompt")
    assert show(runner, out, 3)["time_limit"]["due"] == "2022-10-31"


# --- text: a prose work plan --------------------------------------------------------------------------------------


def test_prose_plan_with_labelled_lines(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "prose"
    result = imported(runner, TABLES / "prose.txt", out, 2024)
    assert result.stdout == ""
    assert "4 项任务、2 个部分" in result.stderr
    passes_with_reminders(runner, out, 5)
    one, two, three, four = (show(runner, out, n) for n in (1, 2, 3, 4))
    assert (one["section"]["title"], one["leads"], one["supports"], one["time_limit"]["kind"]) == (
        "加强政策发布解读",
        ["办公室"],
        ["政策法规科"],
        "ongoing",
    )
    assert (two["implementers"], two["time_limit"]["due"]) == (["办公室"], "2025-01-31")
    # Labels inside the paragraph, in brackets.
    assert (three["requirement"], three["implementers"], three["time_limit"]["kind"]) == (
        "按月公开全市空气质量和地表水环境质量状况。",
        ["监测科"],
        "recurring",
    )
    assert (four["leads"], four["supports"]) == (["环评科"], ["各分局"])


# --- text copied from a browser: row-spanning cells -----------------------------------------------------------------


def test_browser_copy_rebuilt_by_position(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "browser"
    result = imported(runner, TABLES / "browser_copy.txt", out, 2024)
    assert result.stdout == ""  # no column-shift prompts: the rows are rebuilt
    passes_with_reminders(runner, out, 3)
    two, four = show(runner, out, 2), show(runner, out, 4)
    assert (two["work_item"], two["requirement"], two["implementers"], two["time_limit"]["due"]) == (
        "政策解读",
        "对区属各部门新出台政策开展解读评估。",
        ["区司法局"],
        "2024-12-31",
    )
    assert (four["work_item"], four["implementers"], four["time_limit"]["due"]) == (
        "基层公开",
        ["各街道办事处"],
        "2024-06-30",
    )


# --- shifted columns are said once per run of rows ---------------------------------------------------------------


def test_shifted_columns_said_once_per_run(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "shifted.csv"
    source.write_text(
        "序号,具体要求,责任单位,时限\n"
        "1,公开部门预算。,区财政局,9月底前\n"
        "2,公开部门决算。,9月底前,区财政局\n"
        "3,公开三公经费。,6月底前,区财政局\n"
        "4,公开政府债务。,年底前,区财政局\n",
        encoding="utf-8",
    )
    result = imported(runner, source, tmp_path / "out", 2024, code=1)
    # One line for the run of shifted rows, instead of a prompt per name and per time limit.
    assert result.stdout.splitlines() == [
        "shifted.csv:3: 第 3～5 行的列似乎错位（时限或单位不在各自的列中），请对照原表改正这几行，改好前 check 不会通过",
        "shifted.csv: 未找到表格标题，已暂用“2024年政务公开重点任务分工”，请改为原文标题",
    ]
    assert "有 2 处需要人工确认" in result.stderr
    assert roster(tmp_path / "out")["units"] == [{"name": "区财政局", "kind": "department", "review": True}]


def test_a_time_limit_labelled_inside_the_unit_cell_is_the_rows_limit(runner: CliRunner, tmp_path: Path) -> None:
    # A county's table with no 时限 column writes 完成时限：… at the end of each 责任单位 cell.
    source = tmp_path / "某县任务.txt"
    source.write_text(
        "序号\t具体要求\t责任单位\n"
        "1\t做好政府信息主动公开。\t县政府办公室牵头，县司法局负责；完成时限：长期坚持\n"
        "2\t公开部门预决算。\t县财政局负责；完成时限：2023年6月底前\n",
        encoding="utf-8",
    )
    out = tmp_path / "county"
    result = imported(runner, source, out, 2023, code=1)  # the title is a guess: a person confirms it
    assert "时限" not in result.stdout
    first, second = show(runner, out, 1), show(runner, out, 2)
    assert (first["leads"], first["implementers"]) == (["县政府办公室"], ["县司法局"])
    assert (first["time_limit"]["text"], first["time_limit"]["kind"]) == ("长期坚持", "ongoing")
    assert (second["time_limit"]["text"], second["time_limit"]["due"]) == ("2023年6月底前", "2023-06-30")
