"""Turn query answers into Listings: the display rows and the documented JSON contract."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from .models import Division, Group, ScoringRule, Section, Subsection, Task, Unit
from .query import (
    ROLE_LABELS,
    ROLES,
    SEARCH_FIELDS,
    DoneTest,
    Entity,
    Obligation,
    SectionRef,
    co_units,
    next_deadline,
    normalize,
    role_counts,
)
from .render import Column, Listing, Message, Row
from .vocabulary import COVERAGE_LABELS

# --- JSON contract ----------------------------------------------------------------------------------------


def _points(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def scoring_payload(rule: ScoringRule) -> dict[str, Any]:
    """One scoring rule as JSON."""
    return {"points": _points(rule.points), "per": rule.per, "who": rule.who, "condition": rule.condition}


def task_payload(division: Division, task: Task) -> dict[str, Any]:
    """One task as the stable JSON object documented in the README.

    Dates stay dates and tuples stay tuples: the JSON encoder writes them as ISO strings and arrays.
    """
    place = division.placements[task.number]
    limit = task.time_limit
    section, subsection = place.section, place.subsection
    return {
        "number": task.number,
        "section": (
            {"number": place.section_number, "numeral": section.numeral, "title": section.title} if section else None
        ),
        "subsection": {"numeral": subsection.numeral, "title": subsection.title} if subsection else None,
        "work_item": task.work_item,
        "requirement": task.requirement,
        "responsibility_text": task.responsibility,
        "lead_text": task.lead_text,
        "support_text": task.support_text,
        "leads": task.leads,
        "implementers": task.implementers,
        "supports": task.supports,
        "time_limit": {
            "text": limit.text,
            "kind": limit.kind,
            "due": limit.due,
            "start": limit.start,
            "occurrences": limit.occurrences,
            "note": limit.note,
        },
        "scoring": [scoring_payload(rule) for rule in task.scoring] if task.scoring else [],
        "notes": task.notes,
    }


def entity_payload(
    division: Division, entity: Entity, found: Sequence[Obligation], today: date, done: DoneTest | None = None
) -> dict[str, Any]:
    """A unit or group with its counts per role and its next deadline (not one reported `done`)."""
    base: dict[str, Any] = {"name": entity.name}
    if isinstance(entity, Unit):
        base |= {"type": "unit", "kind": entity.kind, "full_name": entity.full_name}
    else:
        base |= {"type": "group", "coverage": entity.coverage, "open_ended": entity.open_ended}
    base["variants"] = [v.text for v in entity.variants]
    base["counts"] = role_counts(found)
    base["next_deadline"] = next_deadline((o.task for o in found), today, done)
    return base


# --- display helpers --------------------------------------------------------------------------------------


def subsection_numeral(subsection: Subsection | None) -> str:
    """（一） as printed, or nothing for an unnumbered subsection."""
    return f"（{subsection.numeral}）" if subsection is not None and subsection.numeral else ""


def section_label(division: Division, task: Task) -> str:
    """二（一）, 六 where the subsection has no numeral, the section's position where it has none, or nothing."""
    place = division.placements[task.number]
    if place.section is None:
        return ""
    numeral = place.section.numeral or str(place.section_number)
    return numeral + subsection_numeral(place.subsection)


def heading_text(section: Section | None, subsection: Subsection | None) -> str:
    """一、围绕…, or （一）加强…, as the table prints them."""
    if section is None:
        return ""
    text = f"{section.numeral}、{section.title}" if section.numeral else section.title
    if subsection is not None:
        text += f" {subsection_numeral(subsection)}{subsection.title}"
    return text


def units_text(task: Task) -> str:
    """Leads marked （牵头）, then implementers, then supports marked （配合）."""
    return "、".join(
        [f"{name}（牵头）" for name in task.leads or ()]
        + list(task.implementers or ())
        + [f"{name}（配合）" for name in task.supports or ()]
    )


