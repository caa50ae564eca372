"""Tests for the `gongkai` command line, run through typer's CliRunner (stdout and stderr kept apart)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from gongkai_cli import __version__
from gongkai_cli.cli.app import app
from gongkai_cli.load import load_data

FORMATS = ["table", "json", "csv", "md"]
COMMANDS = ["unit", "due", "show", "section", "search", "units", "timeline", "scoring", "check"]
ALL_DATED = [6, 35, 17, 22, 36, 18, 37, 38, 39]
SEPT_30_TASKS = [6, 35, 17, 22, 36]
SIFAJU_LEAD = [12, 13, 23]
SIFAJU_NAMED = [6]
SIFAJU_GROUP = [16, 17, 20, 24, 26, 31, 34, 35, 36, 37, 39, 40, 41, 42, 44]
SIFAJU_RELEVANT = [1, 3, 4, 7, 8, 9, 10, 11, 15, 18, 21, 22, 27, 32, 33]
TASK_KEYS = {
    "id",
    "number",
    "section",
    "subsection",
    "work_item",
    "requirement",
    "responsibility_text",
    "lead_text",
    "support_text",
    "leads",
    "implementers",
    "supports",
    "time_limit",
    "scoring",
    "notes",
}


@pytest.fixture(autouse=True, scope="module")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the validated-data cache out of the user's home while these tests run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def run(runner: CliRunner, *args: str, code: int = 0, env: dict[str, str] | None = None) -> Result:
    """Invoke `gongkai ARGS`, check the exit code and that nothing crashed."""
    result = runner.invoke(app, list(args), env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    return result


# --- reading the four formats back -----------------------------------------------------------------------


def table_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """Header cells and body lines (each as cells) of a rich table drawn with box characters."""
    header: list[str] = []
    rows = []
    for line in text.splitlines():
        if line.startswith("┃") and not header:
            header = [cell.strip() for cell in line.strip().strip("┃").split("┃")]
        elif line.startswith("│"):
            rows.append([cell.strip() for cell in line.strip().strip("│").split("│")])
    return header, rows


def md_rows(text: str) -> list[dict[str, str]]:
    """The rows of the Markdown table in `text`, keyed by header."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    split = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
    header, body = split[0], split[2:]
    assert set(split[1]) == {"---"}
    return [dict(zip(header, cells, strict=True)) for cells in body]


TABLE_HEADING = "《池州市2024年政务公开重点任务分工》（池州市政务公开办公室，池政公办函〔2024〕14号，2024-05-22）"


def without_heading(stdout: str) -> str:
    """A table answer after the heading that names the table (which wraps at 100 columns)."""
    lines = stdout.splitlines(keepends=True)
    taken = ""
    while lines and "".join(taken.split()) != TABLE_HEADING:
        taken += lines.pop(0)
    return "".join(lines)


def test_table_answer_names_its_table_in_the_heading(runner: CliRunner) -> None:
    stdout = run(runner, "due", "--before", "2024-05-31").stdout
    assert without_heading(stdout).startswith("┏")
    assert "《" not in run(runner, "due", "--before", "2024-05-31", "-f", "md").stdout


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "CSV starts with a BOM, for Excel and WPS"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def listed_numbers(fmt: str, stdout: str) -> list[int]:
    """Task numbers of a task listing (due, section, search, timeline), in the order shown."""
    if fmt == "json":
        return [task["number"] for task in json.loads(stdout)]
    if fmt == "csv":
        return [int(row["任务编号"]) for row in csv_rows(stdout)]
    if fmt == "md":
        return [int(row["任务编号"]) for row in md_rows(stdout)]
    header, rows = table_rows(stdout)
    column = header.index("任务编号")
    return [int(cells[column]) for cells in rows if cells[column].isdigit()]


def json_numbers(result: Result) -> list[int]:
    return [task["number"] for task in json.loads(result.stdout)]


# --- due -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_due_before_sept_30_lists_five_tasks_in_date_order(runner: CliRunner, fmt: str) -> None:
    result = run(runner, "due", "--before", "2024-09-30", "--format", fmt)
    assert listed_numbers(fmt, result.stdout) == SEPT_30_TASKS


def test_due_before_may_31_lists_task_6(runner: CliRunner) -> None:
    assert json_numbers(run(runner, "due", "--before", "2024-05-31", "-f", "json")) == [6]


@pytest.mark.parametrize("day", ["9月底", "2024年9月30日", "2024/9/30", "20240930", "2024-9-30", "９月底"])
def test_due_before_accepts_other_date_forms(runner: CliRunner, day: str) -> None:
    assert json_numbers(run(runner, "due", "--before", day, "-f", "json")) == SEPT_30_TASKS


def test_due_after_oct_1_lists_year_end_tasks(runner: CliRunner) -> None:
    assert json_numbers(run(runner, "due", "--after", "2024-10-01", "-f", "json")) == [18, 37, 38, 39]


def test_due_after_and_before_together(runner: CliRunner) -> None:
    result = run(runner, "due", "--after", "9月底", "--before", "年底", "-f", "json")
    assert json_numbers(result) == [17, 22, 36, 18, 37, 38, 39]


