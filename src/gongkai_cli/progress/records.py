"""Progress records: the file format, reading, and checking each record against the table.

Layout: ``DIR/2025/progress/<单位>.yaml`` (``DIR/progress/<单位>.yaml`` in a one-table folder); one file per unit
so that units' submissions merge in git without conflicts::

    unit: 市司法局
    records:
      - task: 12             # the task's identity: its number, or 4-2 where numbers restart by section
        fingerprint: 3f2a9c     # first 6 hex digits of blake2b of the requirement, whitespace removed
        date: 2024-06-30
        status: 按序时推进       # 未开始 | 按序时推进 | 已完成 | 未达预期 (or not_started/on_track/done/behind)
        progress: 已制定公众参与工作规程，正在征求意见。
        evidence: [https://www.example.gov.cn/art/2024/6/30/1.html]   # optional
        reported_by: 张三       # optional
        period: 2024-Q2         # optional: the occurrence of a recurring limit (2024-Q2, 2024-06, 2024-H1, 2024)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, LookupFailedError, Problem
from ..io.read import FileRefusedError, read_file
from ..models import Division, Group, ProgressEntry, ProgressFile, Task, TaskId, Unit, plan_period
from ..owing import obligations
from ..query import find_task, names_of, normalize, resolve
from ..tuples import NamedTuple
from ..vocabulary import STATUSES, Status

if TYPE_CHECKING:
    import yaml

    from ..io.yamlfile import Source


# 2024, 2024-H1, 2024-Q2 or 2024-06: the occurrence of a recurring limit; the year one a plan may have.
_PERIOD = r"(?P<year>19[0-9]{2}|2[0-9]{3})(?:-Q(?P<quarter>[1-4])|-H(?P<half>[12])|-(?P<month>0[1-9]|1[0-2]))?"

STATUS_KEYS: dict[str, Status] = {**{label: key for key, label in STATUSES.items()}, **{key: key for key in STATUSES}}


class ProgressRecord(NamedTuple):
    """One report of one unit on one task; `status` is the JSON key, `path` and `line` say where it is written."""

    unit: str
    task: TaskId
    fingerprint: str
    date: date
    status: Status
    progress: str
    evidence: tuple[str, ...] = ()
    reported_by: str | None = None
    period: str | None = None
    path: Path | None = None
    line: int | None = None


def fingerprint(task: Task) -> str:
    """The first 6 hex digits of blake2b of the task's requirement with all whitespace removed."""
    flat = "".join(task.requirement.split())
    from _blake2 import blake2b  # hashlib would load OpenSSL on every query for nothing

    return blake2b(flat.encode("utf-8")).hexdigest()[:6]


def period_bounds(period: str) -> tuple[date, date] | None:
    """The first and last day of a period written 2024, 2024-H1, 2024-Q2 or 2024-06; None if it is not one.

    The year is one a plan may have (1900–2999): 9999-12 would end in a year no date can hold.
    """
    found = re.fullmatch(_PERIOD, period.strip())
    if found is None:
        return None
    year = int(found["year"])
    if found["quarter"]:
        first, last = 3 * int(found["quarter"]) - 2, 3 * int(found["quarter"])
    elif found["half"]:
        first, last = 6 * int(found["half"]) - 5, 6 * int(found["half"])
    elif found["month"]:
        first = last = int(found["month"])
    else:
        first, last = 1, 12
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


def table_period(division: Division) -> tuple[date, date]:
    """The days a record may carry: the table's period (by default 1 January of the plan year to 31 March of the
    next; a table's document may state its own, see models.plan_period)."""
    return plan_period(division.document)


def outside_year(division: Division, day: date) -> str | None:
    """Why a record may not carry `day`, as the end of a Chinese sentence (不在这张表的年度内（…）), or None."""
    first, last = table_period(division)
    return None if first <= day <= last else f"不在这张表的年度内（{first} 至 {last}）"


# --- reading and checking -----------------------------------------------------------------------------------


