"""The data model: immutable records that mirror data/tasks.yaml, data/units.yaml and the progress files.

They are typing.NamedTuple classes rather than pydantic models or dataclasses so that a query can rebuild
them from the cache without importing pydantic, and because defining one costs a tenth of what a dataclass
does at start-up. `load` validates them with a pydantic TypeAdapter, which honours the field types and the
`NonEmpty` constraints, and rejects unknown keys.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import repeat
from operator import attrgetter
from typing import Annotated, Any, Literal

from .deadlines import Kind, LagUnit
from .tuples import NamedTuple
from .vocabulary import COVERAGE_LABELS, COVERAGE_SHORT, KIND_LABELS, STATUSES, Status


class _Schema:
    """Annotation metadata that tightens a field's pydantic core schema (min_length=1, strict=True, …).

    pydantic calls this hook when it builds a validator; defining it here, instead of using annotated_types
    or pydantic.Field, keeps every pydantic-related import off the query path.
    """

    def __init__(self, **settings: Any) -> None:
        self.settings = settings

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema.update(self.settings)
        return schema


NonEmpty = _Schema(min_length=1)
# A number typed as text ("44") is a mistake to point out, not to convert silently.
Whole = Annotated[int, _Schema(strict=True)]
Text = Annotated[str, NonEmpty]
# Dates are built from the plan year; a year such as 2147483648 would overflow them.
Year = Annotated[int, _Schema(strict=True, ge=1900, le=2999)]


class _Synonyms:
    """Annotation metadata that also accepts the Chinese labels the tool prints for a vocabulary's keys.

    With `listed`, a value that is neither a key nor a label is refused naming those labels, not the keys.
    """

    def __init__(
        self, labels: Mapping[str, str], extra: Iterable[tuple[str, str]] = (), *, listed: bool = False
    ) -> None:
        self.keys = {key: key for key in labels} | {label: key for key, label in labels.items()} | dict(extra)
        self.listed = "、".join(labels.values()) if listed else None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import PydanticCustomError, core_schema

        def to_key(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            if self.listed is not None and value.strip() not in self.keys:
                raise PydanticCustomError("literal_error", "{expected}", {"expected": self.listed})
            return self.keys.get(value.strip(), value)

        return core_schema.no_info_before_validator_function(to_key, handler(source))


class _Check:
    """Annotation metadata: a rule the value must pass, and the message when it does not.

    The message may name `{field}` and `{value}`; io/messages.py fills them in where the value stands.
    """

    def __init__(self, rule: Callable[[Any], bool], message: str) -> None:
        self.rule = rule
        self.message = message

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import PydanticCustomError, core_schema

        def check(value: Any) -> Any:
            if not self.rule(value):
                raise PydanticCustomError("refused", "{message}", {"message": self.message})
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))


class _ListShorthand:
    """Annotation metadata that lets a list of one text be written as that text alone."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def expand(value: Any) -> Any:
            return [value] if isinstance(value, str) else value

        return core_schema.no_info_before_validator_function(expand, handler(source))


