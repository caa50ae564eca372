"""Arguments as the commands read them: years, formats, dates, durations and units, and the options several
commands declare alike.

Options are declared as `str` and parsed here, so that a wrong value gets our error, in Chinese, naming the
option (exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import owing, query
from ..deadlines import parse_date_arg, parse_duration
from ..errors import GongkaiError
from ..load import load_data
from ..models import Division
from ..render import FORMATS
from ..workspace import locate_data
from .errors import EXIT_USAGE, argument_errors, fail


def parse_year(text: str | None) -> int | None:
    """The --year value as a number."""
    if text is None:
        return None
    digits = text.strip().removesuffix("年")
    if not (digits.isascii() and digits.isdigit() and len(digits) == 4):
        fail(f"“{text}”不是年份，--year 请写四位数字，如 2025。", EXIT_USAGE)
    return int(digits)


# The Chinese words a clerk may type for an option's English value; the English values stay.
FORMAT_WORDS = {"表格": "table"}
SORT_WORDS = {"关系": "role", "日期": "date", "截止日期": "date"}  # the last word names the key in messages
DONE_WORDS = {"省略": "omit", "标出": "mark"}


def parse_choice(option: str, what: str, value: str, keys: list[str], words: dict[str, str]) -> str:
    """The English key `value` stands for among `keys`: the key itself (any case), or its Chinese word."""
    text = value.strip()
    key = words.get(text, text.lower())
    if key not in keys:
        names = {english: chinese for chinese, english in words.items()}
        choices = "、".join(f"{k}（{names[k]}）" if k in names else k for k in keys)
        fail(f"没有“{value}”这种{what}，{option} 可写：{choices}。", EXIT_USAGE)
    return key


def parse_format(value: str, allowed: Sequence[str] = FORMATS) -> Any:
    """The --format value as one of `allowed` (render's FORMATS, REMINDER_FORMATS or CHECK_FORMATS)."""
    return parse_choice("--format", "格式", value, list(allowed), FORMAT_WORDS)


def parse_date(option: str, value: str | None, division: Division) -> date | None:
    """The date `option` was given (a month or a quarter taken in the table's year), or None when not given."""
    if value is None:
        return None
    with argument_errors(option):
        day = parse_date_arg(value, division.year)
    return day


def parse_today(value: str | None, division: Division) -> date:
    """The --today value, else today in China."""
    return parse_date("--today", value, division) or query.today_in_china()


def resolve_entity(name: str, division: Division) -> owing.Entity:
    """The unit or group `name` stands for."""
    with argument_errors():
        entity = query.resolve(division, name)
    return entity


def date_window(
    division: Division, before: str | None, after: str | None, within: str | None, overdue: bool, today: date
) -> query.DateWindow:
    """The deadlines --before, --after, --within and --overdue choose together."""
    if within is not None and overdue:
        fail("--within 与 --overdue 不能同时使用：一个看今后，一个看已过期，请只写其一。", EXIT_USAGE)
    with argument_errors():
        span = parse_duration(within) if within is not None else None
    last, first = parse_date("--before", before, division), parse_date("--after", after, division)
    if last is not None and first is not None and first > last:
        fail(f"起始日期（--after {first}）晚于截止日期（--before {last}），请对调。", EXIT_USAGE)
    return query.due_window(before=last, after=first, today=today, within=span, overdue=overdue)


def complete_unit(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of a unit's name: every name of every unit and group that contains what is typed."""
    try:
        option = ctx.find_root().params.get("data")  # during completion the value has not been converted yet
        division = load_data(locate_data(Path(option) if option else None).folder)
    except GongkaiError:
        return []
    names = [n for e in query.entities(division) for n in query.names_of(e)]
    return [n for n in names if incomplete in n]


FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help="输出格式：表格（table）、json、csv、md（Markdown）。", metavar="格式"),
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
BeforeOpt = Annotated[
    str | None,
    typer.Option(
        "--before",
        help="截止日期在此日或之前。写法如 2024-09-30、2024/9/30、9/30、2024年9月30日、9月底、9月、三季度末、上半年、年底。",
        metavar="日期",
        show_default=False,
    ),
]
AfterOpt = Annotated[
    str | None,
    typer.Option("--after", help="截止日期在此日或之后，写法同 --before。", metavar="日期", show_default=False),
]
WithinOpt = Annotated[
    str | None,
    typer.Option(
        "--within",
        help="截止日期在从今天起的这段时长内，如 30天、2周、1个月、1年（或 30d、2w、1m、1y）。",
        metavar="时长",
        show_default=False,
    ),
]
OverdueOpt = Annotated[bool, typer.Option("--overdue", help="只列已过截止日期（早于今天）的任务。")]
FullOpt = Annotated[bool, typer.Option("--full", help="表格中显示完整的任务要求，不只前几行。")]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        "-u",
        help="只列这个单位承担的任务，写法同 gongkai unit。",
        metavar="单位",
        autocompletion=complete_unit,
        show_default=False,
    ),
]

__all__ = [
    "DONE_WORDS",
    "FORMAT_WORDS",
    "SORT_WORDS",
    "AfterOpt",
    "BeforeOpt",
    "FormatOpt",
    "FullOpt",
    "OverdueOpt",
    "TodayOpt",
    "UnitOpt",
    "WithinOpt",
    "complete_unit",
    "date_window",
    "parse_choice",
    "parse_date",
    "parse_format",
    "parse_today",
    "parse_year",
    "resolve_entity",
]
