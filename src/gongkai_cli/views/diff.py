"""The diff as a reader sees it: a Markdown comment, the JSON contract, and the table and CSV rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from ..diff.match import UNIT_FIELDS, TableDiff, TaskChange, UnitImpact
from ..diff.wording import markup
from ..models import Division, TaskId, TimeLimit
from ..render import Column, Format, Listing, Row, emit, md_text
from ..tuples import NamedTuple
from ..vocabulary import HEADERS
from .tasks import task_payloads

if TYPE_CHECKING:
    from rich.console import Console


def _limit_text(limit: TimeLimit) -> str:
    if limit.kind is None:  # an unread limit in a fresh import: a person has yet to say what it means
        return f"{limit.text}（待确认）"
    if limit.due is not None:
        return f"{limit.text}（{limit.due.isoformat()}）"
    if limit.occurrences:
        return f"{limit.text}（{'、'.join(d.isoformat() for d in limit.occurrences)}）"
    if limit.start is not None:
        return f"{limit.text}（自{limit.start.isoformat()}）"
    return limit.text


def _number_text(table_diff: TableDiff, change: TaskChange) -> str:
    old, new = table_diff.old.task_id(change.old), table_diff.new.task_id(change.new)
    return f"第{new}项" if old == new else f"第{new}项（原第{old}项）"


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


class RenumberRun(NamedTuple):
    """Consecutive tasks renumbered alike: the first and last old identity, and the first and last new one."""

    old_first: TaskId
    old_last: TaskId
    new_first: TaskId
    new_last: TaskId

    @property
    def shift(self) -> int | None:
        """How far plain numbers moved (-1), None for identities that name a section."""
        if isinstance(self.old_first, int) and isinstance(self.new_first, int):
            return self.new_first - self.old_first
        return None


def _positions(division: Division) -> dict[TaskId, int]:
    return {ident: position for position, ident in enumerate(map(division.task_id, division.tasks))}


def renumber_runs(table_diff: TableDiff) -> list[RenumberRun]:
    """The renumbering as runs of tasks next to each other in both tables, moved alike, in old table order."""
    old_at, new_at = _positions(table_diff.old), _positions(table_diff.new)
    runs: list[RenumberRun] = []
    for old, new in table_diff.renumbered.items():
        last = runs[-1] if runs else None
        if (
            last is not None
            and old_at[old] == old_at[last.old_last] + 1
            and new_at[new] == new_at[last.new_last] + 1
            and last._replace(old_first=old, new_first=new).shift == last.shift
        ):
            runs[-1] = last._replace(old_last=old, new_last=new)
        else:
            runs.append(RenumberRun(old, old, new, new))
    return runs


def _span(first: TaskId, last: TaskId) -> str:
    return str(first) if first == last else f"{first}～{last}"


def _run_text(run: RenumberRun) -> str:
    return f"第{_span(run.old_first, run.old_last)}项 → 第{_span(run.new_first, run.new_last)}项"


def _numbers(numbers: Iterable[TaskId], prefix: str = "第") -> str:
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
        f"{len(d.renumbered)} 项改了任务编号；{sum(i.changed for i in d.units)} 个单位受影响。"
    )


def same_line(table_diff: TableDiff) -> str:
    """The one line that says two versions are the same (for the unit asked about)."""
    if table_diff.unit is None:
        return "两个版本相同：没有任务增删或改动。"
    return f"两个版本中 {table_diff.unit} 承担的任务相同：没有增删或改动。"


def diff_markdown(table_diff: TableDiff) -> str:
    """The diff as Markdown for a pull-request comment: a summary, then one bullet per change under headings;
    one line when nothing changed."""
    d = table_diff
    if d.empty:
        return md_text(same_line(d)) + "\n"
    lines = [f"## 任务表变化：{md_text(d.new.document.title, line_break=' ')}", "", md_text(summary(d)), ""]
    if d.renumbered:
        lines += ["### 任务编号变化", ""]
        lines += [f"- {_run_text(run)}" for run in renumber_runs(d)]
        lines.append("")
    lines += ["### 新增任务", ""]
    lines += [
        f"- 第{d.new.task_id(t)}项（{md_text(_limit_text(t.time_limit))}）：{_md(t.requirement)}" for t in d.added
    ] or ["无"]
    lines += ["", "### 删除任务", ""]
    lines += [f"- 原第{d.old.task_id(t)}项：{_md(t.requirement)}" for t in d.removed] or ["无"]
    lines += ["", "### 修改的任务", ""]
    for change in d.changed:
        aspects = change_lines(change)
        if len(aspects) == 1:
            lines.append(f"- {_number_text(d, change)}：{_md(aspects[0])}")
        else:
            lines.append(f"- {_number_text(d, change)}：")
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


def change_payload(table_diff: TableDiff, change: TaskChange) -> dict[str, Any]:
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
        # Identities: the numbers where they are unique, 4-2 where they restart by section.
        "number": table_diff.new.task_id(change.new),
        "old_number": table_diff.old.task_id(change.old),
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
    d = table_diff
    return {
        # JSON object keys are strings: the old identity, as text, maps to the new one (a number where the table's
        # numbers are unique, as text where they restart by section).
        "renumbered": {str(old): new for old, new in d.renumbered.items()},
        "added": list(map(task_payloads(d.new), d.added)),
        "removed": list(map(task_payloads(d.old), d.removed)),
        "changed": [change_payload(d, c) for c in d.changed],
        "units": [impact_payload(i) for i in d.units],
    }


CHANGE_COLUMNS = (
    Column("kind", HEADERS["change_kind"], max_width=6),
    Column("number", HEADERS["task_number"], max_width=8),
    Column("old_number", HEADERS["old_number"], max_width=8),
    Column("change", HEADERS["change"], ratio=1),
)
IMPACT_COLUMNS = (
    Column("name", HEADERS["unit"], ratio=1),
    Column("newly_owes", HEADERS["newly_owes"], ratio=1),
    Column("no_longer_owes", HEADERS["no_longer_owes"], ratio=1),
    Column("deadline_moved", HEADERS["deadline_moved"], ratio=1),
    Column("role_changed", HEADERS["role_changed"], ratio=1),
)


def change_rows(table_diff: TableDiff) -> list[Row]:
    """One display row per change: renumbering runs, added, removed and changed tasks."""
    d = table_diff
    rows: list[Row] = []
    for run in renumber_runs(d):
        change = f"任务编号 {run.shift:+d}" if run.shift is not None else "任务编号改变"
        old, new = _span(run.old_first, run.old_last), _span(run.new_first, run.new_last)
        rows.append({"kind": "重排", "number": new, "old_number": old, "change": change})
    rows += [
        {"kind": "新增", "number": str(d.new.task_id(t)), "old_number": "", "change": t.requirement} for t in d.added
    ]
    rows += [
        {"kind": "删除", "number": "", "old_number": str(d.old.task_id(t)), "change": t.requirement} for t in d.removed
    ]
    rows += [
        {
            "kind": "修改",
            "number": str(d.new.task_id(c.new)),
            "old_number": str(d.old.task_id(c.old)),
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


def diff_listing(table_diff: TableDiff, fmt: Format = "table") -> list[Listing]:
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
    if fmt in ("json", "csv"):
        return [changes]
    units = Listing(IMPACT_COLUMNS, lambda: impact_rows(table_diff), lambda: payload["units"], title="各单位的变化")
    return [changes, units]


def emit_diff(table_diff: TableDiff, fmt: Format, out: IO[str] | None = None, console: Console | None = None) -> None:
    """Write the diff in a format: Markdown as a pull-request comment, the others through render.emit.

    Two equal versions give one line in a table; JSON and CSV keep their shape, with nothing in it.
    """
    import sys

    if fmt == "md":
        (out or sys.stdout).write(diff_markdown(table_diff))
        return
    if fmt == "table" and table_diff.empty:
        (console.file if console is not None else out or sys.stdout).write(same_line(table_diff) + "\n")
        return
    for listing in diff_listing(table_diff, fmt):
        emit(listing, fmt, console=console, out=out)
