"""The `gongkai` command: parse arguments, call the library, render, map errors to exit codes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__
from .errors import DataError, GongkaiError, Problem
from .load import DATA_FILES, bundled_data_dir, inspect_data, read_files
from .render import CheckFormat, emit_problems, make_console

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="gongkai",
    help="池州市政务公开重点任务分工查询：各单位承担哪些任务、何时到期。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class State:
    """Options given before the command."""

    data_dir: Path | None = None


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
            envvar="GONGKAI_DATA",
            help="数据目录（含 tasks.yaml 与 units.yaml），默认使用随包附带的数据。",
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
    make_console(stderr=True).print(f"[red]错误：[/]{message}", markup=True, highlight=False)
    raise typer.Exit(code)


def _data_dirs(paths: list[Path]) -> list[Path]:
    """The data folders named by `check` arguments (a data file stands for its folder)."""
    folders: list[Path] = []
    for path in paths:
        if path.is_dir():
            folder = path
        elif path.is_file() and path.name in DATA_FILES:
            folder = path.parent
        elif path.exists():
            _fail(f"参数 PATH：{path} 不是 gongkai 数据文件（应为数据目录或 {'、'.join(DATA_FILES)}）", EXIT_USAGE)
        else:
            _fail(f"参数 PATH：{path} 不存在", EXIT_USAGE)
        if folder not in folders:
            folders.append(folder)
    return folders


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="数据目录或数据文件，可多个；默认检查当前使用的数据。", show_default=False),
    ] = None,
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text：每行 文件:行:列: 问题；github：GitHub Actions 标注。")
    ] = CheckFormat.text,
) -> None:
    """检查数据文件：格式、编号、单位、时限、加减分，列出全部问题。

    有问题时退出码为 1，适合在 CI 和提交前运行。

    示例：gongkai check data/
    """
    state: State = ctx.obj
    folders = _data_dirs(paths) if paths else [state.data_dir or bundled_data_dir()]
    problems: list[Problem] = []
    counts = []
    for folder in folders:
        try:
            division, found = inspect_data(folder, read_files(folder))
        except DataError as e:
            division, found = None, e.problems
        problems += found
        if division is not None:
            counts.append(
                f"{folder}：{len(division.tasks)} 项任务、{len(division.units_file.units)} 个单位、"
                f"{len(division.units_file.groups)} 个群体"
            )
    emit_problems(problems, fmt)
    summary = make_console(stderr=True)
    if problems:
        files = len({p.path for p in problems})
        summary.print(f"[red]发现 {len(problems)} 个问题[/]（涉及 {files} 个文件）。改正后再运行 gongkai check。")
        raise typer.Exit(EXIT_DATA)
    for line in counts:
        summary.print(f"[green]✓[/] {line}，未发现问题。")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except GongkaiError as e:  # a library error a command did not map: still no traceback
        make_console(stderr=True).print(f"错误：{e}", markup=False)
        raise SystemExit(EXIT_DATA) from None


__all__ = ["EXIT_DATA", "EXIT_OK", "EXIT_USAGE", "app", "main", "os"]
