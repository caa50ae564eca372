"""Line breaking by terminal cells with the Chinese rules: exact cases, then properties over many widths."""

from __future__ import annotations

from itertools import pairwise

import pytest
import yaml
from conftest import DATA

from gongkai_cli.linebreak import cell_width, longest_word, wrap

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


# --- names, file endings, common terms, short last lines -------------------------------------------------

SOURCES = "来源：.docx、.xlsx、.csv/.tsv，或从网页复制的文本（.txt）。"


@pytest.mark.parametrize("width", range(12, 50))
def test_file_endings_are_words(width: int) -> None:
    # An ASCII . after CJK text starts a word: 源：.docx、 is no longer one unit too wide to place.
    lines = wrap(SOURCES, width)
    for ending in (".docx、", ".xlsx、", ".csv/.tsv，", "（.txt）。"):
        assert any(ending in line for line in lines), (width, lines)
    assert any("来源：" in line for line in lines), (width, lines)


def test_file_endings_at_a_narrow_width() -> None:
    assert wrap(SOURCES, 12) == ["来源：", ".docx、", ".xlsx、", ".csv/.tsv，", "或从网页复制", "的文本", "（.txt）。"]
    assert wrap("版本 1.2 发布。", 40) == ["版本 1.2 发布。"]
    assert wrap("abc.def", 4) == ["abc.", "def"]  # a full stop inside an ASCII run still only breaks as a last resort


UNITS = "市政务公开办（牵头）、市司法局（牵头）、市住房城乡建设局、各县区政府、江南新兴产业集中区管委会"
NAMES = ("市政务公开办", "市司法局", "市住房城乡建设局", "各县区政府", "江南新兴产业集中区管委会")


def test_names_break_between_names() -> None:
    assert wrap(UNITS, 20, names=True) == [
        "市政务公开办",
        "（牵头）、",
        "市司法局（牵头）、",
        "市住房城乡建设局、",
        "各县区政府、",
        "江南新兴产业集中区",
        "管委会",
    ]
    # Without `names`, the same text breaks inside names.
    assert "市住房城乡建设局、" not in wrap(UNITS, 20)


@pytest.mark.parametrize("width", range(8, 60))
def test_names_split_only_when_wider_than_the_line(width: int) -> None:
    lines = wrap(UNITS, width, names=True)
    assert all(cell_width(line) <= width for line in lines), (width, lines)
    assert "".join(lines) == UNITS
    for name in NAMES:
        if cell_width(name) + 2 <= width:  # the name and the 、 after it fit a line
            assert any(name in line for line in lines), (width, name, lines)


def test_longest_word() -> None:
    assert longest_word(UNITS, names=True) == cell_width("江南新兴产业集中区管委会")
    assert longest_word("市政务公开办（牵头）、市司法局", names=True) == cell_width("市政务公开办")
    assert longest_word("截止日期 2024-05-31 之前") == 10
    assert longest_word("") == 0


TERMS_TEXT = "各县区政府、管委会须于1个月内落实，由牵头部门解读；必填项默认为空。"


@pytest.mark.parametrize("width", range(6, 40))
def test_common_terms_stay_whole(width: int) -> None:
    lines = wrap(TERMS_TEXT, width)
    for term in ("政府", "管委会", "1个月", "落实", "牵头", "部门", "解读", "必填", "默认"):
        assert any(term in line for line in lines), (width, term, lines)


def test_no_short_last_line() -> None:
    # Greedy filling leaves 展。 alone; the last two lines share their text instead.
    assert wrap("推动政务公开工作高质量发展。", 24) == ["推动政务公开工作高质量", "发展。"]
    assert wrap("推动政务公开工作高质量发展。", 24, balance=False) == ["推动政务公开工作高质量发", "展。"]
    for width in range(8, 60):
        lines = wrap(SENTENCE, width)
        if len(lines) > 1 and width >= 12:
            assert len(lines[-1]) > 2, (width, lines)


def test_short_last_line_kept_when_sharing_would_make_another() -> None:
    assert wrap("一二三四。", 8) == ["一二三", "四。"]  # 一二 / 三四。 would leave a two-character first line
    assert wrap("2024年5月底前", 12) == ["2024年5月", "底前"]  # better than 前 alone; 2024年5月 stays whole


@pytest.mark.parametrize("width", range(14, 40))
def test_a_count_stays_with_its_label(width: int) -> None:
    # From 14 cells on, the widest label and count (有关单位 0）；) fit a line.
    text = "贵池区：共 44 项（牵头 0，负责 0，配合 0，各单位 44，有关单位 0）；截止日期 2024-05-31"
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line, following in pairwise(lines):
        assert not (line[-1] in "项头责合位" and following[:1].isdigit()), (line, following)
    assert not any(line.endswith("截止") for line in lines)  # a common term, kept whole
    assert lines[-1] == "2024-05-31" or lines[-1].endswith("截止日期 2024-05-31")  # a date after a label may wrap
