"""Exports: the calendar (.ics) and the 台账 workbook, written, parsed back, filled in by units and read back."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from icalendar import Calendar

from gongkai_cli import owing, query
from gongkai_cli.errors import LookupFailedError
from gongkai_cli.exports.filled import read_filled_workbook
from gongkai_cli.exports.ics import calendar_bytes, write_calendar
from gongkai_cli.exports.workbook import (
    EXPORT_HEADER,
    HEADERS,
    STATUSES,
    export_rows,
    exported_statuses,
    ledger_rows,
    write_workbook,
)
from gongkai_cli.load import load_data
from gongkai_cli.models import Division, Task
from gongkai_cli.progress import ProgressRecord, fingerprint
from gongkai_cli.render import write_csv

TODAY = date(2024, 10, 1)

LEAN_UNITS = """\
units:
  - name: 办公室
    kind: section
  - name: 信息中心
    kind: institution
  - name: 法规科
    kind: section
groups:
  - name: 各科室
    coverage: all
    member_kinds: [section]
  - name: 有关单位
    coverage: relevant
    members: [信息中心, 法规科]
"""
LEAN_TASKS = """\
document:
  title: 某局2025年政务公开任务
  year: 2025
tasks:
  - number: 1
    requirement: 每季度更新政策问答库。
    responsibility: 办公室牵头，信息中心配合
    time_limit: 每季度
  - number: 2
    requirement: "=HYPERLINK(\\"http://example.com\\",\\"点此\\")公开办事指南。"
    responsibility: 法规科负责，有关单位配合
    time_limit: 9月底前
  - number: 3
    requirement: 各科室持续做好主动公开。
    responsibility: 各科室负责
    time_limit: 持续推进
"""


@pytest.fixture(scope="module")
def bundled() -> Division:
    return load_data()


_EXPORTED: dict[tuple[int, str | None, str | None], bytes] = {}


def exported(target: Path, division: Division, *, table_id: str | None, unit: str | None) -> None:
    """`write_workbook(target, division, …)`, written once per division, table id and unit and copied after (a
    whole table's 台账 takes half a second): for the tests about reading a workbook back, not about writing one."""
    key = (id(division), table_id, unit)
    if key not in _EXPORTED:
        write_workbook(target, division, table_id=table_id, unit=unit)
        _EXPORTED[key] = target.read_bytes()
    target.write_bytes(_EXPORTED[key])


@pytest.fixture
def lean(tmp_path: Path) -> Division:
    folder = tmp_path / "lean"
    folder.mkdir()
    (folder / "tasks.yaml").write_text(LEAN_TASKS, encoding="utf-8")
    (folder / "units.yaml").write_text(LEAN_UNITS, encoding="utf-8")
    return load_data(folder, use_cache=False)


def events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


# --- calendar ---------------------------------------------------------------------------------------------


def test_calendar_has_one_event_per_due_date_of_the_bundled_table(bundled: Division) -> None:
    found = events(calendar_bytes(bundled, table_id=None))
    dated = [t for t in bundled.tasks if query.due_dates(t)]
    # Tasks 6, 17, 18, 22, 35, 36, 37, 38, 39: nine deadlines, none recurring.
    assert [t.number for t in dated] == [6, 17, 18, 22, 35, 36, 37, 38, 39]
    assert len(found) == 9
    by_summary = {str(e["SUMMARY"]).split("：")[0]: e for e in found}
    assert set(by_summary) == {f"任务{t.number}" for t in dated}
    six = by_summary["任务6"]
    assert six.decoded("DTSTART") == date(2024, 5, 31)
    assert six.decoded("DTEND") == date(2024, 6, 1)
    description = str(six["DESCRIPTION"])
    task6 = query.find_task(bundled, 6)
    assert task6.requirement.strip() in description
    assert task6.time_limit.text in description
    assert (task6.responsibility or "") in description
    assert len(str(six["SUMMARY"])) <= len("任务6：") + 31


def test_every_event_reminds_seven_days_and_one_day_before(bundled: Division) -> None:
    for event in events(calendar_bytes(bundled, table_id=None)):
        alarms = event.walk("VALARM")
        assert sorted(a.decoded("TRIGGER") for a in alarms) == [timedelta(days=-7), timedelta(days=-1)]
        assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}