@pytest.mark.parametrize("fmt", FORMATS)
def test_due_without_filter_lists_every_dated_task(runner: CliRunner, fmt: str) -> None:
    assert listed_numbers(fmt, run(runner, "due", "-f", fmt).stdout) == ALL_DATED


def test_due_include_ongoing_lists_undated_tasks_after_dated_ones(runner: CliRunner) -> None:
    result = run(runner, "due", "--before", "2024-09-30", "--include-ongoing", "-f", "json")
    tasks = json.loads(result.stdout)
    undated = [t.number for t in load_data().tasks if t.time_limit.due is None]
    assert [t["number"] for t in tasks] == SEPT_30_TASKS + undated
    assert len(tasks) == 5 + 35
    kinds = {t["number"]: t["time_limit"]["kind"] for t in tasks}
    assert kinds[23] == "from"
    assert {kinds[n] for n in undated if n != 23} == {"ongoing"}


def test_due_within_30_days_from_sept_1(runner: CliRunner) -> None:
    result = run(runner, "due", "--within", "30d", "--today", "2024-09-01", "-f", "json")
    assert json_numbers(result) == [17, 22, 36]


def test_due_overdue_on_sept_1(runner: CliRunner) -> None:
    assert json_numbers(run(runner, "due", "--overdue", "--today", "2024-09-01", "-f", "json")) == [6, 35]


def test_due_within_and_overdue_together_exits_2(runner: CliRunner) -> None:
    result = run(runner, "due", "--within", "30d", "--overdue", "--today", "2024-09-01", "-f", "json", code=2)
    assert "--within" in result.stderr
    assert "--overdue" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("json", "[]\n"),
        ("csv", "\ufeff任务编号,部分,截止日期,时限,任务要求,责任单位\n"),
        (
            "md",
            "| 任务编号 | 部分 | 截止日期 | 时限 | 任务要求 | 责任单位 |\n| --- | --- | --- | --- | --- | --- |\n\n无\n",
        ),
    ],
)
def test_due_for_an_office_without_deadlines_is_an_empty_answer(runner: CliRunner, fmt: str, expected: str) -> None:
    result = run(runner, "due", "--before", "2024-09-30", "--unit", "市政府办公室", "-f", fmt)
    assert result.stdout == expected


def test_due_for_an_office_without_deadlines_table_shows_wu(runner: CliRunner) -> None:
    result = run(runner, "due", "--before", "2024-09-30", "--unit", "市政府办公室")
    assert result.stdout.rstrip().endswith("无")
    assert table_rows(result.stdout)[1] == []


def test_due_unit_sifaju_before_sept_30(runner: CliRunner) -> None:
    # 22 comes in through 行业主管部门, a group 市司法局 belongs to by its duties (role "relevant").
    result = run(runner, "due", "-u", "sfj", "--before", "2024-09-30", "-f", "json")
    assert json_numbers(result) == [6, 35, 17, 22, 36]


def test_due_unit_county_sees_every_dated_task(runner: CliRunner) -> None:
    assert json_numbers(run(runner, "due", "--unit", "青阳县", "-f", "json")) == ALL_DATED


@pytest.mark.parametrize("option", ["--before", "--after", "--today"])
def test_due_unreadable_date_names_the_option(runner: CliRunner, option: str) -> None:
    result = run(runner, "due", option, "九月三十", code=2)
    assert option in result.stderr
    assert "九月三十" in result.stderr
    assert "2024-09-30" in result.stderr  # the message shows a form that works
    assert result.stdout == ""


def test_due_impossible_date_is_refused(runner: CliRunner) -> None:
    result = run(runner, "due", "--before", "2024-09-31", code=2)
    assert "--before" in result.stderr


@pytest.mark.parametrize("span", ["30", "0d", "soon"])
def test_due_unreadable_within_says_what_to_type(runner: CliRunner, span: str) -> None:
    result = run(runner, "due", "--within", span, "--today", "2024-09-01", code=2)
    assert result.stderr == f"错误：时长“{span}”无法识别，请写成 30天、2周、1个月（或 30d、2w、1m）。\n"


def test_due_unknown_unit_gives_the_hint(runner: CliRunner) -> None:
    result = run(runner, "due", "--unit", "公安局", code=2)
    assert result.stderr == (
        "错误：未找到“公安局”，请核对名称（可输简称、拼音或首字母）；"
        "名册外的部门可查“市政府各部门”“市政府有关部门”“行业主管部门”。\n"
    )


def test_due_ambiguous_unit_lists_candidates(runner: CliRunner) -> None:
    result = run(runner, "due", "--unit", "市政府", code=2)
    assert result.stderr.startswith("错误：“市政府”可指多个单位，请写得更具体：\n")
    for name in ["市政府办公室", "市政府各部门", "市政府有关部门"]:
        assert name in result.stderr


def test_due_unknown_format_is_bad_usage(runner: CliRunner) -> None:
    result = run(runner, "due", "--format", "xml", code=2)
    assert "xml" in result.stderr


