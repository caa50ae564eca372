"""What a new user meets on the first day: edited data found, answers that do not move with filters, clear usage."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai_cli.cli.app import app


def run(runner: CliRunner, *args: str, code: int = 0, cwd: Path | None = None) -> tuple[str, str]:
    here = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(here)
    assert result.exit_code == code, result.output
    return result.stdout, result.stderr


# --- the data you just edited ------------------------------------------------------------------------------


def test_query_in_a_checkout_reads_the_edited_data_folder(runner: CliRunner, data_copy: Path) -> None:
    tasks = data_copy / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("time_limit: 8月底前", "time_limit: 10月底前"), "utf-8")
    stdout, _ = run(runner, "show", "35", "-f", "json", cwd=data_copy.parent)
    assert json.loads(stdout)["time_limit"] == {
        "text": "10月底前",
        "kind": "deadline",
        "due": "2024-10-31",
        "start": None,
        "occurrences": [],
        "lag": None,
        "lag_unit": None,
        "note": None,
    }
    # From a subfolder of the checkout too, and a bare check checks that same folder.
    (data_copy.parent / "docs").mkdir()
    _, stderr = run(runner, "check", cwd=data_copy.parent / "docs")
    assert stderr == f"✓ {data_copy}：44 项任务、20 个单位、5 个统称，未发现问题。\n"


def test_table_answer_names_the_folder_it_read(runner: CliRunner, data_copy: Path) -> None:
    stdout, _ = run(runner, "--data", str(data_copy), "due", "--before", "2024-05-31")
    assert stdout.rstrip().splitlines()[-1].rstrip() == f"数据：{data_copy}"
    stdout, _ = run(runner, "--data", str(data_copy), "due", "--before", "2024-05-31", "-f", "json")
    assert [task["number"] for task in json.loads(stdout)] == [6]


# --- answers that belong to the unit, not to the filter ------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (("--overdue", "--today", "2024-07-01"), "2024-08-31"),
        (("--after", "2024-09-01", "--today", "2024-01-01"), "2024-05-31"),
    ],
)
def test_next_deadline_ignores_the_filter(runner: CliRunner, options: tuple[str, ...], expected: str) -> None:
    stdout, _ = run(runner, "unit", "司法局", *options, "-f", "json")
    assert json.loads(stdout)["unit"]["next_deadline"] == expected
    assert json.loads(stdout)["unit"]["counts"] == {"lead": 3, "named": 1, "support": 0, "group": 15, "relevant": 15}


def test_unit_header_counts_the_unit_and_says_how_many_match(runner: CliRunner) -> None:
    stdout, _ = run(runner, "unit", "司法局", "--overdue", "--today", "2024-07-01", "-f", "md")
    assert stdout.splitlines()[0] == (
        "### 市司法局（池州市司法局，部门）：共 34 项（牵头 3，负责 1，配合 0，各单位 15，有关单位 15）；"
        "下一个截止日期：2024-08-31；符合条件的 1 项"
    )


def test_flat_formats_carry_no_command_line_hints(runner: CliRunner) -> None:
    stdout, stderr = run(runner, "unit", "司法局", "--today", "2026-01-01", "-f", "md")
    assert "--today" not in stdout
    assert stderr == ""
    _, stderr = run(runner, "unit", "司法局", "--today", "2026-01-01")
    assert stderr == "提示：今天按 2026-01-01 计，数据是 2024 年的任务表；可用 --today 指定日期\n"


def test_inverted_range_is_a_usage_error(runner: CliRunner) -> None:
    stdout, stderr = run(runner, "due", "--after", "2024-09-01", "--before", "2024-08-01", code=2)
    assert stdout == ""
    assert stderr == "错误：起始日期（--after 2024-09-01）晚于截止日期（--before 2024-08-01），请对调。\n"


def test_empty_due_says_which_today_and_year_it_used(runner: CliRunner) -> None:
    stdout, stderr = run(runner, "due", "--within", "30d", "--today", "2026-11-27")
    assert stdout.rstrip().endswith("无")
    assert stderr == (
        "提示：今天按 2026-11-27 计，数据是 2024 年的任务表；可用 --today 指定日期，或放宽 --before、--after、--within\n"
    )


# --- arguments named as the user thinks of them --------------------------------------------------------------


def test_show_takes_several_numbers(runner: CliRunner) -> None:
    stdout, _ = run(runner, "show", "17", "第23项", "-f", "json")
    assert [task["number"] for task in json.loads(stdout)] == [17, 23]
    stdout, _ = run(runner, "show", "17", "-f", "json")
    assert json.loads(stdout)["number"] == 17


def test_show_number_that_is_not_a_number(runner: CliRunner) -> None:
    _, stderr = run(runner, "show", "abc", code=2)
    assert stderr == "错误：“abc”不是任务编号，请写数字，如 17\n"


@pytest.mark.parametrize("command", [("units",), ("due", "--before", "年底"), ("check",)])
def test_unknown_format_is_named_in_chinese(runner: CliRunner, command: tuple[str, ...]) -> None:
    _, stderr = run(runner, *command, "-f", "xml", code=2)
    assert stderr.startswith("错误：没有“xml”这种格式，--format 可写：")


def test_check_json_gives_one_object_per_problem(runner: CliRunner, data_copy: Path) -> None:
    tasks = data_copy / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("number: 44", "number: 4400"), encoding="utf-8")
    result = runner.invoke(app, ["check", "-f", "json", str(data_copy)])
    assert result.exit_code == 1, result.output
    [problem] = json.loads(result.stdout)
    assert problem["file"] == str(tasks)
    assert problem["message"] == "任务编号 4400 与前一个任务编号 43 相差过大（跳过 4356 个），是否写错？"
    assert isinstance(problem["line"], int) and isinstance(problem["column"], int)
    assert problem["code"] == "numbering"


# --- check says the fix --------------------------------------------------------------------------------------


def _check(runner: CliRunner, folder: Path) -> list[str]:
    result = runner.invoke(app, ["check", str(folder)])
    assert result.exit_code == 1, result.output
    return result.stdout.splitlines()


def test_check_says_which_line_to_change_and_to_what(runner: CliRunner, full_form_copy: Path) -> None:
    data_copy = full_form_copy  # a stored date beside the text, as the full form writes them
    tasks = data_copy / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("text: 8月底前", "text: 10月底前"), "utf-8")
    assert _check(runner, data_copy) == [
        f"{tasks}:422:21: 时限“10月底前”读作截止日期 2024-10-31，与存储的截止日期 2024-08-31不一致：把第 424 行的 due 改为 "
        "2024-10-31；如确需按截止日期 2024-08-31理解，请写成 time_limit: {text, kind, due, override, note}，override: true，"
        "note 写理由（见 docs/录入指南.md）"
    ]


def test_check_reports_a_typo_in_the_text_and_in_the_list_together(runner: CliRunner, full_form_copy: Path) -> None:
    data_copy = full_form_copy
    tasks = data_copy / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    text = text.replace("responsibility: 市司法局、市政务公开办牵头", "responsibility: 市司法厅、市政务公开办牵头")
    text = text.replace("leads: [市司法局, 市政务公开办]", "leads: [市司法句, 市政务公开办]")
    tasks.write_text(text, "utf-8")
    problems = _check(runner, data_copy)
    assert [p.split(": ", 1)[0] for p in problems] == [f"{tasks}:146:29", f"{tasks}:147:21"]
    assert "责任单位文字中的“市司法厅”" in problems[0]
    assert "“市司法句”不在 units.yaml 中" in problems[1]


def test_inserting_a_task_is_one_numbering_problem(runner: CliRunner, data_copy: Path) -> None:
    tasks = data_copy / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    block = text[text.index("          - number: 35\n") : text.index("      - numeral: 二", text.index("number: 35"))]
    tasks.write_text(text.replace(block, block + block.replace("number: 35", "number: 36"), 1), "utf-8")
    [problem] = _check(runner, data_copy)
    # Numbers are taken as printed: the one slip is the repeated number, and nothing asks to renumber the rest.
    assert problem == f"{tasks}:309:21: 任务编号 36 重复（首次出现在第 299 行）"


def test_roster_accepts_the_labels_the_tool_prints(runner: CliRunner, data_copy: Path) -> None:
    units = data_copy / "units.yaml"
    text = (
        units.read_text(encoding="utf-8")
        .replace("kind: department", "kind: 部门")
        .replace("kind: county", "kind: 县区")
    )
    units.write_text(text.replace("coverage: relevant", "coverage: 相关"), "utf-8")
    result = runner.invoke(app, ["check", str(data_copy)])
    assert result.exit_code == 0, result.output
    stdout, _ = run(runner, "--data", str(data_copy), "unit", "司法局", "-f", "json")
    assert json.loads(stdout)["unit"]["kind"] == "department"


@pytest.mark.parametrize(("phrase", "expected"), [("三季度末", [6, 35, 17, 22, 36]), ("上半年", [6])])
def test_date_options_read_the_phrases_of_the_table(runner: CliRunner, phrase: str, expected: list[int]) -> None:
    stdout, _ = run(runner, "due", "--before", phrase, "-f", "json")
    assert [task["number"] for task in json.loads(stdout)] == expected


def test_impossible_date_says_why(runner: CliRunner) -> None:
    _, stderr = run(runner, "due", "--before", "2月30日", code=2)
    assert stderr == "错误：--before 的日期“2月30日”不存在：2024年2月只有 29 日，没有 30 日\n"


# --- finding a unit ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "unit"), [("民政", "市民政局"), ("sfj", "市司法局"), ("卫健", "市卫健委")])
def test_unit_names_the_table_uses_come_before_full_names(runner: CliRunner, typed: str, unit: str) -> None:
    stdout, _ = run(runner, "unit", typed, "-f", "json")
    assert json.loads(stdout)["unit"]["name"] == unit


def test_latin_initials_list_only_real_candidates(runner: CliRunner) -> None:
    _, stderr = run(runner, "unit", "cz", code=2)
    assert stderr == "错误：“cz”可指多个单位，请写得更具体：\n  市财政局\n  开发区管委会\n"


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [("卫生局", "是否指：市卫健委？"), ("市公安局", ""), ("司法厅", "是否指：市司法局？")],
)
def test_unknown_unit_suggests_only_names_that_share_a_word(runner: CliRunner, typed: str, suggestion: str) -> None:
    _, stderr = run(runner, "unit", typed, code=2)
    assert stderr == (
        f"错误：未找到“{typed}”，请核对名称（可输简称、拼音或首字母）；"
        f"名册外的部门可查“市政府各部门”“市政府有关部门”“行业主管部门”。{suggestion}\n"
    )


# --- around the edges ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "checked"),
    [
        ("data/tasks.yaml", True),
        ("data/units.yaml", True),
        ("data/2025/tasks.yaml", True),
        ("data/2025/progress/市司法局.yaml", True),
        ("other/tasks.yaml", False),
        ("docs/data/tasks.yaml", False),
        ("data/notes.yaml", False),
    ],
)
def test_pre_commit_hook_runs_only_for_the_data_folder(path: str, checked: bool) -> None:
    import re

    import yaml

    [hook] = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert bool(re.search(hook["files"], path)) is checked
    assert hook["pass_filenames"] is False


# --- reading long answers ------------------------------------------------------------------------------------


def test_sections_is_a_table_of_contents(runner: CliRunner) -> None:
    stdout, _ = run(runner, "sections", "-f", "json")
    contents = json.loads(stdout)
    assert [(s["numeral"], s["title"]) for s in contents][:2] == [
        ("一", "围绕中心工作抓好主动公开。"),
        ("二", "围绕提质增效抓好政策解读。"),
    ]
    assert contents[1]["subsections"] == [
        {"numeral": "一", "title": "增强解读发布时效性", "tasks": [5, 6]},
        {"numeral": "二", "title": "增强解读发布实效性", "tasks": [7, 8, 9, 10, 11]},
    ]
    assert sum(len(sub["tasks"]) for s in contents for sub in s["subsections"]) == 44


def test_unit_sorted_by_date_puts_the_most_urgent_first(runner: CliRunner) -> None:
    stdout, _ = run(runner, "unit", "司法局", "--sort", "date", "-f", "json")
    assert [t["number"] for t in json.loads(stdout)["tasks"]][:7] == [6, 35, 17, 22, 36, 18, 37]


def test_unit_unknown_sort_is_a_usage_error(runner: CliRunner) -> None:
    _, stderr = run(runner, "unit", "司法局", "--sort", "size", code=2)
    assert stderr == "错误：没有“size”这种排序方式，--sort 可写：role（关系）、date（截止日期）。\n"


def test_options_take_the_chinese_words_a_clerk_types(runner: CliRunner, tmp_path: Path) -> None:
    by_date, _ = run(runner, "unit", "司法局", "--sort", "date", "-f", "json")
    assert run(runner, "unit", "司法局", "--sort", "日期", "-f", "json")[0] == by_date
    assert run(runner, "unit", "司法局", "--sort", "截止日期", "-f", "json")[0] == by_date
    assert (
        run(runner, "unit", "司法局", "--sort", "关系", "-f", "json")[0]
        == run(runner, "unit", "司法局", "-f", "json")[0]
    )
    assert run(runner, "sections", "-f", "表格")[0] == run(runner, "sections", "-f", "table")[0]
    for english, chinese in (("mark", "标出"), ("omit", "省略")):
        written = []
        for word in (english, chinese):
            target = tmp_path / f"{word}.ics"
            run(runner, "export", "ics", str(target), "--done", word, "--today", "2024-09-01")
            written.append(target.read_bytes())
        assert written[0] == written[1]
    _, stderr = run(runner, "export", "ics", str(tmp_path / "x.ics"), "--done", "skip", code=2)
    assert stderr == "错误：没有“skip”这种方式，--done 可写：omit（省略）、mark（标出）。\n"


@pytest.mark.parametrize("written", ["2024年9月30号", "9月30号", "2024年9月30日"])
def test_a_day_written_with_hao_is_a_date(runner: CliRunner, written: str) -> None:
    stdout, _ = run(runner, "due", "--before", written, "--after", written, "-f", "json")
    same, _ = run(runner, "due", "--before", "2024-09-30", "--after", "2024-09-30", "-f", "json")
    assert [task["number"] for task in json.loads(stdout)] == [task["number"] for task in json.loads(same)]
    assert json.loads(stdout)


def test_long_table_goes_to_the_pager_and_short_one_does_not() -> None:
    import io

    from rich.console import Console

    from gongkai_cli import render
    from gongkai_cli.render import Column, Listing

    paged: list[str] = []
    for count, expect_paged in ((3, False), (30, True)):
        paged.clear()
        console = Console(file=io.StringIO(), width=60, height=20, color_system=None)
        rows: list[render.Row] = [{"n": i} for i in range(count)]
        listing = Listing((Column("n", "编号", number_format="d"),), lambda rows=rows: rows, lambda: [])
        render.emit(listing, "table", console=console, pager=paged.append)
        shown = console.file.getvalue()  # type: ignore[attr-defined]
        assert bool(paged) is expect_paged
        assert (paged[0] if paged else shown).count("│") == 2 * count


# --- typesetting Chinese -------------------------------------------------------------------------------------

CLOSING = tuple("，。、；：！？）》」』】〕")
OPENING = tuple("（《「『【〔")


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize(
    "command",
    [
        ("--help",),
        ("unit", "--help"),
        ("unit", "市司法局", "--today", "2024-06-01"),
        ("due", "--before", "年底", "--include-ongoing"),
        ("show", "23"),
        ("sections",),
    ],
)
def test_output_is_typeset_by_chinese_rules(runner: CliRunner, width: int, command: tuple[str, ...]) -> None:
    from gongkai_cli.linebreak import cell_width

    if "--help" in command:  # CliRunner pins Click's help width to 80: run the help as a user would
        import subprocess
        import sys

        env = {**os.environ, "COLUMNS": str(width)}
        done = subprocess.run(
            [sys.executable, "-m", "gongkai_cli", *command], capture_output=True, text=True, env=env, check=True
        )
        stdout = done.stdout
    else:
        result = runner.invoke(app, list(command), env={"COLUMNS": str(width)})
        assert result.exit_code == 0, result.output
        stdout = result.stdout
    for line in stdout.splitlines():
        assert cell_width(line) <= width, line
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        # Each cell of a table line, or the whole line of a stacked record or help text.
        for piece in line.strip("│┃ ").split("│"):
            text = piece.strip()
            if "：" in text and not text.startswith("："):
                text = text.split("：", 1)[1]  # a stacked record's label
            assert not text.startswith(CLOSING), line
            assert not text.endswith(OPENING), line
    assert "2024-05-\n" not in stdout and "二（一\n" not in stdout


# --- Chinese, all of it --------------------------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b(Usage|Options|Arguments|Commands|Show this message|required|default|env var|Error|Try|Missing|"
    r"No such|Got unexpected|Install completion|Show completion|is not|not one of|valid|Invalid)\b"
)
# A space between two Chinese characters is a stray one: Click's wrapping joins lines with spaces.
STRAY_SPACE = re.compile(r"[\u4e00-\u9fff，。、；：）] [\u4e00-\u9fff（，。、；：]")


def _command_names() -> list[str]:
    return [command.name or "" for command in app.registered_commands]


@pytest.mark.parametrize("command", [None, *_command_names()])
def test_every_help_page_is_chinese(runner: CliRunner, command: str | None) -> None:
    result = runner.invoke(app, [command, "--help"] if command else ["--help"])
    assert result.exit_code == 0, result.output
    assert not ENGLISH.search(result.stdout), result.stdout
    # The usage line separates arguments with spaces, as every usage line does.
    prose = "\n".join(line for line in result.stdout.splitlines() if not line.startswith("用法："))
    assert not STRAY_SPACE.search(prose), result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["unti"],
        ["unit"],
        ["unit", "a", "b"],
        ["due", "--before"],
        ["due", "--bogus"],
        ["show"],
        ["show", "abc"],
        ["units", "-f", "xml"],
        ["check", "-f", "xml"],
        ["due", "--within", "soon"],
        ["section", "99"],
        ["unit", "--sort"],
        ["--data"],
        [],
    ],
)
def test_every_usage_error_is_chinese(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert not ENGLISH.search(result.output), result.output
    assert "错误：" in result.stderr or "用法：" in result.output


def test_messages_print_locations_literally_not_as_emoji() -> None:
    import io

    from gongkai_cli.render import make_console

    console = make_console(io.StringIO())
    console.print("提醒：tasks.yaml:100:27: 可以删除", markup=False)
    assert console.file.getvalue() == "提醒：tasks.yaml:100:27: 可以删除\n"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "kept"),
    [
        (["--year", "2024", "due"], ["due"]),
        (["--data", "x", "--table", "2025", "unit", "司法局"], ["unit"]),
        (["--help"], None),
        (["--year", "2024"], None),
        (["nonesuch"], None),
    ],
)
def test_only_the_invoked_command_is_built(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], kept: list[str] | None
) -> None:
    from gongkai_cli.cli import app as cli

    every = list(cli.app.registered_commands)
    monkeypatch.setattr(cli.app, "registered_commands", every)
    cli._only_the_invoked_command(argv)
    names = [c.name or c.callback.__name__ for c in cli.app.registered_commands]  # type: ignore[union-attr]
    assert names == (kept if kept is not None else [c.name or c.callback.__name__ for c in every])  # type: ignore[union-attr]


def test_no_next_deadline_says_after_which_day_in_words(runner: CliRunner) -> None:
    stdout, _ = run(runner, "unit", "司法局", "--today", "2026-12-03", "-f", "md")
    assert stdout.splitlines()[0].endswith("；下一个截止日期：无（2026年12月3日以后没有未完成的任务）")


def test_a_wrong_duration_says_how_to_write_one(runner: CliRunner) -> None:
    _, stderr = run(runner, "due", "--within", "30", code=2)
    assert stderr == "错误：时长“30”无法识别，请写成 30天、2周、1个月（或 30d、2w、1m）。\n"
