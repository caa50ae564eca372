"""Tests for gongkai_cli.responsibility: 责任单位 texts read into roles, every name as written."""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest
import yaml
from conftest import DATA

from gongkai_cli.responsibility import (
    Roles,
    aliases_in,
    parse_columns,
    parse_responsibility,
    split_names,
    split_responsibility,
)
from gongkai_cli.vocabulary import labels, role_words


def roles(leads: tuple[str, ...] = (), named: tuple[str, ...] = (), supports: tuple[str, ...] = ()) -> Roles:
    return Roles(leads, named, supports)


CASES = [
    # 1. Role words close the list before them; names no role word follows implement.
    pytest.param(
        "市政务公开办、市司法局牵头，市政府各部门，各县区政府、管委会负责落实",
        roles(("市政务公开办", "市司法局"), ("市政府各部门", "各县区政府", "管委会")),
        id="lead-then-implement",
    ),
    pytest.param(
        "市发展改革委、市财政局、市教体局，各县区政府、管委会负责落实",
        roles((), ("市发展改革委", "市财政局", "市教体局", "各县区政府", "管委会")),
        id="implement-only",
    ),
    pytest.param("市政府办公室、市司法局", roles((), ("市政府办公室", "市司法局")), id="no-role-word"),
    pytest.param(
        "省发展改革委牵头，省财政厅、省自然资源厅配合",
        roles(("省发展改革委",), (), ("省财政厅", "省自然资源厅")),
        id="lead-support",
    ),
    pytest.param(
        "省教育厅牵头，省人力资源社会保障厅、省卫生健康委按职责分工负责",
        roles(("省教育厅",), ("省人力资源社会保障厅", "省卫生健康委")),
        id="by-division-of-duties",
    ),
    pytest.param(
        "办公室、政策法规处按职责分工负责", roles((), ("办公室", "政策法规处")), id="county-offices-by-duties"
    ),
    pytest.param(
        "县财政局、县审计局按职责分别负责落实",
        roles((), ("县财政局", "县审计局")),
        id="separately-implement",
    ),
    pytest.param(
        "市场监管局、商务局分别牵头落实，各乡镇人民政府配合",
        roles(("市场监管局", "商务局"), (), ("各乡镇人民政府",)),
        id="separately-lead",
    ),
    pytest.param(
        "市住房城乡建设局牵头负责，市城管局协助",
        roles(("市住房城乡建设局",), (), ("市城管局",)),
        id="lead-compound-assist",
    ),
    pytest.param(
        "区应急管理局负责，区消防救援大队协同，区融媒体中心参与",
        roles((), ("区应急管理局",), ("区消防救援大队", "区融媒体中心")),
        id="implement-coordinate-take-part",
    ),
    pytest.param("县政务公开办落实", roles((), ("县政务公开办",)), id="bare-implement"),
    pytest.param(
        "由市政府办公室牵头，各县区政府负责落实",
        roles(("市政府办公室",), ("各县区政府",)),
        id="by-prefix",
    ),
    pytest.param(
        "市发展改革委（牵头），市财政局、市统计局",
        roles(("市发展改革委",), ("市财政局", "市统计局")),
        id="bracketed-role-marks-one-name",
    ),
    pytest.param(
        "市交通运输局牵头市公安局负责落实",
        roles(("市交通运输局",), ("市公安局",)),
        id="lead-without-comma",
    ),
    pytest.param(
        "市医保局为牵头单位，市卫健委为配合单位",
        roles(("市医保局",), (), ("市卫健委",)),
        id="is-the-lead-unit",
    ),
    # 2. Labelled forms.
    pytest.param(
        "牵头单位：市政府办公室；责任单位：各县（市、区）人民政府；配合单位：市大数据中心",
        roles(("市政府办公室",), ("各县（市、区）人民政府",), ("市大数据中心",)),
        id="labels-full-width",
    ),
    pytest.param(
        "牵头责任单位:省司法厅;协同责任单位:省政府办公厅、省数据资源局",
        roles(("省司法厅",), (), ("省政府办公厅", "省数据资源局")),
        id="labels-ascii",
    ),
    pytest.param(
        "牵头部门：县发改委、县财政局  责任科室：综合股  协助单位：各乡镇",
        roles(("县发改委", "县财政局"), ("综合股",), ("各乡镇",)),
        id="labels-separated-by-spaces",
    ),
    pytest.param(
        "落实单位：各县区政府；协同单位：市直有关单位；责任部门：市统计局",
        roles((), ("各县区政府", "市统计局"), ("市直有关单位",)),
        id="labels-any-order",
    ),
    pytest.param(
        "责任单位：市教体局牵头，各县区教育主管部门负责",
        roles(("市教体局",), ("各县区教育主管部门",)),
        id="role-words-inside-label",
    ),
    pytest.param(
        "牵头单位：市政务公开办；市司法局配合",
        roles(("市政务公开办",), (), ("市司法局",)),
        id="label-ends-at-clause-for-role-word",
    ),
    pytest.param(
        "牵头：市民政局；配合：各县区政府", roles(("市民政局",), (), ("各县区政府",)), id="role-word-as-label"
    ),
    # 3. Brackets are atoms; a trailing bracketed name stays part of the name.
    pytest.param(
        "各县(市、区)政府，市直有关部门负责落实",
        roles((), ("各县(市、区)政府", "市直有关部门")),
        id="ascii-brackets",
    ),
    pytest.param(
        "各县〔区〕政府、各县【市、区】政府负责",
        roles((), ("各县〔区〕政府", "各县【市、区】政府")),
        id="other-brackets",
    ),
    pytest.param(
        "市府办〔市大数据局〕牵头，各县[市、区]政府负责落实",
        roles(("市府办〔市大数据局〕",), ("各县[市、区]政府",)),
        id="alias-kept-as-written",
    ),
    pytest.param(
        "市数据资源局（市政务服务管理局：市大数据中心）",
        roles((), ("市数据资源局（市政务服务管理局：市大数据中心）",)),
        id="colon-in-bracket",
    ),
    # 4. 等 ends a list only as a word of its own.
    pytest.param(
        "市发展改革委、市财政局、市税务局等市有关单位负责",
        roles((), ("市发展改革委", "市财政局", "市税务局", "市有关单位")),
        id="deng-city-group",
    ),
    pytest.param(
        "市教体局、市卫健委、市住房城乡建设局、市生态环境局等行业主管部门，各县区政府负责落实",
        roles((), ("市教体局", "市卫健委", "市住房城乡建设局", "市生态环境局", "行业主管部门", "各县区政府")),
        id="deng-sector-group",
    ),
    pytest.param("各高等院校、中等职业学校负责", roles((), ("各高等院校", "中等职业学校")), id="deng-inside-names"),
    pytest.param("省教育厅牵头，高等教育处配合", roles(("省教育厅",), (), ("高等教育处",)), id="deng-higher-education"),
    pytest.param("各高等院校等有关单位配合", roles((), (), ("各高等院校", "有关单位")), id="deng-after-higher"),
    pytest.param("市人社局、市民政局等部门负责", roles((), ("市人社局", "市民政局")), id="deng-bare-group-dropped"),
    pytest.param("市应急局等5家单位配合", roles((), (), ("市应急局",)), id="deng-counted-group-dropped"),
    pytest.param("市文旅局、市体育局等负责落实", roles((), ("市文旅局", "市体育局")), id="deng-trailing"),
    pytest.param("县劳动等级鉴定站负责", roles((), ("县劳动等级鉴定站",)), id="deng-grade"),
    pytest.param("县自然资源局等乡镇规划所", roles((), ("县自然资源局等乡镇规划所",)), id="deng-tail-not-group-like"),
    # 5. Separators, punctuation widths, invisible characters.
    pytest.param(
        "市财政局,市审计局;市统计局/市税务局",
        roles((), ("市财政局", "市审计局", "市统计局", "市税务局")),
        id="ascii-separators",
    ),
    pytest.param("办公室 政策法规处\n财务处", roles((), ("办公室", "政策法规处", "财务处")), id="whitespace-separates"),
    pytest.param(
        "\ufeff\u200b市政府办公室\u00a0牵头，\u3000各县区政府\u200b负责落实。",
        roles(("市政府办公室",), ("各县区政府",)),
        id="invisible-characters",
    ),
    pytest.param("市政务公开办、、，市司法局。", roles((), ("市政务公开办", "市司法局")), id="empty-pieces"),
    # 6. A name under two roles keeps the strongest.
    pytest.param(
        "市司法局牵头，市司法局、市政务公开办负责落实", roles(("市司法局",), ("市政务公开办",)), id="lead-beats-named"
    ),
    pytest.param("市统计局配合，市统计局负责", roles((), ("市统计局",)), id="named-beats-support"),
    pytest.param("市统计局、市统计局负责", roles((), ("市统计局",)), id="duplicates-in-one-role"),
    # 7. Unbalanced brackets are ordinary characters from there on.
    pytest.param("各县（市、区政府负责", roles((), ("各县（市", "区政府")), id="unclosed-bracket"),
    pytest.param("市财政局）、市审计局牵头", roles(("市财政局）", "市审计局")), id="unopened-bracket"),
    pytest.param("各县(市、区〕政府", roles((), ("各县(市", "区〕政府")), id="mismatched-bracket"),
    pytest.param("", roles(), id="empty"),
    pytest.param("，；、。：:（）", roles(), id="only-punctuation"),
    pytest.param("牵头，负责落实", roles(), id="only-role-words"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_responsibility(text: str, expected: Roles) -> None:
    assert parse_responsibility(text) == expected


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        pytest.param(
            {"lead": "市发展改革委", "support": "市财政局、市统计局"},
            roles(("市发展改革委",), (), ("市财政局", "市统计局")),
            id="lead-and-support",
        ),
        pytest.param(
            {"lead": "办公室", "named": "政策法规处、财务处", "support": "信息中心"},
            roles(("办公室",), ("政策法规处", "财务处"), ("信息中心",)),
            id="three-columns",
        ),
        pytest.param(
            {"support": "市公安局牵头，市交通运输局"},
            roles(("市公安局",), (), ("市交通运输局",)),
            id="role-word-in-cell",
        ),
        pytest.param(
            {"lead": "市卫健委", "support": "市卫健委、市医保局"},
            roles(("市卫健委",), (), ("市医保局",)),
            id="strongest-across-columns",
        ),
        pytest.param(
            {"named": "各县（市、区）政府等有关单位"},
            roles((), ("各县（市、区）政府", "有关单位")),
            id="named-cell",
        ),
        pytest.param({}, roles(), id="no-cells"),
        pytest.param({"lead": "", "support": None}, roles(), id="empty-cells"),
    ],
)
def test_parse_columns(columns: dict[str, str | None], expected: Roles) -> None:
    assert parse_columns(**columns) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("市财政局、市审计局", ["市财政局", "市审计局"], id="list"),
        pytest.param("市财政局牵头，市审计局配合", ["市财政局", "市审计局"], id="role-words-left-out"),
        pytest.param("牵头单位：市财政局；配合单位：市审计局", ["市财政局", "市审计局"], id="labels-left-out"),
        pytest.param("市财政局、市财政局", ["市财政局", "市财政局"], id="duplicates-kept"),
        pytest.param("市税务局等市有关单位", ["市税务局", "市有关单位"], id="deng"),
        pytest.param("等有关单位", ["有关单位"], id="deng-first"),
        pytest.param("各县(市、区)政府", ["各县(市、区)政府"], id="bracket"),
    ],
)
def test_split_names(text: str, expected: list[str]) -> None:
    assert split_names(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("市府办〔市大数据局〕", ("市府办", "市大数据局"), id="tortoise-shell"),
        pytest.param("市数据资源局（市政务服务管理局）", ("市数据资源局", "市政务服务管理局"), id="full-width"),
        pytest.param("县委办(县政府办)", ("县委办", "县政府办"), id="ascii"),
        pytest.param("市政府办公室【市政务公开办】", ("市政府办公室", "市政务公开办"), id="lenticular"),
        pytest.param("市融媒体中心（市广播电视台）", ("市融媒体中心", "市广播电视台"), id="station"),
        pytest.param(" 市府办〔市大数据局〕\u200b", ("市府办", "市大数据局"), id="trimmed"),
        pytest.param("各县(市、区)政府", None, id="bracket-inside-name"),
        pytest.param("各县（市、区）", None, id="list-in-bracket"),
        pytest.param("管委会（开发区）", None, id="not-a-unit-name"),
        pytest.param("市财政局（含市国资委）", None, id="includes"),
        pytest.param("市府办〔市大数据局、市数据中心〕", None, id="two-names"),
        pytest.param("（市大数据局）", None, id="nothing-before"),
        pytest.param("市府办〔〕", None, id="empty-bracket"),
        pytest.param("市府办〔市大数据局", None, id="unclosed"),
        pytest.param("市府办", None, id="plain"),
        pytest.param("", None, id="empty"),
    ],
)
def test_aliases_in(name: str, expected: tuple[str, str] | None) -> None:
    assert aliases_in(name) == expected


