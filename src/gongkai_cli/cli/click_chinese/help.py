"""Help pages in Chinese: the formatter, usage lines, section headings and each parameter's help record.

Help always uses Click's plain layout, whatever `rich_markup_mode` says.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from types import FunctionType

import typer
from typer import core as typer_core
from typer._click import formatting as click_formatting
from typer._click import types as click_types
from typer._click.core import Command, Context, Parameter
from typer._click.formatting import HelpFormatter

from ...linebreak import cell_width
from .text import fill, is_cjk, join_lines, wrap_words

# Help texts Typer and Click give their own options.
OWN_HELP = {
    "Show this message and exit.": "显示本帮助并退出。",
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "显示当前 shell 的补全脚本，可复制或自定义。"
    ),
    "Install completion for the specified shell.": "为指定的 shell 安装命令补全。",
    "Show completion for the specified shell, to copy it or customize the installation.": (
        "显示指定 shell 的补全脚本，可复制或自定义。"
    ),
}
_HEADINGS = {"Usage": "用法", "Options": "选项", "Arguments": "参数", "Commands": "命令"}
_METAVARS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
USAGE_PREFIX = "用法："
# Help beside the names needs this many cells, else it goes on the lines below them.
_MIN_HELP_WIDTH = 20


class ChineseHelpFormatter(HelpFormatter):
    """Click's help formatter with Chinese labels, measuring and wrapping text by terminal cells.

    Without an explicit width it takes the terminal's, less two columns, at most `max_width` (80): unlike
    Click it does not widen a narrow terminal to 50 columns, so no line is longer than the terminal.
    """

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        if width is None:
            width = click_formatting.FORCED_WIDTH
        if width is None:
            import shutil

            columns = shutil.get_terminal_size().columns
            width = max(min(columns, 80 if max_width is None else max_width) - 2, min(columns, 20))
        super().__init__(indent_increment=indent_increment, width=width, max_width=max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = USAGE_PREFIX
        indent = " " * self.current_indent
        head = f"{indent}{prefix}{prog}"
        head_width = cell_width(head)
        if not args:
            lines = wrap_words(head, self.width)
        elif head_width + 1 + 20 <= self.width:
            # The arguments fit to the right of the program name.
            body = wrap_words(args, self.width - head_width - 1)
            hang = " " * (head_width + 1)
            lines = [f"{head} {body[0]}", *(hang + line for line in body[1:])]
        else:
            hang_width = min(max(self.current_indent, cell_width(prefix)) + 4, self.width // 2)
            body = wrap_words(args, self.width - hang_width)
            lines = [*wrap_words(head, self.width), *(" " * hang_width + line for line in body)]
        self.write("\n".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        lines = fill(text, self.width - self.current_indent)
        self.write("".join(f"{indent}{line}\n" if line else "\n" for line in lines))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not rows:
            return
        indent = self.current_indent
        first_col = min(max(cell_width(first) for first, _ in rows), col_max) + col_spacing
        help_width = self.width - indent - first_col
        below = help_width < _MIN_HELP_WIDTH
        if below:
            # Too little room beside the names: the help goes under them, indented a little further.
            help_indent = indent + min(2 * self.indent_increment, max(self.width - indent - _MIN_HELP_WIDTH, 0))
            help_width = self.width - help_indent
        else:
            help_indent = indent + first_col
        pad = " " * indent
        for first, second in rows:
            names = wrap_words(first, self.width - indent)
            lines = fill(second, help_width) if second.strip() else []
            if lines and not below and len(names) == 1 and cell_width(names[0]) <= first_col - col_spacing:
                self.write(f"{pad}{names[0]}{' ' * (first_col - cell_width(names[0]))}{lines[0]}\n")
                lines = lines[1:]
            else:
                self.write("".join(f"{pad}{name}\n" for name in names))
            hang = " " * help_indent
            self.write("".join(f"{hang}{line}\n" if line else "\n" for line in lines))


class ChineseContext(typer.Context):
    """A context whose help formatter speaks Chinese."""

    formatter_class = ChineseHelpFormatter


def _argument_usage(param: typer_core.TyperArgument, ctx: Context) -> str:
    """An argument in the usage line, Click's way: NAME when required, [NAME] when not."""
    text = param.make_metavar(ctx)
    if param.required or text.startswith("["):
        return text
    return f"[{text}]"


