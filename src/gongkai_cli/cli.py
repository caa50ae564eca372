"""The `gongkai` command: parse arguments, call the library, render, map errors to exit codes."""

import contextlib
import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from . import __version__, cli_progress, owing, query, views
from .cli_options import FormatOpt, TodayOpt
from .click_chinese import ChineseGroup
from .deadlines import TimeLimitError, parse_date_arg, parse_duration
from .errors import DataError, GongkaiError, LookupFailedError, Problem, os_reason
from .load import check_folder, load_data
from .models import Division, Group
from .render import CheckFormat, Format, Listing, ReminderFormat, emit, emit_problems, make_console, silence_stdout
from .safetext import display_path, visible
from .tuples import NamedTuple
from .workspace import DATA_FILES, DataLocation, WorkspaceError, locate_data

# Exit codes, documented in the README.
EXIT_DATA = 1
EXIT_USAGE = 2

app = typer.Typer(
    cls=ChineseGroup,
    name="gongkai",
    help="政务公开重点任务分工查询：各单位承担哪些任务、何时到期。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State(NamedTuple):
    """Options given before the command."""

    data_option: Path | None = None
    paging: bool = True
    table: str | None = None
    year: str | None = None

    def location(self) -> DataLocation:
        """The data folder this invocation reads: --data, GONGKAI_DATA, found upward from here, or bundled."""
        try:
            return locate_data(self.data_option)
        except WorkspaceError as e:
            _fail(str(e), EXIT_USAGE)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gongkai {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar=None,  # read by workspace.locate_data, which tells the option and the variable apart
            help="数据目录，含 tasks.yaml 和 units.yaml。默认在当前目录及上级目录（含其下的 data 目录）中查找，找不到时用随包附带的数据。",
            metavar="目录",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            help="数据目录有多张表时，用哪一张（子目录名，见 gongkai tables）。",
            metavar="表",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            help="数据目录有多张表时，用这一年的表。默认为今年的表，没有则用最新的一张。",
            metavar="年份",
            show_default=False,
        ),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="长表格不经分页器（less）显示。也可设置环境变量 GONGKAI_PAGER 为空。"),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = False,
) -> None:
    ctx.obj = State(data, paging=not no_pager, table=table, year=year)


def _fail(message: str, code: int) -> NoReturn:
    from rich.markup import escape

    # soft_wrap: an error message stays one line, whatever the terminal width, so it can be grepped.
    make_console(stderr=True).print(f"[red]错误：[/]{escape(visible(message))}", soft_wrap=True)
    raise typer.Exit(code)


def _division(ctx: typer.Context) -> Division:
    state: State = ctx.obj
    location = state.location()
    ctx.meta[_LOCATION] = location
    try:
        division = load_data(location.folder, table=state.table, year=_year(state.year))
        ctx.meta[_DIVISION] = division
        return division
    except WorkspaceError as e:
        _fail(str(e), EXIT_USAGE)
    except DataError as e:
        emit_problems(e.problems, CheckFormat.text, sys.stderr)
        _fail(f"数据有 {len(e.problems)} 个问题，先运行 {_check_command(location)} 查看并改正。", EXIT_DATA)


_LOCATION = "gongkai.location"
_DIVISION = "gongkai.division"


def _year(text: str | None) -> int | None:
    """The --year value as a number; parsed here, so that its error is ours and in Chinese."""
    if text is None:
        return None
    digits = text.strip().removesuffix("年")
    if not (digits.isascii() and digits.isdigit() and len(digits) == 4):
        _fail(f"参数 --year：“{text}”不是年份，请写四位数字，如 2025", EXIT_USAGE)
    return int(digits)


def _answer(ctx: typer.Context, listing: Listing, fmt: Format, *, full: bool = False) -> None:
    """Print a command's answer; a table read from data other than the bundled copy says which folder it read."""
    location: DataLocation | None = ctx.meta.get(_LOCATION)
    if fmt is Format.table and location is not None and not location.is_bundled:
        listing = listing._replace(source=f"数据：{display_path(location.folder)}")
    state: State = ctx.obj
    division: Division | None = ctx.meta.get(_DIVISION)
    if fmt is Format.table and division is not None:
        listing = listing._replace(context=views.table_heading(division))
    emit(listing, fmt, pager=_pager() if state.paging and fmt is Format.table else None, full=full)


