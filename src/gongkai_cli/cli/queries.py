"""The questions: unit, due, show, section, sections, search, units, timeline, scoring.

Each parses its arguments, asks query.py, and hands a Listing from views.py to the one renderer.
"""

from datetime import date
from typing import Annotated

import typer

from .. import owing, query, views
from ..models import Division, Group
from ..render import Format, Listing
from . import invocation
from .args import (
    SORT_WORDS,
    AfterOpt,
    BeforeOpt,
    FormatOpt,
    FullOpt,
    OverdueOpt,
    TodayOpt,
    UnitOpt,
    WithinOpt,
    complete_unit,
    date_window,
    parse_choice,
    parse_format,
    parse_today,
    resolve_entity,
)
from .errors import EXIT_USAGE, argument_errors, fail, note


def _explain_empty(listing: Listing, fmt: Format, today: date, division: Division) -> None:
    """Under an empty table, say which today and plan year the answer used: the usual reason for nothing."""
    if fmt == "table" and not listing.rows():
        note(
            f"提示：今天按 {today.isoformat()} 计，数据是 {division.year} 年的任务表；"
            "可用 --today 指定日期，或放宽 --before、--after、--within"
        )


def unit(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="单位或统称：全称、表中写法、简称、片段（司法）或拼音（sifaju、sfj）。",
            metavar="单位",
            autocompletion=complete_unit,
        ),
    ],
    before: BeforeOpt = None,
    after: AfterOpt = None,
    within: WithinOpt = None,
    overdue: OverdueOpt = False,
    today: TodayOpt = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort", help="排序：关系（role，最强的在前）或截止日期（日期、date，最急的在前）。", metavar="方式"
        ),
    ] = "role",
    full: FullOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """列出一个单位承担的全部任务：牵头、负责、配合，以及经统称承担的（各单位、有关单位）。

    每项任务只列一次，列在最强的关系下。县区政府、管委会和统称本身也可查询。

    \b
    示例：
      gongkai unit 市司法局
      gongkai unit 青阳县 --before 2024-09-30
    """
    output = parse_format(fmt)
    sort = parse_choice("--sort", "排序方式", sort, list(views.UNIT_ORDERS), SORT_WORDS)
    division = invocation.division(ctx)
    entity = resolve_entity(name, division)
    day = parse_today(today, division)
    owed = shown = owing.obligations(division, entity)
    latest, done = {}, None
    records = invocation.records_of(ctx, division, day)
    if records:
        from ..progress import done_test, index_records, latest_record

        index = index_records(records)
        latest = {
            division.task_id(o.task): r
            for o in owed
            if (r := latest_record(division, index, o.task, entity.name)) is not None
        }
        done = done_test(division, index, entity)
    if any(option is not None for option in (before, after, within)) or overdue:
        window = date_window(division, before, after, within, overdue, day)
        shown = query.in_window(owed, window)
        if done is not None and (overdue or within is not None):  # what is still to do: leave out what is done
            shown = [o for o in shown if query.open_in_window(o.task, window, done)]
    listing = views.unit_listing(division, entity, owed, shown, day, order=sort, latest=latest, done=done)
    invocation.answer(ctx, listing, output, full=full)
    if output == "table":
        if isinstance(entity, Group):
            note(views.group_members_line(entity, owing.members(division, entity)))
        if query.next_deadline((o.task for o in owed), day, done) is None:
            note(f"提示：今天按 {day.isoformat()} 计，数据是 {division.year} 年的任务表；可用 --today 指定日期")
        elif owed and not shown:
            _explain_empty(listing, output, day, division)


