"""The data model: plain frozen dataclasses that mirror data/tasks.yaml and data/units.yaml.

They are stdlib dataclasses rather than pydantic models so that queries can rebuild them from the cache
without importing pydantic; `load` validates them with a pydantic TypeAdapter, which honours the field
types, the `MinLen` constraints and `__pydantic_config__`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Annotated, Literal

from annotated_types import MinLen

from .deadlines import Kind

Text = Annotated[str, MinLen(1)]
TimeLimitKind = Kind
UnitKind = Literal["department", "office", "county", "committee"]
Coverage = Literal["all", "relevant"]

# Unknown fields are errors: a misspelt key would otherwise be dropped without a word.
_STRICT_FIELDS = {"extra": "forbid"}


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """时限要求: the printed phrase and what it means."""

    __pydantic_config__ = _STRICT_FIELDS
    text: Text
    kind: TimeLimitKind
    due: datetime.date | None = None
    start: datetime.date | None = None
    override: bool = False
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class ScoringRule:
    """An assessment bonus (points > 0) or penalty (points < 0) stated by a requirement."""

    __pydantic_config__ = _STRICT_FIELDS
    points: float
    condition: Text
    per: Text | None = None
    who: Text | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """One numbered row of the table."""

    __pydantic_config__ = _STRICT_FIELDS
    number: int
    requirement: Text
    responsibility: Text
    leads: tuple[Text, ...]
    implementers: tuple[Text, ...]
    time_limit: TimeLimit
    scoring: tuple[ScoringRule, ...] = ()
    notes: tuple[Text, ...] = ()


@dataclass(frozen=True, slots=True)
class Subsection:
    """（一）… heading; `numeral` is None where a section has one unnumbered subsection."""

    __pydantic_config__ = _STRICT_FIELDS
    numeral: Text | None
    title: Text
    tasks: Annotated[tuple[Task, ...], MinLen(1)]


@dataclass(frozen=True, slots=True)
class Section:
    """一、… heading."""

    __pydantic_config__ = _STRICT_FIELDS
    numeral: Text
    title: Text
    subsections: Annotated[tuple[Subsection, ...], MinLen(1)]


@dataclass(frozen=True, slots=True)
class Document:
    """The notice that publishes the table."""

    __pydantic_config__ = _STRICT_FIELDS
    issuer: Text
    notice_title: Text
    number: Text
    addressees: Text
    body: Text
    signatory: Text
    date_text: Text
    date: datetime.date
    title: Text
    year: int
    columns: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class TaskFile:
    """data/tasks.yaml."""

    __pydantic_config__ = _STRICT_FIELDS
    document: Document
    sections: Annotated[tuple[Section, ...], MinLen(1)]


@dataclass(frozen=True, slots=True)
class Variant:
    """Another form the table writes for a unit or group, with the reading recorded."""

    __pydantic_config__ = _STRICT_FIELDS
    text: Text
    note: Text


@dataclass(frozen=True, slots=True)
class Unit:
    """A body the table names: a department, an office, a county government or a committee."""

    __pydantic_config__ = _STRICT_FIELDS
    name: Text
    kind: UnitKind
    full_name: Text | None = None
    variants: tuple[Variant, ...] = ()
    aliases: tuple[Text, ...] = ()
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A collective the table names, such as 市政府各部门 or 各县区政府."""

    __pydantic_config__ = _STRICT_FIELDS
    name: Text
    coverage: Coverage
    members: tuple[Text, ...] = ()
    member_kinds: tuple[UnitKind, ...] = ()
    open_ended: bool = False
    variants: tuple[Variant, ...] = ()
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class UnitFile:
    """data/units.yaml."""

    __pydantic_config__ = _STRICT_FIELDS
    units: tuple[Unit, ...]
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a task stands in the table."""

    section_number: int
    section: Section
    subsection_number: int
    subsection: Subsection


@dataclass(frozen=True)
class Division:
    """A whole validated task division: the table plus its units, with lookup indexes."""

    tasks_file: TaskFile
    units_file: UnitFile
    tasks: tuple[Task, ...] = field(init=False)
    placements: dict[int, Placement] = field(init=False)

    def __post_init__(self) -> None:
        tasks: list[Task] = []
        placements: dict[int, Placement] = {}
        for section_number, section in enumerate(self.tasks_file.sections, 1):
            for subsection_number, subsection in enumerate(section.subsections, 1):
                for task in subsection.tasks:
                    tasks.append(task)
                    placements[task.number] = Placement(section_number, section, subsection_number, subsection)
        object.__setattr__(self, "tasks", tuple(tasks))
        object.__setattr__(self, "placements", placements)

    @property
    def document(self) -> Document:
        """The notice."""
        return self.tasks_file.document

    @property
    def year(self) -> int:
        """The plan year that relative dates refer to."""
        return self.tasks_file.document.year