def _pager() -> Callable[[str], None] | None:
    """The pager for a long table, the way git chooses one: only on a terminal; GONGKAI_PAGER, else PAGER, else less.

    An empty GONGKAI_PAGER (or "cat") turns paging off.
    """
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        return None
    command = os.environ.get("GONGKAI_PAGER", os.environ.get("PAGER", "less"))
    if command.strip() in ("", "cat"):
        return None

    def page(text: str) -> None:
        import subprocess

        # As git does: quit if one screen, keep colours, leave the text on screen; unless LESS says otherwise.
        env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LV": os.environ.get("LV", "-c")}
        try:
            subprocess.run(
                command, shell=True, input=text.encode(sys.stdout.encoding or "utf-8", "replace"), env=env, check=False
            )
        except OSError:  # no such pager: the table is printed as it is
            sys.stdout.write(text)

    return page


def _check_command(location: DataLocation) -> str:
    """The check command that reports the problems of the data this invocation reads."""
    import shlex

    return "gongkai check" if location.is_bundled else f"gongkai check {shlex.quote(display_path(location.folder))}"


@contextmanager
def _argument(name: str) -> Iterator[None]:
    """Turn a lookup or parse failure on the argument `name` into a usage error (exit 2) that names it."""
    try:
        yield
    except LookupFailedError as e:
        candidates = "".join(f"\n  {c}" for c in e.candidates) if len(e.candidates) > 1 else ""
        _fail(f"{_named(name)}：{e}{candidates}", EXIT_USAGE)
    except TimeLimitError as e:
        _fail(f"{_named(name)}：{e}", EXIT_USAGE)


def _named(argument: str) -> str:
    """How an error names an argument: 参数 --before for an option, 参数“单位”for a positional one."""
    return f"参数 {argument}" if argument.startswith("-") else f"参数“{argument}”"


def _date(option: str, value: str | None, division: Division) -> date | None:
    if value is None:
        return None
    with _argument(option):
        day = parse_date_arg(value, division.year)
    return day


def _today(value: str | None, division: Division) -> date:
    return _date("--today", value, division) or query.today_in_china()


def _entity(argument: str, name: str, division: Division) -> owing.Entity:
    with _argument(argument):
        entity = query.resolve(division, name)
    return entity


def _complete_unit(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        option = ctx.find_root().params.get("data")  # during completion the value has not been converted yet
        division = load_data(locate_data(Path(option) if option else None).folder)
    except GongkaiError:
        return []
    names = [n for e in query.entities(division) for n in query.names_of(e)]
    return [n for n in names if incomplete in n]


def _window(
    division: Division, before: str | None, after: str | None, within: str | None, overdue: bool, today: date
) -> query.DateWindow:
    if within is not None and overdue:
        _fail("参数 --within 与 --overdue 不能同时使用：一个看今后，一个看已过期", EXIT_USAGE)
    with _argument("--within"):
        span = parse_duration(within) if within is not None else None
    last, first = _date("--before", before, division), _date("--after", after, division)
    if last is not None and first is not None and first > last:
        _fail(f"参数 --after（{first}）晚于 --before（{last}），这个范围里没有日期；请对调两者", EXIT_USAGE)
    return query.due_window(before=last, after=first, today=today, within=span, overdue=overdue)


def _explain_empty(listing: Listing, fmt: Format, today: date, division: Division) -> None:
    """Under an empty table, say which today and plan year the answer used: the usual reason for nothing."""
    if fmt is Format.table and not listing.rows():
        _note(
            f"提示：今天按 {today.isoformat()} 计，数据是 {division.year} 年的任务表；"
            "可用 --today 指定日期，或放宽 --before、--after、--within"
        )


def _note(message: str) -> None:
    """A hint for the person at the terminal, on stderr so that it never mixes with the answer."""
    make_console(stderr=True).print(visible(message), markup=False, highlight=False, soft_wrap=True)


BeforeOpt = Annotated[
    str | None,
    typer.Option(
        "--before",
        help="截止日期在此日或之前。写法如 2024-09-30、2024/9/30、9/30、2024年9月30日、9月底、9月、三季度末、上半年、年底。",
        metavar="日期",
        show_default=False,
    ),
]
AfterOpt = Annotated[
    str | None,
    typer.Option("--after", help="截止日期在此日或之后，写法同 --before。", metavar="日期", show_default=False),
]
WithinOpt = Annotated[
    str | None,
    typer.Option(
        "--within",
        help="从今天起多久内到期：30d、2w、1m、1y，或 30天、2周、1个月、1年。",
        metavar="时长",
        show_default=False,
    ),
]
OverdueOpt = Annotated[bool, typer.Option("--overdue", help="只列已过截止日期（早于今天）的任务。")]
FullOpt = Annotated[bool, typer.Option("--full", help="表格中显示完整的任务要求，不只前几行。")]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        "-u",
        help="只列这个单位承担的任务，写法同 gongkai unit。",
        metavar="单位",
        autocompletion=_complete_unit,
        show_default=False,
    ),
]


