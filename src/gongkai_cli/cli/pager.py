"""The pager a long table goes through on a terminal, and the table printed as it is when the pager fails."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

# Characters that only a shell gives a meaning to, as git tells them: a value holding one runs through the shell.
_SHELL_CHARACTERS = frozenset("|&;<>()$`\\\"'*?[#~=%\n")


def pager_command(value: str) -> list[str] | str:
    """How to start the pager a variable names: an argument list, or a command line for the shell.

    A plain value (`less -R`) is split into words and run without a shell; a value that needs one (quotes, a
    pipe, a variable, `LESS=R less`) is run through it.
    """
    import shlex

    return value if any(ch in _SHELL_CHARACTERS for ch in value) else shlex.split(value)


def pager() -> Callable[[str], None] | None:
    """The pager for a long table, the way git chooses one: only on a terminal; GONGKAI_PAGER, else PAGER, else less.

    An empty GONGKAI_PAGER (or "cat") turns paging off. A pager that cannot start, or ends in failure (a
    non-zero exit), has not shown the table: it is then printed as it is, with a note saying why.
    """
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        return None
    value = os.environ.get("GONGKAI_PAGER", os.environ.get("PAGER", "less"))
    if value.strip() in ("", "cat"):
        return None

    def page(text: str) -> None:
        from .errors import note

        failure = _run(pager_command(value), text.encode(sys.stdout.encoding or "utf-8", "replace"))
        if failure is not None:
            note(f"提示：分页器“{value}”{failure}，直接显示结果。")
            sys.stdout.write(text)

    return page


def _run(command: list[str] | str, data: bytes) -> str | None:
    """Page `data` through `command`; None when the pager ran and ended well, else what went wrong."""
    import signal
    import subprocess
    import threading

    from ..errors import os_reason

    # As git does: quit if one screen, keep colours, leave the text on screen; unless LESS says otherwise.
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LV": os.environ.get("LV", "-c")}
    try:
        process = subprocess.Popen(command, shell=isinstance(command, str), stdin=subprocess.PIPE, env=env)
    except OSError as e:  # not installed, not executable
        return f"无法启动（{os_reason(e)}）"
    # Ctrl-C belongs to the pager while it runs (less stops a search with it), as with git. A pager that stops
    # reading has quit early (fine) or failed (its exit code says which): communicate ignores the broken pipe.
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
    try:
        process.communicate(data)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    code = process.returncode
    if code == 0:
        return None
    if code in (126, 127) and isinstance(command, str):  # the shell's "cannot run" and "not found"
        return f"无法启动（退出码 {code}）"
    return f"出错退出（退出码 {code}）" if code > 0 else f"被信号 {-code} 终止"
