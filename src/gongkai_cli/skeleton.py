"""`gongkai init`: a commented skeleton of a new table that passes `check`, written by the one writer.

The skeleton is the data format's own documentation: every field a clerk may write is there, explained in
Chinese, with one example task in the lean form (only the printed cells). Each file's first line points editors
at the format's JSON Schema, written beside the tables in .schema (see `schema`).
"""

from __future__ import annotations

from pathlib import Path

from .errors import GongkaiError
from .schema import schema_line, write_schemas
from .workspace import TASKS_FILE, UNITS_FILE

TASKS_SKELETON = """\
# 任务表（gongkai 数据格式）。只需照原表逐字录入“印出来的格子”，其余由 gongkai 从文字读出。
# 改完后运行：gongkai check
#
# document：表的标题和计划年度必填；发文单位、文号、日期有就写，没有可删去。
document:
  title: {title}
  year: {year}
  # issuer: 某某办公室
  # number: 某政办〔{year}〕1号
  # date: {year}-03-01
  # date_text: {year}年3月1日

# 任务可以分部分（sections）和小标题（subsections），也可以不分，直接写在顶层 tasks 下。
sections:
  - numeral: 一            # 原表的序号“一、”；原表没有就删去这一行
    title: 第一部分的标题
    subsections:
      - numeral: 一        # 原表的“（一）”；工作任务列合并多行的格子就是小标题
        title: 第一个小标题
        tasks:
          - number: 1      # 任务编号：原表印了就照写；原表没有就都不写，按先后自动排
            requirement: 具体要求，照原表逐字录入。
            # 责任单位，照原表逐字录入；牵头、负责落实、配合等由文字读出。
            # 原表牵头、配合分两列时，改写 lead_text: 和 support_text: 两行。
            responsibility: 示例单位牵头，各示例单位负责落实
            # 时限要求，照原表逐字录入：9月底前、年底前、每季度、持续推进、及时……
            time_limit: 年底前
            # 原表每行都有“工作任务”格子时写在这里：
            # work_item: 工作任务
"""

UNITS_SKELETON = """\
# 单位名册：表中出现的每个单位和统称。新表里出现名册没有的名称时，gongkai check 会给出可粘贴的条目。
#
# kind（类型）可写英文或中文：department 部门、office 机构、county 县区、committee 管委会、
# institution 直属单位、section 科室、township 乡镇；也可在 kinds 中自行声明。
# review: true 表示这一条是按猜测写入的，核对后删去即可。
units:
  - name: 示例单位          # 表中的写法
    kind: department
    # full_name: 示例单位全称
    # variants: [{{text: 另一种写法, note: 为什么是同一单位（解读）}}]
    # aliases: [简称]
    # contact: 联络人姓名 电话       # 提醒（gongkai remind）中点名的联络人
  - name: 示例单位乙
    kind: department

# 统称：如“市政府各部门”“各县区政府”。coverage 为 all（各部门：全体成员承担）或 relevant（有关部门：按职责承担）。
groups:
  - name: 各示例单位
    coverage: all
    members: [示例单位, 示例单位乙]   # 或 member_kinds: [department]

# kinds:                      # 自定义的单位类型
#   - {{name: station, label: 站所}}
"""


# YAML reads each of these as a line break, so a scalar holding one must be written with escapes.
_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


class InitError(GongkaiError):
    """The target folder already holds data and --force was not given, or cannot be written."""


def yaml_scalar(value: str | int) -> str:
    """`value` as one YAML scalar on one line, as a YAML emitter quotes it: plain where that reads back the same,
    else single-quoted, else (a line break, a character that needs escaping) double-quoted with escapes."""
    import yaml

    text: str = yaml.safe_dump({"v": value}, allow_unicode=True, width=float("inf"))
    scalar = text.split(": ", 1)[1].removesuffix("\n")
    if not any(c in scalar for c in _LINE_BREAKS):
        return scalar
    text = yaml.safe_dump({"v": value}, allow_unicode=True, width=float("inf"), default_style='"')
    return text.split(": ", 1)[1].removesuffix("\n")


def _title_problem(title: str) -> str | None:
    """Why `check` would refuse the title (empty, not UTF-8, an invisible character, a line a CI
    log obeys); None if it would not."""
    from .safetext import describe, unsafe_pattern

    if not title.strip():
        return "标题不能为空"
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:
        return "标题含有无法写成 UTF-8 的字符（命令行参数不是有效的 UTF-8）"
    found = unsafe_pattern().search(title)
    if found is not None:
        return f"标题中有不可见的{describe(found.group())}，数据中不允许；请删除它"
    if any(line.lstrip().startswith("::") for line in title.split("\n")):
        return "标题中有一行以“::”开头，CI 日志会把它当作命令执行；请改写这一行"
    return None


def write_skeleton(folder: Path, *, title: str, year: int, force: bool = False) -> list[Path]:
    """Write tasks.yaml, units.yaml and their schemas into `folder` (created if missing); refuse to overwrite without `force`, and
    refuse a title `check` would refuse.

    Every value put into the template is quoted as a YAML emitter would (yaml_scalar), so any title reads back as
    written. A new folder appears whole or not at all; in an existing one each file is either the old one or the
    whole new one (io.write.write_folder). On failure no folder is left behind.
    """
    targets = {folder / TASKS_FILE: TASKS_SKELETON, folder / UNITS_FILE: UNITS_SKELETON}
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        names = "、".join(path.name for path in existing)
        raise InitError(f"{folder} 中已有 {names}；如确要覆盖，请加 --force")
    problem = _title_problem(title)
    if problem is not None:
        raise InitError(problem)
    tasks = TASKS_SKELETON.format(title=yaml_scalar(title), year=yaml_scalar(year))
    files = {
        TASKS_FILE: (schema_line(TASKS_FILE) + tasks).encode("utf-8"),
        UNITS_FILE: (schema_line(UNITS_FILE) + UNITS_SKELETON).encode("utf-8"),
    }
    from .io.write import write_folder

    try:
        write_folder(folder, files)
        write_schemas(folder)
    except OSError as e:
        from .errors import os_reason

        raise InitError(f"无法写入 {folder}（{os_reason(e)}）") from None
    return list(targets)


__all__ = ["InitError", "write_skeleton", "yaml_scalar"]
