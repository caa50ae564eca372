"""Every Chinese word list gongkai reads or prints: the place another city, county or office adapts it.

* Roles: the verbs that give the names before them a role (牵头, 负责, 配合 …) and the labels that open a list.
* Fields: every column header and in-cell label, mapped to the field it names. One list serves both: a table may
  print 牵头处室 as a column header or write "牵头处室：…" inside a cell, and either way it means the lead.
* Units and groups: the endings of unit names, the words that make a name a group, the unit kinds with their
  labels and the endings a kind is guessed from. A roster (units.yaml) may relabel a kind or declare its own,
  with its own endings (`kinds:`); everything else here is the default for a Chinese city's table.
* Statuses and states of progress records; the labels of roles and coverages the tool prints.
* CJK punctuation classes for line breaking.

This module imports nothing of gongkai's: everything else may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Literal

# --- roles ----------------------------------------------------------------------------------------------------

Role = Literal["lead", "named", "support"]

LEAD: Role = "lead"
NAMED: Role = "named"
SUPPORT: Role = "support"

# The verbs that close a list of names, with the role they give it.
ROLE_CORES: Mapping[str, Role] = {
    "牵头": LEAD,
    "牵头负责": LEAD,
    "牵头落实": LEAD,
    "牵头负责落实": LEAD,
    "牵头实施": LEAD,
    "牵头组织": LEAD,
    "牵头推进": LEAD,
    "负责": NAMED,
    "负责落实": NAMED,
    "负责实施": NAMED,
    "负责推进": NAMED,
    "落实": NAMED,
    "抓好落实": NAMED,
    "推进落实": NAMED,
    "组织实施": NAMED,
    "承办": NAMED,
    "配合": SUPPORT,
    "配合落实": SUPPORT,
    "配合实施": SUPPORT,
    "协助": SUPPORT,
    "协助落实": SUPPORT,
    "协同": SUPPORT,
    "协同落实": SUPPORT,
    "协同推进": SUPPORT,
    "协同配合": SUPPORT,
    "参与": SUPPORT,
    "参与落实": SUPPORT,
    "协办": SUPPORT,
}

# Words that may stand before a verb without changing its role: 按职责分工负责, 分别牵头落实.
ROLE_MODIFIERS = (
    "",
    "分别",
    "共同",
    "具体",
    "各自",
    "按职责",
    "按照职责",
    "按职责分工",
    "按照职责分工",
    "按职责分别",
    "按职责分工分别",
    "按各自职责",
    "按职能",
    "按职能分工",
    "根据职责",
    "根据职责分工",
)

# --- fields: column headers and in-cell labels, one list ------------------------------------------------------

Field = Literal["number", "work_item", "requirement", "lead", "named", "support", "time_limit", "remark"]

# The words a unit label is made of: a role prefix, an optional 责任, a noun. 牵头单位, 协同责任单位, 责任科室 …
_UNIT_LABEL_PREFIXES: Mapping[str, Role] = {
    "牵头": LEAD,
    "主责": LEAD,
    "": NAMED,
    "落实": NAMED,
    "实施": NAMED,
    "承办": NAMED,
    "负责": NAMED,
    "具体落实": NAMED,
    "配合": SUPPORT,
    "协同": SUPPORT,
    "协助": SUPPORT,
    "协办": SUPPORT,
    "协作": SUPPORT,
    "参与": SUPPORT,
}
UNIT_NOUNS = ("单位", "部门", "科室", "处室", "机构", "机关")

_FIELD_WORDS: tuple[tuple[Field, tuple[str, ...]], ...] = (
    ("number", ("序号", "编号")),
    ("work_item", ("工作任务", "任务", "重点任务", "主要工作任务", "任务名称")),
    (
        "requirement",
        (
            "具体要求",
            "具体内容",
            "具体工作要求",
            "工作内容",
            "主要内容",
            "工作要求",
            "任务内容",
            "任务要求",
            "具体措施",
            "工作措施",
        ),
    ),
    ("time_limit", ("时限", "时限要求", "完成时限", "完成时间", "时间要求", "时间节点", "完成期限", "办结时限")),
    ("remark", ("备注",)),
)

# More header names real tables print, kept apart from the words above: 进度安排 heads a time-limit column, 具体任务
# and 工作举措 a requirement column, 工作事项 and 重点工作 a work-item column.
TABLE_HEADER_WORDS: tuple[tuple[Field, tuple[str, ...]], ...] = (
    ("number", ("序", "序列", "项目编号", "任务编号")),
    ("work_item", ("工作事项", "任务事项", "重点工作", "工作重点", "工作项目", "主要任务", "重点任务名称", "公开事项")),
    (
        "requirement",
        (
            "具体任务",
            "工作目标",
            "目标要求",
            "工作举措",
            "主要措施",
            "推进措施",
            "具体事项",
            "公开内容",
            "任务分解",
            "具体工作",
            "工作任务及要求",
            "任务及要求",
        ),
    ),
    (
        "time_limit",
        ("进度安排", "时间安排", "完成时间节点", "完成日期", "办理时限", "截止时间", "时间进度", "完成时限要求"),
    ),
)

# The maps below are built on first use: a query, which reads no cell, does not pay for them.


@cache
def labels() -> Mapping[str, Role]:
    """Unit labels, by the role they give: 牵头单位, 主责单位, 责任处室, 落实单位, 配合部门, 协同责任单位 …

    In a cell they open a list when a colon follows them ("牵头单位：A、B；配合单位：C"); as a column header they
    name the column of that role.
    """
    return {
        prefix + middle + noun: role
        for prefix, role in _UNIT_LABEL_PREFIXES.items()
        for middle in ("", "责任")
        for noun in UNIT_NOUNS
        if prefix + middle  # a bare noun such as 单位 is no label
    }


@cache
def field_names() -> Mapping[str, Field]:
    """Every column header and in-cell label, with the field it names: the unit labels of `labels` and the names
    of the other columns. Brackets in a header (责任单位（部门）) are ignored by the reader."""
    names: dict[str, Field] = {name: field for field, words in (*_FIELD_WORDS, *TABLE_HEADER_WORDS) for name in words}
    return names | dict(labels())


@cache
def role_words() -> Mapping[str, Role]:
    """Every phrase that gives the names written before it a role, longest match first.

    A verb (牵头 → lead; 负责, 负责落实, 落实 → implementing unit; 配合, 协助, 协同, 参与 → support; with their
    compounds such as 牵头负责, 牵头落实, 配合落实) after an optional modifier (分别, 共同, 具体, 按职责, 按职责分工,
    按职责分别 …), so that 按职责分工负责 and 按职责分别负责落实 implement and 分别牵头落实 leads; and 为 before a label
    (为牵头单位). A role word alone before a colon acts as a label: "牵头：A；配合：B".
    """
    return {
        **{modifier + core: role for modifier in ROLE_MODIFIERS for core, role in ROLE_CORES.items()},
        # "市发展改革委为牵头单位"
        **{"为" + label: role for label, role in labels().items()},
    }


# --- unit names and group names ---------------------------------------------------------------------------------

BODY_ENDINGS = (
    *"局委办厅处室科院会部站所队馆社署府组台行校",
    "中心",
    "公司",
    "集团",
    "单位",
    "部门",
    "机关",
    "机构",
)
"""What the name of a body (an office, a bureau, a centre, a company …) ends with. A bracket ending so is another
name for the unit before it: 市府办〔市大数据局〕; a place (管委会（开发区）) is not."""

PLACE_ENDINGS = ("镇", "乡", "街道", "区", "县", "市")
"""What a unit named after its place ends with: 城关镇, 某街道, 高新区."""

UNIT_ENDINGS = (*BODY_ENDINGS, *PLACE_ENDINGS)
"""What a unit name usually ends with: an imported name with another ending is pointed out for a person to check."""

NOT_ALIAS_START = ("含", "包括", "包含", "不含", "除", "原", "暂", "即")
"""A bracket that starts so says what a unit includes or excludes, and is no alias: 市财政局（含市国资委）."""

GROUP_WORDS = ("各", "有关", "相关", "所有", "全体")
"""A name that starts with one of these (or holds 各 or 有关) reads as a group: 各乡镇人民政府, 市有关单位."""

GROUP_PREFIXES = (
    "市",
    "省",
    "县",
    "区",
    "各",
    "有关",
    "相关",
    "行业",
    "其他",
    "其它",
    "全市",
    "全省",
    "全县",
    "全区",
    "本级",
    "所属",
    "直属",
    "驻",
)
"""What the group after a list-ending 等 may start with: A等市有关单位, A等行业主管部门."""

GROUP_SUFFIXES = ("单位", "部门", "机关", "院校", "企业", "机构", "组织", "主体", "成员单位")
"""What the group after a list-ending 等 may end with."""

BARE_GROUPS = frozenset(("单位", "部门", "机关", "机构", "企业", "院校", "组织", "单位部门", "部门单位"))
"""A tail that only repeats what the list is ("A、B等单位") names nothing of its own."""

# --- group names as import guesses them -------------------------------------------------------------------------

GROUP_LEVELS = (
    *(place + level for place in "省市县区镇乡" for level in ("直", "级", "属", "政府", "委")),
    *("全" + place for place in "省市县区镇乡"),
    "本级",
    "所属",
    "直属",
    "其他",
    "其它",
    "行业",
)
"""What may stand before a group word without changing the group: 县直各单位, 区级各部门, 市政府有关部门."""

GROUP_RELEVANT_WORDS = ("有关", "相关", "等")
"""A group that holds one of these covers only the members the task concerns: 市有关单位, 相关处室."""

GROUP_OPEN_WORDS = ("有关", "等")
"""A group that holds one of these may mean members beyond the roster (open_ended): 市税务局等市有关单位."""

GROUP_MEMBER_KINDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("村（社区）", "村(社区)", "村居", "村", "社区", "村委会", "居委会", "村（居）委会", "村(居)委会"), ("village",)),
    (
        (
            "乡镇",
            "镇",
            "乡",
            "街道",
            "镇街",
            "镇（街道）",
            "镇(街道)",
            "乡镇（街道）",
            "乡镇(街道)",
            "镇（办）",
            "镇(办)",
            "乡镇人民政府",
            "镇人民政府",
            "乡镇政府",
            "镇政府",
            "街道办事处",
            "乡镇人民政府（街道办事处）",
            "乡镇人民政府(街道办事处)",
        ),
        ("township",),
    ),
    (("处室", "科室", "处", "科", "室", "内设机构"), ("section",)),
    (("部门", "机关"), ("department", "office")),
    (("单位", "部门、单位", "部门单位", "单位部门", "成员单位"), ("department", "office", "institution")),
    (("事业单位", "直属单位"), ("institution",)),
    (("管委会", "园区", "开发区"), ("committee",)),
)
"""What the members of a group are, by the words that end its name once its level and group word are gone:
各乡镇人民政府 → township, 县直各单位 → department, office and institution. A name ending in 政府 (各县区政府,
各市人民政府) is a group of counties; nothing matched leaves the members for a person to write."""

GROUP_KIND_LABELS: Mapping[str, tuple[str, tuple[str, ...]]] = {"village": ("村（社区）", ("村", "社区", "居委会"))}
"""Kinds a guessed group may need that the built-in kinds lack, with their label and endings: import declares
them in the units.yaml it writes."""

# --- unit kinds and group coverage ------------------------------------------------------------------------------

KIND_LABELS: Mapping[str, str] = {
    "department": "部门",
    "office": "机构",
    "county": "县区",
    "committee": "管委会",
    "institution": "直属单位",
    "section": "科室",
    "township": "乡镇",
}
"""The unit kinds every table may use, with the labels the tool prints. A roster's `kinds` may relabel one
(a county's department is a 县直部门) or add its own."""

KIND_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("township", ("乡人民政府", "镇人民政府", "乡政府", "镇政府", "街道办事处", "街道办", "乡", "镇", "街道")),
    ("county", ("县政府", "区政府", "市政府", "人民政府")),
    ("committee", ("管委会", "管委")),
    ("office", ("办公室", "办")),
    ("section", ("科", "处", "室")),
    ("department", ("局", "委", "厅")),
)
"""What a name's ending says about its kind, first match first, for the roster entries gongkai suggests. A
roster's own kinds, with their `endings`, are tried before these."""

