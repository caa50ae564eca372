"""Progress records: reading and checking them, appending one, and the status computed from them."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import DATA
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from gongkai_cli import progress as P
from gongkai_cli.cli.app import app
from gongkai_cli.io import write
from gongkai_cli.load import load_data
from gongkai_cli.models import Division, Task
from gongkai_cli.query import due_dates, next_deadline

TODAY = date(2024, 10, 15)


@pytest.fixture
def table(tmp_path: Path) -> tuple[Division, Path]:
    """The bundled table copied to a tmp folder, and its (empty) progress folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    (target / "progress").mkdir()
    return load_data(target, use_cache=False), target / "progress"


LEAN_UNITS = """\
units:
  - name: 市甲局
    kind: department
  - name: 市乙局
    kind: department
  - name: 市丙局
    kind: department
groups:
  - name: 市政府有关部门
    coverage: relevant
    member_kinds: [department]
"""

LEAN_TASKS = """\
document:
  title: 某市2024年政务公开重点任务分工
  year: 2024
tasks:
  - number: 1
    requirement: 每季度公开一次重点项目进展。
    responsibility: 市甲局负责
    time_limit: 每季度
  - number: 2
    requirement: 及时更新政策解读。
    responsibility: 市甲局、市乙局负责
    time_limit: 及时更新
  - number: 3
    requirement: 持续推进公开平台建设。
    responsibility: 市甲局牵头，市政府有关部门负责落实
    time_limit: 持续推进
  - number: 4
    requirement: 8月底前完成目录编制。
    responsibility: 市甲局负责
    time_limit: 8月底前
"""


@pytest.fixture
def lean_folder(tmp_path: Path) -> Path:
    """A small table (a quarterly task 1, 及时 2, 持续推进 3, a deadline 4) as a data folder with a progress folder."""
    folder = tmp_path / "lean"
    folder.mkdir()
    (folder / "units.yaml").write_text(LEAN_UNITS, encoding="utf-8")
    (folder / "tasks.yaml").write_text(LEAN_TASKS, encoding="utf-8")
    (folder / "progress").mkdir()
    return folder


@pytest.fixture
def lean(lean_folder: Path) -> Division:
    """The small table, loaded."""
    return load_data(lean_folder, use_cache=False)


def task(division: Division, number: int) -> Task:
    return next(t for t in division.tasks if t.number == number)


def record(unit: str, number: int, day: date, status: P.Status, period: str | None = None) -> P.ProgressRecord:
    return P.ProgressRecord(unit, number, "000000", day, status, "进展", period=period)


# --- the format ---------------------------------------------------------------------------------------------


def test_fingerprint_is_blake2b_of_the_requirement_without_whitespace(table: tuple[Division, Path]) -> None:
    import hashlib

    division, _ = table
    twelve = task(division, 12)
    expected = hashlib.blake2b("".join(twelve.requirement.split()).encode()).hexdigest()[:6]
    assert P.fingerprint(twelve) == expected
    assert P.fingerprint(twelve._replace(requirement=" \n".join(twelve.requirement))) == expected
    assert len(set(map(P.fingerprint, division.tasks))) == len(division.tasks)


def test_statuses_map_chinese_labels_and_json_keys() -> None:
    assert P.STATUSES == {"not_started": "未开始", "on_track": "按序时推进", "done": "已完成", "behind": "未达预期"}
    assert P.STATUS_KEYS["已完成"] == "done"
    assert P.STATUS_KEYS["done"] == "done"


