"""Read the time-limit phrases (时限要求) of the task table and the date arguments of the command line."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final, Literal

from .numerals import from_chinese
from .tuples import NamedTuple
from .vocabulary import LAG_UNIT_LABELS, LAG_UNITS, NONE_PRINTED, ONGOING_PHRASES, PROMPT_PHRASES

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

Kind = Literal["deadline", "ongoing", "from", "recurring", "prompt", "none"]
LagUnit = Literal["day", "working_day", "hour"]

# Every kind, in the order listings and summaries show them.
KINDS: Final[tuple[Kind, ...]] = ("deadline", "ongoing", "from", "recurring", "prompt", "none")

# A date this many years before the plan year is flagged even when the phrase names its year (2011年底前 in 2020).
FAR_YEARS: Final = 1


class TimeLimitError(ValueError):
    """A phrase or date argument that cannot be read; str(e) is a Chinese message for the user."""


class AmbiguousTimeLimitError(TimeLimitError):
    """A phrase with more than one reading (四季度前, 7月前); the data may keep it only with a recorded reading.

    `readings` lists the readings a date can be given for, in date order; str(e) names them in Chinese.
    """

    def __init__(self, message: str, readings: tuple[Meaning, ...]) -> None:
        super().__init__(message)
        self.readings = readings


class Meaning(NamedTuple):
    """What a time-limit phrase means.

    - deadline: due by `due`;
    - ongoing: no date (持续推进);
    - from: runs from `start` on;
    - recurring: due again and again, on each of `occurrences` (每季度); `due` is None;
    - prompt: to be done as things happen (及时更新); no date, never overdue. A stated lag (信息形成后7个工作日内)
      is kept in `lag` and `lag_unit` (day, working_day or hour);
    - none: the table prints no time limit on purpose (无, —, /).
    """

    kind: Kind
    due: date | None = None
    start: date | None = None
    occurrences: tuple[date, ...] = ()
    lag: int | None = None
    lag_unit: LagUnit | None = None


def lag_text(lag: int | None, unit: str | None) -> str:
    """7个工作日, 24小时: a stated lag as the tool prints it; "" without one."""
    return f"{lag}{LAG_UNIT_LABELS.get(unit or '', '')}" if lag is not None else ""


def due_dates(meaning: Meaning) -> tuple[date, ...]:
    """The dates a task is due on: (due,) for a deadline, every occurrence of a recurring limit, else ()."""
    if meaning.kind == "deadline" and meaning.due is not None:
        return (meaning.due,)
    if meaning.kind == "recurring":
        return meaning.occurrences
    return ()


def _time_limit_forms(year: int) -> str:
    """The ways a time limit may be written, with the table's own year in the examples."""
    return f"5月底前、{year}年9月30日前、年底前、上半年、三季度末、9月中旬、每季度、及时更新、持续推进、1月1日后"


_DURATION_FORMS: Final = "30d、2w、1m"


def _date_forms(year: int) -> str:
    """The ways a command-line date may be written, with the table's own year in the examples."""
    return f"{year}-09-30、{year}/9/30、9/30、{year}0930、{year}年9月30日、9月底、9月、三季度末、上半年、年底"


# Pattern fragments shared by the tables below.
_Y = r"(?:(?P<y>[0-9]{4})年)?"
# A year before 年底, 年内, 年中: "2025年底" and "2025年年底" both name it; bare "年底" is the plan year's.
_YEAR_OF = r"(?:(?P<y>[0-9]{4})年年?|年)"
_M = r"(?P<m>[0-9]{1,2}|十[一二]?|[一二三四五六七八九])月"
_D = r"(?P<d>[0-9]{1,2})日"
_Q = r"第?(?P<q>[1-4一二三四])季度"
_DONE = r"(?:完成)?"
# After a period: its end (底, 末), optionally with 前 (9月底前, 三季度末前).
_END = r"(?:[底末]前?)?"


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


def _mid_year_of(m: re.Match[str], year: int) -> date:
    return date(_year(m, year), 6, 30)


def _half_end_of(m: re.Match[str], year: int) -> date:
    return month_end(_year(m, year), 6 if m["half"] == "上" else 12)


def _quarter_end_of(m: re.Match[str], year: int) -> date:
    return month_end(_year(m, year), 3 * _number(m["q"]))


