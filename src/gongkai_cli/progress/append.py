"""Appending a progress record: the file keeps every byte it holds, and the record is checked before it is written.

Like hledger's `add`, a report appends to the unit's file and never rewrites what is there: comments and order
stay, and a missing file is created with a header that explains the fields.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GongkaiError, Problem
from ..io.read import FileRefusedError, read_file
from ..models import Division, TaskId
from ..tuples import NamedTuple
from ..vocabulary import STATUSES
from .records import (
    STATUS_KEYS,
    CheckContext,
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

    def __init__(self, message: str, problems: Sequence[Problem] = (), index: int | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems)
        # Of a batch (append_records), the position of the report refused.
        self.index = index


class NewRecord(NamedTuple):
    """What one report says, before it is checked: the unit as written, a status label or key."""

    unit: str
    task: TaskId
    date: date
    status: str
    progress: str
    evidence: tuple[str, ...] = ()
    reported_by: str | None = None
    period: str | None = None


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _header(unit: str) -> str:
    return (
        f"# {unit}的政务公开重点任务进展记录：每条记录是一项任务的一次报送，新记录追加在末尾。\n"
        "# task 任务编号；fingerprint 任务要求的指纹（由 gongkai 生成，要求改动后会提示核对）；date 报送日期；\n"
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


def checked_record(division: Division, report: NewRecord) -> ProgressRecord:
    """The record a report makes, its unit and task found in the division; else RecordRefusedError."""
    entity, reason = resolve_unit(division, report.unit)
    if entity is None:
        raise RecordRefusedError(f"记录未写入：{reason}")
    if any(c in entity.name for c in "/\\\0") or entity.name.startswith("."):
        raise RecordRefusedError(f"记录未写入：单位名称“{entity.name}”不能用作文件名")
    target = division.find(report.task)
    if target is None:
        raise RecordRefusedError(f"记录未写入：表中没有第 {report.task} 项任务")
    return ProgressRecord(
        entity.name,
        division.task_id(target),
        fingerprint(target),
        report.date,
        STATUS_KEYS.get(report.status.strip(), report.status),  # type: ignore[arg-type]  # an unknown status is reported below
        report.progress,
        tuple(report.evidence),
        report.reported_by,
        report.period,
    )


Signature = tuple[int, int, int, int]


def signature(path: Path) -> Signature | None:
    """What tells a file replaced or changed since it was read (inode, device, size, mtime); None when missing."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns


def read_unit_file(path: Path) -> tuple[bytes | None, Signature | None]:
    """A unit's progress file as it stands (None when missing) and its signature. A link, device or pipe at the
    path is refused: records are written only into regular files."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, None
    if not stat.S_ISREG(info.st_mode):
        kind = "符号链接" if stat.S_ISLNK(info.st_mode) else "普通文件以外的对象（文件夹、设备、管道等）"
        raise RecordRefusedError(f"记录未写入：{path.name} 是{kind}，记录只写入普通文件")
    try:
        raw = read_file(path)
    except FileRefusedError as e:
        raise RecordRefusedError(f"记录未写入：{path.name}{e}") from None
    return raw, signature(path)


def appended(path: Path, old: bytes | None, records: Sequence[ProgressRecord]) -> tuple[bytes, list[int]]:
    """The file's bytes with `records` (all of one unit) appended, and the line each record starts on.

    What the file holds stays byte for byte (comments, order); a missing file gets a header.
    """
    import yaml

    node: yaml.Node | None = None
    indent = 2
    if old is not None:
        source, _ = parse_file(path, old)
        node = node_at(source, ["records"]) if source is not None else None
    old_text = (old or b"").decode("utf-8-sig", errors="replace")
    if old is None:
        head, tail = _header(records[0].unit), ""
    elif isinstance(node, yaml.SequenceNode) and node.flow_style and node.value:
        raise RecordRefusedError(
            f"记录未写入：{path.name} 的 records 写在方括号里，无法在末尾追加；请改为每条记录以“- task: 任务编号”开头的写法"
        )
    elif isinstance(node, yaml.SequenceNode) and not node.flow_style:
        # The new records go right after the last one, wherever the list ends (other keys may follow it).
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
    texts = [_record_text(record, indent) for record in records]
    starts = []
    line = head.count("\n") + 1
    for text in texts:
        starts.append(line)
        line += text.count("\n")
    return (head + "".join(texts) + tail).encode("utf-8"), starts


def fresh_problems(
    path: Path, old: bytes | None, new: bytes, division: Division, today: date, context: CheckContext
) -> list[Problem]:
    """The problems (notices aside) that `new` has and the file as it was did not."""
    before = set(file_problems(path, old, division, today, context)) if old is not None else set()
    return [p for p in file_problems(path, new, division, today, context) if p not in before and p.severity != "notice"]


def refusal(problems: Sequence[Problem], index: int | None = None) -> RecordRefusedError:
    """The refusal naming every problem of the new records."""
    return RecordRefusedError("记录未写入：" + "；".join(p.message for p in problems), problems, index)


def finish_interrupted_batches(folder: Path) -> None:
    """Complete what an interrupted `append_records` left (see journal.py) before writing; else refuse."""
    from .journal import finish_interrupted

    problems = finish_interrupted(folder)
    if problems:
        raise RecordRefusedError("记录未写入：" + "；".join(p.message for p in problems))


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
    record is checked against the division first. The unit file's lock (io.write.locked) is held from reading
    the file to replacing it, so concurrent reports all land; the whole new content replaces the file at once,
    so a reader never sees half a file. RecordRefusedError, with nothing written, when the record or the file
    it would join has a problem, or when the file is not a regular file.
    """
    from ..io.write import WriteRefusedError, locked, write_file

    record = checked_record(
        division, NewRecord(unit, task, date, status, progress, tuple(evidence), reported_by, period)
    )
    path = folder / f"{record.unit}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    finish_interrupted_batches(folder)
    with locked(path):
        old, before = read_unit_file(path)
        new, _ = appended(path, old, [record])
        fresh = fresh_problems(path, old, new, division, today, CheckContext(division, today))
        if fresh:
            raise refusal(fresh)
        if signature(path) != before:
            raise RecordRefusedError(f"记录未写入：{path.name} 在写入时被其他程序改动；请重新报送")
        try:
            write_file(path, new)
        except WriteRefusedError as e:
            raise RecordRefusedError(f"记录未写入：{e}") from None
    return path


__all__ = [
    "NewRecord",
    "RecordRefusedError",
    "append_record",
    "appended",
    "checked_record",
    "fresh_problems",
    "read_unit_file",
    "refusal",
    "signature",
]