def test_uids_are_stable_across_exports_and_differ_per_unit(bundled: Division, tmp_path: Path) -> None:
    first = calendar_bytes(bundled, table_id="2024")
    second = calendar_bytes(bundled, table_id="2024")
    assert first == second
    uids = [str(e["UID"]) for e in events(first)]
    assert len(set(uids)) == len(uids) and all(u.endswith("@gongkai") for u in uids)
    office = events(calendar_bytes(bundled, table_id="2024", unit="公开办"))
    owed = owing.obligations(bundled, query.resolve(bundled, "市政务公开办"))
    assert len(office) == sum(len(query.due_dates(o.task)) for o in owed) > 0
    assert not {str(e["UID"]) for e in office} & set(uids)
    # The unit is keyed by its name, however it was typed.
    again = events(calendar_bytes(bundled, table_id="2024", unit="市政务公开办"))
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in office]
    # Another table id gives other UIDs.
    assert not {str(e["UID"]) for e in events(calendar_bytes(bundled, table_id="2025"))} & set(uids)
    target = tmp_path / "out.ics"
    assert write_calendar(target, bundled, table_id="2024") == 9
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["out.ics"]


def test_a_quarterly_limit_gives_one_event_per_quarter(lean: Division) -> None:
    found = [e for e in events(calendar_bytes(lean, table_id=None)) if str(e["SUMMARY"]).startswith("任务1：")]
    assert [e.decoded("DTSTART") for e in found] == [
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
    ]
    assert len({str(e["UID"]) for e in found}) == 4


def test_done_tasks_are_omitted_or_marked(bundled: Division, lean: Division) -> None:
    calls: list[tuple[int, date]] = []

    def done(task: Task, day: date) -> bool:
        calls.append((task.number, day))
        return task.number == 6

    omitted = events(calendar_bytes(bundled, table_id=None, is_done=done))
    assert len(omitted) == 8
    assert not any(str(e["SUMMARY"]).startswith("任务6") for e in omitted)
    assert (6, date(2024, 5, 31)) in calls
    marked = events(calendar_bytes(bundled, table_id=None, is_done=done, done_mode="mark"))
    assert len(marked) == 9
    six = next(e for e in marked if "任务6：" in str(e["SUMMARY"]))
    assert str(six["SUMMARY"]).startswith("（已完成）任务6：")
    assert str(six["STATUS"]) == "CONFIRMED"
    assert six.walk("VALARM") == []
    assert all("STATUS" not in e for e in marked if e is not six)
    plain = {str(e["UID"]) for e in events(calendar_bytes(bundled, table_id=None))}
    assert {str(e["UID"]) for e in marked} == plain

    def first_quarter_done(task: Task, day: date) -> bool:
        return day == date(2025, 3, 31)

    office = events(calendar_bytes(lean, table_id=None, unit="办公室", is_done=first_quarter_done))
    assert [e.decoded("DTSTART") for e in office] == [date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)]


# --- workbook ---------------------------------------------------------------------------------------------