def test_due_table_shows_date_and_time_limit_text(runner: CliRunner) -> None:
    result = run(runner, "due", "--before", "2024-09-30")
    assert "2024-09-30" in result.stdout
    assert "9底前" in result.stdout  # the printed phrase, under its reading
    assert "二（一）" in result.stdout  # the section, under the number


def test_due_csv_row_keeps_the_full_requirement(runner: CliRunner) -> None:
    rows = csv_rows(run(runner, "due", "--before", "2024-05-31", "-f", "csv").stdout)
    assert rows == [
        {
            "任务编号": "6",
            "部分": "二（一）",
            "截止日期": "2024-05-31",
            "时限": "2024年5月底前",
            "任务要求": "政务公开办、司法局建立政策解读沟通机制。各级各部门建立健全政策解读全链条管理机制。",
            "责任单位": "市政务公开办、市司法局、市政府各部门、各县区政府、管委会",
        }
    ]


# --- unit ------------------------------------------------------------------------------------------------


def unit_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    return json.loads(run(runner, "unit", *args, "-f", "json").stdout)  # type: ignore[no-any-return]


def roles(payload: dict[str, Any]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {"lead": [], "named": [], "support": [], "group": [], "relevant": []}
    for task in payload["tasks"]:
        found[task["role"]].append(task["number"])
    return found


def test_unit_sifaju_json_lists_each_task_once_under_its_strongest_role(runner: CliRunner) -> None:
    payload = unit_json(runner, "市司法局")
    assert roles(payload) == {
        "lead": SIFAJU_LEAD,
        "named": SIFAJU_NAMED,
        "support": [],
        "group": SIFAJU_GROUP,
        "relevant": SIFAJU_RELEVANT,
    }
    numbers = [task["number"] for task in payload["tasks"]]
    assert len(numbers) == len(set(numbers)) == 34
    # strongest role first, then by number
    assert numbers == SIFAJU_LEAD + SIFAJU_NAMED + SIFAJU_GROUP + SIFAJU_RELEVANT


def test_unit_sifaju_roles_match_the_yaml(runner: CliRunner) -> None:
    division = load_data()

    def naming(name: str) -> set[int]:
        return {t.number for t in division.tasks if name in (*t.leads, *t.implementers)}

    found = roles(unit_json(runner, "市司法局"))
    direct = set(found["lead"]) | set(found["named"])
    assert set(found["group"]) == naming("市政府各部门") - direct
    assert set(found["relevant"]) == (naming("市政府有关部门") | naming("行业主管部门")) - direct - naming(
        "市政府各部门"
    )


def test_unit_sifaju_via_names_the_group(runner: CliRunner) -> None:
    via = {task["number"]: (task["role"], task["via"]) for task in unit_json(runner, "市司法局")["tasks"]}
    assert via[12] == ("lead", None)
    assert via[6] == ("named", None)
    assert via[16] == ("group", "市政府各部门")
    assert via[1] == ("relevant", "市政府有关部门")
    assert via[22] == ("relevant", "行业主管部门")


def test_unit_json_contract(runner: CliRunner) -> None:
    payload = unit_json(runner, "市司法局", "--today", "2024-09-01")
    assert set(payload) == {"unit", "tasks"}
    assert payload["unit"] == {
        "name": "市司法局",
        "type": "unit",
        "kind": "department",
        "full_name": "池州市司法局",
        "variants": [],
        "counts": {"lead": 3, "named": 1, "support": 0, "group": 15, "relevant": 15},
        "next_deadline": "2024-09-30",
    }
    for task in payload["tasks"]:
        assert set(task) == TASK_KEYS | {"role", "via", "progress"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("市教育局", "市教体局"),
        ("司法", "市司法局"),
        ("sifaju", "市司法局"),
        ("sfj", "市司法局"),
        ("九华山", "九华山风景区管委会"),
        ("青阳县", "青阳县政府"),
        ("市政府各有关部门", "市政府有关部门"),
    ],
)
def test_unit_resolves_other_names(runner: CliRunner, name: str, expected: str) -> None:
    assert unit_json(runner, name)["unit"]["name"] == expected


@pytest.mark.parametrize("name", ["九华山风景区管委会", "九华山"])
def test_unit_management_committee_owes_36_tasks_via_guanweihui(runner: CliRunner, name: str) -> None:
    tasks = unit_json(runner, name)["tasks"]
    assert len(tasks) == 36
    assert {(t["role"], t["via"]) for t in tasks} == {("group", "管委会")}
    assert not {t["number"] for t in tasks} & {15, 18, 19, 21, 22, 28, 42, 43}


def test_unit_county_owes_all_44_tasks(runner: CliRunner) -> None:
    payload = unit_json(runner, "青阳县")
    assert [t["number"] for t in payload["tasks"]] == list(range(1, 45))
    assert {(t["role"], t["via"]) for t in payload["tasks"]} == {("group", "各县区政府")}
    assert payload["unit"]["counts"] == {"lead": 0, "named": 0, "support": 0, "group": 44, "relevant": 0}


