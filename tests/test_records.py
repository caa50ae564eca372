"""One validation path for progress records, and the hostile inputs around records, rosters and exports."""

from __future__ import annotations

import errno
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gongkai_cli import progress as P
from gongkai_cli.cli.app import app
from gongkai_cli.errors import LookupFailedError, os_reason
from gongkai_cli.exports.ics import write_calendar
from gongkai_cli.load import load_data
from gongkai_cli.models import Division
from gongkai_cli.render import md_text
from gongkai_cli.workspace import WorkspaceError, tables

TODAY = "2024-10-15"


def run(runner: CliRunner, folder: Path, *args: str, code: int) -> Result:
    """Run gongkai on a data folder: the exit code is `code` and no Python exception escapes."""
    result = runner.invoke(app, ["--data", str(folder), *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    return result


def record_file(division: Division, number: int = 12, unit: str = "市司法局", **fields: str) -> str:
    """A one-record progress file of `unit`; `fields` replace (or, when new, follow) the record's lines."""
    task = next(t for t in division.tasks if t.number == number)
    values = {
        "task": str(number),
        "fingerprint": P.fingerprint(task),
        "date": "2024-06-30",
        "status": "按序时推进",
        "progress": "已制定公众参与工作规程。",
    } | fields
    lines = [f"unit: {unit}", "records:"]
    lines += [f"  {'- ' if i == 0 else '  '}{key}: {value}" for i, (key, value) in enumerate(values.items())]
    return "\n".join(lines) + "\n"


def write_record(data: Path, **fields: str) -> Path:
    path = data / "progress" / "市司法局.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(record_file(load_data(data, use_cache=False), **fields), encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- one validation path ------------------------------------------------------------------------------------


# (task file edit, the task field it breaks, record field written, the record field it breaks, message start)
ONE_SHAPE = {
    "type": (("- number: 12\n", '- number: "12"\n'), "number", ("task", '"12"'), "task", "“{}”应为整数（不加引号）"),
    "unknown-field": (
        ("requirement: 涉及重大公共利益", "remark: 备注\n            requirement: 涉及重大公共利益"),
        "remark",
        ("remark", "备注"),
        "remark",
        "未知字段“{}”，可用字段为 ",
    ),
}


@pytest.mark.parametrize("case", ONE_SHAPE.values(), ids=ONE_SHAPE.keys())
def test_a_bad_record_and_a_bad_task_give_messages_of_one_shape(
    runner: CliRunner, data_copy: Path, case: tuple[tuple[str, str], str, tuple[str, str], str, str]
) -> None:
    task_edit, task_field, (key, value), record_field, start = case
    path = write_record(data_copy, **{key: value})
    record = run(runner, data_copy, "check", "--today", TODAY, code=1).stdout
    path.unlink()
    edit(data_copy / "tasks.yaml", *task_edit)
    task = run(runner, data_copy, "check", code=1).stdout
    # One problem each, `file:line:col: message`, the message naming the field the same way.
    shape = re.compile(r"(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)\n")
    for text, file, field in ((task, data_copy / "tasks.yaml", task_field), (record, path, record_field)):
        found = shape.fullmatch(text)
        assert found is not None, text
        assert found["path"] == str(file)
        assert found["message"].startswith(start.format(field)), found["message"]


def test_a_record_field_error_keeps_its_problem_code(data_copy: Path) -> None:
    write_record(data_copy, status="进行中")
    division = load_data(data_copy, use_cache=False)
    _, problems = P.read_progress(data_copy / "progress", division, today=date(2024, 10, 15))
    assert [(p.line, p.column, p.code) for p in problems] == [(6, 13, "progress-status")]
    assert problems[0].message == "“status”的取值“进行中”无效，应为 未开始、按序时推进、已完成、未达预期 之一"


# --- issue 17, item 7: periods no date can hold ---------------------------------------------------------------


@pytest.mark.parametrize("period", ["9999", "0000", "9999-12", "0000-Q1"])
def test_a_period_no_date_can_hold_is_a_problem_not_a_crash(runner: CliRunner, data_copy: Path, period: str) -> None:
    path = write_record(data_copy, period=period)
    checked = run(runner, data_copy, "check", "--today", TODAY, code=1)
    assert checked.stdout == f"{path}:8:13: 周期“{period}”无效，应写作 2024、2024-H1、2024-Q2 或 2024-06\n"
    for command in (["unit", "市司法局"], ["progress"], ["due", "--overdue"], ["remind"], ["units"]):
        assert "先运行 gongkai check" in run(runner, data_copy, *command, "--today", TODAY, code=1).stderr
    run(runner, data_copy, "export", "ics", str(data_copy / "x.ics"), "--today", TODAY, code=1)
    assert P.period_bounds(period) is None


@pytest.mark.parametrize("period", ["9999", "0000"])
def test_report_with_a_period_no_date_can_hold_is_a_usage_error(
    runner: CliRunner, data_copy: Path, period: str
) -> None:
    args = ["report", "12", "--unit", "市司法局", "--status", "已完成", "--period", period, "--today", TODAY]
    result = run(runner, data_copy, *args, code=2)
    assert result.stderr == f"错误：周期“{period}”无效，应写作 2024、2024-H1、2024-Q2 或 2024-06\n"
    assert not (data_copy / "progress" / "市司法局.yaml").exists()


# --- issue 17, item 14 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["市" * 81 + "局", "市" * 66 + "局", ".市司法局"], ids=["82-characters", "67-characters", "hidden"]
)
def test_check_refuses_a_unit_name_that_cannot_be_a_file_name(runner: CliRunner, data_copy: Path, name: str) -> None:
    edit(data_copy / "units.yaml", "  - name: 市司法局\n", f"  - name: '{name}'\n")
    result = run(runner, data_copy, "check", code=1)
    assert f"“name”的取值“{name}”不能用作进展文件名（<单位>.yaml）" in result.stdout
    assert "最长 200 字节" in result.stdout


def test_a_unit_name_of_200_bytes_may_report(runner: CliRunner, data_copy: Path) -> None:
    name = "市" * 65 + "局"
    edit(data_copy / "units.yaml", "groups:\n", f"  - name: {name}\n    kind: department\ngroups:\n")
    # Task 1 names 市政府有关部门: a department owes it once it reports.
    run(runner, data_copy, "report", "1", "--unit", name, "--status", "已完成", "--today", TODAY, code=0)
    assert (data_copy / "progress" / f"{name}.yaml").is_file()


def test_a_table_id_with_the_key_separator_is_refused(runner: CliRunner, data_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    (folder / "2024|试行").mkdir(parents=True)
    (data_copy / "tasks.yaml").rename(folder / "2024|试行" / "tasks.yaml")
    (data_copy / "units.yaml").rename(folder / "units.yaml")
    with pytest.raises(WorkspaceError, match=re.escape("名称含有“|”")):
        tables(folder)
    assert "请给目录改名" in run(runner, folder, "due", code=2).stderr


def test_check_reports_a_symlinked_progress_file_without_reading_it(
    runner: CliRunner, data_copy: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(record_file(load_data(data_copy, use_cache=False)), encoding="utf-8")
    (data_copy / "progress").mkdir()
    (data_copy / "progress" / "市司法局.yaml").symlink_to(elsewhere)
    result = run(runner, data_copy, "check", "--today", TODAY, code=1)
    assert (
        result.stdout
        == f"{data_copy / 'progress' / '市司法局.yaml'}: 进展文件是符号链接，未读取；进展记录须是文件本身，不能链接到别处\n"
    )


def test_check_refuses_a_contact_over_several_lines(runner: CliRunner, data_copy: Path) -> None:
    edit(
        data_copy / "units.yaml",
        "    full_name: 池州市司法局\n",
        '    full_name: 池州市司法局\n    contact: "张三\\n【市财政局】联络人：李四"\n',
    )
    result = run(runner, data_copy, "check", code=1)
    assert result.stdout.endswith(": “contact”应写在一行：不能含换行、制表符等控制字符\n")
    assert run(runner, data_copy, "remind", "--today", TODAY, code=1).stdout == ""


def test_ics_counts_events_not_the_text_of_descriptions(data_copy: Path, tmp_path: Path) -> None:
    # Task 18 falls due 年底前: its requirement is in its event's title and description.
    edit(
        data_copy / "tasks.yaml",
        "requirement: 鼓励有条件的地区和部门",
        "requirement: BEGIN:VEVENT 鼓励有条件的地区和部门",
    )
    division = load_data(data_copy, use_cache=False)
    target = tmp_path / "x.ics"
    count = write_calendar(target, division, table_id=None)
    import icalendar

    assert count == len(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert target.read_bytes().count(b"BEGIN:VEVENT") > count


def test_markdown_never_mentions_a_github_user(runner: CliRunner, data_copy: Path) -> None:
    assert not re.search(r"@\w", md_text("请联系 @abc、@张三 和 a@b.cn"))
    edit(data_copy / "tasks.yaml", "requirement: 涉及重大公共利益", "requirement: 请 @abc 牵头，涉及重大公共利益")
    shown = run(runner, data_copy, "show", "13", "-f", "md", code=0).stdout
    assert "abc" in shown and not re.search(r"@\w", shown)


# --- issue 17, item 13 ----------------------------------------------------------------------------------------


def test_progress_for_a_group_is_a_usage_error_saying_what_to_type(runner: CliRunner, data_copy: Path) -> None:
    assert issubclass(LookupFailedError, LookupError)
    result = run(runner, data_copy, "progress", "--unit", "各县区政府", "--today", TODAY, code=2)
    assert result.stderr == "错误：“各县区政府”是统称，不是单位，请写其中一个成员单位的名称。\n"


def test_os_errors_are_told_in_chinese() -> None:
    assert os_reason(FileExistsError(errno.EEXIST, "File exists")) == "已存在"
    unknown = os_reason(OSError(errno.ENOTSOCK, "Socket operation on non-socket"))
    assert not re.search(r"[A-Za-z]", unknown), unknown


def test_a_csv_field_over_the_limit_is_told_in_chinese(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "表.csv"
    source.write_text("序号,具体要求,责任单位,时限\n1," + "甲" * 140_000 + ",市司法局,年底前\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(source), "--out", str(tmp_path / "out"), "--year", "2025"])
    assert result.exit_code == 1, result.output
    assert "单元格超过 131072 个字符" in result.stderr
    assert not re.search(r"[A-Za-z]{3,}", result.stderr.replace(".csv", "").replace("CSV", "")), result.stderr