OWN_GOVERNMENT = frozenset(("市政府", "市人民政府", "县政府", "县人民政府", "区政府", "区人民政府"))
"""The table's own government, written without a place name: an office of the table's level, not a county."""

DEFAULT_KIND = "department"


def guess_kind(name: str, declared: Iterable[tuple[str, Sequence[str]]] = ()) -> str:
    """A unit kind guessed from a name: the roster's `declared` kinds (name, endings) first, then KIND_ENDINGS.

    县司法局 → department, 城关镇 → township, 乙市政府 → county, while the table's own 市政府 is an office.
    """
    if name in OWN_GOVERNMENT:
        return "office"
    for kind, endings in (*declared, *KIND_ENDINGS):
        if endings and name.endswith(tuple(endings)):
            return kind
    return DEFAULT_KIND


COVERAGE_LABELS: Mapping[str, str] = {"all": "全体成员承担", "relevant": "按职责相关承担"}
"""How a group owes a task, as units.yaml may write it (the short forms 全体 and 相关 are read too)."""
COVERAGE_SHORT = (("全体", "all"), ("相关", "relevant"))

LEDGER_ROLE_LABELS: Mapping[str, str] = {
    "lead": "牵头",
    "named": "负责",
    "support": "配合",
    "group": "全体",
    "relevant": "相关",
}
"""The role a unit has in a task as the 台账's 角色 column writes it: a filled-in 台账 is read back and its 角色
cells compared with these words, so they stay as exported."""