class _TextShorthand:
    """Annotation metadata that lets a mapping with a `text` field be written as that text alone.

    `time_limit: 9月底前` is the lean form of `time_limit: {text: 9月底前}`: the meaning is read from the text.
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def expand(value: Any) -> Any:
            return {"text": value} if isinstance(value, str) else value

        return core_schema.no_info_before_validator_function(expand, handler(source))


Coverage = Literal["all", "relevant"]
# A group's coverage may be written as the key, the label the tool prints or its short form (全体, 相关).
CoverageField = Annotated[Coverage, _Synonyms(COVERAGE_LABELS, COVERAGE_SHORT)]


class TimeLimit(NamedTuple):
    """时限要求: the printed phrase, and what it means.

    In the file only `text` is needed: the meaning is read from it. A stored `kind`, `due` or `start` that
    differs from that reading is an interpretation and needs `override: true` and a `note`. `occurrences`
    are the due dates of a recurring limit (每季度), and `lag` with `lag_unit` the stated lag of a prompt one
    (信息形成后7个工作日内: 7, working_day), always derived.
    """

    text: Text
    kind: Kind | None = None
    due: datetime.date | None = None
    start: datetime.date | None = None
    override: bool = False
    note: Text | None = None
    occurrences: tuple[datetime.date, ...] = ()
    lag: int | None = None
    lag_unit: LagUnit | None = None


TimeLimitField = Annotated[TimeLimit, _TextShorthand()]


class ScoringRule(NamedTuple):
    """An assessment bonus (points > 0) or penalty (points < 0) stated by a requirement."""

    points: float
    condition: Text
    per: Text | None = None
    who: Text | None = None


class Task(NamedTuple):
    """One row of the table: its printed cells, and the structure read from them.

    In the file a task needs only its cells: `number` (序号, where the source prints one), `requirement`
    (具体要求), `responsibility` (责任单位; or `lead_text` and `support_text` where the table has separate 牵头 and
    配合 columns), `time_limit` (时限) and, where the table has one per row, `work_item` (工作任务). The units
    (`leads`, `implementers`, `supports`) are read from the responsibility cells; stored lists that differ from
    that reading are interpretations and need `notes`. After loading every field is filled in.
    """

    requirement: Text
    time_limit: TimeLimitField
    # None only in a file whose source prints no 序号: loading numbers such tasks by position.
    number: Whole = None  # type: ignore[assignment]
    responsibility: Text | None = None
    lead_text: Text | None = None
    support_text: Text | None = None
    work_item: Text | None = None
    leads: tuple[Text, ...] | None = None
    implementers: tuple[Text, ...] | None = None
    supports: tuple[Text, ...] | None = None
    scoring: tuple[ScoringRule, ...] = ()
    notes: tuple[Text, ...] = ()


class Subsection(NamedTuple):
    """（一）… heading, a cell of 工作任务 merged over its rows; `numeral` is None where the table prints none."""

    title: Text
    tasks: tuple[Task, ...]
    numeral: Text | None = None


class Section(NamedTuple):
    """一、… heading, over subsections or directly over tasks."""

    title: Text
    numeral: Text | None = None
    subsections: tuple[Subsection, ...] = ()
    tasks: tuple[Task, ...] = ()


class Document(NamedTuple):
    """The table's title and plan year, and where present the notice that publishes it.

    `period_start` and `period_end` bound the days progress may be reported on; by default the plan year and the
    first quarter of the next, when the year's work is summed up (see `plan_period`).
    """

    title: Text
    year: Year
    issuer: Text | None = None
    number: Text | None = None
    date: datetime.date | None = None
    date_text: Text | None = None
    notice_title: Text | None = None
    addressees: Text | None = None
    body: Text | None = None
    signatory: Text | None = None
    columns: tuple[Text, ...] = ()
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


def plan_period(document: Document) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the table's period: as the document states it, else 1 January of the plan year
    to 31 March of the next."""
    start = document.period_start or datetime.date(document.year, 1, 1)
    end = document.period_end or datetime.date(document.year + 1, 3, 31)
    return start, end


class TaskFile(NamedTuple):
    """tasks.yaml: the document, then sections (with subsections or tasks) or a flat list of tasks."""

    document: Document
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = ()


class Variant(NamedTuple):
    """Another form the table writes for a unit or group, with the reading recorded."""

    text: Text
    note: Text


# A unit's progress records are the file <name>.yaml, written through a temp file beside it (".<name>.yaml.…tmp"):
# a file name holds 255 bytes, and a name starting with "." would be a hidden file that no reader lists.
UNIT_NAME_BYTES = 200


def _is_control(char: str) -> bool:
    return char < " " or "\x7f" <= char <= "\x9f"


def _makes_file_name(name: str) -> bool:
    return (
        len(name.encode("utf-8")) <= UNIT_NAME_BYTES
        and not name.startswith(".")
        and not any(_is_control(char) for char in name)
    )


UnitName = Annotated[
    str,
    NonEmpty,
    _Check(
        _makes_file_name,
        f"“{{field}}”的取值“{{value}}”不能用作进展文件名（<单位>.yaml）：不能以“.”开头，不能含控制字符，"
        f"最长 {UNIT_NAME_BYTES} 字节（约 {UNIT_NAME_BYTES // 3} 个汉字）",
    ),
]
# Text printed as one line (a contact in a reminder): a line break in it would forge the lines that follow.
OneLine = Annotated[
    str,
    NonEmpty,
    _Check(
        lambda text: not any(_is_control(char) for char in text),
        "“{field}”应写在一行：不能含换行、制表符等控制字符",
    ),
]


