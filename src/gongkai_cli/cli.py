"""The `gongkai` command: parse arguments, call the library, render, map errors to exit codes."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, NamedTuple, NoReturn

import typer

from . import __version__, query, views
from .deadlines import TimeLimitError, parse_date_arg, parse_duration
from .errors import DataError, GongkaiError, LookupFailedError, Problem, os_reason
from .load import DATA_FILES, check_folder, load_data
from .models import Division, Group
from .render import CheckFormat, Format, Listing, emit, emit_problems, make_console
from .safetext import display_path, visible
from .workspace import DataLocation, WorkspaceError, locate_data

# Exit codes, documented in the README.
EXIT_DATA = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="gongkai",
    help="池州市政务公开重点任务分工查询：各单位承担哪些任务、何时到期。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State(NamedTuple):
    """Options given before the command."""

    data_option: Path | None = None

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
            metavar="DIR",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = False,
) -> None:
    ctx.obj = State(data)


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
        return load_data(location.folder)
    except DataError as e:
        emit_problems(e.problems, CheckFormat.text, sys.stderr)
        _fail(f"数据有 {len(e.problems)} 个问题，先运行 {_check_command(location)} 查看并改正。", EXIT_DATA)


_LOCATION = "gongkai.location"


def _answer(ctx: typer.Context, listing: Listing, fmt: Format) -> None:
    """Print a command's answer; a table read from data other than the bundled copy says which folder it read."""
    location: DataLocation | None = ctx.meta.get(_LOCATION)
    if fmt is Format.table and location is not None and not location.is_bundled:
        listing = listing._replace(source=f"数据：{display_path(location.folder)}")
    emit(listing, fmt)


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
        _fail(f"参数 {name}：{e}{candidates}", EXIT_USAGE)
    except TimeLimitError as e:
        _fail(f"参数 {name}：{e}", EXIT_USAGE)


def _date(option: str, value: str | None, division: Division) -> date | None:
    if value is None:
        return None
    with _argument(option):
        day = parse_date_arg(value, division.year)
    return day


def _today(value: str | None, division: Division) -> date:
    return _date("--today", value, division) or query.today_in_china()


def _entity(argument: str, name: str, division: Division) -> query.Entity:
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
    return query.due_window(
        before=_date("--before", before, division),
        after=_date("--after", after, division),
        today=today,
        within=span,
        overdue=overdue,
    )


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="输出格式： table json csv md", metavar="FORMAT")]
BeforeOpt = Annotated[
    str | None,
    typer.Option(
        "--before",
        help="截止日期在此日或之前。 写法如： 2024-09-30 2024/9/30 20240930 2024年9月30日 9月底 年底",
        metavar="DATE",
        show_default=False,
    ),
]
AfterOpt = Annotated[
    str | None,
    typer.Option("--after", help="截止日期在此日或之后。 写法同 --before", metavar="DATE", show_default=False),
]
WithinOpt = Annotated[
    str | None, typer.Option("--within", help="从今天起多久内到期： 30d 2w 1m 1y", metavar="SPAN", show_default=False)
]
OverdueOpt = Annotated[bool, typer.Option("--overdue", help="只列已过截止日期 （早于今天） 的任务。")]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="把这一天当作今天。 默认为 北京时间的今天； 脚本可固定日期 以便复现。",
        metavar="DATE",
        show_default=False,
    ),
]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        "-u",
        help="只列这个单位承担的任务。 写法同 gongkai unit",
        metavar="NAME",
        autocompletion=_complete_unit,
        show_default=False,
    ),
]


