"""Tasks as Listings: the task JSON contract, task rows, show, contents, search, timeline and scoring."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from ..deadlines import lag_text
from ..models import Division, Placement, ScoringRule, Section, Subsection, Task, TimeLimit
from ..query import SEARCH_FIELDS, SectionRef, normalize, responsibility_cells
from ..render import Column, Listing, Row
from ..vocabulary import HEADERS

# --- JSON contract ----------------------------------------------------------------------------------------


def _points(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def scoring_payload(rule: ScoringRule) -> dict[str, Any]:
    """One scoring rule as JSON."""
    return {"points": _points(rule.points), "per": rule.per, "who": rule.who, "condition": rule.condition}


def task_payloads(division: Division) -> Callable[[Task], dict[str, Any]]:
    """The task JSON object of each task of one answer (see `task_payload`).

    The parts tasks share are built once per answer and shared between their objects: the section and subsection
    of each placement, and each distinct time limit (a hundred thousand tasks have a few hundred placements and
    some seven hundred time limits).
    """
    headings: dict[int, tuple[dict[str, Any] | None, dict[str, Any] | None]] = {}
    limits: dict[TimeLimit, dict[str, Any]] = {}

    def heading(place: Placement) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        section, subsection = place.section, place.subsection
        built = (
            {"number": place.section_number, "numeral": section.numeral, "title": section.title} if section else None,
            {"numeral": subsection.numeral, "title": subsection.title} if subsection else None,
        )
        headings[id(place)] = built  # placements live as long as the division
        return built

    def time_limit(limit: TimeLimit) -> dict[str, Any]:
        built = limits[limit] = {
            "text": limit.text,
            "kind": limit.kind,
            "due": limit.due,
            "start": limit.start,
            "occurrences": limit.occurrences,
            "lag": limit.lag,
            "lag_unit": limit.lag_unit,
            "note": limit.note,
        }
        return built

    def payload(task: Task) -> dict[str, Any]:
        ident = division.task_id(task)
        place = division.placements[ident]
        section, subsection = headings.get(id(place)) or heading(place)
        limit = task.time_limit
        return {
            "id": str(ident),
            "number": task.number,
            "section": section,
            "subsection": subsection,
            "work_item": task.work_item,
            "requirement": task.requirement,
            "responsibility_text": task.responsibility,
            "lead_text": task.lead_text,
            "support_text": task.support_text,
            "leads": task.leads,
            "implementers": task.implementers,
            "supports": task.supports,
            "time_limit": limits.get(limit) or time_limit(limit),
            "scoring": [scoring_payload(rule) for rule in task.scoring] if task.scoring else [],
            "notes": task.notes,
        }

    return payload


def task_payload(division: Division, task: Task) -> dict[str, Any]:
    """One task as the stable JSON object documented in the README.

    Dates stay dates and tuples stay tuples: the JSON encoder writes them as ISO strings and arrays.
    """
    return task_payloads(division)(task)


# --- display helpers --------------------------------------------------------------------------------------


def subsection_numeral(subsection: Subsection | None) -> str:
    """（一） as printed, or nothing for an unnumbered subsection."""
    return f"（{subsection.numeral}）" if subsection is not None and subsection.numeral else ""


def section_label(division: Division, task: Task) -> str:
    """二（一）, 六 where the subsection has no numeral, the section's position where it has none, or nothing."""
    place = division.placement(task)
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


@lru_cache(maxsize=4)
def _table_forms(division: Division) -> Mapping[str, tuple[str, ...]]:
    """The other forms the table writes for each unit and group (its variants and aliases), by roster name."""
    roster = division.units_file
    forms = {unit.name: (*(v.text for v in unit.variants), *unit.aliases) for unit in roster.units}
    return forms | {group.name: tuple(v.text for v in group.variants) for group in roster.groups}


