"""Re-pointing progress records at a reworded or renumbered task, by the matching that `diff` makes.

A record names its task by number and by the fingerprint of the requirement it was reported against. When the
table changes, the records written against an older version are matched to that version's task by number and
fingerprint, and that task is followed to the new table by `diff.match.match_tasks`. Each record that then points
elsewhere has its `task` and `fingerprint` rewritten in place, in the file as it is (comments and layout kept),
through the one writer. Nothing is written when any record's match is ambiguous.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, GongkaiError
from ..models import Division, Task, TaskId
from ..tuples import NamedTuple
from .records import fingerprint, node_at, parse_file

if TYPE_CHECKING:
    import yaml

# A reworded task is ambiguous when another task of the new table comes this close to the chosen one's similarity.
AMBIGUITY_MARGIN = 0.05


class Repointed(NamedTuple):
    """One record re-pointed: where it is written, and its task and fingerprint before and after."""

    path: Path
    line: int
    old_task: TaskId
    old_fingerprint: str
    new_task: TaskId
    new_fingerprint: str


class Left(NamedTuple):
    """A record that cannot be re-pointed, and why (Chinese)."""

    path: Path
    line: int
    reason: str


class RepointPlan(NamedTuple):
    """What re-pointing would do: the records it rewrites, those it leaves (a removed task, an unknown
    fingerprint) and those whose match is ambiguous (any of which stops the rewriting)."""

    changes: tuple[Repointed, ...]
    left: tuple[Left, ...]
    ambiguous: tuple[Left, ...]


class RepointRefusedError(GongkaiError):
    """Re-pointing was refused: a record's match is ambiguous; nothing was written."""


class _Record(NamedTuple):
    path: Path
    line: int
    task: TaskId
    fingerprint: str
    task_node: yaml.Node
    fingerprint_node: yaml.Node


def _records(folder: Path) -> tuple[dict[Path, str], list[_Record]]:
    """The text of each progress file and its records' task and fingerprint nodes (records it cannot read skipped:
    `check` names them)."""
    from ..io.read import FileRefusedError, read_file
    from ..io.yamlfile import decode

    texts: dict[Path, str] = {}
    found: list[_Record] = []
    if not folder.is_dir():
        return texts, found
    for path in sorted(p for p in folder.iterdir() if p.suffix == ".yaml" and not p.name.startswith(".")):
        try:
            raw = read_file(path)
            source, _ = parse_file(path, raw)
        except (FileRefusedError, DataError):
            continue
        entries = node_at(source, ["records"]) if source is not None else None
        if source is None or entries is None:
            continue
        texts[path] = decode(path, raw)
        for index in range(len(entries.value) if isinstance(entries.value, list) else 0):
            task_node = node_at(source, ["records", index, "task"])
            print_node = node_at(source, ["records", index, "fingerprint"])
            if task_node is None or print_node is None or not str(task_node.value).isdigit():
                continue
            line = task_node.start_mark.line + 1
            found.append(
                _Record(
                    path, line, _identity(task_node.value), str(print_node.value).strip().lower(), task_node, print_node
                )
            )
    return texts, found


def _identity(value: str) -> TaskId:
    """A record's task as YAML wrote it: 17, or 2-1 where numbers restart by section."""
    return int(value) if value.isdigit() else value


def _follow(old: Division, new: Division) -> tuple[dict[TaskId, Task | None], dict[TaskId, str]]:
    """Each old task's partner in the new table (None when removed), and why an old task's match is ambiguous."""
    from ..diff.match import SIMILARITY_THRESHOLD, bigrams, dice, match_tasks
    from ..diff.wording import text_key

    pairs = match_tasks(old.tasks, new.tasks)
    partner = {old.task_id(o): n for o, n in pairs if o is not None}
    old_keys = [text_key(t.requirement) for t in old.tasks]
    free_new = [t for t in new.tasks if text_key(t.requirement) not in set(old_keys)]
    doubts: dict[TaskId, str] = {}
    for task, key in zip(old.tasks, old_keys, strict=True):
        ident = old.task_id(task)
        chosen = partner.get(ident)
        twins = [old.task_id(t) for t, k in zip(old.tasks, old_keys, strict=True) if k == key and t is not task]
        if twins:
            doubts[ident] = f"旧表第 {ident} 项与第 {twins[0]} 项要求相同，无法确定对应哪一项"
            continue
        if chosen is None or text_key(chosen.requirement) == key:
            continue
        grams = bigrams(key)
        score = dice(grams, bigrams(text_key(chosen.requirement)))
        rivals = [
            new.task_id(t)
            for t in free_new
            if t is not chosen
            and (other := dice(grams, bigrams(text_key(t.requirement)))) >= SIMILARITY_THRESHOLD
            and other >= score - AMBIGUITY_MARGIN
        ]
        if rivals:
            doubts[ident] = (
                f"旧表第 {ident} 项与新表第 {new.task_id(chosen)} 项、第 {rivals[0]} 项都相近，无法确定对应哪一项"
            )
    return partner, doubts