class Unit(NamedTuple):
    """A body the table names: a department, an office, a county government, a committee, a 科室 …

    `kind` is a key of KIND_LABELS or of the roster's own `kinds`, or the label of one. `review` marks an entry
    written by a guess (a check hint or an import) that a person has not confirmed yet.
    """

    name: UnitName
    kind: Text
    full_name: Text | None = None
    variants: tuple[Variant, ...] = ()
    aliases: tuple[Text, ...] = ()
    note: Text | None = None
    review: bool = False
    # 联络人: who reminders name, e.g. 张三 13800000000.
    contact: OneLine | None = None


class Group(NamedTuple):
    """A collective the table names, such as 市政府各部门 or 各县区政府."""

    name: Text
    coverage: CoverageField
    members: tuple[Text, ...] = ()
    member_kinds: tuple[Text, ...] = ()
    open_ended: bool = False
    variants: tuple[Variant, ...] = ()
    note: Text | None = None
    review: bool = False


class KindDefinition(NamedTuple):
    """A unit kind a roster declares, with the label the tool prints for it.

    A roster may declare its own kinds or relabel a built-in one (a county's `department` is a 县直部门); the
    `endings` of its names (镇, 乡) come before the built-in ones when gongkai guesses a new name's kind.
    """

    name: Text
    label: Text
    endings: tuple[Text, ...] = ()


class UnitFile(NamedTuple):
    """units.yaml: the roster (a table's own units.yaml adds to its folder's)."""

    units: tuple[Unit, ...] = ()
    groups: tuple[Group, ...] = ()
    kinds: tuple[KindDefinition, ...] = ()


# --- progress records: DIR/<table>/progress/<单位>.yaml ---------------------------------------------------


def _is_evidence(text: str) -> bool:
    """An http(s) URL with a host and no spaces, or a relative file path that stays inside the folder."""
    if not text or any(c.isspace() for c in text):
        return False
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text):
        from urllib.parse import urlsplit

        try:
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


# Text read with the spaces around it removed; blank text is empty.
Stripped = Annotated[str, _Schema(strict=True, strip_whitespace=True, min_length=1)]
# Fingerprint and period are text; a progress file's reader passes what YAML reads as a number (123456, 012345,
# 2024) as the text written.
Fingerprint = Annotated[
    str,
    _Schema(strict=True, strip_whitespace=True, to_lower=True),
    _Check(
        lambda text: re.fullmatch("[0-9a-f]{6}", text) is not None,
        "“{field}”应为 6 位十六进制指纹（由 gongkai 生成，如 3f2a9c）",
    ),
]
# A date with a time of day is not a date of report.
Day = Annotated[datetime.date, _Schema(strict=True)]
StatusField = Annotated[Status, _Synonyms(STATUSES, listed=True)]
Evidence = Annotated[
    str,
    _Schema(strict=True),
    _Check(
        _is_evidence,
        "佐证“{value}”不是有效的 http(s) 链接或相对文件路径（如 https://www.example.gov.cn/a.html、佐证/1.pdf）",
    ),
]


# Its form (2024, 2024-H1, 2024-Q2, 2024-06) is checked with the table, whose plan year the message shows.
Period = Stripped


class ProgressEntry(NamedTuple):
    """One record of a progress file: one report of its unit on one task."""

    # The task's identity: its 序号, or 4-2 where numbers restart by section (see Division.task_id).
    task: Whole | Text
    fingerprint: Fingerprint
    date: Day
    status: StatusField
    progress: Stripped
    evidence: Annotated[tuple[Evidence, ...], _ListShorthand()] = ()
    reported_by: Stripped | None = None
    period: Period | None = None


class ProgressFile(NamedTuple):
    """A progress file: the unit that reports, and its records (`records:` with nothing after is none yet)."""

    unit: Stripped
    records: tuple[ProgressEntry, ...] | None = ()


class Placement(NamedTuple):
    """Where a task stands in the table; a flat table has no section, a section without subsections none."""

    section_number: int | None
    section: Section | None
    subsection_number: int | None
    subsection: Subsection | None


# A task's identity: its printed number (17) where numbers are unique in the table, else the number within the
# section (4-2) or subsection (4.2-3) that restarts them, sections and subsections counted by position.
TaskId = int | str


def qualified_id(place: Placement, number: int, *, by_subsection: bool) -> TaskId:
    """The identity of the task printed `number` at `place` in a table whose numbers repeat."""
    if place.section_number is None:
        return number  # a flat table cannot restart its numbers: a repeat there is a duplicate
    if by_subsection and place.subsection_number is not None:
        return f"{place.section_number}.{place.subsection_number}-{number}"
    return f"{place.section_number}-{number}"