def test_period_bounds() -> None:
    assert P.period_bounds("2024-Q2") == (date(2024, 4, 1), date(2024, 6, 30))
    assert P.period_bounds("2024-H2") == (date(2024, 7, 1), date(2024, 12, 31))
    assert P.period_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert P.period_bounds("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert P.period_bounds("2024-Q5") is None


# --- reading and checking -----------------------------------------------------------------------------------


def good_file(division: Division, unit: str = "市司法局", number: int = 12, **fields: str) -> str:
    """A one-record progress file; `fields` replace (or, when new, follow) the record's lines."""
    values = {
        "task": str(number),
        "fingerprint": P.fingerprint(task(division, number)),
        "date": "2024-06-30",
        "status": "按序时推进",
        "progress": "已制定公众参与工作规程，正在征求意见。",
    }
    values.update(fields)
    lines = [f"unit: {unit}", "records:"]
    for i, (key, value) in enumerate(values.items()):
        lines.append(f"  {'- ' if i == 0 else '  '}{key}: {value}")
    return "\n".join(lines) + "\n"


def read(division: Division, folder: Path) -> tuple[list[P.ProgressRecord], list[tuple[str, int | None, str, str]]]:
    records, problems = P.read_progress(folder, division, today=TODAY)
    return records, [(p.path.name, p.line, p.code, p.message) for p in problems]


def test_a_good_file_reads_with_its_position(table: tuple[Division, Path]) -> None:
    division, folder = table
    (folder / "市司法局.yaml").write_text(
        good_file(division, evidence="[https://www.example.gov.cn/1.html, 佐证/1.pdf]")
    )
    records, problems = read(division, folder)
    assert problems == []
    assert records == [
        P.ProgressRecord(
            "市司法局",
            12,
            P.fingerprint(task(division, 12)),
            date(2024, 6, 30),
            "on_track",
            "已制定公众参与工作规程，正在征求意见。",
            ("https://www.example.gov.cn/1.html", "佐证/1.pdf"),
            None,
            None,
            folder / "市司法局.yaml",
            3,
        )
    ]


def test_json_status_keys_are_read_and_fingerprints_are_the_text_as_written(table: tuple[Division, Path]) -> None:
    division, folder = table
    (folder / "市司法局.yaml").write_text(good_file(division, status="done"), encoding="utf-8")
    records, problems = read(division, folder)
    assert problems == []
    assert records[0].status == "done"
    # YAML reads 012345 as the octal number 5349: the fingerprint is still the text written.
    (folder / "市司法局.yaml").write_text(good_file(division, fingerprint="012345"), encoding="utf-8")
    _, problems = read(division, folder)
    assert "指纹 012345 与现在的要求" in problems[0][3]


def test_a_missing_folder_holds_no_records(table: tuple[Division, Path]) -> None:
    division, folder = table
    assert P.read_progress(folder / "nowhere", division, today=TODAY) == ([], [])


BAD_RECORDS = [
    # (what is wrong, file name, unit, record fields, expected line, code, message fragment)
    (
        "no such task",
        "市司法局.yaml",
        "市司法局",
        {"task": "99"},
        3,
        "progress-task",
        "表中没有第 99 项任务，任务编号为 1～44",
    ),
    (
        "unit does not owe the task",
        "市司法局.yaml",
        "市司法局",
        {"task": "14", "fingerprint": "@14"},
        3,
        "progress-owe",
        "市司法局不承担任务 14",
    ),
    ("unit not in roster", "市公安局.yaml", "市公安局", {}, 1, "progress-unit", "单位“市公安局”不在名册中"),
    ("group as unit", "各县区政府.yaml", "各县区政府", {}, 1, "progress-unit", "“各县区政府”是统称，不是单位"),
    (
        "bad status",
        "市司法局.yaml",
        "市司法局",
        {"status": "进行中"},
        6,
        "progress-status",
        "“status”的取值“进行中”无效，应为 未开始、按序时推进、已完成、未达预期 之一",
    ),
    (
        "date before the plan year",
        "市司法局.yaml",
        "市司法局",
        {"date": "2023-12-31"},
        5,
        "progress-date",
        "日期 2023-12-31 不在这张表的年度内（2024-01-01 至 2025-03-31）",
    ),
    (
        "date after the next March",
        "市司法局.yaml",
        "市司法局",
        {"date": "2025-04-01"},
        5,
        "progress-date",
        "不在这张表的年度内",
    ),
    (
        "date after today",
        "市司法局.yaml",
        "市司法局",
        {"date": "2024-10-16"},
        5,
        "progress-date",
        "晚于今天（2024-10-15）",
    ),
    ("impossible date", "市司法局.yaml", "市司法局", {"date": "2024-02-30"}, 5, "progress-date", "应为日期"),
    (
        "evidence not a URL",
        "市司法局.yaml",
        "市司法局",
        {"evidence": "[ftp://example.gov.cn/a]"},
        8,
        "progress-evidence",
        "佐证“ftp://example.gov.cn/a”不是有效的",
    ),
    (
        "evidence leaving the folder",
        "市司法局.yaml",
        "市司法局",
        {"evidence": "[../secret.pdf]"},
        8,
        "progress-evidence",
        "相对文件路径",
    ),
    (
        "evidence URL without host",
        "市司法局.yaml",
        "市司法局",
        {"evidence": "['https:///a']"},
        8,
        "progress-evidence",
        "不是有效的",
    ),
    ("file name mismatch", "司法.yaml", "市司法局", {}, 1, "progress-filename", "请把文件改名为“市司法局.yaml”"),
    ("unknown field", "市司法局.yaml", "市司法局", {"remark": "备注"}, 8, "progress-field", "未知字段“remark”"),
    ("bad period", "市司法局.yaml", "市司法局", {"period": "2024-Q5"}, 8, "progress-period", "周期“2024-Q5”无效"),
    (
        "bad fingerprint form",
        "市司法局.yaml",
        "市司法局",
        {"fingerprint": "xyz"},
        4,
        "progress-fingerprint",
        "6 位十六进制",
    ),
]


@pytest.mark.parametrize(
    ("name", "unit", "fields", "line", "code", "fragment"),
    [case[1:] for case in BAD_RECORDS],
    ids=[case[0] for case in BAD_RECORDS],
)
def test_bad_records_are_located(
    table: tuple[Division, Path], name: str, unit: str, fields: dict[str, str], line: int, code: str, fragment: str
) -> None:
    division, folder = table
    fields = dict(fields)
    number = int(fields.pop("task", "12"))
    if fields.get("fingerprint", "").startswith("@"):
        fields["fingerprint"] = P.fingerprint(task(division, int(fields["fingerprint"][1:])))
    if number in division.placements:
        text = good_file(division, unit, number, **fields)
    else:
        text = good_file(division, unit, **fields).replace("- task: 12", f"- task: {number}")
    (folder / name).write_text(text, encoding="utf-8")
    records, problems = read(division, folder)
    assert records == []
    assert [(n, ln, c) for n, ln, c, _ in problems] == [(name, line, code)]
    assert fragment in problems[0][3]


def test_changed_requirement_offers_the_task_whose_fingerprint_matches(table: tuple[Division, Path]) -> None:
    division, folder = table
    text = good_file(division, fingerprint=P.fingerprint(task(division, 13)))
    (folder / "市司法局.yaml").write_text(text, encoding="utf-8")
    _, problems = read(division, folder)
    assert problems == [
        (
            "市司法局.yaml",
            4,
            "progress-fingerprint",
            "任务 12 的要求已改动；指纹与任务 13 一致，是否应改为 task: 13？"
            "任务改号后，可运行 gongkai repoint 旧版本（如 HEAD~1）按 diff 的对应关系改写 task 和指纹",
        )
    ]


def test_changed_requirement_without_a_match_names_the_new_fingerprint(table: tuple[Division, Path]) -> None:
    division, folder = table
    (folder / "市司法局.yaml").write_text(good_file(division, fingerprint="abcdef"), encoding="utf-8")
    _, problems = read(division, folder)
    assert [(n, ln, c) for n, ln, c, _ in problems] == [("市司法局.yaml", 4, "progress-fingerprint")]
    assert f"与现在的要求（{P.fingerprint(task(division, 12))}）不符" in problems[0][3]


def test_duplicate_record_points_at_the_first(table: tuple[Division, Path]) -> None:
    division, folder = table
    text = good_file(division)
    second = text.split("records:\n", 1)[1]
    (folder / "市司法局.yaml").write_text(text + second, encoding="utf-8")
    records, problems = read(division, folder)
    assert len(records) == 1
    assert problems == [
        (
            "市司法局.yaml",
            8,
            "progress-duplicate",
            "重复记录：与 市司法局.yaml:3 的内容完全相同（任务、单位、日期、状态、周期、进展、佐证和报送人）；请删除其一",
        )
    ]


def test_catch_up_reports_for_two_periods_on_one_day_are_not_duplicates(table: tuple[Division, Path]) -> None:
    division, folder = table
    text = good_file(division, date="2024-07-10", period="2024-Q2")
    second = good_file(division, date="2024-07-10", period="2024-Q3").split("records:\n", 1)[1]
    (folder / "市司法局.yaml").write_text(text + second, encoding="utf-8")
    records, problems = read(division, folder)
    assert problems == [] and [r.period for r in records] == ["2024-Q2", "2024-Q3"]


def test_a_period_that_starts_after_the_record_is_refused(table: tuple[Division, Path]) -> None:
    division, folder = table
    (folder / "市司法局.yaml").write_text(good_file(division, date="2024-06-01", period="2024-Q4"), encoding="utf-8")
    records, problems = read(division, folder)
    assert records == []
    assert problems == [
        (
            "市司法局.yaml",
            8,
            "progress-period",
            "周期“2024-Q4”自 2024-10-01 开始，晚于记录日期 2024-06-01；不能提前报送",
        )
    ]


def test_a_date_with_a_time_is_refused_even_with_a_period(table: tuple[Division, Path]) -> None:
    division, folder = table
    text = good_file(division, date="2024-06-30 10:00:00", period="2024-Q2")
    (folder / "市司法局.yaml").write_text(text, encoding="utf-8")
    records, problems = read(division, folder)
    assert records == [] and problems == [("市司法局.yaml", 5, "progress-date", "“date”应为日期，写作 2024-09-30")]


def test_unknown_top_level_field_is_located_at_its_key(table: tuple[Division, Path]) -> None:
    division, folder = table
    (folder / "市司法局.yaml").write_text("owner: 张三\n" + good_file(division), encoding="utf-8")
    records, problems = read(division, folder)
    assert len(records) == 1
    assert problems == [("市司法局.yaml", 1, "progress-field", "未知字段“owner”，可用字段为 unit、records")]


def test_a_member_of_a_relevant_group_may_report(table: tuple[Division, Path]) -> None:
    division, folder = table
    # Task 1 names 市政府有关部门 (relevant): 市司法局, a department, owes it once it reports.
    (folder / "市司法局.yaml").write_text(good_file(division, number=1), encoding="utf-8")
    records, problems = read(division, folder)
    assert problems == []
    assert [r.task for r in records] == [1]


def test_yaml_problems_are_reported_like_data_files(table: tuple[Division, Path]) -> None:
    division, folder = table
    (folder / "市司法局.yaml").write_text("unit: 市司法局\nrecords:\n  - task: 12\n\tdate: x\n", encoding="utf-8")
    (folder / "市政务公开办.yaml").write_text("unit: 市政务公开办\u202e\nrecords: []\n", encoding="utf-8")
    records, problems = read(division, folder)
    assert records == []
    assert [(n, ln, c) for n, ln, c, _ in problems] == [
        ("市司法局.yaml", 4, "yaml"),
        ("市政务公开办.yaml", 1, "unsafe-character"),
    ]


def test_other_files_are_ignored_and_a_fifo_is_refused(table: tuple[Division, Path]) -> None:
    division, folder = table
    (folder / "README.md").write_text("说明", encoding="utf-8")
    (folder / ".市司法局.yaml.abc.tmp").write_text("garbage", encoding="utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "管道.yaml")
    records, problems = read(division, folder)
    assert records == []
    if hasattr(os, "mkfifo"):
        assert [(n, c) for n, _, c, _ in problems] == [("管道.yaml", "file")]


# --- appending ----------------------------------------------------------------------------------------------


def append(division: Division, folder: Path, **fields: object) -> Path:
    values: dict[str, object] = {
        "unit": "市司法局",
        "task": 12,
        "date": date(2024, 6, 30),
        "status": "按序时推进",
        "progress": "已制定规程。",
        "today": TODAY,
    }
    values.update(fields)
    return P.append_record(folder, division, **values)  # type: ignore[arg-type]


def test_append_creates_a_file_that_reads_back(table: tuple[Division, Path]) -> None:
    division, folder = table
    path = append(
        division, folder, evidence=["https://www.example.gov.cn/1.html"], reported_by="张三", period="2024-Q2"
    )
    assert path == folder / "市司法局.yaml"
    assert path.read_text(encoding="utf-8").startswith("# 市司法局的政务公开重点任务进展记录")
    records, problems = read(division, folder)
    assert problems == []
    assert [(r.unit, r.task, r.status, r.evidence, r.reported_by, r.period) for r in records] == [
        ("市司法局", 12, "on_track", ("https://www.example.gov.cn/1.html",), "张三", "2024-Q2")
    ]


def test_append_keeps_comments_and_order(table: tuple[Division, Path]) -> None:
    division, folder = table
    existing = (
        "# 我们自己的说明\nunit: 市司法局  # 单位\nrecords:\n" + good_file(division, number=13).split("records:\n")[1]
    )
    existing += "    # 这条是补报的\n"
    path = folder / "市司法局.yaml"
    path.write_text(existing, encoding="utf-8")
    append(division, folder, unit="司法局", status="已完成")  # an alias finds the unit's file
    text = path.read_text(encoding="utf-8")
    assert text.startswith(existing)
    assert "  - task: 12\n" in text[len(existing) :]
    records, problems = read(division, folder)
    assert problems == []
    assert [(r.task, r.status, r.line) for r in records] == [(13, "on_track", 4), (12, "done", 10)]
    assert sorted(p.name for p in folder.iterdir()) == ["市司法局.yaml"]


def test_append_follows_the_files_indentation(table: tuple[Division, Path]) -> None:
    division, folder = table
    flush = good_file(division, number=13).replace("\n  ", "\n")
    (folder / "市司法局.yaml").write_text(flush, encoding="utf-8")
    append(division, folder)
    records, problems = read(division, folder)
    assert problems == []
    assert [r.task for r in records] == [13, 12]


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"status": "进行中"}, "“status”的取值“进行中”无效"),
        ({"date": date(2024, 10, 16)}, "晚于今天"),
        ({"task": 14}, "市司法局不承担任务 14"),
        ({"task": 99}, "表中没有第 99 项任务"),
        ({"unit": "市公安局"}, "不在名册中"),
        ({"evidence": ["javascript:alert(1)"]}, "不是有效的 http(s) 链接"),
        ({"progress": "a\u202eb"}, "不可见的"),
        ({}, "重复记录"),
    ],
    ids=["status", "future", "not-owed", "no-task", "unit", "evidence", "unsafe", "duplicate"],
)
def test_append_refuses_a_bad_record_and_writes_nothing(
    table: tuple[Division, Path], fields: dict[str, object], fragment: str
) -> None:
    division, folder = table
    path = append(division, folder)
    before = path.read_bytes()
    with pytest.raises(P.RecordRefusedError, match="记录未写入") as refused:
        append(division, folder, **fields)
    assert fragment in str(refused.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["市司法局.yaml"]


def test_append_refuses_to_join_a_broken_file(table: tuple[Division, Path]) -> None:
    division, folder = table
    path = folder / "市司法局.yaml"
    path.write_text("unit: 市司法局\nrecords: [{task: 12}]\n", encoding="utf-8")  # a flow list cannot grow below
    with pytest.raises(P.RecordRefusedError, match="records 写在方括号里，无法在末尾追加"):
        append(division, folder)
    assert path.read_text(encoding="utf-8") == "unit: 市司法局\nrecords: [{task: 12}]\n"


def test_append_failing_midway_leaves_the_old_file_and_no_temp(
    table: tuple[Division, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    division, folder = table
    path = append(division, folder)
    before = path.read_bytes()

    def broken(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "replace", broken)
    with pytest.raises(OSError):
        append(division, folder, date=date(2024, 7, 1))
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["市司法局.yaml"]


# --- status -------------------------------------------------------------------------------------------------


def test_owed_units_expand_all_groups_and_count_relevant_members_once_reported(table: tuple[Division, Path]) -> None:
    division, _ = table
    counties = ["贵池区政府", "东至县政府", "石台县政府", "青阳县政府"]
    committees = ["江南新兴产业集中区管委会", "九华山风景区管委会", "开发区管委会"]
    one = task(division, 1)  # 市政府办公室牵头，市政府有关部门，各县区政府、管委会负责落实
    assert P.owed_units(division, one) == ["市政府办公室", *counties, *committees]
    reported = [record("市司法局", 1, date(2024, 6, 1), "on_track")]
    assert P.owed_units(division, one, reported) == ["市政府办公室", *counties, *committees, "市司法局"]
    departments = [u.name for u in division.units_file.units if u.kind == "department"]
    assert P.owed_units(division, task(division, 24)) == [*departments, *counties, *committees]


def test_recurring_occurrences_are_closed_one_by_one(lean: Division) -> None:
    quarterly = task(lean, 1)
    q1, q2, q3, _ = quarterly.time_limit.occurrences
    records = [record("市甲局", 1, date(2024, 3, 20), "done")]
    assert P.is_done(lean, records, quarterly, "市甲局", q1)
    assert not P.is_done(lean, records, quarterly, "市甲局", q2)  # 已完成 in Q1 does not close Q2
    assert P.task_state(lean, records, quarterly, date(2024, 5, 1)) == {"市甲局": "not_reported"}
    assert P.task_state(lean, records, quarterly, date(2024, 7, 5)) == {"市甲局": "overdue"}
    # A late report for Q2 says so with `period`; without it, it would count for Q3.
    records.append(record("市甲局", 1, date(2024, 7, 3), "done", period="2024-Q2"))
    assert P.is_done(lean, records, quarterly, "市甲局", q2)
    assert P.latest_status(lean, records, quarterly, "市甲局", q3) is None
    assert P.task_state(lean, records, quarterly, date(2024, 7, 5)) == {"市甲局": "not_reported"}
    records.append(record("市甲局", 1, date(2024, 7, 4), "behind"))
    assert P.latest_status(lean, records, quarterly, "市甲局", q3) == "behind"
    assert P.task_state(lean, records, quarterly, date(2024, 7, 5)) == {"市甲局": "behind"}
    # The latest report on an occurrence wins.
    records.append(record("市甲局", 1, date(2024, 8, 1), "on_track"))
    assert P.task_state(lean, records, quarterly, date(2024, 8, 2)) == {"市甲局": "on_track"}


def test_ongoing_and_prompt_tasks_are_never_overdue(lean: Division) -> None:
    late = date(2025, 3, 31)
    assert P.task_state(lean, [], task(lean, 2), late) == {"市甲局": "not_reported", "市乙局": "not_reported"}
    assert P.task_state(lean, [], task(lean, 3), late) == {"市甲局": "not_reported"}
    assert P.task_state(lean, [], task(lean, 4), late) == {"市甲局": "overdue"}
    records = [record("市乙局", 2, date(2024, 6, 1), "behind"), record("市丙局", 3, date(2024, 6, 1), "done")]
    assert P.task_state(lean, records, task(lean, 2), late) == {"市甲局": "not_reported", "市乙局": "behind"}
    # 市丙局 owes task 3 through the relevant group once it reports.
    assert P.task_state(lean, records, task(lean, 3), late) == {"市甲局": "not_reported", "市丙局": "done"}


def test_deadline_done_before_or_after_the_due_date(lean: Division) -> None:
    deadline = task(lean, 4)
    assert P.task_state(lean, [], deadline, date(2024, 8, 31)) == {"市甲局": "not_reported"}
    assert P.task_state(lean, [], deadline, date(2024, 9, 1)) == {"市甲局": "overdue"}
    late = [record("市甲局", 4, date(2024, 9, 10), "done")]
    assert P.task_state(lean, late, deadline, date(2024, 9, 11)) == {"市甲局": "done"}


def test_the_next_deadline_skips_done_occurrences(lean: Division) -> None:
    from gongkai_cli.query import next_deadline, obligations, resolve

    today = date(2024, 5, 1)

    def next_for(name: str, records: list[P.ProgressRecord]) -> date | None:
        entity = resolve(lean, name)
        return next_deadline((o.task for o in obligations(lean, entity)), today, P.done_test(lean, records, entity))

    assert next_for("市甲局", []) == date(2024, 6, 30)
    records = [record("市甲局", 1, date(2024, 4, 20), "done", period="2024-Q2")]
    assert next_for("市甲局", records) == date(2024, 8, 31)
    records.append(record("市甲局", 4, date(2024, 4, 25), "done"))
    assert next_for("甲局", records) == date(2024, 9, 30)
    assert next_for("市乙局", records) is None  # only a prompt task


def test_summary_over_the_bundled_table(table: tuple[Division, Path]) -> None:
    division, _ = table
    records = [
        record("市司法局", 6, date(2024, 5, 30), "done"),
        record("市司法局", 12, date(2024, 6, 30), "on_track"),
        record("市司法局", 13, date(2024, 6, 30), "not_started"),
        record("市司法局", 17, date(2024, 9, 1), "behind"),
        record("市司法局", 37, date(2024, 9, 1), "on_track"),
        record("市司法局", 1, date(2024, 9, 1), "on_track"),  # relevant: counts once reported
        record("贵池区政府", 6, date(2024, 5, 20), "done"),
        record("贵池区政府", 6, date(2024, 6, 20), "behind"),  # the latest report wins
    ]
    (司法,) = P.progress_summary(division, records, TODAY, unit="市司法局")
    # Named in 6, 12, 13, 23; through 市政府各部门 in 16, 17, 20, 24, 26, 31, 34–37, 39–42, 44; and task 1.
    assert 司法.owed == 20
    # 17, reported 未达预期 and past its date, counts as 未达预期 and as overdue.
    assert (司法.done, 司法.on_track, 司法.behind, 司法.overdue, 司法.not_reported) == (1, 3, 1, 3, 13)
    assert 司法.completion_rate == pytest.approx(0.05)
    assert {n: s for n, s in 司法.states.items() if s != "not_reported"} == {
        1: "on_track",
        6: "done",
        12: "on_track",
        17: "behind_overdue",
        35: "overdue",
        36: "overdue",
        37: "on_track",
    }
    everyone = P.progress_summary(division, records, TODAY)
    assert [u.unit for u in everyone][:3] == ["市政府办公室", "市政务公开办", "市数据资源局"]
    贵池 = next(u for u in everyone if u.unit == "贵池区政府")
    assert (贵池.owed, 贵池.done, 贵池.behind, 贵池.overdue) == (44, 0, 1, 5)
    assert 贵池.states[6] == "behind_overdue"
    section = P.progress_summary(division, records, TODAY, unit="市司法局", section="三")
    assert section[0].owed == len([n for n in 司法.states if division.placements[n].section_number == 3])
    reports = {r.task: r for r in P.task_reports(division, records)}
    assert reports[12].reported == ("市司法局",)
    assert reports[12].not_reported[:2] == ("市政务公开办", "贵池区政府")
    assert "市司法局" in reports[1].reported and "市司法局" not in reports[3].not_reported


def everything_answered(division: Division, records: P.Records) -> list[object]:
    """Every status answer the commands give from records, on several days of the year."""
    index = P.index_records(records)
    answers: list[object] = [P.task_reports(division, index)]
    for today in (date(2024, 3, 31), date(2024, 7, 1), date(2024, 10, 15), date(2025, 2, 1)):
        answers.append(P.progress_summary(division, index, today))
        answers.append(P.reminders(division, index, today, date(2024, 12, 31)))
        answers.append(
            [
                next_deadline((t for t in division.tasks), today, P.done_test(division, index, u))
                for u in division.units_file.units
            ]
        )
    for t in division.tasks:
        for unit in P.owed_units(division, t, index):
            answers.append(P.latest_record(division, index, t, unit))
            answers.extend(P.is_done(division, index, t, unit, day) for day in (*due_dates(t), None))
        answers.extend(P.done_by_all(division, index, t, day) for day in (*due_dates(t), None))
    return answers


def test_the_deciding_records_answer_ten_thousand_records_alike(table: tuple[Division, Path]) -> None:
    division, _ = table
    owing = [(t.number, unit) for t in division.tasks for unit in P.owed_units(division, t)]
    statuses: list[P.Status] = ["not_started", "on_track", "done", "behind"]
    records = [
        record(unit, number, date.fromordinal(date(2024, 1, 1).toordinal() + i * 7 % 300), statuses[i * 3 % 7 % 4])
        for i, (number, unit) in enumerate(owing[i % len(owing)] for i in range(10_000))
    ]
    deciding = P.deciding_records(division, records)
    assert len(owing) <= len(deciding) < 2_000
    assert everything_answered(division, deciding) == everything_answered(division, records)
    summary = P.progress_summary(division, deciding, TODAY)
    assert sum(u.owed for u in summary) == len(owing)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([(1, "市甲局"), (2, "市甲局"), (2, "市乙局"), (3, "市甲局"), (3, "市丙局"), (4, "市甲局")]),
            st.integers(0, 400),
            st.sampled_from(["not_started", "on_track", "done", "behind"]),
            st.sampled_from([None, "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-06"]),
        ),
        max_size=40,
    )
)
def test_the_deciding_records_answer_any_records_alike(
    lean: Division, drawn: list[tuple[tuple[int, str], int, P.Status, str | None]]
) -> None:
    start = date(2024, 1, 1).toordinal()
    records = [
        record(unit, number, date.fromordinal(start + day), status, period)
        for (number, unit), day, status, period in drawn
    ]
    assert everything_answered(lean, P.deciding_records(lean, records)) == everything_answered(lean, records)