def due_text(task: Task) -> str:
    """The ISO due date, the occurrences of a recurring limit, 自 start, 及时 or 持续."""
    limit = task.time_limit
    if limit.due:
        return limit.due.isoformat()
    if limit.occurrences:
        return "、".join(day.isoformat()[5:] for day in limit.occurrences)
    if limit.start:
        return f"自{limit.start.isoformat()}"
    return "及时" if limit.kind == "prompt" else "持续"


NUMBER_COLUMN = Column("number", "编号", number_format="d", detail=Column("section", "部分"))
TIME_COLUMN = Column("due", "日期", max_width=13, detail=Column("time_limit", "时限"))
TASK_COLUMNS = (
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", "任务要求", ratio=3, clip=3),
    Column("units", "责任单位", ratio=2),
)


def task_row(division: Division, task: Task) -> Row:
    """One task as display cells."""
    return {
        "number": task.number,
        "section": section_label(division, task),
        "due": due_text(task),
        "time_limit": task.time_limit.text,
        "requirement": task.requirement,
        "units": units_text(task),
    }


def task_listing(division: Division, tasks: Sequence[Task], title: str | None = None) -> Listing:
    """Tasks as a table and as a JSON list of task objects."""
    return Listing(
        TASK_COLUMNS,
        lambda: [task_row(division, t) for t in tasks],
        lambda: [task_payload(division, t) for t in tasks],
        title=title,
    )


STATUS_COLUMN = Column("status", "状态", max_width=12)
UNIT_TASK_COLUMNS = (
    Column("role", "关系", max_width=8, detail=Column("via", "经由群体")),
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", "任务要求", ratio=3, clip=3),
    Column("co_units", "协同单位", ratio=2),
)


def _by_role(o: Obligation) -> tuple[int, int]:
    return ROLES.index(o.role), o.task.number


def _by_date(o: Obligation) -> tuple[int, date, int]:
    # Dated tasks by due date, then the undated ones (which can never be the most urgent), each by number.
    due = o.task.time_limit.due
    return (0, due, o.task.number) if due else (1, date.max, o.task.number)


UNIT_ORDERS = {"role": _by_role, "date": _by_date}


def unit_listing(
    division: Division,
    entity: Entity,
    owed: Sequence[Obligation],
    shown: Sequence[Obligation],
    today: date,
    order: str = "role",
    latest: Mapping[int, Any] | None = None,
    done: DoneTest | None = None,
) -> Listing:
    """What one unit or group owes (`shown`, a filtered part of everything it `owed`), strongest role first.

    The counts and the next deadline describe the unit, so they come from everything it owes, whatever the filter;
    the next deadline skips occurrences reported `done`.
    `order` is a key of UNIT_ORDERS: by role (strongest first) or by due date (most urgent first).
    """
    ordered = sorted(shown, key=UNIT_ORDERS[order])
    latest = latest or {}

    def status_text(number: int) -> str:
        from .progress import STATUSES

        record = latest.get(number)
        return f"{STATUSES[record.status]}\n{record.date.isoformat()}" if record is not None else ""

    def rows() -> list[Row]:
        return [
            task_row(division, o.task)
            | {
                "role": ROLE_LABELS[o.role],
                "via": o.via or "",
                "co_units": "、".join(co_units(o.task, entity)),
                "status": status_text(o.task.number),
            }
            for o in ordered
        ]

    def payload() -> dict[str, Any]:
        tasks = []
        for o in ordered:
            item = task_payload(division, o.task)
            item["role"], item["via"] = o.role, o.via
            record = latest.get(o.task.number)
            item["progress"] = {"status": record.status, "date": record.date} if record is not None else None
            tasks.append(item)
        return {"unit": entity_payload(division, entity, owed, today, done), "tasks": tasks}

    title = entity_title(division, entity, owed, today, done)
    if len(shown) != len(owed):
        title += f"；符合条件的 {len(shown)} 项"
    columns = (*UNIT_TASK_COLUMNS, STATUS_COLUMN) if latest else UNIT_TASK_COLUMNS
    return Listing(columns, rows, payload, title=title)


