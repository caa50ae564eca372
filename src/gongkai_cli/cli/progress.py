"""Following the year through: report, progress, export, remind.

They are registered on the app by cli/app.py; the work is in the library: gongkai_cli.progress (records,
statuses, reminders), exports/ (the 台账 workbook, calendars) and views/.
"""

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from .. import query, views
from ..errors import os_reason
from ..models import Division
from ..safetext import display_path, visible
from . import invocation
from .args import DONE_WORDS, FormatOpt, TodayOpt, parse_choice, parse_date, parse_format, parse_today, resolve_entity
from .errors import EXIT_DATA, EXIT_USAGE, argument_errors, fail, note

ReportStatus = Annotated[
    str | None,
    typer.Option(
        "--status", "-s", help="状态：未开始、按序时推进、已完成、未达预期。", metavar="状态", show_default=False
    ),
]


def report(
    ctx: typer.Context,
    task: Annotated[str | None, typer.Argument(help="任务编号。", metavar="任务编号", show_default=False)] = None,
    unit_name: Annotated[
        str | None, typer.Option("--unit", "-u", help="报送的单位。", metavar="单位", show_default=False)
    ] = None,
    status: ReportStatus = None,
    day: Annotated[
        str | None, typer.Option("--date", help="进展日期，默认今天。", metavar="日期", show_default=False)
    ] = None,
    progress_note: Annotated[
        str | None, typer.Option("--note", help="工作进展情况。", metavar="文字", show_default=False)
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", help="佐证材料的网址或文件路径，可写多次。", metavar="网址", show_default=False),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="报送人。", metavar="姓名", show_default=False)] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="定期任务的哪一期，如 2024-Q2、2024-06。", metavar="期", show_default=False),
    ] = None,
    filled: Annotated[
        Path | None,
        typer.Option("--from", help="汇总各单位填好的台账（.xlsx），只取新增或改动的行。", metavar="台账"),
    ] = None,
    today: TodayOpt = None,
) -> None:
    """报送一项任务的进展，追加一条记录（不改动已有内容）；或用 --from 汇总各单位填好的台账。

    \b
    示例：
      gongkai report 12 --unit 市司法局 --status 已完成 --note 已印发实施办法
      gongkai report --from 台账.xlsx
    """
    from ..progress import STATUS_KEYS, STATUSES, RecordRefusedError, append_record
    from ..query import roster_unit
    from ..workspace import progress_folder

    if filled is not None:
        given: dict[str, object] = {
            "任务编号": task,
            "--unit": unit_name,
            "--status": status,
            "--date": day,
            "--note": progress_note,
            "--evidence": evidence,
            "--by": by,
            "--period": period,
        }
        extra = next((name for name, value in given.items() if value is not None), None)
        if extra is not None:
            gap = " " if extra.startswith("-") else ""
            fail(
                f"{extra}{gap}不能与 --from 同时使用：台账的每一行已写明任务、单位和进展，请去掉{gap}{extra}。",
                EXIT_USAGE,
            )
    division = invocation.division(ctx)
    now = parse_today(today, division)
    table = invocation.chosen_table(ctx)
    table_id, target = table.key, progress_folder(table.folder)
    if filled is not None:
        _report_from_workbook(filled, division, table_id, target, now)
        return
    if task is None or unit_name is None or status is None:
        fail(
            "报送一条记录请写任务编号、--unit 和 --status，如 gongkai report 12 --unit 市司法局 --status 已完成；汇总台账用 --from。",
            EXIT_USAGE,
        )
    with argument_errors():
        ident = division.task_id(query.find_task(division, task))
    key = STATUS_KEYS.get(status.strip())
    if key is None:
        fail(f"没有“{status}”这种状态，--status 可写：未开始、按序时推进、已完成、未达预期。", EXIT_USAGE)
    label = STATUSES[key]
    with argument_errors():
        unit = roster_unit(division, unit_name)
    for option, text in (("--note", progress_note), ("--by", by)):
        if text is not None and not text.strip():
            fail(f"{option} 不能为空，请写上内容。", EXIT_USAGE)
    when = parse_date("--date", day, division)
    if when is None:
        from ..progress.records import outside_year

        why = outside_year(division, now)
        if why is not None:
            fail(f"今天（{now}）{why}；请用 --date 写明进展日期，或用 --today 指定今天", EXIT_USAGE)
        when = now
    target.mkdir(parents=True, exist_ok=True)
    try:
        path = append_record(
            target,
            division,
            unit=unit.name,
            task=ident,
            date=when,
            status=label,
            progress=progress_note or label,
            today=now,
            evidence=tuple(evidence or ()),
            reported_by=by,
            period=period,
        )
    except RecordRefusedError as e:
        # Problems of the new record come from the arguments, and each message names what it is about. Without
        # them (an unreadable or unappendable file), the refusal is about the data.
        if not e.problems:
            fail(str(e), EXIT_DATA)
        from_arguments = any(p.code in _ARGUMENT_CODES for p in e.problems)
        fail(("" if from_arguments else "记录未写入：") + "；".join(p.message for p in e.problems), EXIT_USAGE)
    note(f"已追加到 {display_path(path)}：任务 {ident}，{label}，{when.isoformat()}")


