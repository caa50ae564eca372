"""Progress records: plain YAML beside a table, one file per unit, and the status computed from them.

Layout: ``DIR/2025/progress/<单位>.yaml`` (``DIR/progress/<单位>.yaml`` in a one-table folder); one file per unit
so that units' submissions merge in git without conflicts::

    unit: 市司法局
    records:
      - task: 12
        fingerprint: 3f2a9c     # first 6 hex digits of blake2b of the requirement, whitespace removed
        date: 2024-06-30
        status: 按序时推进       # 未开始 | 按序时推进 | 已完成 | 未达预期 (or not_started/on_track/done/behind)
        progress: 已制定公众参与工作规程，正在征求意见。
        evidence: [https://www.example.gov.cn/art/2024/6/30/1.html]   # optional
        reported_by: 张三       # optional
        period: 2024-Q2         # optional: the occurrence of a recurring limit (2024-Q2, 2024-06, 2024-H1, 2024)

Which occurrence a record applies to: a deadline has one, an undated limit (持续推进, 及时, 1月1日后) none, and a
recurring limit (每季度) the first occurrence on or after the record's date, or after the last day of its
`period` (the last occurrence for a later date). So 已完成 in the first quarter does not close the second.

Every status function accepts the records as a list or as a `RecordIndex` built once by `index_records`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .bounded import FileRefusedError, read_file
from .errors import DataError, GongkaiError, LookupFailedError, Problem
from .models import Division, Group, Task, Unit
from .query import DoneTest, due_dates, find_section, members, obligations, resolve, section_tasks, units_of
from .tuples import NamedTuple

if TYPE_CHECKING:
    import yaml

    from .load import Source


Status = Literal["not_started", "on_track", "done", "behind"]
# JSON key -> the label written in files and printed.
STATUSES: dict[Status, str] = {
    "not_started": "未开始",
    "on_track": "按序时推进",
    "done": "已完成",
    "behind": "未达预期",
}
STATUS_KEYS: dict[str, Status] = {**{label: key for key, label in STATUSES.items()}, **{key: key for key in STATUSES}}

State = Literal["done", "on_track", "behind", "not_reported", "overdue"]
STATES: tuple[State, ...] = ("done", "on_track", "behind", "not_reported", "overdue")
STATE_LABELS: dict[State, str] = {
    "done": "已完成",
    "on_track": "按序时推进",
    "behind": "未达预期",
    "not_reported": "未报送",
    "overdue": "逾期未完成",
}

REQUIRED_FIELDS = ("task", "fingerprint", "date", "status", "progress")
OPTIONAL_FIELDS = ("evidence", "reported_by", "period")
FILE_FIELDS = ("unit", "records")

# Patterns stay strings: re compiles them on first use, and a query that reads no record pays nothing.
_PERIOD = r"(?P<year>[0-9]{4})(?:-Q(?P<quarter>[1-4])|-H(?P<half>[12])|-(?P<month>0[1-9]|1[0-2]))?"
_FINGERPRINT = r"[0-9a-f]{6}"


class RecordRefusedError(GongkaiError):
    """append_record refused a record: nothing was written; str(e) says why in Chinese."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class ProgressRecord(NamedTuple):
    """One report of one unit on one task; `status` is the JSON key, `path` and `line` say where it is written."""

    unit: str
    task: int
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
    """The first and last day of a period written 2024, 2024-H1, 2024-Q2 or 2024-06; None if it is not one."""
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
    """The days a record may carry: 1 January of the plan year to 31 March of the next."""
    return date(division.year, 1, 1), date(division.year + 1, 3, 31)


# --- reading and checking -----------------------------------------------------------------------------------


def _node_at(source: Source, loc: Sequence[str | int]) -> yaml.Node | None:
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


