"""Read the time-limit phrases (时限要求) of the task table and the date arguments of the command line."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from .numerals import from_chinese

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

Kind = Literal["deadline", "ongoing", "from"]


class TimeLimitError(ValueError):
    """A phrase or date argument that cannot be read; str(e) is a Chinese message for the user."""


class Meaning(NamedTuple):
    """What a time-limit phrase means: a deadline, an ongoing task, or a start date."""

    kind: Kind
    due: date | None = None
    start: date | None = None


_TIME_LIMIT_FORMS: Final = "5月底前、2024年9月30日前、年底前、上半年、三季度末、持续推进、1月1日后"
_DATE_ARG_FORMS: Final = "2024-09-30、2024/9/30、9/30、20240930、2024年9月30日、9月底、9月、三季度末、上半年、年底"
_DURATION_FORMS: Final = "30d、2w、1m、1y"

# Pattern fragments shared by the tables below.
_Y = r"(?:(?P<y>[0-9]{4})年)?"
_M = r"(?P<m>[0-9]{1,2}|十[一二]?|[一二三四五六七八九])月"
_D = r"(?P<d>[0-9]{1,2})日"
_DONE = r"(?:完成)?"


def _number(token: str) -> int:
    # The patterns admit only numerals from_chinese reads, so the fallback 0 never stands.
    return int(token) if token.isascii() else from_chinese(token) or 0


def _year(m: re.Match[str], default: int) -> int:
    given = m.groupdict().get("y")
    return int(given) if given else default


def _day_of(m: re.Match[str], year: int) -> date:
    return date(_year(m, year), _number(m["m"]), int(m["d"]))


def _month_end_of(m: re.Match[str], year: int) -> date:
    return month_end(_year(m, year), _number(m["m"]))


def _year_end_of(m: re.Match[str], year: int) -> date:
    return date(_year(m, year), 12, 31)


def _half_end_of(m: re.Match[str], year: int) -> date:
    return month_end(_year(m, year), 6 if m["half"] == "上" else 12)


def _quarter_end_of(m: re.Match[str], year: int) -> date:
    return month_end(_year(m, year), 3 * _number(m["q"]))


_DateOf = Callable[[re.Match[str], int], date]

# One row per accepted form: pattern (on normalized text), kind, and how to get the date (None for ongoing).
# Patterns stay strings: re compiles and caches one on first use, so a query that never reads a phrase
# does not pay for compiling them all at start-up.
_TIME_LIMIT_RULES: Final[tuple[tuple[str, Kind, _DateOf | None], ...]] = (
    (rf"{_Y}{_M}[底末]前?{_DONE}", "deadline", _month_end_of),
    (rf"{_Y}{_M}{_D}(?:之?前)?{_DONE}", "deadline", _day_of),
    (rf"(?:(?P<y>[0-9]{{4}})年年?|年)(?:[底末]前?|内){_DONE}", "deadline", _year_end_of),
    (rf"{_Y}(?P<half>[上下])半年(?:[底末]前?|前)?{_DONE}", "deadline", _half_end_of),
    (rf"{_Y}第?(?P<q>[1-4一二三四])季度(?:[底末]前?|前)?{_DONE}", "deadline", _quarter_end_of),
    (r"持续推进|长期坚持|长期|持续|常态化推进", "ongoing", None),
    (rf"自?{_Y}{_M}{_D}(?:以?后|起)", "from", _day_of),
)

_DATE_ARG_RULES: Final[tuple[tuple[str, _DateOf], ...]] = (
    (r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})", _day_of),
    (r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})", _day_of),
    (r"(?P<m>[0-9]{1,2})[/.](?P<d>[0-9]{1,2})", _day_of),
    (rf"{_Y}{_M}{_D}", _day_of),
    (rf"{_Y}{_M}(?:[底末]前?)?", _month_end_of),
    (r"(?:(?P<y>[0-9]{4})年年?|年)底前?", _year_end_of),
)

# A count of more than 30 digits is no duration anyone means (and Python refuses to read 4,300 digits).
_DURATION: Final = r"(?P<n>[0-9]{1,30})(?P<unit>[dwmy天周年]|个?月)"
# Unit -> (days, months) per count; relativedelta folds 12 months into a year.
_DURATION_UNITS: Final = {
    "d": (1, 0),
    "天": (1, 0),
    "w": (7, 0),
    "周": (7, 0),
    "m": (0, 1),
    "月": (0, 1),
    "个月": (0, 1),
    "y": (0, 12),
    "年": (0, 12),
}


def _normalize(text: str) -> str:
    # NFKC turns full-width digits and most full-width punctuation into ASCII; "。" and "、" survive it.
    flat = "".join(unicodedata.normalize("NFKC", text).split())
    return flat.rstrip("。.;,、!?")


def month_end(year: int, month: int) -> date:
    """Return the last day of the given month."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, not {month}")
    # The day before the first of the next month; avoids importing calendar (and its locale machinery).
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def parse_time_limit(text: str, year: int) -> Meaning:
    """Read a time-limit phrase such as "9月底前"; `year` applies when the phrase names none."""
    flat = _normalize(text)
    for pattern, kind, date_of in _TIME_LIMIT_RULES:
        m = re.fullmatch(pattern, flat)
        if m is None:
            continue
        if date_of is None:
            return Meaning(kind)
        try:
            when = date_of(m, year)
        except ValueError:
            raise TimeLimitError(f"时限“{text}”中的日期不存在") from None
        return Meaning(kind, start=when) if kind == "from" else Meaning(kind, due=when)
    raise TimeLimitError(f"无法识别的时限“{text}”：可用的写法如：{_TIME_LIMIT_FORMS}")