CACHED_FILES = (DATA / "units.yaml", DATA / "tasks.yaml")


@pytest.fixture
def one_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Division, Path]:
    """A private cache and a progress folder holding one record of 市司法局 on task 12."""
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    division = load_data()
    folder = tmp_path / "progress"
    folder.mkdir()
    P.append_record(
        folder,
        division,
        unit="市司法局",
        task=12,
        date=date(2024, 6, 30),
        status="已完成",
        progress="已印发",
        today=date(2024, 10, 1),
    )
    return division, folder


def test_cached_progress_serves_the_same_records_and_leaves_out_a_record_after_today(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_record: tuple[Division, Path]
) -> None:
    division, folder = one_record
    files = CACHED_FILES
    first = P.cached_progress(folder, division, today=date(2024, 10, 1), table_files=files)
    assert first.problems == [] and len(first.records) == 1 and first.later == 0
    monkeypatch.setattr(P.cached, "read_progress", lambda *a, **k: pytest.fail("read from source although cached"))
    again = P.cached_progress(folder, division, today=date(2024, 12, 31), table_files=files)
    assert again == first
    monkeypatch.undo()
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    # The record is dated 2024-06-30: as of 1 June it has not happened yet.
    assert P.cached_progress(folder, division, today=date(2024, 6, 1), table_files=files) == ([], [], 1)


