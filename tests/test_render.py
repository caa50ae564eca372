"""Tests for gongkai_cli.render: one small hand-built Listing in every format, compared to exact text."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from rich.console import Console

from gongkai_cli import render
from gongkai_cli.render import Column, Format, Listing

LONG_TEXT = "第一段的要求文字超过八个字\n第二段"

COLUMNS = (
    Column("number", "编号", detail=Column("section", "部分")),
    Column("text", "要求", ratio=1, clip=1),
    Column("who", "单位"),
)
ROWS = [
    {"number": "1", "section": "一（一）", "text": LONG_TEXT, "who": "甲|乙"},
    {"number": "12", "section": "", "text": "短要求", "who": "丙,丁"},
]
PAYLOAD = [{"number": 1, "points": 0.5, "note": None}, {"number": 12, "points": 3, "note": "“引号”"}]


def listing(rows: list[dict[str, str]] = ROWS, payload: object = PAYLOAD, **changes: object) -> Listing:
    return Listing(COLUMNS, lambda: rows, lambda: payload, title="示例")._replace(**changes)


def emitted(data: Listing, fmt: Format, width: int = 80) -> tuple[str, str]:
    """(what went to `out`, what went to the console)."""
    console = Console(file=io.StringIO(), width=width, color_system=None)
    out = io.StringIO()
    render.emit(data, fmt, console=console, out=out)
    return out.getvalue(), console.file.getvalue()  # type: ignore[attr-defined]


# --- the four formats ------------------------------------------------------------------------------------


def test_emit_table_exact_text() -> None:
    out, shown = emitted(listing(), "table")
    assert out == ""
    assert shown == "\n".join(
        [
            "示例",
            "┏━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━┓",
            "┃ 编号     ┃ 要求                       ┃ 单位  ┃",
            "┡━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━┩",
            "│ 1        │ 第一段的要求文字超过八个…  │ 甲|乙 │",
            "│ 一（一） │                            │       │",
            "│ 12       │ 短要求                     │ 丙,丁 │",
            "└──────────┴────────────────────────────┴───────┘",
            "",
        ]
    )


def test_narrow_table_stacks_the_records() -> None:
    # The columns need 8 + 14 + 5 cells and their borders 10: 37 cells, more than 30.
    _, shown = emitted(listing(), "table", width=30)
    assert shown == "\n".join(
        [
            "示例",
            "─" * 30,
            "编号：1",
            "部分：一（一）",
            "要求：第一段的要求文字超过八…",
            "单位：甲|乙",
            "─" * 30,
            "编号：12",
            "要求：短要求",
            "单位：丙,丁",
            "",
        ]
    )


def test_full_shows_whole_texts_in_a_table() -> None:
    console = Console(file=io.StringIO(), width=80, color_system=None)
    render.emit(listing(), "table", console=console, full=True)
    assert "│ 第二段" in console.file.getvalue()  # type: ignore[attr-defined]


def test_emit_table_without_title_starts_with_the_border() -> None:
    _, shown = emitted(listing(title=None), "table")
    assert shown.startswith("┏━━━━━━━━━━┳")
    assert "示例" not in shown


def test_emit_csv_exact_text() -> None:
    out, shown = emitted(listing(), "csv")
    assert shown == ""
    assert out == (
        '\ufeff编号,部分,要求,单位\n1,一（一）,"第一段的要求文字超过八个字\n第二段",甲|乙\n12,,短要求,"丙,丁"\n'
    )


def test_emit_csv_parses_back_to_the_rows() -> None:
    out, _ = emitted(listing(), "csv")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows == [
        {"编号": "1", "部分": "一（一）", "要求": LONG_TEXT, "单位": "甲|乙"},
        {"编号": "12", "部分": "", "要求": "短要求", "单位": "丙,丁"},
    ]


def test_emit_md_exact_text() -> None:
    out, shown = emitted(listing(), "md")
    assert shown == ""
    assert out == (
        "### 示例\n"
        "\n"
        "| 编号 | 部分 | 要求 | 单位 |\n"
        "| --- | --- | --- | --- |\n"
        "| 1 | 一（一） | 第一段的要求文字超过八个字<br>第二段 | 甲\\|乙 |\n"
        "| 12 |  | 短要求 | 丙,丁 |\n"
    )


def test_emit_md_without_title_starts_with_the_header_row() -> None:
    out, _ = emitted(listing(title=None), "md")
    assert out.startswith("| 编号 | 部分 | 要求 | 单位 |\n| --- | --- | --- | --- |\n")


def test_emit_json_is_the_payload_not_the_rows() -> None:
    out, shown = emitted(listing(), "json")
    assert shown == ""
    assert out == (
        "[\n"
        "  {\n"
        '    "number": 1,\n'
        '    "points": 0.5,\n'
        '    "note": null\n'
        "  },\n"
        "  {\n"
        '    "number": 12,\n'
        '    "points": 3,\n'
        '    "note": "“引号”"\n'
        "  }\n"
        "]\n"
    )
    assert json.loads(out) == PAYLOAD


# --- details and clipping --------------------------------------------------------------------------------


def test_detail_is_a_second_line_in_the_table_and_its_own_column_elsewhere() -> None:
    assert render.flat_columns(COLUMNS) == [COLUMNS[0], COLUMNS[0].detail, COLUMNS[1], COLUMNS[2]]
    _, shown = emitted(listing(), "table")
    assert "部分" not in shown  # the detail has no header of its own in the table
    assert "│ 一（一） │" in shown


@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_clip_only_affects_the_table(fmt: Format) -> None:
    payload = [{"text": LONG_TEXT}]
    out, _ = emitted(listing(payload=payload), fmt)
    assert "…" not in out
    assert "第二段" in out
    assert "超过八个字" in out


def test_clip_shortens_the_table_cell_to_the_first_paragraph() -> None:
    _, shown = emitted(listing(), "table")
    assert "第一段的要求文字超过八个…" in shown
    assert "第二段" not in shown
    assert "短要求" in shown  # short text is left alone


@pytest.mark.parametrize(
    ("text", "width", "clip", "expected"),
    [
        ("短要求", 8, 1, ["短要求"]),
        ("一二三四", 8, 1, ["一二三四"]),  # exactly the width: unchanged
        ("一二三四五", 8, 1, ["一二三…"]),  # one over: cut to the width, ellipsis included
        ("一二三四五六七八九十", 8, 2, ["一二三四", "五六七…"]),
        ("第一段\n第二段", 8, 1, ["第一段…"]),  # a later paragraph is dropped, and the ellipsis says so
        ("第一段\n第二段", 8, None, ["第一段", "第二段"]),
        ("日期 2024-05-31 到期", 12, None, ["日期", "2024-05-31", "到期"]),  # a date is never split
    ],
)
def test_cell_lines(text: str, width: int, clip: int | None, expected: list[str]) -> None:
    assert render.cell_lines(text, width, clip) == expected


def test_highlight_does_not_change_the_plain_text() -> None:
    _, plain = emitted(listing(), "table")
    _, highlighted = emitted(listing(highlight=["要求"]), "table")
    assert highlighted == plain


# --- empty listings --------------------------------------------------------------------------------------


def test_empty_listing_table_prints_wu_under_the_headers() -> None:
    _, shown = emitted(listing(rows=[], payload=[], title=None), "table")
    assert shown == "\n".join(
        [
            "┏━━━━━━┳━━━━━━┳━━━━━━┓",
            "┃ 编号 ┃ 要求 ┃ 单位 ┃",
            "┡━━━━━━╇━━━━━━╇━━━━━━┩",
            "└──────┴──────┴──────┘",
            "无",
            "",
        ]
    )


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("json", "[]\n"),
        ("csv", "\ufeff编号,部分,要求,单位\n"),
        ("md", "| 编号 | 部分 | 要求 | 单位 |\n| --- | --- | --- | --- |\n\n无\n"),
    ],
)
def test_empty_listing_flat_formats(fmt: Format, expected: str) -> None:
    out, _ = emitted(listing(rows=[], payload=[], title=None), fmt)
    assert out == expected


# --- narrow terminals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [30, 40])
def test_table_narrow_console_keeps_every_column_visible(width: int) -> None:
    _, shown = emitted(listing(title=None), "table", width=width)
    for text in ["编号", "要求", "单位", "第一段", "甲|乙"]:
        assert text in shown


def test_json_output_is_what_the_standard_library_would_write() -> None:
    from gongkai_cli import query, views
    from gongkai_cli.load import load_data

    division = load_data()
    for built in (
        views.task_listing(division, division.tasks),
        views.scoring_listing(division, query.scoring_rules(division)),
    ):
        out, _ = emitted(built, "json")
        expected = json.dumps(built.payload(), ensure_ascii=False, indent=2, default=date.isoformat)
        assert out == expected + "\n"


def test_messages_print_data_text_literally_as_text_and_as_markdown() -> None:
    import io

    messages = [
        render.Message("【市*甲*局】联络人：[张三](http://x)", "以下 1 项：", ("任务 1：第一段\n第二段\x1b[2J",))
    ]
    text = io.StringIO()
    render.write_messages(text, "提醒", messages, markdown=False)
    assert text.getvalue() == (
        "提醒\n\n【市*甲*局】联络人：[张三](http://x)\n以下 1 项：\n1. 任务 1：第一段\n   第二段\\x1b[2J\n"
    )
    md = io.StringIO()
    render.write_messages(md, "提醒", messages, markdown=True)
    assert md.getvalue() == (
        "### 提醒\n\n#### 【市\\*甲\\*局】联络人：\\[张三\\](http://x)\n以下 1 项：\n\n1. 任务 1：第一段 第二段\\\\x1b\\[2J\n"
    )
    empty = io.StringIO()
    render.write_messages(empty, "提醒", [], markdown=False)
    assert empty.getvalue() == "提醒\n\n无\n"


# --- column widths, headers, names -----------------------------------------------------------------------

TASK_LIKE = (
    Column("number", "编号", number_format="d", detail=Column("section", "部分")),
    Column("due", "日期", max_width=13, detail=Column("time_limit", "时限")),
    Column("requirement", "任务要求", ratio=3, clip=3),
    Column("units", "责任单位", ratio=2),
)
TASK_ROWS: list[render.Row] = [
    {
        "number": 6,
        "section": "十一（一）",
        "due": "2024-05-31",
        "time_limit": "2024年5月底前",
        "requirement": "政务公开办、司法局建立政策解读沟通机制。各级各部门建立健全政策解读全链条管理机制。",
        "units": "市政务公开办（牵头）、市住房城乡建设局、市政府各部门、各县区政府、管委会",
    }
]


def test_column_fit() -> None:
    fits = [render.column_fit(c, TASK_ROWS) for c in TASK_LIKE]
    assert fits[0] == render.Fit(10, 10, 10)  # 编号 never wraps: 十一（一） is its widest line
    assert fits[1] == render.Fit(10, 13, 13)  # a date whole, the time limit whole if there is room
    assert fits[2].least == render.NARROWEST_TEXT
    assert fits[3].least == 18  # 市住房城乡建设局、 whole


def test_column_widths_shared_by_need() -> None:
    fits = [render.column_fit(c, TASK_ROWS) for c in TASK_LIKE]
    # 67 cells: 编号 its content, 日期 its whole time limit, the texts the rest by ratio, 责任单位 no less than a name.
    assert render.column_widths(TASK_LIKE, fits, 67) == [10, 13, 26, 18]
    assert render.column_widths(TASK_LIKE, fits, 87) == [10, 13, 39, 25]
    # Short of room, 日期 gives way first, down to its date.
    assert render.column_widths(TASK_LIKE, fits, 53) == [10, 11, 14, 18]
    # The least widths (10 + 10 + 14 + 18) do not fit: stack.
    assert render.column_widths(TASK_LIKE, fits, 51) is None


def test_header_words() -> None:
    assert render.header_words("不再承担（原编号）") == ["不再承担", "（原编号）"]
    assert render.header_words("已报送的单位") == ["已报送的单位"]
    assert render.header_lines("不再承担（原编号）", 10) == ["不再承担", "（原编号）"]
    assert render.header_lines("不再承担（原编号）", 18) == ["不再承担（原编号）"]


def test_header_is_never_cut() -> None:
    columns = (Column("a", "不再承担（原编号）", ratio=1), Column("b", "新增承担", ratio=1))
    data = Listing(columns, lambda: [{"a": "1、2", "b": "3"}], lambda: [])
    _, shown = emitted(data, "table", width=30)
    assert "┃ 不再承担 " in shown
    assert "┃ （原编号） " in shown


def test_names_column_breaks_between_names() -> None:
    _, shown = emitted(Listing(TASK_LIKE, lambda: TASK_ROWS, lambda: []), "table", width=80)
    cells = [line.split("│")[4].strip() for line in shown.splitlines() if line.startswith("│")]
    assert cells == ["市政务公开办", "（牵头）、", "市住房城乡建设局、", "市政府各部门、", "各县区政府、管委会"]


def test_print_wrapped_wraps_to_the_console() -> None:
    console = Console(file=io.StringIO(), width=40, color_system=None)
    render.print_wrapped(
        console, "（涉及 1 个文件）。改正后再运行 gongkai check，再次检查全部数据文件。", lead="发现 3 个问题"
    )
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines == ["发现 3 个问题（涉及 1 个文件）。改正后再", "运行 gongkai check，再次检查全部数据", "文件。"]


HINT = "提示：今天按 2026-12-03 计，数据是 2024 年的任务表；可用 --today 指定日期，或放宽 --before、--after、--within"


def test_note_wraps_at_a_terminal() -> None:
    console = Console(file=io.StringIO(), width=40, force_terminal=True, color_system=None)
    render.print_note(console, HINT)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines == [
        "提示：今天按 2026-12-03 计，数据是 2024",
        "年的任务表；可用 --today 指定日期，或放",
        "宽 --before、--after、--within",
    ]


def test_note_stays_one_line_in_a_file() -> None:
    console = Console(file=io.StringIO(), width=40, color_system=None)
    render.print_note(console, "（涉及 1 个文件）。", lead="发现 3 个问题", lead_style="red")
    assert console.file.getvalue() == "发现 3 个问题（涉及 1 个文件）。\n"  # type: ignore[attr-defined]