def _well_formed_evidence(text: str) -> bool:
    """An http(s) URL with a host and no spaces, or a relative file path that stays inside the folder."""
    if not text or text != text.strip() or any(c.isspace() for c in text):
        return False
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text):
        try:
            from urllib.parse import urlsplit

            parts = urlsplit(text)
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            return False
        return (
            parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and port_ok
            and text.startswith(parts.scheme + "://")
        )
    path = text.replace("\\", "/")
    return not path.startswith("/") and ".." not in path.split("/") and not path.startswith("~")


class _Context:
    """What checking records needs from a division, computed once."""

    def __init__(self, division: Division, today: date) -> None:
        self.division = division
        self.today = today
        self.tasks = {task.number: task for task in division.tasks}
        self.fingerprints = {number: fingerprint(task) for number, task in self.tasks.items()}
        self.by_fingerprint: dict[str, list[int]] = {}
        for number, print_ in self.fingerprints.items():
            self.by_fingerprint.setdefault(print_, []).append(number)
        self.window = table_period(division)
        self._owed: dict[str, set[int]] = {}

    def owed(self, unit: Unit) -> set[int]:
        if unit.name not in self._owed:
            self._owed[unit.name] = {o.task.number for o in obligations(self.division, unit)}
        return self._owed[unit.name]


def _resolve_unit(division: Division, written: str) -> tuple[Unit | None, str | None]:
    """The roster unit a file names, or a Chinese reason why it names none."""
    from .query import names_of, normalize

    try:
        entity = resolve(division, written)
    except LookupFailedError as e:
        hint = f"（{'、'.join(e.candidates)}）" if e.candidates else ""
        return None, f"单位“{written}”不在名册中：{e}{hint}"
    if isinstance(entity, Group):
        return None, f"“{written}”是群体，不是单位；进展由各成员单位分别报送，请写成员单位的名称"
    if normalize(written) not in {normalize(name) for name in names_of(entity)}:
        return None, f"单位“{written}”不在名册中；是否指“{entity.name}”？请写名册中的名称"
    return entity, None


# Two records alike in all they say (task, unit, date, status, period, text, evidence and reporter) are one said
# twice; a later record on the same day that says more (a corrected text, added evidence) is not.
_RecordKey = tuple[int, str, date, str, str | None, str, tuple[str, ...], str | None]