# The problems of a new record that come from `report`'s arguments (--date, --status, --evidence, --period, the
# task), by their codes.
_ARGUMENT_CODES = frozenset(
    ("progress-date", "progress-status", "progress-evidence", "progress-period", "progress-owe")
)


def _report_from_workbook(filled: Path, division: Division, table_id: str | None, target: Path, now: date) -> None:
    """Every row of a filled workbook that says something no record in `target` says yet, as a record; with any
    refusal, no record at all."""
    from ..exports.filled import read_filled_workbook
    from ..progress import RecordRefusedError, append_records, read_progress

    known, _ = read_progress(target, division, today=now)
    rows, refusals = read_filled_workbook(filled, division, table_id=table_id, today=now, records=known)
    for refusal in refusals:
        sys.stdout.write(visible(f"{refusal.where}: {refusal.message}", newlines=False) + "\n")
    if refusals:
        fail(f"台账有 {len(refusals)} 处被拒绝（见上），一条记录也没有写入。", EXIT_DATA)
    try:
        append_records(target, division, [row.report(now) for row in rows], today=now)
    except RecordRefusedError as e:
        where = rows[e.index].where if e.index is not None else display_path(target)
        fail(f"{where}：{e}；一条记录也没有写入。", EXIT_DATA)
    except OSError as e:
        fail(f"无法写入 {display_path(target)}（{os_reason(e)}）；一条记录也没有写入。", EXIT_DATA)
    note(f"已汇总台账 {display_path(filled)}：新增或改动的 {len(rows)} 行写入 {display_path(target)}。")
    for row in rows:
        period = f"（{row.period} 期）" if row.period else ""
        note(f"任务 {row.number}{period}，{row.unit}，{row.status}，{(row.finished or now).isoformat()}")