def entity_title(
    division: Division, entity: Entity, found: Sequence[Obligation], today: date, done: DoneTest | None = None
) -> str:
    """The header line of `unit`: who, counts per role, next deadline (not one reported `done`)."""
    if isinstance(entity, Unit):
        full = f"{entity.full_name}，" if entity.full_name else ""
        who = f"{entity.name}（{full}{division.kind_label(entity.kind)}）"
    else:
        who = f"{entity.name}（群体，{COVERAGE_LABELS[entity.coverage]}）"
    counts = role_counts(found)
    parts = "，".join(f"{ROLE_LABELS[r]} {counts[r]}" for r in ROLES)
    upcoming = next_deadline((o.task for o in found), today, done)
    nxt = upcoming.isoformat() if upcoming else f"无（{today.isoformat()} 之后没有未完成的截止日期）"
    return f"{who}：共 {len(found)} 项（{parts}）；下一截止：{nxt}"


def group_members_line(entity: Group, members: Sequence[Unit]) -> str:
    """Who a group stands for, for the line under its table."""
    names = "、".join(m.name for m in members) or "（名册中暂无）"
    more = "，以及名册之外的同类单位" if entity.open_ended or entity.member_kinds else ""
    return f"成员：{names}{more}"


def section_heading(ref: SectionRef) -> str:
    """一、… or 一、…（二）… for `section`."""
    return heading_text(ref.section, ref.subsection)


SUMMARY_COLUMNS = (
    Column("name", "单位或群体", ratio=1),
    Column("kind", "类型"),
    *(Column(role, ROLE_LABELS[role], number_format="d") for role in ROLES),
    Column("total", "合计", number_format="d"),
    Column("next", "下一截止"),
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
            upcoming = next_deadline((o.task for o in found), today, done(entity))
            kind = division.kind_label(entity.kind) if isinstance(entity, Unit) else "群体"
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
        lambda: [entity_payload(division, entity, found, today, done(entity)) for entity, found in rows],
    )


TIMELINE_COLUMNS = (
    Column("month", "月份", max_width=10),
    *TASK_COLUMNS,
)


def timeline_listing(division: Division, months: Sequence[tuple[date, Sequence[Task]]]) -> Listing:
    """Dated tasks month by month."""

    def rows() -> list[Row]:
        return [
            task_row(division, task) | {"month": f"{month.year}年{month.month}月"}
            for month, tasks in months
            for task in tasks
        ]

    def payload() -> list[dict[str, Any]]:
        return [
            {"month": f"{m.year:04d}-{m.month:02d}", "tasks": [task_payload(division, t) for t in tasks]}
            for m, tasks in months
        ]

    return Listing(TIMELINE_COLUMNS, rows, payload)


SCORING_COLUMNS = (
    Column("number", "编号", number_format="d"),
    Column("points", "分值", number_format="+g"),
    Column("per", "计分单位"),
    Column("who", "适用"),
    Column("condition", "条件", ratio=1),
)


def scoring_listing(rules: Sequence[tuple[Task, ScoringRule]]) -> Listing:
    """Every assessment bonus and penalty."""
    rows: list[Row] = [
        {
            "number": task.number,
            "points": _points(rule.points),
            "per": f"每{rule.per}" if rule.per else "—",
            "who": rule.who or "—",
            "condition": rule.condition,
        }
        for task, rule in rules
    ]
    payload = [{"task": task.number, **scoring_payload(rule)} for task, rule in rules]
    return Listing(SCORING_COLUMNS, lambda: rows, lambda: payload)


SEARCH_COLUMNS = (
    NUMBER_COLUMN,
    Column("fields", "匹配", max_width=8),
    TIME_COLUMN,
    Column("requirement", "任务要求", ratio=3),
    Column("units", "责任单位", ratio=2),
)


def search_listing(division: Division, hits: Sequence[tuple[Task, Sequence[str]]], text: str) -> Listing:
    """Search hits with the matched fields; the table shows the full requirement with the term highlighted."""

    def rows() -> list[Row]:
        return [
            task_row(division, task) | {"fields": "、".join(SEARCH_FIELDS[f] for f in fields)} for task, fields in hits
        ]

    def payload() -> list[dict[str, Any]]:
        return [task_payload(division, task) | {"matched": list(fields)} for task, fields in hits]

    return Listing(SEARCH_COLUMNS, rows, payload, highlight=[normalize(text)])