def _ten_days_end_of(m: re.Match[str], year: int) -> date:
    """上旬 ends on the 10th, 中旬 on the 20th, 下旬 with the month."""
    the_year, month = _year(m, year), _number(m["m"])
    if m["part"] == "下":
        return month_end(the_year, month)
    return date(the_year, month, 10 if m["part"] == "上" else 20)


_DateOf = Callable[[re.Match[str], int], date]


class _Choices(NamedTuple):
    """The readings of an ambiguous phrase: (label, date) pairs, and a reading no date can be given for."""

    options: tuple[tuple[str, date], ...]
    undated: str = ""

    @property
    def readings(self) -> tuple[Meaning, ...]:
        return tuple(Meaning("deadline", due=when) for _, when in self.options)

    def describe(self) -> str:
        """截止日期 2024-09-30（四季度开始前）或 2024-12-31（四季度结束前）."""
        parts = [f"截止日期 {when}（{label}）" for label, when in self.options]
        return "或".join([*parts, self.undated] if self.undated else parts)


_Reader = Callable[[re.Match[str], int], Meaning | _Choices]


def _deadline(date_of: _DateOf) -> _Reader:
    return lambda m, year: Meaning("deadline", due=date_of(m, year))


def _from(m: re.Match[str], year: int) -> Meaning:
    return Meaning("from", start=_day_of(m, year))


def _ongoing(m: re.Match[str], year: int) -> Meaning:
    return Meaning("ongoing")


def _prompt(m: re.Match[str], year: int) -> Meaning:
    return Meaning("prompt")


def _none(m: re.Match[str], year: int) -> Meaning:
    return Meaning("none")


def _lag(m: re.Match[str], year: int) -> Meaning:
    """信息形成后7个工作日内, 20个工作日内, 24小时内: done as things happen, within the stated lag."""
    unit: LagUnit = LAG_UNITS[m["unit"]]  # type: ignore[assignment]
    return Meaning("prompt", lag=int(m["n"]), lag_unit=unit)


def _every_year_on(date_of: _DateOf) -> _Reader:
    """每年4月1日之前, 每年3月底前: once a year, so once in the plan year."""
    return lambda m, year: Meaning("recurring", occurrences=(date_of(m, year),))


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# Months in one period of a recurring limit.
_PERIOD_MONTHS: Final = {"月": 1, "季": 3, "季度": 3, "半年": 6, "年": 12, "年度": 12}


def _every_period(m: re.Match[str], year: int) -> Meaning:
    """每月, 每季度末, 每半年: the end of each period of the year; 每季度结束后10日内 adds the days."""
    the_year, step = _year(m, year), _PERIOD_MONTHS[m["every"]]
    after = timedelta(days=int(m.groupdict().get("n") or 0))
    ends = tuple(month_end(the_year, month) + after for month in range(step, 13, step))
    return Meaning("recurring", occurrences=ends)


def _every_month_on(m: re.Match[str], year: int) -> Meaning:
    """每月10日前: that day of each month, or the month's last day when the month is shorter."""
    the_year, day = _year(m, year), int(m["d"])
    if not 1 <= day <= 31:
        raise ValueError(f"no day {day} in any month")
    ends = (month_end(the_year, month) for month in range(1, 13))
    return Meaning("recurring", occurrences=tuple(end.replace(day=min(day, end.day)) for end in ends))


def _every_week(m: re.Match[str], year: int) -> Meaning:
    """每周: each Sunday (the end of each ISO week) of the year."""
    the_year = _year(m, year)
    first = date(the_year, 1, 1)
    sunday = first + timedelta(days=6 - first.weekday())
    sundays = []
    while sunday.year == the_year:
        sundays.append(sunday)
        sunday += timedelta(days=7)
    return Meaning("recurring", occurrences=tuple(sundays))