def test_a_forged_progress_cache_is_read_from_source(tmp_path: Path, one_record: tuple[Division, Path]) -> None:
    from gongkai_cli import cache

    division, folder = one_record
    files = CACHED_FILES
    real = P.cached_progress(folder, division, today=date(2024, 10, 1), table_files=files)
    stored = cache.cache_file(tmp_path / "cache", folder)
    blob = stored.read_bytes()
    key = blob[len(cache.MAGIC) + 1 : len(cache.MAGIC) + 1 + cache.DIGEST_SIZE]
    forged = (("市司法局", "12", "000000", 739000, "done", "伪造", (), None, None, None, None),)  # task as text
    cache.write_payload(stored, key, forged)
    again = P.cached_progress(folder, division, today=date(2024, 10, 1), table_files=files)
    assert again == real and again.problems == []


# --- what the commands make of the records --------------------------------------------------------------


def cli(runner: CliRunner, folder: Path, *args: str, code: int = 0) -> Result:
    result = runner.invoke(app, ["--data", str(folder), *args])
    assert result.exit_code == code, result.output
    return result


def report(runner: CliRunner, folder: Path, *args: str) -> None:
    cli(runner, folder, "report", *args, "--today", "2024-12-31")


def numbers(result: Result) -> list[int]:
    return [item["number"] for item in json.loads(result.stdout)]


