"""Click's error messages in Chinese, built from the fields of its exceptions."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from typer import core as typer_core
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
from typer._types import TyperChoice
from typer.models import TyperPath

from .help import describe_range, usage_line
from .text import has_cjk, spaced


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


def _param_phrase(error: BadParameter) -> str:
    """选项 --format / 参数“NAME”: what the error is about, from its param_hint or its parameter."""
    param = error.param
    kind = getattr(error, "param_type", None) or (param.param_type_name if param is not None else "parameter")
    label = "选项" if kind == "option" else "参数"
    if error.param_hint is not None:
        hint = error.param_hint if isinstance(error.param_hint, str) else " / ".join(error.param_hint)
        return spaced(label, hint)
    if param is None:
        return label
    if param.param_type_name != "option":
        return f"参数“{param.human_readable_name}”"
    phrase = spaced("选项", " / ".join(param.opts or [param.human_readable_name]))
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
        expected = f"{describe_range(kind)} 范围内的整数"
    elif isinstance(kind, click_types.FloatRange):
        expected = f"{describe_range(kind)} 范围内的数"
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
    return f"应为{expected}" if value is None else spaced(f"“{value}”不是", expected)


def _bad_option_usage(error: BadOptionUsage) -> str:
    """The parser's complaints about an option, from the option's definition: a value missing or unwanted."""
    name = error.option_name
    ctx = error.ctx
    params = ctx.command.get_params(ctx) if ctx is not None else []
    option = next((p for p in params if name in p.opts or name in p.secondary_opts), None)
    if has_cjk(error.message) or not isinstance(option, typer_core.TyperOption):
        return error.message
    if option.is_flag or option.count:
        return f"选项 {name} 不接受值。"
    return f"选项 {name} 需要一个值。" if option.nargs == 1 else f"选项 {name} 需要 {option.nargs} 个值。"


def _bad_argument_usage(error: BadArgumentUsage) -> str:
    if has_cjk(error.message):
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
        if has_cjk(error.message):
            return error.message
        if error.possibilities:
            return f"没有选项 {error.option_name}；可能是：{'、'.join(sorted(error.possibilities))}？"
        return f"没有选项 {error.option_name}。"
    if isinstance(error, MissingParameter):
        message = f"缺少{_param_phrase(error)}。"
        choices = _choices(error.param.type) if error.param is not None else []
        if choices:
            message += f"可选值：{'、'.join(choices)}。"
        if has_cjk(error.message):
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
        return f"{spaced(_param_phrase(error), '的值无效')}：{detail}"
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
        lines.append(usage_line(ctx))
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"输入 {ctx.command_path} {ctx.help_option_names[0]} 查看用法。")
        lines.append("")
    lines.append(f"错误：{_message(error)}")
    return "\n".join(lines)


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


def explain_bad_value(command: Command, ctx: Context, error: BadParameter, args: list[str]) -> None:
    """Replace the English message of a value the parameter's type rejected by a Chinese one naming the value."""
    param = error.param
    if isinstance(error, MissingParameter) or param is None or has_cjk(error.message):
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


__all__ = ["ExtraArgumentsError", "NoSuchCommand", "explain_bad_value", "format_error"]