def progress_command(
    ctx: typer.Context,
    unit_name: Annotated[
        str | None,
        typer.Option("--unit", "-u", help="只看这个单位：逐项列出状态。", metavar="单位", show_default=False),
    ] = None,
    section: Annotated[
        str | None, typer.Option("--section", help="只看一个部分，如“四”或“4.2”。", metavar="部分", show_default=False)
    ] = None,
    by_task: Annotated[
        bool, typer.Option("--tasks", help="逐项列出各任务哪些单位已报送、哪些未报送。", show_default=False)
    ] = False,
    today: TodayOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """各单位落实情况：应办、已完成、按序时推进、未达预期、未报送、逾期和完成率；-f md 适合每周通报。

    \b
    示例：
      gongkai progress
      gongkai progress --unit 市司法局
      gongkai progress --tasks --section 四
      gongkai progress -f md
    """
    from ..progress import index_records, progress_summary, task_reports

    output = parse_format(fmt)
    division = invocation.division(ctx)
    now = parse_today(today, division)
    if section is not None:
        with argument_errors():
            query.find_section(division, section)
    name = None
    if unit_name is not None:
        if by_task:
            fail("--tasks 与 --unit 不能同时使用：--unit 已逐项列出这个单位的状态，请去掉 --tasks。", EXIT_USAGE)
        name = resolve_entity(unit_name, division).name
    records = index_records(invocation.records_of(ctx, division, now))
    try:
        summary = progress_summary(division, records, now, unit=name, section=section)
    except (KeyError, LookupError):
        fail(f"“{unit_name}”是统称，不是单位，请写其中一个成员单位的名称。", EXIT_USAGE)
    reports = task_reports(division, records, section=section, unit=name)
    listing = views.progress_listing(division, summary, reports, now, one_unit=name, by_task=by_task)
    invocation.answer(ctx, listing, output)


def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="导出什么：xlsx（台账）、ics（日历）、csv（台账总表）。", metavar="类型")],
    out: Annotated[Path, typer.Argument(help="写出的文件。", metavar="文件")],
    unit_name: Annotated[
        str | None, typer.Option("--unit", "-u", help="只导出这个单位的。", metavar="单位", show_default=False)
    ] = None,
    done: Annotated[
        str, typer.Option("--done", help="日历中已完成的任务：省略（omit）或标出（mark）。", metavar="方式")
    ] = "omit",
    today: TodayOpt = None,
) -> None:
    """导出台账工作簿（各单位填好后用 gongkai report --from 汇总）、日历（.ics）或 CSV。

    \b
    示例：
      gongkai export xlsx 台账.xlsx
      gongkai export ics 市司法局.ics --unit 市司法局
    """
    from ..exports.workbook import exported_statuses
    from ..progress import done_test, index_records
    from ..progress.status import current_periods, current_records
    from ..query import roster_unit

    if kind not in ("xlsx", "ics", "csv"):
        fail(f"不能导出“{kind}”，请写 xlsx（台账）、ics（日历）或 csv（台账总表）。", EXIT_USAGE)
    done = parse_choice("--done", "方式", done, ["omit", "mark"], DONE_WORDS)
    to_stdout = str(out) == "-"
    if to_stdout and kind != "csv":
        fail(f"{kind} 不能写到标准输出（-），请写一个文件名（只有 csv 可以写到 -）。", EXIT_USAGE)
    division = invocation.division(ctx)
    now = parse_today(today, division)
    entity = None
    if unit_name is not None:
        with argument_errors():
            entity = roster_unit(division, unit_name)
    name = entity.name if entity is not None else None
    records = index_records(invocation.records_of(ctx, division, now))
    table_id = invocation.chosen_table(ctx).key
    # A recurring task's rows report on the period current at today, pre-filled from the records on it.
    statuses, periods = exported_statuses(current_records(division, records, now)), current_periods(division, now)
    try:
        if kind == "xlsx":
            from ..exports.workbook import write_workbook

            count = write_workbook(out, division, table_id=table_id, unit=name, statuses=statuses, periods=periods)
            note(f"已写出 {display_path(out)}：{count} 行（总表）。")
        elif kind == "ics":
            from ..exports.ics import write_calendar

            count = write_calendar(
                out,
                division,
                unit=name,
                table_id=table_id,
                is_done=done_test(division, records, entity),
                done_mode="mark" if done == "mark" else "omit",
                records=records,
            )
            note(f"已写出 {display_path(out)}：{count} 个日程。")
        else:
            import io

            from ..exports.workbook import EXPORT_HEADER, export_rows
            from ..io.write import write_file
            from ..render import write_csv

            text = io.StringIO()
            rows = export_rows(division, name, statuses, periods)
            write_csv(text, EXPORT_HEADER, rows)
            if to_stdout:
                sys.stdout.write(text.getvalue())
                return
            write_file(out, text.getvalue().encode("utf-8"), export=True)
            note(f"已写出 {display_path(out)}：{len(rows)} 行。")
    except OSError as e:
        fail(f"无法写出 {display_path(out)}（{os_reason(e)}）", EXIT_DATA)