def _show_fields(division: Division, task: Task) -> list[tuple[str, str]]:
    place = division.placements[task.number]
    limit = task.time_limit
    meaning = {
        "deadline": f"截止 {due_text(task)}",
        "recurring": f"定期，每次截止 {due_text(task)}",
        "from": f"自 {limit.start} 起，无截止日期",
        "ongoing": "无截止日期",
        "prompt": "及时办理，无固定日期",
    }[limit.kind or "ongoing"]
    fields = [("编号", str(task.number))]
    if place.section is not None:
        fields.append(("部分", heading_text(place.section, None)))
    if place.subsection is not None:
        fields.append(("小标题", subsection_numeral(place.subsection) + place.subsection.title))
    if task.work_item:
        fields.append(("工作任务", task.work_item))
    fields += [
        ("具体要求", task.requirement),
        *(("责任单位", text) for text in (task.responsibility,) if text),
        *(("牵头部门", text) for text in (task.lead_text,) if text),
        *(("配合部门", text) for text in (task.support_text,) if text),
        ("牵头", "、".join(task.leads or ()) or "—"),
        ("负责落实", "、".join(task.implementers or ()) or "—"),
    ]
    if task.supports:
        fields.append(("配合", "、".join(task.supports)))
    fields.append(("时限", f"{limit.text}（{meaning}）"))
    if limit.note:
        fields.append(("时限说明", limit.note))
    fields += [
        (
            "加减分",
            f"{r.points:+g}分"
            + (f"/{r.per}" if r.per else "")
            + (f"（{r.who}）" if r.who else "")
            + f"：{r.condition}",
        )
        for r in task.scoring
    ]
    fields += [("说明", note) for note in task.notes]
    return fields


def show_listing(division: Division, tasks: Sequence[Task]) -> Listing:
    """Tasks in full, as field / value rows; JSON is the task object itself for one task, a list for several."""
    fields = [field for task in tasks for field in _show_fields(division, task)]
    one = len(tasks) == 1
    return Listing(
        (Column("field", "项目"), Column("value", "内容", ratio=1)),
        lambda: [{"field": k, "value": v} for k, v in fields],
        lambda: task_payload(division, tasks[0]) if one else [task_payload(division, t) for t in tasks],
        title="任务 " + "、".join(str(t.number) for t in tasks),
    )


CONTENTS_COLUMNS = (
    Column("ref", "序号"),
    Column("heading", "标题", ratio=1),
    Column("count", "任务数", number_format="d"),
    Column("numbers", "编号"),
)


def contents_listing(division: Division) -> Listing:
    """The table of contents: every section and subsection with its tasks' count and number range."""

    def span(tasks: Sequence[Task]) -> str:
        return f"{tasks[0].number}–{tasks[-1].number}" if len(tasks) > 1 else str(tasks[0].number) if tasks else ""

    def rows() -> list[Row]:
        shown: list[Row] = []
        for number, section in enumerate(division.tasks_file.sections, 1):
            tasks = [*section.tasks, *(task for sub in section.subsections for task in sub.tasks)]
            numeral = section.numeral or str(number)
            shown.append({"ref": numeral, "heading": section.title, "count": len(tasks), "numbers": span(tasks)})
            for sub in section.subsections:
                shown.append(
                    {
                        "ref": f"{numeral}{subsection_numeral(sub)}",
                        "heading": f"　{sub.title}",  # an ideographic space indents a subsection under its section
                        "count": len(sub.tasks),
                        "numbers": span(sub.tasks),
                    }
                )
        return shown

    def payload() -> list[dict[str, Any]]:
        return [
            {
                "number": number,
                "numeral": section.numeral,
                "title": section.title,
                "subsections": [
                    {"numeral": sub.numeral, "title": sub.title, "tasks": [t.number for t in sub.tasks]}
                    for sub in section.subsections
                ],
                "tasks": [t.number for t in section.tasks],
            }
            for number, section in enumerate(division.tasks_file.sections, 1)
        ]

    return Listing(CONTENTS_COLUMNS, rows, payload, title=division.document.title)