def due(
    ctx: typer.Context,
    before: BeforeOpt = None,
    after: AfterOpt = None,
    within: WithinOpt = None,
    overdue: OverdueOpt = False,
    unit_name: UnitOpt = None,
    include_ongoing: Annotated[
        bool, typer.Option("--include-ongoing", help="在有日期的任务之后，另列持续推进和自某日起的任务。")
    ] = False,
    today: TodayOpt = None,
    full: FullOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """列出截止日期在某日之前（含当日）的任务，按截止日期、任务编号排序。

    \b
    示例：
      gongkai due --before 2024-09-30
      gongkai due --within 30d --today 2024-09-01
    """
    output = parse_format(fmt)
    division = invocation.division(ctx)
    day = parse_today(today, division)
    tasks = list(division.tasks)
    entity = None
    if unit_name is not None:
        entity = resolve_entity(unit_name, division)
        tasks = query.owed_tasks(division, entity)
    if include_ongoing and overdue:
        fail("--include-ongoing 与 --overdue 不能同时使用：持续推进和及时的任务没有截止日期，不会逾期。", EXIT_USAGE)
    window = date_window(division, before, after, within, overdue, day)
    chosen = query.dated(tasks, window)
    if overdue or within is not None:  # what is still to do: leave out what is reported done
        records = invocation.records_of(ctx, division, day)
        if records:
            from ..progress import done_test

            done = done_test(division, records, entity)
            chosen = [t for t in chosen if query.open_in_window(t, window, done)]
    if include_ongoing:
        chosen += query.undated(tasks)
    listing = views.task_listing(division, chosen)
    invocation.answer(ctx, listing, output, full=full)
    _explain_empty(listing, output, day, division)


def show(
    ctx: typer.Context,
    numbers: Annotated[list[str], typer.Argument(help="任务编号，可写多个。", metavar="任务编号")],
    fmt: FormatOpt = "table",
) -> None:
    """显示任务的全部内容：要求、责任单位、时限及其解读、考评加减分。

    \b
    示例：
      gongkai show 17
      gongkai show 17 23
    """
    output = parse_format(fmt)
    division = invocation.division(ctx)
    with argument_errors():
        tasks = [query.find_task(division, text) for text in numbers]
    invocation.answer(ctx, views.show_listing(division, tasks), output)


def section(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="部分写作“四”、“4”或“四、”；小标题写作“四.二”或“4.2”。", metavar="部分")],
    full: FullOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """列出一个部分（或小标题）下的任务。

    \b
    示例：
      gongkai section 四
      gongkai section 4.2
    """
    output = parse_format(fmt)
    division = invocation.division(ctx)
    with argument_errors():
        found = query.find_section(division, ref)
    listing = views.task_listing(division, query.section_tasks(found), title=views.section_heading(found))
    invocation.answer(ctx, listing, output, full=full)


def sections(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """列出任务表的目录：各部分、小标题及其任务编号。

    \b
    示例：
      gongkai sections
    """
    output = parse_format(fmt)
    division = invocation.division(ctx)
    invocation.answer(ctx, views.contents_listing(division), output)


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="要查找的文字。", metavar="文字")],
    full: FullOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """在任务要求、标题、责任单位和时限中全文查找，并高亮匹配处。

    \b
    示例：
      gongkai search 解读
    """
    output = parse_format(fmt)
    division = invocation.division(ctx)
    with argument_errors():
        hits = query.search(division, text)
    invocation.answer(ctx, views.search_listing(division, hits, text), output, full=full)


def units(ctx: typer.Context, today: TodayOpt = None, fmt: FormatOpt = "table") -> None:
    """列出全部单位和统称，以及各自牵头、负责、配合、各单位、有关单位的任务数和下一个截止日期。

    \b
    示例：
      gongkai units --format csv
    """
    output = parse_format(fmt)
    division = invocation.division(ctx)
    day = parse_today(today, division)
    rows = [(entity, owing.obligations(division, entity)) for entity in query.entities(division)]
    done_by = None
    records = invocation.records_of(ctx, division, day)
    if records:
        from ..progress import done_test, index_records

        index = index_records(records)

        def done_by(entity: owing.Entity) -> query.DoneTest:
            return done_test(division, index, entity)

    invocation.answer(ctx, views.summary_listing(division, rows, day, done_by), output)


def timeline(ctx: typer.Context, unit_name: UnitOpt = None, full: FullOpt = False, fmt: FormatOpt = "table") -> None:
    """按月份列出有截止日期的任务，一眼看清全年节点。

    \b
    示例：
      gongkai timeline --unit 司法局
    """
    output = parse_format(fmt)
    division = invocation.division(ctx)
    tasks = list(division.tasks)
    if unit_name is not None:
        tasks = query.owed_tasks(division, resolve_entity(unit_name, division))
    invocation.answer(ctx, views.timeline_listing(division, query.by_month(tasks)), output, full=full)


def scoring(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """列出任务中规定的全部考评加减分。

    \b
    示例：
      gongkai scoring
    """
    output = parse_format(fmt)
    division = invocation.division(ctx)
    invocation.answer(ctx, views.scoring_listing(division, query.scoring_rules(division)), output)


__all__ = ["due", "scoring", "search", "section", "sections", "show", "timeline", "unit", "units"]