def printed_names(division: Division, task: Task) -> Callable[[str], str]:
    """A unit's name as the task's own cells print it: 市教育局 where the roster says 市教体局 and the cell
    says 市教育局. A name the cells do not write in any form stays the roster's."""
    cells = "\n".join(responsibility_cells(task))
    forms = _table_forms(division)

    def printed(name: str) -> str:
        if name in cells:
            return name
        return next((form for form in forms.get(name, ()) if form in cells), name)

    return printed


def units_text(task: Task, printed: Callable[[str], str]) -> str:
    """Leads marked （牵头）, then implementers, then supports marked （配合）, each as the cells print it."""
    return "、".join(
        [f"{printed(name)}（牵头）" for name in task.leads or ()]
        + [printed(name) for name in task.implementers or ()]
        + [f"{printed(name)}（配合）" for name in task.supports or ()]
    )


def due_text(task: Task) -> str:
    """The ISO due date, the occurrences of a recurring limit, 自 start, 及时 (or its lag: 7个工作日内), 持续 or 无."""
    limit = task.time_limit
    if limit.due:
        return limit.due.isoformat()
    if limit.occurrences:
        return "、".join(day.isoformat()[5:] for day in limit.occurrences)
    if limit.start:
        return f"自{limit.start.isoformat()}"
    if limit.kind == "prompt":
        lag = lag_text(limit.lag, limit.lag_unit)
        return f"{lag}内" if lag else "及时"
    return "无" if limit.kind == "none" else "持续"


NUMBER_COLUMN = Column(
    "number", HEADERS["task_number"], number_format="d", detail=Column("section", HEADERS["section"])
)
TIME_COLUMN = Column("due", HEADERS["due"], max_width=13, detail=Column("time_limit", HEADERS["time_limit"]))
TASK_COLUMNS = (
    NUMBER_COLUMN,
    TIME_COLUMN,
    Column("requirement", HEADERS["requirement"], ratio=3, clip=3),
    Column("units", HEADERS["units"], ratio=2),
)


def task_row(division: Division, task: Task) -> Row:
    """One task as display cells; 任务编号 shows the task's identity (17, or 4-2 where numbers repeat)."""
    return {
        "number": division.task_id(task),
        "section": section_label(division, task),
        "due": due_text(task),
        "time_limit": task.time_limit.text,
        "requirement": task.requirement,
        "units": units_text(task, printed_names(division, task)),
    }


def task_listing(division: Division, tasks: Sequence[Task], title: str | None = None) -> Listing:
    """Tasks as a table and as a JSON list of task objects."""
    return Listing(
        TASK_COLUMNS,
        lambda: [task_row(division, t) for t in tasks],
        lambda: list(map(task_payloads(division), tasks)),
        title=title,
    )


def section_heading(ref: SectionRef) -> str:
    """一、… or 一、…（二）… for `section`."""
    return heading_text(ref.section, ref.subsection)


