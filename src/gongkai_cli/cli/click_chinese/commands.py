"""The command classes: Typer's, with Chinese help and errors printed in Chinese; commands registered lazily."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from typer import core as typer_core
from typer._click.core import Command, Context
from typer._click.exceptions import BadParameter, ClickException, UsageError
from typer._click.formatting import HelpFormatter
from typer._click.utils import echo
from typer.exceptions import Abort, Exit
from typer.models import CommandInfo, TyperPath

from ...linebreak import cell_width, wrap
from .help import OWN_HELP, USAGE_PREFIX, ChineseContext, format_options, short_help, usage_pieces
from .messages import ExtraArgumentsError, NoSuchCommand, explain_bad_value, format_error

_CANCELLED = "已取消。"
# Ctrl-C: Typer's code for it, 128 + SIGINT as shells report a program the signal ended.
_INTERRUPTED = 130

# Bytes of an argument that are not UTF-8 reach Python as lone surrogates (U+DC80-U+DCFF).
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_undecodable(ctx: Context) -> None:
    """A usage error naming the first text argument that holds bytes that are not UTF-8.

    Such text can match nothing and cannot be written to a data file. A file or folder argument (a path
    type) may hold them, as file names may.
    """
    for param in ctx.command.get_params(ctx):
        if isinstance(param.type, TyperPath) or param.name is None:
            continue
        value = ctx.params.get(param.name)
        for text in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(text, str) and _SURROGATE.search(text):
                raise BadParameter("含有不是 UTF-8 编码的字节，请用 UTF-8 书写", ctx=ctx, param=param)


@contextmanager
def _in_chinese(active: bool) -> Iterator[None]:
    """Print Click's exceptions, Abort and Ctrl-C in Chinese and exit with their exit code, when `active`."""
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
    except KeyboardInterrupt as e:  # Typer would exit 130 without a word
        echo(_CANCELLED, err=True)
        raise Exit(_INTERRUPTED) from e
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
        from ...render import silence_stdout

        silence_stdout()
        raise Exit(0) from e


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
                explain_bad_value(self, ctx, e, given)
            raise
        finally:
            if strict:
                ctx.allow_extra_args = False
        if strict and rest:
            raise ExtraArgumentsError(rest, ctx)
        if not ctx.resilient_parsing:
            _refuse_undecodable(ctx)
        return rest

    def get_help_option(self, ctx: Context) -> typer_core.TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None and option.help in OWN_HELP:
            option.help = OWN_HELP[option.help]
        return option

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return usage_pieces(self, ctx)

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), USAGE_PREFIX)

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
        format_options(self, ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        text = short_help(self)
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
        format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, short_help(command)))
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


class LazyCommand(CommandInfo):
    """A registered command whose function is imported when Typer first builds the command.

    `app.registered_commands.append(LazyCommand("due", ".queries", "due", __package__))`. Typer builds every
    registered command of a group on each call; when the caller keeps only the invoked one in the list (as
    gongkai's main does), a call imports the module of its own command and no other.
    """

    def __init__(self, name: str, module: str, function: str, package: str | None = None) -> None:
        self._where = (module, function, package)
        self._function: Callable[..., Any] | None = None
        super().__init__(name)

    @property
    def callback(self) -> Callable[..., Any] | None:
        if self._function is None:
            module, function, package = self._where
            self._function = getattr(importlib.import_module(module, package), function)
        return self._function

    @callback.setter
    def callback(self, function: Callable[..., Any] | None) -> None:
        self._function = function


__all__ = ["ChineseCommand", "ChineseGroup", "LazyCommand"]
