"""Progress records: the file format, reading, and checking each record against the table.

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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import DataError, LookupFailedError, Problem
from ..io.read import FileRefusedError, read_file
from ..models import Division, Group, Task, Unit
from ..owing import obligations
from ..query import names_of, normalize, resolve
from ..tuples import NamedTuple

if TYPE_CHECKING:
    import yaml

    from ..io.yamlfile import Source


Status = Literal["not_started", "on_track", "done", "behind"]
# JSON key -> the label written in files and printed.
STATUSES: dict[Status, str] = {
    "not_started": "未开始",
    "on_track": "按序时推进",
    "done": "已完成",
    "behind": "未达预期",
}
STATUS_KEYS: dict[str, Status] = {**{label: key for key, label in STATUSES.items()}, **{key: key for key in STATUSES}}
REQUIRED_FIELDS = ("task", "fingerprint", "date", "status", "progress")
OPTIONAL_FIELDS = ("evidence", "reported_by", "period")
FILE_FIELDS = ("unit", "records")

# Patterns stay strings: re compiles them on first use, and a query that reads no record pays nothing.
_PERIOD = r"(?P<year>[0-9]{4})(?:-Q(?P<quarter>[1-4])|-H(?P<half>[12])|-(?P<month>0[1-9]|1[0-2]))?"
_FINGERPRINT = r"[0-9a-f]{6}"


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


def resolve_unit(division: Division, written: str) -> tuple[Unit | None, str | None]:
    """The roster unit a file names, or a Chinese reason why it names none."""
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
        unit, reason = resolve_unit(context.division, written)
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
    node = node_at(source, [*here, "fingerprint"])
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
                "不符；要求改写或任务改号后，运行 gongkai repoint 旧版本（如 HEAD~1）按 diff 的对应关系改写 task 和指纹"
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
        source, found = parse_file(path, raw)
        problems += found
        if source is None or any(p.code == "unsafe-character" for p in found):
            continue
        good, found = _check_source(source, context, seen)
        records += good
        problems += found
    return records, problems


def file_problems(path: Path, raw: bytes, division: Division, today: date) -> list[Problem]:
    """Every problem of one progress file as it would be written, on its own."""
    source, problems = parse_file(path, raw)
    if source is not None:
        problems += _check_source(source, _Context(division, today), {})[1]
    return problems


__all__ = [
    "FILE_FIELDS",
    "OPTIONAL_FIELDS",
    "REQUIRED_FIELDS",
    "STATUSES",
    "STATUS_KEYS",
    "ProgressRecord",
    "Status",
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