def test_workbook_layout(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    write_workbook(target, bundled, table_id="2024", unit=None)
    book = openpyxl.load_workbook(target)
    sheet = book["总表"]
    assert [c.value for c in sheet[1]] == list(HEADERS)
    assert sheet.max_row == len(ledger_rows(bundled)) + 1
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{sheet.max_row}"
    assert sheet.column_dimensions["L"].hidden
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"' + ",".join(STATUSES) + '"'
    assert str(validation.sqref) == f"H2:H{sheet.max_row}"
    assert sheet.protection.sheet
    assert not sheet.protection.sort and not sheet.protection.autoFilter
    for column in "ABCDEFGL":
        assert sheet[f"{column}2"].protection.locked
    for column in "HIJK":
        assert not sheet[f"{column}2"].protection.locked
    assert sheet.column_dimensions["C"].width == 60
    # Every unit that owes a task has its own sheet of its rows; a group has none.
    office = book["市政务公开办"]
    rows = ledger_rows(bundled, "市政务公开办")
    assert office.max_row == len(rows) + 1
    assert {office.cell(row=r, column=6).value for r in range(2, office.max_row + 1)} == {"市政务公开办"}
    assert book.sheetnames[1:] == [u.name for u in bundled.units_file.units]
    # Members of an `all` group get a row each, and so do those of a `relevant` group, which owe the task once
    # they report on it.
    task1 = [(r.unit, r.role, r.via) for r in ledger_rows(bundled) if r.task.number == 1]
    assert task1[:2] == [("市政府办公室", "lead", None), ("贵池区政府", "group", "各县区政府")]
    assert task1[8:10] == [
        ("市数据资源局", "relevant", "市政府有关部门"),
        ("市发展改革委", "relevant", "市政府有关部门"),
    ]
    assert len(task1) == 1 + 4 + 3 + 11
    assert len(ledger_rows(bundled)) == 690
    only = tmp_path / "one.xlsx"
    # One unit's workbook holds only its rows, on 总表 as on its own sheet.
    assert write_workbook(only, bundled, table_id="2024", unit="公开办") == len(rows) == 16
    one = openpyxl.load_workbook(only)
    assert one.sheetnames == ["总表", "市政务公开办"]
    assert [c.value for c in one["总表"]["F"]] == [c.value for c in one["市政务公开办"]["F"]]
    assert one["总表"].max_row == 16 + 1


def test_formula_text_is_stored_as_a_string_without_a_quote(lean: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    write_workbook(target, lean, table_id=None, unit=None)
    sheet = openpyxl.load_workbook(target)["总表"]
    cells = [sheet.cell(row=r, column=3) for r in range(2, sheet.max_row + 1)]
    formula = [c for c in cells if "HYPERLINK" in str(c.value)]
    # The table's text as it is: a string cell (a formula would load as data type "f"), no quote before it.
    assert formula and all(c.data_type == "s" and str(c.value).startswith("=HYPERLINK") for c in formula)
    assert all(c.data_type == "s" for c in cells)
    out = io.StringIO()
    write_csv(out, EXPORT_HEADER, export_rows(lean))
    assert "'=HYPERLINK" in out.getvalue() and "\n=HYPERLINK" not in out.getvalue()
    # The roster members of a group get a row each, under the first way they owe the task; the group none.
    assert [(r.task.number, r.unit, r.role) for r in ledger_rows(lean) if r.task.number != 1] == [
        (2, "法规科", "named"),
        (2, "信息中心", "relevant"),
        (3, "办公室", "group"),
        (3, "法规科", "group"),
    ]


def _resort(sheet: Any) -> None:
    """What a unit does with the filter: sort the rows (by unit descending, then task descending)."""
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row)]
    rows.sort(key=lambda values: (str(values[5]), int(values[0])), reverse=True)
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values, 1):
            sheet.cell(row=r, column=c).value = value


def _fill(sheet: Any, unit: str, numbers: set[int], status: str) -> list[tuple[int, str, str]]:
    filled = []
    for r in range(2, sheet.max_row + 1):
        number, row_unit = sheet.cell(row=r, column=1).value, sheet.cell(row=r, column=6).value
        if row_unit == unit and number in numbers:
            sheet.cell(row=r, column=8).value = status
            sheet.cell(row=r, column=9).value = f"{unit}已完成第{number}项"
            sheet.cell(row=r, column=10).value = "http://example.com/evidence"
            sheet.cell(row=r, column=11).value = date(2024, 6, 30)
            filled.append((number, unit, status))
    return filled


def test_a_filled_workbook_is_read_back_by_key(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    exported(target, bundled, table_id="2024", unit=None)
    book = openpyxl.load_workbook(target)
    expected = []
    for name in ("市政务公开办", "贵池区政府"):
        _resort(book[name])
        expected += _fill(book[name], name, {6, 17, 35}, "已完成")
    _resort(book["总表"])
    # A member of a `relevant` group (task 1) reports in its own row, as a named unit does (task 2).
    expected += _fill(book["总表"], "市发展改革委", {1, 2}, "按序时推进")
    book.save(target)

    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY)
    assert refusals == []
    assert sorted((r.number, r.unit, r.status) for r in rows) == sorted(expected)
    assert len(rows) == 3 + 3 + 2
    first = rows[0]
    assert (first.number, first.unit) == (1, "市发展改革委")
    assert first.progress == "市发展改革委已完成第1项"
    assert first.finished == date(2024, 6, 30)
    assert first.fingerprint == fingerprint(query.find_task(bundled, first.number))
    assert first.where.startswith("台账.xlsx:总表!H")

    # The same workbook against another table id is refused as a whole.
    rows, refusals = read_filled_workbook(target, bundled, table_id="2025", today=TODAY)
    assert rows == [] and refusals