def table_heading(division: Division) -> str:
    """The table an answer comes from: 《title》 and, where the file gives them, issuer, number and date."""
    doc = division.document
    details = "，".join(str(part) for part in (doc.issuer, doc.number, doc.date) if part)
    return f"《{doc.title}》" + (f"（{details}）" if details else "")


TABLES_COLUMNS = (
    Column("id", "表"),
    Column("title", "标题", ratio=1),
    Column("year", "年度", number_format="d"),
    Column("tasks", "任务数", number_format="d"),
    Column("state", "状态"),
)


def tables_listing(rows: Sequence[tuple[Any, Division | None, int]], default: str | None) -> Listing:
    """The tables of a data folder, with the one queries use by default."""

    def display() -> list[Row]:
        shown: list[Row] = []
        for table, division, problems in rows:
            state = f"有 {problems} 个问题" if division is None else ("默认" if table.id == default else "")
            row: Row = {"id": table.id or "（唯一）", "state": state}
            if division is not None:
                row |= {"title": division.document.title, "year": division.year, "tasks": len(division.tasks)}
            shown.append(row)
        return shown

    def payload() -> list[dict[str, Any]]:
        return [
            {
                "id": table.id,
                "title": division.document.title if division else None,
                "year": division.year if division else None,
                "tasks": len(division.tasks) if division else None,
                "problems": problems,
                "default": table.id == default,
            }
            for table, division, problems in rows
        ]

    return Listing(TABLES_COLUMNS, display, payload)


PROGRESS_COLUMNS = (
    Column("unit", "单位", ratio=1),
    Column("owed", "应办", number_format="d"),
    Column("done", "已完成", number_format="d"),
    Column("on_track", "按序时推进", number_format="d"),
    Column("behind", "未达预期", number_format="d"),
    Column("not_reported", "未报送", number_format="d"),
    Column("overdue", "逾期", number_format="d"),
    Column("rate", "完成率"),
)
UNIT_PROGRESS_COLUMNS = (
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", "任务要求", ratio=3, clip=2),
    Column("state", "状态"),
)
TASK_REPORT_COLUMNS = (
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("owing", "应报送", number_format="d"),
    Column("reporting", "已报送", number_format="d"),
    Column("not_reported", "未报送的单位", ratio=2),
    Column("reported", "已报送的单位", ratio=1),
)
BAR_WIDTH = 10


def _progress_counts(p: Any) -> dict[str, Any]:
    """A unit's progress counts, under the keys both the table and the JSON use."""
    keys = ("unit", "owed", "done", "on_track", "behind", "not_reported", "overdue")
    return {key: getattr(p, key) for key in keys}


def _bar(rate: float) -> str:
    filled = round(rate * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled) + f" {rate:.0%}"


