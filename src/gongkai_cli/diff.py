"""What changed between two versions of a table: tasks added, removed, renumbered and reworded, and who is affected.

Tasks are matched by their requirement text, not by number, so that removing task 3 does not make every later
task look changed. Exact texts (whitespace ignored) are paired first; the rest are paired by the similarity of
their character bigrams (Dice coefficient), comparing only the pairs that an inverted bigram index proposes.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from .errors import DataError, GongkaiError, LookupFailedError
from .models import Division, Group, Task, TimeLimit
from .owing import Entity, obligations
from .query import due_dates, entities, resolve
from .render import Column, Format, Listing, Row, emit, md_text
from .tuples import NamedTuple

if TYPE_CHECKING:
    from rich.console import Console


class VersionNotFoundError(GongkaiError):
    """A version argument names no folder, table or git revision; str(e) lists what was tried."""


# --- matching ---------------------------------------------------------------------------------------------

# Two requirements are the same task reworded when their bigram sets have at least this Dice coefficient.
SIMILARITY_THRESHOLD = 0.5
# How many of the best-sharing candidates of a task get their exact coefficient computed.
CANDIDATES_PER_TASK = 16
# A bigram found in more old tasks than this (and than an eighth of them) proposes no candidates: 政务, 公开 …
# would otherwise make every pair a candidate. Rarer bigrams still find a reworded task.
COMMON_BIGRAM = 64


def text_key(text: str) -> str:
    """A requirement as matching compares it: without whitespace (line breaks are layout)."""
    return "".join(text.split())


def bigrams(key: str) -> frozenset[str]:
    """The character bigrams of a text; a one-character text stands for itself."""
    return frozenset(key[i : i + 2] for i in range(len(key) - 1)) or frozenset({key})


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """The Dice coefficient of two bigram sets: 1.0 for equal sets, 0.0 for disjoint ones."""
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def match_tasks(old: Sequence[Task], new: Sequence[Task]) -> list[tuple[Task | None, Task | None]]:
    """Pairs (old task, new task) of the same task: matched ones and added ones in new order, then removed ones.

    An added task is (None, task), a removed one (task, None).
    """
    partner: list[int | None] = [None] * len(new)
    free = [True] * len(old)
    exact: dict[str, deque[int]] = {}
    for j, task in enumerate(old):
        exact.setdefault(text_key(task.requirement), deque()).append(j)
    for i, task in enumerate(new):
        waiting = exact.get(text_key(task.requirement))
        if waiting:
            j = waiting.popleft()
            partner[i], free[j] = j, False
    rest_old = [j for j in range(len(old)) if free[j]]
    rest_new = [i for i in range(len(new)) if partner[i] is None]
    for i, j in _similar_pairs(old, new, rest_old, rest_new):
        partner[i], free[j] = j, False
    pairs: list[tuple[Task | None, Task | None]] = [
        (old[j] if j is not None else None, task) for task, j in zip(new, partner, strict=True)
    ]
    pairs += [(old[j], None) for j in range(len(old)) if free[j]]
    return pairs


def _similar_pairs(
    old: Sequence[Task], new: Sequence[Task], rest_old: list[int], rest_new: list[int]
) -> list[tuple[int, int]]:
    """Greedy best-first pairs (new index, old index) of the unmatched tasks whose similarity reaches the threshold."""
    if not rest_old or not rest_new:
        return []
    old_grams = {j: bigrams(text_key(old[j].requirement)) for j in rest_old}
    index: dict[str, list[int]] = {}
    for j in rest_old:
        for gram in old_grams[j]:
            index.setdefault(gram, []).append(j)
    common = max(COMMON_BIGRAM, len(rest_old) // 8)
    scored: list[tuple[float, int, int, int]] = []
    for i in rest_new:
        grams = bigrams(text_key(new[i].requirement))
        shared: Counter[int] = Counter()
        for gram in grams:
            posting = index.get(gram)
            if posting is not None and len(posting) <= common:
                shared.update(posting)
        for j, _ in shared.most_common(CANDIDATES_PER_TASK):
            score = dice(grams, old_grams[j])
            if score >= SIMILARITY_THRESHOLD:
                # Best score first; between equals, the task nearest in position.
                scored.append((-score, abs(i - j), i, j))
    scored.sort()
    taken_new: set[int] = set()
    taken_old: set[int] = set()
    chosen = []
    for _, _, i, j in scored:
        if i not in taken_new and j not in taken_old:
            taken_new.add(i)
            taken_old.add(j)
            chosen.append((i, j))
    return chosen


# --- wording ----------------------------------------------------------------------------------------------

Op = Literal["equal", "delete", "insert"]


class Segment(NamedTuple):
    """A piece of a wording diff: text kept, deleted from the old requirement or inserted in the new one."""

    op: Op
    text: str


_CLAUSE = re.compile(r"[^，。；]*[，。；]?")
# An unchanged run this short between two changes reads better as part of them.
_SHORT_EQUAL = 2
# How many unchanged characters the marked-up string keeps on each side of a change.
_CONTEXT = 8


def clauses(text: str) -> list[str]:
    """A text cut after each ，。；, the punctuation kept with its clause."""
    return [c for c in _CLAUSE.findall(text) if c]


def wording_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The change from one requirement to another: by clause, then by character inside each changed clause.

    Whitespace is ignored. Empty when the texts are the same.
    """
    a_text, b_text = text_key(old), text_key(new)
    if a_text == b_text:
        return ()
    a, b = clauses(a_text), clauses(b_text)
    pieces: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace":
            pieces += _characters(before, after)
        else:
            pieces += [Segment("equal", before)] if tag == "equal" else []
            pieces += [Segment("delete", before)] if before and tag != "equal" else []
            pieces += [Segment("insert", after)] if after and tag != "equal" else []
    return tuple(_tidy(pieces))