def test_an_edited_locked_cell_is_refused_with_its_place(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    exported(target, bundled, table_id="2024", unit=None)
    book = openpyxl.load_workbook(target)
    _fill(book["市政务公开办"], "市政务公开办", {6}, "已完成")
    sheet = book["总表"]
    sheet["C12"].value = "改过的具体要求"
    sheet["H12"].value = "已完成"
    book.save(target)

    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY)
    assert rows == []
    assert [(r.where, "具体要求" in r.message) for r in refusals] == [("台账.xlsx:总表!C12", True)]


def test_a_status_outside_the_list_and_a_file_not_a_workbook_are_refused(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    exported(target, bundled, table_id=None, unit=None)
    book = openpyxl.load_workbook(target)
    book["总表"]["H2"].value = "差不多了"
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id=None, today=TODAY)
    assert rows == [] and [r.where for r in refusals] == ["台账.xlsx:总表!H2"]

    fake = tmp_path / "假的.xlsx"
    fake.write_bytes(b"not a zip")
    rows, refusals = read_filled_workbook(fake, bundled, table_id=None, today=TODAY)
    assert rows == [] and len(refusals) == 1 and refusals[0].where == "假的.xlsx"


def test_a_sheet_openpyxl_cannot_read_is_refused_with_its_name(bundled: Division, tmp_path: Path) -> None:
    """A cell typed as a number that holds none: well-formed XML that the check's scan passes and openpyxl's
    reader, which reads a sheet only as its rows are asked for, fails on."""
    import re
    import zipfile

    target = tmp_path / "台账.xlsx"
    exported(target, bundled, table_id=None, unit=None)
    damaged = tmp_path / "坏表.xlsx"
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(damaged, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"(<c r=\"A2\"[^>]*>)<v>[^<]*</v>", rb"\1<v>not a number</v>", data, count=1)
                assert b"not a number" in data
            out.writestr(item, data)
    rows, refusals = read_filled_workbook(damaged, bundled, table_id=None, today=TODAY)
    assert rows == []
    assert [(r.where, r.message.startswith("无法读取此工作表（ValueError）")) for r in refusals] == [
        ("坏表.xlsx:总表", True)
    ]


def _line_of(sheet: Any, number: int, unit: str) -> int:
    return next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == number and sheet.cell(row=r, column=6).value == unit
    )


def _set(sheet: Any, number: int, unit: str, **cells: Any) -> int:
    """Type into one row's fill-in cells (状态 H, 工作进展情况 I, 佐证材料 J, 完成时间 K); its line."""
    line = _line_of(sheet, number, unit)
    for column, value in cells.items():
        sheet[f"{column}{line}"].value = value
    return line


def _record(bundled: Division, number: int, day: date, status: Any, progress: str, *evidence: str) -> ProgressRecord:
    task = query.find_task(bundled, number)
    return ProgressRecord("市司法局", number, fingerprint(task), day, status, progress, evidence)


@pytest.fixture
def reported(bundled: Division) -> list[ProgressRecord]:
    """What 市司法局 has reported so far: the export pre-fills the latest of each task."""
    return [
        _record(bundled, 6, date(2024, 5, 20), "on_track", "正在建立机制"),
        _record(bundled, 35, date(2024, 8, 20), "done", "已完成", "http://example.com/35"),
        _record(bundled, 17, date(2024, 7, 1), "not_started", "尚未开始"),
        _record(bundled, 17, date(2024, 8, 1), "on_track", "分类整理中"),
    ]