@app.command()
def unit(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="单位或群体： 全称、 表中写法、 简称、 片段 （司法） 或拼音 （sifaju sfj）",
            metavar="NAME",
            autocompletion=_complete_unit,
        ),
    ],
    before: BeforeOpt = None,
    after: AfterOpt = None,
    within: WithinOpt = None,
    overdue: OverdueOpt = False,
    today: TodayOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """列出一个单位承担的全部任务：牵头、负责、全体（经群体）、相关（按职责）。

    每项任务只列一次，列在最强的关系下。县区政府、管委会和群体本身也可查询。

    示例：gongkai unit 市司法局 ；gongkai unit 青阳县 --before 2024-09-30
    """
    division = _division(ctx)
    entity = _entity("NAME", name, division)
    day = _today(today, division)
    found = query.obligations(division, entity)
    if any(option is not None for option in (before, after, within)) or overdue:
        found = query.in_window(found, _window(division, before, after, within, overdue, day))
    _answer(ctx, views.unit_listing(division, entity, found, day), fmt)
    if isinstance(entity, Group) and fmt is Format.table:
        line = views.group_members_line(entity, query.members(division, entity))
        make_console(stderr=True).print(visible(line), markup=False)


@app.command()
def due(
    ctx: typer.Context,
    before: BeforeOpt = None,
    after: AfterOpt = None,
    within: WithinOpt = None,
    overdue: OverdueOpt = False,
    unit_name: UnitOpt = None,
    include_ongoing: Annotated[
        bool, typer.Option("--include-ongoing", help="在有日期的任务之后， 另列持续推进和自某日起的任务。")
    ] = False,
    today: TodayOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """列出在某日之前（含当日）到期的任务，按日期、编号排序。

    示例：gongkai due --before 2024-09-30 ；gongkai due --within 30d --today 2024-09-01
    """
    division = _division(ctx)
    day = _today(today, division)
    tasks = list(division.tasks)
    if unit_name is not None:
        entity = _entity("--unit", unit_name, division)
        tasks = query.owed_tasks(division, entity)
    chosen = query.dated(tasks, _window(division, before, after, within, overdue, day))
    if include_ongoing:
        chosen += query.undated(tasks)
    _answer(ctx, views.task_listing(division, chosen), fmt)


@app.command()
def show(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="任务编号", metavar="NUMBER")],
    fmt: FormatOpt = Format.table,
) -> None:
    """显示一项任务的全部内容：要求、责任单位、时限及其解读、加减分。

    示例：gongkai show 17
    """
    division = _division(ctx)
    with _argument("NUMBER"):
        task = query.find_task(division, number)
    _answer(ctx, views.show_listing(division, task), fmt)


@app.command()
def section(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="部分： 四 4 四、 ； 小标题： 四.二 4.2", metavar="REF")],
    fmt: FormatOpt = Format.table,
) -> None:
    """列出一个部分（或小标题）下的任务。

    示例：gongkai section 四 ；gongkai section 4.2
    """
    division = _division(ctx)
    with _argument("REF"):
        found = query.find_section(division, ref)
    listing = views.task_listing(division, query.section_tasks(found), title=views.section_heading(found))
    _answer(ctx, listing, fmt)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="要查找的文字", metavar="TEXT")],
    fmt: FormatOpt = Format.table,
) -> None:
    """在任务要求、标题、责任单位和时限中全文查找，并高亮匹配处。

    示例：gongkai search 解读
    """
    division = _division(ctx)
    with _argument("TEXT"):
        hits = query.search(division, text)
    _answer(ctx, views.search_listing(division, hits, text), fmt)


@app.command()
def units(ctx: typer.Context, today: TodayOpt = None, fmt: FormatOpt = Format.table) -> None:
    """列出全部单位和群体，以及各自牵头、负责、全体、相关的任务数和下一截止日期。

    示例：gongkai units --format csv
    """
    division = _division(ctx)
    rows = [(entity, query.obligations(division, entity)) for entity in query.entities(division)]
    _answer(ctx, views.summary_listing(division, rows, _today(today, division)), fmt)