def _before_or_by(first_month: Callable[[re.Match[str], int], tuple[int, int]], months: int) -> _Reader:
    """An "X前" phrase for a period X of `months` months starting at first_month(m, year) = (year, month).

    It reads either as before X starts (the day before its first day) or as by the time X ends.
    """

    def read(m: re.Match[str], year: int) -> _Choices:
        the_year, month = first_month(m, year)
        period = m["period"]
        before = date(the_year, month, 1) - timedelta(days=1)
        by = month_end(the_year + (month + months - 2) // 12, (month + months - 2) % 12 + 1)
        return _Choices(((f"{period}开始前", before), (f"{period}结束前", by)))

    return read


def _month_first(m: re.Match[str], year: int) -> tuple[int, int]:
    month = _number(m["m"])
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, not {month}")
    return _year(m, year), month


def _year_before(m: re.Match[str], year: int) -> _Choices:
    # Bare 年前 also commonly means before the Spring Festival, a lunar date this module does not compute.
    return _Choices((("年底前", date(year, 12, 31)),), "春节前（农历日期，无法推算）")


# A verb that may follow a recurring form: 按年公开, 每季度更新.
_VERB = r"(?:公开|发布|更新|报送|调整|开展)?"
_LAG_UNITS = _alternation(tuple(LAG_UNITS))

# One row per accepted form: pattern (on normalized text) and how to read a match.
# Patterns stay strings: re compiles and caches one on first use, so a query that never reads a phrase
# does not pay for compiling them all at start-up.
_TIME_LIMIT_RULES: Final[tuple[tuple[str, _Reader], ...]] = (
    (rf"{_Y}{_M}[底末]前?{_DONE}", _deadline(_month_end_of)),
    (rf"{_Y}{_M}{_D}(?:之?前)?{_DONE}", _deadline(_day_of)),
    (rf"{_Y}{_M}(?P<part>[上中下])旬(?:[底末]前?|前)?{_DONE}", _deadline(_ten_days_end_of)),
    (rf"{_YEAR_OF}(?:[底末]前?|内){_DONE}", _deadline(_year_end_of)),
    (rf"{_YEAR_OF}中前?{_DONE}", _deadline(_mid_year_of)),
    (rf"{_Y}(?P<half>[上下])半年{_END}{_DONE}", _deadline(_half_end_of)),
    # 上半年前 has always read as by the end of the half (before it starts would be before the year itself);
    # 下半年前, like 四季度前 and 7月前, is ambiguous below.
    (rf"{_Y}(?P<half>上)半年前{_DONE}", _deadline(_half_end_of)),
    (rf"{_Y}{_Q}{_END}{_DONE}", _deadline(_quarter_end_of)),
    (rf"(?P<y>[0-9]{{4}})年{_M}{_DONE}", _deadline(_month_end_of)),
    (rf"(?P<y>[0-9]{{4}})年(?:度|全年)?{_DONE}", _deadline(_year_end_of)),
    (_alternation(ONGOING_PHRASES), _ongoing),
    (rf"(?:及时|即时|随时|实时)(?:更新|发布|公开)?|动态更新|{_alternation(PROMPT_PHRASES)}", _prompt),
    (_alternation(NONE_PRINTED), _none),
    (rf"自?{_Y}{_M}{_D}(?:以?后|起)", _from),
    # Recurring: 每月, 每季度末, 按季度, 每季度结束后10日内, 每半年, 每年底前, 每月10日前, 每周.
    (
        rf"{_Y}每(?P<every>月|季度?|半年|年度?)(?:[底末]前?|结束后(?P<n>[0-9]{{1,3}})[日天]内)?{_DONE}{_VERB}",
        _every_period,
    ),
    (rf"{_Y}按(?P<every>月|季度?|半年|年度?){_VERB}", _every_period),
    (rf"{_Y}每年{_M}{_D}(?:之?前)?{_DONE}", _every_year_on(_day_of)),
    (rf"{_Y}每年{_M}[底末]前?{_DONE}", _every_year_on(_month_end_of)),
    # After an event (信息形成后, 自收到申请之日起) or alone: within a stated lag.
    (
        rf"(?:(?!每).{{0,30}}?(?:后|起))?(?P<n>[0-9]{{1,3}})(?P<unit>{_LAG_UNITS})内(?:完成|公开|发布|更新|办结|答复)?",
        _lag,
    ),
    (rf"{_Y}每(?P<every>年)年[底末]前?{_DONE}", _every_period),
    (rf"{_Y}每月{_D}(?:之?前)?{_DONE}", _every_month_on),
    (rf"{_Y}[每按]周", _every_week),
    # Ambiguous: before the period starts, or by the time it ends.
    (
        rf"(?P<period>{_Y}{_Q})前{_DONE}",
        _before_or_by(lambda m, year: (_year(m, year), 3 * _number(m["q"]) - 2), 3),
    ),
    (rf"(?P<period>{_Y}下半年)前{_DONE}", _before_or_by(lambda m, year: (_year(m, year), 7), 6)),
    (rf"(?P<period>{_Y}{_M})前{_DONE}", _before_or_by(_month_first, 1)),
    (rf"(?P<period>(?P<y>[0-9]{{4}})年)前{_DONE}", _before_or_by(lambda m, year: (_year(m, year), 1), 12)),
    (rf"年前{_DONE}", _year_before),
)

_DATE_ARG_RULES: Final[tuple[tuple[str, _DateOf], ...]] = (
    (r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})", _day_of),
    (r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})", _day_of),
    (r"(?P<m>[0-9]{1,2})[/.](?P<d>[0-9]{1,2})", _day_of),
    # 号 is how a day is often said and typed (9月30号), though a table prints 日.
    (rf"{_Y}{_M}(?P<d>[0-9]{{1,2}})[日号]", _day_of),
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