# --- progress ---------------------------------------------------------------------------------------------------

Status = Literal["not_started", "on_track", "done", "behind"]
STATUSES: Mapping[Status, str] = {
    "not_started": "未开始",
    "on_track": "按序时推进",
    "done": "已完成",
    "behind": "未达预期",
}
"""A progress record's status: the JSON key, and the label written in files, workbooks and listings."""

State = Literal["done", "on_track", "behind", "not_reported", "overdue", "behind_overdue"]
STATE_LABELS: Mapping[State, str] = {
    "done": "已完成",
    "on_track": "按序时推进",
    "behind": "未达预期",
    "not_reported": "未报送",
    "overdue": "逾期未完成",
    "behind_overdue": "未达预期（逾期）",
}
"""Where a unit stands on a task it owes, as the progress summary prints it."""

# --- words the tool prints: one term for one thing ---------------------------------------------------------------
# What gongkai writes in headers, messages and help uses one term for each thing, while everything above still
# reads every form tables, rosters and clerks write (协同, 协助, 全体, 相关, 序号 …).

GROUP_TERM = "统称"
"""A name that stands for several units (市政府各部门, 各县区政府): a group, as the tool calls it."""

ROLE_LABELS: Mapping[str, str] = {
    "lead": "牵头",
    "named": "负责",
    "support": "配合",
    "group": "各单位",
    "relevant": "有关单位",
}
"""The role a unit has in a task, as the tool prints it: a group's role by its kind, 各单位 (every member owes the
task) or 有关单位 (the members the task concerns). Named as the table names its two kinds of group (市政府各部门,
市政府有关部门), in words that fit a county or a management committee as well as a department."""

