"""Rows into the lean tasks.yaml, the roster entries the roster lacks, and the cells only a person can decide.

Units are added as units, names written as groups (各乡镇, 市有关单位) as groups with a guessed coverage and
member kinds, each with `review: true`. A name the roster knows by an alias is not added. A table that prints no
time limit is said so once; a task's empty time-limit cell is recorded as 未列明 (an interpretation with a
note), so that the table loads and the person sees the rows in one line. What `check` says of the written table
is not repeated here: `import_table` runs check and reports it at the source's cells (`TaskLines`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import yaml

from ..responsibility import aliases_in, parse_responsibility, split_names
from ..safetext import unsafe_pattern
from ..schema import schema_line
from ..scoring import rule_entry, rules_in
from ..tuples import NamedTuple
from ..vocabulary import guess_kind
from .groups import group_entry, kinds_to_declare, reads_as_group
from .notice import DocumentInfo
from .rows import ImportRefusedError, Note, Row, SectionRow, SubsectionRow, TaskRow

# The time limit of a task whose table prints none: an interpretation, with the reason as its note.
NOT_PRINTED = "未列明"


class TaskLines(NamedTuple):
    """Where one written task lies in tasks.yaml (first and last line, 1-based, per field) and its source row."""

    first: int
    last: int
    fields: tuple[tuple[str, int, int], ...]
    row: TaskRow

    def place(self, line: int) -> str:
        """The source cell of the field written at `line`, else the row."""
        for field, first, last in self.fields:
            if first <= line <= last:
                source_field = {"lead_text": "responsibility", "support_text": "responsibility"}.get(field, field)
                return self.row.place(source_field)
        return self.row.where


class ImportResult(NamedTuple):
    """The lean tasks.yaml text, the roster entries to add (each with review: true), and the notes."""

    tasks_yaml: str
    new_units: list[dict[str, Any]]
    notes: list[Note]
    tasks: int
    sections: int
    new_groups: list[dict[str, Any]]
    new_kinds: list[dict[str, Any]]
    lines: tuple[TaskLines, ...]
    # (written, roster name): a roster alias the table writes, to record as a variant of that unit.
    new_variants: list[tuple[str, str]]


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing a text with line breaks as a literal block (|-) where YAML allows it."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _name_notes(name: str, where: str) -> list[Note]:
    """A name a reader would not write for a unit: a cut phrase or a list run together."""
    if len(name) < 2 or len(name) > 30:
        return [Note(where, f"单位名称“{name}”长度异常，请核对是否分隔有误")]
    if any(ch.isdigit() for ch in name) or re.search(r"[^\u4e00-\u9fff（）()〔〕A-Za-z]", name):
        return [Note(where, f"单位名称“{name}”含数字或符号，请核对")]
    return []


class _Roster:
    """The names a roster knows and the entries an import adds to it."""

    def __init__(
        self,
        names: Collection[str],
        aliases: Mapping[str, str],
        kinds: Sequence[tuple[str, Sequence[str]]],
        unit_kinds: Collection[str],
    ) -> None:
        self.names, self.aliases, self.kinds = names, aliases, kinds
        self.unit_kinds = set(unit_kinds)
        self.units: list[dict[str, Any]] = []
        self.group_names: list[str] = []
        # Names the roster knows as aliases (市发改委): written forms of its units, not new units.
        self.variants: list[tuple[str, str]] = []
        self.seen: set[str] = set()
        self.notes: list[Note] = []

    def add(self, written: str, where: str) -> None:
        name = unsafe_pattern(newlines=True).sub("", written)
        if name in self.names or name in self.seen:
            return
        self.seen.add(name)
        if name in self.aliases:
            self.variants.append((name, self.aliases[name]))
            return
        pair = aliases_in(name)
        if pair is not None and any(p in self.names or p in self.aliases for p in pair):
            return
        base, alias = pair or (name, None)
        if base in self.seen and base != name:
            return
        self.seen.add(base)
        if reads_as_group(base):
            self.group_names.append(base)
            return
        entry: dict[str, Any] = {"name": base, "kind": guess_kind(base, self.kinds)}
        if alias:
            entry["aliases"] = [alias]
        entry["review"] = True
        self.units.append(entry)
        self.notes += _name_notes(base, where)

    def groups(self) -> list[dict[str, Any]]:
        """The guessed groups, their member kinds narrowed to the kinds the roster and the new units have."""
        kinds = self.unit_kinds | {u["kind"] for u in self.units}
        return [group_entry(name, kinds) for name in self.group_names]


def to_table(
    rows: Sequence[Row],
    document: DocumentInfo,
    roster_names: Collection[str],
    *,
    roster_aliases: Mapping[str, str] | None = None,
    roster_kinds: Sequence[tuple[str, Sequence[str]]] = (),
    roster_unit_kinds: Collection[str] = (),
    source_name: str = "",
) -> ImportResult:
    """The lean tasks.yaml text, the roster entries for unknown names, and the notes, from a source's rows.

    `roster_names` are the names and written variants the roster knows; `roster_aliases` its other names (alias
    -> name), which count for a name written with an alias in brackets (市府办〔市大数据局〕), as `check` reads
    them. `roster_kinds` are the kinds the roster declares with the endings of their names (township: 镇, 乡): a
    new name's kind is guessed from them first. `roster_unit_kinds` are the kinds the roster has units of: a
    guessed group's member kinds are narrowed to them.
    """
    if document.year is None:
        raise ImportRefusedError("无法从来源中确定计划年度，请用 --year 指定")
    year = document.year
    roster = _Roster(roster_names, roster_aliases or {}, roster_kinds, roster_unit_kinds)
    notes: list[Note] = []
    sections: list[dict[str, Any]] = []
    flat: list[tuple[dict[str, Any], TaskRow]] = []
    placed: list[tuple[dict[str, Any], TaskRow]] = []
    section: dict[str, Any] | None = None
    subsection: dict[str, Any] | None = None
    numbered = unnumbered = 0
    without_limit: list[TaskRow] = []
    for row in rows:
        if isinstance(row, SectionRow):
            section = _heading_dict(row.numeral, row.title)
            sections.append(section)
            subsection = None
            continue
        if isinstance(row, SubsectionRow):
            if section is None:
                notes.append(Note(row.where, f"小标题“{row.title}”之前没有部分标题，已作为部分导入"))
                section = _heading_dict(row.numeral, row.title)
                sections.append(section)
                continue
            subsection = _heading_dict(row.numeral, row.title)
            section.setdefault("subsections", []).append(subsection)
            continue
        task: dict[str, Any] = {}
        if row.number is not None:
            task["number"] = row.number
            numbered += 1
        else:
            unnumbered += 1
        for key in ("work_item", "requirement", "responsibility", "lead_text", "support_text", "time_limit"):
            value = getattr(row, key)
            if value:
                task[key] = value
        labelled = dict(parse_responsibility(row.responsibility).fields) if row.responsibility else {}
        if not row.time_limit and labelled.get("time_limit"):
            # 完成时限：长期坚持 written inside the 责任单位 cell: the row's time limit, in the row's own words.
            task["time_limit"] = labelled["time_limit"]
        elif not row.time_limit:
            task["time_limit"] = {"text": NOT_PRINTED, "note": "原表未列时限"}
            without_limit.append(row)
        if scoring := [rule_entry(rule) for rule in rules_in(row.requirement or "")]:
            task["scoring"] = scoring
        for text in () if row.shifted else (row.responsibility, row.lead_text, row.support_text):
            for written in split_names(text or ""):
                roster.add(written, row.place("responsibility"))
        if subsection is not None:
            subsection.setdefault("tasks", []).append(task)
        elif section is not None:
            section.setdefault("tasks", []).append(task)
        else:
            flat.append((task, row))
            continue
        placed.append((task, row))
    task_count = len(placed) + len(flat)
    if task_count == 0:
        raise ImportRefusedError("表中没有找到任何任务行")
    if numbered and unnumbered:
        notes.append(Note(source_name, f"{numbered} 个任务有序号，{unnumbered} 个没有：序号要么都有，要么都没有"))
    if flat and sections:
        notes.append(Note(source_name, "有的任务在部分标题之前：请把它们移入某个部分"))
    notes += _limit_notes(without_limit, task_count, source_name)
    doc: dict[str, Any] = {}
    for key in ("issuer", "notice_title", "number", "addressees", "body", "signatory", "date_text", "date"):
        value = getattr(document, key)
        if value:
            doc[key] = value
    doc["title"] = document.title or f"{year}年政务公开重点任务分工"
    if not document.title:
        notes.append(Note(source_name, "未找到表格标题，已暂用“{}”，请改为原文标题".format(doc["title"])))
    doc["year"] = year
    if document.columns:
        doc["columns"] = list(document.columns)
    data: dict[str, Any] = {"document": doc}
    if sections:
        data["sections"] = sections
    if flat:
        data["tasks"] = [task for task, _ in flat]
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
    # The schema line comes first here, so that the task lines below are those of the file as written.
    header = schema_line("tasks.yaml") + (
        f"# {doc['title']} — 由 gongkai import 从{('“' + source_name + '”') if source_name else '原表'}导入。\n"
        "# 每个任务保存原表的单元格文字；牵头、负责落实、配合单位和时限含义由 gongkai 从文字读出。\n"
        "# 导入后请逐条核对导入时列出的提示，再运行 gongkai check。\n"
    )
    text = header + body
    lines = _task_lines(text, [row for _, row in placed], [row for _, row in flat])
    groups = roster.groups()
    return ImportResult(
        text,
        roster.units,
        notes + roster.notes,
        task_count,
        len(sections),
        groups,
        kinds_to_declare(groups, roster_unit_kinds),
        lines,
        roster.variants,
    )


def _limit_notes(without: Sequence[TaskRow], tasks: int, source_name: str) -> list[Note]:
    """One line for the tasks whose table prints no time limit: the whole table, or the rows that lack one."""
    if not without:
        return []
    if len(without) == tasks:
        message = f"原表没有时限：{tasks} 项任务的时限都记为“{NOT_PRINTED}”（按持续推进理解，见各任务的 note）"
        return [Note(source_name, message, needs_person=False)]
    shown = "、".join(row.where for row in without[:5]) + ("等" if len(without) > 5 else "")
    message = f"{len(without)} 项任务的时限单元格为空（{shown}），已记为“{NOT_PRINTED}”：如原表有时限请补上"
    return [Note(without[0].place("time_limit"), message)]


def _task_lines(text: str, placed: Sequence[TaskRow], flat: Sequence[TaskRow]) -> tuple[TaskLines, ...]:
    """Where each task of the written text lies, with its source row, for reporting check's problems there."""
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return ()
    top = {key.value: value for key, value in root.value}
    nodes: list[yaml.Node] = []
    for section in _items(top.get("sections")):
        parts = {key.value: value for key, value in section.value} if isinstance(section, yaml.MappingNode) else {}
        nodes += _items(parts.get("tasks"))
        for sub in _items(parts.get("subsections")):
            if isinstance(sub, yaml.MappingNode):
                nodes += _items({key.value: value for key, value in sub.value}.get("tasks"))
    placed_nodes = nodes
    flat_nodes = _items(top.get("tasks"))
    out = []
    for node, row in (*zip(placed_nodes, placed, strict=False), *zip(flat_nodes, flat, strict=False)):
        fields = tuple(
            (key.value, key.start_mark.line + 1, value.end_mark.line + (0 if value.end_mark.column == 0 else 1))
            for key, value in node.value
        )
        out.append(TaskLines(node.start_mark.line + 1, node.end_mark.line + 1, fields, row))
    return tuple(out)


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _heading_dict(numeral: str | None, title: str) -> dict[str, Any]:
    heading: dict[str, Any] = {}
    if numeral is not None:
        heading["numeral"] = numeral
    heading["title"] = title
    return heading


__all__ = ["NOT_PRINTED", "ImportResult", "TaskLines", "to_table"]
