"""Tables of other offices and years, written in the lean form from realistic rows of their kind.

A provincial department whose units are its 处室, with separate 牵头 and 配合 columns; a city whose county group is
written 各县(市、区)政府 and whose lists end in 等市有关单位; a bureau's flat list of 科室 tasks with no sections and
no printed numbers; and a folder holding two years of the Chizhou table side by side. Each passes check, and
the roles (support included) and dates of several units are asserted exactly.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA
from typer.testing import CliRunner

from gongkai_cli.cli.app import app

PROVINCE_UNITS = """\
units:
  - name: 办公室
    kind: section
  - name: 政策法规处
    kind: section
  - name: 规划发展处
    kind: 科室
  - name: 信息中心
    kind: institution
groups:
  - name: 各处室
    coverage: all
    member_kinds: [section]
"""
PROVINCE_TASKS = """\
document:
  title: 省某厅2025年政务公开工作任务分工
  year: 2025
  issuer: 省某厅办公室
sections:
  - numeral: 一
    title: 加强政策发布解读
    tasks:
      - number: 1
        requirement: 做好厅发规范性文件的集中发布，文件印发后20个工作日内公开。
        lead_text: 政策法规处
        support_text: 办公室、信息中心
        time_limit: 及时
      - number: 2
        requirement: 每季度更新政策问答库。
        lead_text: 办公室
        support_text: 各处室
        time_limit: 每季度末
  - numeral: 二
    title: 夯实公开平台
    tasks:
      - number: 3
        requirement: 完成门户网站适老化改造。
        responsibility: 信息中心牵头，办公室配合
        time_limit: 9月下旬
      - number: 4
        requirement: 编制年度规划执行情况报告并公开。
        responsibility: 规划发展处负责
        time_limit: 2026年3月底前
"""

CITY_UNITS = """\
units:
  - name: 市政府办公室
    kind: office
  - name: 市发展改革委
    kind: department
  - name: 市财政局
    kind: department
  - name: 市税务局
    kind: department
  - name: 甲县政府
    kind: county
  - name: 乙市政府
    kind: county
groups:
  - name: 各县(市、区)政府
    coverage: all
    members: [甲县政府, 乙市政府]
    variants:
      - text: 各县（市、区）政府
        note: 全角括号的写法，同一群体（解读）。
  - name: 市有关单位
    coverage: relevant
    member_kinds: [department]
    open_ended: true
"""
CITY_TASKS = """\
document:
  title: 某市2025年政务公开重点任务清单
  year: 2025
sections:
  - numeral: 一
    title: 优化营商环境信息公开
    subsections:
      - numeral: 一
        title: 涉企政策公开
        tasks:
          - number: 1
            requirement: 集中公开惠企政策清单，做好免申即享政策的兑现公开。
            responsibility: 市发展改革委牵头，市财政局、市税务局等市有关单位配合，各县(市、区)政府负责落实
            time_limit: 6月上旬
          - number: 2
            requirement: 公开年度财政预决算信息。
            responsibility: 市财政局，各县（市、区）政府负责落实
            time_limit: 年中
  - numeral: 二
    title: 强化政务公开保障
    subsections:
      - numeral: 一
        title: 培训
        tasks:
          - number: 3
            requirement: 组织全市政务公开业务培训。
            responsibility: 市政府办公室
            time_limit: 2025年11月中旬
"""

BUREAU_UNITS = """\
units:
  - name: 办公室
    kind: office
  - name: 法规科
    kind: 科室
  - name: 财务科
    kind: 科室
"""
BUREAU_TASKS = """\
document:
  title: 某局2025年政务公开任务清单
  year: 2025
tasks:
  - requirement: 每月更新局网站法定主动公开栏目。
    responsibility: 办公室、法规科按职责分工负责
    time_limit: 每月
  - requirement: 公开部门预算和决算。
    responsibility: 财务科负责，办公室协助
    time_limit: 年底前
  - requirement: 依申请公开件及时办理答复。
    responsibility: 法规科
    time_limit: 及时