def usage_pieces(command: Command, ctx: Context) -> list[str]:
    pieces: list[str] = []
    if command.options_metavar:
        pieces.append(_METAVARS.get(command.options_metavar, command.options_metavar))
    for param in command.get_params(ctx):
        if isinstance(param, typer_core.TyperArgument):
            pieces.append(_argument_usage(param, ctx))
        else:
            pieces.extend(param.get_usage_pieces(ctx))
    if isinstance(command, typer_core.TyperGroup):
        pieces.append(_METAVARS.get(command.subcommand_metavar, command.subcommand_metavar))
    return pieces


def describe_range(kind: click_types.IntRange | click_types.FloatRange) -> str:
    low = None if kind.min is None else f"{kind.min}{'<' if kind.min_open else '<='}"
    high = None if kind.max is None else f"{'<' if kind.max_open else '<='}{kind.max}"
    return f"{low or ''}x{high or ''}"


def _default_text(param: typer_core.TyperOption | typer_core.TyperArgument, ctx: Context) -> str:
    if isinstance(param.show_default, str):
        return param.show_default
    value = param._extract_default_help_str(ctx=ctx)
    if value is None or not (param.show_default or ctx.show_default):
        return ""
    if isinstance(value, FunctionType):
        return "动态"
    text = param._get_default_string(ctx=ctx, show_default_is_str=False, default_value=value)
    return "动态" if text == "(dynamic)" else text


def _help_record(param: Parameter, ctx: Context) -> tuple[str, str] | None:
    """The two columns of a parameter's help: its names, and its help with a Chinese note."""
    record = param.get_help_record(ctx)
    if record is None or not isinstance(param, (typer_core.TyperOption, typer_core.TyperArgument)):
        return record
    help_text = param.help or ""
    help_text = OWN_HELP.get(help_text, help_text)
    notes: list[str] = []
    if param.show_envvar:
        envvar = param.envvar
        if (
            envvar is None
            and isinstance(param, typer_core.TyperOption)
            and param.allow_from_autoenv
            and ctx.auto_envvar_prefix is not None
            and param.name is not None
        ):
            envvar = f"{ctx.auto_envvar_prefix}_{param.name.upper()}"
        if envvar is not None:
            notes.append(f"环境变量：{envvar if isinstance(envvar, str) else '、'.join(envvar)}")
    default = _default_text(param, ctx)
    if default:
        notes.append(f"默认：{default}")
    if isinstance(param, typer_core.TyperOption) and isinstance(
        param.type, (click_types.IntRange, click_types.FloatRange)
    ):
        notes.append(f"范围：{describe_range(param.type)}")
    if param.required:
        notes.append("必填")
    if notes:
        note = f"（{'；'.join(notes)}）"
        help_text = f"{help_text} {note}" if help_text and not is_cjk(help_text[-1]) else help_text + note
    return record[0], help_text


def short_help(command: Command) -> str:
    """A command's line in its group's list: its short help, else the first sentence of its help."""
    if command.short_help:
        text = join_lines(inspect.cleandoc(command.short_help).splitlines())
    elif command.help:
        paragraph = inspect.cleandoc(command.help).partition("\f")[0].split("\n\n")[0]
        text = join_lines([line for line in paragraph.splitlines() if line.strip() != "\b"])
        for i, ch in enumerate(text):
            if ch in "。！？" or (ch == "." and text[i + 1 : i + 2] == " "):
                text = text[: i + 1]
                break
    else:
        text = ""
    if command.deprecated:
        text += f"（已弃用：{command.deprecated}）" if isinstance(command.deprecated, str) else "（已弃用）"
    return text.strip()


def format_options(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        record = _help_record(param, ctx)
        if record is None:
            continue
        if param.param_type_name == "argument":
            arguments.append(record)
        elif param.param_type_name == "option":
            options.append(record)
    if arguments:
        with formatter.section("参数"):
            formatter.write_dl(arguments)
    if options:
        with formatter.section("选项"):
            formatter.write_dl(options)


def usage_line(ctx: Context) -> str:
    formatter = ChineseHelpFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
    formatter.write_usage(ctx.command_path, " ".join(usage_pieces(ctx.command, ctx)))
    return formatter.getvalue().rstrip("\n")


__all__ = [
    "OWN_HELP",
    "USAGE_PREFIX",
    "ChineseContext",
    "ChineseHelpFormatter",
    "describe_range",
    "format_options",
    "short_help",
    "usage_line",
    "usage_pieces",
]