def _format(value: str, allowed: type[Format] | type[CheckFormat] | type[ReminderFormat] = Format) -> Any:
    """The --format value as its enum member; parsed here, so that the error is ours and in Chinese."""
    try:
        return allowed(value.strip().lower())
    except ValueError:
        choices = "、".join(member.value for member in allowed)
        _fail(f"参数 --format：没有格式“{value}”，可用：{choices}", EXIT_USAGE)


@app.command()
def unit(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="单位或群体：全称、表中写法、简称、片段（司法）或拼音（sifaju、sfj）。",
            metavar="单位",
            autocompletion=_complete_unit,
        ),
    ],
    before: BeforeOpt = None,
    after: AfterOpt = None,
    within: WithinOpt = None,
    overdue: OverdueOpt = False,
    today: TodayOpt = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort", help="排序：role（按关系，最强的在前）或 date（按截止日期，最急的在前）。", metavar="方式"
        ),
    ] = "role",
    full: FullOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """列出一个单位承担的全部任务：牵头、负责、配合、全体（经群体）、相关（按职责）。

    每项任务只列一次，列在最强的关系下。县区政府、管委会和群体本身也可查询。

    \b
    示例：
      gongkai unit 市司法局
      gongkai unit 青阳县 --before 2024-09-30
    """
    output = _format(fmt)
    if sort not in views.UNIT_ORDERS:
        _fail(f"参数 --sort：没有排序方式“{sort}”，可用：{'、'.join(views.UNIT_ORDERS)}", EXIT_USAGE)
    division = _division(ctx)
    entity = _entity("单位", name, division)
    day = _today(today, division)
    owed = shown = owing.obligations(division, entity)
    latest, done = {}, None
    records = cli_progress.records_of(ctx, division, day)
    if records:
        from .progress import done_test, index_records, latest_record

        index = index_records(records)
        latest = {o.task.number: r for o in owed if (r := latest_record(index, o.task, entity.name)) is not None}
        done = done_test(division, index, entity)
    if any(option is not None for option in (before, after, within)) or overdue:
        window = _window(division, before, after, within, overdue, day)
        shown = query.in_window(owed, window)
        if done is not None and (overdue or within is not None):  # what is still to do: leave out what is done
            shown = [o for o in shown if query.open_in_window(o.task, window, done)]
    listing = views.unit_listing(division, entity, owed, shown, day, order=sort, latest=latest, done=done)
    _answer(ctx, listing, output, full=full)
    if output is Format.table:
        if isinstance(entity, Group):
            _note(views.group_members_line(entity, owing.members(division, entity)))
        if query.next_deadline((o.task for o in owed), day, done) is None:
            _note(f"提示：今天按 {day.isoformat()} 计，数据是 {division.year} 年的任务表；可用 --today 指定日期")
        elif owed and not shown:
            _explain_empty(listing, output, day, division)