def test_vocabulary() -> None:
    """The role words and labels the tables use, with their roles."""
    expected_words = {
        "牵头": "lead",
        "牵头负责": "lead",
        "分别牵头落实": "lead",
        "负责": "named",
        "负责落实": "named",
        "落实": "named",
        "按职责分工负责": "named",
        "按职责分别负责落实": "named",
        "配合": "support",
        "协助": "support",
        "协同": "support",
        "参与": "support",
    }
    assert {word: role_words()[word] for word in expected_words} == expected_words
    expected_labels = {
        "牵头单位": "lead",
        "牵头部门": "lead",
        "牵头责任单位": "lead",
        "责任单位": "named",
        "责任部门": "named",
        "责任科室": "named",
        "落实单位": "named",
        "配合单位": "support",
        "配合部门": "support",
        "协同单位": "support",
        "协同责任单位": "support",
        "协助单位": "support",
    }
    assert {label: labels()[label] for label in expected_labels} == expected_labels
    assert "单位" not in labels()


# --- the table's own texts ----------------------------------------------------------------------------------


def _old_split(text: str) -> tuple[list[str], list[str]]:
    """The splitter validate.py used before this module, kept here so the comparison outlives the switch."""
    body = text.removesuffix("负责落实")
    lead_part, _, rest = body.partition("牵头") if "牵头" in body else ("", "", body)

    def names(part: str) -> list[str]:
        found: list[str] = []
        for token in re.split(r"[、，,；;]", part):
            found += [name for name in token.split("等") if name]
        return found

    return names(lead_part), names(rest)