def test_unit_group_by_its_name_owes_its_named_tasks(runner: CliRunner) -> None:
    payload = unit_json(runner, "各县区政府")
    assert [t["number"] for t in payload["tasks"]] == list(range(1, 45))
    assert {t["role"] for t in payload["tasks"]} == {"named"}
    assert payload["unit"]["type"] == "group"
    assert payload["unit"]["coverage"] == "all"


def test_unit_group_table_lists_members_on_stderr(runner: CliRunner) -> None:
    result = run(runner, "unit", "各县区政府")
    assert "成员：贵池区政府、东至县政府、石台县政府、青阳县政府" in result.stderr
    assert "成员：" not in result.stdout


def test_unit_group_json_keeps_stderr_quiet(runner: CliRunner) -> None:
    assert run(runner, "unit", "各县区政府", "-f", "json").stderr == ""


def test_unit_ambiguous_name_lists_candidates(runner: CliRunner) -> None:
    result = run(runner, "unit", "市政府", code=2)
    assert result.stderr.startswith("错误：“市政府”可指多个单位，请写得更具体：\n")
    for name in ["市政府办公室", "市政府各部门", "市政府有关部门"]:
        assert name in result.stderr
    assert result.stdout == ""


def test_unit_unknown_name_points_to_the_department_groups(runner: CliRunner) -> None:
    result = run(runner, "unit", "公安局", code=2)
    assert result.stderr.startswith("错误：未找到“公安局”，请核对名称")
    assert "市政府各部门" in result.stderr


def test_unit_empty_name_is_bad_usage(runner: CliRunner) -> None:
    assert run(runner, "unit", "", code=2).stderr == "错误：单位名称不能为空，请写单位的名称、简称或拼音。\n"


def test_unit_name_with_markup_is_shown_literally(runner: CliRunner) -> None:
    assert "[bold]x" in run(runner, "unit", "[bold]x", code=2).stderr


def test_unit_table_title_counts_roles(runner: CliRunner) -> None:
    result = run(runner, "unit", "市司法局", "--today", "2024-09-01")
    title = "".join(without_heading(result.stdout).split("┏", 1)[0].split())  # the title wraps by the Chinese rules
    assert (
        title
        == "市司法局（池州市司法局，部门）：共34项（牵头3，负责1，配合0，各单位15，有关单位15）；下一个截止日期：2024-09-30"
    )
    header, _ = table_rows(result.stdout)
    assert header == ["关系", "任务编号", "截止日期", "任务要求", "配合单位"]
    assert listed_numbers("table", result.stdout) == SIFAJU_LEAD + SIFAJU_NAMED + SIFAJU_GROUP + SIFAJU_RELEVANT


def test_unit_csv_has_role_and_via_columns(runner: CliRunner) -> None:
    rows = csv_rows(run(runner, "unit", "市司法局", "-f", "csv").stdout)
    assert list(rows[0]) == ["关系", "所属统称", "任务编号", "部分", "截止日期", "时限", "任务要求", "配合单位"]
    by_number = {row["任务编号"]: row for row in rows}
    assert (by_number["12"]["关系"], by_number["12"]["所属统称"]) == ("牵头", "")
    assert (by_number["16"]["关系"], by_number["16"]["所属统称"]) == ("各单位", "市政府各部门")
    assert (by_number["22"]["关系"], by_number["22"]["所属统称"]) == ("有关单位", "行业主管部门")
    assert by_number["6"]["配合单位"] == "市政务公开办、市政府各部门、各县区政府、管委会"


def test_unit_md_starts_with_the_title_then_the_header_row(runner: CliRunner) -> None:
    result = run(runner, "unit", "市司法局", "-f", "md")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("### 市司法局（池州市司法局，部门）：共 34 项")
    assert lines[2] == "| 关系 | 所属统称 | 任务编号 | 部分 | 截止日期 | 时限 | 任务要求 | 配合单位 |"
    assert len(md_rows(result.stdout)) == 34


def test_unit_overdue_keeps_only_overdue_tasks(runner: CliRunner) -> None:
    payload = unit_json(runner, "市司法局", "--overdue", "--today", "2024-09-01")
    assert [(t["number"], t["role"]) for t in payload["tasks"]] == [(6, "named"), (35, "group")]


def test_unit_unreadable_date_names_the_option(runner: CliRunner) -> None:
    assert "--before" in run(runner, "unit", "市司法局", "--before", "someday", code=2).stderr


# --- show ------------------------------------------------------------------------------------------------


def test_show_17_json_reads_the_typo_as_sept_30(runner: CliRunner) -> None:
    task = json.loads(run(runner, "show", "17", "-f", "json").stdout)
    assert set(task) == TASK_KEYS
    assert task["number"] == 17
    limit = task["time_limit"]
    assert (limit["text"], limit["kind"], limit["due"], limit["start"]) == ("9底前", "deadline", "2024-09-30", None)
    assert "9月底前" in limit["note"]


