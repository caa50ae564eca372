"""Tests for gongkai_cli.deadlines."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from typing import get_args

import pytest

from gongkai_cli.deadlines import (
    KINDS,
    AmbiguousTimeLimitError,
    Kind,
    Meaning,
    TimeLimitError,
    describe,
    due_dates,
    far_date,
    month_end,
    parse_date_arg,
    parse_duration,
    parse_time_limit,
)

YEAR = 2024


def deadline(y: int, m: int, d: int) -> Meaning:
    return Meaning("deadline", due=date(y, m, d))


def start(y: int, m: int, d: int) -> Meaning:
    return Meaning("from", start=date(y, m, d))


def every(*days: date) -> Meaning:
    return Meaning("recurring", occurrences=days)


ONGOING = Meaning("ongoing")
PROMPT = Meaning("prompt")


def month_ends(y: int) -> tuple[date, ...]:
    return tuple(month_end(y, m) for m in range(1, 13))


def quarter_ends(y: int) -> tuple[date, ...]:
    return (date(y, 3, 31), date(y, 6, 30), date(y, 9, 30), date(y, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年5月底前", deadline(2024, 5, 31)),
        ("9月底前", deadline(2024, 9, 30)),
        ("8月底前", deadline(2024, 8, 31)),
        ("年底前", deadline(2024, 12, 31)),
        ("持续推进", ONGOING),
        ("1月1日后", start(2024, 1, 1)),
    ],
)
def test_parse_time_limit_real_table(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5月底前", deadline(2024, 5, 31)),
        ("5月底", deadline(2024, 5, 31)),
        ("5月底前完成", deadline(2024, 5, 31)),
        ("6月末前", deadline(2024, 6, 30)),
        ("6月末", deadline(2024, 6, 30)),
        ("2025年5月底前", deadline(2025, 5, 31)),
        ("2023年6月末", deadline(2023, 6, 30)),
        ("12月底前", deadline(2024, 12, 31)),
    ],
)
def test_parse_time_limit_month_end(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2月底前", deadline(2024, 2, 29)),
        ("2023年2月底前", deadline(2023, 2, 28)),
        ("2000年2月末", deadline(2000, 2, 29)),
        ("1900年2月末", deadline(1900, 2, 28)),
        ("2月29日前", deadline(2024, 2, 29)),
    ],
)
def test_parse_time_limit_leap_year(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9月30日前", deadline(2024, 9, 30)),
        ("9月30日之前", deadline(2024, 9, 30)),
        ("9月30日前完成", deadline(2024, 9, 30)),
        ("9月30日", deadline(2024, 9, 30)),
        ("2025年3月15日前", deadline(2025, 3, 15)),
        ("2025年3月15日", deadline(2025, 3, 15)),
    ],
)
def test_parse_time_limit_day(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年底前", deadline(2024, 12, 31)),
        ("年底", deadline(2024, 12, 31)),
        ("年底前完成", deadline(2024, 12, 31)),
        ("年内", deadline(2024, 12, 31)),
        ("年末前", deadline(2024, 12, 31)),
        ("2025年年底前", deadline(2025, 12, 31)),
        ("2025年底前", deadline(2025, 12, 31)),
        ("2025年底", deadline(2025, 12, 31)),
    ],
)
def test_parse_time_limit_year_end(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上半年", deadline(2024, 6, 30)),
        ("上半年前", deadline(2024, 6, 30)),
        ("上半年完成", deadline(2024, 6, 30)),
        ("下半年", deadline(2024, 12, 31)),
        ("2025年上半年", deadline(2025, 6, 30)),
        ("2025年下半年", deadline(2025, 12, 31)),
    ],
)
def test_parse_time_limit_half_year(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一季度", deadline(2024, 3, 31)),
        ("第一季度", deadline(2024, 3, 31)),
        ("一季度末", deadline(2024, 3, 31)),
        ("第二季度底前", deadline(2024, 6, 30)),
        ("第三季度末", deadline(2024, 9, 30)),
        ("三季度末前", deadline(2024, 9, 30)),
        ("第4季度", deadline(2024, 12, 31)),
        ("2025年第三季度末", deadline(2025, 9, 30)),
    ],
)
def test_parse_time_limit_quarter(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize("text", ["持续推进", "长期坚持", "长期", "持续", "常态化推进"])
def test_parse_time_limit_ongoing(text: str) -> None:
    assert parse_time_limit(text, YEAR) == ONGOING


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1月1日后", start(2024, 1, 1)),
        ("3月1日起", start(2024, 3, 1)),
        ("3月1日以后", start(2024, 3, 1)),
        ("自3月1日起", start(2024, 3, 1)),
        ("2025年1月1日起", start(2025, 1, 1)),
        ("自2025年1月1日起", start(2025, 1, 1)),
    ],
)
def test_parse_time_limit_from(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一月底前", deadline(2024, 1, 31)),
        ("九月底前", deadline(2024, 9, 30)),
        ("十月底", deadline(2024, 10, 31)),
        ("十一月末", deadline(2024, 11, 30)),
        ("十二月底前", deadline(2024, 12, 31)),
        ("2025年二月底前", deadline(2025, 2, 28)),
        ("三季度末", deadline(2024, 9, 30)),
        ("四季度", deadline(2024, 12, 31)),
    ],
)
def test_parse_time_limit_chinese_numerals(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("９月底前", deadline(2024, 9, 30)),
        ("２０２５年５月底前", deadline(2025, 5, 31)),
        ("１月１日后", start(2024, 1, 1)),
        ("第４季度", deadline(2024, 12, 31)),
    ],
)
def test_parse_time_limit_full_width(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    "text",
    [
        "9月底前。",
        "9月底前.",
        "9月底前；",
        "9月底前;",
        "9月底前，",
        "9月底前,",
        "9月底前、",
        "9月底前．",
        "9月底前。；",
    ],
)
def test_parse_time_limit_trailing_punctuation(text: str) -> None:
    assert parse_time_limit(text, YEAR) == deadline(2024, 9, 30)


@pytest.mark.parametrize("text", ["9 月底 前", " 9月底前 ", "9\u3000月底前", "2024 年 9 月\t底前\n"])
def test_parse_time_limit_whitespace(text: str) -> None:
    assert parse_time_limit(text, YEAR) == deadline(2024, 9, 30)


@pytest.mark.parametrize("text", ["2月30日前", "13月底前", "0月底前", "4月31日", "2023年2月29日起", "9月0日前"])
def test_parse_time_limit_invalid_date(text: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_time_limit(text, YEAR)
    assert f"“{text}”" in str(caught.value)


@pytest.mark.parametrize("text", ["9底前", "", "尽快", "9月", "月底前", "年", "五季度", "两月底前", "9月底后"])
def test_parse_time_limit_rejects(text: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_time_limit(text, YEAR)
    message = str(caught.value)
    assert message.startswith(f"无法识别的时限“{text}”：")
    assert "5月底前" in message
    assert "持续推进" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-09-30", date(2024, 9, 30)),
        ("2024-9-30", date(2024, 9, 30)),
        ("2024/9/30", date(2024, 9, 30)),
        ("2024.9.30", date(2024, 9, 30)),
        ("20240930", date(2024, 9, 30)),
        ("2024年9月30日", date(2024, 9, 30)),
        ("2025年1月2日", date(2025, 1, 2)),
        ("9月30日", date(2024, 9, 30)),
        ("9月底", date(2024, 9, 30)),
        ("9月底前", date(2024, 9, 30)),
        ("2月底", date(2024, 2, 29)),
        ("2025年2月底", date(2025, 2, 28)),
        ("年底", date(2024, 12, 31)),
        ("年底前", date(2024, 12, 31)),
        ("２０２４－０９－３０", date(2024, 9, 30)),
        ("２０２４／９／３０", date(2024, 9, 30)),
        ("９月３０日", date(2024, 9, 30)),
        (" 2024-09-30 ", date(2024, 9, 30)),
    ],
)
def test_parse_date_arg_accepts(text: str, expected: date) -> None:
    assert parse_date_arg(text, YEAR) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024-9/30",
        "2024-09",
        "240930",
        "9底前",
        "持续推进",
        "1月1日后",
        "明天",
    ],
)
def test_parse_date_arg_rejects(text: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_date_arg(text, YEAR)
    message = str(caught.value)
    assert message == (
        f"日期“{text}”无法识别，请写成 2024-09-30、2024/9/30、9/30、20240930、2024年9月30日、9月底、9月、三季度末、"
        "上半年、年底 等形式。"
    )


def test_parse_date_arg_examples_use_the_tables_year() -> None:
    with pytest.raises(TimeLimitError, match="请写成 2025-09-30、2025/9/30、9/30、20250930、2025年9月30日、"):
        parse_date_arg("明天", 2025)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024-02-30", "2024年2月只有 29 日，没有 30 日"),
        ("20240230", "2024年2月只有 29 日，没有 30 日"),
        ("9月31日", "2024年9月只有 30 日，没有 31 日"),
        ("2024年13月1日", "没有 13 月"),
        ("0000-01-01", "年份 0 超出范围"),
    ],
)
def test_parse_date_arg_says_why_a_date_does_not_exist(text: str, reason: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_date_arg(text, YEAR)
    assert str(caught.value) == f"日期“{text}”不存在：{reason}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三季度末", date(2024, 9, 30)),
        ("上半年", date(2024, 6, 30)),
        ("9月", date(2024, 9, 30)),
        ("2024年9月", date(2024, 9, 30)),
        ("9/30", date(2024, 9, 30)),
        ("2025年5月底前", date(2025, 5, 31)),
        ("四季度", date(2024, 12, 31)),
    ],
)
def test_parse_date_arg_reads_every_deadline_phrase_the_data_accepts(text: str, expected: date) -> None:
    assert parse_date_arg(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("30d", date(2024, 9, 1), date(2024, 10, 1)),
        ("30D", date(2024, 9, 1), date(2024, 10, 1)),
        ("30天", date(2024, 9, 1), date(2024, 10, 1)),
        ("３０ｄ", date(2024, 9, 1), date(2024, 10, 1)),
        ("2w", date(2024, 9, 1), date(2024, 9, 15)),
        ("2周", date(2024, 9, 1), date(2024, 9, 15)),
        ("1m", date(2024, 1, 31), date(2024, 2, 29)),
        ("1M", date(2024, 1, 31), date(2024, 2, 29)),
        ("1个月", date(2024, 1, 31), date(2024, 2, 29)),
        ("1月", date(2024, 1, 31), date(2024, 2, 29)),
        ("13m", date(2024, 1, 31), date(2025, 2, 28)),
        ("1y", date(2024, 2, 29), date(2025, 2, 28)),
        ("1年", date(2024, 9, 1), date(2025, 9, 1)),
    ],
)
def test_parse_duration_accepts(text: str, base: date, expected: date) -> None:
    assert base + parse_duration(text) == expected


@pytest.mark.parametrize("text", ["0d", "-3d", "abc", "", "d", "1.5d", "3h", "3"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_duration(text)
    assert str(caught.value) == f"时长“{text}”无法识别，请写成 30天、2周、1个月（或 30d、2w、1m）。"


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2024, 1, date(2024, 1, 31)),
        (2024, 2, date(2024, 2, 29)),
        (2023, 2, date(2023, 2, 28)),
        (2024, 4, date(2024, 4, 30)),
        (2024, 12, date(2024, 12, 31)),
    ],
)
def test_month_end(year: int, month: int, expected: date) -> None:
    assert month_end(year, month) == expected


def test_import_does_not_load_dateutil() -> None:
    code = "import sys, gongkai_cli.deadlines; print('dateutil' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_kinds_are_the_kind_literal_in_a_fixed_order() -> None:
    assert KINDS == ("deadline", "ongoing", "from", "recurring", "prompt", "none")
    assert set(KINDS) == set(get_args(Kind))


def test_meaning_keeps_its_three_first_fields() -> None:
    meaning = Meaning("deadline", date(2024, 9, 30))
    assert (meaning.kind, meaning.due, meaning.start, meaning.occurrences) == ("deadline", date(2024, 9, 30), None, ())
    assert Meaning._fields == ("kind", "due", "start", "occurrences", "lag", "lag_unit")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每月", every(*month_ends(2024))),
        ("每月底前", every(*month_ends(2024))),
        ("每月底", every(*month_ends(2024))),
        ("每月末", every(*month_ends(2024))),
        ("按月", every(*month_ends(2024))),
        ("每季度", every(*quarter_ends(2024))),
        ("每季度末", every(*quarter_ends(2024))),
        ("每季度底前完成", every(*quarter_ends(2024))),
        ("每季", every(*quarter_ends(2024))),
        ("按季度", every(*quarter_ends(2024))),
        (
            "每季度结束后10日内",
            every(date(2024, 4, 10), date(2024, 7, 10), date(2024, 10, 10), date(2025, 1, 10)),
        ),
        ("每月结束后5天内", every(*(d + timedelta(days=5) for d in month_ends(2024)))),
        ("每半年", every(date(2024, 6, 30), date(2024, 12, 31))),
        ("按半年", every(date(2024, 6, 30), date(2024, 12, 31))),
        ("每年", every(date(2024, 12, 31))),
        ("每年底前", every(date(2024, 12, 31))),
        ("每年年底前", every(date(2024, 12, 31))),
        ("每年度", every(date(2024, 12, 31))),
        ("每月10日前", every(*(date(2024, m, 10) for m in range(1, 13)))),
        ("每月30日前", every(*(d.replace(day=min(30, d.day)) for d in month_ends(2024)))),
        ("每季度。", every(*quarter_ends(2024))),
        ("每 季 度", every(*quarter_ends(2024))),
    ],
)
def test_parse_time_limit_recurring(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年每月", every(*month_ends(2025))),
        ("2025年每季度", every(*quarter_ends(2025))),
        ("2023年按季度", every(*quarter_ends(2023))),
        (
            "2025年每季度结束后10日内",
            every(date(2025, 4, 10), date(2025, 7, 10), date(2025, 10, 10), date(2026, 1, 10)),
        ),
        ("2025年每半年", every(date(2025, 6, 30), date(2025, 12, 31))),
        ("2025年每年底前", every(date(2025, 12, 31))),
        ("2025年每月10日前", every(*(date(2025, m, 10) for m in range(1, 13)))),
    ],
)
def test_parse_time_limit_recurring_explicit_year(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


def test_parse_time_limit_weekly_is_every_sunday_of_the_year() -> None:
    meaning = parse_time_limit("每周", YEAR)
    assert meaning.kind == "recurring"
    assert meaning.due is None
    assert meaning.occurrences[:2] == (date(2024, 1, 7), date(2024, 1, 14))
    assert meaning.occurrences[-1] == date(2024, 12, 29)
    assert len(meaning.occurrences) == 52
    assert {d.weekday() for d in meaning.occurrences} == {6}
    assert parse_time_limit("2023年每周", YEAR).occurrences[0] == date(2023, 1, 1)


@pytest.mark.parametrize(
    "text", ["及时", "即时", "随时", "实时", "及时更新", "动态更新", "及时发布", "实时公开", "及时更新。"]
)
def test_parse_time_limit_prompt(text: str) -> None:
    assert parse_time_limit(text, YEAR) == PROMPT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9月上旬", deadline(2024, 9, 10)),
        ("9月中旬", deadline(2024, 9, 20)),
        ("9月下旬", deadline(2024, 9, 30)),
        ("2月下旬", deadline(2024, 2, 29)),
        ("9月上旬前", deadline(2024, 9, 10)),
        ("9月中旬前完成", deadline(2024, 9, 20)),
        ("9月下旬完成", deadline(2024, 9, 30)),
        ("十月中旬", deadline(2024, 10, 20)),
        ("2025年9月上旬", deadline(2025, 9, 10)),
        ("2027年2月下旬前", deadline(2027, 2, 28)),
        ("年中", deadline(2024, 6, 30)),
        ("年中前", deadline(2024, 6, 30)),
        ("年中前完成", deadline(2024, 6, 30)),
        ("2025年中", deadline(2025, 6, 30)),
        ("2025年年中前", deadline(2025, 6, 30)),
    ],
)
def test_parse_time_limit_parts_of_month_and_year(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027年3月底前", deadline(2027, 3, 31)),
        ("2027年3月15日前", deadline(2027, 3, 15)),
        ("2027年3月中旬", deadline(2027, 3, 20)),
        ("2027年底前", deadline(2027, 12, 31)),
        ("2027年年内", deadline(2027, 12, 31)),
        ("2027年年中", deadline(2027, 6, 30)),
        ("2027年上半年", deadline(2027, 6, 30)),
        ("2027年上半年前", deadline(2027, 6, 30)),
        ("2027年第一季度末", deadline(2027, 3, 31)),
        ("2027年1月1日起", start(2027, 1, 1)),
        ("2027年每季度末", every(*quarter_ends(2027))),
    ],
)
def test_parse_time_limit_every_form_takes_an_explicit_year(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, 2025) == expected


@pytest.mark.parametrize(
    ("text", "readings", "message"),
    [
        (
            "四季度前",
            (date(2024, 9, 30), date(2024, 12, 31)),
            "“四季度前”有两种读法：截止日期 2024-09-30（四季度开始前）或截止日期 2024-12-31（四季度结束前）；请在 note 中写明采用哪一种",
        ),
        (
            "三季度前",
            (date(2024, 6, 30), date(2024, 9, 30)),
            "“三季度前”有两种读法：截止日期 2024-06-30（三季度开始前）或截止日期 2024-09-30（三季度结束前）；请在 note 中写明采用哪一种",
        ),
        (
            "7月前",
            (date(2024, 6, 30), date(2024, 7, 31)),
            "“7月前”有两种读法：截止日期 2024-06-30（7月开始前）或截止日期 2024-07-31（7月结束前）；请在 note 中写明采用哪一种",
        ),
        (
            "年前",
            (date(2024, 12, 31),),
            "“年前”有两种读法：截止日期 2024-12-31（年底前）或春节前（农历日期，无法推算）；请在 note 中写明采用哪一种",
        ),
        (
            "下半年前",
            (date(2024, 6, 30), date(2024, 12, 31)),
            "“下半年前”有两种读法：截止日期 2024-06-30（下半年开始前）或截止日期 2024-12-31（下半年结束前）；请在 note 中写明采用哪一种",
        ),
        (
            "2025年前",
            (date(2024, 12, 31), date(2025, 12, 31)),
            "“2025年前”有两种读法：截止日期 2024-12-31（2025年开始前）或截止日期 2025-12-31（2025年结束前）；请在 note 中写明采用哪一种",
        ),
    ],
)
def test_parse_time_limit_ambiguous(text: str, readings: tuple[date, ...], message: str) -> None:
    with pytest.raises(AmbiguousTimeLimitError) as caught:
        parse_time_limit(text, YEAR)
    assert caught.value.readings == tuple(Meaning("deadline", due=d) for d in readings)
    assert str(caught.value) == message
    assert isinstance(caught.value, TimeLimitError)


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("第四季度前", (date(2024, 9, 30), date(2024, 12, 31))),
        ("四季度前完成", (date(2024, 9, 30), date(2024, 12, 31))),
        ("一季度前", (date(2023, 12, 31), date(2024, 3, 31))),
        ("2027年三季度前", (date(2027, 6, 30), date(2027, 9, 30))),
        ("1月前", (date(2023, 12, 31), date(2024, 1, 31))),
        ("十二月前", (date(2024, 11, 30), date(2024, 12, 31))),
        ("2027年3月前", (date(2027, 2, 28), date(2027, 3, 31))),
        ("2027年下半年前", (date(2027, 6, 30), date(2027, 12, 31))),
        ("年前完成", (date(2024, 12, 31),)),
    ],
)
def test_parse_time_limit_ambiguous_readings(text: str, readings: tuple[date, ...]) -> None:
    with pytest.raises(AmbiguousTimeLimitError) as caught:
        parse_time_limit(text, YEAR)
    assert caught.value.readings == tuple(Meaning("deadline", due=d) for d in readings)
    assert str(caught.value).startswith(f"“{text}”有两种读法：")
    assert str(caught.value).endswith("；请在 note 中写明采用哪一种")


@pytest.mark.parametrize(
    "text",
    [
        "13月前",
        "0月前",
        "每月32日前",
        "0001年一季度前",
        "0000年每月",
        "9999年每季度结束后10日内",
        "9月32日前",
        "2月30日前",
    ],
)
def test_parse_time_limit_new_forms_with_impossible_dates(text: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_time_limit(text, YEAR)
    assert not isinstance(caught.value, AmbiguousTimeLimitError)
    assert str(caught.value) == f"时限“{text}”中的日期不存在"


@pytest.mark.parametrize(
    "text",
    ["尽快", "适时", "每", "每季度前", "每月后", "月上旬", "9月上中旬", "9月旬", "年中后", "按月底", "每月5个工作日内"],
)
def test_parse_time_limit_rejects_near_misses_of_the_new_forms(text: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_time_limit(text, YEAR)
    assert str(caught.value).startswith(f"无法识别的时限“{text}”：")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9月底前", deadline(2024, 9, 30)),
        ("上半年前", deadline(2024, 6, 30)),
        ("上半年", deadline(2024, 6, 30)),
        ("下半年", deadline(2024, 12, 31)),
        ("四季度", deadline(2024, 12, 31)),
        ("三季度末前", deadline(2024, 9, 30)),
    ],
)
def test_parse_time_limit_unambiguous_neighbours_of_the_ambiguous_forms(text: str, expected: Meaning) -> None:
    assert parse_time_limit(text, YEAR) == expected


@pytest.mark.parametrize(
    ("meaning", "expected"),
    [
        (deadline(2024, 9, 30), (date(2024, 9, 30),)),
        (ONGOING, ()),
        (start(2024, 1, 1), ()),
        (every(*quarter_ends(2024)), quarter_ends(2024)),
        (PROMPT, ()),
    ],
)
def test_due_dates(meaning: Meaning, expected: tuple[date, ...]) -> None:
    assert due_dates(meaning) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9月底前", (date(2024, 9, 30),)),
        ("每半年", (date(2024, 6, 30), date(2024, 12, 31))),
        ("及时更新", ()),
        ("持续推进", ()),
        ("1月1日后", ()),
    ],
)
def test_due_dates_of_parsed_phrases(text: str, expected: tuple[date, ...]) -> None:
    assert due_dates(parse_time_limit(text, YEAR)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9月中旬", date(2024, 9, 20)),
        ("2025年9月上旬", date(2025, 9, 10)),
        ("年中", date(2024, 6, 30)),
        ("2027年3月底前", date(2027, 3, 31)),
    ],
)
def test_parse_date_arg_reads_the_new_deadline_forms(text: str, expected: date) -> None:
    assert parse_date_arg(text, YEAR) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("每季度", "2024-03-31、2024-06-30、2024-09-30、2024-12-31"),
        ("每月", "2024-01-31、2024-02-29、2024-03-31、2024-04-30 等 12 个"),
        ("每年", "2024-12-31"),
    ],
)
def test_parse_date_arg_refuses_recurring_phrases(text: str, shown: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_date_arg(text, YEAR)
    message = str(caught.value)
    first = shown.split("、")[0]
    assert message == f"日期“{text}”是周期性时限（{shown}），不是单一日期，请写出其中一个日期，如 {first}。"


@pytest.mark.parametrize("text", ["及时", "随时", "动态更新"])
def test_parse_date_arg_refuses_prompt_phrases(text: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_date_arg(text, YEAR)
    message = str(caught.value)
    assert message == f"日期“{text}”表示随时办理，没有截止日期，请写一个具体日期，如 2024-09-30。"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "7月前",
            "日期“7月前”有两种读法：截止日期 2024-06-30（7月开始前）或截止日期 2024-07-31（7月结束前）；请直接写出日期，如 2024-06-30",
        ),
        (
            "四季度前",
            "日期“四季度前”有两种读法：截止日期 2024-09-30（四季度开始前）或截止日期 2024-12-31（四季度结束前）；请直接写出日期，如 2024-09-30",
        ),
        (
            "年前",
            "日期“年前”有两种读法：截止日期 2024-12-31（年底前）或春节前（农历日期，无法推算）；请直接写出日期，如 2024-12-31",
        ),
    ],
)
def test_parse_date_arg_refuses_ambiguous_phrases(text: str, message: str) -> None:
    with pytest.raises(AmbiguousTimeLimitError) as caught:
        parse_date_arg(text, YEAR)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    ["每季度", "每月", "每周", "及时", "7月前", "年前", "9月中旬", "年中", "2027年3月底前", "三季度末", "上半年"],
)
def test_parse_date_arg_returns_a_single_date_or_refuses(text: str) -> None:
    try:
        result = parse_date_arg(text, YEAR)
    except TimeLimitError:
        return
    assert type(result) is date


# --- real cells of other offices' tables ----------------------------------------------------------------------

PROMPT = Meaning("prompt")


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("全年", 2024, ONGOING),
        ("常态化", 2024, ONGOING),
        ("长期", 2024, ONGOING),
        ("长期坚持", 2024, ONGOING),
        ("常态化开展", 2024, ONGOING),
        ("全年持续推进", 2024, ONGOING),
        ("持续推进", 2024, ONGOING),
        ("每年4月1日之前", 2022, every(date(2022, 4, 1))),
        ("每年1月31日前", 2024, every(date(2024, 1, 31))),
        ("按年公开", 2022, every(date(2022, 12, 31))),
        ("按季度", 2022, every(*quarter_ends(2022))),
        ("每季度公开", 2022, every(*quarter_ends(2022))),
        ("按月", 2022, every(*month_ends(2022))),
        ("每半年", 2022, every(date(2022, 6, 30), date(2022, 12, 31))),
        ("信息形成后7个工作日内", 2022, Meaning("prompt", lag=7, lag_unit="working_day")),
        ("20个工作日内", 2022, Meaning("prompt", lag=20, lag_unit="working_day")),
        ("自收到申请之日起15个工作日内", 2022, Meaning("prompt", lag=15, lag_unit="working_day")),
        ("24小时内", 2022, Meaning("prompt", lag=24, lag_unit="hour")),
        ("及时", 2022, PROMPT),
        ("随时", 2022, PROMPT),
        ("按要求", 2022, PROMPT),
        ("按规定时限", 2022, PROMPT),
        ("2023年6月底前", 2023, deadline(2023, 6, 30)),
        ("6月底前完成", 2023, deadline(2023, 6, 30)),
        ("2023年12月", 2023, deadline(2023, 12, 31)),
        ("2023年", 2023, deadline(2023, 12, 31)),
        ("上半年", 2023, deadline(2023, 6, 30)),
        ("下半年", 2023, deadline(2023, 12, 31)),
        ("三季度", 2023, deadline(2023, 9, 30)),
        ("年内", 2023, deadline(2023, 12, 31)),
        ("1月1日后", 2023, start(2023, 1, 1)),
        ("无", 2023, Meaning("none")),
        ("—", 2023, Meaning("none")),
        ("/", 2023, Meaning("none")),
    ],
)
def test_parse_time_limit_real_cells_of_other_tables(text: str, year: int, expected: Meaning) -> None:
    assert parse_time_limit(text, year) == expected


@pytest.mark.parametrize(
    ("text", "year", "far"),
    [
        ("2011年底前", 2020, date(2011, 12, 31)),  # a row copied from an old table: named, and still far
        ("2027年3月底前", 2024, None),  # a plan may run past its year where the year is written
        ("2023年12月", 2024, None),
        ("年底前", 2024, None),
    ],
)
def test_far_date(text: str, year: int, far: date | None) -> None:
    assert far_date(parse_time_limit(text, year), text, year) == far


@pytest.mark.parametrize(
    ("text", "nearest"),
    [
        ("9底前", "最接近的读法是“9月底前”（截止日期 2024-09-30）"),
        ("9月低前", "最接近的读法是“9月底前”（截止日期 2024-09-30）"),
        ("年低前", "最接近的读法是“年底前”（截止日期 2024-12-31）"),
        ("持续推", "最接近的读法是“持续推进”（持续推进（无截止日期））"),
        ("力争6月底前完成初稿", "最接近的读法是“6月底前完成”（截止日期 2024-06-30）"),
    ],
)
def test_an_unreadable_phrase_gets_the_nearest_reading(text: str, nearest: str) -> None:
    with pytest.raises(TimeLimitError) as caught:
        parse_time_limit(text, YEAR)
    assert str(caught.value).startswith(f"无法识别的时限“{text}”：{nearest}；可用的写法如：")


def test_describe_names_a_lag_and_a_limit_left_out() -> None:
    assert describe(parse_time_limit("信息形成后7个工作日内", YEAR)) == "及时办理（7个工作日内）"
    assert describe(parse_time_limit("—", YEAR)) == "原表未列时限"