@app.command()
def timeline(ctx: typer.Context, unit_name: UnitOpt = None, fmt: FormatOpt = Format.table) -> None:
    """按月份列出有截止日期的任务，一眼看清全年节点。

    示例：gongkai timeline --unit 市政务公开办
    """
    division = _division(ctx)
    tasks = list(division.tasks)
    if unit_name is not None:
        tasks = query.owed_tasks(division, _entity("--unit", unit_name, division))
    _answer(ctx, views.timeline_listing(division, query.by_month(tasks)), fmt)


@app.command()
def scoring(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """列出任务中规定的全部考评加分和减分。

    示例：gongkai scoring
    """
    division = _division(ctx)
    _answer(ctx, views.scoring_listing(query.scoring_rules(division)), fmt)


def _data_dirs(paths: list[Path]) -> list[Path]:
    """The data folders named by `check` arguments (a data file stands for its folder)."""
    folders: list[Path] = []
    for path in paths:
        shown = display_path(path)
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            _fail(f"参数 PATH：{shown} 不存在", EXIT_USAGE)
        except OSError as e:
            _fail(f"参数 PATH：{shown} 无法访问（{os_reason(e)}）", EXIT_USAGE)
        if stat.S_ISDIR(mode):
            folder = path
        elif path.name in DATA_FILES:
            folder = path.parent
        else:
            _fail(f"参数 PATH：{shown} 不是 gongkai 数据文件（应为数据目录或 {'、'.join(DATA_FILES)}）", EXIT_USAGE)
        if folder not in folders:
            folders.append(folder)
    return folders


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="数据目录或数据文件， 可多个。 默认检查当前使用的数据。", metavar="PATH...", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format", "-f", help="text： 每行 文件:行:列: 问题； github： GitHub Actions 标注", metavar="FORMAT"
        ),
    ] = CheckFormat.text,
) -> None:
    """检查数据文件：格式、编号、单位、时限、加减分，列出全部问题。

    有问题时退出码为 1，适合在 CI 和提交前运行。

    示例：gongkai check data/
    """
    state: State = ctx.obj
    folders = _data_dirs(paths) if paths else [state.location().folder]
    problems: list[Problem] = []
    counts = []
    for folder in folders:
        division, found = check_folder(folder)
        problems += found
        if division is not None:
            counts.append(
                f"{display_path(folder)}：{len(division.tasks)} 项任务、{len(division.units_file.units)} 个单位、"
                f"{len(division.units_file.groups)} 个群体"
            )
    emit_problems(problems, fmt)
    from rich.markup import escape

    summary = make_console(stderr=True)
    if problems:
        files = len({p.path for p in problems})
        summary.print(
            f"[red]发现 {len(problems)} 个问题[/]（涉及 {files} 个文件）。改正后再运行 gongkai check。", soft_wrap=True
        )
        raise typer.Exit(EXIT_DATA)
    for line in counts:
        summary.print(f"[green]✓[/] {escape(line)}，未发现问题。", soft_wrap=True)


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


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at the null device so that the flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """Console-script entry point."""
    # One command is a short-lived process that builds many objects and no garbage cycles worth collecting;
    # the cyclic collector would only rescan them (a third of the time of a large JSON answer).
    gc.disable()
    if not _prepare_streams():
        raise SystemExit(EXIT_DATA)
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # here, not at exit, so that a full disk is reported like any other failure
    except GongkaiError as e:  # a library error a command did not map: still no traceback
        make_console(stderr=True).print(f"错误：{visible(str(e))}", markup=False)
        raise SystemExit(EXIT_DATA) from None
    except BrokenPipeError:  # the reader went away (| head, a pager quit): not an error
        _silence_stdout()
        raise SystemExit(0) from None
    except OSError as e:
        with contextlib.suppress(OSError):
            sys.stderr.write(f"错误：无法写出结果（{os_reason(e)}）\n")
        raise SystemExit(EXIT_DATA) from None


__all__ = ["EXIT_DATA", "EXIT_USAGE", "app", "main"]