@app.command()
def due(
    ctx: typer.Context,
    before: BeforeOpt = None,
    after: AfterOpt = None,
    within: WithinOpt = None,
    overdue: OverdueOpt = False,
    unit_name: UnitOpt = None,
    include_ongoing: Annotated[
        bool, typer.Option("--include-ongoing", help="在有日期的任务之后，另列持续推进和自某日起的任务。")
    ] = False,
    today: TodayOpt = None,
    full: FullOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """列出在某日之前（含当日）到期的任务，按日期、编号排序。

    \b
    示例：
      gongkai due --before 2024-09-30
      gongkai due --within 30d --today 2024-09-01
    """
    output = _format(fmt)
    division = _division(ctx)
    day = _today(today, division)
    tasks = list(division.tasks)
    entity = None
    if unit_name is not None:
        entity = _entity("--unit", unit_name, division)
        tasks = query.owed_tasks(division, entity)
    if include_ongoing and overdue:
        _fail(
            "参数 --include-ongoing：与 --overdue 不能同时使用；持续推进和及时的任务没有截止日期，不会逾期", EXIT_USAGE
        )
    window = _window(division, before, after, within, overdue, day)
    chosen = query.dated(tasks, window)
    if overdue or within is not None:  # what is still to do: leave out what is reported done
        records = cli_progress.records_of(ctx, division, day)
        if records:
            from .progress import done_test

            done = done_test(division, records, entity)
            chosen = [t for t in chosen if query.open_in_window(t, window, done)]
    if include_ongoing:
        chosen += query.undated(tasks)
    listing = views.task_listing(division, chosen)
    _answer(ctx, listing, output, full=full)
    _explain_empty(listing, output, day, division)


@app.command()
def show(
    ctx: typer.Context,
    numbers: Annotated[list[str], typer.Argument(help="任务编号，可写多个。", metavar="编号")],
    fmt: FormatOpt = "table",
) -> None:
    """显示任务的全部内容：要求、责任单位、时限及其解读、加减分。

    \b
    示例：
      gongkai show 17
      gongkai show 17 23
    """
    output = _format(fmt)
    division = _division(ctx)
    with _argument("编号"):
        tasks = [query.find_task(division, query.task_number(text)) for text in numbers]
    _answer(ctx, views.show_listing(division, tasks), output)


@app.command()
def section(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="部分写作 四、4 或 四、；小标题写作 四.二 或 4.2。", metavar="部分")],
    full: FullOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """列出一个部分（或小标题）下的任务。

    \b
    示例：
      gongkai section 四
      gongkai section 4.2
    """
    output = _format(fmt)
    division = _division(ctx)
    with _argument("部分"):
        found = query.find_section(division, ref)
    listing = views.task_listing(division, query.section_tasks(found), title=views.section_heading(found))
    _answer(ctx, listing, output, full=full)


@app.command()
def sections(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """列出任务表的目录：各部分、小标题及其任务编号。

    \b
    示例：
      gongkai sections
    """
    output = _format(fmt)
    division = _division(ctx)
    _answer(ctx, views.contents_listing(division), output)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="要查找的文字。", metavar="文字")],
    full: FullOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """在任务要求、标题、责任单位和时限中全文查找，并高亮匹配处。

    \b
    示例：
      gongkai search 解读
    """
    output = _format(fmt)
    division = _division(ctx)
    with _argument("文字"):
        hits = query.search(division, text)
    _answer(ctx, views.search_listing(division, hits, text), output, full=full)


@app.command()
def units(ctx: typer.Context, today: TodayOpt = None, fmt: FormatOpt = "table") -> None:
    """列出全部单位和群体，以及各自牵头、负责、配合、全体、相关的任务数和下一截止日期。

    \b
    示例：
      gongkai units --format csv
    """
    output = _format(fmt)
    division = _division(ctx)
    day = _today(today, division)
    rows = [(entity, owing.obligations(division, entity)) for entity in query.entities(division)]
    done_by = None
    records = cli_progress.records_of(ctx, division, day)
    if records:
        from .progress import done_test, index_records

        index = index_records(records)

        def done_by(entity: owing.Entity) -> query.DoneTest:
            return done_test(division, index, entity)

    _answer(ctx, views.summary_listing(division, rows, day, done_by), output)


@app.command()
def timeline(ctx: typer.Context, unit_name: UnitOpt = None, full: FullOpt = False, fmt: FormatOpt = "table") -> None:
    """按月份列出有截止日期的任务，一眼看清全年节点。

    \b
    示例：
      gongkai timeline --unit 司法局
    """
    output = _format(fmt)
    division = _division(ctx)
    tasks = list(division.tasks)
    if unit_name is not None:
        tasks = query.owed_tasks(division, _entity("--unit", unit_name, division))
    _answer(ctx, views.timeline_listing(division, query.by_month(tasks)), output, full=full)