TIMELINE_COLUMNS = (
    Column("month", HEADERS["month"], max_width=10),
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
        build = task_payloads(division)
        return [{"month": f"{m.year:04d}-{m.month:02d}", "tasks": list(map(build, tasks))} for m, tasks in months]

    return Listing(TIMELINE_COLUMNS, rows, payload)


SCORING_COLUMNS = (
    Column("number", HEADERS["task_number"], number_format="d"),
    Column("points", HEADERS["points"], number_format="+g"),
    Column("per", HEADERS["per"]),
    Column("who", HEADERS["who"]),
    Column("condition", HEADERS["condition"], ratio=1),
)


def scoring_listing(division: Division, rules: Sequence[tuple[Task, ScoringRule]]) -> Listing:
    """Every assessment bonus and penalty."""
    rows: list[Row] = [
        {
            "number": division.task_id(task),
            "points": _points(rule.points),
            "per": f"每{rule.per}" if rule.per else "—",
            "who": rule.who or "—",
            "condition": rule.condition,
        }
        for task, rule in rules
    ]
    payload = [{"task": division.task_id(task), **scoring_payload(rule)} for task, rule in rules]
    return Listing(SCORING_COLUMNS, lambda: rows, lambda: payload)


SEARCH_COLUMNS = (
    NUMBER_COLUMN,
    Column("fields", HEADERS["matched"], max_width=8),
    TIME_COLUMN,
    Column("requirement", HEADERS["requirement"], ratio=3),
    Column("units", HEADERS["units"], ratio=2),
)


def search_listing(division: Division, hits: Sequence[tuple[Task, Sequence[str]]], text: str) -> Listing:
    """Search hits with the matched fields; the table shows the full requirement with the term highlighted."""

    def rows() -> list[Row]:
        return [
            task_row(division, task) | {"fields": "、".join(SEARCH_FIELDS[f] for f in fields)} for task, fields in hits
        ]

    def payload() -> list[dict[str, Any]]:
        build = task_payloads(division)
        return [build(task) | {"matched": list(fields)} for task, fields in hits]

    return Listing(SEARCH_COLUMNS, rows, payload, highlight=[normalize(text)], empty=f"没有找到含“{text}”的任务。")


def _show_fields(division: Division, task: Task) -> list[tuple[str, str]]:
    place = division.placement(task)
    limit = task.time_limit
    meaning = {
        "deadline": f"截止日期 {due_text(task)}",
        "recurring": f"定期，截止日期 {due_text(task)}",
        "from": f"自 {limit.start} 起，无截止日期",
        "ongoing": "无截止日期",
        "prompt": f"及时办理，{due_text(task)}" if limit.lag is not None else "及时办理，无固定日期",
        "none": "原表未列时限",
    }[limit.kind or "ongoing"]
    fields = [(HEADERS["task_number"], str(division.task_id(task)))]
    if place.section is not None:
        fields.append((HEADERS["section"], heading_text(place.section, None)))
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
        fields.append(("配合单位", "、".join(task.supports)))
    fields.append(("时限", f"{limit.text}（{meaning}）"))
    if limit.note:
        fields.append(("时限说明", limit.note))
    fields += [
        (
            "考评加减分",
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
    each = [_show_fields(division, task) for task in tasks]
    fields = [field for shown in each for field in shown]
    # A rule under each task's last field but the last task's: several tasks read as several records.
    ends = [sum(map(len, each[: k + 1])) - 1 for k in range(len(each) - 1)]
    one = len(tasks) == 1
    return Listing(
        (Column("field", HEADERS["field"]), Column("value", HEADERS["value"], ratio=1)),
        lambda: [{"field": k, "value": v} for k, v in fields],
        lambda: task_payload(division, tasks[0]) if one else list(map(task_payloads(division), tasks)),
        title="任务 " + "、".join(str(division.task_id(t)) for t in tasks),
        breaks=frozenset(ends),
    )


CONTENTS_COLUMNS = (
    Column("ref", HEADERS["section"]),
    Column("heading", HEADERS["heading"], ratio=1),
    Column("count", HEADERS["count"], number_format="d"),
    Column("numbers", HEADERS["task_number"]),
)


def contents_listing(division: Division) -> Listing:
    """The table of contents: every section and subsection with its tasks' count and number range."""

    def span(tasks: Sequence[Task]) -> str:
        ids = [division.task_id(t) for t in (*tasks[:1], *tasks[-1:])]
        return f"{ids[0]}～{ids[-1]}" if len(tasks) > 1 else str(ids[0]) if tasks else ""

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
                    {"numeral": sub.numeral, "title": sub.title, "tasks": [division.task_id(t) for t in sub.tasks]}
                    for sub in section.subsections
                ],
                "tasks": [division.task_id(t) for t in section.tasks],
            }
            for number, section in enumerate(division.tasks_file.sections, 1)
        ]

    return Listing(CONTENTS_COLUMNS, rows, payload, title=division.document.title)