def _table_texts() -> list[str]:
    document = yaml.safe_load((DATA / "tasks.yaml").read_text(encoding="utf-8"))
    return [
        task["responsibility"]
        for section in document["sections"]
        for subsection in section["subsections"]
        for task in subsection["tasks"]
        if task.get("responsibility")  # a table may print 牵头 and 配合 in columns of their own
    ]


TABLE_TEXTS = _table_texts()


def test_table_has_its_texts() -> None:
    assert len(TABLE_TEXTS) >= 44


@pytest.mark.parametrize("text", TABLE_TEXTS)
def test_same_names_as_the_old_splitter(text: str) -> None:
    leads, rest = split_responsibility(text)
    assert (leads, rest) == _old_split(text)
    parsed = parse_responsibility(text)
    assert parsed.leads == tuple(leads)
    assert parsed.named == tuple(rest)
    assert parsed.supports == ()


# --- robustness ---------------------------------------------------------------------------------------------

JUNK_ALPHABET = [
    *"市县区局委办厅等高中各有关单位部门牵头负责落实配合协助参与由为含",
    *"、，,；;/：:。 \n\t\u00a0\u3000\u200b\ufeff",
    *"()（）〔〕[]【】［］〖〗{}",
    "牵头",
    "负责落实",
    "按职责分工负责",
    "牵头单位：",
    "配合单位:",
    "等有关单位",
    "各县（市、区）政府",
    "\x00",
    "\ud800",
    "𠀀",
    "Ａ",
    "1",
]