@app.command()
def scoring(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """列出任务中规定的全部考评加分和减分。

    \b
    示例：
      gongkai scoring
    """
    output = _format(fmt)
    division = _division(ctx)
    _answer(ctx, views.scoring_listing(query.scoring_rules(division)), output)


@app.command("import")
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

    需要人工确认时（如读不出的时限、名册中没有的单位）逐条列出，退出码为 1。

    \b
    示例：
      gongkai import 通知.docx --out data/2026 --roster data/units.yaml
      gongkai check
    """
    from .importers import ImportRefusedError, import_table

    plan_year = _year(year)
    if not source.exists():
        _fail(f"参数“来源”：{display_path(source)} 不存在", EXIT_USAGE)
    try:
        summary = import_table(source, out, year=plan_year, roster=roster, force=force)
    except ImportRefusedError as e:
        _fail(str(e), EXIT_DATA)
    for note in summary.notes:
        sys.stdout.write(visible(f"{note.where}: {note.message}", newlines=False) + "\n")
    new_units = (
        f"，名册中没有的单位 {len(summary.new_units)} 个（已写入 units.yaml，待确认）" if summary.new_units else ""
    )
    cleaned = f"，清理了 {summary.normalised} 个不可见字符" if summary.normalised else ""
    _note(
        f"已导入到 {display_path(summary.out)}：{summary.tasks} 项任务、{summary.sections} 个部分{new_units}{cleaned}。"
    )
    if summary.backup is not None:
        _note(f"原有的文件已备份到 {display_path(summary.backup)}（不会被当作表读取）。")
    if summary.notes:
        _note(f"有 {len(summary.notes)} 处需要人工确认（见上）；改好后运行 gongkai check {display_path(summary.out)}。")
        raise typer.Exit(EXIT_DATA)


@app.command()
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
    """比较两个版本的任务表：新增、删除、修改的任务（编号变化也能认出），以及各单位的变化。

    \b
    示例：
      gongkai diff 2025 2026
      gongkai diff HEAD~1 data/ -f md
    """
    from .diff import VersionNotFoundError, diff_divisions, load_version
    from .views.diff import emit_diff

    output = _format(fmt)
    state: State = ctx.obj
    location = state.location()
    trouble = EXIT_USAGE if exit_code else EXIT_DATA
    try:
        before, after = (load_version(spec, data_dir=location.folder, cwd=Path.cwd()) for spec in (old, new))
    except VersionNotFoundError as e:
        _fail(str(e), EXIT_USAGE)
    except DataError as e:
        emit_problems(e.problems, CheckFormat.text, sys.stderr)
        _fail(f"数据有 {len(e.problems)} 个问题，无法比较。", trouble)
    try:
        table_diff = diff_divisions(before, after, unit=unit_name)
    except LookupFailedError as e:
        _fail(f"参数 --unit：{e}", EXIT_USAGE)
    emit_diff(table_diff, output)
    if exit_code and (table_diff.added or table_diff.removed or table_diff.changed or table_diff.renumbered):
        raise typer.Exit(EXIT_DATA)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="新表的目录，不存在时会创建。", metavar="目录", show_default=False)],
    title: Annotated[
        str, typer.Option("--title", help="表的标题，如 某市2026年政务公开重点任务分工。", metavar="标题")
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
    from .skeleton import InitError, write_skeleton

    plan_year = _year(year) or query.today_in_china().year
    try:
        written = write_skeleton(folder, title=title, year=plan_year, force=force)
    except InitError as e:
        _fail(str(e), EXIT_USAGE)
    for path in written:
        _note(f"已写出 {display_path(path)}")
    _note(f"照原表录入后运行：gongkai check {display_path(folder)}")


@app.command()
def tables(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """列出数据目录中的各张任务表：表名、年度、任务数，以及默认使用哪一张。

    \b
    示例：
      gongkai tables
      gongkai --year 2025 due --within 30d
    """
    from .workspace import Table, choose_table
    from .workspace import tables as tables_of

    output = _format(fmt)
    state: State = ctx.obj
    location = state.location()
    found = tables_of(location.folder)
    default = choose_table(found, today_year=query.today_in_china().year).id if found else None
    rows: list[tuple[Table, Division | None, int]] = []
    for table in found:
        try:
            division = (
                load_data(location.folder, table=table.id) if table.id is not None else load_data(location.folder)
            )
        except DataError as e:
            rows.append((table, None, len(e.problems)))
        else:
            rows.append((table, division, 0))
    ctx.meta[_LOCATION] = location
    _answer(ctx, views.tables_listing(rows, default), output)


# Following the year through: report, progress, export, remind (cli_progress.py).
app.command("report")(cli_progress.report)
app.command("progress")(cli_progress.progress_command)
app.command("export")(cli_progress.export)
app.command("remind")(cli_progress.remind)


def _data_dirs(paths: list[Path]) -> list[Path]:
    """The data folders named by `check` arguments (a data file stands for its folder)."""
    folders: list[Path] = []
    for path in paths:
        shown = display_path(path)
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            _fail(f"参数“路径”：{shown} 不存在", EXIT_USAGE)
        except OSError as e:
            _fail(f"参数“路径”：{shown} 无法访问（{os_reason(e)}）", EXIT_USAGE)
        if stat.S_ISDIR(mode):
            folder = path
        elif path.name in DATA_FILES:
            folder = path.parent
        else:
            _fail(f"参数“路径”：{shown} 不是 gongkai 数据文件（应为数据目录或 {'、'.join(DATA_FILES)}）", EXIT_USAGE)
        if folder not in folders:
            folders.append(folder)
    return folders


@app.command()
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
    """检查数据文件：格式、编号、单位、时限、加减分，列出全部问题和提醒。

    有问题时退出码为 1，适合在 CI 和提交前运行；提醒不影响退出码，除非加 --strict。

    \b
    示例：
      gongkai check
      gongkai check --strict --format github data/
    """
    output = _format(fmt, CheckFormat)
    state: State = ctx.obj
    folders = _data_dirs(paths) if paths else [state.location().folder]
    found_all: list[Problem] = []
    counts = []
    pinned = None
    if today is not None:
        with _argument("--today"):
            pinned = parse_date_arg(today, query.today_in_china().year)
    for folder in folders:
        for table_id, division, found in check_folder(folder, today=pinned):
            found_all += found
            if division is not None:
                where = display_path(folder) + (f" 表 {display_path(table_id)}" if table_id is not None else "")
                reminded = sum(1 for p in found if p.severity == "notice")
                counts.append(
                    (
                        f"{where}：{len(division.tasks)} 项任务、{len(division.units_file.units)} 个单位、"
                        f"{len(division.units_file.groups)} 个群体",
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
        summary.print(
            f"[red]发现 {len(problems)} 个问题[/]（涉及 {files} 个文件）。改正后再运行 gongkai check。", soft_wrap=True
        )
        raise typer.Exit(EXIT_DATA)
    from rich.markup import escape

    for line, reminded in counts:
        reminders = f"，{reminded} 条提醒" if reminded else ""
        summary.print(f"[green]✓[/] {escape(line)}，未发现问题{reminders}。", soft_wrap=True)


def _prepare_streams() -> bool:
    """Make stdout and stderr safe to write to; False when stdout is closed and no answer can be given.

    Written to a file or a pipe, every format is UTF-8 whatever the console's encoding (PYTHONIOENCODING=ascii
    included); on a terminal the terminal's encoding stays. Either way a character the encoding cannot hold,
    or a file name that is not UTF-8, is written as an escape instead of raising.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(OSError, ValueError):
                if stream.isatty():
                    stream.reconfigure(errors="backslashreplace")
                else:
                    stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    if sys.stdout is None:  # started with stdout closed (>&-)
        if sys.stderr is not None:
            sys.stderr.write("错误：标准输出已关闭，无法输出结果\n")
        return False
    return True