def test_a_quarter_done_does_not_close_the_others_in_due_and_unit(runner: CliRunner, lean_folder: Path) -> None:
    report(runner, lean_folder, "1", "--unit", "市甲局", "--status", "已完成", "--date", "2024-03-20")
    overdue = cli(runner, lean_folder, "due", "--overdue", "--unit", "市甲局", "--today", "2024-10-01", "-f", "json")
    assert numbers(overdue) == [1, 4]  # Q2 and Q3 of task 1 are open, and 4 (8月底前) was never reported
    soon = cli(runner, lean_folder, "due", "--within", "100d", "--today", "2024-03-25", "-f", "json")
    assert numbers(soon) == [1]  # Q1 is done, Q2 (06-30) is not
    unit = json.loads(cli(runner, lean_folder, "unit", "市甲局", "--today", "2024-03-25", "-f", "json").stdout)
    assert unit["unit"]["next_deadline"] == "2024-06-30"  # 03-31 is done
    units = json.loads(cli(runner, lean_folder, "units", "--today", "2024-03-25", "-f", "json").stdout)
    assert {u["name"]: u["next_deadline"] for u in units}["市甲局"] == "2024-06-30"
    still = cli(runner, lean_folder, "unit", "市甲局", "--within", "10d", "--today", "2024-03-25", "-f", "json")
    assert [t["number"] for t in json.loads(still.stdout)["tasks"]] == []