def _check_source(
    source: Source, context: _Context, seen: dict[_RecordKey, ProgressRecord]
) -> tuple[list[ProgressRecord], list[Problem]]:
    """The valid records of one parsed progress file and a located problem for everything wrong in it."""
    problems: list[Problem] = []

    def problem(loc: Sequence[str | int], message: str, code: str, *, key: bool = False) -> None:
        problems.append(source.problem(loc, message, key=key)._replace(code=f"progress-{code}"))

    data: dict[Any, Any] = source.data
    for name in data:
        if name not in FILE_FIELDS:
            problem([name], f"未知字段“{name}”，进展文件只有 unit 和 records 两个字段", "field", key=True)
    unit: Unit | None = None
    written = data.get("unit")
    if not isinstance(written, str) or not written.strip():
        problem(["unit"] if "unit" in data else [], "缺少单位：请在文件开头写 unit: 单位名称", "unit")
    else:
        unit, reason = _resolve_unit(context.division, written)
        if reason is not None:
            problem(["unit"], reason, "unit")
        elif unit is not None and source.path.stem not in (written, unit.name):
            problem(
                ["unit"],
                f"文件名“{source.path.name}”与单位“{written}”不符；请把文件改名为“{unit.name}.yaml”",
                "filename",
            )
            unit = None  # its records count once the file carries its unit's name
    entries = data.get("records")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        problem(["records"], "“records”应为列表，每条记录以“- task: 序号”开始", "schema")
        entries = []
    records = []
    for index, entry in enumerate(entries):
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
    context: _Context,
    unit: Unit | None,
    index: int,
    entry: Any,
    problem: Any,
) -> ProgressRecord | None:
    here: list[str | int] = ["records", index]
    if not isinstance(entry, dict):
        problem(here, "每条记录应为“键: 值”映射，以“- task: 序号”开始", "schema")
        return None
    for name in entry:
        if name not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
            known = "、".join(REQUIRED_FIELDS + OPTIONAL_FIELDS)
            problem([*here, name], f"未知字段“{name}”，可用字段为 {known}", "field", key=True)
    missing = [name for name in REQUIRED_FIELDS if name not in entry]
    if missing:
        problem(here, f"缺少必填字段“{'”“'.join(missing)}”", "schema")
        return None
    ok = True
    number = entry["task"]
    task: Task | None = None
    if isinstance(number, bool) or not isinstance(number, int):
        problem([*here, "task"], "“task”应为任务序号（整数，不加引号）", "schema")
        ok = False
    elif number not in context.tasks:
        numbers = sorted(context.tasks)
        problem([*here, "task"], f"表中没有第 {number} 项任务：编号为 {numbers[0]}…{numbers[-1]}", "task")
        ok = False
    else:
        task = context.tasks[number]
    # YAML reads 123456 as a number and 012345 as an octal one: the fingerprint is the text as written.
    node = _node_at(source, [*here, "fingerprint"])
    written_print = str(node.value).strip().lower() if node is not None and isinstance(node.value, str) else ""
    if not re.fullmatch(_FINGERPRINT, written_print):
        problem(
            [*here, "fingerprint"], "“fingerprint”应为 6 位十六进制指纹（由 gongkai 生成，如 3f2a9c）", "fingerprint"
        )
        ok = False
    elif task is not None and written_print != context.fingerprints[task.number]:
        others = [n for n in context.by_fingerprint.get(written_print, []) if n != task.number]
        if others:
            message = f"任务 {task.number} 的要求已改动；指纹与任务 {others[0]} 一致，是否应改为 task: {others[0]}？"
        else:
            message = (
                f"任务 {task.number} 的要求已改动，指纹 {written_print} 与现在的要求（{context.fingerprints[task.number]}）"
                "不符；任务若已改号，gongkai diff 旧表 新表 列出的“编号变化”给出新编号；核对后改写 task 和指纹"
            )
        problem([*here, "fingerprint"], message, "fingerprint")
        ok = False
    day = entry["date"]
    first_day, last_day = context.window
    if isinstance(day, datetime) or not isinstance(day, date):
        problem([*here, "date"], "“date”应为日期，写作 2024-06-30", "date")
        ok = False
    elif not first_day <= day <= last_day:
        problem([*here, "date"], f"日期 {day} 不在这张表的年度内（{first_day} 至 {last_day}）", "date")
        ok = False
    elif day > context.today:
        problem([*here, "date"], f"日期 {day} 晚于今天（{context.today}）；进展只能报送已经发生的情况", "date")
        ok = False
    status = STATUS_KEYS.get(entry["status"].strip()) if isinstance(entry["status"], str) else None
    if status is None:
        problem([*here, "status"], f"状态“{entry['status']}”无效，应为 {'、'.join(STATUSES.values())} 之一", "status")
        ok = False
    text = entry["progress"]
    if not isinstance(text, str) or not text.strip():
        problem([*here, "progress"], "“progress”应填写工作进展情况（文字，不能为空）", "schema")
        ok = False
    evidence = entry.get("evidence", [])
    if isinstance(evidence, str):
        evidence = [evidence]
    if not isinstance(evidence, list):
        problem([*here, "evidence"], "“evidence”应为列表，写作 [链接, 文件路径]", "evidence")
        evidence, ok = [], False
    for position, item in enumerate(evidence):
        if not isinstance(item, str) or not _well_formed_evidence(item):
            where = [*here, "evidence", position] if isinstance(entry.get("evidence"), list) else [*here, "evidence"]
            message = (
                f"佐证“{item}”不是有效的 http(s) 链接或相对文件路径（如 https://www.example.gov.cn/a.html、佐证/1.pdf）"
            )
            problem(where, message, "evidence")
            ok = False
    reported_by = entry.get("reported_by")
    if reported_by is not None and (not isinstance(reported_by, str) or not reported_by.strip()):
        problem([*here, "reported_by"], "“reported_by”应为报送人姓名（文字）", "schema")
        ok = False
    period = entry.get("period")
    if period is not None:
        bounds = period_bounds(str(period)) if isinstance(period, (str, int)) and not isinstance(period, bool) else None
        if bounds is None:
            problem(
                [*here, "period"],
                f"周期“{period}”无效，应写作 {context.division.year}、{context.division.year}-H1、{context.division.year}-Q2 或 {context.division.year}-06",
                "period",
            )
            ok = False
        elif bounds[0].year != context.division.year:
            problem([*here, "period"], f"周期“{period}”不在这张表的年度（{context.division.year}）内", "period")
            ok = False
        elif isinstance(day, date) and not isinstance(day, datetime) and bounds[0] > day:
            problem([*here, "period"], f"周期“{period}”自 {bounds[0]} 开始，晚于记录日期 {day}；不能提前报送", "period")
            ok = False
        else:
            period = str(period)
    if unit is not None and task is not None and task.number not in context.owed(unit):
        problem(
            [*here, "task"],
            f"{unit.name}不承担任务 {task.number}（既未被点名，也不属于点名的群体）；请核对任务序号",
            "owe",
        )
        ok = False
    if not ok or unit is None or task is None or status is None:
        return None
    line, _ = source.locate(here)
    return ProgressRecord(
        unit.name,
        task.number,
        written_print,
        day,
        status,
        text.strip(),
        tuple(evidence),
        reported_by.strip() if reported_by else None,
        period,
        source.path,
        line,
    )


