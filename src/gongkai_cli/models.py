"""The data model: immutable records that mirror data/tasks.yaml and data/units.yaml.

They are typing.NamedTuple classes rather than pydantic models or dataclasses so that a query can rebuild
them from the cache without importing pydantic, and because defining one costs a tenth of what a dataclass
does at start-up. `load` validates them with a pydantic TypeAdapter, which honours the field types and the
`NonEmpty` constraints, and rejects unknown keys.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, NamedTuple

from .deadlines import Kind


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
    """Annotation metadata that also accepts the Chinese labels the tool prints for a vocabulary's keys."""

    def __init__(self, labels: dict[str, str], *extra: tuple[str, str]) -> None:
        self.keys = {label: key for key, label in labels.items()} | dict(extra)

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def to_key(value: Any) -> Any:
            return self.keys.get(value.strip(), value) if isinstance(value, str) else value

        return core_schema.no_info_before_validator_function(to_key, handler(source))


KIND_LABELS = {"department": "部门", "office": "机构", "county": "县区", "committee": "管委会"}
COVERAGE_LABELS = {"all": "全体成员承担", "relevant": "按职责相关承担"}
UnitKind = Literal["department", "office", "county", "committee"]
Coverage = Literal["all", "relevant"]
# In units.yaml a kind may be written as the key or as the label the tool prints (部门), and so may coverage
# (全体, 相关: the role labels).
KindField = Annotated[UnitKind, _Synonyms(KIND_LABELS)]
CoverageField = Annotated[Coverage, _Synonyms(COVERAGE_LABELS, ("全体", "all"), ("相关", "relevant"))]


class TimeLimit(NamedTuple):
    """时限要求: the printed phrase and what it means."""

    text: Text
    kind: Kind
    due: datetime.date | None = None
    start: datetime.date | None = None
    override: bool = False
    note: Text | None = None


class ScoringRule(NamedTuple):
    """An assessment bonus (points > 0) or penalty (points < 0) stated by a requirement."""

    points: float
    condition: Text
    per: Text | None = None
    who: Text | None = None


class Task(NamedTuple):
    """One numbered row of the table."""

    number: Whole
    requirement: Text
    responsibility: Text
    leads: tuple[Text, ...]
    implementers: tuple[Text, ...]
    time_limit: TimeLimit
    scoring: tuple[ScoringRule, ...] = ()
    notes: tuple[Text, ...] = ()


class Subsection(NamedTuple):
    """（一）… heading; `numeral` is None where a section has one unnumbered subsection."""

    numeral: Text | None
    title: Text
    tasks: tuple[Task, ...]


class Section(NamedTuple):
    """一、… heading."""

    numeral: Text
    title: Text
    subsections: tuple[Subsection, ...]


class Document(NamedTuple):
    """The notice that publishes the table."""

    issuer: Text
    notice_title: Text
    number: Text
    addressees: Text
    body: Text
    signatory: Text
    date_text: Text
    date: datetime.date
    title: Text
    year: Year
    columns: tuple[Text, ...]


class TaskFile(NamedTuple):
    """data/tasks.yaml."""

    document: Document
    sections: tuple[Section, ...]


class Variant(NamedTuple):
    """Another form the table writes for a unit or group, with the reading recorded."""

    text: Text
    note: Text


class Unit(NamedTuple):
    """A body the table names: a department, an office, a county government or a committee."""

    name: Text
    kind: KindField
    full_name: Text | None = None
    variants: tuple[Variant, ...] = ()
    aliases: tuple[Text, ...] = ()
    note: Text | None = None


class Group(NamedTuple):
    """A collective the table names, such as 市政府各部门 or 各县区政府."""

    name: Text
    coverage: CoverageField
    members: tuple[Text, ...] = ()
    member_kinds: tuple[KindField, ...] = ()
    open_ended: bool = False
    variants: tuple[Variant, ...] = ()
    note: Text | None = None


class UnitFile(NamedTuple):
    """data/units.yaml."""

    units: tuple[Unit, ...]
    groups: tuple[Group, ...] = ()


class Placement(NamedTuple):
    """Where a task stands in the table."""

    section_number: int
    section: Section
    subsection_number: int
    subsection: Subsection


class Division:
    """A whole validated task division: the table plus its units, with lookup indexes."""

    __slots__ = ("placements", "tasks", "tasks_file", "units_file")

    def __init__(self, tasks_file: TaskFile, units_file: UnitFile) -> None:
        self.tasks_file = tasks_file
        self.units_file = units_file
        tasks: list[Task] = []
        self.placements: dict[int, Placement] = {}
        for section_number, section in enumerate(tasks_file.sections, 1):
            for subsection_number, subsection in enumerate(section.subsections, 1):
                for task in subsection.tasks:
                    tasks.append(task)
                    self.placements[task.number] = Placement(section_number, section, subsection_number, subsection)
        self.tasks = tuple(tasks)

    @property
    def document(self) -> Document:
        """The notice."""
        return self.tasks_file.document

    @property
    def year(self) -> int:
        """The plan year that relative dates refer to."""
        return self.tasks_file.document.year
