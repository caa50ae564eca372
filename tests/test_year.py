"""A year played through the command line: export the 台账, units fill it in, read it back, follow progress."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import DATA
from typer.testing import CliRunner

from gongkai_cli.cli import app

TODAY = "2024-10-01"


def run(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def office(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    return data


def fill(workbook: Path, filled: Path, answers: dict[tuple[int, str], tuple[str, str, str]]) -> None:
    """Fill in 状态, 工作进展情况 and 完成时间 for some rows, after re-sorting the sheet as a unit would."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["总表"]
    header = [cell.value for cell in sheet[1]]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    rows.sort(key=lambda row: str(row[header.index("单位")]), reverse=True)  # units re-sort their rows
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    for r in range(2, sheet.max_row + 1):
        number = sheet.cell(row=r, column=header.index("序号") + 1).value
        unit = sheet.cell(row=r, column=header.index("单位") + 1).value
        answer = answers.get((int(str(number)), str(unit)))
        if answer is not None:
            status, progress, finished = answer
            sheet.cell(row=r, column=header.index("状态") + 1, value=status)
            sheet.cell(row=r, column=header.index("工作进展情况") + 1, value=progress)
            sheet.cell(row=r, column=header.index("完成时间") + 1, value=finished)
    book.save(filled)


def test_a_year_followed_through(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    base = ("--data", str(office))
    workbook, filled = tmp_path / "台账.xlsx", tmp_path / "填好的台账.xlsx"
    run(runner, *base, "export", "xlsx", str(workbook))
    fill(
        workbook,
        filled,
        {
            (6, "市司法局"): ("已完成", "已建立政策解读沟通机制", "2024-05-30"),
            (35, "市司法局"): ("已完成", "目录体系已修订", "2024-08-20"),
            (6, "市政务公开办"): ("已完成", "已会同司法局建立机制", "2024-05-28"),
            (17, "市政务公开办"): ("按序时推进", "政策文件库分类整理中", "2024-09-15"),
            (35, "市政务公开办"): ("未达预期", "目录调整尚未完成", "2024-09-01"),
        },
    )
    taken = run(runner, *base, "report", "--from", str(filled), "--today", TODAY)
    assert "新增或改动的 5 行" in taken.stderr

    # progress reflects what was filled in
    progress = json.loads(run(runner, *base, "progress", "--today", TODAY, "-f", "json").stdout)
    by_unit = {u["unit"]: u for u in progress["units"]}
    assert (by_unit["市司法局"]["done"], by_unit["市司法局"]["states"]["6"], by_unit["市司法局"]["states"]["35"]) == (
        2,
        "done",
        "done",
    )
    assert by_unit["市政务公开办"]["states"]["17"] == "overdue"  # on track in September, due on 30 September
    assert by_unit["市政务公开办"]["states"]["35"] == "overdue"  # reported behind, and 31 August has passed

    # unit shows the latest status and its date
    unit = json.loads(run(runner, *base, "unit", "司法局", "--today", TODAY, "-f", "json").stdout)
    progress_of = {t["number"]: t["progress"] for t in unit["tasks"]}
    assert progress_of[6] == {"status": "done", "date": "2024-05-30"}
    assert progress_of[17] is None

    # due --overdue lists only what is not done by every unit that owes it
    overdue = json.loads(run(runner, *base, "due", "--overdue", "--today", TODAY, "-f", "json").stdout)
    assert [t["number"] for t in overdue] == [6, 35, 17, 22, 36]  # other units have not reported them done
    mine = json.loads(run(runner, *base, "due", "--overdue", "--unit", "司法局", "--today", TODAY, "-f", "json").stdout)
    assert [t["number"] for t in mine] == [17, 22, 36]

    # reading the same workbook again takes nothing new
    again = run(runner, *base, "report", "--from", str(filled), "--today", TODAY)
    assert "新增或改动的 0 行" in again.stderr


def test_an_edited_locked_cell_refuses_the_whole_workbook(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    base = ("--data", str(office))
    workbook = tmp_path / "台账.xlsx"
    run(runner, *base, "export", "xlsx", str(workbook))
    book = openpyxl.load_workbook(workbook)
    sheet = book["总表"]
    sheet["C2"] = "改过的要求"
    sheet["H3"] = "已完成"
    book.save(workbook)
    result = run(runner, *base, "report", "--from", str(workbook), "--today", TODAY, code=1)
    assert result.stdout.startswith("台账.xlsx:总表!C2: ")
    assert "一条记录也没有写入" in result.stderr
    assert not (office / "progress").exists()


def test_report_appends_and_check_validates(runner: CliRunner, office: Path) -> None:
    base = ("--data", str(office))
    run(
        runner,
        *base,
        "report",
        "12",
        "--unit",
        "司法局",
        "--status",
        "已完成",
        "--date",
        "2024-06-30",
        "--today",
        TODAY,
    )
    text = (office / "progress" / "市司法局.yaml").read_text(encoding="utf-8")
    assert "task: 12" in text and "status: 已完成" in text
    assert run(runner, "check", str(office), "--today", TODAY).exit_code == 0
    refused = run(runner, *base, "report", "12", "--unit", "司法局", "--status", "完成了", code=2)
    assert "参数 --status：没有状态“完成了”" in refused.stderr
    late = run(runner, *base, "report", "12", "--unit", "司法局", "--status", "已完成", "--date", "2025-06-30", code=1)
    assert "记录未写入" in late.stderr
    assert (office / "progress" / "市司法局.yaml").read_text(encoding="utf-8") == text


def test_calendar_export_is_stable(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    import icalendar

    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    run(runner, "--data", str(office), "export", "ics", str(first), "--unit", "司法局")
    run(runner, "--data", str(office), "export", "ics", str(second), "--unit", "司法局")
    events = [e for e in icalendar.Calendar.from_ical(first.read_bytes()).walk("VEVENT")]
    assert len(events) == 8
    assert first.read_bytes() == second.read_bytes()
    assert len({str(e["UID"]) for e in events}) == 8


def test_progress_summary_and_reminders(runner: CliRunner, office: Path) -> None:
    base = ("--data", str(office))
    units = office / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace(
            "aliases: [司法局]", "aliases: [司法局]\n    contact: 李四 0566-1234567"
        ),
        "utf-8",
    )
    run(
        runner,
        *base,
        "report",
        "35",
        "--unit",
        "司法局",
        "--status",
        "已完成",
        "--date",
        "2024-07-30",
        "--today",
        TODAY,
    )
    reminders = json.loads(
        run(runner, *base, "remind", "--within", "60d", "--today", "2024-08-01", "-f", "json").stdout
    )
    sifaju = next(r for r in reminders if r["unit"] == "市司法局")
    assert sifaju["contact"] == "李四 0566-1234567"
    # 35 is reported done; 22 reaches it through a group that covers members by their duties (相关): not reminded
    assert [item["task"] for item in sifaju["items"]] == [17, 36]
    one = ("remind", "--within", "60d", "--today", "2024-08-01", "--unit", "司法局")
    assert run(runner, *base, *one).stdout.splitlines()[:5] == [
        "提醒：2024-08-01 至 2024-09-30 到期、尚未报送完成的任务",
        "",
        "【市司法局】联络人：李四 0566-1234567",
        "以下 2 项任务将于 2024-09-30 前到期，尚未报送完成，请抓紧落实并及时报送进展：",
        "1. 任务 17，2024-09-30 到期（时限：9底前）：强化领域细分，拓展应用场景（直接援引政策解读专题关于解读的分类），"
        "提升搜索查询功能，方便市场主体和人民群众获取政策信息。",
    ]
    as_md = run(runner, *base, *one, "-f", "md").stdout.splitlines()
    assert as_md[:3] == [
        "### 提醒：2024-08-01 至 2024-09-30 到期、尚未报送完成的任务",
        "",
        "#### 【市司法局】联络人：李四 0566-1234567",
    ]
    assert as_md[-1].startswith("2. 任务 36，2024-09-30 到期（时限：9月底前）：严格落实")
    rows = run(runner, *base, *one, "-f", "csv").stdout.lstrip("\ufeff").splitlines()
    assert rows[0] == "单位,联络人,编号,部分,日期,时限,任务要求"
    assert rows[1].startswith("市司法局,李四 0566-1234567,17,四（一）,2024-09-30,9底前,")
    nothing = run(runner, *base, "remind", "--within", "1d", "--today", "2024-08-02").stdout
    assert nothing == "提醒：2024-08-02 至 2024-08-03 到期、尚未报送完成的任务\n\n无\n"
    md = run(runner, *base, "progress", "--today", TODAY, "-f", "md").stdout
    assert md.startswith("### 落实情况（今天按 2024-10-01 计）")


def test_progress_by_task_lists_who_has_reported(runner: CliRunner, office: Path) -> None:
    base = ("--data", str(office))
    run(runner, *base, "report", "35", "--unit", "司法局", "--status", "按序时推进", "--date", "2024-07-30")
    rows = run(runner, *base, "progress", "--tasks", "--section", "九", "--today", TODAY, "-f", "csv").stdout
    header, *lines = [line.split(",") for line in rows.lstrip("\ufeff").splitlines()]
    assert header == ["编号", "部分", "日期", "时限", "应报送", "已报送", "未报送的单位", "已报送的单位"]
    by_number = {line[0]: line for line in lines}
    assert list(by_number) == ["34", "35", "36"]
    assert by_number["35"][4:6] == ["19", "1"] and by_number["35"][7] == "市司法局"
    assert "市司法局" not in by_number["35"][6].split("、") and len(by_number["35"][6].split("、")) == 18
    assert by_number["36"][5] == "0" and by_number["36"][7] == ""
    table = run(runner, *base, "progress", "--tasks", "--today", TODAY).stdout
    assert "各项任务报送情况（今天按 2024-10-01 计）：44 项，0 项各单位均已报送" in table
    refused = run(runner, *base, "progress", "--tasks", "--unit", "司法局", code=2)
    assert "参数 --tasks：与 --unit 不能同时使用" in refused.output
