"""The `gongkai` command: the app, its global options, and `main`, which prepares the streams and runs it.

The commands live in one module per family (queries, tables, progress) and are registered here, in the order
`gongkai --help` lists them, each imported only when it is built. The command modules never import this one.
"""

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from ..errors import GongkaiError, os_reason
from ..render import silence_stdout
from .click_chinese import ChineseGroup, LazyCommand
from .errors import EXIT_CANCELLED, EXIT_DATA, fail_unmapped
from .invocation import State

app = typer.Typer(
    cls=ChineseGroup,
    name="gongkai",
    help="政务公开重点任务分工查询：各单位承担哪些任务、截止日期是哪天。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


# The commands, in the order the help lists them: name, module (in this package), function.
_COMMANDS = (
    # Questions over the table.
    ("unit", ".queries", "unit"),
    ("due", ".queries", "due"),
    ("show", ".queries", "show"),
    ("section", ".queries", "section"),
    ("sections", ".queries", "sections"),
    ("search", ".queries", "search"),
    ("units", ".queries", "units"),
    ("timeline", ".queries", "timeline"),
    ("scoring", ".queries", "scoring"),
    # Keeping the tables.
    ("import", ".tables", "import_"),
    ("diff", ".tables", "diff"),
    ("init", ".tables", "init"),
    ("tables", ".tables", "tables"),
    # Following the year through.
    ("report", ".progress", "report"),
    ("progress", ".progress", "progress_command"),
    ("export", ".progress", "export"),
    ("remind", ".progress", "remind"),
    ("repoint", ".progress", "repoint"),
    # Checking the data.
    ("check", ".tables", "check"),
)
app.registered_commands.extend(LazyCommand(name, module, function, __package__) for name, module, function in _COMMANDS)


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
            chosen = [c for c in app.registered_commands if c.name == word]
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
        fail_unmapped(e)
    except BrokenPipeError:  # the reader went away (| head, a pager quit): not an error
        silence_stdout()
        raise SystemExit(0) from None
    except OSError as e:
        silence_stdout()  # what is still buffered would fail again at exit
        with contextlib.suppress(OSError):
            sys.stderr.write(f"错误：{_failure(e)}\n")
        raise SystemExit(EXIT_DATA) from None
    except KeyboardInterrupt:  # Ctrl-C before or after the command (during it, the seam says the same)
        with contextlib.suppress(OSError):
            sys.stderr.write("已取消。\n")
        raise SystemExit(EXIT_CANCELLED) from None


def _failure(error: OSError) -> str:
    """An operating-system error no command reported, in a line: a file named, else the answer's own output.

    Every call on a named file (open, rename, mkdir...) names it in the error; writing to stdout names none.
    """
    if error.filename is None:
        return f"无法写出结果（{os_reason(error)}）"
    from ..safetext import display_path

    return f"无法访问 {display_path(error.filename)}（{os_reason(error)}）"


__all__ = ["app", "main"]
