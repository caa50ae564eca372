"""Keeping the tables: import, diff, init, tables, check.

import and init write a new table; diff compares two versions of one; tables lists a data folder's tables;
check validates data files, as CI and a pre-commit hook run it.
"""

import os
import stat
import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import query, views
from ..deadlines import parse_date_arg
from ..errors import DataError, LookupFailedError, Problem, os_reason
from ..load import check_folder, summarize_tables
from ..render import CHECK_FORMATS, emit_problems, make_console, print_note
from ..safetext import display_path, visible
from ..workspace import DATA_FILES
from . import invocation
from .args import FormatOpt, parse_format, parse_year
from .errors import EXIT_DATA, EXIT_USAGE, argument_errors, fail, fail_with_problems, note


def import_(
    source: Annotated[
        Path, typer.Argument(help="来源：.docx、.xlsx、.csv/.tsv，或从网页复制的文本（.txt）。", metavar="来源")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="写出新表的目录，如 data/2026。", metavar="目录")],
    year: Annotated[
        str | None,
        typer.Option("--year", help="计划年度；不写时从来源的文字中读出。", metavar="年份", show_default=False),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="已有的单位名册（units.yaml），只为名册中没有的单位写新条目。", metavar="名册"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="目录中已有表时也覆盖。")] = False,
) -> None:
    """把新一年的任务表（Word、Excel、CSV 或网页文本）导入为数据文件，只留下需要人工确认的地方。

    导入后按 gongkai check 的检查核对新表：需要人工确认的单元格（如读不出的时限）逐条列出，退出码为 1；
    只剩按猜测写入、待核对的名册条目（review: true）时退出码为 0。

    \b
    示例：
      gongkai import 通知.docx --out data/2026 --roster data/units.yaml
      gongkai check
    """
    from ..importers import ImportRefusedError, import_table

    plan_year = parse_year(year)
    if not source.exists():
        fail(f"要导入的文件 {display_path(source)} 不存在，请核对路径。", EXIT_USAGE)
    try:
        summary = import_table(source, out, year=plan_year, roster=roster, force=force)
    except ImportRefusedError as e:
        fail(str(e), EXIT_DATA)
    for doubt in summary.notes:
        sys.stdout.write(visible(f"{doubt.where}: {doubt.message}", newlines=False) + "\n")
    for line in summary.closing():
        note(line)
    if summary.backup is not None:
        note(f"原有的文件已备份到 {display_path(summary.backup)}（不会被当作表读取）。")
    if summary.needs_person:
        raise typer.Exit(EXIT_DATA)


def diff(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(help="旧版本：表目录、数据目录中的表（如 2025）或 git 版本（如 HEAD~1）。", metavar="旧")
    ],
    new: Annotated[
        str, typer.Argument(help="新版本，写法同上；版本后加冒号（HEAD:）表示一定按 git 版本理解。", metavar="新")
    ],
    unit_name: Annotated[
        str | None, typer.Option("--unit", "-u", help="只看这个单位的变化。", metavar="单位", show_default=False)
    ] = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="像 diff 命令那样用退出码报告：0 没有变化，1 有变化，2 出错。")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """比较两个版本的任务表：新增、删除、修改的任务（任务编号变化也能认出），以及各单位的变化。

    \b
    示例：
      gongkai diff 2025 2026
      gongkai diff HEAD~1 data/ -f md
    """
    from ..diff import VersionNotFoundError, diff_divisions, load_version
    from ..views.diff import emit_diff

    output = parse_format(fmt)
    state: invocation.State = ctx.obj
    location = state.location()
    trouble = EXIT_USAGE if exit_code else EXIT_DATA
    table_id, year = state.table, parse_year(state.year)
    try:
        before, after = (
            load_version(spec, data_dir=location.folder, cwd=Path.cwd(), table_id=table_id, year=year)
            for spec in (old, new)
        )
    except VersionNotFoundError as e:
        fail(str(e), EXIT_USAGE)
    except DataError as e:
        fail_with_problems(e.problems, f"数据有 {len(e.problems)} 个问题，无法比较。", trouble)
    try:
        table_diff = diff_divisions(before, after, unit=unit_name)
    except LookupFailedError as e:
        fail(str(e), EXIT_USAGE)
    emit_diff(table_diff, output)
    if exit_code and (table_diff.added or table_diff.removed or table_diff.changed or table_diff.renumbered):
        raise typer.Exit(EXIT_DATA)


def init(
    folder: Annotated[Path, typer.Argument(help="新表的目录，不存在时会创建。", metavar="目录", show_default=False)],
    title: Annotated[
        str, typer.Option("--title", help="表的标题，如“某市2026年政务公开重点任务分工”。", metavar="标题")
    ] = "政务公开重点任务分工",
    year: Annotated[
        str | None, typer.Option("--year", help="计划年度，默认为今年。", metavar="年份", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="目录中已有数据文件时也覆盖。")] = False,
) -> None:
    """新建一张任务表：写出带中文说明的 tasks.yaml 和 units.yaml 骨架，可直接通过检查。

    \b
    示例：
      gongkai init 2026 --title 某市2026年政务公开重点任务分工
      gongkai check 2026
    """
    from ..skeleton import InitError, write_skeleton

    plan_year = parse_year(year) or query.today_in_china().year
    try:
        written = write_skeleton(folder, title=title, year=plan_year, force=force)
    except InitError as e:
        fail(str(e), EXIT_USAGE)
    for path in written:
        note(f"已写出 {display_path(path)}")
    note(f"照原表录入后运行：gongkai check {display_path(folder)}")