def node_at(source: Source, loc: Sequence[str | int]) -> yaml.Node | None:
    import yaml

    node = source.root
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return None
    return node


class CheckContext:
    """What checking records needs from a division, computed once (and shared by the files of one batch)."""

    def __init__(self, division: Division, today: date) -> None:
        self.division = division
        self.today = today
        self.tasks = {division.task_id(task): task for task in division.tasks}
        self.fingerprints = {ident: fingerprint(task) for ident, task in self.tasks.items()}
        self.by_fingerprint: dict[str, list[TaskId]] = {}
        for ident, print_ in self.fingerprints.items():
            self.by_fingerprint.setdefault(print_, []).append(ident)
        self.window = table_period(division)
        self._owed: dict[str, set[TaskId]] = {}

    def owed(self, unit: Unit) -> set[TaskId]:
        if unit.name not in self._owed:
            self._owed[unit.name] = {self.division.task_id(o.task) for o in obligations(self.division, unit)}
        return self._owed[unit.name]


def resolve_unit(division: Division, written: str) -> tuple[Unit | None, str | None]:
    """The roster unit a file names, or a Chinese reason why it names none."""
    try:
        entity = resolve(division, written)
    except LookupFailedError as e:
        hint = f"（{'、'.join(e.candidates)}）" if e.candidates else ""
        return None, f"单位“{written}”不在名册中：{e}{hint}"
    if isinstance(entity, Group):
        return None, f"“{written}”是统称，不是单位；进展由各成员单位分别报送，请写成员单位的名称"
    if normalize(written) not in {normalize(name) for name in names_of(entity)}:
        return None, f"单位“{written}”不在名册中；是否指“{entity.name}”？请写名册中的名称"
    return entity, None


# The problem code of a field error, by field (check --format json names them); the others are progress-schema.
_FIELD_CODES = {
    "unit": "progress-unit",
    "fingerprint": "progress-fingerprint",
    "date": "progress-date",
    "status": "progress-status",
    "evidence": "progress-evidence",
    "period": "progress-period",
}


def _field_code(field: str | None, unknown: bool) -> str:
    return "progress-field" if unknown else _FIELD_CODES.get(field or "", "progress-schema")


# Fields that are text even where YAML reads a number: fingerprint 012345 (an octal number to YAML), period 2024.
_TEXT_AS_WRITTEN = ("fingerprint", "period")


def _text_as_written(source: Source) -> Source:
    """The source with each record's fingerprint and period that YAML read as a number as the text written."""
    import yaml

    entries = source.data.get("records")
    if not isinstance(entries, list):
        return source
    written = []
    for index, entry in enumerate(entries):
        if isinstance(entry, dict):
            for field in _TEXT_AS_WRITTEN:
                if isinstance(entry.get(field), (int, float)):
                    node = node_at(source, ["records", index, field])
                    if isinstance(node, yaml.ScalarNode):
                        entry = {**entry, field: node.value}
        written.append(entry)
    return source.with_data({**source.data, "records": written})


# Two records alike in all they say (task, unit, date, status, period, text, evidence and reporter) are one said
# twice; a later record on the same day that says more (a corrected text, added evidence) is not.
_RecordKey = tuple[TaskId, str, date, str, str | None, str, tuple[str, ...], str | None]


