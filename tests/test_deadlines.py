"""Tests for gongkai_cli.deadlines."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from gongkai_cli.deadlines import (
    Meaning,
    TimeLimitError,
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


ONGOING = Meaning("ongoing")


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
    assert message.startswith(f"日期“{text}”无法识别，可用：")
    assert "2024-09-30" in message


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
    assert str(caught.value) == f"期限“{text}”无法识别，可用：30d、2w、1m、1y"


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