@functools.cache
def _compiled_rules() -> tuple[tuple[re.Pattern[str], _Reader], ...]:
    # Compiled on first use: a query that reads no phrase does not pay for it.
    return tuple((re.compile(pattern), reader) for pattern, reader in _TIME_LIMIT_RULES)


# An import asks of every cell that may be a time limit, and a table writes a few hundred phrases.
@functools.lru_cache(maxsize=4096)
def _read(flat: str, year: int) -> Meaning | _Choices | None:
    """The meaning of a normalized phrase, its readings if it is ambiguous, or None if no form matches.

    Raises ValueError or OverflowError when a form matches but names a date that does not exist.
    """
    for pattern, reader in _compiled_rules():
        m = pattern.fullmatch(flat)
        if m is not None:
            return reader(m, year)
    return None


class UnreadableTimeLimitError(TimeLimitError):
    """A phrase no form reads; the message names the nearest reading, worked out only when it is shown."""

    def __init__(self, text: str, year: int) -> None:
        super().__init__(text)
        self.text, self.year = text, year

    def __str__(self) -> str:
        nearest = _nearest(_normalize(self.text), self.year)
        hint = f"最接近的读法是“{nearest[0]}”（{describe(nearest[1])}）；" if nearest else ""
        return f"无法识别的时限“{self.text}”：{hint}可用的写法如：{_time_limit_forms(self.year)}"


def reads_as_time_limit(text: str, year: int) -> bool:
    """Whether `text` is a phrase the time-limit reader knows (an ambiguous one counts); no suggestion is sought."""
    try:
        return _read(_normalize(text), year) is not None
    except (ValueError, OverflowError):  # a form that names a day that does not exist
        return False


def parse_time_limit(text: str, year: int) -> Meaning:
    """Read a time-limit phrase such as "9月底前"; `year` applies when the phrase names none.

    Raises AmbiguousTimeLimitError for a phrase with more than one reading (四季度前, 7月前, 年前).
    """
    try:
        read = _read(_normalize(text), year)
    except (ValueError, OverflowError):
        raise TimeLimitError(f"时限“{text}”中的日期不存在") from None
    if read is None:
        raise UnreadableTimeLimitError(text, year)
    if isinstance(read, _Choices):
        raise AmbiguousTimeLimitError(
            f"“{text}”有两种读法：{read.describe()}；请在 note 中写明采用哪一种", read.readings
        )
    return read


# Characters a typo may have replaced or dropped in a phrase: one edit of these is tried for a suggestion.
_PHRASE_CHARS: Final = "底末前后日月年季度半上下中旬内起每按期持续推进及时0123456789"
_LONGEST_SUGGESTED: Final = 40


def _reads(flat: str, year: int) -> Meaning | None:
    try:
        read = _read(flat, year)
    except (ValueError, OverflowError):
        return None
    return read if isinstance(read, Meaning) else None