def _check_source(
    source: Source, context: CheckContext, seen: dict[_RecordKey, ProgressRecord]
) -> tuple[list[ProgressRecord], list[Problem]]:
    """The valid records of one parsed progress file and a located problem for everything wrong in it.

    The file's fields and each record go through the models (io/messages.py words their problems as it words a
    task's); what needs the table (the task, its fingerprint, the unit and what it owes, the dates) comes after.
    """
    from ..io.messages import validate_model

    problems: list[Problem] = []

    def problem(loc: Sequence[str | int], message: str, code: str) -> None:
        problems.append(source.problem(loc, message)._replace(code=f"progress-{code}"))

    source = _text_as_written(source)
    entries = source.data.get("records")
    # The file's own fields first, then each record on its own: one bad record does not hide the others.
    shell = source.with_data({**source.data, "records": ()}) if isinstance(entries, list) else source
    head, found = validate_model(shell, ProgressFile, code=_field_code)
    problems += found
    if head is None and all(p.code == "progress-field" for p in found):
        # An unknown key beside unit and records is reported; the records still count.
        known = {key: value for key, value in shell.data.items() if key in ProgressFile._fields}
        head, _ = validate_model(shell.with_data(known), ProgressFile)
    unit: Unit | None = None
    if head is not None:
        unit, reason = resolve_unit(context.division, head.unit)
        if reason is not None:
            problem(["unit"], reason, "unit")
        elif unit is not None and source.path.stem not in (head.unit, unit.name):
            problem(
                ["unit"],
                f"文件名“{source.path.name}”与单位“{head.unit}”不符；请把文件改名为“{unit.name}.yaml”",
                "filename",
            )
            unit = None  # its records count once the file carries its unit's name
    records = []
    for index in range(len(entries) if isinstance(entries, list) else 0):
        entry, found = validate_model(source, ProgressEntry, at=("records", index), code=_field_code)
        problems += found
        if entry is None:
            continue
        before = len(problems)
        record = _check_record(source, context, unit, index, entry, problem)
        if record is None or len(problems) > before:
            continue
        key = (
            record.task,
            record.unit,
            record.date,
            record.status,
            record.period,
            record.progress,
            record.evidence,
            record.reported_by,
        )
        first = seen.get(key)
        if first is not None:
            where = f"{first.path.name if first.path else ''}:{first.line}"
            problem(
                ["records", index],
                f"重复记录：与 {where} 的内容完全相同（任务、单位、日期、状态、周期、进展、佐证和报送人）；请删除其一",
                "duplicate",
            )
            continue
        seen[key] = record
        records.append(record)
    return records, problems


def _check_record(
    source: Source,
    context: CheckContext,
    unit: Unit | None,
    index: int,
    entry: ProgressEntry,
    problem: Any,
) -> ProgressRecord | None:
    """The record, if what it says agrees with the table; a problem for each thing that does not."""
    here: list[str | int] = ["records", index]
    ok = True
    task: Task | None = None
    repeats = context.division.repeats  # then a task is written 4-2, and a plain number only where it is unique
    if isinstance(entry.task, str) and not repeats:
        problem([*here, "task"], "“task”应为整数（不加引号）", "schema")
        ok = False
    elif repeats:
        try:
            task = find_task(context.division, entry.task)
        except LookupFailedError as e:
            problem([*here, "task"], str(e), "task")
            ok = False
    elif entry.task not in context.tasks:
        numbers = sorted(context.tasks)
        problem([*here, "task"], f"表中没有第 {entry.task} 项任务，任务编号为 {numbers[0]}～{numbers[-1]}", "task")
        ok = False
    else:
        task = context.tasks[entry.task]
    ident = context.division.task_id(task) if task is not None else None
    if ident is not None and entry.fingerprint != context.fingerprints[ident]:
        others = [n for n in context.by_fingerprint.get(entry.fingerprint, []) if n != ident]
        # A renumbering moves many records at once: name the command that re-points them all either way.
        repoint = "运行 gongkai repoint 旧版本（如 HEAD~1）按 diff 的对应关系改写 task 和指纹"
        if others:
            message = (
                f"任务 {ident} 的要求已改动；指纹与任务 {others[0]} 一致，是否应改为 task: {others[0]}？"
                f"任务改号后，可{repoint}"
            )
        else:
            message = (
                f"任务 {ident} 的要求已改动，指纹 {entry.fingerprint} 与现在的要求（{context.fingerprints[ident]}）"
                f"不符；要求改写或任务改号后，{repoint}"
            )
        problem([*here, "fingerprint"], message, "fingerprint")
        ok = False
    day = entry.date
    first_day, last_day = context.window
    if not first_day <= day <= last_day:
        problem([*here, "date"], f"日期 {day} 不在这张表的年度内（{first_day} 至 {last_day}）", "date")
        ok = False
    elif day > context.today:
        problem([*here, "date"], f"日期 {day} 晚于今天（{context.today}）；进展只能报送已经发生的情况", "date")
        ok = False
    if entry.period is not None:
        bounds = period_bounds(entry.period)
        year = context.division.year
        if bounds is None:
            problem(
                [*here, "period"],
                f"周期“{entry.period}”无效，应写作 {year}、{year}-H1、{year}-Q2 或 {year}-06",
                "period",
            )
            ok = False
        elif bounds[0].year != year:
            problem([*here, "period"], f"周期“{entry.period}”不在这张表的年度（{context.division.year}）内", "period")
            ok = False
        elif bounds[0] > day:
            problem(
                [*here, "period"],
                f"周期“{entry.period}”自 {bounds[0]} 开始，晚于记录日期 {day}；不能提前报送",
                "period",
            )
            ok = False
    if unit is not None and ident is not None and ident not in context.owed(unit):
        problem(
            [*here, "task"],
            f"{unit.name}不承担任务 {ident}（既未被点名，也不属于点名的统称）；请核对任务编号",
            "owe",
        )
        ok = False
    if not ok or unit is None or ident is None:
        return None
    line, _ = source.locate(here)
    return ProgressRecord(
        unit.name,
        ident,
        entry.fingerprint,
        day,
        entry.status,
        entry.progress,
        entry.evidence,
        entry.reported_by,
        entry.period,
        source.path,
        line,
    )


