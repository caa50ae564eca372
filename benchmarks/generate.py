"""Generate a synthetic task division of any size that passes `gongkai check`.

Usage::

    python benchmarks/generate.py N OUTDIR [--seed S] [--year YYYY] [--table ID] [--province COUNT]

writes OUTDIR/tasks.yaml with N tasks and OUTDIR/units.yaml (a copy of the shipped roster). The same arguments
always give byte-identical files.

--year sets the plan year (document.year; by default the shipped table's, 2024): the years in the notice's
title, number and dates, and in the time limits, follow it. --table ID writes the table to OUTDIR/ID/tasks.yaml
instead, as one table of a data folder of several (the roster stays at OUTDIR/units.yaml, shared by every
table), so that runs with different IDs build such a folder::

    python benchmarks/generate.py 300 /tmp/ws --year 2024 --table 2024 --seed 1
    python benchmarks/generate.py 300 /tmp/ws --year 2024 --table 2024b --seed 2

--province COUNT writes COUNT tables of N tasks in one process, ten plan years from 2015 with the same number of
tables each (ids 2015-001 … 2024-100 for a thousand; seeds S, S+1, …): a province's folder::

    python benchmarks/generate.py 60 /tmp/province --province 1000

The table imitates the shipped one (data/tasks.yaml) so that timings reflect real data:

* requirements are 30-250 characters (median about 70), built from clauses of the real requirements; about
  one in ten has two or three paragraphs (a YAML block scalar, as in the real file);
* responsibility texts mix 0-2 leads (牵头), named units (sometimes written in a variant form such as 市教育局,
  or as "…等行业主管部门"), the groups 市政府各部门 / 市政府有关部门 (or its variant 市政府各有关部门) and
  各县区政府 / 管委会, and `leads` / `implementers` are exactly what `check` reads from that text;
* time limits use the parser's vocabulary (X月底前, X月X日前, 年底前, 上半年, 三季度末, 持续推进, 长期坚持,
  X月X日起); their kind / due / start come from gongkai_cli.deadlines.parse_time_limit itself;
* about one task in fifteen states scoring rules whose condition is quoted from its requirement;
* sections (at most 99, numbered 一 … 九十九) hold numbered subsections (at most 99 each) of tasks.

YAML is written by a small emitter (plain scalars where safe, double-quoted otherwise, block scalars for
multi-paragraph text); it is several times faster than yaml.safe_dump, so 100,000 tasks take seconds.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import random
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gongkai_cli.deadlines import Meaning, parse_time_limit
from gongkai_cli.numerals import to_chinese
from gongkai_cli.workspace import TASKS_FILE, UNITS_FILE, bundled_data_dir

# A province's folder (--province): ten years of tables, each year's tables numbered 001, 002, …
PROVINCE_FIRST_YEAR = 2015
PROVINCE_YEARS = 10
MAX_NUMERAL = 99  # to_chinese reads 1 … 99: the ceiling on sections and on subsections per section
MIN_REQUIREMENT, MAX_REQUIREMENT = 30, 250
TYPICAL_LOG = math.log(70)  # the median requirement length, in characters (the real table's is 60)

# Clauses of the real requirements (data/tasks.yaml), split at ，。；.
PHRASES: tuple[str, ...] = (
    "聚焦经济发展",
    "紧扣民生领域",
    "同时做好个人隐私保护",
    "及时回应群众关切",
    "推动“民声呼应”提质增效",
    "聚焦“高效办成一件事”",
    "让政务服务像“网购”一样便捷",
    "系统全面准确传递政策取向",
    "以高质量政策公开助推高质量发展",
    "将政策解读放在与政策制定同等重要位置",
    "各级各部门建立健全政策解读全链条管理机制",
    "精心制作解读材料",
    "精确传递信号",
    "精准公开渠道",
    "营造稳定透明可预期的政策环境",
    "优化政策解读“集成式”发布质效",
    "探索重大政策系列解读方式",
    "拓展解读视角",
    "延伸解读链条",
    "科学确定解读范围",
    "做到应解读尽解读",
    "提升解读材料质量",
    "灵活使用群众喜闻乐见的“语言体”",
    "从社会关切的利益点、新旧政策的差异点、重要举措的创新点等方面进行解读",
    "合理创新解读方式",
    "可运用图片、视频、动漫等解读形式加强解读效果",
    "每年各级政府印发的政策文件多元化解读数不少于2个",
    "积极参加全省优秀政策解读材料评选活动",
    "建立健全政策制定公众参与、执行情况评估及公众评价机制",
    "涉及重大公共利益的政策文件",
    "除依法依规应当保密的外",
    "应通过征求意见、听证座谈等方式扩大公众参与",
    "并及时公开执行情况评估结果",
    "激发公众参与的积极性",
    "要将公众参与作为决策及执行的必经程序",
    "最大限度覆盖本地群众",
    "提高决策科学性和执行有效性",
    "市、县两级开展“政府开放日”等活动",
    "展示为民、务实的政府形象",
    "完善政策文件库建设",
    "健全管理机制",
    "规范网络版发布格式",
    "并将入口设置在政府门户网站首页",
    "做到政策文件数据同源、动态更新",
    "强化领域细分",
    "提升搜索查询功能",
    "方便市场主体和人民群众获取政策信息",
    "鼓励有条件的地区和部门",
    "积极探索数字化技术在政务公开领域的创新应用",
    "运用大数据、人工智能等技术",
    "完善政策订阅及点对点推送功能",
    "实现惠民利企政策举措精准直达",
    "积极推广电子版政府公报使用",
    "根据实际情况丰富公报内容",
    "合理减少纸质版政府公报印发数量",
    "加强行政机关（含乡镇街道）权力配置和运行信息公开",
    "持续做好动态更新",
    "推动行政机关依法规范履职",
    "理顺政府机构分类",
    "并与政府信息公开平台链接导航保持一致",
    "及时公开调整后的职责变化情况",
    "依法公开本机构的职能等信息",
    "并更新完善公开目录",
    "深化公共企事业单位信息公开",
    "完善公开目录和服务指南",
    "持续优化公开平台和咨询窗口建设",
    "科学合理确定公开内容",
    "更加贴近群众需求",
    "调整依申请公开答复书中有关救济渠道表述",
    "进一步规范办理程序",
    "主动沟通了解申请人真实需求",
    "及时会商研判复杂疑难申请",
    "提升答复质效",
    "防范法律风险",
    "聚焦征地拆迁等重点领域开展交流沟通",
    "收到此类申请及时向同级政务公开办报备",
    "统一规范答复口径",
    "强化依申请公开办理证据链管理",
    "切实发挥行政复议、行政诉讼案例对行政行为的提示警示作用",
    "加强政府网站与政务新媒体协同联动",
    "积极拓展政务公开渠道",
    "综合运用“报、网、端、微、屏”等媒介载体",
    "有效扩大政策传播范围",
    "推进政务公开专区标准化规范化建设",
    "适时开展功能设置、服务质量和运行情况评估",
    "强化其政策公开、公众参与、解读咨询、宣传推广功能",
    "延伸提供政策现场宣讲、为民为企办实事等服务",
    "务实推进政策咨询综合服务窗口、智能化政策咨询平台建设",
    "继续推进基层政务公开向村居延伸",
    "注重运用公告栏、明白纸、“大喇叭”、主动上门宣讲等适合基层特点的渠道",
    "加大惠农惠民资金发放等与群众切身利益相关的信息公开力度",
    "同时注意避免仅限线下公开的信息在线上公开",
    "加强政府信息全生命周期管理",
    "公开前严格审查",
    "要完善机制、明确责任",
    "坚持“先审后发”“一事一审”原则",
    "依法对拟公开的信息进行保密审查",
    "做到该公开的公开到位",
    "该保密的保密到位",
    "科学确定公开方式、范围和时限",
    "坚持分类施策",
    "综合考虑信息性质、受众、影响等因素",
    "需要广泛知晓的全面公开到位",
    "一定范围内知晓的在特定范围内公开",
    "公开后定期清理",
    "按照“谁公开、谁清理”原则",
    "加强对已公开的信息进行风险排查",
    "清理无关、无效、不需长期保留以及涉及个人隐私等信息",
    "防止信息汇聚引发风险",
    "分层级分领域优化政府信息公开目录设置",
    "确定依法主动公开事项",
    "合理整合归并市、县、乡目录层级",
    "修订符合本单位特点的目录体系",
    "建立动态更新机制",
    "优化展现方式",
    "严格落实关于持续整治数字形式主义要求",
    "公开内容应贴合栏目要求和工作实际",
    "清除、杜绝“情况说明”等无效信息发布",
    "分级开展政务公开业务培训",
    "加强工作调研和经验交流",
    "组织开展专题式调研活动",
    "学习借鉴省内外先进经验做法",
    "推动各项工作迈上新台阶",
    "各级政务公开工作机构要充实人员力量",
    "为推进政务公开高质量发展提供坚实保障",
    "对照新时代政务公开要求",
    "全面梳理现有工作机制",
    "及时予以清理修订",
    "认真做好宣传贯彻和工作衔接",
    "完善考评方式",
    "优化指标体系",
    "采取“背靠背、无感化”评测",
    "切实减轻基层负担",
    "强化结果运用",
    "对工作成效突出的按照规定予以表扬",
    "对不作为乱作为、造成严重后果的依法依规予以问责",
    "规范做好政府信息公开工作年度报告编制发布工作",
    "将年度重点工作任务落实情况纳入年报",
    "确保体例规范、数据准确",
    "接受社会监督",
)

# Section titles read 围绕{theme}抓好{aim}。 as in the real table.
SECTION_THEMES = (
    "中心工作",
    "提质增效",
    "公众参与",
    "数字转型",
    "监督管理",
    "依法规范",
    "功能完善",
    "防范风险",
    "基层减负",
    "能力提升",
    "机制完善",
)
SECTION_AIMS = (
    "主动公开",
    "政策解读",
    "决策公开",
    "功能升级",
    "权责公开",
    "依申请公开",
    "渠道建设",
    "审查清理",
    "作风改进",
    "队伍建设",
    "监督保障",
)
SUBSECTION_TITLES = (
    "加强促进经济发展的政策公开",
    "深化民生领域信息公开",
    "增强回应关切实效",
    "深化优化政务服务",
    "增强解读发布时效性",
    "增强解读发布实效性",
    "推进相关机制建设",
    "完善公众参与程序",
    "开展“政府开放日”活动",
    "完善政策文件库建设",
    "强化政策精准直达",
    "加强政府公报建设",
    "强化权力配置信息公开",
    "深化公共企事业单位信息公开",
    "规范依申请公开答复",
    "拓展政务公开渠道",
    "务实推进村务公开",
    "加强公开前审查",
    "加强公开时审查",
    "加强公开后清理",
    "修订主动公开目录",
    "提升信息发布实效",
    "强化学习",
    "充实队伍",
    "完善制度建设",
    "加强宣贯衔接",
    "做好考评监督",
)

# Units: canonical name (as units.yaml spells it) -> the forms the table writes for it.
LEAD_UNITS = ("市政府办公室", "市政务公开办", "市数据资源局", "市司法局", "市民政局", "市发展改革委")
NAMED_UNITS: dict[str, tuple[str, ...]] = {
    "市政府办公室": ("市政府办公室",),
    "市政务公开办": ("市政务公开办",),
    "市数据资源局": ("市数据资源局",),
    "市发展改革委": ("市发展改革委",),
    "市财政局": ("市财政局",),
    "市教体局": ("市教体局", "市教育局"),
    "市人社局": ("市人社局",),
    "市卫健委": ("市卫健委",),
    "市民政局": ("市民政局",),
    "市司法局": ("市司法局",),
    "市自然资源和规划局": ("市自然资源和规划局",),
    "市住房城乡建设局": ("市住房城乡建设局", "市住建局"),
    "市生态环境局": ("市生态环境局",),
}
SECTOR_UNITS = ("市教体局", "市卫健委", "市住房城乡建设局", "市生态环境局")  # named before 等行业主管部门
SECTOR_GROUP = "行业主管部门"
# (canonical, written, weight): the department groups the real table uses, and how often.
DEPARTMENT_GROUPS = (
    ("市政府各部门", "市政府各部门", 4),
    ("市政府有关部门", "市政府有关部门", 4),
    ("市政府有关部门", "市政府各有关部门", 1),
)
COUNTIES, COMMITTEES = "各县区政府", "管委会"
VARIANT_NOTE = "“{written}”是“{name}”的另一写法，按同一单位理解（解读）。"

# Scoring clauses; each names the trigger, then the points, as the real requirements do.
BONUS_TRIGGERS = (
    "对在省评选活动中胜出的单位",
    "报送优秀稿件被国家级媒体选登的",
    "被省政务公开办《政务公开交流》电子刊物以及省级媒体选登的",
    "对有创新思路并协助开展全市目录调整的单位",
    "对工作成效突出的单位",
)
PENALTY_TRIGGERS = (
    "年报编写有明显错误的",
    "对依申请公开办理质量差且被行政复议改变或在行政诉讼中败诉的单位",
    "发布“情况说明”等无效信息的",
    "政策文件未按要求同步解读的",
)
POINTS = (0.5, 1, 2, 3, 5)


# --- random pieces ----------------------------------------------------------------------------------------


def requirement_text(rng: random.Random, extra: str | None = None) -> str:
    """A requirement of 30-250 characters in 1-3 paragraphs; `extra` (a scoring clause) ends the last one."""
    # Log-normal around the typical length, clipped to the range: most near 70, a tail up to 250.
    target = round(min(MAX_REQUIREMENT, max(MIN_REQUIREMENT, rng.lognormvariate(TYPICAL_LOG, 0.5))))
    roll = rng.random()
    paragraphs = 3 if roll < 0.02 and target >= 120 else 2 if roll < 0.1 and target >= 60 else 1
    closing = f"{extra}。" if extra else ""
    budget = max(MIN_REQUIREMENT, target - len(closing))
    texts = [_paragraph(rng, max(12, budget // paragraphs)) for _ in range(paragraphs)]
    texts[-1] += closing
    while sum(map(len, texts)) < MIN_REQUIREMENT:
        texts[-1] = _paragraph(rng, 12) + texts[-1]
    return "\n".join(texts)


def _paragraph(rng: random.Random, target: int) -> str:
    """Sentences of 1-4 clauses each, up to `target` characters and close to it."""
    sentences: list[str] = []
    length = 0
    while length < target - 6:
        clauses: list[str] = []
        for _ in range(rng.randint(1, 4)):
            clause = _clause(rng, target - length - 1)
            if clause is None:
                break
            clauses.append(clause)
            length += len(clause) + 1  # the clause and the ，or 。 after it
        if not clauses:
            break
        sentences.append("，".join(clauses) + "。")
    return "".join(sentences)


def _clause(rng: random.Random, room: int) -> str | None:
    """A random clause of at most `room` characters, or None if a few draws find none."""
    for _ in range(5):
        clause = rng.choice(PHRASES)
        if len(clause) <= room:
            return clause
    return None


def scoring_rules(rng: random.Random) -> tuple[str, list[dict[str, Any]]]:
    """A scoring clause to quote in a requirement, and the rules it states."""
    if rng.random() < 0.15:  # one clause, two rates by who: as task 14 of the real table
        city, county = rng.choice(((0.5, 0.2), (1, 0.5), (2, 1)))
        condition = f"开展情况在年度政务公开考评中予以加分（市直单位按{city:g}分/次；县区按{county:g}分/次）"
        rules = [
            {"points": city, "per": "次", "who": "市直单位", "condition": condition},
            {"points": county, "per": "次", "who": "县区", "condition": condition},
        ]
        return condition, rules
    points = rng.choice(POINTS)
    if rng.random() < 0.6:
        trigger, verb, sign = rng.choice(BONUS_TRIGGERS), "加", 1
    else:
        trigger, verb, sign = rng.choice(PENALTY_TRIGGERS), "减", -1
    per = rng.choice((None, None, "篇", "件", "次"))
    if per is None:
        how = rng.choice((f"直接按{points:g}分予以{verb}分", f"直接{verb}{points:g}分"))
    else:
        how = f"{rng.choice(('', '直接'))}按{points:g}分/{per}予以{verb}分"
    condition = f"{trigger}，在年度政务公开考评中{how}"
    rule: dict[str, Any] = {"points": sign * points}
    if per is not None:
        rule["per"] = per
    rule["condition"] = condition
    return condition, [rule]


def responsibility(rng: random.Random) -> tuple[str, list[str], list[str], list[str]]:
    """The 责任单位 text, its leads and implementers (canonical names), and notes on variant forms used."""
    notes: list[str] = []

    def written(name: str) -> str:
        forms = NAMED_UNITS[name]
        form = forms[0] if len(forms) == 1 or rng.random() < 0.7 else forms[1]
        if form != name:
            notes.append(VARIANT_NOTE.format(written=form, name=name))
        return form

    roll = rng.random()
    leads = rng.sample(LEAD_UNITS, 0 if roll < 0.5 else 1 if roll < 0.85 else 2)
    others = [name for name in NAMED_UNITS if name not in leads]
    implementers: list[str] = []
    clauses: list[str] = []

    named_clause: list[str] = []
    roll = rng.random()
    if roll < 0.06:  # "市教育局、市卫健委、市住建局、市生态环境局等行业主管部门", as task 22
        chosen = sorted(rng.sample(SECTOR_UNITS, rng.randint(1, len(SECTOR_UNITS))), key=SECTOR_UNITS.index)
        named_clause.append("、".join(written(n) for n in chosen) + "等" + SECTOR_GROUP)
        implementers += [*chosen, SECTOR_GROUP]
    else:
        if roll < 0.3:
            chosen = rng.sample(others, rng.randint(1, 6))
            named_clause += [written(n) for n in chosen]
            implementers += chosen
        if rng.random() < 0.75:
            weights = [weight for *_, weight in DEPARTMENT_GROUPS]
            name, form, _ = rng.choices(DEPARTMENT_GROUPS, weights=weights)[0]
            named_clause.append(form)  # joined by 、 as in "市数据资源局、市政府有关部门"
            implementers.append(name)
    if named_clause:
        clauses.append("、".join(named_clause))
    roll = rng.random()
    if roll < 0.85 or not implementers:  # every task has someone to carry it out
        county = [COUNTIES] if 0.65 <= roll < 0.85 else [COUNTIES, COMMITTEES]
        clauses.append("、".join(county))
        implementers += county
    text = ("、".join(written(n) for n in leads) + "牵头，" if leads else "") + "，".join(clauses) + "负责落实"
    return text, leads, implementers, notes


@cache
def _meaning(text: str, year: int) -> Meaning:
    return parse_time_limit(text, year)


def time_limit(rng: random.Random, year: int) -> str:
    """A time-limit phrase from the parser's vocabulary (the lean form: its meaning is read from it)."""
    roll = rng.random()
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if roll < 0.55:
        text = rng.choice(("持续推进", "持续推进", "持续推进", "长期坚持"))
    elif roll < 0.95:
        text = rng.choice(
            (
                f"{month}月底前",
                f"{month}月底前",
                f"{year}年{month}月底前",
                f"{month}月{day}日前",
                "年底前",
                "年底前",
                "上半年",
                f"{to_chinese(rng.randint(1, 4))}季度末",
            )
        )
    else:
        text = f"{month}月{day}日起"
    _meaning(text, year)  # a phrase the reader would refuse would make the table fail check
    return text