def _parse(path: Path, raw: bytes) -> tuple[Source | None, list[Problem]]:
    from .load import parse_yaml

    try:
        source, problems = parse_yaml(path, raw, top_level="unit 和 records")
    except DataError as e:
        return None, e.problems
    return source, problems


def read_progress(folder: Path, division: Division, *, today: date) -> tuple[list[ProgressRecord], list[Problem]]:
    """Every valid record of every ``*.yaml`` in a progress folder, and a located problem for each bad one.

    Files are read in name order through the bounded reader and parsed like data files (positions, unsafe
    characters and alias bombs alike). A missing folder holds no records.
    """
    if not folder.is_dir():
        return [], []
    context = _Context(division, today)
    seen: dict[_RecordKey, ProgressRecord] = {}
    records: list[ProgressRecord] = []
    problems: list[Problem] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix == ".yaml" and not p.name.startswith(".")):
        try:
            raw = read_file(path)
        except FileRefusedError as e:
            problems.append(Problem(path, None, None, f"进展文件{e}", "file"))
            continue
        source, found = _parse(path, raw)
        problems += found
        if source is None or any(p.code == "unsafe-character" for p in found):
            continue
        good, found = _check_source(source, context, seen)
        records += good
        problems += found
    return records, problems


# --- writing ------------------------------------------------------------------------------------------------


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