@functools.lru_cache(maxsize=256)
def _nearest(flat: str, year: int) -> tuple[str, Meaning] | None:
    """The nearest phrase that reads: `flat` with one character added, replaced or dropped (9底前 → 9月底前), else
    the longest part of it that reads (力争6月底前完成初稿 → 6月底前完成)."""
    if not flat or len(flat) > _LONGEST_SUGGESTED:
        return None
    # A missing character first, then a wrong one (never a digit: it carries the date), then an extra one.
    edits = [flat[:i] + char + flat[i:] for i in range(len(flat) + 1) for char in _PHRASE_CHARS]
    edits += [
        flat[:i] + char + flat[i + 1 :] for i in range(len(flat)) if not flat[i].isdigit() for char in _PHRASE_CHARS
    ]
    edits += [flat[:i] + flat[i + 1 :] for i in range(len(flat))]
    for candidate in edits:
        read = _reads(candidate, year) if candidate else None
        if read is not None:
            return candidate, read
    for length in range(len(flat) - 1, 1, -1):
        for i in range(len(flat) - length + 1):
            read = _reads(flat[i : i + length], year)
            if read is not None:
                return flat[i : i + length], read
    return None


def describe(meaning: Meaning) -> str:
    """What a reading means, in words: 截止日期 2024-09-30, 定期：…, 及时办理（7个工作日内）."""
    if meaning.kind == "deadline":
        return f"截止日期 {meaning.due}"
    if meaning.kind == "from":
        return f"自 {meaning.start} 起"
    if meaning.kind == "recurring":
        return "定期：" + "、".join(str(d) for d in meaning.occurrences)
    if meaning.kind == "prompt":
        lag = lag_text(meaning.lag, meaning.lag_unit)
        return f"及时办理（{lag}内）" if lag else "及时办理（无固定日期）"
    if meaning.kind == "none":
        return "原表未列时限"
    return "持续推进（无截止日期）"


def far_date(meaning: Meaning, text: str, year: int) -> date | None:
    """The first date of a reading that lies far from the plan year, a likely typo or a row copied from an old table.

    A date more than FAR_YEARS before the plan year is far even where the phrase names its year (2011年底前 in a
    2020 plan); a later one only where the year was not written (a plan may run to 2027年3月底前).
    """
    names_year = re.search(r"[0-9]{4}", text) is not None
    for day in (meaning.due, meaning.start, *meaning.occurrences):
        if day is None:
            continue
        if day.year < year - FAR_YEARS or (not names_year and day.year > year + FAR_YEARS):
            return day
    return None


def parse_date_arg(text: str, year: int) -> date:
    """Read a command-line date such as "2024-09-30", "9月底" or any deadline phrase the table may print.

    `year` applies when the text names none. Only a single date is accepted: a recurring or prompt
    phrase (每季度, 及时) is refused, and an ambiguous one (7月前) raises AmbiguousTimeLimitError.
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
        read = _read(flat, year)
    except (ValueError, OverflowError):
        read = None
    if isinstance(read, _Choices):
        example = read.options[0][1]
        raise AmbiguousTimeLimitError(
            f"日期“{text}”有两种读法：{read.describe()}；请直接写出日期，如 {example}", read.readings
        )
    if read is not None and read.kind == "deadline" and read.due is not None:
        return read.due
    if read is not None and read.kind == "recurring":
        shown = "、".join(str(day) for day in read.occurrences[:4])
        more = f" 等 {len(read.occurrences)} 个" if len(read.occurrences) > 4 else ""
        first = str(read.occurrences[0]) if read.occurrences else f"{year}-09-30"
        raise TimeLimitError(
            f"日期“{text}”是周期性时限（{shown}{more}），不是单一日期，请写出其中一个日期，如 {first}。"
        )
    if read is not None and read.kind == "prompt":
        raise TimeLimitError(f"日期“{text}”表示随时办理，没有截止日期，请写一个具体日期，如 {year}-09-30。")
    raise TimeLimitError(f"日期“{text}”无法识别，请写成 {_date_forms(year)} 等形式。")


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
        raise TimeLimitError(f"时长“{text}”无法识别，请写成 30天、2周、1个月（或 {_DURATION_FORMS}）。")
    count = int(m["n"])
    days, months = _DURATION_UNITS[m["unit"]]
    return relativedelta(days=count * days, months=count * months)