def _characters(before: str, after: str) -> list[Segment]:
    pieces: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Segment("equal", before[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(Segment("delete", before[i1:i2]))
        if j2 > j1:
            pieces.append(Segment("insert", after[j1:j2]))
    return pieces


def _tidy(pieces: list[Segment]) -> list[Segment]:
    """Absorb one-character matches between changes into them, then merge neighbours: deletions before insertions."""
    spread: list[Segment] = []
    for n, piece in enumerate(pieces):
        inner = 0 < n < len(pieces) - 1
        if piece.op == "equal" and inner and len(piece.text) < _SHORT_EQUAL:
            spread += [Segment("delete", piece.text), Segment("insert", piece.text)]
        else:
            spread.append(piece)
    merged: list[Segment] = []
    run: list[Segment] = []

    def flush() -> None:
        for op in ("delete", "insert"):
            text = "".join(p.text for p in run if p.op == op)
            if text:
                merged.append(Segment(op, text))
        run.clear()

    for piece in spread:
        if piece.op == "equal":
            flush()
            if merged and merged[-1].op == "equal":
                merged[-1] = Segment("equal", merged[-1].text + piece.text)
            else:
                merged.append(piece)
        else:
            run.append(piece)
    flush()
    return merged


def markup(segments: Sequence[Segment], context: int = _CONTEXT) -> str:
    """A wording diff as one line: `…kept[-deleted-]{+inserted+}kept…`, long unchanged runs shortened."""
    parts = []
    last = len(segments) - 1
    for n, (op, text) in enumerate(segments):
        if op == "delete":
            parts.append(f"[-{text}-]")
        elif op == "insert":
            parts.append(f"{{+{text}+}}")
        elif n == 0 and n != last:
            parts.append("…" + text[-context:] if len(text) > context else text)
        elif n == last and n != 0:
            parts.append(text[:context] + "…" if len(text) > context else text)
        elif n != 0:
            parts.append(text[:context] + "…" + text[-context:] if len(text) > 2 * context else text)
        else:
            parts.append(text)
    return "".join(parts)


# --- the diff ---------------------------------------------------------------------------------------------

UnitField = Literal["leads", "implementers", "supports"]
UNIT_FIELDS: dict[UnitField, str] = {"leads": "牵头", "implementers": "负责落实", "supports": "配合"}


class UnitsChange(NamedTuple):
    """The units a task gained and lost in one role."""

    field: UnitField
    added: tuple[str, ...]
    removed: tuple[str, ...]


class TaskChange(NamedTuple):
    """A task present in both versions whose wording, units or time limit differ."""

    old: Task
    new: Task
    wording: tuple[Segment, ...]
    units: tuple[UnitsChange, ...]
    time_limit_changed: bool


class UnitImpact(NamedTuple):
    """What the change means for one unit or group.

    `newly_owes`, `deadline_moved` and `role_changed` hold new task numbers; `no_longer_owes` holds old ones
    (the task may be gone).
    """

    name: str
    type: Literal["unit", "group"]
    newly_owes: tuple[int, ...]
    no_longer_owes: tuple[int, ...]
    deadline_moved: tuple[int, ...]
    role_changed: tuple[int, ...]

    @property
    def changed(self) -> bool:
        """Whether anything changed for this unit."""
        return bool(self.newly_owes or self.no_longer_owes or self.deadline_moved or self.role_changed)


class TableDiff(NamedTuple):
    """Everything that changed from `old` to `new`."""

    old: Division
    new: Division
    renumbered: dict[int, int]
    added: tuple[Task, ...]
    removed: tuple[Task, ...]
    changed: tuple[TaskChange, ...]
    units: tuple[UnitImpact, ...]


def _when(task: Task) -> tuple[tuple[date, ...], date | None, str | None]:
    limit = task.time_limit
    return due_dates(task), limit.start, limit.kind


def _task_change(old: Task, new: Task) -> TaskChange | None:
    wording = wording_diff(old.requirement, new.requirement)
    units = []
    for field in UNIT_FIELDS:
        before: tuple[str, ...] = getattr(old, field) or ()
        after: tuple[str, ...] = getattr(new, field) or ()
        added = tuple(name for name in after if name not in before)
        removed = tuple(name for name in before if name not in after)
        if added or removed:
            units.append(UnitsChange(field, added, removed))
    limit_changed = old.time_limit.text != new.time_limit.text or _when(old) != _when(new)
    if not wording and not units and not limit_changed:
        return None
    return TaskChange(old, new, wording, tuple(units), limit_changed)


def _entity_named(division: Division, name: str) -> Entity | None:
    return next((e for e in entities(division) if e.name == name), None)


def _impact(old: Division, new: Division, name: str, pairs: Sequence[tuple[Task | None, Task | None]]) -> UnitImpact:
    before_entity, after_entity = _entity_named(old, name), _entity_named(new, name)
    before = {o.task.number: o.role for o in obligations(old, before_entity)} if before_entity else {}
    after = {o.task.number: o.role for o in obligations(new, after_entity)} if after_entity else {}
    newly, gone, moved, roles = [], [], [], []
    for old_task, new_task in pairs:
        old_role = before.get(old_task.number) if old_task is not None else None
        new_role = after.get(new_task.number) if new_task is not None else None
        if new_task is not None and new_role is not None and old_role is None:
            newly.append(new_task.number)
        elif old_task is not None and old_role is not None and new_role is None:
            gone.append(old_task.number)
        elif old_task is not None and new_task is not None and old_role is not None:
            if _when(old_task) != _when(new_task):
                moved.append(new_task.number)
            if old_role != new_role:
                roles.append(new_task.number)
    entity = after_entity or before_entity
    kind: Literal["unit", "group"] = "group" if isinstance(entity, Group) else "unit"
    return UnitImpact(name, kind, tuple(sorted(newly)), tuple(sorted(gone)), tuple(sorted(moved)), tuple(sorted(roles)))


def _unit_names(old: Division, new: Division, unit: str | None) -> list[str]:
    if unit is None:
        names = [e.name for e in entities(new)]
        return names + [e.name for e in entities(old) if e.name not in names]
    try:
        return [resolve(new, unit).name]
    except LookupFailedError as missing:
        try:
            return [resolve(old, unit).name]
        except LookupFailedError:
            raise missing from None


def diff_divisions(old: Division, new: Division, unit: str | None = None) -> TableDiff:
    """What changed from `old` to `new`, and what it means for every unit and group (or the one `unit` names).

    LookupFailedError when `unit` names no unit of either version.
    """
    names = _unit_names(old, new, unit)
    pairs = match_tasks(old.tasks, new.tasks)
    renumbered = {o.number: n.number for o, n in pairs if o is not None and n is not None and o.number != n.number}
    added = tuple(n for o, n in pairs if o is None and n is not None)
    removed = tuple(o for o, n in pairs if n is None and o is not None)
    changes = [_task_change(o, n) for o, n in pairs if o is not None and n is not None]
    changed = tuple(c for c in changes if c is not None)
    impacts = tuple(_impact(old, new, name, pairs) for name in names)
    return TableDiff(old, new, dict(sorted(renumbered.items())), added, removed, changed, impacts)


# --- versions ---------------------------------------------------------------------------------------------


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def _git_text(args: Sequence[str], cwd: Path) -> str | None:
    done = _git(args, cwd)
    if done is None or done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogateescape").strip()


def _from_revision(revision: str, data_dir: Path, cwd: Path) -> Division | str:
    """The table of `data_dir` as committed at `revision`, or why it cannot be read."""
    from .io.read import limit_bytes
    from .load import errors_in, inspect_data
    from .workspace import TASKS_FILE, UNITS_FILE

    if not revision or revision.startswith("-"):
        return "不是有效的修订版本名"
    where = data_dir if data_dir.is_dir() else cwd
    top = _git_text(["rev-parse", "--show-toplevel"], where)
    if top is None:
        return f"{where} 不在 git 仓库中（或找不到 git）"
    try:
        relative = data_dir.resolve().relative_to(Path(top).resolve())
    except (OSError, ValueError):
        return f"数据目录 {data_dir} 不在仓库 {top} 中"
    if _git_text(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], where) is None:
        return "仓库中没有这个修订版本"
    prefix = "" if relative == Path() else relative.as_posix() + "/"
    limit = limit_bytes()
    files: list[Path] = []
    contents: dict[Path, bytes] = {}
    for name in (UNITS_FILE, TASKS_FILE):
        spec = f"{revision}:{prefix}{name}"
        shown = Path(spec)
        files.append(shown)
        size = _git_text(["cat-file", "-s", spec], where)
        if size is None or not size.isdigit():
            return f"该版本中没有 {prefix}{name}"
        if int(size) > limit:
            return f"{spec} 过大（{int(size)} 字节，上限 {limit} 字节）"
        done = _git(["cat-file", "blob", spec], where)
        if done is None or done.returncode != 0:
            return f"无法读取 {spec}"
        if len(done.stdout) > limit:
            return f"{spec} 过大（上限 {limit} 字节）"
        contents[shown] = done.stdout
    division, problems = inspect_data(files, contents)
    if division is None:
        raise DataError(errors_in(problems))
    return division


def _from_folder(folder: Path) -> Division | str:
    from .load import load_data
    from .workspace import TASKS_FILE, is_data_folder

    if is_data_folder(folder):
        return load_data(folder)
    if (folder / TASKS_FILE).is_file() and is_data_folder(folder.parent):
        return load_data(folder.parent, table=folder.name)
    return f"{folder} 不是数据目录或表目录"


def _from_table(spec: str, data_dir: Path) -> Division | str:
    from .load import load_data
    from .workspace import WorkspaceError, tables

    available = tables(data_dir)
    if any(t.id == spec for t in available):
        return load_data(data_dir, table=spec)
    if spec.isascii() and spec.isdigit() and len(spec) == 4:
        try:
            return load_data(data_dir, year=int(spec))
        except WorkspaceError as e:
            return str(e)
    ids = "、".join(t.id for t in available if t.id is not None)
    return f"数据目录 {data_dir} 中没有表“{spec}”" + (f"（可用的表：{ids}）" if ids else "")


def load_version(spec: str, *, data_dir: Path, cwd: Path) -> Division:
    """The table a version argument names: a folder, a table id or year of `data_dir`, or a git revision.

    A trailing colon (HEAD~1:) makes it a revision only. A revision is read from git's object store (nothing is
    checked out) at the data folder's place in the repository. VersionNotFoundError lists what was tried;
    DataError when the version is found but invalid.
    """
    tried: list[str] = []
    revision = spec[:-1] if spec.endswith(":") else None
    if revision is None and spec:
        folder = Path(spec).expanduser()
        folder = folder if folder.is_absolute() else cwd / folder
        if folder.is_dir():
            found = _from_folder(folder)
            if isinstance(found, Division):
                return found
            tried.append(found)
        else:
            tried.append(f"没有目录 {folder}")
        found = _from_table(spec, data_dir)
        if isinstance(found, Division):
            return found
        tried.append(found)
    found = _from_revision(spec if revision is None else revision, data_dir, cwd)
    if isinstance(found, Division):
        return found
    tried.append(f"作为 git 修订版本：{found}")
    raise VersionNotFoundError(f"找不到版本“{spec}”：" + "；".join(tried))


# --- output -----------------------------------------------------------------------------------------------


def _limit_text(limit: TimeLimit) -> str:
    if limit.due is not None:
        return f"{limit.text}（{limit.due.isoformat()}）"
    if limit.occurrences:
        return f"{limit.text}（{'、'.join(d.isoformat() for d in limit.occurrences)}）"
    if limit.start is not None:
        return f"{limit.text}（自{limit.start.isoformat()}）"
    return limit.text


def _number_text(change: TaskChange) -> str:
    if change.old.number == change.new.number:
        return f"第{change.new.number}项"
    return f"第{change.new.number}项（原第{change.old.number}项）"


def change_lines(change: TaskChange) -> list[str]:
    """What changed in a task, one plain line per aspect."""
    lines = []
    if change.wording:
        lines.append(f"具体要求：{markup(change.wording)}")
    for units in change.units:
        parts = [f"增加 {'、'.join(units.added)}"] if units.added else []
        parts += [f"删去 {'、'.join(units.removed)}"] if units.removed else []
        lines.append(f"{UNIT_FIELDS[units.field]}：{'，'.join(parts)}")
    if change.time_limit_changed:
        lines.append(f"时限：{_limit_text(change.old.time_limit)} → {_limit_text(change.new.time_limit)}")
    return lines


def renumber_runs(renumbered: dict[int, int]) -> list[tuple[int, int, int]]:
    """The renumbering as runs (first old number, last old number, shift) of consecutive tasks moved alike."""
    runs: list[tuple[int, int, int]] = []
    for old, new in sorted(renumbered.items()):
        shift = new - old
        if runs and runs[-1][1] == old - 1 and runs[-1][2] == shift:
            runs[-1] = (runs[-1][0], old, shift)
        else:
            runs.append((old, old, shift))
    return runs


def _run_text(first: int, last: int, shift: int) -> str:
    if first == last:
        return f"第{first}项 → 第{first + shift}项"
    return f"第{first}–{last}项 → 第{first + shift}–{last + shift}项"


def _numbers(numbers: Iterable[int], prefix: str = "第") -> str:
    return "、".join(f"{prefix}{n}项" for n in numbers)


def impact_parts(impact: UnitImpact) -> list[str]:
    """What changed for a unit, one phrase per kind of change."""
    parts = []
    if impact.newly_owes:
        parts.append(f"新增承担 {len(impact.newly_owes)} 项（{_numbers(impact.newly_owes)}）")
    if impact.no_longer_owes:
        parts.append(f"不再承担 {len(impact.no_longer_owes)} 项（{_numbers(impact.no_longer_owes, '原第')}）")
    if impact.deadline_moved:
        parts.append(f"时限变动 {len(impact.deadline_moved)} 项（{_numbers(impact.deadline_moved)}）")
    if impact.role_changed:
        parts.append(f"角色变动 {len(impact.role_changed)} 项（{_numbers(impact.role_changed)}）")
    return parts


def summary(table_diff: TableDiff) -> str:
    """One line: how many tasks were added, removed, changed and renumbered."""
    d = table_diff
    return (
        f"新增 {len(d.added)} 项，删除 {len(d.removed)} 项，修改 {len(d.changed)} 项，"
        f"{len(d.renumbered)} 项改了编号；{sum(i.changed for i in d.units)} 个单位受影响。"
    )


def diff_markdown(table_diff: TableDiff) -> str:
    """The diff as Markdown for a pull-request comment: a summary, then one bullet per change under headings."""
    d = table_diff
    lines = [f"## 任务表变化：{md_text(d.new.document.title, line_break=' ')}", "", md_text(summary(d)), ""]
    if d.renumbered:
        lines += ["### 编号变化", ""]
        lines += [f"- {_run_text(*run)}" for run in renumber_runs(d.renumbered)]
        lines.append("")
    lines += ["### 新增任务", ""]
    lines += [f"- 第{t.number}项（{md_text(_limit_text(t.time_limit))}）：{_md(t.requirement)}" for t in d.added] or [
        "无"
    ]
    lines += ["", "### 删除任务", ""]
    lines += [f"- 原第{t.number}项：{_md(t.requirement)}" for t in d.removed] or ["无"]
    lines += ["", "### 修改的任务", ""]
    for change in d.changed:
        aspects = change_lines(change)
        if len(aspects) == 1:
            lines.append(f"- {_number_text(change)}：{_md(aspects[0])}")
        else:
            lines.append(f"- {_number_text(change)}：")
            lines += [f"  - {_md(aspect)}" for aspect in aspects]
    if not d.changed:
        lines.append("无")
    lines += ["", "### 各单位的变化", ""]
    affected = [i for i in d.units if i.changed]
    lines += [f"- {md_text(i.name)}：{md_text('；'.join(impact_parts(i)))}" for i in affected] or ["无"]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return md_text(text, line_break=" ")


def _limit_payload(limit: TimeLimit) -> dict[str, Any]:
    return {
        "text": limit.text,
        "kind": limit.kind,
        "due": limit.due,
        "start": limit.start,
        "occurrences": limit.occurrences,
    }


def change_payload(change: TaskChange) -> dict[str, Any]:
    """One changed task as JSON: every key always present, null or empty where that aspect did not change."""
    units: dict[str, dict[str, list[str]]] = {field: {"added": [], "removed": []} for field in UNIT_FIELDS}
    for u in change.units:
        units[u.field] = {"added": list(u.added), "removed": list(u.removed)}
    wording = None
    if change.wording:
        wording = {
            "old": change.old.requirement,
            "new": change.new.requirement,
            "ops": [{"op": s.op, "text": s.text} for s in change.wording],
            "markup": markup(change.wording),
        }
    limit = None
    if change.time_limit_changed:
        limit = {"old": _limit_payload(change.old.time_limit), "new": _limit_payload(change.new.time_limit)}
    return {
        "number": change.new.number,
        "old_number": change.old.number,
        "requirement": wording,
        "units": units,
        "time_limit": limit,
    }


def impact_payload(impact: UnitImpact) -> dict[str, Any]:
    """One unit's impact as JSON."""
    lists = {
        "newly_owes": impact.newly_owes,
        "no_longer_owes": impact.no_longer_owes,
        "deadline_moved": impact.deadline_moved,
        "role_changed": impact.role_changed,
    }
    return {"name": impact.name, "type": impact.type} | lists | {"counts": {k: len(v) for k, v in lists.items()}}


def diff_payload(table_diff: TableDiff) -> dict[str, Any]:
    """The diff as the JSON object {renumbered, added, removed, changed, units}."""
    from .views import task_payload

    d = table_diff
    return {
        # JSON object keys are strings: the old number, as text, maps to the new number.
        "renumbered": {str(old): new for old, new in d.renumbered.items()},
        "added": [task_payload(d.new, t) for t in d.added],
        "removed": [task_payload(d.old, t) for t in d.removed],
        "changed": [change_payload(c) for c in d.changed],
        "units": [impact_payload(i) for i in d.units],
    }


CHANGE_COLUMNS = (
    Column("kind", "类别", max_width=6),
    Column("number", "编号", max_width=8),
    Column("old_number", "原编号", max_width=8),
    Column("change", "变化", ratio=1),
)
IMPACT_COLUMNS = (
    Column("name", "单位", ratio=1),
    Column("newly_owes", "新增承担", ratio=1),
    Column("no_longer_owes", "不再承担（原编号）", ratio=1),
    Column("deadline_moved", "时限变动", ratio=1),
    Column("role_changed", "角色变动", ratio=1),
)


def change_rows(table_diff: TableDiff) -> list[Row]:
    """One display row per change: renumbering runs, added, removed and changed tasks."""
    d = table_diff
    rows: list[Row] = []
    for first, last, shift in renumber_runs(d.renumbered):
        old = str(first) if first == last else f"{first}–{last}"
        new = str(first + shift) if first == last else f"{first + shift}–{last + shift}"
        rows.append({"kind": "编号", "number": new, "old_number": old, "change": f"编号 {shift:+d}"})
    rows += [{"kind": "新增", "number": str(t.number), "old_number": "", "change": t.requirement} for t in d.added]
    rows += [{"kind": "删除", "number": "", "old_number": str(t.number), "change": t.requirement} for t in d.removed]
    rows += [
        {
            "kind": "修改",
            "number": str(c.new.number),
            "old_number": str(c.old.number),
            "change": "\n".join(change_lines(c)),
        }
        for c in d.changed
    ]
    return rows


def impact_rows(table_diff: TableDiff) -> list[Row]:
    """One display row per unit or group that the change affects."""
    return [
        {
            "name": i.name,
            "newly_owes": "、".join(map(str, i.newly_owes)),
            "no_longer_owes": "、".join(map(str, i.no_longer_owes)),
            "deadline_moved": "、".join(map(str, i.deadline_moved)),
            "role_changed": "、".join(map(str, i.role_changed)),
        }
        for i in table_diff.units
        if i.changed
    ]


def diff_listing(table_diff: TableDiff, fmt: Format = Format.table) -> list[Listing]:
    """The Listings to emit for a format (Markdown is written by `diff_markdown` instead).

    JSON is one Listing whose payload is the whole diff; a table gives the changes and then the units; CSV
    gives the changes only (one CSV holds one table).
    """
    payload = diff_payload(table_diff)
    changes = Listing(
        CHANGE_COLUMNS,
        lambda: change_rows(table_diff),
        lambda: payload,
        title=f"任务表变化：{summary(table_diff)}",
    )
    if fmt in (Format.json, Format.csv):
        return [changes]
    units = Listing(IMPACT_COLUMNS, lambda: impact_rows(table_diff), lambda: payload["units"], title="各单位的变化")
    return [changes, units]


def emit_diff(table_diff: TableDiff, fmt: Format, out: IO[str] | None = None, console: Console | None = None) -> None:
    """Write the diff in a format: Markdown as a pull-request comment, the others through render.emit."""
    import sys

    if fmt is Format.md:
        (out or sys.stdout).write(diff_markdown(table_diff))
        return
    for listing in diff_listing(table_diff, fmt):
        emit(listing, fmt, console=console, out=out)


__all__ = [
    "SIMILARITY_THRESHOLD",
    "Segment",
    "TableDiff",
    "TaskChange",
    "UnitImpact",
    "UnitsChange",
    "VersionNotFoundError",
    "diff_divisions",
    "diff_listing",
    "diff_markdown",
    "diff_payload",
    "emit_diff",
    "load_version",
    "markup",
    "match_tasks",
    "wording_diff",
]