def test_unit_overdue_leaves_out_what_the_unit_has_done(runner: CliRunner, lean_folder: Path) -> None:
    before = cli(runner, lean_folder, "unit", "市甲局", "--overdue", "--today", "2024-09-15", "-f", "json")
    assert [t["number"] for t in json.loads(before.stdout)["tasks"]] == [1, 4]
    report(runner, lean_folder, "4", "--unit", "市甲局", "--status", "已完成", "--date", "2024-08-30")
    after = cli(runner, lean_folder, "unit", "市甲局", "--overdue", "--today", "2024-09-15", "-f", "json")
    assert [t["number"] for t in json.loads(after.stdout)["tasks"]] == [1]


def test_a_group_has_done_a_task_when_every_member_that_owes_it_has(
    runner: CliRunner, table: tuple[Division, Path]
) -> None:
    office = table[1].parent
    args = ("due", "--overdue", "--unit", "各县区政府", "--today", "2024-10-01", "-f", "json")
    assert 36 in numbers(cli(runner, office, *args))
    for county in ("贵池区政府", "东至县政府", "石台县政府"):
        report(runner, office, "36", "--unit", county, "--status", "已完成", "--date", "2024-09-20")
    assert 36 in numbers(cli(runner, office, *args))  # 青阳县政府 has not reported
    report(runner, office, "36", "--unit", "青阳县政府", "--status", "已完成", "--date", "2024-09-21")
    assert 36 not in numbers(cli(runner, office, *args))