def _file_problems(path: Path, raw: bytes, division: Division, today: date) -> list[Problem]:
    source, problems = _parse(path, raw)
    if source is not None:
        problems += _check_source(source, _Context(division, today), {})[1]
    return problems


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
    task: int,
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
    entity, reason = _resolve_unit(division, unit)
    if entity is None:
        raise RecordRefusedError(f"记录未写入：{reason}")
    if any(c in entity.name for c in "/\\\0") or entity.name.startswith("."):
        raise RecordRefusedError(f"记录未写入：单位名称“{entity.name}”不能用作文件名")
    target = next((t for t in division.tasks if t.number == task), None)
    if target is None:
        raise RecordRefusedError(f"记录未写入：表中没有第 {task} 项任务")
    record = ProgressRecord(
        entity.name,
        task,
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
        source, _ = _parse(path, old)
        node = _node_at(source, ["records"]) if source is not None else None
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
    before = set(_file_problems(path, old, division, today)) if old is not None else set()
    fresh = [p for p in _file_problems(path, new, division, today) if p not in before and p.severity != "notice"]
    if fresh:
        reasons = "；".join(p.message for p in fresh)
        raise RecordRefusedError(f"记录未写入：{reasons}", fresh)
    folder.mkdir(exist_ok=True)
    from .atomic import write_atomically

    write_atomically(path, new)
    return path


# --- status -------------------------------------------------------------------------------------------------


class RecordIndex:
    """Records by (task, unit), each list in date order (file order among equal dates)."""

    __slots__ = ("by_key", "reporters")

    def __init__(self, records: Iterable[ProgressRecord]) -> None:
        self.by_key: dict[tuple[int, str], list[ProgressRecord]] = {}
        self.reporters: dict[int, set[str]] = {}
        for record in records:
            self.by_key.setdefault((record.task, record.unit), []).append(record)
            self.reporters.setdefault(record.task, set()).add(record.unit)
        by_date = attrgetter("date")  # a C-level key: ten thousand records sort without a Python call each
        for found in self.by_key.values():
            found.sort(key=by_date)

    def of(self, task: int, unit: str) -> list[ProgressRecord]:
        """The records of one unit on one task, in date order."""
        return self.by_key.get((task, unit), [])


Records = Sequence[ProgressRecord] | RecordIndex


def deciding_records(division: Division, records: Iterable[ProgressRecord]) -> list[ProgressRecord]:
    """The records that decide every status answer, in index order: per task and unit, the latest of each occurrence
    and the latest of all.

    An earlier report on the same occurrence is superseded, so every status, state, reminder and latest record
    comes out the same from these as from all the records; a unit's weekly reports shrink to a few.
    """
    tasks = {task.number: task for task in division.tasks}
    kept: list[ProgressRecord] = []
    for (number, _), found in RecordIndex(records).by_key.items():
        task = tasks.get(number)
        last_of = {occurrence_of(task, r) if task is not None else None: i for i, r in enumerate(found)}
        kept.extend(found[i] for i in sorted({*last_of.values(), len(found) - 1}))
    return kept


def index_records(records: Records) -> RecordIndex:
    """An index of the records, for repeated status questions (an index is returned as it is)."""
    return records if isinstance(records, RecordIndex) else RecordIndex(records)


def occurrence_of(task: Task, record: ProgressRecord) -> date | None:
    """The occurrence a record applies to: a deadline's due date, a recurring limit's occurrence, else None."""
    if task.time_limit.due is not None:
        return task.time_limit.due
    occurrences = task.time_limit.occurrences
    if not occurrences:
        return None
    day = record.date
    if record.period is not None:
        bounds = period_bounds(record.period)
        day = bounds[1] if bounds is not None else day
    return next((o for o in occurrences if o >= day), occurrences[-1])


def latest_status(records: Records, task: Task, unit: str, occurrence: date | None = None) -> Status | None:
    """The latest reported status of a unit on a task (on one occurrence where given), None if none applies."""
    found = index_records(records).of(task.number, unit)
    if occurrence is not None and task.time_limit.occurrences:
        found = [r for r in found if occurrence_of(task, r) == occurrence]
    return found[-1].status if found else None


def is_done(records: Records, task: Task, unit: str, occurrence: date | None = None) -> bool:
    """Whether the latest report of a unit on a task (occurrence) says 已完成."""
    return latest_status(records, task, unit, occurrence) == "done"


def owed_units(division: Division, task: Task, records: Records | None = None) -> list[str]:
    """The roster units that owe a task: named ones, then members of groups that cover all their members.

    A member of a group covering only the relevant members owes the task once it has reported on it (pass
    `records`). Group members beyond the roster (an open-ended group) cannot be listed.
    """
    entities: dict[str, Unit | Group] = {u.name: u for u in division.units_file.units}
    entities.update({g.name: g for g in division.units_file.groups})
    owed: dict[str, None] = {}
    relevant: list[Group] = []
    for name in units_of(task):
        entity = entities.get(name)
        if isinstance(entity, Unit):
            owed[entity.name] = None
        elif isinstance(entity, Group):
            if entity.coverage == "all":
                owed.update(dict.fromkeys(u.name for u in members(division, entity)))
            else:
                relevant.append(entity)
    if records is not None and relevant:
        reporters = index_records(records).reporters.get(task.number, set())
        for group in relevant:
            owed.update(dict.fromkeys(u.name for u in members(division, group) if u.name in reporters))
    return list(owed)


def _state_of(index: RecordIndex, task: Task, unit: str, today: date) -> State:
    occurrences = due_dates(task)
    current: date | None = None
    for occurrence in occurrences:
        if occurrence < today:
            if latest_status(index, task, unit, occurrence) != "done":
                return "overdue"
        else:
            current = occurrence
            break
    if occurrences and current is None:
        return "done"  # every occurrence is past, and each was done
    status = latest_status(index, task, unit, current)
    if status in ("done", "on_track", "behind"):
        return status
    return "not_reported"  # 未开始 says no work to show yet


def task_state(division: Division, records: Records, task: Task, today: date) -> dict[str, State]:
    """The state of a task for each unit that owes it, in owed_units order.

    done; on_track or behind (the latest report on the current occurrence); not_reported (no report, or
    未开始); overdue (an occurrence before today not done). Undated limits (持续推进, 及时, 1月1日后) are never overdue.
    """
    index = index_records(records)
    return {unit: _state_of(index, task, unit, today) for unit in owed_units(division, task, index)}


def roster_unit(division: Division, name: str) -> Unit:
    """The roster unit `name` means (any name `resolve` accepts); LookupFailedError for a group as for an unknown
    name, since only units report."""
    entity = resolve(division, name)
    if not isinstance(entity, Unit):
        raise LookupFailedError(f"“{name}”是群体，不是单位；请写成员单位的名称")
    return entity


class UnitProgress(NamedTuple):
    """How far one unit has come with the tasks it owes; `states` gives each task's state by task number."""

    unit: str
    owed: int
    done: int
    on_track: int
    behind: int
    not_reported: int
    overdue: int
    completion_rate: float
    states: dict[int, State]


class TaskReports(NamedTuple):
    """Which units that owe a task have reported on it, and which have not (in owed_units order)."""

    task: int
    reported: tuple[str, ...]
    not_reported: tuple[str, ...]


def _tasks_of(division: Division, section: str | None) -> list[Task]:
    return list(division.tasks) if section is None else section_tasks(find_section(division, section))


def progress_summary(
    division: Division, records: Records, today: date, unit: str | None = None, section: str | None = None
) -> list[UnitProgress]:
    """Per roster unit (or the one `unit`), in roster order: the tasks owed (of `section`, a ref such as 四 or 4.2)."""
    index = index_records(records)
    tasks = _tasks_of(division, section)
    states: dict[str, dict[int, State]] = {}
    for task in tasks:
        for name, state in task_state(division, index, task, today).items():
            states.setdefault(name, {})[task.number] = state
    wanted = [roster_unit(division, unit)] if unit is not None else list(division.units_file.units)
    summary = []
    for entity in wanted:
        mine = states.get(entity.name, {})
        if not mine and unit is None:
            continue
        counts = dict.fromkeys(STATES, 0)
        for state in mine.values():
            counts[state] += 1
        rate = counts["done"] / len(mine) if mine else 0.0
        summary.append(
            UnitProgress(
                entity.name,
                len(mine),
                counts["done"],
                counts["on_track"],
                counts["behind"],
                counts["not_reported"],
                counts["overdue"],
                rate,
                mine,
            )
        )
    return summary


def task_reports(division: Division, records: Records, section: str | None = None) -> list[TaskReports]:
    """Per task (of `section`), the owing units with at least one report on it and those without."""
    index = index_records(records)
    found = []
    for task in _tasks_of(division, section):
        owed = owed_units(division, task, index)
        reporters = index.reporters.get(task.number, set())
        found.append(
            TaskReports(
                task.number,
                tuple(u for u in owed if u in reporters),
                tuple(u for u in owed if u not in reporters),
            )
        )
    return found


def latest_record(records: Records, task: Task, unit: str) -> ProgressRecord | None:
    """The latest record of a unit on a task, whatever its occurrence."""
    found = index_records(records).of(task.number, unit)
    return found[-1] if found else None


class Reminder(NamedTuple):
    """What one unit has falling due in a window and has not reported done: (task, due date) pairs."""

    unit: str
    contact: str | None
    items: tuple[tuple[Task, date], ...]


def reminders(
    division: Division, records: Records, start: date, end: date, entity: Unit | Group | None = None
) -> list[Reminder]:
    """Per unit (roster order), the occurrences due from `start` to `end` that the unit has not reported done: of
    every unit, of the unit `entity`, or of the members of the group `entity`."""
    from .query import due_dates

    index = index_records(records)
    wanted = _unit_names(division, entity) if entity is not None else None
    pending: dict[str, list[tuple[Task, date]]] = {}
    for task in division.tasks:
        days = [day for day in due_dates(task) if start <= day <= end]
        if not days:
            continue
        for name in owed_units(division, task, index):
            if wanted is not None and name not in wanted:
                continue
            for day in days:
                if not is_done(index, task, name, day):
                    pending.setdefault(name, []).append((task, day))
    found = []
    for roster_unit in division.units_file.units:
        items = pending.get(roster_unit.name)
        if items:
            ordered = tuple(sorted(items, key=lambda item: (item[1], item[0].number)))
            found.append(Reminder(roster_unit.name, roster_unit.contact, ordered))
    return found


def done_by_all(
    division: Division, records: Records, task: Task, occurrence: date | None, entity: Unit | Group | None = None
) -> bool:
    """Whether a task (one occurrence of it) is reported done: by the unit `entity`; by every member of the group
    `entity` that owes it; or else by every unit that owes it."""
    index = index_records(records)
    if isinstance(entity, Unit):
        return is_done(index, task, entity.name, occurrence)
    owing = owed_units(division, task, index)
    if entity is not None:
        in_group = _unit_names(division, entity)
        owing = [name for name in owing if name in in_group]
    return bool(owing) and all(is_done(index, task, name, occurrence) for name in owing)


def _unit_names(division: Division, entity: Unit | Group) -> set[str]:
    """The roster units an entity stands for: a unit itself, a group its members."""
    return {u.name for u in members(division, entity)} if isinstance(entity, Group) else {entity.name}


class ProgressReading(NamedTuple):
    """What queries read of a progress folder: the deciding records dated up to today, or the problems found.

    `later` counts the records dated after today (a past --today, say): an answer as of today leaves them out.
    """

    records: list[ProgressRecord]
    problems: list[Problem]
    later: int = 0


def done_test(division: Division, records: Records, entity: Unit | Group | None = None) -> DoneTest:
    """`done_by_all` as a test of one occurrence, for the queries that leave out or skip what is done."""
    index = index_records(records)
    return lambda task, occurrence: done_by_all(division, index, task, occurrence, entity)


def cached_progress(folder: Path, division: Division, *, today: date, table_files: Sequence[Path]) -> ProgressReading:
    """The deciding records (see `deciding_records`) of the records dated up to `today`, from the cache when neither
    the records nor the table's files have changed.

    Only a clean reading is cached, so a problem is always reported from source. A record after today is not a
    problem here (`check` reports it): it is left out and counted.
    """
    from . import cache

    try:
        names = sorted(p for p in folder.glob("*.yaml")) if folder.is_dir() else []
        contents = {path: read_file(path) for path in [*table_files, *names]}
    except (OSError, FileRefusedError):
        return _reading_from_source(folder, division, today, None, b"")
    if not names:
        return ProgressReading([], [])
    wanted = cache.cache_dir()
    store = cache.private_folder(wanted) if wanted is not None else None
    # Today is not part of the key, so that queries with different --today share the cache: the cache holds the
    # deciding records of all records, which hold each task and unit's latest, so if none is after today they
    # are the answer; otherwise the answer is worked out from source.
    key = cache.data_key(contents)
    stored_at = cache.cache_file(store, folder) if store is not None else None
    if stored_at is not None:
        payload = cache.read_payload(stored_at, key)
        if payload is not None:
            try:
                records = _records_from(payload)
            except Exception:  # a payload of the wrong shape is treated as absent
                records = None
            if records is not None and all(r.date <= today for r in records):
                return ProgressReading(records, [])
    return _reading_from_source(folder, division, today, stored_at, key)


def _reading_from_source(
    folder: Path, division: Division, today: date, stored_at: Path | None, key: bytes
) -> ProgressReading:
    from . import cache

    everything, problems = read_progress(folder, division, today=date.max)
    if problems:
        return ProgressReading(everything, problems)
    deciding = deciding_records(division, everything)
    if stored_at is not None:
        cache.write_payload(stored_at, key, tuple(_record_row(r) for r in deciding))
    current = [r for r in everything if r.date <= today]
    if len(current) == len(everything):
        return ProgressReading(deciding, [])
    return ProgressReading(deciding_records(division, current), [], len(everything) - len(current))


def _record_row(record: ProgressRecord) -> tuple[object, ...]:
    return (
        record.unit,
        record.task,
        record.fingerprint,
        record.date.toordinal(),
        record.status,
        record.progress,
        record.evidence,
        record.reported_by,
        record.period,
        str(record.path) if record.path is not None else None,
        record.line,
    )


# The type each column of a cached record must have (None allowed where a field is optional).
_COLUMN_TYPES: tuple[frozenset[type], ...] = (
    frozenset({str}),  # unit
    frozenset({int}),  # task
    frozenset({str}),  # fingerprint
    frozenset({int}),  # date as an ordinal
    frozenset({str}),  # status
    frozenset({str}),  # progress
    frozenset({tuple}),  # evidence
    frozenset({str, type(None)}),  # reported_by
    frozenset({str, type(None)}),  # period
    frozenset({str, type(None)}),  # path
    frozenset({int, type(None)}),  # line
)


def _records_from(payload: Sequence[Sequence[object]]) -> list[ProgressRecord]:
    """Rebuild cached records column by column, checking every value's type; TypeError on a forged payload."""
    if not payload:
        return []
    columns = list(zip(*payload, strict=True))
    if len(columns) != len(_COLUMN_TYPES):
        raise TypeError("a cached progress record of the wrong shape")
    for column, allowed in zip(columns, _COLUMN_TYPES, strict=True):
        if not set(map(type, column)) <= allowed:
            raise TypeError("a cached progress record of the wrong type")
    units, tasks, prints, ordinals, statuses, texts, evidence, by, periods, paths, lines = columns
    if not set(statuses) <= STATUSES.keys() or not all(set(map(type, e)) <= {str} for e in evidence if e):
        raise TypeError("a cached progress record of the wrong value")
    files = {name: Path(name) for name in set(paths) if name is not None}  # one Path per file, not per record
    dates = map(date.fromordinal, ordinals)
    where = map(files.get, paths)
    rows = zip(units, tasks, prints, dates, statuses, texts, evidence, by, periods, where, lines, strict=True)
    # _make skips the keyword handling of a NamedTuple's __new__: it matters ten thousand times over.
    return list(map(ProgressRecord._make, rows))


__all__ = [
    "STATES",
    "STATE_LABELS",
    "STATUSES",
    "STATUS_KEYS",
    "ProgressReading",
    "ProgressRecord",
    "RecordIndex",
    "RecordRefusedError",
    "Reminder",
    "TaskReports",
    "UnitProgress",
    "append_record",
    "cached_progress",
    "deciding_records",
    "done_by_all",
    "done_test",
    "fingerprint",
    "index_records",
    "is_done",
    "latest_record",
    "latest_status",
    "occurrence_of",
    "owed_units",
    "period_bounds",
    "progress_summary",
    "read_progress",
    "reminders",
    "roster_unit",
    "table_period",
    "task_reports",
    "task_state",
]