"""


def folder(tmp_path: Path, name: str, units: str, tasks: str) -> Path:
    target = tmp_path / name
    target.mkdir()
    (target / "units.yaml").write_text(units, encoding="utf-8")
    (target / "tasks.yaml").write_text(tasks, encoding="utf-8")
    return target


def run(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def answer(runner: CliRunner, *args: str) -> Any:
    return json.loads(run(runner, *args, "-f", "json").stdout)


def roles(payload: dict[str, Any]) -> list[tuple[int, str, str | None]]:
    return [(task["number"], task["role"], task["via"]) for task in payload["tasks"]]


@pytest.fixture
def province(tmp_path: Path) -> Path:
    return folder(tmp_path, "province", PROVINCE_UNITS, PROVINCE_TASKS)


@pytest.fixture
def city(tmp_path: Path) -> Path:
    return folder(tmp_path, "city", CITY_UNITS, CITY_TASKS)


@pytest.fixture
def bureau(tmp_path: Path) -> Path:
    return folder(tmp_path, "bureau", BUREAU_UNITS, BUREAU_TASKS)


@pytest.mark.parametrize("name", ["province", "city", "bureau"])
def test_each_table_passes_check(runner: CliRunner, request: pytest.FixtureRequest, name: str) -> None:
    data = request.getfixturevalue(name)
    result = run(runner, "check", str(data))
    assert "未发现问题" in result.stderr
    assert "提醒" not in result.stderr


# --- a provincial department: 处室, separate lead and support columns ----------------------------------------


def test_province_office_leads_one_task_and_supports_two(runner: CliRunner, province: Path) -> None:
    payload = answer(runner, "--data", str(province), "unit", "办公室")
    assert payload["unit"]["counts"] == {"lead": 1, "named": 0, "support": 2, "group": 0, "relevant": 0}
    assert roles(payload) == [(2, "lead", None), (1, "support", None), (3, "support", None)]


def test_province_section_supports_through_the_group_of_all_sections(runner: CliRunner, province: Path) -> None:
    payload = answer(runner, "--data", str(province), "unit", "规划发展处")
    assert roles(payload) == [(4, "named", None), (2, "group", "各处室")]
    assert payload["unit"]["kind"] == "section"  # written 科室, the label the tool prints


def test_province_time_limits(runner: CliRunner, province: Path) -> None:
    tasks = {t["number"]: t["time_limit"] for t in answer(runner, "--data", str(province), "due", "--include-ongoing")}
    assert tasks[1] == {
        "text": "及时",
        "kind": "prompt",
        "due": None,
        "start": None,
        "occurrences": [],
        "lag": None,
        "lag_unit": None,
        "note": None,
    }
    assert tasks[2]["kind"] == "recurring"
    assert tasks[2]["occurrences"] == ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]
    assert tasks[3]["due"] == "2025-09-30"
    assert tasks[4]["due"] == "2026-03-31"  # the text names its year


def test_province_recurring_limit_in_due_within_and_timeline(runner: CliRunner, province: Path) -> None:
    base = ("--data", str(province))
    assert [t["number"] for t in answer(runner, *base, "due", "--within", "30d", "--today", "2025-06-10")] == [2]
    assert [t["number"] for t in answer(runner, *base, "due", "--after", "2025-07-01", "--before", "9月底")] == [2, 3]
    months = answer(runner, *base, "timeline")
    assert [(m["month"], [t["number"] for t in m["tasks"]]) for m in months] == [
        ("2025-03", [2]),
        ("2025-06", [2]),
        ("2025-09", [2, 3]),
        ("2025-12", [2]),
        ("2026-03", [4]),
    ]
    unit = answer(runner, *base, "unit", "办公室", "--today", "2025-07-01")
    assert unit["unit"]["next_deadline"] == "2025-09-30"


# --- a city: 各县(市、区)政府 and 等市有关单位 ---------------------------------------------------------------


def test_city_county_group_in_brackets_is_one_group(runner: CliRunner, city: Path) -> None:
    payload = answer(runner, "--data", str(city), "unit", "甲县政府")
    assert roles(payload) == [(1, "group", "各县(市、区)政府"), (2, "group", "各县(市、区)政府")]


def test_city_lead_support_and_open_ended_group(runner: CliRunner, city: Path) -> None:
    task = answer(runner, "--data", str(city), "show", "1")
    assert task["leads"] == ["市发展改革委"]
    assert task["supports"] == ["市财政局", "市税务局", "市有关单位"]
    assert task["implementers"] == ["各县(市、区)政府"]
    assert task["time_limit"]["due"] == "2025-06-10"
    assert roles(answer(runner, "--data", str(city), "unit", "市税务局")) == [(1, "support", None)]
    assert roles(answer(runner, "--data", str(city), "unit", "市财政局")) == [(2, "named", None), (1, "support", None)]


def test_city_parts_of_the_year(runner: CliRunner, city: Path) -> None:
    dates = {t["number"]: t["time_limit"]["due"] for t in answer(runner, "--data", str(city), "due")}
    assert dates == {1: "2025-06-10", 2: "2025-06-30", 3: "2025-11-20"}


# --- a bureau: a flat list of 科室 tasks, no sections, no printed numbers -----------------------------------


def test_bureau_flat_table_is_numbered_by_position(runner: CliRunner, bureau: Path) -> None:
    tasks = answer(runner, "--data", str(bureau), "due", "--include-ongoing")
    assert [(t["number"], t["section"], t["subsection"]) for t in tasks] == [
        (1, None, None),
        (2, None, None),
        (3, None, None),
    ]


def test_bureau_roles(runner: CliRunner, bureau: Path) -> None:
    office = answer(runner, "--data", str(bureau), "unit", "办公室")
    assert roles(office) == [(1, "named", None), (2, "support", None)]
    assert office["unit"]["kind"] == "office"
    assert roles(answer(runner, "--data", str(bureau), "unit", "法规科")) == [(1, "named", None), (3, "named", None)]
    monthly = answer(runner, "--data", str(bureau), "show", "1")["time_limit"]
    assert len(monthly["occurrences"]) == 12 and monthly["occurrences"][1] == "2025-02-28"


def test_bureau_table_has_no_sections_to_list(runner: CliRunner, bureau: Path) -> None:
    result = run(runner, "--data", str(bureau), "section", "1", code=2)
    assert result.stderr == "错误：本表不分部分，请用 gongkai due 或 gongkai search 查找任务。\n"


# --- two years side by side ----------------------------------------------------------------------------------

ROLLED_OVER = """\
document:
  title: 池州市2025年政务公开重点任务分工
  year: 2025