def test_a_past_today_leaves_later_records_out_and_says_so(runner: CliRunner, lean_folder: Path) -> None:
    report(runner, lean_folder, "4", "--unit", "市甲局", "--status", "已完成", "--date", "2024-12-01")
    result = cli(runner, lean_folder, "due", "--overdue", "--today", "2024-10-01", "-f", "json")
    assert numbers(result) == [1, 4]
    assert "提示：有 1 条进展记录的日期晚于今天（2024-10-01），未计入" in result.stderr
    assert numbers(cli(runner, lean_folder, "due", "--overdue", "--today", "2024-12-15", "-f", "json")) == [1]


def test_overdue_with_ongoing_tasks_is_refused(runner: CliRunner, lean_folder: Path) -> None:
    result = cli(runner, lean_folder, "due", "--overdue", "--include-ongoing", code=2)
    assert (
        result.stderr
        == "错误：--include-ongoing 与 --overdue 不能同时使用：持续推进和及时的任务没有截止日期，不会逾期。\n"
    )


@pytest.mark.parametrize("empty", ["records: []", "records:", "records: ~", "records: []  # 暂无"])
def test_a_record_is_appended_to_an_empty_list_however_written(table: tuple[Division, Path], empty: str) -> None:
    division, folder = table
    path = folder / "市司法局.yaml"
    path.write_text(f"# 注释\nunit: 市司法局\n{empty}\n", encoding="utf-8")
    P.append_record(
        folder, division, unit="司法局", task=12, date=date(2024, 6, 1), status="已完成", progress="已印发", today=TODAY
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 注释\nunit: 市司法局\nrecords:")
    assert text.splitlines()[3] == "  - task: 12"
    records, problems = read(division, folder)
    assert problems == [] and [(r.task, r.status) for r in records] == [(12, "done")]


def test_a_progress_file_that_is_not_a_mapping_names_its_keys(table: tuple[Division, Path]) -> None:
    division, folder = table
    (folder / "市司法局.yaml").write_text("- task: 12\n", encoding="utf-8")
    _, problems = read(division, folder)
    assert problems == [("市司法局.yaml", 1, "schema", "文件应为“键: 值”映射（顶层是 unit 和 records）")]


def test_a_whole_table_calendar_marks_what_every_owing_unit_has_done(
    runner: CliRunner, lean_folder: Path, tmp_path: Path
) -> None:
    import icalendar

    report(runner, lean_folder, "4", "--unit", "市甲局", "--status", "已完成", "--date", "2024-08-30")
    target = tmp_path / "全部.ics"
    cli(runner, lean_folder, "export", "ics", str(target), "--done", "mark", "--today", "2024-09-01")
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")]
    assert [s for s in summaries if s.startswith("（已完成）")] == ["（已完成）任务4：8月底前完成目录编制。"]
    cli(runner, lean_folder, "export", "ics", str(target), "--today", "2024-09-01")
    omitted = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")]
    assert len(omitted) == len(summaries) - 1 and not any("任务4" in s for s in omitted)


def test_reminders_for_a_group_go_to_each_member(runner: CliRunner, table: tuple[Division, Path]) -> None:
    office = table[1].parent
    args = ("remind", "--unit", "各县区政府", "--within", "30d", "--today", "2024-09-15", "-f", "json")
    found = json.loads(cli(runner, office, *args).stdout)
    assert [(r["unit"], [i["task"] for i in r["items"]]) for r in found] == [
        (county, [17, 22, 36]) for county in ("贵池区政府", "东至县政府", "石台县政府", "青阳县政府")
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2024-10-05"), "日期 2024-10-05 晚于今天（2024-10-01）；进展只能报送已经发生的情况"),
        (("--date", "2023-10-05"), "日期 2023-10-05 不在这张表的年度内（2024-01-01 至 2025-03-31）"),
        (("--by", " "), "--by 不能为空，请写上内容。"),
        (("--note", " "), "--note 不能为空，请写上内容。"),
        (("--note", "甲\t乙"), "记录未写入：文字中有不可见的制表符 U+0009，数据中不允许；请删除它"),
    ],
)
def test_a_report_refused_for_its_arguments_is_a_usage_error(
    runner: CliRunner, table: tuple[Division, Path], args: tuple[str, ...], message: str
) -> None:
    office = table[1].parent
    result = cli(
        runner,
        office,
        "report",
        "6",
        "--unit",
        "市司法局",
        "--status",
        "已完成",
        "--today",
        "2024-10-01",
        *args,
        code=2,
    )
    assert result.stderr == f"错误：{message}\n"
    assert not (office / "progress" / "市司法局.yaml").exists()


