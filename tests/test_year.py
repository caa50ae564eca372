"""A year played through the command line: export the 台账, units fill it in, read it back, follow progress."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import DATA
from typer.testing import CliRunner

from gongkai_cli.cli.app import app

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


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled table's 台账, exported once for the tests that only hand it back."""
    workbook = tmp_path_factory.mktemp("exported") / "台账.xlsx"
    run(CliRunner(), "--data", str(DATA), "export", "xlsx", str(workbook))
    return workbook


def fill(
    workbook: Path, filled: Path, answers: dict[tuple[int, str], tuple[str, str, str]], sheet_name: str = "总表"
) -> None:
    """Fill in 状态, 工作进展情况 and 完成时间 for some rows of a sheet, after re-sorting it as a unit would."""
    book = openpyxl.load_workbook(workbook)
    sheet = book[sheet_name]
    header = [cell.value for cell in sheet[1]]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    rows.sort(key=lambda row: (str(row[header.index("单位")]), -int(str(row[0]))), reverse=True)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c).value = value  # cell(value=None) would leave the old value
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


def uids(path: Path) -> list[str]:
    import icalendar

    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")]


def test_a_year_followed_through(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    base = ("--data", str(office))
    workbook, filled = tmp_path / "台账.xlsx", tmp_path / "填好的台账.xlsx"
    exported = run(runner, *base, "export", "xlsx", str(workbook), "--today", TODAY)
    assert exported.stderr == f"已写出 {workbook}：690 行（总表）。\n"
    # 市司法局 and 市政务公开办 fill in 总表.
    fill(
        workbook,
        filled,
        {
            (6, "市司法局"): ("已完成", "已建立政策解读沟通机制", "2024-05-30"),
            (35, "市司法局"): ("已完成", "目录体系已修订", "2024/8/20"),
            (6, "市政务公开办"): ("已完成", "已会同司法局建立机制", "2024-05-28"),
            (17, "市政务公开办"): ("按序时推进", "政策文件库分类整理中", "9月15日"),
            (35, "市政务公开办"): ("未达预期", "目录调整尚未完成", "2024-09-01"),
        },
    )
    taken = run(runner, *base, "report", "--from", str(filled), "--today", TODAY)
    assert taken.stderr.splitlines() == [
        f"已汇总台账 {filled}：新增或改动的 5 行写入 {office / 'progress'}。",
        "任务 6，市司法局，已完成，2024-05-30",
        "任务 6，市政务公开办，已完成，2024-05-28",
        "任务 17，市政务公开办，按序时推进，2024-09-15",
        "任务 35，市司法局，已完成，2024-08-20",
        "任务 35，市政务公开办，未达预期，2024-09-01",
    ]
    # Reading the same workbook again takes nothing new.
    again = run(runner, *base, "report", "--from", str(filled), "--today", TODAY)
    assert again.stderr == f"已汇总台账 {filled}：新增或改动的 0 行写入 {office / 'progress'}。\n"

    # A second round: the workbook comes pre-filled; 贵池区政府 and 市政务公开办 fill in their own sheets only, so
    # that 总表 still shows what was exported.
    second, second_filled = tmp_path / "台账2.xlsx", tmp_path / "填好的台账2.xlsx"
    run(runner, *base, "export", "xlsx", str(second), "--today", TODAY)
    fill(
        second,
        second_filled,
        {
            (6, "贵池区政府"): ("已完成", "已建立政策解读全链条管理机制", "2024-05-25"),
            (35, "贵池区政府"): ("已完成", "目录体系已修订", "2024-08-30"),
            (36, "贵池区政府"): ("已完成", "已清理无效信息", "2024-09-20"),
        },
        "贵池区政府",
    )
    fill(second_filled, second_filled, {(35, "市政务公开办"): ("已完成", "目录调整完成", "2024-09-25")}, "市政务公开办")
    taken = run(runner, *base, "report", "--from", str(second_filled), "--today", TODAY)
    assert taken.stderr.splitlines() == [
        f"已汇总台账 {second_filled}：新增或改动的 4 行写入 {office / 'progress'}。",
        "任务 6，贵池区政府，已完成，2024-05-25",
        "任务 35，市政务公开办，已完成，2024-09-25",
        "任务 35，贵池区政府，已完成，2024-08-30",
        "任务 36，贵池区政府，已完成，2024-09-20",
    ]
    again = run(runner, *base, "report", "--from", str(second_filled), "--today", TODAY)
    assert "新增或改动的 0 行" in again.stderr

    # progress reflects what was filled in
    progress = json.loads(run(runner, *base, "progress", "--today", TODAY, "-f", "json").stdout)
    by_unit = {u["unit"]: u for u in progress["units"]}
    sifaju, gongkaiban, guichi = by_unit["市司法局"], by_unit["市政务公开办"], by_unit["贵池区政府"]
    assert (sifaju["done"], sifaju["states"]["6"], sifaju["states"]["35"]) == (2, "done", "done")
    assert (gongkaiban["done"], gongkaiban["states"]["6"], gongkaiban["states"]["35"]) == (2, "done", "done")
    assert gongkaiban["states"]["17"] == "overdue"  # on track in September, due on 30 September
    assert (guichi["done"], guichi["overdue"]) == (3, 2)
    assert {number: guichi["states"][number] for number in ("6", "17", "22", "35", "36")} == {
        "6": "done",
        "17": "overdue",
        "22": "overdue",
        "35": "done",
        "36": "done",
    }

    # unit shows the latest status and its date
    unit = json.loads(run(runner, *base, "unit", "司法局", "--today", TODAY, "-f", "json").stdout)
    progress_of = {t["number"]: t["progress"] for t in unit["tasks"]}
    assert progress_of[6] == {"status": "done", "date": "2024-05-30"}
    assert progress_of[17] is None

    # due --overdue lists only what is not done by every unit that owes it
    overdue = json.loads(run(runner, *base, "due", "--overdue", "--today", TODAY, "-f", "json").stdout)
    assert [t["number"] for t in overdue] == [6, 35, 17, 22, 36]  # other units have not reported them done
    mine = json.loads(
        run(runner, *base, "due", "--overdue", "--unit", "贵池区政府", "--today", TODAY, "-f", "json").stdout
    )
    assert [t["number"] for t in mine] == [17, 22]

    # The calendar of 贵池区政府 leaves out what it has done, and two exports give the same events.
    first_ics, second_ics = tmp_path / "贵池区政府.ics", tmp_path / "贵池区政府2.ics"
    for path in (first_ics, second_ics):
        written = run(runner, *base, "export", "ics", str(path), "--unit", "贵池", "--today", TODAY)
        assert written.stderr == f"已写出 {path}：6 个日程。\n"
    assert uids(first_ics) == uids(second_ics) and len(set(uids(first_ics))) == 6


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
    assert refused.stderr == "错误：没有“完成了”这种状态，--status 可写：未开始、按序时推进、已完成、未达预期。\n"
    late = run(runner, *base, "report", "12", "--unit", "司法局", "--status", "已完成", "--date", "2025-06-30", code=2)
    assert late.stderr.startswith("错误：日期 2025-06-30 不在这张表的年度内")
    assert (office / "progress" / "市司法局.yaml").read_text(encoding="utf-8") == text


def test_calendar_export_is_stable(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    import icalendar

    base = ("--data", str(office))
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    run(runner, *base, "export", "ics", str(first), "--unit", "司法局", "--today", TODAY)
    run(runner, *base, "export", "ics", str(second), "--unit", "司法局", "--today", TODAY)
    events = [e for e in icalendar.Calendar.from_ical(first.read_bytes()).walk("VEVENT")]
    # 18 and 22 reach 市司法局 through groups of relevant members: owed once it reports on them, as remind counts.
    assert sorted(str(e["SUMMARY"]).split("：")[0] for e in events) == [
        "任务17",
        "任务35",
        "任务36",
        "任务37",
        "任务39",
        "任务6",
    ]
    assert first.read_bytes() == second.read_bytes()
    assert len({str(e["UID"]) for e in events}) == 6
    run(runner, *base, "report", "22", "--unit", "司法局", "--status", "按序时推进", "--date", "2024-07-01")
    written = run(runner, *base, "export", "ics", str(second), "--unit", "司法局", "--today", TODAY)
    assert written.stderr == f"已写出 {second}：7 个日程。\n"
    assert set(uids(first)) < set(uids(second))


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
    # 6, due on 31 May and not reported done, comes first as overdue.
    assert [(item["task"], item["due"]) for item in sifaju["overdue"]] == [(6, "2024-05-31")]
    one = ("remind", "--within", "60d", "--today", "2024-08-01", "--unit", "司法局")
    assert run(runner, *base, *one).stdout.splitlines()[:6] == [
        "提醒：已逾期或截止日期在 2024-08-01 至 2024-09-30 之间、尚未报送完成的任务",
        "",
        "【市司法局】联络人：李四 0566-1234567",
        "以下 1 项任务已逾期、2 项任务即将截止，尚未报送完成，请抓紧落实并及时报送进展：",
        "1. 【逾期】任务 6，截止日期 2024-05-31（时限：2024年5月底前）：政务公开办、司法局建立政策解读沟通机制。"
        "各级各部门建立健全政策解读全链条管理机制。",
        "2. 任务 17，截止日期 2024-09-30（时限：9底前）：强化领域细分，拓展应用场景（直接援引政策解读专题关于解读的分类），"
        "提升搜索查询功能，方便市场主体和人民群众获取政策信息。",
    ]
    as_md = run(runner, *base, *one, "-f", "md").stdout.splitlines()
    assert as_md[:3] == [
        "### 提醒：已逾期或截止日期在 2024-08-01 至 2024-09-30 之间、尚未报送完成的任务",
        "",
        "#### 【市司法局】联络人：李四 0566-1234567",
    ]
    assert as_md[-1].startswith("3. 任务 36，截止日期 2024-09-30（时限：9月底前）：严格落实")
    rows = run(runner, *base, *one, "-f", "csv").stdout.lstrip("\ufeff").splitlines()
    assert rows[0] == "单位,联络人,提醒,任务编号,部分,截止日期,时限,任务要求"
    assert rows[1].startswith("市司法局,李四 0566-1234567,逾期,6,二（一）,2024-05-31,2024年5月底前,")
    assert rows[2].startswith("市司法局,李四 0566-1234567,将截止,17,四（一）,2024-09-30,9底前,")
    nothing = run(runner, *base, "remind", "--within", "1d", "--today", "2024-05-02").stdout
    assert nothing == "提醒：已逾期或截止日期在 2024-05-02 至 2024-05-03 之间、尚未报送完成的任务\n\n无\n"
    # Nothing falls due in the next day, but 6 is overdue for every unit that has not reported it done.
    late = run(runner, *base, "remind", "--within", "1d", "--today", "2024-08-02").stdout.splitlines()
    assert late[2:4] == ["【市政务公开办】", "以下 1 项任务已逾期，尚未报送完成，请抓紧落实并及时报送进展："]
    md = run(runner, *base, "progress", "--today", TODAY, "-f", "md").stdout
    assert md.startswith("### 落实情况（今天按 2024-10-01 计）")


def test_progress_by_task_lists_who_has_reported(runner: CliRunner, office: Path) -> None:
    base = ("--data", str(office))
    run(runner, *base, "report", "35", "--unit", "司法局", "--status", "按序时推进", "--date", "2024-07-30")
    rows = run(runner, *base, "progress", "--tasks", "--section", "九", "--today", TODAY, "-f", "csv").stdout
    header, *lines = [line.split(",") for line in rows.lstrip("\ufeff").splitlines()]
    assert header == ["任务编号", "部分", "截止日期", "时限", "应报送", "已报送", "未报送的单位", "已报送的单位"]
    by_number = {line[0]: line for line in lines}
    assert list(by_number) == ["34", "35", "36"]
    assert by_number["35"][4:6] == ["19", "1"] and by_number["35"][7] == "市司法局"
    assert "市司法局" not in by_number["35"][6].split("、") and len(by_number["35"][6].split("、")) == 18
    assert by_number["36"][5] == "0" and by_number["36"][7] == ""
    table = run(runner, *base, "progress", "--tasks", "--today", TODAY).stdout
    assert "各项任务报送情况（今天按 2024-10-01 计）：44 项，0 项各单位均已报送" in table
    refused = run(runner, *base, "progress", "--tasks", "--unit", "司法局", code=2)
    assert "--tasks 与 --unit 不能同时使用：--unit 已逐项列出这个单位的状态，请去掉 --tasks。" in refused.output


def test_one_units_workbook_and_csv_hold_the_same_rows(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    base = ("--data", str(office))
    workbook, filled, table = tmp_path / "司法局.xlsx", tmp_path / "填好的.xlsx", tmp_path / "司法局.csv"
    written = run(runner, *base, "export", "xlsx", str(workbook), "--unit", "司法局", "--today", TODAY)
    assert written.stderr == f"已写出 {workbook}：34 行（总表）。\n"
    written = run(runner, *base, "export", "csv", str(table), "--unit", "司法局", "--today", TODAY)
    assert written.stderr == f"已写出 {table}：34 行。\n"
    book = openpyxl.load_workbook(workbook)
    in_summary = [(row[0], row[5]) for row in book["总表"].iter_rows(min_row=2, values_only=True)]
    in_csv = [(int(line[0]), line[5]) for line in csv.reader(table.read_text("utf-8-sig").splitlines()[1:])]
    assert in_summary == in_csv and {unit for _, unit in in_csv} == {"市司法局"}
    # 22 reaches 市司法局 through 行业主管部门, a group of relevant members: it reports in its own row.
    assert (22, "市司法局") in in_csv
    fill(workbook, filled, {(22, "市司法局"): ("按序时推进", "已督促公共企事业单位完善目录", "2024-09-01")}, "市司法局")
    taken = run(runner, *base, "report", "--from", str(filled), "--today", TODAY)
    assert taken.stderr.splitlines()[1:] == ["任务 22，市司法局，按序时推进，2024-09-01"]
    progress = json.loads(run(runner, *base, "progress", "--unit", "司法局", "--today", TODAY, "-f", "json").stdout)
    assert progress["units"][0]["states"]["22"] == "overdue"
    # --unit limits the per-task part too: the unit's own tasks, and the unit alone in each.
    assert [r["task"] for r in progress["tasks"]] == [int(number) for number in progress["units"][0]["states"]]
    assert {(tuple(r["reported"]), tuple(r["not_reported"])) for r in progress["tasks"]} <= {
        (("市司法局",), ()),
        ((), ("市司法局",)),
    }
    assert {"task": 22, "reported": ["市司法局"], "not_reported": []} in progress["tasks"]


@pytest.mark.parametrize("kind", ["xlsx", "csv", "ics"])
def test_an_export_for_a_group_is_refused(runner: CliRunner, office: Path, tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"有关部门.{kind}"
    refused = run(runner, "--data", str(office), "export", kind, str(target), "--unit", "市政府有关部门", code=2)
    assert refused.stderr == "错误：“市政府有关部门”是统称，不是单位，请写其中一个成员单位的名称。\n"
    assert not target.exists()


def test_csv_goes_to_standard_output_for_a_dash(runner: CliRunner, office: Path) -> None:
    written = run(runner, "--data", str(office), "export", "csv", "-", "--unit", "司法局", "--today", TODAY)
    rows = list(csv.reader(written.stdout.splitlines(keepends=True)))
    assert written.stdout.startswith(
        "\ufeff序号,部分,具体要求,责任单位,时限要求,单位,角色,状态,工作进展情况,佐证材料,完成时间\n"
    )
    assert {row[5] for row in rows[1:]} == {"市司法局"}
    assert len(rows) == 1 + 34 and written.stderr == ""
    assert not Path("-").exists()
    for kind in ("xlsx", "ics"):
        refused = run(runner, "--data", str(office), "export", kind, "-", code=2)
        assert refused.stderr == f"错误：{kind} 不能写到标准输出（-），请写一个文件名（只有 csv 可以写到 -）。\n"
        assert not Path("-").exists()


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (("12",), "任务编号"),
        (("--unit", "司法局"), "--unit"),
        (("--status", "已完成"), "--status"),
        (("--date", "2024-06-30"), "--date"),
        (("--note", "已完成"), "--note"),
        (("--evidence", "https://www.example.gov.cn/a.html"), "--evidence"),
        (("--by", "张三"), "--by"),
        (("--period", "2024-Q2"), "--period"),
    ],
)
def test_a_workbook_report_takes_no_other_argument(
    runner: CliRunner, office: Path, exported: Path, extra: tuple[str, ...], named: str
) -> None:
    refused = run(runner, "--data", str(office), "report", "--from", str(exported), *extra, code=2)
    gap = " " if named.startswith("-") else ""
    assert refused.stderr == (
        f"错误：{named}{gap}不能与 --from 同时使用：台账的每一行已写明任务、单位和进展，请去掉{gap}{named}。\n"
    )
    assert not (office / "progress").exists()


def test_report_reads_a_status_key_and_refuses_bad_arguments_as_usage(runner: CliRunner, office: Path) -> None:
    base = ("--data", str(office), "report", "12", "--date", "2024-06-30", "--today", TODAY)
    written = run(runner, *base, "--unit", "司法局", "--status", "done")
    path = office / "progress" / "市司法局.yaml"
    assert written.stderr == f"已追加到 {path}：任务 12，已完成，2024-06-30\n"
    text = path.read_text(encoding="utf-8")
    assert text.endswith('  status: 已完成\n    progress: "已完成"\n')
    refusals = {
        ("--unit", "市政府有关部门"): "错误：“市政府有关部门”是统称，不是单位，请写其中一个成员单位的名称。\n",
        ("--evidence", "ftp://example.com/a.pdf"): "错误：佐证“ftp://example.com/a.pdf”不是有效的 "
        "http(s) 链接或相对文件路径（如 https://www.example.gov.cn/a.html、佐证/1.pdf）\n",
        ("--period", "2024-Q5"): "错误：周期“2024-Q5”无效，应写作 2024、2024-H1、2024-Q2 或 2024-06\n",
    }
    for (option, value), message in refusals.items():
        args = ("--unit", "司法局", option, value) if option != "--unit" else (option, value)
        refused = run(runner, *base, *args, "--status", "已完成", code=2)
        assert refused.stderr == message
    unknown = run(runner, *base, "--unit", "不存在的局", "--status", "已完成", code=2)
    assert unknown.stderr.startswith("错误：未找到“不存在的局”，请核对名称")
    late = run(runner, *base[:-2], "--unit", "司法局", "--status", "已完成", "--today", "2024-06-29", code=2)
    assert late.stderr.startswith("错误：日期 2024-06-30 晚于今天（2024-06-29）")
    # A progress file that cannot take a record is a data problem.
    flow = path.read_bytes()
    path.write_text("unit: 市司法局\nrecords: [{task: 12}]\n", encoding="utf-8")
    unappendable = run(runner, *base, "--unit", "司法局", "--status", "已完成", code=1)
    assert "records 写在方括号里，无法在末尾追加" in unappendable.stderr
    path.write_bytes(flow)
    assert path.read_text(encoding="utf-8") == text


def test_a_workbook_for_one_unit_reports_for_that_unit_only(runner: CliRunner, office: Path, tmp_path: Path) -> None:
    # A unit that edits the hidden key and the 单位 cell of its own workbook cannot report for another unit.
    workbook, forged = tmp_path / "台账.xlsx", tmp_path / "改过的台账.xlsx"
    run(runner, "--data", str(office), "export", "xlsx", str(workbook), "--unit", "市司法局")
    book = openpyxl.load_workbook(workbook)
    sheet = book["总表"]
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    key = row[header.index("键") if "键" in header else len(header) - 1]
    assert str(key.value).endswith("|市司法局")
    key.value = str(key.value).removesuffix("市司法局") + "市政务公开办"
    row[header.index("单位")].value = "市政务公开办"
    row[header.index("状态")].value = "已完成"
    book.save(forged)
    refused = run(runner, "--data", str(office), "report", "--from", str(forged), "--today", TODAY, code=1)
    assert "此台账是为“市司法局”导出的，不能报送“市政务公开办”的进展" in refused.stdout
    assert not (office / "progress").exists()