def parse_file(path: Path, raw: bytes) -> tuple[Source | None, list[Problem]]:
    """A progress file parsed (None when it cannot be) and the problems parsing found."""
    from ..io.yamlfile import parse_yaml

    try:
        source, problems = parse_yaml(path, raw, top_level="unit 和 records")
    except DataError as e:
        return None, e.problems
    return source, problems


def read_progress(folder: Path, division: Division, *, today: date) -> tuple[list[ProgressRecord], list[Problem]]:
    """Every valid record of every ``*.yaml`` in a progress folder, and a located problem for each bad one.

    Files are read in name order through the bounded reader and parsed like data files (positions, unsafe
    characters and alias bombs alike); a symlink is a problem, not followed. A missing folder holds no records.
    """
    if not folder.is_dir():
        return [], []
    context = CheckContext(division, today)
    seen: dict[_RecordKey, ProgressRecord] = {}
    records: list[ProgressRecord] = []
    problems: list[Problem] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix == ".yaml" and not p.name.startswith(".")):
        # A link may point anywhere (a file outside the repository, /dev/zero): named, never followed.
        if path.is_symlink():
            message = "进展文件是符号链接，未读取；进展记录须是文件本身，不能链接到别处"
            problems.append(Problem(path, None, None, message, "file"))
            continue
        try:
            raw = read_file(path)
        except FileRefusedError as e:
            problems.append(Problem(path, None, None, f"进展文件{e}", "file"))
            continue
        source, found = parse_file(path, raw)
        problems += found
        if source is None or any(p.code == "unsafe-character" for p in found):
            continue
        good, found = _check_source(source, context, seen)
        records += good
        problems += found
    return records, problems


def file_problems(
    path: Path, raw: bytes, division: Division, today: date, context: CheckContext | None = None
) -> list[Problem]:
    """Every problem of one progress file as it would be written, on its own (`context`: one made for the same
    division and day, to reuse what it has worked out)."""
    source, problems = parse_file(path, raw)
    if source is not None:
        problems += _check_source(source, context or CheckContext(division, today), {})[1]
    return problems


__all__ = [
    "STATUS_KEYS",
    "CheckContext",
    "ProgressRecord",
    "file_problems",
    "fingerprint",
    "node_at",
    "outside_year",
    "parse_file",
    "period_bounds",
    "read_progress",
    "resolve_unit",
    "table_period",
]
