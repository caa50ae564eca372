"""The registry of problem codes: the stable `code` of every problem, a public contract.

`check --format json` prints each problem's code, and editors, CI jobs and scripts may act on it. A code is
added here with its meaning; it is never renamed or given another meaning. The README's table of codes is
tested against `MEANINGS`.
"""

from __future__ import annotations

from collections.abc import Mapping

# Reading a file
FILE = "file"
ENCODING = "encoding"
YAML = "yaml"
DUPLICATE_KEY = "duplicate-key"
NESTING = "nesting"
ALIAS_EXPANSION = "alias-expansion"
UNSAFE_CHARACTER = "unsafe-character"
SCHEMA = "schema"
INVALID = "invalid"

# Checking a table and its roster
ROSTER = "roster"
DOCUMENT = "document"
HEADING = "heading"
NUMBERING = "numbering"
UNIT = "unit"
TIME_LIMIT = "time-limit"
SCORING = "scoring"

# Checking progress records
PROGRESS_FIELD = "progress-field"
PROGRESS_SCHEMA = "progress-schema"
PROGRESS_UNIT = "progress-unit"
PROGRESS_FILENAME = "progress-filename"
PROGRESS_TASK = "progress-task"
PROGRESS_FINGERPRINT = "progress-fingerprint"
PROGRESS_DATE = "progress-date"
PROGRESS_STATUS = "progress-status"
PROGRESS_EVIDENCE = "progress-evidence"
PROGRESS_PERIOD = "progress-period"
PROGRESS_OWE = "progress-owe"
PROGRESS_DUPLICATE = "progress-duplicate"
PROGRESS_JOURNAL = "progress-journal"

MEANINGS: Mapping[str, str] = {
    FILE: "数据文件无法读取：不存在、不是普通文件、过大或没有权限",
    ENCODING: "文件不是 UTF-8 编码（如 GBK、UTF-16），或含无法解码的字节",
    YAML: "YAML 语法错误（缩进、冒号、引号等）",
    DUPLICATE_KEY: "同一映射中的键重复",
    NESTING: "嵌套层数过深",
    ALIAS_EXPANSION: "别名（*）展开后节点过多",
    UNSAFE_CHARACTER: "文字中有控制字符、双向控制符或零宽字符",
    SCHEMA: "字段缺失、类型不符或字段未知",
    INVALID: "其他数据问题",
    ROSTER: "名单（units.yaml）的问题：名称冲突、统称成员、单位类型、待核对的条目，或可粘贴的新条目",
    DOCUMENT: "表的文件信息（document）：印发日期、计划年度或期间不一致",
    HEADING: "部分与小标题的结构或序号",
    NUMBERING: "任务编号重复、不按顺序或跳号过多",
    UNIT: "责任单位不在名单中，或与存储的牵头、负责、配合单位不符",
    TIME_LIMIT: "时限无法读取、有两种读法、与存储的含义不符，或日期离计划年度太远",
    SCORING: "考评加减分规则与具体要求的文字不符",
    PROGRESS_FIELD: "进展文件或记录中有未知字段",
    PROGRESS_SCHEMA: "进展记录缺少必填字段，或字段类型不符",
    PROGRESS_UNIT: "进展文件未写单位，或单位不在名单中",
    PROGRESS_FILENAME: "进展文件名与其中的单位不符",
    PROGRESS_TASK: "进展记录的任务编号不在表中",
    PROGRESS_FINGERPRINT: "进展记录的指纹无效，或任务的具体要求已改动",
    PROGRESS_DATE: "进展记录的日期无效、不在表的期间内，或晚于今天",
    PROGRESS_STATUS: "进展记录的状态不是可选的状态之一",
    PROGRESS_EVIDENCE: "进展记录的佐证不是 http(s) 链接或相对文件路径",
    PROGRESS_PERIOD: "进展记录的周期无效、不在计划年度内，或尚未开始",
    PROGRESS_OWE: "单位不承担所报送的任务",
    PROGRESS_DUPLICATE: "与另一条记录完全相同的进展记录",
    PROGRESS_JOURNAL: "一批中断的进展写入（report --from）无法补完或撤回",
}
"""Every problem code, with a one-line meaning, in the order the README lists them."""
