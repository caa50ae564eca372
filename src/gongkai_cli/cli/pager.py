"""The pager a long table goes through on a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def pager() -> Callable[[str], None] | None:
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


__all__ = ["pager"]