tasks:
  - number: 1
    requirement: 建立政策解读沟通机制。
    responsibility: 市政务公开办、市司法局牵头，市政府各部门，各县区政府、管委会负责落实
    time_limit: 5月底前
  - number: 2
    requirement: 完成数据开放平台建设。
    responsibility: 市大数据局牵头，市政府有关部门配合
    time_limit: 每半年
"""
ADDITIONS = """\
units:
  - name: 市大数据局
    kind: department
"""


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "2024").mkdir(parents=True)
    (data / "2025").mkdir()
    shutil.copy(DATA / "units.yaml", data / "units.yaml")
    shutil.copy(DATA / "tasks.yaml", data / "2024" / "tasks.yaml")
    (data / "2025" / "tasks.yaml").write_text(ROLLED_OVER, encoding="utf-8")
    (data / "2025" / "units.yaml").write_text(ADDITIONS, encoding="utf-8")
    return data


def test_two_years_check_covers_both_tables(runner: CliRunner, two_years: Path) -> None:
    result = run(runner, "check", str(two_years))
    assert f"✓ {two_years} 表 2024：44 项任务、20 个单位、5 个统称，未发现问题。" in result.stderr
    assert f"✓ {two_years} 表 2025：2 项任务、21 个单位、5 个统称，未发现问题。" in result.stderr


def test_two_years_the_latest_is_the_default_and_year_picks_one(runner: CliRunner, two_years: Path) -> None:
    base = ("--data", str(two_years))
    assert roles(answer(runner, *base, "unit", "市司法局")) == [(1, "lead", None), (2, "relevant", "市政府有关部门")]
    assert len(answer(runner, *base, "--year", "2024", "unit", "市司法局")["tasks"]) == 34
    assert [t["number"] for t in answer(runner, *base, "--table", "2025", "due")] == [1, 2]
    listing = answer(runner, *base, "tables")
    assert [(t["id"], t["year"], t["tasks"], t["default"]) for t in listing] == [
        ("2024", 2024, 44, False),
        ("2025", 2025, 2, True),
    ]


def test_two_years_unknown_year_is_a_usage_error(runner: CliRunner, two_years: Path) -> None:
    result = run(runner, "--data", str(two_years), "--year", "2023", "due", code=2)
    assert "没有 2023 年的表，可用的表：2024、2025。" in result.stderr


def test_two_years_table_answer_names_its_table(runner: CliRunner, two_years: Path) -> None:
    stdout = run(runner, "--data", str(two_years), "due").stdout
    assert stdout.startswith("《池州市2025年政务公开重点任务分工》")


# --- starting and growing a table ----------------------------------------------------------------------------


def test_init_writes_a_skeleton_that_passes_check(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "2026"
    result = run(runner, "init", str(target), "--title", "某市2026年政务公开重点任务分工", "--year", "2026")
    assert result.stderr.splitlines()[:2] == [f"已写出 {target / 'tasks.yaml'}", f"已写出 {target / 'units.yaml'}"]
    assert "未发现问题" in run(runner, "check", str(target)).stderr
    task = answer(runner, "--data", str(target), "show", "1")
    assert (task["leads"], task["implementers"], task["time_limit"]["due"]) == (
        ["示例单位"],
        ["各示例单位"],
        "2026-12-31",
    )
    refused = run(runner, "init", str(target), code=2)
    assert refused.stderr == f"错误：{target} 中已有 tasks.yaml、units.yaml；如确要覆盖，请加 --force\n"
    run(runner, "init", str(target), "--force")


def test_a_name_missing_from_the_roster_gets_a_ready_to_paste_entry(runner: CliRunner, city: Path) -> None:
    tasks = city / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("市政府办公室\n", "市府办〔市大数据局〕\n"), "utf-8")
    result = run(runner, "check", str(city), code=1)
    assert "责任单位文字中的“市府办〔市大数据局〕”不是 units.yaml 中的名称或写法" in result.stdout
    assert "  - name: 市府办\n    kind: office\n    aliases: [市大数据局]\n    review: true\n" in result.stderr
    # Pasted as suggested (under the alias it stands for), the table loads, with the entry as a reminder.
    units = city / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace(
            "groups:", "  - name: 市府办\n    kind: office\n    review: true\ngroups:"
        ),
        "utf-8",
    )
    checked = run(runner, "check", str(city))
    assert "提醒：" in checked.stderr and "“市府办”是按猜测写入的条目" in checked.stderr
    assert run(runner, "check", "--strict", str(city), code=1).stdout.count("review") == 1
    assert roles(answer(runner, "--data", str(city), "unit", "市府办")) == [(3, "named", None)]


def test_an_ambiguous_time_limit_needs_a_recorded_reading(runner: CliRunner, bureau: Path) -> None:
    tasks = bureau / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("time_limit: 年底前", "time_limit: 四季度前"), "utf-8")
    result = run(runner, "check", str(bureau), code=1)
    assert (
        "“四季度前”有两种读法：截止日期 2025-09-30（四季度开始前）或截止日期 2025-12-31（四季度结束前）"
        in result.stdout
    )
    reading = "time_limit: {text: 四季度前, kind: deadline, due: 2025-12-31, override: true, note: 按四季度结束前理解（解读）。}"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("time_limit: 四季度前", reading), "utf-8")
    run(runner, "check", str(bureau))
    assert answer(runner, "--data", str(bureau), "show", "2")["time_limit"]["due"] == "2025-12-31"


def test_bureau_flat_table_recurring_limit_end_to_end(runner: CliRunner, bureau: Path) -> None:
    base = ("--data", str(bureau))
    within = answer(runner, *base, "due", "--within", "10d", "--today", "2025-04-25")
    assert [(t["number"], t["time_limit"]["kind"]) for t in within] == [(1, "recurring")]
    assert [t["number"] for t in answer(runner, *base, "due", "--after", "2025-12-01")] == [1, 2]
    months = answer(runner, *base, "timeline")
    assert [m["month"] for m in months] == [f"2025-{month:02d}" for month in range(1, 13)]
    assert [t["number"] for t in months[-1]["tasks"]] == [1, 2]
    office = answer(runner, *base, "unit", "办公室", "--today", "2025-04-25")
    assert office["unit"]["next_deadline"] == "2025-04-30"
    table = run(runner, *base, "due", "--before", "2025-02-28", "--today", "2025-01-01").stdout
    assert "│ 1        │ 01-31、" in table and "12-31" in table  # every occurrence of a recurring limit is shown


# --- a county: its kinds are 县直部门, 县直事业单位 and 乡镇 ------------------------------------------------------


@pytest.fixture
def county(tmp_path: Path) -> Path:
    target = tmp_path / "county"
    shutil.copytree(Path(__file__).parent / "data" / "county", target)
    return target


def test_county_passes_check(runner: CliRunner, county: Path) -> None:
    result = run(runner, "check", str(county))
    assert "4 项任务、7 个单位、2 个统称，未发现问题" in result.stderr


def test_county_kinds_are_its_own(runner: CliRunner, county: Path) -> None:
    entries = answer(runner, "--data", str(county), "units")
    listing = {u["name"]: u["kind"] for u in entries if u["type"] == "unit"}
    assert listing["城关镇"] == listing["河口乡"] == "township"
    assert listing["县司法局"] == listing["县财政局"] == "department"
    assert listing["县融媒体中心"] == "institution"
    text = run(runner, "--data", str(county), "unit", "城关镇", "--today", "2025-05-01").stdout
    assert "城关镇（城关镇人民政府，乡镇）" in text
    table = run(runner, "--data", str(county), "units").stdout
    assert "县直部门" in table and "县直事业单位" in table


def test_county_townships_owe_through_the_group(runner: CliRunner, county: Path) -> None:
    assert roles(answer(runner, "--data", str(county), "unit", "城关镇")) == [
        (4, "named", None),
        (2, "group", "各乡镇人民政府"),
    ]
    assert roles(answer(runner, "--data", str(county), "unit", "河口乡")) == [(2, "group", "各乡镇人民政府")]
    assert roles(answer(runner, "--data", str(county), "unit", "县财政局")) == [
        (4, "support", None),
        (1, "relevant", "县直各有关部门"),
    ]
    assert roles(answer(runner, "--data", str(county), "unit", "县政府办公室")) == [
        (1, "lead", None),
        (3, "support", None),
        (4, "support", None),
    ]


def test_county_period_is_stated_in_its_document(county: Path) -> None:
    from gongkai_cli.load import errors_in, inspect_data
    from gongkai_cli.models import plan_period

    files = (county / "units.yaml", county / "tasks.yaml")
    division, problems = inspect_data(files, {p: p.read_bytes() for p in files})
    assert errors_in(problems) == [] and division is not None
    assert plan_period(division.document) == (datetime.date(2025, 1, 1), datetime.date(2026, 1, 31))


def test_county_cache_keeps_the_period_and_the_kinds_endings(county: Path) -> None:
    from gongkai_cli.cache import from_payload, to_payload
    from gongkai_cli.load import inspect_data

    files = (county / "units.yaml", county / "tasks.yaml")
    division, _ = inspect_data(files, {p: p.read_bytes() for p in files})
    assert division is not None
    again = from_payload(to_payload(division))
    assert again.document == division.document
    assert again.units_file.kinds == division.units_file.kinds
    assert again.units_file.kinds[2].endings == ("镇", "乡", "镇人民政府", "乡人民政府")


def test_county_period_that_ends_before_it_starts_is_refused(runner: CliRunner, county: Path) -> None:
    tasks = county / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("period_end: 2026-01-31", "period_end: 2024-12-31"))
    result = run(runner, "check", str(county), code=1)
    assert "tasks.yaml:6:" in result.stdout
    assert "表的期间自 2025-01-01 至 2024-12-31：开始晚于结束" in result.stdout


def test_county_check_guesses_a_new_name_s_kind_from_the_roster(runner: CliRunner, county: Path) -> None:
    tasks = county / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("县数据资源局、县融媒体中心配合", "县数据资源局、县档案馆、李村镇配合"), "utf-8")
    result = run(runner, "check", str(county), code=1)
    assert "  - name: 县档案馆\n    kind: institution\n    review: true\n" in result.stderr
    assert "  - name: 李村镇\n    kind: township\n    review: true\n" in result.stderr


def test_county_progress_follows_the_period_its_table_states(runner: CliRunner, county: Path) -> None:
    # The county's table runs to 31 January of the next year, not the default 31 March: a report dated in
    # February is outside it, one in January inside.
    base = ("--data", str(county), "report", "1", "--unit", "县政府办公室", "--status", "已完成")
    refused = run(runner, *base, "--date", "2026-02-15", "--today", "2026-02-20", code=2)
    assert "不在这张表的年度内（2025-01-01 至 2026-01-31）" in refused.stderr
    run(runner, *base, "--date", "2026-01-20", "--today", "2026-02-20")