def parse_date_arg(text: str, year: int) -> date:
    """Read a command-line date such as "2024-09-30", "9月底" or any deadline phrase the table may print.

    `year` applies when the text names none.
    """
    flat = _normalize(text)
    for pattern, date_of in _DATE_ARG_RULES:
        m = re.fullmatch(pattern, flat)
        if m is None:
            continue
        try:
            return date_of(m, year)
        except (ValueError, OverflowError):
            raise TimeLimitError(f"日期“{text}”不存在：{_why_impossible(m, year)}") from None
    # Whatever the data accepts as a deadline (三季度末, 上半年, 2024年9月底前) reads the same as an argument.
    try:
        meaning = parse_time_limit(text, year)
    except TimeLimitError:
        meaning = None
    if meaning is not None and meaning.due is not None:
        return meaning.due
    raise TimeLimitError(f"日期“{text}”无法识别，可用：{_DATE_ARG_FORMS}")


def _why_impossible(m: re.Match[str], year: int) -> str:
    """Why the date a pattern matched does not exist: 2月没有30日."""
    groups = m.groupdict()
    month = _number(groups["m"]) if groups.get("m") else 0
    if not 1 <= month <= 12:
        return f"没有 {month} 月"
    the_year = int(groups["y"]) if groups.get("y") else year
    if not 1 <= the_year <= 9999:
        return f"年份 {the_year} 超出范围"
    return f"{the_year}年{month}月只有 {month_end(the_year, month).day} 日，没有 {int(groups['d'])} 日"


def parse_duration(text: str) -> relativedelta:
    """Read a command-line duration such as "30d" or "1个月" into a relativedelta."""
    from dateutil.relativedelta import relativedelta

    m = re.fullmatch(_DURATION, _normalize(text).lower())
    if m is None or int(m["n"]) == 0:
        raise TimeLimitError(f"期限“{text}”无法识别，可用：{_DURATION_FORMS}")
    count = int(m["n"])
    days, months = _DURATION_UNITS[m["unit"]]
    return relativedelta(days=count * days, months=count * months)