def test_show_17_json_contract(runner: CliRunner) -> None:
    task = json.loads(run(runner, "show", "17", "-f", "json").stdout)
    assert task["section"] == {"number": 4, "numeral": "四", "title": "围绕数字转型抓好功能升级。"}
    assert task["subsection"] == {"numeral": "一", "title": "完善政策文件库建设"}
    assert task["responsibility_text"] == "市政务公开办牵头，市政府各部门，各县区政府、管委会负责落实"
    assert task["leads"] == ["市政务公开办"]
    assert task["implementers"] == ["市政府各部门", "各县区政府", "管委会"]
    assert set(task["time_limit"]) == {"text", "kind", "due", "start", "occurrences", "lag", "lag_unit", "note"}
    assert task["scoring"] == []
    assert task["notes"] == []


def test_show_17_table_contains_the_note(runner: CliRunner) -> None:
    note = load_data().tasks[16].time_limit.note
    assert note is not None
    result = run(runner, "show", "17")
    assert without_heading(result.stdout).startswith("任务 17")
    assert "时限说明" in result.stdout
    assert "9底前（截止日期 2024-09-30）" in result.stdout
    # the note may wrap: compare without the table's line breaks and borders
    flat = "".join(cells[1] for cells in table_rows(result.stdout)[1])
    assert note in flat


def test_show_23_is_a_start_date(runner: CliRunner) -> None:
    limit = json.loads(run(runner, "show", "23", "-f", "json").stdout)["time_limit"]
    assert (limit["kind"], limit["start"], limit["due"]) == ("from", "2024-01-01", None)
    assert "自 2024-01-01 起，无截止日期" in run(runner, "show", "23").stdout


def test_show_subsection_without_numeral_has_null_numeral(runner: CliRunner) -> None:
    task = json.loads(run(runner, "show", "23", "-f", "json").stdout)
    assert task["subsection"] == {"numeral": None, "title": "规范依申请公开答复"}


def test_show_scoring_points_keep_their_json_types(runner: CliRunner) -> None:
    task = json.loads(run(runner, "show", "15", "-f", "json").stdout)
    assert task["scoring"][0] == {
        "points": 0.5,
        "per": "次",
        "who": "市直单位",
        "condition": "开展情况在年度政务公开考评中予以加分（市直单位按0.5分/次；县区按0.2分/次）",
    }


def test_show_22_notes_are_listed(runner: CliRunner) -> None:
    task = json.loads(run(runner, "show", "22", "-f", "json").stdout)
    assert len(task["notes"]) == 3
    assert "市教体局" in task["implementers"]


def test_show_csv_is_field_value_rows(runner: CliRunner) -> None:
    rows = csv_rows(run(runner, "show", "17", "-f", "csv").stdout)
    fields = {row["项目"]: row["内容"] for row in rows}
    assert fields["任务编号"] == "17"
    assert fields["时限"] == "9底前（截止日期 2024-09-30）"
    assert "9月底前" in fields["时限说明"]


def test_show_md_starts_with_the_title_then_the_header_row(runner: CliRunner) -> None:
    lines = run(runner, "show", "17", "-f", "md").stdout.splitlines()
    assert lines[:3] == ["### 任务 17", "", "| 项目 | 内容 |"]


@pytest.mark.parametrize("number", ["45", "0"])
def test_show_out_of_range_is_bad_usage(runner: CliRunner, number: str) -> None:
    result = run(runner, "show", number, code=2)
    assert result.stderr == f"错误：没有第 {number} 项任务，本表任务编号为 1～44。\n"


def test_show_not_a_number_is_bad_usage(runner: CliRunner) -> None:
    run(runner, "show", "abc", code=2)


# --- section ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("四", [16, 17, 18, 19]),
        ("4", [16, 17, 18, 19]),
        ("四、", [16, 17, 18, 19]),
        ("四.二", [18]),
        ("4.2", [18]),
        ("四（二）", [18]),
        ("六", [23, 24, 25, 26]),
        ("十一", [41, 42, 43, 44]),
    ],
)
def test_section_lists_its_tasks(runner: CliRunner, ref: str, expected: list[int]) -> None:
    assert json_numbers(run(runner, "section", ref, "-f", "json")) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_section_four_in_every_format(runner: CliRunner, fmt: str) -> None:
    assert listed_numbers(fmt, run(runner, "section", "四", "-f", fmt).stdout) == [16, 17, 18, 19]


def test_section_table_and_md_carry_the_heading(runner: CliRunner) -> None:
    assert without_heading(run(runner, "section", "四").stdout).startswith("四、围绕数字转型抓好功能升级。")
    md = run(runner, "section", "4.2", "-f", "md").stdout
    assert md.startswith("### 四、围绕数字转型抓好功能升级。 （二）强化政策精准直达\n")


@pytest.mark.parametrize("ref", ["12", "四.九", "0", "第四部分"])
def test_section_unknown_is_bad_usage(runner: CliRunner, ref: str) -> None:
    result = run(runner, "section", ref, code=2)
    assert result.stderr.startswith(("错误：本表只有十一个部分。", "错误：第四部分只有三个小标题"))
    assert result.stdout == ""


def test_section_unknown_message_says_what_to_write(runner: CliRunner) -> None:
    assert run(runner, "section", "12", code=2).stderr == (
        "错误：本表只有十一个部分。部分写 四 或 4，小标题写 四.二 或 4.2。\n"
    )
    assert run(runner, "section", "四.九", code=2).stderr == "错误：第四部分只有三个小标题，没有“九”。\n"