def test_reporting_a_task_the_unit_does_not_owe_names_the_number(
    runner: CliRunner, table: tuple[Division, Path]
) -> None:
    office = table[1].parent
    result = cli(
        runner, office, "report", "2", "--unit", "市司法局", "--status", "已完成", "--today", "2024-10-01", code=2
    )
    assert result.stderr.startswith("错误：市司法局不承担任务 2（既未被点名，也不属于点名的统称）；请核对任务编号")


@pytest.mark.parametrize(
    "before",
    [
        'records:\n  - task: 12\n    fingerprint: "{fp}"\n    date: 2024-05-01\n    status: 未开始\n    progress: 甲\n'
        "unit: 市司法局\n",
        "unit: 市司法局\n",
        'unit: 市司法局\nrecords:\n  - task: 12\n    fingerprint: "{fp}"\n    date: 2024-05-01\n    status: 未开始\n'
        "    progress: 甲",
    ],
    ids=["records-before-unit", "no-records-key", "no-final-newline"],
)
def test_a_record_is_appended_at_the_end_of_the_list_wherever_it_ends(
    table: tuple[Division, Path], before: str
) -> None:
    division, folder = table
    path = folder / "市司法局.yaml"
    path.write_text(before.format(fp=P.fingerprint(task(division, 12))), encoding="utf-8")
    P.append_record(
        folder, division, unit="司法局", task=12, date=date(2024, 6, 1), status="已完成", progress="已印发", today=TODAY
    )
    records, problems = read(division, folder)
    assert problems == [] and [r.status for r in records][-1] == "done"
    assert path.read_text(encoding="utf-8").count("unit: 市司法局") == 1
