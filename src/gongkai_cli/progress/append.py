"""Appending a progress record: the file keeps every byte it holds, and the record is checked before it is written.

Like hledger's `add`, a report appends to the unit's file and never rewrites what is there: comments and order
stay, and a missing file is created with a header that explains the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GongkaiError, Problem
from ..io.read import FileRefusedError, read_file
from ..models import Division, TaskId
from .records import (
    STATUS_KEYS,
    STATUSES,
    ProgressRecord,
    file_problems,
    fingerprint,
    node_at,
    parse_file,
    resolve_unit,
)

if TYPE_CHECKING:
    import yaml


class RecordRefusedError(GongkaiError):
    """append_record refused a record: nothing was written; str(e) says why in Chinese."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _header(unit: str) -> str:
    return (
        f"# {unit}的政务公开重点任务进展记录：每条记录是一项任务的一次报送，新记录追加在末尾。\n"
        "# task 任务序号；fingerprint 任务要求的指纹（由 gongkai 生成，要求改动后会提示核对）；date 报送日期；\n"
        "# status 未开始 | 按序时推进 | 已完成 | 未达预期；progress 工作进展情况；\n"
        "# evidence 佐证链接或相对文件路径（可选）；reported_by 报送人（可选）；period 对应周期，如 2024-Q2（可选）。\n"
        f"unit: {_quoted(unit)}\n"
        "records:\n"
    )


def _record_text(record: ProgressRecord, indent: int) -> str:
    pad = " " * indent

    def quoted(text: str) -> str:
        return _quoted(text)

    lines = [
        f"- task: {record.task}",
        f"  fingerprint: {quoted(record.fingerprint)}",
        f"  date: {record.date.isoformat()}",
        f"  status: {STATUSES.get(record.status, record.status)}",
        f"  progress: {quoted(record.progress)}",
    ]
    if record.evidence:
        lines.append(f"  evidence: [{', '.join(quoted(e) for e in record.evidence)}]")
    if record.reported_by is not None:
        lines.append(f"  reported_by: {quoted(record.reported_by)}")
    if record.period is not None:
        lines.append(f"  period: {quoted(record.period)}")
    return "".join(f"{pad}{line}\n" for line in lines)


def _is_empty(node: yaml.Node) -> bool:
    """An empty flow list (`[]`) or a null (nothing, `~`, `null`)."""
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return not node.value
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def append_record(
    folder: Path,
    division: Division,
    *,
    unit: str,
    task: TaskId,
    date: date,
    status: str,
    progress: str,
    today: date,
    evidence: Sequence[str] = (),
    reported_by: str | None = None,
    period: str | None = None,
) -> Path:
    """Append one record to ``folder/<unit>.yaml`` and return that path.

    What the file holds stays byte for byte (comments, order); a missing file is created with a header. The
    record is checked against the division first, and the whole new content replaces the file at once (a temp
    file in the same folder, then os.replace), so a reader never sees half a file. RecordRefusedError, with
    nothing written, when the record or the file it would join has a problem.
    """
    entity, reason = resolve_unit(division, unit)
    if entity is None:
        raise RecordRefusedError(f"记录未写入：{reason}")
    if any(c in entity.name for c in "/\\\0") or entity.name.startswith("."):
        raise RecordRefusedError(f"记录未写入：单位名称“{entity.name}”不能用作文件名")
    target = division.find(task)
    if target is None:
        raise RecordRefusedError(f"记录未写入：表中没有第 {task} 项任务")
    record = ProgressRecord(
        entity.name,
        division.task_id(target),
        fingerprint(target),
        date,
        STATUS_KEYS.get(status.strip(), status),  # type: ignore[arg-type]  # an unknown status is reported below
        progress,
        tuple(evidence),
        reported_by,
        period,
    )
    import yaml

    path = folder / f"{entity.name}.yaml"
    old: bytes | None = None
    node: yaml.Node | None = None
    indent = 2
    if path.exists():
        try:
            old = read_file(path)
        except FileRefusedError as e:
            raise RecordRefusedError(f"记录未写入：{path.name}{e}") from None
        source, _ = parse_file(path, old)
        node = node_at(source, ["records"]) if source is not None else None
    old_text = (old or b"").decode("utf-8-sig", errors="replace")
    if old is None:
        head, tail = _header(entity.name), ""
    elif isinstance(node, yaml.SequenceNode) and node.flow_style and node.value:
        raise RecordRefusedError(
            f"记录未写入：{path.name} 的 records 写在方括号里，无法在末尾追加；请改为每条记录以“- task: 序号”开头的写法"
        )
    elif isinstance(node, yaml.SequenceNode) and not node.flow_style:
        # The new record goes right after the last one, wherever the list ends (other keys may follow it).
        indent = node.start_mark.column
        head, tail = old_text[: node.end_mark.index], old_text[node.end_mark.index :]
    elif node is not None and _is_empty(node):
        # `records: []` or `records:` with nothing after: the list starts on the next line; the empty value goes.
        line_end = old_text.find("\n", node.end_mark.index)
        line_end = len(old_text) if line_end < 0 else line_end + 1
        head = old_text[: node.start_mark.index].rstrip(" \t") + old_text[node.end_mark.index : line_end]
        tail = old_text[line_end:]
    else:  # no records yet
        head, tail = old_text + ("" if old_text.endswith("\n") or not old_text else "\n") + "records:\n", ""
    if head and not head.endswith("\n"):
        head += "\n"
    new = (head + _record_text(record, indent) + tail).encode("utf-8")
    before = set(file_problems(path, old, division, today)) if old is not None else set()
    fresh = [p for p in file_problems(path, new, division, today) if p not in before and p.severity != "notice"]
    if fresh:
        reasons = "；".join(p.message for p in fresh)
        raise RecordRefusedError(f"记录未写入：{reasons}", fresh)
    folder.mkdir(exist_ok=True)
    from ..io.write import write_atomically

    write_atomically(path, new)
    return path


__all__ = ["RecordRefusedError", "append_record"]