COVERAGE_TERMS: Mapping[str, str] = {"all": "各单位，全体成员承担", "relevant": "有关单位，按职责承担"}
"""The two kinds of group, as the header line of `unit` describes a group."""

HEADERS: Mapping[str, str] = {
    # a task
    "task_number": "任务编号",
    "old_number": "原编号",
    "section": "部分",
    "due": "截止日期",
    "time_limit": "时限",
    "requirement": "任务要求",
    "units": "责任单位",
    "co_units": "配合单位",
    "matched": "匹配",
    "month": "月份",
    "field": "项目",
    "value": "内容",
    # sections
    "heading": "标题",
    "count": "任务数",
    # units and groups
    "role": "关系",
    "via": "所属统称",
    "unit": "单位",
    "unit_or_group": "单位或统称",
    "kind": "类型",
    "total": "合计",
    "next_due": "下个截止日期",
    "contact": "联络人",
    # scoring
    "points": "分值",
    "per": "分值单位",
    "who": "适用",
    "condition": "条件",
    # progress and reminders
    "status": "状态",
    "reminder": "提醒",
    "owed": "应办",
    "overdue": "逾期",
    "rate": "完成率",
    "owing": "应报送",
    "reporting": "已报送",
    "not_reported_units": "未报送的单位",
    "reported_units": "已报送的单位",
    # diff
    "change_kind": "类别",
    "change": "变化",
    "newly_owes": "新增承担",
    "no_longer_owes": "不再承担（原编号）",
    "deadline_moved": "时限变动",
    "role_changed": "角色变动",
    # tables
    "table": "表",
    "title": "标题",
    "year": "年度",
}
"""Every column header the listings print (CSV and Markdown use them as their header row), by what it names."""

