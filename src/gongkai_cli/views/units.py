"""Units and groups as Listings: what one owes, the summary of all, and the header lines about them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from operator import attrgetter
from typing import Any

from ..models import Division, Group, TaskId, Unit
from ..owing import ROLE_LABELS, ROLES, Entity, Obligation, Role, role_counts
from ..query import DoneTest, co_units, next_deadline
from ..render import Column, Listing, Row
from ..vocabulary import COVERAGE_TERMS, GROUP_TERM, HEADERS
from .tasks import NUMBER_COLUMN, TIME_COLUMN, printed_names, task_payloads, task_row


def entity_payload(entity: Entity, counts: Mapping[Role, int], upcoming: date | None) -> dict[str, Any]:
    """A unit or group with its counts per role and its next deadline."""
    base: dict[str, Any] = {"name": entity.name}
    if isinstance(entity, Unit):
        base |= {"type": "unit", "kind": entity.kind, "full_name": entity.full_name}
    else:
        base |= {"type": "group", "coverage": entity.coverage, "open_ended": entity.open_ended}
    base["variants"] = [v.text for v in entity.variants]
    base["counts"] = counts
    base["next_deadline"] = upcoming
    return base


STATUS_COLUMN = Column("status", HEADERS["status"], max_width=12)
UNIT_TASK_COLUMNS = (
    Column("role", HEADERS["role"], max_width=8, detail=Column("via", HEADERS["via"])),
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", HEADERS["requirement"], ratio=3, clip=3),
    Column("co_units", HEADERS["co_units"], ratio=2),
)


# Both orders keep table order among equals: obligations come in table order, and sorting is stable.
_RANKS = {role: rank for rank, role in enumerate(ROLES)}
_ROLE = attrgetter("role")
_TASK = attrgetter("task")


def _by_role(found: Sequence[Obligation]) -> list[Obligation]:
    # The ranks are looked up in C: a unit of a large table owes tens of thousands of tasks.
    ranks = list(map(_RANKS.__getitem__, map(_ROLE, found)))
    return list(map(found.__getitem__, sorted(range(len(found)), key=ranks.__getitem__)))


def _due_key(o: Obligation) -> tuple[int, date]:
    # Dated tasks by due date, then the undated ones (which can never be the most urgent).
    due = o.task.time_limit.due
    return (0, due) if due else (1, date.max)


def _by_date(found: Sequence[Obligation]) -> list[Obligation]:
    return sorted(found, key=_due_key)


UNIT_ORDERS: dict[str, Callable[[Sequence[Obligation]], list[Obligation]]] = {"role": _by_role, "date": _by_date}


def unit_listing(
    division: Division,
    entity: Entity,
    owed: Sequence[Obligation],
    shown: Sequence[Obligation],
    today: date,
    order: str = "role",
    latest: Mapping[TaskId, Any] | None = None,
    done: DoneTest | None = None,
) -> Listing:
    """What one unit or group owes (`shown`, a filtered part of everything it `owed`), strongest role first.

    The counts and the next deadline describe the unit, so they come from everything it owes, whatever the filter;
    the next deadline skips occurrences reported `done`.
    `order` is a key of UNIT_ORDERS: by role (strongest first) or by due date (most urgent first).
    """
    ordered = UNIT_ORDERS[order](shown)
    latest = latest or {}

    def status_text(ident: TaskId) -> str:
        from ..vocabulary import STATUSES

        record = latest.get(ident)
        return f"{STATUSES[record.status]}\n{record.date.isoformat()}" if record is not None else ""

    def rows() -> list[Row]:
        return [
            task_row(division, o.task)
            | {
                "role": ROLE_LABELS[o.role],
                "via": o.via or "",
                "co_units": "、".join(map(printed_names(division, o.task), co_units(o.task, entity))),
                "status": status_text(division.task_id(o.task)),
            }
            for o in ordered
        ]

    # The counts and the next deadline, worked out once for the title and the JSON object.
    counts = role_counts(owed)
    upcoming = next_deadline(map(_TASK, owed), today, done)

    def payload() -> dict[str, Any]:
        build = task_payloads(division)
        tasks = []
        for o in ordered:
            item = build(o.task)
            item["role"], item["via"] = o.role, o.via
            record = latest.get(division.task_id(o.task)) if latest else None
            item["progress"] = {"status": record.status, "date": record.date} if record is not None else None
            tasks.append(item)
        return {"unit": entity_payload(entity, counts, upcoming), "tasks": tasks}

    title = entity_title(division, entity, len(owed), counts, upcoming, today)
    if len(shown) != len(owed):
        title += f"；符合条件的 {len(shown)} 项"
    columns = (*UNIT_TASK_COLUMNS, STATUS_COLUMN) if latest else UNIT_TASK_COLUMNS
    return Listing(columns, rows, payload, title=title)


def entity_title(
    division: Division, entity: Entity, total: int, counts: Mapping[Role, int], upcoming: date | None, today: date
) -> str:
    """The header line of `unit`: who, its `total` tasks and `counts` per role, the `upcoming` deadline."""
    if isinstance(entity, Unit):
        full = f"{entity.full_name}，" if entity.full_name else ""
        who = f"{entity.name}（{full}{division.kind_label(entity.kind)}）"
    else:
        who = f"{entity.name}（{GROUP_TERM}：{COVERAGE_TERMS[entity.coverage]}）"
    parts = "，".join(f"{ROLE_LABELS[r]} {counts[r]}" for r in ROLES)
    later = f"{today.year}年{today.month}月{today.day}日"
    nxt = upcoming.isoformat() if upcoming else f"无（{later}以后没有未完成的任务）"
    return f"{who}：共 {total} 项（{parts}）；下一个截止日期：{nxt}"


def group_members_line(entity: Group, members: Sequence[Unit]) -> str:
    """Who a group stands for, for the line under its table."""
    names = "、".join(m.name for m in members) or "（名册中暂无）"
    more = "，以及名册之外的同类单位" if entity.open_ended or entity.member_kinds else ""
    return f"成员：{names}{more}"


SUMMARY_COLUMNS = (
    Column("name", HEADERS["unit_or_group"], ratio=1),
    Column("kind", HEADERS["kind"]),
    *(Column(role, ROLE_LABELS[role], number_format="d") for role in ROLES),
    Column("total", HEADERS["total"], number_format="d"),
    Column("next", HEADERS["next_due"]),
)


def summary_listing(
    division: Division,
    rows: Sequence[tuple[Entity, Sequence[Obligation]]],
    today: date,
    done_by: Callable[[Entity], DoneTest] | None = None,
) -> Listing:
    """Every unit and group with counts per role and its next deadline (skipping what `done_by` it says is done)."""

    def done(entity: Entity) -> DoneTest | None:
        return done_by(entity) if done_by is not None else None

    def display() -> list[Row]:
        shown = []
        for entity, found in rows:
            counts = role_counts(found)
            upcoming = next_deadline(map(_TASK, found), today, done(entity))
            kind = division.kind_label(entity.kind) if isinstance(entity, Unit) else GROUP_TERM
            row: Row = {
                "name": entity.name,
                "kind": kind,
                "total": len(found),
                "next": upcoming.isoformat() if upcoming else "—",
            }
            shown.append(row | {role: counts[role] for role in ROLES})
        return shown

    return Listing(
        SUMMARY_COLUMNS,
        display,
        lambda: [
            entity_payload(entity, role_counts(found), next_deadline(map(_TASK, found), today, done(entity)))
            for entity, found in rows
        ],
    )