def task_ids(numbers: Sequence[int], places: Sequence[Placement]) -> Sequence[TaskId]:
    """The identity of each task of a table, in table order, from its printed number and its placement.

    Numbers unique in the table are the identities. Where they repeat, a section whose numbers are unique qualifies
    them by the section (4-2), and a section whose subsections restart them by the subsection (4.2-3).
    """
    if len(set(numbers)) == len(numbers):
        return numbers
    located = list(zip(numbers, places, strict=True))
    by_section: dict[int | None, list[int]] = {}
    for number, place in located:
        by_section.setdefault(place.section_number, []).append(number)
    restarting = {section for section, found in by_section.items() if len(set(found)) < len(found)}
    return [qualified_id(place, number, by_subsection=place.section_number in restarting) for number, place in located]


class Division:
    """A whole validated task division: the table plus its units, with lookup indexes.

    Built from records whose derived fields (units, time-limit meanings, numbers) are filled in. Each task has one
    identity (`task_id`): what the command line, progress records, the 台账 and diff call it.
    """

    __slots__ = ("_by_id", "_ids", "placements", "repeats", "tasks", "tasks_file", "units_file")

    def __init__(self, tasks_file: TaskFile, units_file: UnitFile) -> None:
        self.tasks_file = tasks_file
        self.units_file = units_file
        tasks: list[Task] = []
        places: list[Placement] = []

        def add(group: Sequence[Task], where: Placement) -> None:
            tasks.extend(group)
            places.extend(repeat(where, len(group)))

        add(tasks_file.tasks, Placement(None, None, None, None))
        for section_number, section in enumerate(tasks_file.sections, 1):
            add(section.tasks, Placement(section_number, section, None, None))
            for subsection_number, subsection in enumerate(section.subsections, 1):
                add(subsection.tasks, Placement(section_number, section, subsection_number, subsection))
        self.tasks = tuple(tasks)
        numbers = list(map(attrgetter("number"), tasks))
        ids = task_ids(numbers, places)
        # Whether printed numbers repeat, so that identities name their section.
        self.repeats = str in set(map(type, ids))
        # Keyed by the identity; a repeat that even the identity cannot tell apart (invalid data) keeps the first.
        self.placements: dict[TaskId, Placement] = dict(zip(ids, places, strict=True))
        if len(self.placements) < len(ids):
            self.placements = {}
            for ident, where in zip(ids, places, strict=True):
                self.placements.setdefault(ident, where)
        # Where numbers repeat, the identities by the task object: a task's own fields do not say where it stands,
        # and two tasks may be alike. Where they do not (almost every table), a task's number is its identity.
        self._ids: dict[int, TaskId] | None = None if ids is numbers else dict(zip(map(id, tasks), ids, strict=True))
        self._by_id: dict[TaskId, Task] | None = None  # built by the first `find`: most answers need none

    def task_id(self, task: Task) -> TaskId:
        """The identity of one of this division's tasks: 17, or 4-2 / 4.2-3 where numbers repeat."""
        if self._ids is None:
            return task.number
        found = self._ids.get(id(task))
        if found is None:
            # An equal copy of a task (rebuilt by _replace, say) stands for the task it copies.
            same = next((t for t in self.tasks if t == task), None)
            if same is None:
                raise KeyError(f"task {task.number} is not in this division")
            found = self._ids[id(same)]
        return found

    def placement(self, task: Task) -> Placement:
        """Where one of this division's tasks stands."""
        return self.placements[self.task_id(task)]

    def find(self, ident: TaskId) -> Task | None:
        """The task with this identity (17, "17", "4-2" or "4.2-3" in the Arabic form the tool prints), if any."""
        if isinstance(ident, str) and ident.isascii() and ident.isdigit() and len(ident) <= 9:
            ident = int(ident)
        if self._by_id is None:
            last_first = self.tasks[::-1]  # written last, the first of a repeat is the one kept
            self._by_id = dict(zip(map(self.task_id, last_first), last_first, strict=True))
        return self._by_id.get(ident)

    @property
    def document(self) -> Document:
        """The notice."""
        return self.tasks_file.document

    @property
    def year(self) -> int:
        """The plan year that relative dates refer to."""
        return self.tasks_file.document.year

    def kind_label(self, kind: str) -> str:
        """The label the tool prints for a unit kind."""
        declared = {k.name: k.label for k in self.units_file.kinds}
        return declared.get(kind) or KIND_LABELS.get(kind, kind)