def remind(
    ctx: typer.Context,
    within: Annotated[
        str,
        typer.Option(
            "--within", help="提醒截止日期在从今天起的这段时长内的任务，如 14天、2周、1个月（或 14d）。", metavar="时长"
        ),
    ] = "14d",
    unit_name: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", help="只提醒这个单位，或这个统称的各成员单位。", metavar="单位", show_default=False
        ),
    ] = None,
    today: TodayOpt = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="输出格式：text（可直接粘贴的提醒文字）、md（Markdown）、表格（table）、json、csv。",
            metavar="格式",
        ),
    ] = "text",
) -> None:
    """各单位近期截止、尚未报送完成的任务，写成可贴到工作群或邮件里的提醒；名册写了联络人时点名。

    \b
    示例：
      gongkai remind --within 14d
      gongkai remind --unit 市司法局 -f md
    """
    from ..deadlines import parse_duration
    from ..progress import index_records, reminders
    from ..render import REMINDER_FORMATS, write_messages

    output = parse_format(fmt, REMINDER_FORMATS)
    with argument_errors():
        span = parse_duration(within)
    division = invocation.division(ctx)
    now = parse_today(today, division)
    entity = resolve_entity(unit_name, division) if unit_name is not None else None
    records = index_records(invocation.records_of(ctx, division, now))
    try:
        end = now + span
    except (OverflowError, ValueError):
        end = date.max
    found = reminders(division, records, now, end, entity)
    if output in ("text", "md"):
        title, messages = views.reminder_messages(division, found, now, end)
        write_messages(sys.stdout, title, messages, markdown=output == "md")
    else:
        invocation.answer(ctx, views.reminder_listing(division, found, now, end), output)


def repoint(
    ctx: typer.Context,
    old: Annotated[
        str,
        typer.Argument(
            help="记录报送时依据的旧版本：表目录、数据目录中的表或 git 版本（如 HEAD~1），写法同 diff。",
            metavar="旧版本",
        ),
    ],
) -> None:
    """任务要求改写或任务编号变化后，按 diff 的对应关系改写进展记录的任务编号和指纹（不必手改指纹）。

    \b
    示例：
      gongkai repoint HEAD~1
      gongkai repoint 2024
    """
    from ..diff import VersionNotFoundError, load_version
    from ..errors import DataError
    from ..progress.repoint import RepointRefusedError, apply_repoint, plan_repoint
    from ..workspace import progress_folder
    from .errors import fail_with_problems

    division = invocation.division(ctx)
    folder = progress_folder(invocation.chosen_table(ctx).folder)
    try:
        before = load_version(old, data_dir=invocation.location(ctx).folder, cwd=Path.cwd())
    except VersionNotFoundError as e:
        fail(str(e), EXIT_USAGE)
    except DataError as e:
        fail_with_problems(e.problems, f"旧版本的数据有 {len(e.problems)} 个问题，无法对应。", EXIT_DATA)
    plan = plan_repoint(before, division, folder)
    for doubt in plan.ambiguous:
        sys.stdout.write(visible(f"{display_path(doubt.path)}:{doubt.line}: {doubt.reason}", newlines=False) + "\n")
    try:
        written = apply_repoint(plan, folder)
    except RepointRefusedError as e:
        fail(f"{e}；请核对后手工改写这几条记录的 task 和 fingerprint", EXIT_DATA)
    for change in plan.changes:
        note(
            f"{display_path(change.path)}:{change.line}：任务 {change.old_task} → {change.new_task}，"
            f"指纹 {change.old_fingerprint} → {change.new_fingerprint}"
        )
    for skipped in plan.left:
        note(f"{display_path(skipped.path)}:{skipped.line}：未改写，{skipped.reason}")
    note(f"已改写 {len(plan.changes)} 条记录（{len(written)} 个文件）。")


__all__ = ["export", "progress_command", "remind", "repoint", "report"]