def task(rng: random.Random, number: int, year: int) -> dict[str, Any]:
    """One task row."""
    scoring: list[dict[str, Any]] = []
    clause = None
    if rng.random() < 0.07:
        clause, scoring = scoring_rules(rng)
    # The lean form: the structure (leads, implementers, the time limit's meaning) is read from the text.
    text, _, _, notes = responsibility(rng)
    row: dict[str, Any] = {
        "number": number,
        "requirement": requirement_text(rng, clause),
        "responsibility": text,
        "time_limit": time_limit(rng, year),
    }
    if scoring:
        row["scoring"] = scoring
    if notes:
        row["notes"] = notes
    return row


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` items in `parts` groups of uneven size (each at least 1), summing exactly to `total`."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    spare = total - parts
    scale = spare / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    for i in rng.sample(range(parts), total - sum(sizes)):
        sizes[i] += 1
    return sizes


def sections(n: int, rng: random.Random, year: int) -> Iterator[dict[str, Any]]:
    """The sections of an n-task table, tasks numbered 1 … n in order."""
    number = 0
    section_count = min(MAX_NUMERAL, max(1, -(-n // 4)))
    for i, in_section in enumerate(split(n, section_count, rng), 1):
        per_subsection = max(2.0, in_section / 40)
        sub_count = min(MAX_NUMERAL, in_section, max(1, round(in_section / per_subsection)))
        unnumbered = sub_count == 1 and rng.random() < 0.5
        subsections = []
        for j, in_sub in enumerate(split(in_section, sub_count, rng), 1):
            tasks = []
            for _ in range(in_sub):
                number += 1
                tasks.append(task(rng, number, year))
            numeral = None if unnumbered else to_chinese(j)
            subsections.append({"numeral": numeral, "title": rng.choice(SUBSECTION_TITLES), "tasks": tasks})
        title = f"围绕{rng.choice(SECTION_THEMES)}抓好{rng.choice(SECTION_AIMS)}。"
        yield {"numeral": to_chinese(i), "title": title, "subsections": subsections}


# --- YAML emitter -----------------------------------------------------------------------------------------

_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
# Words YAML 1.1 reads as booleans or null.
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")


def scalar(value: Any, *, flow: bool = False) -> str:
    """One YAML scalar: plain where PyYAML reads it back unchanged, else JSON-style double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    # Non-ASCII text cannot match YAML's implicit int / float / bool / null / date patterns, so it stays a
    # string in plain style unless it uses YAML syntax.
    if text.isascii():
        word = _WORD.fullmatch(text) is not None and text.lower() not in _RESERVED
        return text if word else json.dumps(text)
    plain = (
        text
        and text[0] not in _INDICATORS
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\n" not in text
        and not (flow and _FLOW_UNSAFE.search(text))
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def emit(value: Any, indent: int, out: list[str]) -> None:
    """Append the block-style YAML of a mapping's items (or a list's items) at `indent` spaces to `out`."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            _emit_entry(f"{pad}{key}:", item, indent, out)
    else:
        for item in value:
            if isinstance(item, dict):
                lines: list[str] = []
                emit(item, indent + 2, lines)
                lines[0] = f"{pad}- {lines[0][indent + 2 :]}"
                out += lines
            else:
                out.append(f"{pad}- {scalar(item)}")


def _emit_entry(head: str, item: Any, indent: int, out: list[str]) -> None:
    if isinstance(item, dict) or (isinstance(item, list) and item and isinstance(item[0], dict)):
        out.append(head)
        emit(item, indent + 2, out)
    elif isinstance(item, list):
        out.append(f"{head} [{', '.join(scalar(x, flow=True) for x in item)}]")
    elif isinstance(item, str) and "\n" in item and all(line and line == line.strip() for line in item.split("\n")):
        out.append(f"{head} |-")
        out += [f"{' ' * (indent + 2)}{line}" for line in item.split("\n")]
    else:
        out.append(f"{head} {scalar(item)}")


# --- the files --------------------------------------------------------------------------------------------


def generate(n: int, outdir: Path, seed: int = 0, year: int | None = None, table: str | None = None) -> Path:
    """Write an n-task division into `outdir` (created if needed); returns the folder holding its tasks.yaml.

    `year` is the plan year (default: the shipped table's). With `table`, tasks.yaml goes to outdir/table, one
    table of a data folder of several; the roster is outdir/units.yaml either way.
    """
    if n < 1:
        raise ValueError("the table needs at least one task")
    if table is not None and (not table or table.startswith(".") or Path(table).name != table):
        raise ValueError(f"a table id is a plain folder name: {table!r}")
    source = bundled_data_dir()
    document = _shipped_document()
    if year is not None:
        document = for_year(document, year)
    rng = random.Random(seed)
    plan_year: int = document["year"]
    outdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / UNITS_FILE, outdir / UNITS_FILE)
    folder = outdir / table if table is not None else outdir
    folder.mkdir(exist_ok=True)
    lines = [
        f"# Synthetic task division: {n} tasks, seed {seed}, written by benchmarks/generate.py. Not real data.",
        "document:",
    ]
    emit(document, 2, lines)
    lines.append("sections:")
    for section in sections(n, rng, plan_year):
        emit([section], 2, lines)
    lines.append("")
    (folder / TASKS_FILE).write_text("\n".join(lines), encoding="utf-8")
    return folder


@cache
def _shipped_document() -> dict[str, Any]:
    """The shipped table's document block, read once per process (a province writes a thousand tables)."""
    source = bundled_data_dir()
    _check_roster(source / UNITS_FILE)
    with open(source / TASKS_FILE, encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["document"]
    return document


def province_tables(count: int, first_year: int = PROVINCE_FIRST_YEAR) -> list[tuple[str, int]]:
    """(table id, plan year) of a province's folder of `count` tables: ten years from `first_year`, the same
    number of tables each year (a city's office each): 2015-001, 2015-002, … 2024-100 for a thousand."""
    per_year = -(-count // PROVINCE_YEARS)
    return [(f"{first_year + i // per_year}-{i % per_year + 1:03d}", first_year + i // per_year) for i in range(count)]


def generate_province(n: int, outdir: Path, count: int, seed: int = 0) -> list[tuple[str, int]]:
    """Write a folder of `count` tables of n tasks each (seeds seed, seed+1, …) in one process; their ids and years."""
    made = province_tables(count)
    for i, (table, year) in enumerate(made):
        generate(n, outdir, seed + i, year, table)
    return made


def for_year(document: dict[str, Any], year: int) -> dict[str, Any]:
    """The shipped notice moved to another plan year: its year, its date and the year written in its texts."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"the plan year has four digits: {year}")
    old = str(document["year"])
    moved: dict[str, Any] = {}
    for key, value in document.items():
        if isinstance(value, str):
            value = value.replace(old, str(year))  # title, notice title, number (〔2024〕), date_text
        elif isinstance(value, datetime.date):
            value = value.replace(year=year, day=min(value.day, 28) if value.month == 2 else value.day)
        moved[key] = value
    moved["year"] = year
    return moved


def _check_roster(units_file: Path) -> None:
    """Fail early, and clearly, if the shipped roster no longer knows a name the generator writes."""
    with open(units_file, encoding="utf-8") as handle:
        roster = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    known = {
        form
        for entry in [*roster.get("units", []), *roster.get("groups", [])]
        for form in [entry["name"], *(v["text"] for v in entry.get("variants", []))]
    }
    used = {form for forms in NAMED_UNITS.values() for form in forms}
    used |= {written for _, written, _ in DEPARTMENT_GROUPS} | {SECTOR_GROUP, COUNTIES, COMMITTEES}
    missing = sorted(used - known)
    if missing:
        raise SystemExit(f"{units_file} lacks names the generator writes: {'、'.join(missing)}")


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: python benchmarks/generate.py N OUTDIR [--seed S] [--year YYYY] [--table ID]."""
    parser = argparse.ArgumentParser(description="Write a synthetic gongkai data folder with N tasks.")
    parser.add_argument("n", type=int, help="number of tasks")
    parser.add_argument("outdir", type=Path, help="folder to write tasks.yaml and units.yaml into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--year", type=int, help="plan year (default: the shipped table's)")
    parser.add_argument("--table", help="write tasks.yaml to OUTDIR/TABLE, one table of a folder of several")
    parser.add_argument(
        "--province", type=int, metavar="COUNT", help="write COUNT tables of N tasks, ten years of a province"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.province is not None:
        if args.province < 1 or args.year is not None or args.table is not None:
            parser.error("--province takes a positive count, and neither --year nor --table")
        made = generate_province(args.n, args.outdir, args.province, args.seed)
        print(
            f"{args.outdir}: {len(made)} tables of {args.n} tasks in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        return
    try:
        folder = generate(args.n, args.outdir, args.seed, args.year, args.table)
    except ValueError as e:
        parser.error(str(e))
    size = (folder / TASKS_FILE).stat().st_size
    print(
        f"{folder / TASKS_FILE}: {args.n} tasks, {size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