def _junk(rng: random.Random) -> str:
    return "".join(rng.choice(JUNK_ALPHABET) for _ in range(rng.randrange(0, 60)))


def _check(text: str, parsed: Roles) -> None:
    assert isinstance(parsed, Roles)
    seen: set[str] = set()
    for role in parsed:
        assert isinstance(role, tuple)
        assert len(set(role)) == len(role)
        for name in role:
            assert isinstance(name, str)
            assert name
            assert name in text  # as written
            assert name not in seen  # one role per name
            seen.add(name)
            found = aliases_in(name)
            if found is not None:
                assert all(part and part in name for part in found)


@pytest.mark.parametrize("seed", range(4))
def test_junk_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        text = _junk(rng)
        _check(text, parse_responsibility(text))
        assert all(name in text for name in split_names(text))
        cells = [_junk(rng) or None for _ in range(3)]
        _check("\x00".join(cell or "" for cell in cells), parse_columns(*cells))
        leads, rest = split_responsibility(text)
        assert all(name in text for name in leads + rest)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("(" * 100_000, id="opening-brackets"),
        pytest.param(")" * 100_000, id="closing-brackets"),
        pytest.param("〔(" * 50_000, id="mismatched-brackets"),
        pytest.param("（市、区）" * 20_000, id="many-pairs"),
        pytest.param("牵头" * 50_000, id="role-words"),
        pytest.param("等" * 100_000, id="deng"),
        pytest.param("市财政局等" * 20_000, id="names-and-deng"),
        pytest.param("、" * 100_000, id="separators"),
        pytest.param("牵头单位：" * 20_000, id="labels"),
        pytest.param("市政务公开办、" * 15_000 + "牵头", id="long-list"),
        pytest.param("市" * 100_000, id="one-long-name"),
    ],
)
def test_long_texts(text: str) -> None:
    _check(text, parse_responsibility(text))
    assert isinstance(split_names(text), list)
    assert aliases_in(text) is None or isinstance(aliases_in(text), tuple)