# --- punctuation ------------------------------------------------------------------------------------------------

CJK_NARROW = frozenset("“”‘’…‥—–·")
"""Chinese punctuation a terminal draws one cell wide (East Asian width "ambiguous"): it breaks like CJK text, not
like part of an ASCII word."""

# --- reading cells: time-limit words, cell grammar, scoring words -------------------------------------------------

ONGOING_PHRASES = (
    "持续推进",
    "持续开展",
    "持续实施",
    "长期坚持",
    "长期开展",
    "长期",
    "持续",
    "常态化推进",
    "常态化开展",
    "常态化实施",
    "常态化",
    "全年持续推进",
    "全年",
    "常年",
)
"""A time limit that names no date because the work goes on: 持续推进, 长期坚持, 常态化, 全年."""

PROMPT_PHRASES = (
    "按要求",
    "按规定",
    "按规定时限",
    "按时限要求",
    "按法定时限",
    "法定时限内",
    "按时",
    "定期",
    "定期更新",
    "定期公开",
    "定期发布",
)
"""A time limit that is met as things happen, with no date of its own (besides 及时, 随时, 实时 …)."""

NONE_PRINTED = ("无", "暂无", "—", "——", "-", "--", "/", "\\", "不限", "无时限", "未列明", "空")
"""What a time-limit cell prints when the table gives the task no time limit on purpose."""

LAG_UNITS = {
    "个工作日": "working_day",
    "工作日": "working_day",
    "日": "day",
    "天": "day",
    "个自然日": "day",
    "自然日": "day",
    "小时": "hour",
    "个小时": "hour",
}
"""The units of a stated lag (信息形成后7个工作日内, 24小时内), with the key JSON gives them."""

LAG_UNIT_LABELS = {"working_day": "个工作日", "day": "日", "hour": "小时"}
"""How the tool prints a lag's unit."""

JOINERS = ("以及", "及", "和", "与")
"""Words that may join two names or groups in a 责任单位 cell: 市级各有关部门及各县市区政府. They join two names only
when the text before them ends as a body's name does and the text after is a name or a group; so 市人力资源和社会
保障局 and 市文化和旅游局 stay whole."""

PLACE_LEVELS = frozenset("省市县区乡镇")
"""Single characters a list of levels is written with: 各县、市、区政府 is one group, not three names."""

INSTRUCTION_WORDS = ("以下", "上述", "均需", "均应", "均要", "不再", "一一列出", "注：", "注:", "说明：", "说明:")
"""A sentence of a 责任单位 cell holding one of these instructs the reader; it is kept as a note, not read as units."""

NO_UNIT = frozenset(("无", "暂无", "—", "——", "-", "/"))
"""What a 责任单位 cell prints when the row names no unit."""

SCORING_BONUS = ("加",)
SCORING_PENALTY = ("减", "扣", "扣除")
"""The verbs that, before a number or 分, make stated points a bonus or a penalty: 直接加5分, 予以减分, 扣2分."""

SCORING_CAPS = ("最高", "最多", "不超过", "上限", "封顶", "累计", "满分", "总分")
"""A number of points after one of these is a cap or a total, not a rule: 最高不超过10分."""

SCORING_NO_SUBJECT = ("在", "按", "直接", "予以", "给予", "每", "一律", "视情", "酌情", "并")
"""A scoring clause that starts so (or with a scoring verb: 扣2分) does not say who earns the points: its condition
includes the clause before."""