# Global options that take a value, so that the command name can be told from that value.
_GLOBAL_VALUE_OPTIONS = frozenset({"--data", "--table", "--year"})


def _only_the_invoked_command(args: list[str]) -> None:
    """Keep only the command the arguments name: Typer builds every registered command on every call.

    Building a command reads its signature and evaluates its annotations, a few milliseconds for all of them;
    a query needs one. Anything else (no command, an unknown name, help of the whole tool, completion) keeps
    them all, so that listings and suggestions stay complete.
    """
    if any(name.startswith("_GONGKAI_COMPLETE") for name in os.environ):
        return
    words = iter(args)
    for word in words:
        if word in _GLOBAL_VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            chosen = [c for c in app.registered_commands if (c.name or c.callback.__name__) == word]  # type: ignore[union-attr]
            if chosen:
                app.registered_commands = chosen
            return


def main() -> None:
    """Run the command line on sys.argv (the console script calls this through __main__.main)."""
    if not _prepare_streams():
        raise SystemExit(EXIT_DATA)
    try:
        try:
            _only_the_invoked_command(sys.argv[1:])
            app()
        finally:
            sys.stdout.flush()  # here, not at exit, so that a full disk is reported like any other failure
    except GongkaiError as e:  # a library error a command did not map: still no traceback
        make_console(stderr=True).print(f"错误：{visible(str(e))}", markup=False)
        raise SystemExit(EXIT_DATA) from None
    except BrokenPipeError:  # the reader went away (| head, a pager quit): not an error
        silence_stdout()
        raise SystemExit(0) from None
    except OSError as e:
        silence_stdout()  # what is still buffered would fail again at exit
        with contextlib.suppress(OSError):
            sys.stderr.write(f"错误：无法写出结果（{os_reason(e)}）\n")
        raise SystemExit(EXIT_DATA) from None


__all__ = ["EXIT_DATA", "EXIT_USAGE", "app", "main"]
