"""Progress over a realistic year on the bundled table: reports, the 台账 filled and read again on later days, a
monthly task across two periods, progress, remind, and records re-pointed after the table changes."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import DATA
from typer.testing import CliRunner

from gongkai_cli.cli.app import app
from gongkai_cli.load import load_data
from gongkai_cli.progress import fingerprint
from gongkai_cli.query import find_task

# Task 37 (年底前 in the table) made monthly, owed by 市司法局 through 市政府各部门.
MONTHLY = 37
TITLE = "池州市2024年政务公开重点任务分工"


def run(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def office(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    tasks = data / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    block = text.index(f"- number: {MONTHLY}\n")
    limit = text.index("time_limit: 年底前", block)
    tasks.write_text(text[:limit] + "time_limit: 每月" + text[limit + len("time_limit: 年底前") :], "utf-8")
    return data


def rows_of(workbook: Path, sheet: str = "总表") -> dict[tuple[int, str], dict[str, Any]]:
    book = openpyxl.load_workbook(workbook)
    grid = list(book[sheet].iter_rows(values_only=True))
    return {(int(row[0]), str(row[5])): dict(zip(grid[0], row, strict=True)) for row in grid[1:]}


def fill(workbook: Path, filled: Path, answers: dict[tuple[int, str], dict[str, Any]]) -> None:
    """Fill in cells of 总表 by header for some rows, as a unit would."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["总表"]
    header = [cell.value for cell in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        key = (int(str(sheet.cell(row=r, column=1).value)), str(sheet.cell(row=r, column=6).value))
        for name, value in answers.get(key, {}).items():
            sheet.cell(row=r, column=header.index(name) + 1).value = value
    book.save(filled)


def records_of(office: Path, unit: str = "市司法局") -> list[dict[str, Any]]:
    import yaml

    path = office / "progress" / f"{unit}.yaml"
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["records"])