def plan_repoint(old: Division, new: Division, folder: Path) -> RepointPlan:
    """What re-pointing the records of the progress `folder` from the `old` version of the table to `new` does."""
    current = {new.task_id(task): fingerprint(task) for task in new.tasks}
    old_prints: dict[str, list[Task]] = {}
    for task in old.tasks:
        old_prints.setdefault(fingerprint(task), []).append(task)
    partner, doubts = _follow(old, new)
    changes: list[Repointed] = []
    left: list[Left] = []
    ambiguous: list[Left] = []
    for record in _records(folder)[1]:
        if current.get(record.task) == record.fingerprint:
            continue  # points at its task already
        candidates = old_prints.get(record.fingerprint, [])
        by_number = [t for t in candidates if old.task_id(t) == record.task]
        if len(by_number) == 1 or len(candidates) == 1:
            source = (by_number or candidates)[0]
        elif candidates:
            numbers = "、".join(str(old.task_id(t)) for t in candidates)
            ambiguous.append(Left(record.path, record.line, f"指纹 {record.fingerprint} 对应旧表第 {numbers} 项"))
            continue
        else:
            left.append(Left(record.path, record.line, f"旧版本中没有指纹为 {record.fingerprint} 的任务"))
            continue
        source_id = old.task_id(source)
        if source_id in doubts:
            ambiguous.append(Left(record.path, record.line, doubts[source_id]))
            continue
        target = partner.get(source_id)
        if target is None:
            left.append(Left(record.path, record.line, f"旧表第 {source_id} 项在新表中已删除"))
            continue
        changes.append(
            Repointed(
                record.path,
                record.line,
                record.task,
                record.fingerprint,
                new.task_id(target),
                current[new.task_id(target)],
            )
        )
    return RepointPlan(tuple(changes), tuple(left), tuple(ambiguous))


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def apply_repoint(plan: RepointPlan, folder: Path) -> list[Path]:
    """Rewrite the records of `plan` in place, each file through the one writer; the files written.

    RepointRefusedError (nothing written) when the plan holds an ambiguous match.
    """
    from ..io.read import read_file
    from ..io.write import locked, write_file
    from ..io.yamlfile import decode

    if plan.ambiguous:
        raise RepointRefusedError(f"有 {len(plan.ambiguous)} 条记录无法确定对应的任务，一条记录也没有改写")
    wanted = {(c.path, c.line): c for c in plan.changes}
    texts, records = _records(folder)
    edits: dict[Path, list[tuple[int, int, str]]] = {}
    for record in records:
        change = wanted.get((record.path, record.line))
        if change is None:
            continue
        spans = edits.setdefault(record.path, [])
        spans.append((record.task_node.start_mark.index, record.task_node.end_mark.index, str(change.new_task)))
        node = record.fingerprint_node
        spans.append((node.start_mark.index, node.end_mark.index, _quoted(change.new_fingerprint)))
    # Every file's lock is held from the check that it is still what the plan read to its rewrite, so that a
    # record `report` appends meanwhile is never written over.
    with contextlib.ExitStack() as held:
        for path in sorted(edits):
            held.enter_context(locked(path))
        changed = [path for path in sorted(edits) if decode(path, read_file(path)) != texts[path]]
        if changed:
            names = "、".join(path.name for path in changed)
            raise RepointRefusedError(f"{names} 在改写前又有了改动，一条记录也没有改写；请重新运行 gongkai repoint")
        for path, spans in edits.items():
            text = texts[path]
            for start, end, replacement in sorted(spans, reverse=True):
                text = text[:start] + replacement + text[end:]
            write_file(path, text.encode("utf-8"))
    return list(edits)


__all__ = [
    "AMBIGUITY_MARGIN",
    "Left",
    "RepointPlan",
    "RepointRefusedError",
    "Repointed",
    "apply_repoint",
    "plan_repoint",
]