# --- search ----------------------------------------------------------------------------------------------


def test_search_jiedu_finds_the_interpretation_tasks(runner: CliRunner) -> None:
    hits = json.loads(run(runner, "search", "解读", "-f", "json").stdout)
    found = {hit["number"]: hit for hit in hits}
    assert set(range(5, 12)) | {17} <= set(found)
    assert found[17]["matched"] == ["requirement"]
    assert set(found[17]) == TASK_KEYS | {"matched"}


def test_search_kaoping_finds_the_assessment_tasks(runner: CliRunner) -> None:
    found = set(json_numbers(run(runner, "search", "考评", "-f", "json")))
    assert {11, 15, 26, 35, 39, 43, 44} <= found


@pytest.mark.parametrize("fmt", FORMATS)
def test_search_jiedu_in_every_format(runner: CliRunner, fmt: str) -> None:
    expected = json_numbers(run(runner, "search", "解读", "-f", "json"))
    assert listed_numbers(fmt, run(runner, "search", "解读", "-f", fmt).stdout) == expected


def test_search_csv_names_the_matched_fields(runner: CliRunner) -> None:
    rows = {row["任务编号"]: row for row in csv_rows(run(runner, "search", "解读", "-f", "csv").stdout)}
    assert list(rows["5"]) == ["任务编号", "部分", "匹配", "截止日期", "时限", "任务要求", "责任单位"]
    assert rows["17"]["匹配"] == "具体要求"
    assert rows["5"]["匹配"] == "具体要求、标题"


def test_search_shows_a_match_found_in_the_responsibility(runner: CliRunner) -> None:
    rows = csv_rows(run(runner, "search", "市司法局", "-f", "csv").stdout)
    assert [row["任务编号"] for row in rows] == ["6", "12", "13", "23"]
    assert rows[0]["匹配"] == "责任单位"
    assert rows[0]["责任单位"] == "市政务公开办、市司法局、市政府各部门、各县区政府、管委会"


def test_search_unknown_word_is_an_empty_answer(runner: CliRunner) -> None:
    assert json.loads(run(runner, "search", "不存在的词", "-f", "json").stdout) == []
    assert without_heading(run(runner, "search", "不存在的词").stdout) == "没有找到含“不存在的词”的任务。\n"


def test_search_empty_text_is_bad_usage(runner: CliRunner) -> None:
    assert run(runner, "search", " ", code=2).stderr == "错误：搜索词不能为空，请写要查找的文字。\n"


# --- scoring ---------------------------------------------------------------------------------------------

SCORING = [(11, 3), (15, 0.5), (15, 0.2), (26, -2), (35, 5), (39, 5), (39, 3), (44, -3)]


def test_scoring_json_lists_every_rule(runner: CliRunner) -> None:
    rules = json.loads(run(runner, "scoring", "-f", "json").stdout)
    assert [(rule["task"], rule["points"]) for rule in rules] == SCORING
    assert set(rules[0]) == {"task", "points", "per", "who", "condition"}


def test_scoring_json_integral_points_are_integers(runner: CliRunner) -> None:
    stdout = run(runner, "scoring", "-f", "json").stdout
    points = [rule["points"] for rule in json.loads(stdout)]
    assert [type(p) for p in points] == [int, float, float, int, int, int, int, int]
    assert '"points": 3,' in stdout
    assert '"points": 3.0' not in stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_scoring_rows_in_every_format(runner: CliRunner, fmt: str) -> None:
    stdout = run(runner, "scoring", "-f", fmt).stdout
    if fmt == "table":
        numbers = [int(cells[0]) for cells in table_rows(stdout)[1] if cells[0]]
        points = [cells[1] for cells in table_rows(stdout)[1] if cells[1]]
    else:
        rows = csv_rows(stdout) if fmt == "csv" else md_rows(stdout)
        numbers = [int(row["任务编号"]) for row in rows]
        points = [row["分值"] for row in rows]
    assert numbers == [task for task, _ in SCORING]
    if fmt == "csv":  # a number for a spreadsheet to add up
        assert points == ["3", "0.5", "0.2", "-2", "5", "5", "3", "-3"]
    else:
        assert points == ["+3", "+0.5", "+0.2", "-2", "+5", "+5", "+3", "-3"]


def test_scoring_csv_row(runner: CliRunner) -> None:
    rows = csv_rows(run(runner, "scoring", "-f", "csv").stdout)
    assert rows[1] == {
        "任务编号": "15",
        "分值": "0.5",
        "分值单位": "每次",
        "适用": "市直单位",
        "条件": "开展情况在年度政务公开考评中予以加分（市直单位按0.5分/次；县区按0.2分/次）",
    }


# --- timeline --------------------------------------------------------------------------------------------


def timeline_json(runner: CliRunner, *args: str) -> list[tuple[str, list[int]]]:
    months = json.loads(run(runner, "timeline", *args, "-f", "json").stdout)
    return [(month["month"], [task["number"] for task in month["tasks"]]) for month in months]