def test_a_workbook_read_again_on_a_later_day_adds_nothing(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    base = ("--data", str(office))
    workbook, filled = tmp_path / "台账.xlsx", tmp_path / "填好的.xlsx"
    run(runner, *base, "export", "xlsx", str(workbook), "--unit", "司法局", "--today", "2024-09-20")
    # No 完成时间: the record takes the day it is read.
    fill(workbook, filled, {(12, "市司法局"): {"状态": "按序时推进", "工作进展情况": "规程征求意见中"}})
    first = run(runner, *base, "report", "--from", str(filled), "--today", "2024-09-20")
    assert first.stderr.splitlines()[1:] == ["任务 12，市司法局，按序时推进，2024-09-20"]
    for later in ("2024-09-20", "2024-10-08", "2024-12-30"):
        again = run(runner, *base, "report", "--from", str(filled), "--today", later)
        assert again.stderr == f"已汇总台账 {filled}：新增或改动的 0 行写入 {office / 'progress'}。\n"
    assert len(records_of(office)) == 1
    # Saying something else without a date is new, and takes the day it is read.
    fill(filled, filled, {(12, "市司法局"): {"状态": "已完成", "工作进展情况": "规程已印发"}})
    taken = run(runner, *base, "report", "--from", str(filled), "--today", "2024-10-08")
    assert taken.stderr.splitlines()[1:] == ["任务 12，市司法局，已完成，2024-10-08"]


def test_a_monthly_task_across_two_periods(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    base = ("--data", str(office))
    run(runner, *base, "report", str(MONTHLY), "--unit", "司法局", "--status", "已完成", "--date", "2024-02-20")
    october, filled = tmp_path / "十月.xlsx", tmp_path / "十月填好.xlsx"
    run(runner, *base, "export", "xlsx", str(october), "--unit", "司法局", "--today", "2024-10-15")
    row = rows_of(october)[(MONTHLY, "市司法局")]
    # The row reports on October, and February's 已完成 does not answer for it.
    assert (row["时限要求"], row["状态"], row["完成时间"]) == ("每月（期次：2024-10）", None, None)
    state = json.loads(run(runner, *base, "progress", "--unit", "司法局", "--today", "2024-10-15", "-f", "json").stdout)
    assert state["units"][0]["states"][str(MONTHLY)] == "overdue"  # January's occurrence was never done
    csv_rows = run(runner, *base, "export", "csv", "-", "--unit", "司法局", "--today", "2024-10-15").stdout
    assert f"\n{MONTHLY},十（一）," in csv_rows and ",每月（期次：2024-10）,市司法局," in csv_rows

    fill(october, filled, {(MONTHLY, "市司法局"): {"状态": "已完成", "工作进展情况": "十月培训已办"}})
    taken = run(runner, *base, "report", "--from", str(filled), "--today", "2024-10-20")
    assert taken.stderr.splitlines()[1:] == [f"任务 {MONTHLY}（2024-10 期），市司法局，已完成，2024-10-20"]
    assert records_of(office)[-1]["period"] == "2024-10"
    # Read again in November: October's row still speaks of October, and says what its record says.
    again = run(runner, *base, "report", "--from", str(filled), "--today", "2024-11-03")
    assert "新增或改动的 0 行" in again.stderr

    november = tmp_path / "十一月.xlsx"
    run(runner, *base, "export", "xlsx", str(november), "--unit", "司法局", "--today", "2024-11-03")
    row = rows_of(november)[(MONTHLY, "市司法局")]
    assert (row["时限要求"], row["状态"]) == ("每月（期次：2024-11）", None)
    run(runner, *base, "export", "xlsx", str(october), "--unit", "司法局", "--today", "2024-10-25")
    row = rows_of(october)[(MONTHLY, "市司法局")]
    assert (row["时限要求"], row["状态"], row["完成时间"]) == ("每月（期次：2024-10）", "已完成", "2024-10-20")

    # A 完成时间 before the row's period is refused, naming the period.
    fill(november, filled, {(MONTHLY, "市司法局"): {"状态": "已完成", "完成时间": "2024-10-30"}})
    refused = run(runner, *base, "report", "--from", str(filled), "--today", "2024-11-03", code=1)
    assert "此行报送第37项任务 2024-11 期（自 2024-11-01 起），2024-10-30 早于该期" in refused.stdout


def test_a_reported_shortfall_stays_visible_after_its_date(runner: CliRunner, office: Path) -> None:
    base = ("--data", str(office))
    run(runner, *base, "report", "17", "--unit", "司法局", "--status", "未达预期", "--date", "2024-09-10")
    summary = json.loads(run(runner, *base, "progress", "--today", "2024-10-01", "-f", "json").stdout)
    sifaju = next(u for u in summary["units"] if u["unit"] == "市司法局")
    # 6, 35, 36 and the monthly 37 are overdue too.
    assert (sifaju["behind"], sifaju["overdue"], sifaju["states"]["17"]) == (1, 5, "behind_overdue")
    table = run(runner, *base, "progress", "--unit", "司法局", "--today", "2024-10-01").stdout
    assert "市司法局：应办 19，已完成 0，按序时推进 0，未达预期 1，未报送 14，逾期 5（其中未达预期 1）" in table
    assert "未达预期（逾期）" in table


def test_remind_lists_overdue_work_first(runner: CliRunner, office: Path) -> None:
    # The bundled table as shipped: nothing falls due from 1 to 15 October, four tasks are overdue.
    lines = run(runner, "remind", "--unit", "市司法局", "--today", "2024-10-01").stdout.splitlines()
    assert [line.split("（")[0] for line in lines] == [
        "提醒：已逾期或截止日期在 2024-10-01 至 2024-10-15 之间、尚未报送完成的任务",
        "",
        "【市司法局】",
        "以下 4 项任务已逾期，尚未报送完成，请抓紧落实并及时报送进展：",
        "1. 【逾期】任务 6，截止日期 2024-05-31",
        "2. 【逾期】任务 35，截止日期 2024-08-31",
        "3. 【逾期】任务 17，截止日期 2024-09-30",
        "4. 【逾期】任务 36，截止日期 2024-09-30",
    ]
    # With the monthly task: each overdue occurrence first, then what falls due in the window, each on its date.
    base = ("--data", str(office))
    run(runner, *base, "report", str(MONTHLY), "--unit", "司法局", "--status", "已完成", "--date", "2024-02-20")
    asked = ("remind", "--unit", "市司法局", "--within", "31d", "--today", "2024-10-01")
    (sifaju,) = json.loads(run(runner, *base, *asked, "-f", "json").stdout)
    assert [(i["task"], i["due"]) for i in sifaju["overdue"]] == [
        (MONTHLY, "2024-01-31"),
        (MONTHLY, "2024-03-31"),
        (MONTHLY, "2024-04-30"),
        (6, "2024-05-31"),
        (MONTHLY, "2024-05-31"),
        (MONTHLY, "2024-06-30"),
        (MONTHLY, "2024-07-31"),
        (35, "2024-08-31"),
        (MONTHLY, "2024-08-31"),
        (17, "2024-09-30"),
        (36, "2024-09-30"),
        (MONTHLY, "2024-09-30"),
    ]
    assert [(i["task"], i["due"]) for i in sifaju["items"]] == [(MONTHLY, "2024-10-31")]
    text = run(runner, *base, *asked).stdout.splitlines()
    assert text[3] == "以下 12 项任务已逾期、1 项任务即将截止，尚未报送完成，请抓紧落实并及时报送进展："
    assert text[-1].startswith(f"13. 任务 {MONTHLY}，截止日期 2024-10-31（时限：每月）")


def test_a_default_date_outside_the_year_names_today(
    runner: CliRunner, office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai_cli import query

    monkeypatch.setattr(query, "today_in_china", lambda: datetime.date(2026, 12, 3))
    refused = run(runner, "--data", str(office), "report", "6", "--unit", "司法局", "--status", "已完成", code=2)
    assert refused.stderr == (
        "错误：今天（2026-12-03）不在这张表的年度内（2024-01-01 至 2025-03-31）；"
        "请用 --date 写明进展日期，或用 --today 指定今天\n"
    )
    dated = ("--date", "2024-06-01")
    written = run(runner, "--data", str(office), "report", "6", "--unit", "司法局", "--status", "已完成", *dated)
    assert written.stderr.endswith("任务 6，已完成，2024-06-01\n")


def test_the_ledger_holds_the_tables_text(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    base = ("--data", str(office))
    tasks = office / "tasks.yaml"
    tasks.write_text(tasks.read_text("utf-8").replace("强化领域细分", "=强化领域细分"), "utf-8")
    note = ("--note", "+86 专线已开通", "--date", "2024-09-01", "--today", "2024-10-01")
    run(runner, *base, "report", "17", "--unit", "司法局", "--status", "按序时推进", *note)
    workbook = tmp_path / "台账.xlsx"
    run(runner, *base, "export", "xlsx", str(workbook), "--today", "2024-10-01")
    book = openpyxl.load_workbook(workbook)
    row = rows_of(workbook)[(17, "市司法局")]
    assert str(row["具体要求"]).startswith("=强化领域细分") and row["工作进展情况"] == "+86 专线已开通"
    # 序号 is a number on every sheet.
    for sheet in book.worksheets:
        assert {type(cell.value) for cell in sheet["A"][1:]} == {int}, sheet.title
        assert {cell.data_type for cell in sheet["C"][1:]} == {"s"}, sheet.title
    assert run(runner, *base, "report", "--from", str(workbook), "--today", "2024-10-02").stderr.startswith(
        f"已汇总台账 {workbook}：新增或改动的 0 行"
    )
    # A workbook an older export wrote, with a quote before text that starts like a formula, still reads back.
    sheet = book["总表"]
    header = [cell.value for cell in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        for name in ("具体要求", "工作进展情况"):
            cell = sheet.cell(row=r, column=header.index(name) + 1)
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+")):
                cell.value = "'" + cell.value
    old = tmp_path / "旧台账.xlsx"
    book.save(old)
    assert "新增或改动的 0 行" in run(runner, *base, "report", "--from", str(old), "--today", "2024-10-02").stderr


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=办公室", "-c", "user.email=office@example.gov.cn", *args],
        cwd=folder,
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


def swap_tasks(tasks: Path, first: int, second: int) -> None:
    """Swap the texts of two neighbouring tasks, keeping their numbers: a renumbering."""
    lines = tasks.read_text("utf-8").splitlines(keepends=True)
    starts = [next(i for i, line in enumerate(lines) if line.strip() == f"- number: {n}") for n in (first, second)]
    indent = len(lines[starts[1]]) - len(lines[starts[1]].lstrip())
    end = next(
        (i for i in range(starts[1] + 1, len(lines)) if len(lines[i]) - len(lines[i].lstrip()) <= indent),
        len(lines),
    )
    body_one, body_two = lines[starts[0] + 1 : starts[1]], lines[starts[1] + 1 : end]
    swapped = [lines[starts[0]], *body_two, lines[starts[1]], *body_one]
    tasks.write_text("".join(lines[: starts[0]] + swapped + lines[end:]), "utf-8")


def test_records_follow_a_reworded_and_a_renumbered_task(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "office"
    data = repo / "data"
    shutil.copytree(DATA, data)
    git(repo, "init", "-q")
    base = ("--data", str(data))
    run(runner, *base, "report", "17", "--unit", "司法局", "--status", "按序时推进", "--date", "2024-09-01")
    run(runner, *base, "report", "39", "--unit", "司法局", "--status", "已完成", "--date", "2024-09-02")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "2024")

    tasks = data / "tasks.yaml"
    tasks.write_text(tasks.read_text("utf-8").replace("拓展应用场景", "拓展更多应用场景"), "utf-8")
    swap_tasks(tasks, 38, 39)
    checked = run(runner, *base, "check", "--today", "2024-10-01", code=1)
    assert "运行 gongkai repoint 旧版本（如 HEAD~1）按 diff 的对应关系改写 task 和指纹" in checked.stdout

    repointed = run(runner, *base, "repoint", "HEAD")
    progress_file = data / "progress" / "市司法局.yaml"
    new17, new38 = (fingerprint(find_task(load_data(data), n)) for n in (17, 38))
    old17, old39 = (fingerprint(find_task(load_data(DATA), n)) for n in (17, 39))
    assert repointed.stderr.splitlines() == [
        f"{progress_file}:7：任务 17 → 17，指纹 {old17} → {new17}",
        f"{progress_file}:12：任务 39 → 38，指纹 {old39} → {new38}",
        "已改写 2 条记录（1 个文件）。",
    ]
    assert [(r["task"], r["date"]) for r in records_of(data)] == [
        (17, datetime.date(2024, 9, 1)),
        (38, datetime.date(2024, 9, 2)),
    ]
    run(runner, *base, "check", "--today", "2024-10-01")
    again = run(runner, *base, "repoint", "HEAD")
    assert again.stderr == "已改写 0 条记录（0 个文件）。\n"

    # The 台账 keys follow: the new fingerprints, and the re-pointed record pre-filled on its new number.
    division = load_data(data)
    workbook = tmp_path / "台账.xlsx"
    run(runner, *base, "export", "xlsx", str(workbook), "--unit", "司法局", "--today", "2024-10-01")
    rows = rows_of(workbook)
    for number in (17, 38):
        printed = fingerprint(find_task(division, number))
        assert rows[(number, "市司法局")]["键（勿改）"] == f"{TITLE}|{number}|{printed}|市司法局"
    assert rows[(38, "市司法局")]["状态"] == "已完成"


def test_an_ambiguous_match_rewrites_nothing(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "office"
    data = repo / "data"
    shutil.copytree(DATA, data)
    git(repo, "init", "-q")
    base = ("--data", str(data))
    run(runner, *base, "report", "38", "--unit", "公开办", "--status", "已完成", "--date", "2024-09-02")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "2024")
    tasks = data / "tasks.yaml"
    text = tasks.read_text("utf-8")
    old = "加强工作调研和经验交流，组织开展专题式调研活动，学习借鉴省内外先进经验做法，推动各项工作迈上新台阶。"
    task40 = "各级政务公开工作机构要充实人员力量，为推进政务公开高质量发展提供坚实保障。"
    # Task 38 reworded two ways, as 38 and as 40: neither is sure.
    text = text.replace(old, old.replace("专题式", "专题")).replace(task40, old.replace("专题式", "专项式"))
    tasks.write_text(text, "utf-8")
    before = (data / "progress" / "市政务公开办.yaml").read_bytes()
    refused = run(runner, *base, "repoint", "HEAD", code=1)
    assert "无法确定对应哪一项" in refused.stdout
    assert "一条记录也没有改写" in refused.stderr
    assert (data / "progress" / "市政务公开办.yaml").read_bytes() == before


def test_repoint_refuses_a_file_that_changed_since_it_was_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A record appended between reading the files and rewriting them is never written over: nothing is rewritten.
    from gongkai_cli.progress import repoint

    folder = tmp_path / "progress"
    folder.mkdir()
    path = folder / "市司法局.yaml"
    path.write_text('unit: 市司法局\nrecords:\n  - task: 39\n    fingerprint: "aaaaaa"\n', encoding="utf-8")
    read = repoint._records

    def read_then_report(where: Path) -> Any:
        found = read(where)
        path.write_text(path.read_text(encoding="utf-8") + "  - task: 12\n", encoding="utf-8")
        return found

    monkeypatch.setattr(repoint, "_records", read_then_report)
    plan = repoint.RepointPlan((repoint.Repointed(path, 3, 39, "aaaaaa", 38, "bbbbbb"),), (), ())
    with pytest.raises(repoint.RepointRefusedError, match="在改写前又有了改动"):
        repoint.apply_repoint(plan, folder)
    assert path.read_text(encoding="utf-8").endswith("  - task: 12\n")
