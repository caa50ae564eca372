"""Click's and Typer's own words in Chinese: usage lines, help pages and error messages.

Wiring (Typer 0.28)::

    from gongkai_cli.click_chinese import ChineseCommand, ChineseGroup

    app = typer.Typer(cls=ChineseGroup, rich_markup_mode=None, ...)

    @app.command(cls=ChineseCommand)
    def unit(...): ...

`cls=ChineseCommand` on each command is optional: Typer 0.28 builds every `@app.command()` as a plain
`TyperCommand` (it does not read a group's `command_class`), so `ChineseGroup` turns each plain `TyperCommand`
and `TyperGroup` it is given into a `ChineseCommand` / `ChineseGroup`. An app with a single command and no
callback has no group at all: give that command `cls=ChineseCommand`.

How the pieces fit:

- Help: both classes create a `ChineseContext`, whose `formatter_class` is `ChineseHelpFormatter`, so
  `ctx.make_formatter()` (used by `get_help` and `get_usage`) wraps text by terminal cells with
  `linebreak.wrap` instead of Click's `wrap_text` (which would put spaces between joined Chinese lines). The
  pieces Click writes in English are built in Chinese where they are made: the usage pieces
  (`collect_usage_pieces`: [选项], 命令 [参数]...), the section headings (`format_options`,
  `format_commands`), each parameter's help record and its note (（默认：table）, （环境变量：X）, （必填）),
  the help option (`get_help_option`) and Typer's completion options. Help always uses Click's plain layout,
  whatever `rich_markup_mode` says.
- Errors: with `standalone_mode` on, `main` notes it, and `make_context` and `invoke` (the two calls Typer's
  `_main` makes inside its error handling) catch Click's exceptions and `Abort` on their way out, print them
  in Chinese (`format_error`) to stderr, literally, and exit through `typer.Exit` with the exception's exit
  code (Abort: 1). Without standalone mode exceptions pass through unchanged, as in Click.
  `parse_args` fills in what the parser leaves out: the context of a `BadOptionUsage`, the offending value
  of a `BadParameter` a parameter type raised, and the extra arguments (`ExtraArgumentsError`).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from types import FunctionType
from typing import Any

import typer
from typer import core as typer_core
from typer._click import formatting as click_formatting
from typer._click import types as click_types
from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import (
    BadArgumentUsage,
    BadOptionUsage,
    BadParameter,
    ClickException,
    FileError,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer._click.utils import echo
from typer._types import TyperChoice
from typer.exceptions import Abort, Exit
from typer.models import TyperPath

from .linebreak import cell_width, wrap

__all__ = [
    "ChineseCommand",
    "ChineseContext",
    "ChineseGroup",
    "ChineseHelpFormatter",
    "ExtraArgumentsError",
    "NoSuchCommand",
    "format_error",
]

# Help texts Typer and Click give their own options.
_OWN_HELP = {
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
_USAGE_PREFIX = "用法："
_CANCELLED = "已取消。"
# Chinese punctuation a terminal draws one cell wide.
_CJK_NARROW = frozenset("“”‘’…—·")
# Help beside the names needs this many cells, else it goes on the lines below them.
_MIN_HELP_WIDTH = 20


def _is_cjk(ch: str) -> bool:
    return not ch.isascii() and (cell_width(ch) == 2 or ch in _CJK_NARROW)


def _has_cjk(text: str) -> bool:
    return any(map(_is_cjk, text))


def _join_lines(lines: Iterable[str]) -> str:
    """The lines of a paragraph as one: stripped, joined with a space between ASCII words only."""
    text = ""
    for line in lines:
        text = _join(text, line.strip())
    return text


def _join(left: str, right: str) -> str:
    """Join two pieces of a sentence: a space between ASCII words, none where either side is Chinese."""
    if not left or not right:
        return left + right
    if _is_cjk(left[-1]) or _is_cjk(right[0]) or left[-1] == " " or right[0] == " ":
        return left + right
    return f"{left} {right}"


def _spaced(left: str, right: str) -> str:
    """Join Chinese text and an ASCII term with a space between them, as in 选项 --format 的值."""
    if left and right and (left[-1].isascii() != right[0].isascii()) and " " not in (left[-1], right[0]):
        return f"{left} {right}"
    return left + right


def _fill(text: str, width: int) -> list[str]:
    """Wrap help text into lines of at most `width` cells.

    Paragraphs are separated by blank lines; the lines of a paragraph are joined (without a space between
    Chinese text) and rewrapped, keeping the paragraph's indentation. A paragraph whose first line is only
    "\\b" keeps its lines as written, each still wrapped to the width.
    """
    width = max(width, 2)
    paragraphs: list[tuple[int, bool, list[str]]] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            raw = buf[0].strip() == "\b"
            indent = len(buf[0]) - len(buf[0].lstrip(" "))
            paragraphs.append((indent, raw, buf[1:] if raw else buf[:]))
            buf.clear()

    for line in text.expandtabs().splitlines():
        if line.strip():
            buf.append(line.rstrip())
        else:
            flush()
    flush()
    lines: list[str] = []
    for indent, raw, paragraph in paragraphs:
        if lines:
            lines.append("")
        if raw:
            lines.extend(wrap("\n".join(paragraph), width))
            continue
        indent = min(indent, width // 2)
        lines.extend(" " * indent + line for line in wrap(_join_lines(paragraph), width - indent))
    return lines


def _wrap_words(text: str, width: int) -> list[str]:
    """Wrap at spaces only (a usage line, option names); a word wider than the line is wrapped on its own."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if cell_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if cell_width(word) <= width:
            current = word
        else:
            *heads, current = wrap(word, max(width, 2))
            lines.extend(heads)
    if current or not lines:
        lines.append(current)
    return lines


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
            prefix = _USAGE_PREFIX
        indent = " " * self.current_indent
        head = f"{indent}{prefix}{prog}"
        head_width = cell_width(head)
        if not args:
            lines = _wrap_words(head, self.width)
        elif head_width + 1 + 20 <= self.width:
            # The arguments fit to the right of the program name.
            body = _wrap_words(args, self.width - head_width - 1)
            hang = " " * (head_width + 1)
            lines = [f"{head} {body[0]}", *(hang + line for line in body[1:])]
        else:
            hang_width = min(max(self.current_indent, cell_width(prefix)) + 4, self.width // 2)
            body = _wrap_words(args, self.width - hang_width)
            lines = [*_wrap_words(head, self.width), *(" " * hang_width + line for line in body)]
        self.write("\n".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        lines = _fill(text, self.width - self.current_indent)
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
            names = _wrap_words(first, self.width - indent)
            lines = _fill(second, help_width) if second.strip() else []
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


class NoSuchCommand(UsageError):
    """The command name given is not one of the group's commands."""

    def __init__(self, command_name: str, possibilities: Sequence[str] = (), ctx: Context | None = None) -> None:
        self.command_name = command_name
        self.possibilities = list(possibilities)
        message = f"没有命令“{command_name}”"
        if self.possibilities:
            message += f"；可能是：{'、'.join(self.possibilities)}？"
        else:
            message += "。"
        super().__init__(message, ctx)


class ExtraArgumentsError(UsageError):
    """More arguments were given than the command takes."""

    def __init__(self, extra_args: Sequence[str], ctx: Context | None = None) -> None:
        self.extra_args = list(extra_args)
        super().__init__(f"多余的参数：{' '.join(self.extra_args)}", ctx)


# ---- help pieces -------------------------------------------------------------------------------------------


def _argument_usage(param: typer_core.TyperArgument, ctx: Context) -> str:
    """An argument in the usage line, Click's way: NAME when required, [NAME] when not."""
    text = param.make_metavar(ctx)
    if param.required or text.startswith("["):
        return text
    return f"[{text}]"


def _usage_pieces(command: Command, ctx: Context) -> list[str]:
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


def _describe_range(kind: click_types.IntRange | click_types.FloatRange) -> str:
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
    help_text = _OWN_HELP.get(help_text, help_text)
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
        notes.append(f"范围：{_describe_range(param.type)}")
    if param.required:
        notes.append("必填")
    if notes:
        note = f"（{'；'.join(notes)}）"
        help_text = f"{help_text} {note}" if help_text and not _is_cjk(help_text[-1]) else help_text + note
    return record[0], help_text


def _short_help(command: Command) -> str:
    """A command's line in its group's list: its short help, else the first sentence of its help."""
    if command.short_help:
        text = _join_lines(inspect.cleandoc(command.short_help).splitlines())
    elif command.help:
        paragraph = inspect.cleandoc(command.help).partition("\f")[0].split("\n\n")[0]
        text = _join_lines([line for line in paragraph.splitlines() if line.strip() != "\b"])
        for i, ch in enumerate(text):
            if ch in "。！？" or (ch == "." and text[i + 1 : i + 2] == " "):
                text = text[: i + 1]
                break
    else:
        text = ""
    if command.deprecated:
        text += f"（已弃用：{command.deprecated}）" if isinstance(command.deprecated, str) else "（已弃用）"
    return text.strip()


def _format_options(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
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


# ---- errors ------------------------------------------------------------------------------------------------


def _usage_line(ctx: Context) -> str:
    formatter = ChineseHelpFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
    formatter.write_usage(ctx.command_path, " ".join(_usage_pieces(ctx.command, ctx)))
    return formatter.getvalue().rstrip("\n")


def _param_phrase(error: BadParameter) -> str:
    """选项 --format / 参数“NAME”: what the error is about, from its param_hint or its parameter."""
    param = error.param
    kind = getattr(error, "param_type", None) or (param.param_type_name if param is not None else "parameter")
    label = "选项" if kind == "option" else "参数"
    if error.param_hint is not None:
        hint = error.param_hint if isinstance(error.param_hint, str) else " / ".join(error.param_hint)
        return _spaced(label, hint)
    if param is None:
        return label
    if param.param_type_name != "option":
        return f"参数“{param.human_readable_name}”"
    phrase = _spaced("选项", " / ".join(param.opts or [param.human_readable_name]))
    if isinstance(param, typer_core.TyperOption) and param.show_envvar and param.envvar is not None:
        envvar = param.envvar if isinstance(param.envvar, str) else "、".join(param.envvar)
        phrase += f"（环境变量 {envvar}）"
    return phrase


def _choices(kind: click_types.ParamType) -> list[str]:
    choices = getattr(kind, "choices", ())
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in choices]


def _path_problem(kind: TyperPath, value: str | None) -> str:
    what = "文件" if not kind.dir_okay else "目录" if not kind.file_okay else "路径"
    if value is None:
        return f"应为{'已存在的' if kind.exists else ''}{what}"
    import os
    import stat

    try:
        st = os.stat(value)
    except OSError:
        return f"{what}“{value}”不存在"
    if not kind.file_okay and stat.S_ISREG(st.st_mode):
        return f"“{value}”是文件，不是目录"
    if not kind.dir_okay and stat.S_ISDIR(st.st_mode):
        return f"“{value}”是目录，不是文件"
    if kind.readable and not os.access(value, os.R_OK):
        return f"“{value}”不可读"
    if kind.writable and not os.access(value, os.W_OK):
        return f"“{value}”不可写"
    return f"“{value}”不可用"


def _type_problem(kind: click_types.ParamType, value: str | None) -> str | None:
    """Why a parameter type rejects `value` (None: the value is not known), or None for a type not known here."""
    if isinstance(kind, TyperPath):
        return _path_problem(kind, value)
    if isinstance(kind, TyperChoice):
        expected = f"可选值之一（{'、'.join(_choices(kind))}）"
    elif isinstance(kind, click_types.IntRange):
        expected = f"{_describe_range(kind)} 范围内的整数"
    elif isinstance(kind, click_types.FloatRange):
        expected = f"{_describe_range(kind)} 范围内的数"
    elif isinstance(kind, click_types.IntParamType):
        expected = "整数"
    elif isinstance(kind, click_types.FloatParamType):
        expected = "数"
    elif isinstance(kind, click_types.BoolParamType):
        expected = "是非值（true/false、yes/no、1/0、on/off）"
    elif isinstance(kind, click_types.UUIDParameterType):
        expected = "UUID"
    elif isinstance(kind, click_types.DateTime):
        expected = f"格式为 {'、'.join(kind.formats)} 的日期"
    else:
        return None
    return f"应为{expected}" if value is None else _spaced(f"“{value}”不是", expected)


def _bad_option_usage(error: BadOptionUsage) -> str:
    """The parser's complaints about an option, from the option's definition: a value missing or unwanted."""
    name = error.option_name
    ctx = error.ctx
    params = ctx.command.get_params(ctx) if ctx is not None else []
    option = next((p for p in params if name in p.opts or name in p.secondary_opts), None)
    if _has_cjk(error.message) or not isinstance(option, typer_core.TyperOption):
        return error.message
    if option.is_flag or option.count:
        return f"选项 {name} 不接受值。"
    return f"选项 {name} 需要一个值。" if option.nargs == 1 else f"选项 {name} 需要 {option.nargs} 个值。"


def _bad_argument_usage(error: BadArgumentUsage) -> str:
    if _has_cjk(error.message):
        return error.message
    ctx = error.ctx
    params = ctx.command.get_params(ctx) if ctx is not None else []
    multi = [p for p in params if isinstance(p, typer_core.TyperArgument) and p.nargs > 1]
    if len(multi) == 1:
        return f"参数“{multi[0].human_readable_name}”需要 {multi[0].nargs} 个值。"
    return "参数的用法不对。"


def _message(error: ClickException) -> str:
    """The text after 错误：, built from the exception's fields."""
    if isinstance(error, NoSuchOption):
        if _has_cjk(error.message):
            return error.message
        if error.possibilities:
            return f"没有选项 {error.option_name}；可能是：{'、'.join(sorted(error.possibilities))}？"
        return f"没有选项 {error.option_name}。"
    if isinstance(error, MissingParameter):
        message = f"缺少{_param_phrase(error)}。"
        choices = _choices(error.param.type) if error.param is not None else []
        if choices:
            message += f"可选值：{'、'.join(choices)}。"
        if _has_cjk(error.message):
            message += error.message
        return message
    if isinstance(error, BadParameter):
        detail = error.message
        if not detail and error.param is not None:
            detail = _type_problem(error.param.type, None) or ""
        if detail and detail[-1] not in "。！？.!?":
            detail += "。"
        if error.param is None and error.param_hint is None:
            return f"值无效：{detail}"
        return f"{_spaced(_param_phrase(error), '的值无效')}：{detail}"
    if isinstance(error, BadOptionUsage):
        return _bad_option_usage(error)
    if isinstance(error, BadArgumentUsage):
        return _bad_argument_usage(error)
    if isinstance(error, FileError):
        return f"无法打开文件“{error.ui_filename}”：{error.message}"
    return error.format_message()


def format_error(error: ClickException) -> str:
    """What the user sees for `error`, in Chinese.

    A usage error shows the usage line and where to find help, then 错误：and the message; another Click
    exception only the message. `NoArgsIsHelpError` (a group called without a command) shows the help page.
    """
    if isinstance(error, NoArgsIsHelpError):
        return error.format_message()
    lines: list[str] = []
    if isinstance(error, UsageError) and error.ctx is not None:
        ctx = error.ctx
        lines.append(_usage_line(ctx))
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"试试“{ctx.command_path} {ctx.help_option_names[0]}”查看帮助。")
        lines.append("")
    lines.append(f"错误：{_message(error)}")
    return "\n".join(lines)


@contextmanager
def _in_chinese(active: bool) -> Iterator[None]:
    """Print Click's exceptions and Abort in Chinese and exit with their exit code, when `active`."""
    if not active:
        yield
        return
    try:
        yield
    except EOFError as e:  # end of input at a prompt: Click's standalone mode treats it as Abort
        echo(err=True)
        echo(_CANCELLED, err=True)
        raise Exit(1) from e
    except Abort as e:
        echo(_CANCELLED, err=True)
        raise Exit(1) from e
    except ClickException as e:
        echo(format_error(e), err=True)
        raise Exit(e.exit_code) from e


@contextmanager
def _reader_gone(active: bool) -> Iterator[None]:
    """A broken pipe (`| head`, a pager quit) ends the command successfully, whatever the format.

    Click's own handler would exit 1; it is reached only when this one is not active.
    """
    if not active:
        yield
        return
    try:
        yield
    except BrokenPipeError as e:
        from .render import silence_stdout

        silence_stdout()
        raise Exit(0) from e


def _raw_values(command: Command, ctx: Context, param: Parameter, args: list[str]) -> list[str]:
    """The texts given for `param` on the command line, else in its environment variable."""
    try:
        opts, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    except ClickException:
        return []
    value = opts.get(param.name) if param.name is not None else None
    if value is None:
        value = param.resolve_envvar_value(ctx)
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def _explain_bad_value(command: Command, ctx: Context, error: BadParameter, args: list[str]) -> None:
    """Replace the English message of a value the parameter's type rejected by a Chinese one naming the value."""
    param = error.param
    if isinstance(error, MissingParameter) or param is None or _has_cjk(error.message):
        return
    for value in _raw_values(command, ctx, param, args):
        try:
            param.type.convert(value, param, ctx)
        except BadParameter:
            problem = _type_problem(param.type, value)
            if problem is not None:
                error.message = problem
            return
        except Exception:  # a type failing otherwise says nothing about this error
            return


# ---- the command classes -----------------------------------------------------------------------------------


class _Chinese(Command):
    """What ChineseCommand and ChineseGroup share; listed before Typer's class so that its methods come first."""

    context_class = ChineseContext
    # Whether main runs in standalone mode, so that errors are printed here, in Chinese.
    _errors_in_chinese = False

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        self._errors_in_chinese = standalone_mode
        # In ChineseCommand and ChineseGroup, super() is Typer's class, whose main comes next in the MRO.
        return super().main(  # type: ignore[safe-super]
            args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
        )

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        with _in_chinese(self._errors_in_chinese and parent is None):
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        with _in_chinese(self._errors_in_chinese and ctx.parent is None), _reader_gone(ctx.parent is None):
            self._check_invocation(ctx)
            return super().invoke(ctx)

    def _check_invocation(self, ctx: Context) -> None:
        """Raise a usage error the invocation deserves before it runs."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        given = list(args)
        # Let Click keep extra arguments, to report them here by name.
        strict = not ctx.allow_extra_args and not ctx.resilient_parsing
        if strict:
            ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except UsageError as e:
            if e.ctx is None:
                e.ctx = ctx
                e.cmd = self
            if isinstance(e, BadParameter):
                _explain_bad_value(self, ctx, e, given)
            raise
        finally:
            if strict:
                ctx.allow_extra_args = False
        if strict and rest:
            raise ExtraArgumentsError(rest, ctx)
        return rest

    def get_help_option(self, ctx: Context) -> typer_core.TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None and option.help in _OWN_HELP:
            option.help = _OWN_HELP[option.help]
        return option

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return _usage_pieces(self, ctx)

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), _USAGE_PREFIX)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        # Click's plain layout, never Typer's rich one.
        Command.format_help(self, ctx, formatter)

    def format_help_text(self, ctx: Context, formatter: HelpFormatter) -> None:
        text = inspect.cleandoc(self.help).partition("\f")[0] if self.help else ""
        if self.deprecated:
            text += f"（已弃用：{self.deprecated}）" if isinstance(self.deprecated, str) else "（已弃用）"
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format_options(self, ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        text = _short_help(self)
        if cell_width(text) <= limit:
            return text
        return wrap(text, max(limit - 1, 2))[0] + "…"


class ChineseCommand(_Chinese, typer_core.TyperCommand):
    """A Typer command whose usage, help and errors are in Chinese: `@app.command(cls=ChineseCommand)`."""


class ChineseGroup(_Chinese, typer_core.TyperGroup):
    """A Typer group whose usage, help and errors, and those of its commands, are in Chinese.

    `typer.Typer(cls=ChineseGroup)`; each plain `TyperCommand` or `TyperGroup` it is given becomes a
    `ChineseCommand` or `ChineseGroup`.
    """

    command_class = ChineseCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            _make_chinese(command)

    def add_command(self, cmd: Command, name: str | None = None) -> None:
        super().add_command(cmd, name)
        _make_chinese(cmd)

    def _check_invocation(self, ctx: Context) -> None:
        if not ctx._protected_args and not self.invoke_without_command and not ctx.resilient_parsing:
            raise UsageError("缺少命令。", ctx)

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        name = args[0]
        looks_like_option = name.startswith("-")
        if (
            not looks_like_option
            and not ctx.resilient_parsing
            and self.get_command(ctx, name) is None
            and (ctx.token_normalize_func is None or self.get_command(ctx, ctx.token_normalize_func(name)) is None)
        ):
            possibilities: list[str] = []
            if self.suggest_commands:
                from difflib import get_close_matches

                possibilities = get_close_matches(name, list(self.commands))
            raise NoSuchCommand(name, possibilities, ctx)
        return super().resolve_command(ctx, args)

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, _short_help(command)))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)


ChineseGroup.group_class = type  # Click's convention: a subgroup is of the group's own class


def _make_chinese(command: Command) -> None:
    """Turn a plain TyperCommand or TyperGroup, and the commands of a group, Chinese (in place)."""
    if type(command) is typer_core.TyperCommand:
        command.__class__ = ChineseCommand
    elif type(command) is typer_core.TyperGroup:
        command.__class__ = ChineseGroup
    if isinstance(command, typer_core.TyperGroup):
        for sub in command.commands.values():
            _make_chinese(sub)