def tables(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """列出数据目录中的各张任务表：表名、年度、任务数，以及默认使用哪一张。

    \b
    示例：
      gongkai tables
      gongkai --year 2025 due --within 30d
    """
    from ..workspace import WorkspaceError, choose_table, survey

    output = parse_format(fmt)
    location = invocation.location(ctx)
    found, ignored = survey(location.folder)
    try:
        default = choose_table(found, today_year=query.today_in_china().year).id if found else None
    except WorkspaceError:  # two tables share the default's id: check names them
        default = None
    invocation.answer(ctx, views.tables_listing(summarize_tables(found), default), output)
    for name, why in ignored:
        note(f"未读取子目录 {display_path(name)}：{why}")


def _data_dirs(paths: list[Path]) -> list[Path]:
    """The data folders named by `check` arguments (a data file stands for its folder)."""
    folders: list[Path] = []
    for path in paths:
        shown = display_path(path)
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            fail(f"{shown} 不存在，请核对路径。", EXIT_USAGE)
        except OSError as e:
            fail(f"无法访问 {shown}（{os_reason(e)}）。", EXIT_USAGE)
        if stat.S_ISDIR(mode):
            folder = path
        elif path.name in DATA_FILES:
            folder = path.parent
        else:
            fail(f"{shown} 不是 gongkai 数据文件，请写数据目录或 {'、'.join(DATA_FILES)}。", EXIT_USAGE)
        if folder not in folders:
            folders.append(folder)
    return folders


def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="数据目录或数据文件，可写多个。默认检查查询时会读的数据。", metavar="路径", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text：每行一个问题（文件:行:列: 问题）；github：GitHub Actions 标注；json：每个问题一个对象。",
            metavar="格式",
        ),
    ] = "text",
    strict: Annotated[
        bool, typer.Option("--strict", help="提醒（如待确认的名册条目、可删除的存储值）也算问题，退出码为 1。适合 CI。")
    ] = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", help="把这一天当作今天：进展记录的日期不能晚于它。", metavar="日期", show_default=False
        ),
    ] = None,
) -> None:
    """检查数据文件：格式、任务编号、单位、时限、考评加减分，列出全部问题和提醒。

    有问题时退出码为 1，适合在 CI 和提交前运行；提醒不影响退出码，除非加 --strict。

    \b
    示例：
      gongkai check
      gongkai check --strict --format github data/
    """
    from ..workspace import holding_folder

    output = parse_format(fmt, CHECK_FORMATS)
    state: invocation.State = ctx.obj
    folders = _data_dirs(paths) if paths else [state.location().folder]
    # A table folder (data/2025) is checked with the roster above it; once, when its data folder is checked too.
    table_folders = {folder for folder in folders if holding_folder(folder) is not None}
    folders = [folder for folder in folders if folder not in table_folders or holding_folder(folder) not in folders]
    found_all: list[Problem] = []
    counts = []
    pinned = None
    if today is not None:
        with argument_errors():
            pinned = parse_date_arg(today, query.today_in_china().year)
    for folder in folders:
        for table_id, division, found in check_folder(folder, today=pinned):
            found_all += found
            if division is not None:
                named = table_id is not None and folder not in table_folders
                where = display_path(folder) + (f" 表 {display_path(table_id or '')}" if named else "")
                reminded = sum(1 for p in found if p.severity == "notice")
                counts.append(
                    (
                        f"{where}：{len(division.tasks)} 项任务、{len(division.units_file.units)} 个单位、"
                        f"{len(division.units_file.groups)} 个统称",
                        0 if strict else reminded,
                    )
                )
    problems = [p for p in found_all if strict or p.severity != "notice"]
    notices = [p for p in found_all if not strict and p.severity == "notice"]
    emit_problems(problems, output)
    summary = make_console(stderr=True)
    for notice in notices:
        # A reminder for the person at the terminal; a ready-to-paste roster entry keeps its lines.
        summary.print(f"提醒：{visible(str(notice))}", markup=False, highlight=False, soft_wrap=True)
    if problems:
        files = len({p.path for p in problems})
        print_note(
            summary,
            f"（涉及 {files} 个文件）。改正后再运行 gongkai check。",
            lead=f"发现 {len(problems)} 个问题",
            lead_style="red",
        )
        raise typer.Exit(EXIT_DATA)
    for line, reminded in counts:
        reminders = f"，{reminded} 条提醒" if reminded else ""
        print_note(summary, f" {line}，未发现问题{reminders}。", lead="✓", lead_style="green")


__all__ = ["check", "diff", "import_", "init", "tables"]
