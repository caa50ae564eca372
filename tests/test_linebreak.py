"""Line breaking by terminal cells with the Chinese rules: exact cases, then properties over many widths."""

from __future__ import annotations

import time

import pytest
import yaml
from conftest import DATA

from gongkai_cli.linebreak import cell_width, wrap

SENTENCE = "强化领域细分，围绕政策文件库建设，9月底前完成市级政策文件库的分类整理和动态更新工作。"
CLOSING = set("，。、；：！？）》」』】〕〉”’…—％%,.;:!?)]}")
OPENING = set("（《「『【〔〈“‘([{")


def test_cell_width() -> None:
    assert cell_width("") == 0
    assert cell_width("gongkai 2024-05-31") == 18
    assert cell_width("政务公开") == 8
    assert cell_width("（一）。") == 8
    assert cell_width("“三地一区”") == 10  # curly quotes take one cell
    assert cell_width("ｅ") == 2  # full-width Latin letter
    assert cell_width("e\u0301") == 1  # a combining accent takes none


def test_fits_unchanged() -> None:
    assert wrap(SENTENCE, 200) == [SENTENCE]
    assert wrap("", 10) == [""]


def test_closing_punctuation_never_starts_a_line() -> None:
    # "一二三四" fills 8 cells, but "，" may not start the next line: "四" comes down with it.
    assert wrap("一二三四，五六", 8) == ["一二三", "四，五六"]
    assert wrap("一二三四。", 8) == ["一二三", "四。"]


def test_opening_bracket_never_ends_a_line() -> None:
    # "一二三（" would fill 8 cells, but "（" goes down with what it opens.
    assert wrap("一二三（四五）六", 8) == ["一二三", "（四五）", "六"]
    assert wrap("打造“三地一区”战略", 6) == ["打造", "“三地", "一区”", "战略"]


def test_long_sentence() -> None:
    assert wrap(SENTENCE, 20) == [
        "强化领域细分，围绕政",
        "策文件库建设，9月底",
        "前完成市级政策文件库",
        "的分类整理和动态更新",
        "工作。",
    ]
    assert wrap(SENTENCE, 24) == [
        "强化领域细分，围绕政策文",
        "件库建设，9月底前完成市",
        "级政策文件库的分类整理和",
        "动态更新工作。",
    ]


def test_dates_stay_whole() -> None:
    assert wrap("截止日期 2024-05-31 之前完成", 10) == ["截止日期", "2024-05-31", "之前完成"]
    assert wrap("须于5月31日前完成", 7) == ["须于", "5月31日", "前完成"]
    for width in range(10, 40):
        assert any("2024-05-31" in line for line in wrap("请于 2024-05-31 前完成政务公开工作", width)), width
    for width in range(9, 40):
        assert any("2024年5月" in line for line in wrap("各单位须在2024年5月底前完成", width)), width


def test_section_label_stays_whole() -> None:
    assert wrap("围绕二（一）项任务开展", 10) == ["围绕", "二（一）项", "任务开展"]
    for width in range(8, 40):
        lines = wrap("认真落实第二（一）项任务的各项要求", width)
        assert any("二（一）" in line for line in lines), (width, lines)


def test_ascii_words_are_never_split() -> None:
    assert wrap("run gongkai check now", 8) == ["run", "gongkai", "check", "now"]
    assert wrap("用 gongkai check 检查", 40) == ["用 gongkai check 检查"]  # spaces kept inside a line


def test_hard_newlines_are_kept() -> None:
    assert wrap("第一行\n\n第二行很长很长", 6) == ["第一行", "", "第二行", "很长很", "长"]


def test_no_trailing_spaces() -> None:
    assert wrap("abc def ghi  ", 5) == ["abc", "def", "ghi"]
    assert wrap("一 二 三 四 ", 3) == ["一", "二", "三", "四"]


def test_last_resort_split_stays_within_width() -> None:
    lines = wrap("见 https://example.com/a/very/long/path 页", 12)
    assert all(cell_width(line) <= 12 for line in lines)
    assert "".join(lines).replace(" ", "") == "见https://example.com/a/very/long/path页"


def test_width_must_be_positive() -> None:
    with pytest.raises(ValueError):
        wrap("文字", 0)


@pytest.mark.parametrize("width", range(4, 61))
def test_properties(width: int) -> None:
    text = f"{SENTENCE}\n请于 2024-05-31 前，用 gongkai due --before 2024-05-31 查看（含当日）到期的任务。"
    lines = wrap(text, width)
    for line in lines:
        assert cell_width(line) <= width, (width, line)
        assert line == line.rstrip(), (width, line)
        if line:
            assert line[0] not in CLOSING, (width, line)
            assert line[-1] not in OPENING, (width, line)
    # Nothing is lost or added but the spaces at the breaks.
    assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")
    if width >= 10:
        assert sum(line.count("2024-05-31") for line in lines) == 2, (width, lines)


def _table_texts() -> list[str]:
    table = yaml.safe_load((DATA / "tasks.yaml").read_text(encoding="utf-8"))
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(table)
    return texts


def test_table_texts_within_width() -> None:
    texts = _table_texts()
    for width in (20, 41, 60, 79):
        for text in texts:
            assert all(cell_width(line) <= width for line in wrap(text, width))


def test_fast_enough() -> None:
    texts = _table_texts()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for text in texts:
            wrap(text, 60)
        best = min(best, time.perf_counter() - start)
    assert best < 0.005, f"wrapping the table's texts took {best * 1000:.1f} ms"