def test_timeline_json_groups_deadlines_by_month(runner: CliRunner) -> None:
    assert timeline_json(runner) == [
        ("2024-05", [6]),
        ("2024-08", [35]),
        ("2024-09", [17, 22, 36]),
        ("2024-12", [18, 37, 38, 39]),
    ]


def test_timeline_json_tasks_are_task_objects(runner: CliRunner) -> None:
    months = json.loads(run(runner, "timeline", "-f", "json").stdout)
    assert set(months[0]) == {"month", "tasks"}
    assert set(months[0]["tasks"][0]) == TASK_KEYS


def test_timeline_unit_disclosure_office(runner: CliRunner) -> None:
    assert timeline_json(runner, "--unit", "市政务公开办") == [
        ("2024-05", [6]),
        ("2024-08", [35]),
        ("2024-09", [17]),
        ("2024-12", [37, 38]),
    ]


def test_timeline_unit_without_deadlines_is_an_empty_answer(runner: CliRunner) -> None:
    assert timeline_json(runner, "--unit", "市政府办公室") == []
    assert run(runner, "timeline", "--unit", "市政府办公室").stdout.rstrip().endswith("无")


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_timeline_every_format_lists_the_dated_tasks(runner: CliRunner, fmt: str) -> None:
    assert listed_numbers(fmt, run(runner, "timeline", "-f", fmt).stdout) == ALL_DATED


def test_timeline_table_names_the_month_of_every_row(runner: CliRunner) -> None:
    header, rows = table_rows(run(runner, "timeline").stdout)
    assert header[0] == "月份"
    month_cells = [cells[0] for cells in rows if cells[0]]
    assert month_cells == ["2024年5月", "2024年8月"] + ["2024年9月"] * 3 + ["2024年12月"] * 4


def test_timeline_csv_every_row_carries_its_month(runner: CliRunner) -> None:
    rows = csv_rows(run(runner, "timeline", "-f", "csv").stdout)
    assert [(row["月份"], row["任务编号"]) for row in rows] == [
        ("2024年5月", "6"),
        ("2024年8月", "35"),
        ("2024年9月", "17"),
        ("2024年9月", "22"),
        ("2024年9月", "36"),
        ("2024年12月", "18"),
        ("2024年12月", "37"),
        ("2024年12月", "38"),
        ("2024年12月", "39"),
    ]


def test_timeline_unknown_unit_is_bad_usage(runner: CliRunner) -> None:
    assert run(runner, "timeline", "--unit", "公安局", code=2).stderr.startswith("错误：未找到“公安局”，请核对名称")


# --- units -----------------------------------------------------------------------------------------------


def test_units_json_has_every_unit_and_group(runner: CliRunner) -> None:
    division = load_data()
    entries = json.loads(run(runner, "units", "-f", "json").stdout)
    expected = [u.name for u in division.units_file.units] + [g.name for g in division.units_file.groups]
    assert [e["name"] for e in entries] == expected
    assert len(entries) == 25
    assert [e["type"] for e in entries] == ["unit"] * 20 + ["group"] * 5


def test_units_json_counts_for_sifaju(runner: CliRunner) -> None:
    entries = {e["name"]: e for e in json.loads(run(runner, "units", "-f", "json").stdout)}
    assert entries["市司法局"]["counts"] == {"lead": 3, "named": 1, "support": 0, "group": 15, "relevant": 15}
    assert entries["青阳县政府"]["counts"] == {"lead": 0, "named": 0, "support": 0, "group": 44, "relevant": 0}
    assert entries["各县区政府"]["counts"] == {"lead": 0, "named": 44, "support": 0, "group": 0, "relevant": 0}


def test_units_next_deadline_follows_today(runner: CliRunner) -> None:
    entries = {e["name"]: e for e in json.loads(run(runner, "units", "--today", "2024-09-01", "-f", "json").stdout)}
    assert entries["市司法局"]["next_deadline"] == "2024-09-30"
    assert entries["市政府有关部门"]["next_deadline"] == "2024-12-31"
    assert entries["市政府办公室"]["next_deadline"] is None


def test_units_csv_row_for_sifaju(runner: CliRunner) -> None:
    rows = {
        row["单位或统称"]: row for row in csv_rows(run(runner, "units", "--today", "2024-09-01", "-f", "csv").stdout)
    }
    assert rows["市司法局"] == {
        "单位或统称": "市司法局",
        "类型": "部门",
        "牵头": "3",
        "负责": "1",
        "各单位": "15",
        "有关单位": "15",
        "配合": "0",
        "合计": "34",
        "下个截止日期": "2024-09-30",
    }
    assert rows["市政府办公室"]["下个截止日期"] == "—"


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_units_table_and_md_list_every_name(runner: CliRunner, fmt: str) -> None:
    stdout = run(runner, "units", "-f", fmt).stdout
    if fmt == "table":
        names = [cells[0] for cells in table_rows(stdout)[1]]
    else:
        names = [row["单位或统称"] for row in md_rows(stdout)]
    assert len(names) == 25
    assert names[9] == "市司法局"
    assert names[-1] == "管委会"