def test_a_copy_as_exported_is_unchanged_and_the_changed_copy_counts(
    bundled: Division, reported: list[ProgressRecord], tmp_path: Path
) -> None:
    target = tmp_path / "台账.xlsx"
    write_workbook(target, bundled, table_id="2024", unit=None, statuses=exported_statuses(reported))
    book = openpyxl.load_workbook(target)
    # The unit fills in its own sheet only: 总表 keeps what was pre-filled.
    _set(book["市司法局"], 6, "市司法局", H="已完成", I="已建立机制", K="2024-06-30")
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY, records=reported)
    assert refusals == []
    assert [(r.number, r.unit, r.status, r.progress, r.finished) for r in rows] == [
        (6, "市司法局", "已完成", "已建立机制", date(2024, 6, 30))
    ]
    assert rows[0].where.startswith("台账.xlsx:市司法局!H")

    # Changed the same way on both copies: one row.
    _set(book["总表"], 6, "市司法局", H="已完成", I="已建立机制", K=date(2024, 6, 30))
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY, records=reported)
    assert (len(rows), refusals) == (1, [])

    # Changed both ways: refused, naming both copies.
    summary_line = _set(book["总表"], 6, "市司法局", H="未达预期")
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY, records=reported)
    unit_line = _line_of(book["市司法局"], 6, "市司法局")
    assert rows == []
    assert [str(r) for r in refusals] == [
        f"台账.xlsx:市司法局!H{unit_line}: 第6项任务“市司法局”的报送与 台账.xlsx:总表!H{summary_line} 不一致，"
        "两处都有改动，请只保留一份"
    ]


def test_a_row_is_taken_when_it_repeats_no_record(
    bundled: Division, reported: list[ProgressRecord], tmp_path: Path
) -> None:
    target = tmp_path / "台账.xlsx"
    write_workbook(target, bundled, table_id="2024", unit="司法局", statuses=exported_statuses(reported))
    book = openpyxl.load_workbook(target)
    sheet = book["市司法局"]
    # Only the date changed: a new record.
    _set(sheet, 17, "市司法局", K="2024-09-10")
    # The progress cleared reads as the status, as the record would: unchanged.
    _set(sheet, 35, "市司法局", I=None)
    # A copy that repeats an earlier record (a workbook exported before the latest report) says nothing new.
    _set(book["总表"], 17, "市司法局", H="未开始", I="尚未开始", K="2024-07-01")
    # A status cleared takes nothing back.
    _set(book["总表"], 6, "市司法局", H=None)
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY, records=reported)
    assert refusals == []
    assert [(r.number, r.status, r.progress, r.finished) for r in rows] == [
        (17, "按序时推进", "分类整理中", date(2024, 9, 10))
    ]

    # New evidence on the date of the record it was pre-filled with is a correction: a new record of that day.
    _set(sheet, 35, "市司法局", J="http://example.com/35 http://example.com/35b")
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY, records=reported)
    assert refusals == []
    assert [(r.number, r.evidence, r.finished) for r in rows] == [
        (17, "", date(2024, 9, 10)),
        (35, "http://example.com/35 http://example.com/35b", date(2024, 8, 20)),
    ]


def test_completion_dates_read_as_the_command_line_reads_dates(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    exported(target, bundled, table_id="2024", unit="司法局")
    book = openpyxl.load_workbook(target)
    sheet = book["总表"]
    for number, typed in ((6, "2024/9/1"), (17, "9月2日"), (35, " 2024-09-03 ")):
        _set(sheet, number, "市司法局", H="已完成", K=typed)
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY)
    assert refusals == []
    assert [(r.number, r.finished) for r in rows] == [
        (6, date(2024, 9, 1)),
        (17, date(2024, 9, 2)),
        (35, date(2024, 9, 3)),
    ]

    lines = [
        _set(sheet, number, "市司法局", K=typed)
        for number, typed in ((6, "9月31日"), (17, "2024-10-02"), (35, "2023-12-31"))
    ]
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY)
    assert rows == []
    assert [str(r) for r in refusals] == [
        f"台账.xlsx:总表!K{lines[0]}: 完成时间填写有误：日期“9月31日”不存在：2024年9月只有 30 日，没有 31 日",
        f"台账.xlsx:总表!K{lines[1]}: 完成时间 2024-10-02 晚于今天（2024-10-01）；请填写已经完成或取得进展的日期",
        f"台账.xlsx:总表!K{lines[2]}: 完成时间 2023-12-31 不在这张表的年度内（2024-01-01 至 2025-03-31）",
    ]


