"""The office's year from one table to two, in a real git repository, through the command line.

The shipped layout (data/units.yaml and data/tasks.yaml for 2024) takes the 2025 table as the README says:
`gongkai import 通知.txt --out data/2025 --year 2025 --roster data/units.yaml`. The sections follow the order of
the year: the layout, checking, comparing; each finding of the year has its own test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA, SEED
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongkai_cli.cli.app import app
from gongkai_cli.exports.workbook import KEY_HEADER
from gongkai_cli.workspace import Table, document_year, tables

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# The 2025 notice: the 2024 seed with its year moved on and task 17 reworded. Task 17's time limit, 9底前,
# still awaits a person: the 2024 table records its reading (override and note), the import cannot.
REWORDED = ("提升搜索查询功能", "提升站内搜索查询功能")


def run(runner: CliRunner, repo: Path, *args: str, code: int = 0) -> tuple[str, str]:
    """Run gongkai in `repo` (it finds repo/data), and check the exit code."""
    here = Path.cwd()
    os.chdir(repo)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(here)
    assert result.exit_code == code, result.output
    return result.stdout, result.stderr


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def shipped(tmp_path: Path) -> Iterator[Path]:
    """A git repository holding a copy of the shipped data/, committed."""
    if not SEED.is_file():
        pytest.skip("the seed document is not available")
    repo = tmp_path / "office"
    shutil.copytree(DATA, repo / "data")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "clerk@example.org")
    git(repo, "config", "user.name", "clerk")
    commit(repo, "2024")
    yield repo


def notice_2025(folder: Path) -> Path:
    text = SEED.read_text(encoding="utf-8").replace("2024", "2025").replace(*REWORDED)
    source = folder / "通知2025.txt"
    source.write_text(text, encoding="utf-8")
    return source


def import_2025(runner: CliRunner, repo: Path) -> tuple[str, str]:
    """The README's import of the next year; exit 1, since task 17's time limit awaits a person."""
    source = notice_2025(repo.parent)
    args = ("import", str(source), "--out", "data/2025", "--year", "2025", "--roster", "data/units.yaml")
    return run(runner, repo, *args, code=1)


@pytest.fixture
def two_years(runner: CliRunner, shipped: Path) -> Path:
    """The shipped repository after the 2025 import, committed as imported."""
    import_2025(runner, shipped)
    commit(shipped, "2025 as imported")
    return shipped


def settle_task_17(repo: Path) -> None:
    """The clerk writes the reading of 9底前 into the 2025 table, as the import asked."""
    tasks = repo / "data" / "2025" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    assert text.count("time_limit: 9底前") == 1
    tasks.write_text(text.replace("time_limit: 9底前", "time_limit: 9月底前"), encoding="utf-8")


# --- the layout: one folder, two tables ------------------------------------------------------------------------


def test_the_import_writes_beside_the_shipped_table_and_says_what_awaits_a_person(
    runner: CliRunner, shipped: Path
) -> None:
    stdout, stderr = import_2025(runner, shipped)
    assert "无法识别的时限“9底前”" in stdout
    assert "已导入到 data/2025：44 项任务、11 个部分。" in stderr
    assert "改好后运行 gongkai check data/2025" in stderr
    # Nothing moved: the 2024 table stays at the root; the new table's own roster holds only what it adds.
    assert (shipped / "data" / "tasks.yaml").is_file()
    assert sorted(p.name for p in (shipped / "data" / "2025").iterdir()) == [".schema", "tasks.yaml", "units.yaml"]
    assert "units: []" in (shipped / "data" / "2025" / "units.yaml").read_text(encoding="utf-8")


def test_tables_lists_both_years_and_the_root_table_keeps_its_place(runner: CliRunner, two_years: Path) -> None:
    settle_task_17(two_years)
    stdout, stderr = run(runner, two_years, "tables", "-f", "json")
    assert [(t["id"], t["year"], t["tasks"], t["problems"]) for t in json.loads(stdout)] == [
        ("2024", 2024, 44, 0),
        ("2025", 2025, 44, 0),
    ]
    assert "未读取子目录" not in stderr  # data/progress/ and data/.schema are no tables, and no news
    data = two_years / "data"
    assert tables(data) == [
        Table("2024", data, (data / "units.yaml", data / "tasks.yaml"), at_root=True),
        Table("2025", data / "2025", (data / "units.yaml", data / "2025" / "tasks.yaml", data / "2025" / "units.yaml")),
    ]


def test_year_2024_still_answers_after_the_import(runner: CliRunner, two_years: Path) -> None:
    stdout, _ = run(runner, two_years, "--year", "2024", "show", "17", "-f", "json")
    assert json.loads(stdout)["time_limit"]["due"] == "2024-09-30"
    stdout, _ = run(runner, two_years, "--year", "2024", "due", "--before", "2024-06-30", "-f", "json")
    assert [(t["number"], t["time_limit"]["due"]) for t in json.loads(stdout)] == [(6, "2024-05-31")]


def test_tables_names_the_subfolders_it_does_not_read(runner: CliRunner, two_years: Path) -> None:
    (two_years / "data" / "附件").mkdir()
    (two_years / "data" / "旧表").symlink_to(two_years / "data" / "2025")
    _, stderr = run(runner, two_years, "tables")
    assert "未读取子目录 旧表：是符号链接" in stderr
    assert "未读取子目录 附件：没有 tasks.yaml" in stderr


def test_the_root_tables_ledger_key_does_not_change_when_a_second_table_arrives(
    runner: CliRunner, shipped: Path
) -> None:
    def keys(workbook: Path) -> list[str]:
        sheet = load_workbook(workbook)["总表"]
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        column = header.index(KEY_HEADER)
        return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]

    run(runner, shipped, "export", "xlsx", str(shipped.parent / "before.xlsx"))
    import_2025(runner, shipped)
    run(runner, shipped, "--year", "2024", "export", "xlsx", str(shipped.parent / "after.xlsx"))
    before = keys(shipped.parent / "before.xlsx")
    assert before[0].startswith("池州市2024年政务公开重点任务分工|1|")
    assert keys(shipped.parent / "after.xlsx") == before


def test_a_folder_of_complete_year_tables_without_a_shared_roster_is_a_data_folder(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "公开"
    for year in ("2024", "2025"):
        shutil.copytree(DATA, folder / year)
    stdout, _ = run(runner, tmp_path, "--data", str(folder), "tables", "-f", "json")
    assert [(t["id"], t["tasks"], t["problems"]) for t in json.loads(stdout)] == [("2024", 44, 0), ("2025", 44, 0)]
    _, stderr = run(runner, tmp_path, "check", "公开")
    assert stderr.count("未发现问题") == 2


def test_a_subfolder_with_the_root_tables_id_is_a_problem(runner: CliRunner, shipped: Path) -> None:
    (shipped / "data" / "2024").mkdir()
    shutil.copy(shipped / "data" / "tasks.yaml", shipped / "data" / "2024" / "tasks.yaml")
    stdout, _ = run(runner, shipped, "check", code=1)
    assert "表“2024”有 2 张：" in stdout
    _, stderr = run(runner, shipped, "--year", "2024", "due", code=2)
    assert "请把子目录改名或移走其中一张" in stderr


def test_document_year_reads_the_plan_year_at_the_start_of_a_table() -> None:
    assert document_year((DATA / "tasks.yaml").read_bytes()) == "2024"
    assert document_year(b"document:\n  title: t\n  # year: 2023\n  year: '2025'\ntasks: []\n") == "2025"
    assert document_year(b"document: {title: t, year: 2026}\n") == "2026"
    assert document_year(b"document:\n  title: t\ntasks:\n  - year: 2027\n") is None


# --- checking: every table, each with the roster above it ------------------------------------------------------


def test_bare_check_checks_both_tables(runner: CliRunner, two_years: Path) -> None:
    stdout, _ = run(runner, two_years, "check", code=1)
    assert stdout.count("\n") == 1 and "2025/tasks.yaml" in stdout and "9底前" in stdout
    settle_task_17(two_years)
    _, stderr = run(runner, two_years, "check")
    assert "data 表 2024：44 项任务、20 个单位、5 个统称，未发现问题。" in stderr
    assert "data 表 2025：44 项任务、20 个单位、5 个统称，未发现问题。" in stderr


def test_check_of_the_new_table_folder_reads_the_roster_above_it(runner: CliRunner, two_years: Path) -> None:
    stdout, stderr = run(runner, two_years, "check", "data/2025", code=1)
    assert "不是 units.yaml 中的名称" not in stdout
    assert "粘贴" not in stderr
    [problem] = stdout.splitlines()
    assert problem.startswith("data/2025/tasks.yaml:") and "9底前" in problem
    settle_task_17(two_years)
    _, stderr = run(runner, two_years, "check", "data/2025")
    assert stderr.strip() == "✓ data/2025：44 项任务、20 个单位、5 个统称，未发现问题。"
    _, stderr = run(runner, two_years / "data" / "2025", "check")  # found from inside the table folder
    assert stderr.count("未发现问题") == 2


def test_a_typo_gets_the_suggestion_and_no_entry_to_paste(runner: CliRunner, two_years: Path) -> None:
    settle_task_17(two_years)
    tasks = two_years / "data" / "2025" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("市司法局牵头", "市司法居牵头", 1), encoding="utf-8")
    stdout, stderr = run(runner, two_years, "check", "data/2025", code=1)
    [problem] = stdout.splitlines()
    assert "“市司法居”不是 units.yaml 中的名称或写法（是否指：市司法局" in problem
    assert "粘贴" not in stderr and "市司法居" not in stderr
    # A name new to the roster still gets its entry.
    tasks.write_text(text.replace("市司法局牵头", "市档案馆牵头", 1), encoding="utf-8")
    _, stderr = run(runner, two_years, "check", "data/2025", code=1)
    assert "可把下面的条目粘贴到 units.yaml 的 units 下" in stderr and "name: 市档案馆" in stderr


# --- comparing: ids, folders and revisions ----------------------------------------------------------------------


def diff_json(runner: CliRunner, repo: Path, *args: str) -> dict[str, object]:
    stdout, _ = run(runner, repo, *args, "-f", "json")
    payload: dict[str, object] = json.loads(stdout)
    return payload


def reworded(payload: dict[str, object]) -> list[tuple[int, str]]:
    changed = payload["changed"]
    assert isinstance(changed, list)
    return [(c["number"], c["requirement"]["markup"]) for c in changed if c["requirement"] is not None]


def test_a_fresh_import_is_compared_with_its_unread_limit_awaiting_a_person(runner: CliRunner, two_years: Path) -> None:
    payload = diff_json(runner, two_years, "diff", "2024", "2025")
    [(number, markup)] = reworded(payload)
    assert number == 17 and "站内" in markup
    changed = {c["number"]: c for c in payload["changed"]}  # type: ignore[union-attr]
    assert changed[17]["time_limit"]["new"] == {
        "text": "9底前",
        "kind": None,
        "due": None,
        "start": None,
        "occurrences": [],
    }
    stdout, _ = run(runner, two_years, "diff", "2024", "2025")
    assert "9底前（2024-09-30） → 9底前（待确认）" in stdout
    assert "无法比较" not in stdout


def test_diff_takes_table_ids_and_folders_alike(runner: CliRunner, two_years: Path) -> None:
    by_id = diff_json(runner, two_years, "diff", "2024", "2025")
    assert diff_json(runner, two_years, "diff", "2024", "data/2025") == by_id
    assert diff_json(runner, two_years / "data", "diff", "2024", "2025") == by_id


def test_diff_of_revisions_in_the_several_table_layout(runner: CliRunner, two_years: Path) -> None:
    settle_task_17(two_years)
    commit(two_years, "task 17 read as 9月底前")
    payload = diff_json(runner, two_years, "--year", "2025", "diff", "HEAD~1:", "HEAD:")
    [change] = payload["changed"]  # type: ignore[misc]
    assert change["number"] == 17 and change["requirement"] is None
    assert change["time_limit"]["old"]["kind"] is None
    assert change["time_limit"]["new"]["due"] == "2025-09-30"
    # The README's example and the CI template's form: the default table (the latest) against HEAD's.
    assert diff_json(runner, two_years, "diff", "HEAD~1", "data/") == payload
    assert diff_json(runner, two_years, "diff", "HEAD~1:", "HEAD:") == payload
    stdout, _ = run(runner, two_years, "diff", "HEAD~1:", "HEAD:", "-f", "md")
    assert stdout.startswith("## 任务表变化：池州市2025年政务公开重点任务分工\n")
    assert "- 第17项：时限：9底前（待确认） → 9月底前（2025-09-30）" in stdout
    # Before the import, the repository held the 2024 table alone, at the root.
    payload = diff_json(runner, two_years, "--year", "2024", "diff", "HEAD~2:", "HEAD:")
    assert payload["changed"] == [] and payload["added"] == [] and payload["removed"] == []
    _, stderr = run(runner, two_years, "--year", "2025", "diff", "HEAD~2:", "HEAD:", code=2)
    assert (
        stderr
        == "错误：找不到 git 提交“HEAD~2”：此数据目录只有一张表（tasks.yaml 直接放在数据目录中），无需选择，请去掉 --year。\n"
    )


# --- the same findings in a one-table folder, where the layout plays no part -----------------------------------


def test_a_typo_in_a_one_table_folder_gets_no_entry_to_paste(runner: CliRunner, data_copy: Path) -> None:
    tasks = data_copy / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("市司法局牵头", "市司法居牵头", 1), encoding="utf-8")
    stdout, stderr = run(runner, data_copy.parent, "check", "data", code=1)
    [problem] = stdout.splitlines()
    assert "“市司法居”不是 units.yaml 中的名称或写法（是否指：市司法局" in problem
    assert "粘贴" not in stderr and "市司法居" not in stderr


def test_a_fresh_import_in_its_own_folder_is_compared(runner: CliRunner, data_copy: Path) -> None:
    if not SEED.is_file():
        pytest.skip("the seed document is not available")
    fresh = data_copy.parent / "新表"
    run(runner, data_copy.parent, "import", str(SEED), "--out", str(fresh), "--roster", "data/units.yaml", code=1)
    stdout, _ = run(runner, data_copy.parent, "diff", "data", str(fresh), "-f", "md")
    assert "新增 0 项，删除 0 项，修改 1 项，0 项改了任务编号" in stdout
    assert "- 第17项：时限：9底前（2024-09-30） → 9底前（待确认）" in stdout