# --- help, version, entry points -------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = run(runner, command, "--help")
    assert "示例" in result.stdout
    assert f"gongkai {command}" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_docstring_has_an_example(command: str) -> None:
    callbacks = {(info.name or info.callback.__name__): info.callback for info in app.registered_commands}
    doc = callbacks[command].__doc__
    assert doc is not None and "示例" in doc


def test_short_help_option(runner: CliRunner) -> None:
    assert "示例" in run(runner, "due", "-h").stdout


def test_main_help_lists_the_commands_in_order(runner: CliRunner) -> None:
    stdout = run(runner, "--help").stdout
    listed = re.findall(rf"^  ({'|'.join(COMMANDS)}) ", stdout, flags=re.MULTILINE)
    assert listed == COMMANDS


def test_version(runner: CliRunner) -> None:
    assert run(runner, "--version").stdout == f"gongkai {__version__}\n"


def test_python_m_gongkai_cli_help_works() -> None:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "gongkai_cli", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for command in COMMANDS:
        assert command in result.stdout


# --- --data and GONGKAI_DATA -----------------------------------------------------------------------------


def break_task_number(data_dir: Path) -> None:
    tasks = data_dir / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    assert "number: 17\n" in text
    tasks.write_text(text.replace("number: 17\n", "number: x\n"), encoding="utf-8")


def test_data_option_pointing_at_broken_copy_exits_1_and_suggests_check(runner: CliRunner, data_copy: Path) -> None:
    break_task_number(data_copy)
    result = run(runner, "--data", str(data_copy), "due", code=1)
    assert "gongkai check" in result.stderr
    assert "tasks.yaml" in result.stderr
    assert "number" in result.stderr
    assert result.stdout == ""


def test_gongkai_data_env_pointing_at_broken_copy_exits_1(runner: CliRunner, data_copy: Path) -> None:
    break_task_number(data_copy)
    result = run(runner, "scoring", code=1, env={"GONGKAI_DATA": str(data_copy)})
    assert "gongkai check" in result.stderr


def test_gongkai_data_env_pointing_at_a_good_copy_answers(runner: CliRunner, data_copy: Path) -> None:
    result = run(runner, "due", "--before", "2024-05-31", "-f", "json", env={"GONGKAI_DATA": str(data_copy)})
    assert json_numbers(result) == [6]


def test_gongkai_data_env_reads_the_edited_copy(runner: CliRunner, data_copy: Path) -> None:
    units = data_copy / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("aliases: [司法局]", "aliases: [司法局, 法务局]"))
    result = run(runner, "unit", "法务局", "-f", "json", env={"GONGKAI_DATA": str(data_copy)})
    assert json.loads(result.stdout)["unit"]["name"] == "市司法局"
    run(runner, "unit", "法务局", code=2)  # the bundled data knows no such alias


def test_data_option_beats_the_env_var(runner: CliRunner, data_copy: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    result = run(runner, "--data", str(data_copy), "scoring", "-f", "json", env={"GONGKAI_DATA": str(broken)})
    assert len(json.loads(result.stdout)) == 8


@pytest.mark.parametrize("command", [("units",), ("check",), ("due", "--before", "年底")])
def test_data_option_pointing_at_a_missing_folder_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    missing = tmp_path / "nowhere"
    result = run(runner, "--data", str(missing), *command, code=2)
    assert result.stderr == (
        f"错误：--data 指定的目录不存在：{missing}。"
        "数据目录须含 units.yaml，以及 tasks.yaml 或含 tasks.yaml 的子目录（如 2025/tasks.yaml）\n"
    )


def test_gongkai_data_pointing_at_a_missing_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["units"], env={"GONGKAI_DATA": str(tmp_path / "nowhere")})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("错误：环境变量 GONGKAI_DATA 指定的目录不存在")


def test_data_problem_advice_names_the_folder_to_check(runner: CliRunner, data_copy: Path) -> None:
    tasks = data_copy / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("number: 44", "number: 4400"), encoding="utf-8")
    result = run(runner, "--data", str(data_copy), "units", code=1)
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{tasks}:") and "相差过大" in lines[0]
    assert lines[-1] == f"错误：数据有 1 个问题，先运行 gongkai check {data_copy} 查看并改正。"


@pytest.mark.parametrize(
    "args",
    [
        ("due", "--within", "3000000d"),
        ("due", "--within", "99999999999999999999999d"),
        ("due", "--today", "9999-12-31", "--within", "1d"),
        ("unit", "司法", "--overdue", "--today", "0001-01-01"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_answered_not_crashed(runner: CliRunner, args: tuple[str, ...]) -> None:
    run(runner, *args, "-f", "json")


def test_search_does_not_match_across_two_names(runner: CliRunner) -> None:
    # "办市" would only occur where 市政务公开办 meets 市司法局 if the names were run together.
    assert json.loads(run(runner, "search", "办市", "-f", "json").stdout) == []


def test_search_highlights_the_term_as_it_was_matched(runner: CliRunner) -> None:
    from gongkai_cli import query, views
    from gongkai_cli.load import load_data

    division = load_data()
    listing = views.search_listing(division, query.search(division, "解 读"), "解 读")
    assert listing.highlight == ["解读"]