def test_every_locked_column_of_the_table_text_is_checked(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    exported(target, bundled, table_id="2024", unit="司法局")
    book = openpyxl.load_workbook(target)
    sheet = book["总表"]
    line = _set(sheet, 6, "市司法局", A=7, B="三", G="牵头", H="已完成")
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY)
    assert rows == []
    assert [str(r) for r in refusals] == [
        f"台账.xlsx:总表!{column}{line}: 第6项任务的“{header}”被改动，与任务表不符"
        for column, header in (("A", "序号"), ("B", "部分"), ("G", "角色"))
    ]


def test_a_group_is_no_unit_of_a_ledger_or_calendar(bundled: Division) -> None:
    with pytest.raises(LookupFailedError, match="“市政府有关部门”是统称，不是单位"):
        ledger_rows(bundled, "市政府有关部门")
    with pytest.raises(LookupFailedError, match="是统称"):
        calendar_bytes(bundled, table_id=None, unit="各县区政府")


def test_a_calendar_counts_a_relevant_task_once_the_unit_reports_on_it(bundled: Division) -> None:
    def numbers(data: bytes) -> list[int]:
        return sorted(int(str(e["SUMMARY"]).split("：")[0].removeprefix("任务")) for e in events(data))

    # 18 and 22 reach 市司法局 only through groups of relevant members (市政府有关部门, 行业主管部门).
    assert numbers(calendar_bytes(bundled, table_id=None, unit="司法局")) == [6, 17, 35, 36, 37, 39]
    task22 = query.find_task(bundled, 22)
    report = ProgressRecord("市司法局", 22, fingerprint(task22), date(2024, 7, 1), "on_track", "已部署")
    reported = calendar_bytes(bundled, table_id=None, unit="司法局", records=[report])
    assert numbers(reported) == [6, 17, 22, 35, 36, 37, 39]


def test_a_row_an_older_export_made_for_a_group_is_skipped_unless_filled_in(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    exported(target, bundled, table_id="2024", unit=None)
    book = openpyxl.load_workbook(target)
    sheet = book["总表"]
    # Older exports gave a group covering members by their duties a row of its own.
    line = _line_of(sheet, 1, "市发展改革委")
    sheet[f"L{line}"].value = sheet[f"L{line}"].value.replace("|市发展改革委", "|市政府有关部门")
    book.save(target)
    assert read_filled_workbook(target, bundled, table_id="2024", today=TODAY) == ([], [])
    sheet[f"H{line}"].value = "已完成"
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY)
    assert rows == []
    assert [str(r) for r in refusals] == [
        f"台账.xlsx:总表!L{line}: “市政府有关部门”是统称，由成员单位各自报送；请重新导出台账，在本单位的行中填写"
    ]


def test_text_that_starts_with_a_quote_comes_back_as_it_went(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    said = [_record(bundled, 17, date(2024, 9, 3), "on_track", "'+86 电话专线已开通")]
    statuses = exported_statuses(said)
    write_workbook(target, bundled, table_id="2024", unit="司法局", statuses=statuses)
    sheet = openpyxl.load_workbook(target)["总表"]
    assert sheet[f"I{_line_of(sheet, 17, '市司法局')}"].value == "'+86 电话专线已开通"
    assert read_filled_workbook(target, bundled, table_id="2024", today=TODAY, records=said) == ([], [])


def test_a_sheet_missing_a_column_is_refused(bundled: Division, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    exported(target, bundled, table_id="2024", unit="司法局")
    book = openpyxl.load_workbook(target)
    book["市司法局"].delete_cols(2)
    book.save(target)
    rows, refusals = read_filled_workbook(target, bundled, table_id="2024", today=TODAY)
    assert rows == []
    assert [str(r) for r in refusals] == ["台账.xlsx:市司法局: 缺少列“部分”；请勿删除台账的列，可重新导出后报送"]