def progress_listing(
    division: Division,
    summary: Sequence[Any],
    reports: Sequence[Any],
    today: date,
    one_unit: str | None,
    by_task: bool = False,
) -> Listing:
    """Per unit: owed, done, on track, behind, not reported, overdue and the completion rate; per task who reported.

    The JSON holds both; a table shows the units, or with `by_task` the tasks (which units have reported and which
    have not), or with one unit its tasks one by one with their state.
    """
    from .progress import STATE_LABELS

    def payload() -> dict[str, Any]:
        return {
            "today": today,
            "units": [
                _progress_counts(p)
                | {
                    "completion_rate": round(p.completion_rate, 4),
                    "states": {str(number): state for number, state in p.states.items()},
                }
                for p in summary
            ],
            "tasks": [
                {"task": r.task, "reported": list(r.reported), "not_reported": list(r.not_reported)} for r in reports
            ],
        }

    if one_unit is not None and summary:
        states = summary[0].states
        tasks = [t for t in division.tasks if t.number in states]

        def unit_rows() -> list[Row]:
            return [task_row(division, t) | {"state": STATE_LABELS[states[t.number]]} for t in tasks]

        title = f"{one_unit}：{_summary_text(summary[0])}（今天按 {today.isoformat()} 计）"
        return Listing(UNIT_PROGRESS_COLUMNS, unit_rows, payload, title=title)

    if by_task:
        by_number = {t.number: t for t in division.tasks}

        def task_rows() -> list[Row]:
            return [
                task_row(division, by_number[r.task])
                | {
                    "owing": len(r.reported) + len(r.not_reported),
                    "reporting": len(r.reported),
                    "not_reported": "、".join(r.not_reported),
                    "reported": "、".join(r.reported),
                }
                for r in reports
            ]

        complete = sum(1 for r in reports if not r.not_reported)
        title = f"各项任务报送情况（今天按 {today.isoformat()} 计）：{len(reports)} 项，{complete} 项各单位均已报送"
        return Listing(TASK_REPORT_COLUMNS, task_rows, payload, title=title)

    def rows() -> list[Row]:
        return [_progress_counts(p) | {"rate": _bar(p.completion_rate)} for p in summary if p.owed]

    total_owed = sum(p.owed for p in summary)
    total_done = sum(p.done for p in summary)
    overall = total_done / total_owed if total_owed else 0.0
    title = (
        f"落实情况（今天按 {today.isoformat()} 计）：应办 {total_owed} 项次，已完成 {total_done}，完成率 {overall:.0%}"
    )
    return Listing(PROGRESS_COLUMNS, rows, payload, title=title)


def _summary_text(p: Any) -> str:
    return (
        f"应办 {p.owed}，已完成 {p.done}，按序时推进 {p.on_track}，未达预期 {p.behind}，"
        f"未报送 {p.not_reported}，逾期 {p.overdue}，完成率 {p.completion_rate:.0%}"
    )


REMINDER_COLUMNS = (
    Column("unit", "单位", max_width=16, detail=Column("contact", "联络人")),
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", "任务要求", ratio=1, clip=2),
)


def _reminder_title(today: date, end: date) -> str:
    return f"提醒：{today.isoformat()} 至 {end.isoformat()} 到期、尚未报送完成的任务"


def reminder_listing(division: Division, found: Sequence[Any], today: date, end: date) -> Listing:
    """Per unit, what falls due from today to `end` and has not been reported done."""

    def rows() -> list[Row]:
        shown: list[Row] = []
        for reminder in found:
            for task, day in reminder.items:
                shown.append(
                    {
                        "unit": reminder.unit,
                        "contact": reminder.contact or "",
                        "number": task.number,
                        "section": section_label(division, task),
                        "due": day.isoformat(),
                        "time_limit": task.time_limit.text,
                        "requirement": task.requirement,
                    }
                )
        return shown

    def payload() -> list[dict[str, Any]]:
        return [
            {
                "unit": r.unit,
                "contact": r.contact,
                "items": [
                    {
                        "task": task.number,
                        "section": section_label(division, task),
                        "due": day,
                        "time_limit": task.time_limit.text,
                        "requirement": task.requirement,
                    }
                    for task, day in r.items
                ],
            }
            for r in found
        ]

    return Listing(REMINDER_COLUMNS, rows, payload, title=_reminder_title(today, end))


def reminder_messages(found: Sequence[Any], today: date, end: date) -> tuple[str, list[Message]]:
    """The reminders as one message per unit, naming its contact, to paste into a work chat or a mail."""
    messages = [
        Message(
            f"【{r.unit}】" + (f"联络人：{r.contact}" if r.contact else ""),
            f"以下 {len(r.items)} 项任务将于 {end.isoformat()} 前到期，尚未报送完成，请抓紧落实并及时报送进展：",
            tuple(
                f"任务 {task.number}，{day.isoformat()} 到期（时限：{task.time_limit.text}）：{task.requirement}"
                for task, day in r.items
            ),
        )
        for r in found
    ]
    return _reminder_title(today, end), messages
