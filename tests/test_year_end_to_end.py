"""The office's whole year in one real git repository, through the command line, every answer asserted.

The story, in the order an office lives it:
1. the shipped layout (data/units.yaml, data/tasks.yaml for 2024), committed;
2. the 2025 notice imported as the README's one path from one year to two says
   (`gongkai import 通知.txt --out data/2025 --year 2025 --roster data/units.yaml`), the cell that awaits a person
   settled as the import advises, committed;
3. `tables`, and queries of either year;
4. `check`, bare and per folder;
5. `diff` by table ids, by folders and by git revisions (the README's `diff HEAD~1 data/` and the CI template's
   `diff origin/<base>: HEAD:`), one answer in every form;
6. reports of 市司法局 in 2025;
7. the 台账 exported in September, filled in, read back, and read again in November to no effect;
8. progress and reminders on 1 October, and the monthly task (task 37 in the 2025 notice) across two periods;
9. a task reworded and another renumbered, committed, then the records re-pointed with `gongkai repoint HEAD~1`;
   progress and a fresh 台账 follow the new identities.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import DATA, REPO, SEED
from typer.testing import CliRunner, Result

from gongkai_cli.cli.app import app

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

UNIT = "市司法局"
MONTHLY = 37  # 年底前 in 2024; the 2025 notice makes it monthly
KEY = "键（勿改）"
MONTH_ENDS = (
    "2025-01-31",
    "2025-02-28",
    "2025-03-31",
    "2025-04-30",
    "2025-05-31",
    "2025-06-30",
    "2025-07-31",
    "2025-08-31",
)


def run(repo: Path, *args: str, code: int = 0) -> Result:
    """Run gongkai from `repo` (it finds repo/data, as a clerk's shell would), and check the exit code."""
    here = Path.cwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(here)
    assert result.exit_code == code, result.output
    return result


def as_json(repo: Path, *args: str) -> Any:
    return json.loads(run(repo, *args, "-f", "json").stdout)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=办公室", "-c", "user.email=office@example.gov.cn", "commit", "-q", "-m", message)


def documented(command: str) -> list[str]:
    """A command as the README writes it, split into arguments (without `gongkai`): the test follows the docs."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert command in readme, command
    return command.split()[1:]


def swap_tasks(tasks: Path, first: int, second: int, after: str) -> None:
    """Swap the texts of two neighbouring tasks, keeping their numbers; `after` is the line that follows them."""
    text = tasks.read_text(encoding="utf-8")
    heads = [f"    - number: {first}\n", f"    - number: {second}\n"]
    start, middle, end = text.index(heads[0]), text.index(heads[1]), text.index(after)
    bodies = text[start + len(heads[0]) : middle], text[middle + len(heads[1]) : end]
    tasks.write_text(text[:start] + heads[0] + bodies[1] + heads[1] + bodies[0] + text[end:], encoding="utf-8")


def notice_2025(folder: Path) -> Path:
    """The 2024 seed with its year moved on, task 17 reworded (站内) and task 37 made monthly."""
    text = SEED.read_text(encoding="utf-8").replace("2024", "2025").replace("提升搜索查询功能", "提升站内搜索查询功能")
    training = text.index("至少参加1次业务培训")
    limit = text.index("年底前", training)
    source = folder / "通知.txt"
    source.write_text(text[:limit] + "每月" + text[limit + len("年底前") :], encoding="utf-8")
    return source


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def ledger(workbook: Path) -> dict[int, dict[str, Any]]:
    """A unit's 台账 rows on 总表, by 序号, each as {header: value}."""
    grid = list(openpyxl.load_workbook(workbook)["总表"].iter_rows(values_only=True))
    return {int(row[0]): dict(zip(grid[0], row, strict=True)) for row in grid[1:]}


def fill(workbook: Path, filled: Path, answers: dict[int, dict[str, str]]) -> None:
    """Fill cells of 总表 by header, as the unit's liaison officer would, and save the copy they send back."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["总表"]
    header = [cell.value for cell in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        for name, value in answers.get(int(str(sheet.cell(row=r, column=1).value)), {}).items():
            sheet.cell(row=r, column=header.index(name) + 1).value = value
    book.save(filled)


def records(repo: Path) -> list[tuple[Any, ...]]:
    """The unit's 2025 records as (task, date, status, period), in file order."""
    path = repo / "data" / "2025" / "progress" / f"{UNIT}.yaml"
    found = yaml.safe_load(path.read_text(encoding="utf-8"))["records"]
    return [(r["task"], r["date"].isoformat(), r["status"], r.get("period")) for r in found]


def test_the_office_year_end_to_end(tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip("the seed document is not available")
    repo = tmp_path / "office"
    data = repo / "data"

    # 1. The shipped layout, committed; origin/main stands for the base branch a pull request is compared with.
    shutil.copytree(DATA, data)
    git(repo, "init", "-q")
    commit(repo, "2024 table as shipped")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")

    # 2. The next year, imported as the README says. Task 17's 9底前 awaits a person: exit 1, and the advice.
    source = notice_2025(tmp_path)
    args = documented("gongkai import 通知.docx --out data/2025 --year 2025 --roster data/units.yaml")
    imported = run(repo, *[str(source) if a == "通知.docx" else a for a in args], code=1)
    [awaits] = imported.stdout.splitlines()
    assert awaits.startswith("通知.txt:176: 无法识别的时限“9底前”：最接近的读法是“9月底前”（截止日期 2025-09-30）")
    assert "可用的写法如：5月底前、2025年9月30日前、年底前" in awaits  # the table's own year
    assert awaits.endswith(
        "请改写成 time_limit: {text, kind, due, override, note}：kind 与 due 写含义，override: true，note 写理由（见 docs/录入指南.md）"
    )
    assert imported.stderr.splitlines() == [
        "已导入到 data/2025：44 项任务、11 个部分。",
        "有 1 处需要人工确认（见上）；改好后运行 gongkai check data/2025。",
    ]
    # Nothing moved: the 2024 table stays at the root; the new table's roster adds nothing to the shared one.
    assert (data / "tasks.yaml").read_bytes() == (DATA / "tasks.yaml").read_bytes()
    table_2025 = data / "2025"
    assert sorted(p.name for p in table_2025.iterdir()) == [".schema", "tasks.yaml", "units.yaml"]
    assert sorted(p.name for p in (table_2025 / ".schema").iterdir()) == ["tasks.schema.json", "units.schema.json"]
    assert yaml.safe_load((table_2025 / "units.yaml").read_text(encoding="utf-8")) == {"units": []}
    new_tasks = table_2025 / "tasks.yaml"
    assert "      time_limit: 每月\n" in new_tasks.read_text(encoding="utf-8")
    # The advice, followed: the check names the one cell; the clerk records its reading; the check passes.
    [problem] = run(repo, "check", "data/2025", code=1).stdout.splitlines()
    assert problem.startswith("data/2025/tasks.yaml:148:") and "9底前" in problem
    replace_once(
        new_tasks,
        "      time_limit: 9底前\n",
        "      time_limit:\n"
        "        text: 9底前\n"
        "        kind: deadline\n"
        "        due: 2025-09-30\n"
        "        override: true\n"
        "        note: 原文作“9底前”，脱一“月”字，按“9月底前”理解（解读）。\n",
    )
    settled = run(repo, "check", "data/2025")
    assert settled.stderr == "✓ data/2025：44 项任务、20 个单位、5 个统称，未发现问题。\n"
    commit(repo, "2025 table imported, task 17's time limit read as 9月底前")

    # 3. Both tables, and either year answers.
    listed = run(repo, "tables")
    assert [line.split() for line in listed.stdout.splitlines() if "政务公开重点任务分工" in line] == [
        ["│", "2024", "│", "池州市2024年政务公开重点任务分工", "│", "2024", "│", "44", "│", "│"],
        ["│", "2025", "│", "池州市2025年政务公开重点任务分工", "│", "2025", "│", "44", "│", "默认", "│"],
    ]
    assert listed.stderr == ""  # data/.schema is no table, and no news
    assert as_json(repo, "tables") == [
        {
            "id": "2024",
            "title": "池州市2024年政务公开重点任务分工",
            "year": 2024,
            "tasks": 44,
            "problems": 0,
            "default": False,
        },
        {
            "id": "2025",
            "title": "池州市2025年政务公开重点任务分工",
            "year": 2025,
            "tasks": 44,
            "problems": 0,
            "default": True,
        },
    ]
    due_2024 = as_json(repo, "--year", "2024", "due", "--before", "2024-06-30")
    assert [(t["id"], t["time_limit"]["due"]) for t in due_2024] == [("6", "2024-05-31")]
    due_2025 = as_json(repo, "--year", "2025", "due", "--before", "2025-06-30")
    assert [(t["id"], t["time_limit"]["kind"], t["time_limit"]["due"]) for t in due_2025] == [
        ("37", "recurring", None),
        ("6", "deadline", "2025-05-31"),
    ]
    assert due_2025[0]["time_limit"]["occurrences"][:2] == ["2025-01-31", "2025-02-28"]
    assert as_json(repo, "show", "17")["time_limit"]["due"] == "2025-09-30"  # the default table is 2025's

    # 4. Bare check checks both tables; a table folder is checked with the roster of the folder above it.
    checked = run(repo, "check")
    assert checked.stdout == ""
    assert checked.stderr.splitlines() == [
        f"✓ {data} 表 2024：44 项任务、20 个单位、5 个统称，未发现问题。",
        f"✓ {data} 表 2025：44 项任务、20 个单位、5 个统称，未发现问题。",
    ]
    per_folder = run(repo, "check", "data/2025")
    assert (per_folder.stdout, per_folder.stderr) == ("", "✓ data/2025：44 项任务、20 个单位、5 个统称，未发现问题。\n")
    assert run(repo, "check", "--strict", "--format", "github", "data/").stdout == ""  # the CI template's check

    # 5. What changed, by table ids, by folders and by git revisions: one answer in every form.
    by_ids = as_json(repo, "diff", "2024", "2025")
    assert (by_ids["added"], by_ids["removed"], by_ids["renumbered"]) == ([], [], {})
    changed = {c["number"]: c for c in by_ids["changed"]}
    assert sorted(changed) == [6, 17, 37]
    assert [c["old_number"] for c in by_ids["changed"]] == [6, 17, 37]
    assert changed[17]["time_limit"] is None and "站内" in changed[17]["requirement"]["markup"]
    assert changed[6]["requirement"] is None
    assert (changed[6]["time_limit"]["old"]["due"], changed[6]["time_limit"]["new"]["due"]) == (
        "2024-05-31",
        "2025-05-31",
    )
    assert changed[MONTHLY]["time_limit"]["new"]["kind"] == "recurring"
    assert as_json(repo, "diff", "2024", "data/2025") == by_ids
    assert as_json(repo, "--year", "2024", "diff", "data", "data/2025") == by_ids
    assert documented("gongkai diff HEAD~1 data/") == ["diff", "HEAD~1", "data/"]
    assert as_json(repo, "diff", "HEAD~1", "data/") == by_ids
    documented('gongkai diff "origin/${{ github.base_ref }}:" "HEAD:" -f md')  # the CI template's comment
    assert as_json(repo, "diff", "origin/main:", "HEAD:") == by_ids
    comment = run(repo, "diff", "origin/main:", "HEAD:", "-f", "md").stdout.splitlines()
    assert comment[:3] == [
        "## 任务表变化：池州市2025年政务公开重点任务分工",
        "",
        "新增 0 项，删除 0 项，修改 3 项，0 项改了任务编号；22 个单位受影响。",
    ]
    assert "- 第17项：具体要求：…读的分类），提升{+站内+}搜索查询功能，方…" in comment
    assert f"- {UNIT}：时限变动 1 项（第{MONTHLY}项）" in comment
    human = run(repo, "diff", "2024", "2025", "--exit-code", code=1).stdout
    assert human.startswith("任务表变化：新增 0 项，删除 0 项，修改 3 项，0 项改了任务编号；22 个单位受影响。\n")
    assert "具体要求：…读的分类），提升{+站内+}搜索查询功能，方…" in human
    ours = as_json(repo, "diff", "2024", "2025", "--unit", "司法局")
    assert [c["number"] for c in ours["changed"]] == [6, 17, 37]  # all three are 市司法局's
    assert [(u["name"], u["deadline_moved"], u["newly_owes"]) for u in ours["units"]] == [(UNIT, [MONTHLY], [])]

    # 6. 市司法局 reports in September 2025 (the default table is 2025's; every day is pinned with --today).
    september = ("--today", "2025-09-16")
    reported = [
        run(repo, "report", task, "--unit", "司法局", "--status", status, *dated, "--note", note, *september)
        for task, status, dated, note in (
            ("6", "已完成", ("--date", "2025-05-20"), "已建立政策解读沟通机制"),
            (str(MONTHLY), "已完成", ("--date", "2025-09-15"), "九月培训已办"),
            ("39", "已完成", ("--date", "2025-09-10"), "已报送交流材料"),
            ("17", "未达预期", (), "站内搜索改版延期"),  # no --date: today
        )
    ]
    progress_file = data / "2025" / "progress" / f"{UNIT}.yaml"
    assert [r.stderr for r in reported] == [
        f"已追加到 {progress_file}：任务 6，已完成，2025-05-20\n",
        f"已追加到 {progress_file}：任务 37，已完成，2025-09-15\n",
        f"已追加到 {progress_file}：任务 39，已完成，2025-09-10\n",
        f"已追加到 {progress_file}：任务 17，未达预期，2025-09-16\n",
    ]
    assert records(repo) == [
        (6, "2025-05-20", "已完成", None),
        (MONTHLY, "2025-09-15", "已完成", None),
        (39, "2025-09-10", "已完成", None),
        (17, "2025-09-16", "未达预期", None),
    ]

    # 7. The 台账 in September: the monthly task's row reports on September, pre-filled from its record.
    workbook, filled = tmp_path / "台账-市司法局-9月.xlsx", tmp_path / "台账-市司法局-9月-已填.xlsx"
    exported = run(repo, "export", "xlsx", str(workbook), "--unit", "司法局", "--today", "2025-09-20")
    assert exported.stderr == f"已写出 {workbook}：34 行（总表）。\n"
    rows = september_rows = ledger(workbook)
    assert len(rows) == 34 and {row["单位"] for row in rows.values()} == {UNIT}
    filled_in = {n: (r["时限要求"], r["状态"], r["完成时间"]) for n, r in rows.items() if r["状态"] is not None}
    assert filled_in == {
        6: ("2025年5月底前", "已完成", "2025-05-20"),
        17: ("9底前", "未达预期", "2025-09-16"),
        MONTHLY: ("每月（期次：2025-09）", "已完成", "2025-09-15"),
        39: ("年底前", "已完成", "2025-09-10"),
    }
    assert rows[MONTHLY]["工作进展情况"] == "九月培训已办"
    assert rows[35][KEY].startswith("2025|35|") and rows[35][KEY].endswith(f"|{UNIT}")
    evidence = "https://www.chizhou.gov.cn/zwgk/px/202509.html"
    fill(
        workbook,
        filled,
        {
            35: {"状态": "已完成", "工作进展情况": "目录体系已修订", "完成时间": "2025-08-28"},
            36: {"状态": "按序时推进", "工作进展情况": "正在清理无效信息"},  # no 完成时间: the day it is read
            MONTHLY: {"佐证材料": evidence},  # September's row, now with its evidence
        },
    )
    read = run(repo, "report", "--from", str(filled), "--today", "2025-09-25")
    assert read.stderr.splitlines() == [
        f"已汇总台账 {filled}：新增或改动的 3 行写入 {progress_file.parent}。",
        f"任务 35，{UNIT}，已完成，2025-08-28",
        f"任务 36，{UNIT}，按序时推进，2025-09-25",
        f"任务 37（2025-09 期），{UNIT}，已完成，2025-09-15",
    ]
    assert records(repo)[4:] == [
        (35, "2025-08-28", "已完成", None),
        (36, "2025-09-25", "按序时推进", None),
        (MONTHLY, "2025-09-15", "已完成", "2025-09"),
    ]
    assert progress_file.read_text(encoding="utf-8").count(evidence) == 1

    # 8. On 1 October: progress and reminders, 未达预期 kept in view, overdue work first.
    first_of_october = ("--today", "2025-10-01")
    [state] = as_json(repo, "progress", "--unit", "司法局", *first_of_october)["units"]
    counts = ("owed", "done", "on_track", "behind", "not_reported", "overdue")
    assert [state[key] for key in counts] == [19, 3, 0, 1, 13, 3]
    assert {n: s for n, s in state["states"].items() if s != "not_reported"} == {
        "6": "done",
        "17": "behind_overdue",  # 未达预期, and past its date
        "35": "done",
        "36": "overdue",  # 按序时推进 on 25 September, and not done by the 30th
        "37": "overdue",  # September is done; January to August are not
        "39": "done",
    }
    table = run(repo, "progress", "--unit", "司法局", *first_of_october).stdout.splitlines()
    assert (
        table[0] == "《池州市2025年政务公开重点任务分工》（池州市政务公开办公室，池政公办函〔2025〕14号，2025-05-22）"
    )
    # The summary line, wrapped at the terminal's width (a space at a break is dropped).
    assert "".join(table[1:3]).replace(" ", "") == (
        f"{UNIT}：应办19，已完成3，按序时推进0，未达预期1，未报送13，逾期3（其中未达预期1），完成率16%（今天按2025-10-01计）"
    )
    assert any(line.startswith("│ 17 ") and "未达预期（逾期）" in line for line in table)
    [reminder] = as_json(repo, "remind", "--unit", UNIT, *first_of_october)
    assert reminder["unit"] == UNIT and reminder["items"] == []  # nothing else falls due from 1 to 15 October
    assert [(item["task"], item["due"]) for item in reminder["overdue"]] == [
        *((MONTHLY, due) for due in MONTH_ENDS[:8]),  # January to August; September was done
        (17, "2025-09-30"),
        (36, "2025-09-30"),
    ]
    message = run(repo, "remind", "--unit", UNIT, *first_of_october).stdout.splitlines()
    assert message[2:4] == [f"【{UNIT}】", "以下 10 项任务已逾期，尚未报送完成，请抓紧落实并及时报送进展："]
    assert len(message) == 14 and message[-1].startswith("10. 【逾期】任务 36，截止日期 2025-09-30（时限：9月底前）")

    # The monthly task in October: the next period's row is not pre-filled from September's record.
    october, october_filled = tmp_path / "台账-市司法局-10月.xlsx", tmp_path / "台账-市司法局-10月-已填.xlsx"
    run(repo, "export", "xlsx", str(october), "--unit", "司法局", "--today", "2025-10-08")
    rows = ledger(october)
    assert (rows[MONTHLY]["时限要求"], rows[MONTHLY]["状态"], rows[MONTHLY]["完成时间"]) == (
        "每月（期次：2025-10）",
        None,
        None,
    )
    assert (rows[35]["状态"], rows[35]["完成时间"]) == ("已完成", "2025-08-28")
    assert (rows[36]["状态"], rows[36]["工作进展情况"], rows[36]["完成时间"]) == (
        "按序时推进",
        "正在清理无效信息",
        "2025-09-25",
    )
    fill(
        october, october_filled, {MONTHLY: {"状态": "已完成", "工作进展情况": "十月培训已办", "完成时间": "2025-10-09"}}
    )
    read = run(repo, "report", "--from", str(october_filled), "--today", "2025-10-10")
    assert read.stderr.splitlines()[1:] == [f"任务 37（2025-10 期），{UNIT}，已完成，2025-10-09"]
    assert records(repo)[-1] == (MONTHLY, "2025-10-09", "已完成", "2025-10")
    assert (
        as_json(repo, "progress", "--unit", "司法局", "--today", "2025-10-10")["units"][0]["states"]["37"] == "overdue"
    )

    # In November, September's workbook comes back again: its rows say what the records say, whatever the day.
    again = run(repo, "report", "--from", str(filled), "--today", "2025-11-05")
    assert again.stderr == f"已汇总台账 {filled}：新增或改动的 0 行写入 {progress_file.parent}。\n"
    assert len(records(repo)) == 8
    commit(repo, "市司法局's progress to November")

    # 9. The revised notice rewords task 36 and swaps tasks 38 and 39; committed, the records no longer fit.
    replace_once(new_tasks, "清除、杜绝“情况说明”等无效信息发布", "清除、杜绝“情况说明”“正在建设中”等无效信息发布")
    swap_tasks(new_tasks, 38, 39, after="  - numeral: 二\n    title: 充实队伍\n")
    commit(repo, "2025: task 36 reworded, tasks 38 and 39 in the order of the revised notice")
    old_36, old_39 = (september_rows[n][KEY].split("|")[2] for n in (36, 39))
    stale = run(repo, "check", "--today", "2025-11-05", code=1).stdout.splitlines()
    assert len(stale) == 3
    assert stale[0] == (
        f"{progress_file}:18:18: 任务 39 的要求已改动；指纹与任务 38 一致，是否应改为 task: 38？"
        "任务改号后，可运行 gongkai repoint 旧版本（如 HEAD~1）按 diff 的对应关系改写 task 和指纹"
    )
    assert stale[1] == f"{progress_file}:17:11: 市司法局不承担任务 39（既未被点名，也不属于点名的统称）；请核对任务编号"
    assert stale[2].startswith(f"{progress_file}:33:18: 任务 36 的要求已改动，指纹 {old_36} 与现在的要求（")
    assert stale[2].endswith("运行 gongkai repoint 旧版本（如 HEAD~1）按 diff 的对应关系改写 task 和指纹")
    new_36 = stale[2].split("与现在的要求（")[1][:6]
    assert new_36 != old_36

    # The command re-points them by diff's map, in place: no fingerprint edited by hand.
    repointed = run(repo, "repoint", "HEAD~1")
    assert repointed.stderr.splitlines() == [
        f"{progress_file}:17：任务 39 → 38，指纹 {old_39} → {old_39}",  # renumbered: the same requirement
        f"{progress_file}:32：任务 36 → 36，指纹 {old_36} → {new_36}",  # reworded
        "已改写 2 条记录（1 个文件）。",
    ]
    assert [r[:3] for r in records(repo)] == [
        (6, "2025-05-20", "已完成"),
        (MONTHLY, "2025-09-15", "已完成"),
        (38, "2025-09-10", "已完成"),
        (17, "2025-09-16", "未达预期"),
        (35, "2025-08-28", "已完成"),
        (36, "2025-09-25", "按序时推进"),
        (MONTHLY, "2025-09-15", "已完成"),
        (MONTHLY, "2025-10-09", "已完成"),
    ]
    assert run(repo, "check", "--today", "2025-11-05").stdout == ""
    assert run(repo, "repoint", "HEAD~1").stderr == "已改写 0 条记录（0 个文件）。\n"
    commit(repo, "records re-pointed to the revised 2025 table")
    november = ("--today", "2025-11-05")
    [state] = as_json(repo, "progress", "--unit", "司法局", *november)["units"]
    assert {n: s for n, s in state["states"].items() if s != "not_reported"} == {
        "6": "done",
        "17": "behind_overdue",
        "35": "done",
        "36": "overdue",
        "37": "overdue",
        "38": "done",  # the record of old task 39, on its new number; 39 (old 38) is not 市司法局's
    }

    # A fresh 台账 carries the new identities, pre-filled from the re-pointed records, and reads back under them.
    fresh, fresh_filled = tmp_path / "台账-市司法局-11月.xlsx", tmp_path / "台账-市司法局-11月-已填.xlsx"
    run(repo, "export", "xlsx", str(fresh), "--unit", "司法局", *november)
    rows = ledger(fresh)
    assert 39 not in rows and len(rows) == 34
    assert (rows[38][KEY], rows[38]["状态"], rows[38]["完成时间"]) == (
        f"2025|38|{old_39}|{UNIT}",
        "已完成",
        "2025-09-10",
    )
    assert (rows[36][KEY], rows[36]["状态"]) == (f"2025|36|{new_36}|{UNIT}", "按序时推进")
    assert "“正在建设中”" in rows[36]["具体要求"]
    fill(fresh, fresh_filled, {36: {"状态": "已完成", "工作进展情况": "无效信息已清除", "完成时间": "2025-11-03"}})
    read = run(repo, "report", "--from", str(fresh_filled), *november)
    assert read.stderr.splitlines()[1:] == [f"任务 36，{UNIT}，已完成，2025-11-03"]
    last = yaml.safe_load(progress_file.read_text(encoding="utf-8"))["records"][-1]
    assert (last["task"], last["fingerprint"], len(records(repo))) == (36, new_36, 9)
    assert as_json(repo, "progress", "--unit", "司法局", *november)["units"][0]["states"]["36"] == "done"
    assert run(repo, "check", *november).stdout == ""