def test_import_is_light() -> None:
    """The module is on the query path: alone, it loads nothing beyond the standard library's basics."""
    import gongkai_cli

    # A bare package object stands in for gongkai_cli, whose __init__ loads the query modules.
    script = (
        "import sys, types\n"
        "package = types.ModuleType('gongkai_cli')\n"
        f"package.__path__ = {list(gongkai_cli.__path__)!r}\n"
        "sys.modules['gongkai_cli'] = package\n"
        "before = set(sys.modules)\n"
        "import gongkai_cli.responsibility\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    result = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    assert {name for name in loaded if name.startswith("gongkai_cli")} == {
        "gongkai_cli.responsibility",
        "gongkai_cli.tuples",
        "gongkai_cli.vocabulary",
    }
    heavy = {"yaml", "pydantic", "rich", "typer", "click", "orjson", "pypinyin", "dateutil", "json", "datetime"}
    assert not {name.partition(".")[0] for name in loaded} & heavy


# --- real cells of other offices' tables ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市级各有关部门及各县市区政府按职责分工负责", roles((), ("市级各有关部门", "各县市区政府"))),
        ("市委网信办和市公安局负责", roles((), ("市委网信办", "市公安局"))),
        ("市政府办公室与市大数据局牵头", roles(("市政府办公室", "市大数据局"))),
        ("市人力资源和社会保障局、市文化和旅游局", roles((), ("市人力资源和社会保障局", "市文化和旅游局"))),
        ("市住房和城乡建设局、市工业和信息化局配合", roles((), (), ("市住房和城乡建设局", "市工业和信息化局"))),
        ("各县区政府及其部门", roles((), ("各县区政府及其部门",))),
        ("各县、市、区政府", roles((), ("各县、市、区政府",))),
        ("各县(市、区)政府", roles((), ("各县(市、区)政府",))),
        ("各镇(办)", roles((), ("各镇(办)",))),
        ("市直有关部门、单位", roles((), ("市直有关部门、单位",))),
        ("市政务公开办牵头，市直有关部门、单位负责", roles(("市政务公开办",), ("市直有关部门、单位",))),
        (
            "县政府办公室牵头，县直各单位、各乡镇人民政府负责",
            roles(("县政府办公室",), ("县直各单位", "各乡镇人民政府")),
        ),
        ("区府办（区大数据局）牵头，区级各部门配合", roles(("区府办（区大数据局）",), (), ("区级各部门",))),
        (
            "省政府办公厅牵头，省直有关单位、各市人民政府按职责分工负责",
            roles(("省政府办公厅",), ("省直有关单位", "各市人民政府")),
        ),
        ("镇党政办牵头，各村（社区）配合", roles(("镇党政办",), (), ("各村（社区）",))),
        ("办公室牵头，各科室按职责分工负责", roles(("办公室",), ("各科室",))),
        ("", roles()),
        ("无", roles()),
        ("—", roles()),
    ],
)
def test_real_cells_of_other_tables(text: str, expected: Roles) -> None:
    assert parse_responsibility(text) == expected


def test_a_sentence_of_instruction_is_a_note_not_units() -> None:
    text = "市政务公开办牵头，各区市政府、开发区管委负责落实。以下任务均需各区市政府、开发区管委落实，不再一一列出"
    assert parse_responsibility(text) == Roles(
        ("市政务公开办",),
        ("各区市政府", "开发区管委"),
        notes=("以下任务均需各区市政府、开发区管委落实，不再一一列出",),
    )
    assert split_names(text) == ["市政务公开办", "各区市政府", "开发区管委"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("完成时限：长期坚持", Roles(fields=(("time_limit", "长期坚持"),))),
        (
            "牵头单位：市政府办公室；配合单位：市大数据局；完成时限：长期坚持",
            Roles(("市政府办公室",), (), ("市大数据局",), fields=(("time_limit", "长期坚持"),)),
        ),
        (
            "市司法局牵头，各县区政府负责。（备注：与第5项合并推进）",
            Roles(("市司法局",), ("各县区政府",), fields=(("remark", "与第5项合并推进"),)),
        ),
    ],
)
def test_a_labelled_phrase_goes_to_its_own_field(text: str, expected: Roles) -> None:
    assert parse_responsibility(text) == expected


@pytest.mark.parametrize(
    ("name", "pair"),
    [
        ("各镇(办)", None),
        ("各乡镇（街道）", None),
        ("各县区政府（管委会）", None),
        ("区府办（区大数据局）", ("区府办", "区大数据局")),
        ("市府办〔市大数据局〕", ("市府办", "市大数据局")),
    ],
)
def test_a_bracket_holds_an_alias_only_when_it_holds_a_unit_like_name(name: str, pair: tuple[str, str] | None) -> None:
    assert aliases_in(name) == pair
