"""Matching tasks across two versions of a table, and what changed between them task by task and unit by unit.

Tasks are matched by their requirement text, not by number, so that removing task 3 does not make every later
task look changed. Exact texts (whitespace ignored) are paired first; the rest are paired by the similarity of
their character bigrams (Dice coefficient), comparing only the pairs that an inverted bigram index proposes.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from datetime import date
from typing import Literal

from ..errors import LookupFailedError
from ..models import Division, Group, Task, TaskId
from ..owing import Entity, Role, obligations
from ..query import due_dates, entities, resolve
from ..tuples import NamedTuple
from .wording import Segment, text_key, wording_diff

# --- matching ---------------------------------------------------------------------------------------------

# Two requirements are the same task reworded when their bigram sets have at least this Dice coefficient.
SIMILARITY_THRESHOLD = 0.5
# How many of the best-sharing candidates of a task get their exact coefficient computed.
CANDIDATES_PER_TASK = 16
# A bigram found in more old tasks than this (and than an eighth of them) proposes no candidates: 政务, 公开 …
# would otherwise make every pair a candidate. Rarer bigrams still find a reworded task.
COMMON_BIGRAM = 64


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

    `newly_owes`, `deadline_moved` and `role_changed` hold new task identities; `no_longer_owes` holds old ones
    (the task may be gone); each in table order.
    """

    name: str
    type: Literal["unit", "group"]
    newly_owes: tuple[TaskId, ...]
    no_longer_owes: tuple[TaskId, ...]
    deadline_moved: tuple[TaskId, ...]
    role_changed: tuple[TaskId, ...]

    @property
    def changed(self) -> bool:
        """Whether anything changed for this unit."""
        return bool(self.newly_owes or self.no_longer_owes or self.deadline_moved or self.role_changed)


class TableDiff(NamedTuple):
    """Everything that changed from `old` to `new`; `renumbered` maps old task identities to new ones.

    With a `unit` (the name of the unit or group asked about), the task changes are those of the tasks it owes in
    either version, and `units` holds its impact only.
    """

    old: Division
    new: Division
    renumbered: dict[TaskId, TaskId]
    added: tuple[Task, ...]
    removed: tuple[Task, ...]
    changed: tuple[TaskChange, ...]
    units: tuple[UnitImpact, ...]
    unit: str | None = None

    @property
    def empty(self) -> bool:
        """Whether the two versions are the same (for the unit asked about): nothing added, removed, changed,
        renumbered, and no unit affected."""
        return not (self.added or self.removed or self.changed or self.renumbered or any(i.changed for i in self.units))


def _shifted(day: date, years: int) -> date:
    """The same day of the month `years` later; 29 February becomes the 28th in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _when(task: Task, years: int = 0) -> tuple[tuple[date, ...], date | None, str | None]:
    """When a task falls due, its dates moved `years` on: a 2024 table's 12-31 is a 2025 table's 12-31."""
    limit = task.time_limit
    start = _shifted(limit.start, years) if limit.start is not None else None
    return tuple(_shifted(day, years) for day in due_dates(task)), start, limit.kind


def _moved(old: Task, new: Task, years: int) -> bool:
    """Whether a task falls due at other times in the new version, `years` plan years after the old one.

    Equal dates, or dates equal once moved by the years between the tables, are the same time: 年底前 of 2024 and of
    2025, and 2024年5月底前 in both.
    """
    after = _when(new)
    return _when(old) != after and _when(old, years) != after


def _task_change(old: Task, new: Task, years: int) -> TaskChange | None:
    wording = wording_diff(old.requirement, new.requirement)
    units = []
    for field in UNIT_FIELDS:
        before: tuple[str, ...] = getattr(old, field) or ()
        after: tuple[str, ...] = getattr(new, field) or ()
        added = tuple(name for name in after if name not in before)
        removed = tuple(name for name in before if name not in after)
        if added or removed:
            units.append(UnitsChange(field, added, removed))
    limit_changed = old.time_limit.text != new.time_limit.text or _moved(old, new, years)
    if not wording and not units and not limit_changed:
        return None
    return TaskChange(old, new, wording, tuple(units), limit_changed)


def _entity_named(division: Division, name: str) -> Entity | None:
    return next((e for e in entities(division) if e.name == name), None)


def _owed(division: Division, entity: Entity | None) -> dict[TaskId, Role]:
    """The identities of the tasks an entity owes in a division, with its role in each."""
    if entity is None:
        return {}
    return {division.task_id(o.task): o.role for o in obligations(division, entity)}


def _impact(old: Division, new: Division, name: str, pairs: Sequence[tuple[Task | None, Task | None]]) -> UnitImpact:
    before_entity, after_entity = _entity_named(old, name), _entity_named(new, name)
    before, after = _owed(old, before_entity), _owed(new, after_entity)
    newly: list[Task] = []
    gone: list[Task] = []
    moved: list[Task] = []
    roles: list[Task] = []
    for old_task, new_task in pairs:
        old_role = before.get(old.task_id(old_task)) if old_task is not None else None
        new_role = after.get(new.task_id(new_task)) if new_task is not None else None
        if new_task is not None and new_role is not None and old_role is None:
            newly.append(new_task)
        elif old_task is not None and old_role is not None and new_role is None:
            gone.append(old_task)
        elif old_task is not None and new_task is not None and old_role is not None:
            if _moved(old_task, new_task, new.year - old.year):
                moved.append(new_task)
            if old_role != new_role:
                roles.append(new_task)
    entity = after_entity or before_entity
    kind: Literal["unit", "group"] = "group" if isinstance(entity, Group) else "unit"
    return UnitImpact(
        name, kind, _in_order(new, newly), _in_order(old, gone), _in_order(new, moved), _in_order(new, roles)
    )


def _in_order(division: Division, tasks: Sequence[Task]) -> tuple[TaskId, ...]:
    """The identities of some of a division's tasks, in table order."""
    chosen = {division.task_id(task) for task in tasks}
    return tuple(ident for ident in map(division.task_id, division.tasks) if ident in chosen)


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
    impacts = tuple(_impact(old, new, name, pairs) for name in names)
    if unit is not None:
        # Only the tasks the unit owes in the old version or the new one.
        (name,) = names
        before, after = _owed(old, _entity_named(old, name)), _owed(new, _entity_named(new, name))
        pairs = [
            (o, n)
            for o, n in pairs
            if (o is not None and old.task_id(o) in before) or (n is not None and new.task_id(n) in after)
        ]
    renumbered = {
        before: after
        for before, after in ((old.task_id(o), new.task_id(n)) for o, n in pairs if o is not None and n is not None)
        if before != after
    }
    order = {ident: position for position, ident in enumerate(map(old.task_id, old.tasks))}
    added = tuple(n for o, n in pairs if o is None and n is not None)
    removed = tuple(o for o, n in pairs if n is None and o is not None)
    years = new.year - old.year
    changes = [_task_change(o, n, years) for o, n in pairs if o is not None and n is not None]
    changed = tuple(c for c in changes if c is not None)
    renumbered = dict(sorted(renumbered.items(), key=lambda item: order[item[0]]))
    return TableDiff(old, new, renumbered, added, removed, changed, impacts, names[0] if unit is not None else None)
