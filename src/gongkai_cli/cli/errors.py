"""How the command line fails: its exit codes, its error lines, and library errors turned into them.

Every command ends through `fail` when it cannot answer: one red line on stderr and an exit code the README
documents. Hints for the person at the terminal go through `note`, on stderr too, so that neither ever mixes
with an answer on stdout.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

import typer

from ..deadlines import TimeLimitError
from ..errors import GongkaiError, LookupFailedError, Problem
from ..render import emit_problems, make_console, print_note
from ..safetext import visible

# Exit codes, documented in the README.
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130  # Ctrl-C, with 已取消。 on stderr: main's code, and the Chinese seam's during a command


def fail(message: str, code: int) -> NoReturn:
    """Print 错误：message on stderr and end the command with `code`."""
    from rich.markup import escape

    # soft_wrap: an error message stays one line, whatever the terminal width, so it can be grepped.
    make_console(stderr=True).print(f"[red]错误：[/]{escape(visible(message))}", soft_wrap=True)
    raise typer.Exit(code)


def fail_with_problems(problems: Sequence[Problem], message: str, code: int) -> NoReturn:
    """List the problems found in data files (one a line, file:line:col), then fail with `message`."""
    emit_problems(problems, "text", sys.stderr)
    fail(message, code)


def note(message: str) -> None:
    """A hint for the person at the terminal, on stderr so that it never mixes with the answer."""
    print_note(make_console(stderr=True), message)


@contextmanager
def argument_errors(option: str | None = None) -> Iterator[None]:
    """Turn a lookup or parse failure into a usage error (exit 2).

    The message says what it is about (未找到“…”, 没有第 99 项任务, 时长“30”无法识别); `option` names the option
    where the command takes two of a kind (--before and --after): --before 的日期“…”不存在.
    """
    about = f"{option} 的" if option is not None else ""
    try:
        yield
    except LookupFailedError as e:
        candidates = "".join(f"\n  {c}" for c in e.candidates) if len(e.candidates) > 1 else ""
        fail(f"{about}{e}{candidates}", EXIT_USAGE)
    except TimeLimitError as e:
        fail(f"{about}{e}", EXIT_USAGE)


def fail_unmapped(error: GongkaiError) -> NoReturn:
    """A library error no command turned into a message of its own: still one line and exit 1, no traceback."""
    make_console(stderr=True).print(f"错误：{visible(str(error))}", markup=False)
    raise SystemExit(EXIT_DATA) from None


__all__ = [
    "EXIT_CANCELLED",
    "EXIT_DATA",
    "EXIT_USAGE",
    "argument_errors",
    "fail",
    "fail_unmapped",
    "fail_with_problems",
    "note",
]
