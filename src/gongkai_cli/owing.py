"""Who owes what: the tasks a unit owes, and the units that owe a task.

A task names units and groups in its 责任单位 cell, as lead (牵头), named (负责) or support (配合). A named unit
owes the task under that role. A group owes nothing itself; its roster members do, by the group's coverage:

* a group that covers all its members (市政府各部门) makes every member owe the task (role ``group``);
* a group that covers only the relevant members (有关部门, 相关单位) stands for the members whose duties the task
  concerns, which the table does not say (role ``relevant``).

Each unit owes a task once, under the strongest way it comes to (``ROLES`` order). The ``relevant`` members are
the reason the question has three answers, one for each use:

* **Queries list them** (`obligations`, unit -> tasks): a unit asking what it may owe is shown such a task, under
  相关, and decides itself whether its duties are concerned.
* **Progress counts them only once they report** (`units_owing`, task -> units): until a member of a relevant
  group reports on a task nobody knows whether it owes it, so it is neither 未报送 nor overdue; its first report
  says that it does.
* **The 台账 gives them rows** (`ledger_units`, task -> units): a unit reports by filling in its row, so every
  member that may owe the task needs one to report in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import compress, repeat, starmap
from operator import add, attrgetter
from typing import Any, Literal

from .models import Division, Group, Task, Unit
from .tuples import NamedTuple
from .vocabulary import ROLE_LABELS  # the labels, kept with every other word list; exported here beside Role

Role = Literal["lead", "named", "support", "group", "relevant"]
# Strongest first: a task is listed once, under the first of these that applies.
ROLES: tuple[Role, ...] = ("lead", "named", "support", "group", "relevant")
# How a group's coverage turns into the role of its members, strongest first.
GROUP_ROLES: tuple[tuple[str, Role], ...] = (("all", "group"), ("relevant", "relevant"))

Entity = Unit | Group


# --- groups and the units a task names ----------------------------------------------------------------------


def members(division: Division, group: Group) -> list[Unit]:
    """The roster units a group stands for."""
    if group.members:
        by_name = {u.name: u for u in division.units_file.units}
        return [by_name[name] for name in group.members]
    return [u for u in division.units_file.units if u.kind in group.member_kinds]


def groups_of(division: Division, unit: Unit) -> list[Group]:
    """The groups that include a unit."""
    return [g for g in division.units_file.groups if unit in members(division, g)]


def units_of(task: Task) -> tuple[str, ...]:
    """Every unit and group a task names, leads first, then implementers, then supports."""
    return (*(task.leads or ()), *(task.implementers or ()), *(task.supports or ()))


# --- unit -> tasks ------------------------------------------------------------------------------------------


class Obligation(NamedTuple):
    """A task an entity owes, with how it comes to owe it (and through which group, for group roles)."""

    task: Task
    role: Role
    via: str | None = None


def _ranked(groups: Sequence[Group]) -> list[tuple[str, Role]]:
    """Each group's name and the role it gives its members, the strongest coverage first."""
    return [(group.name, role) for coverage, role in GROUP_ROLES for group in groups if group.coverage == coverage]


def _role(
    name: str,
    ranked: Sequence[tuple[str, Role]],
    leads: Sequence[str],
    implementers: Sequence[str],
    supports: Sequence[str],
) -> tuple[Role, str | None] | None:
    if name in leads:
        return "lead", None
    if name in implementers:
        return "named", None
    if name in supports:
        return "support", None
    for group, role in ranked:
        if group in leads or group in implementers or group in supports:
            return role, group
    return None


class _Memo(dict[Any, Any]):
    """A dict that works out a missing key's value and keeps it: looked up in C, computed once per distinct key."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.compute(key)
        return value


_NAMED = attrgetter("leads", "implementers", "supports")
_ROLE = attrgetter("role")


def obligations(division: Division, entity: Entity, tasks: Iterable[Task] | None = None) -> list[Obligation]:
    """Every task (of `tasks`, default all) that `entity` owes, in task order, each once under its strongest role.

    A member of a `relevant` group is listed under 相关 (see the module's docstring).
    """
    ranked = _ranked(groups_of(division, entity) if isinstance(entity, Unit) else [])
    chosen = division.tasks if tasks is None else tuple(tasks)
    # Worked out once for each distinct way tasks name their units: a hundred thousand tasks have a few thousand.
    roles = _Memo(lambda named: _role(entity.name, ranked, *(names or () for names in named)))
    ways = list(map(roles.__getitem__, map(_NAMED, chosen)))
    # Each obligation built in C, (task,) + (role, via), without a NamedTuple's Python-level __new__: a unit of a
    # large table owes tens of thousands of tasks.
    found = starmap(add, compress(zip(zip(chosen), ways, strict=True), ways))
    return list(map(tuple.__new__, repeat(Obligation), found))


def role_counts(found: Iterable[Obligation]) -> dict[Role, int]:
    """How many obligations fall under each role."""
    counts: dict[Role, int] = dict.fromkeys(ROLES, 0)
    counts.update(Counter(map(_ROLE, found)))  # counted in C
    return counts


# --- task -> units ------------------------------------------------------------------------------------------


class Owing(NamedTuple):
    """A unit that owes a task, and how: its role, and the group it owes the task through (group roles)."""

    unit: str
    role: Role
    via: str | None = None


def _ways(division: Division, task: Task) -> Iterator[Owing]:
    """Every way a unit comes to owe a task, in the order the task names units and groups (a unit may recur)."""
    groups = {g.name: g for g in division.units_file.groups}
    group_role = dict(GROUP_ROLES)
    named: tuple[tuple[tuple[str, ...], Role], ...] = (
        (task.leads or (), "lead"),
        (task.implementers or (), "named"),
        (task.supports or (), "support"),
    )
    for names, role in named:
        for name in names:
            group = groups.get(name)
            if group is None:
                yield Owing(name, role)
            else:
                yield from (Owing(u.name, group_role[group.coverage], group.name) for u in members(division, group))


def units_owing(division: Division, task: Task, reporters: Collection[str] = ()) -> list[str]:
    """The roster units that owe a task as progress counts them: named units and members of groups that cover all
    their members, in the order the task names them; then the members of `relevant` groups among `reporters` (the
    units that have reported on the task). Group members beyond the roster (an open-ended group) cannot be listed.
    """
    owed: dict[str, None] = {}
    relevant: list[str] = []
    for way in _ways(division, task):
        if way.role != "relevant":
            owed[way.unit] = None
        elif way.unit in reporters:
            relevant.append(way.unit)
    owed.update(dict.fromkeys(relevant))
    return list(owed)


def ledger_units(division: Division, task: Task) -> list[Owing]:
    """The units that get a 台账 row for a task: named units (leads, implementers, supports), then the roster
    members of `all` groups, then those of `relevant` groups; each once, under the first way it owes the task.
    A group never has a row of its own."""
    rank = {role: i for i, role in enumerate(ROLES)}
    found: dict[str, Owing] = {}
    for way in sorted(_ways(division, task), key=lambda way: rank[way.role]):
        found.setdefault(way.unit, way)
    return list(found.values())


__all__ = [
    "GROUP_ROLES",
    "ROLES",
    "ROLE_LABELS",
    "Entity",
    "Obligation",
    "Owing",
    "Role",
    "groups_of",
    "ledger_units",
    "members",
    "obligations",
    "role_counts",
    "units_of",
    "units_owing",
]
