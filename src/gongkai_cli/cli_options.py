"""Options several command modules declare alike, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help="输出格式：table（表格）、json、csv、md（Markdown）。", metavar="格式"),
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="把这一天当作今天。默认为北京时间的今天；脚本可用它固定日期，以便复现。",
        metavar="日期",
        show_default=False,
    ),
]

__all__ = ["FormatOpt", "TodayOpt"]
