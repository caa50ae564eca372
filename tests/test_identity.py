"""Task identity: numbers as printed, restarting by section or subsection, and the one name each task goes by.

A table whose sections (一、二、三) each number their tasks 1, 2, 3, and whose section 四 restarts them in each
subsection, checks clean; its tasks are 1-1 … 3-3 and 4.1-1 … 4.2-2 in show, report, progress, the 台账 and diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from gongkai_cli import load_data
from gongkai_cli.cli.app import app
from gongkai_cli.errors import LookupFailedError
from gongkai_cli.query import find_task

TODAY = "2024-10-01"

UNITS = """\
units:
  - name: 县甲局
    kind: department
  - name: 县乙局
    kind: department
  - name: 县丙局
    kind: department
"""

SECTION_TASKS = {
    "一": ("加强政策解读。", "县甲局", ["解读重要政策文件", "开展政策吹风会", "回应社会关切"]),
    "二": ("推进基层公开。", "县乙局", ["梳理基层公开事项", "更新基层公开目录", "规范村务公开栏"]),
    "三": ("优化公开平台。", "县丙局", ["整合政府网站栏目", "完善政务新媒体矩阵", "清理过期信息"]),
}
LIMITS = ["6月底前", "9月底前", "11月底前"]
SUBSECTIONS = {
    "一": ("（一）规范依申请公开。", ["修订依申请公开办理规程", "编制依申请公开答复范本"]),
    "二": ("（二）强化监督保障。", ["开展公开工作第三方评估", "组织政务公开业务培训"]),
}


def _task(number: int, requirement: str, unit: str, limit: str, indent: str) -> str:
    return (
        f"{indent}- number: {number}\n"
        f"{indent}  requirement: {requirement}。\n"
        f"{indent}  responsibility: {unit}负责\n"
        f"{indent}  time_limit: {limit}\n"
    )


def restarting_table(sections: dict[str, tuple[str, str, list[str]]] = SECTION_TASKS) -> str:
    """Sections 一…三 each numbering their tasks from 1; section 四 numbering them from 1 in each subsection."""
    text = "document:\n  title: 某县2024年政务公开重点任务分工\n  year: 2024\nsections:\n"
    for numeral, (title, unit, requirements) in sections.items():
        text += f"  - numeral: {numeral}\n    title: {title}\n    tasks:\n"
        for number, requirement in enumerate(requirements, 1):
            text += _task(number, requirement, unit, LIMITS[number - 1], "      ")
    text += "  - numeral: 四\n    title: 强化保障措施。\n    subsections:\n"
    for numeral, (title, requirements) in SUBSECTIONS.items():
        text += f"      - numeral: {numeral}\n        title: {title[3:]}\n        tasks:\n"
        for number, requirement in enumerate(requirements, 1):
            text += _task(number, requirement, "县甲局", LIMITS[number - 1], "          ")
    return text


IDS = ["1-1", "1-2", "1-3", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4.1-1", "4.1-2", "4.2-1", "4.2-2"]


@pytest.fixture
def county(tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    folder.mkdir()
    (folder / "units.yaml").write_text(UNITS, encoding="utf-8")
    (folder / "tasks.yaml").write_text(restarting_table(), encoding="utf-8")
    return folder


def run(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def check_lines(runner: CliRunner, folder: Path, code: int) -> list[str]:
    return [line.split(": ", 1)[1] for line in run(runner, "check", str(folder), code=code).stdout.splitlines()]


# --- check takes the numbers as printed ----------------------------------------------------------------------


def test_check_accepts_numbers_restarting_by_section_and_subsection(runner: CliRunner, county: Path) -> None:
    result = run(runner, "check", str(county))
    assert result.stdout == ""
    assert "13 项任务" in result.stderr and "未发现问题" in result.stderr
    assert "提醒" not in result.stderr


def test_check_accepts_a_printed_gap(runner: CliRunner, data_copy: Path) -> None:
    tasks = data_copy / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("- number: 44\n", "- number: 45\n"), "utf-8")
    result = run(runner, "check", str(data_copy))
    assert result.stdout == "" and "提醒" not in result.stderr
    assert [t.number for t in load_data(data_copy, use_cache=False).tasks][-2:] == [43, 45]


REPEAT = (("- number: 3\n        requirement: 回应", "- number: 2\n        requirement: 回应"),)
BACK = (
    ("- number: 2\n        requirement: 开展", "- number: 3\n        requirement: 开展"),
    ("- number: 3\n        requirement: 回应", "- number: 2\n        requirement: 回应"),
)
RESTART_INSIDE = (("- number: 3\n        requirement: 回应", "- number: 1\n        requirement: 回应"),)


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        pytest.param(REPEAT, "任务编号 2 重复", id="repeat"),
        pytest.param(BACK, "任务编号 2 不按顺序（前一个是 3）", id="back"),
        pytest.param(RESTART_INSIDE, "任务编号 1 重复", id="restart-inside-a-section"),
    ],
)
def test_check_still_catches_slips_inside_a_section(
    runner: CliRunner, county: Path, edits: tuple[tuple[str, str], ...], message: str
) -> None:
    tasks = county / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    tasks.write_text(text, encoding="utf-8")
    [problem] = check_lines(runner, county, 1)
    assert problem.startswith(message)


def test_a_restart_must_begin_at_a_section_or_subsection(runner: CliRunner, county: Path) -> None:
    tasks = county / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    # Section 二 beginning at 3 after section 一 ended at 3 repeats a number of the run: not a restart.
    tasks.write_text(text.replace("- number: 1\n        requirement: 梳理", "- number: 3\n        requirement: 梳理"))
    assert check_lines(runner, county, 1)[0].startswith("任务编号 3 重复")


# --- the identity --------------------------------------------------------------------------------------------


def test_identities_name_the_section_or_subsection_that_restarts_the_numbers(county: Path) -> None:
    division = load_data(county, use_cache=False)
    assert [division.task_id(t) for t in division.tasks] == IDS
    assert division.repeats
    for ident in IDS:
        task = division.find(ident)
        assert task is not None and division.task_id(task) == ident
    assert division.placements["4.2-1"].subsection_number == 2


def test_the_bundled_tables_identities_are_its_numbers(bundled_ids: list[object]) -> None:
    assert bundled_ids == list(range(1, 45))


@pytest.fixture
def bundled_ids() -> list[object]:
    division = load_data()
    return [division.task_id(t) for t in division.tasks]


@pytest.mark.parametrize(
    ("typed", "ident"),
    [
        ("2-1", "2-1"),
        ("二-1", "2-1"),
        ("２－１", "2-1"),
        ("2—1", "2-1"),
        ("2‐1", "2-1"),
        ("第2-3项", "2-3"),
        ("4.2-1", "4.2-1"),
        ("四.二-1", "4.2-1"),
        ("四（二）-2", "4.2-2"),
    ],
)
def test_show_takes_the_identity_in_every_written_form(runner: CliRunner, county: Path, typed: str, ident: str) -> None:
    task = json.loads(run(runner, "--data", str(county), "show", typed, "-f", "json").stdout)
    assert task["id"] == ident
    assert task["number"] == int(ident.rpartition("-")[2])


def test_show_prints_the_identity(runner: CliRunner, county: Path) -> None:
    stdout = run(runner, "--data", str(county), "show", "二-1").stdout
    assert "任务 2-1" in stdout
    assert any("编号" in line and "2-1" in line for line in stdout.splitlines())


def test_a_plain_number_that_repeats_is_a_usage_error_naming_the_candidates(runner: CliRunner, county: Path) -> None:
    result = run(runner, "--data", str(county), "show", "3", code=2)
    assert result.stdout == ""
    assert result.stderr.startswith("错误：有 3 项任务编号为 3：1-3、2-3、3-3；")
    result = run(runner, "--data", str(county), "show", "1", code=2)
    assert "有 5 项任务编号为 1：1-1、2-1、3-1、4.1-1、4.2-1" in result.stderr
    # A section whose subsections restart the numbers needs the subsection.
    result = run(runner, "--data", str(county), "show", "4-1", code=2)
    assert "有 2 项任务编号为 1：4.1-1、4.2-1" in result.stderr


@pytest.mark.parametrize("typed", ["5-1", "1-9", "4.3-1", "x-1"])
def test_an_identity_naming_no_task_is_a_usage_error(runner: CliRunner, county: Path, typed: str) -> None:
    result = run(runner, "--data", str(county), "show", typed, code=2)
    assert "如 1-1" in result.stderr


def test_a_plain_number_still_names_a_task_of_a_table_whose_numbers_are_unique(bundled_ids: list[object]) -> None:
    division = load_data()
    assert find_task(division, "17") is find_task(division, 17)
    with pytest.raises(LookupFailedError, match="本表任务编号不分部分，请直接写任务编号"):
        find_task(division, "4-2")


def test_listings_show_the_identity(runner: CliRunner, county: Path) -> None:
    rows = json.loads(run(runner, "--data", str(county), "section", "二", "-f", "json").stdout)
    assert [(t["id"], t["number"]) for t in rows] == [("2-1", 1), ("2-2", 2), ("2-3", 3)]
    csv_out = run(runner, "--data", str(county), "section", "四", "-f", "csv").stdout
    assert [line.split(",")[0] for line in csv_out.splitlines()[1:]] == ["4.1-1", "4.1-2", "4.2-1", "4.2-2"]
    contents = json.loads(run(runner, "--data", str(county), "sections", "-f", "json").stdout)
    assert contents[1]["tasks"] == ["2-1", "2-2", "2-3"]
    assert contents[3]["subsections"][1]["tasks"] == ["4.2-1", "4.2-2"]


def test_the_bundled_json_id_is_the_number_as_text(runner: CliRunner) -> None:
    tasks = json.loads(run(runner, "due", "-f", "json").stdout)
    assert all(t["id"] == str(t["number"]) for t in tasks) and tasks


# --- progress records ----------------------------------------------------------------------------------------


def test_report_then_progress_by_identity(runner: CliRunner, county: Path) -> None:
    base = ("--data", str(county))
    result = run(runner, *base, "report", "二-1", "--unit", "县乙局", "--status", "已完成", "--today", "2024-06-01")
    assert "任务 2-1，已完成，2024-06-01" in result.stderr
    written = (county / "progress" / "县乙局.yaml").read_text(encoding="utf-8")
    assert "- task: 2-1\n" in written
    progress = json.loads(run(runner, *base, "progress", "--unit", "县乙局", "--today", TODAY, "-f", "json").stdout)
    [unit] = progress["units"]
    assert unit["states"] == {"2-1": "done", "2-2": "overdue", "2-3": "not_reported"}
    assert unit["done"] == 1
    # The task of the same number in another section is untouched.
    progress = json.loads(run(runner, *base, "progress", "--unit", "县甲局", "--today", TODAY, "-f", "json").stdout)
    assert progress["units"][0]["states"]["1-1"] == "overdue"


def test_report_with_a_repeated_plain_number_is_refused(runner: CliRunner, county: Path) -> None:
    result = run(runner, "--data", str(county), "report", "1", "--unit", "县乙局", "--status", "已完成", code=2)
    assert "有 5 项任务编号为 1" in result.stderr
    assert not (county / "progress").exists()


def _records(county: Path, unit: str, task: str, fingerprint_of: str) -> None:
    from gongkai_cli.progress import fingerprint

    division = load_data(county, use_cache=False)
    target = find_task(division, fingerprint_of)
    folder = county / "progress"
    folder.mkdir(exist_ok=True)
    (folder / f"{unit}.yaml").write_text(
        f"unit: {unit}\nrecords:\n  - task: {task}\n    fingerprint: {fingerprint(target)}\n"
        "    date: 2024-05-01\n    status: 已完成\n    progress: 已完成。\n",
        encoding="utf-8",
    )


def test_a_hand_written_record_names_its_task_by_identity(runner: CliRunner, county: Path) -> None:
    _records(county, "县丙局", "3-2", "3-2")
    run(runner, "check", str(county))
    progress = json.loads(run(runner, "--data", str(county), "progress", "--today", TODAY, "-f", "json").stdout)
    states = next(u for u in progress["units"] if u["unit"] == "县丙局")["states"]
    assert states["3-2"] == "done"


def test_a_record_with_a_repeated_plain_number_says_which_tasks_it_could_be(runner: CliRunner, county: Path) -> None:
    _records(county, "县丙局", "2", "3-2")
    [problem] = check_lines(runner, county, 1)
    assert problem.startswith("有 5 项任务编号为 2：1-2、2-2、3-2、4.1-2、4.2-2")


# --- the 台账 --------------------------------------------------------------------------------------------------


def test_the_ledger_is_keyed_by_identity_and_reads_back(runner: CliRunner, county: Path, tmp_path: Path) -> None:
    base = ("--data", str(county))
    workbook, filled = tmp_path / "台账.xlsx", tmp_path / "填好的台账.xlsx"
    run(runner, *base, "export", "xlsx", str(workbook), "--today", TODAY)
    book = openpyxl.load_workbook(workbook)
    sheet = book["总表"]
    header = [cell.value for cell in sheet[1]]
    column = {
        name: header.index(name) + 1 for name in ("序号", "单位", "状态", "工作进展情况", "完成时间", "键（勿改）")
    }
    numbers = [sheet.cell(row=r, column=column["序号"]).value for r in range(2, sheet.max_row + 1)]
    assert numbers == IDS
    keys = [str(sheet.cell(row=r, column=column["键（勿改）"]).value) for r in range(2, sheet.max_row + 1)]
    assert keys[3].split("|")[1:2] == ["2-1"] and keys[3].endswith("|县乙局")
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(row=r, column=column["序号"]).value in ("2-1", "3-1"):
            sheet.cell(row=r, column=column["状态"], value="已完成")
            sheet.cell(row=r, column=column["工作进展情况"], value="已办结")
            sheet.cell(row=r, column=column["完成时间"], value="2024-06-30")
    book.save(filled)
    taken = run(runner, *base, "report", "--from", str(filled), "--today", TODAY)
    assert taken.stderr.splitlines()[1:] == [
        "任务 2-1，县乙局，已完成，2024-06-30",
        "任务 3-1，县丙局，已完成，2024-06-30",
    ]
    again = run(runner, *base, "report", "--from", str(filled), "--today", TODAY)
    assert "新增或改动的 0 行" in again.stderr
    progress = json.loads(run(runner, *base, "progress", "--today", TODAY, "-f", "json").stdout)
    states = {u["unit"]: u["states"] for u in progress["units"]}
    assert (states["县乙局"]["2-1"], states["县丙局"]["3-1"], states["县甲局"]["1-1"]) == ("done", "done", "overdue")


# --- diff ------------------------------------------------------------------------------------------------------


def test_diff_maps_identities(runner: CliRunner, county: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    new.mkdir()
    (new / "units.yaml").write_text(UNITS, encoding="utf-8")
    sections = dict(SECTION_TASKS)
    title, unit, requirements = sections["二"]
    # A task printed first in section 二 moves that section's numbers down by one; the other sections keep theirs.
    sections["二"] = (title, unit, ["公开基层权力清单", *requirements[:2]])
    (new / "tasks.yaml").write_text(restarting_table(sections), encoding="utf-8")
    data = json.loads(run(runner, "diff", str(county), str(new), "-f", "json").stdout)
    assert data["renumbered"] == {"2-1": "2-2", "2-2": "2-3"}
    assert [(t["id"], t["number"]) for t in data["added"]] == [("2-1", 1)]
    assert [t["id"] for t in data["removed"]] == ["2-3"]
    markdown = run(runner, "diff", str(county), str(new), "-f", "md").stdout
    assert "- 第2-1～2-2项 → 第2-2～2-3项" in markdown
    assert "- 原第2-3项：" in markdown
    impact = next(u for u in data["units"] if u["name"] == "县乙局")
    assert (impact["newly_owes"], impact["no_longer_owes"]) == (["2-1"], ["2-3"])
