"""Pure questions over a validated Division: which unit or group a name means, what falls due when, sections and
search. Who owes what is answered in owing.py."""

from __future__ import annotations

import contextlib
import functools
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from itertools import compress
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from .errors import LookupFailedError
from .models import Division, ScoringRule, Section, Subsection, Task, TimeLimit, Unit
from .numerals import from_chinese, to_chinese
from .owing import Entity, Obligation, obligations, units_of
from .tuples import NamedTuple

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

# China has kept UTC+8 all year since 1991, so a fixed offset is exact and needs no time-zone database.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def today_in_china() -> date:
    """Today's date in China Standard Time, whatever the machine's time zone."""
    return datetime.now(CHINA_STANDARD_TIME).date()


# --- units and groups -------------------------------------------------------------------------------------


def entities(division: Division) -> list[Entity]:
    """Every unit, then every group, in file order."""
    return [*division.units_file.units, *division.units_file.groups]


def names_of(entity: Entity) -> list[str]:
    """Every name an entity answers to: its name, the other forms the table writes, aliases, full name."""
    names = [entity.name, *(v.text for v in entity.variants)]
    if isinstance(entity, Unit):
        names += [*entity.aliases, *([entity.full_name] if entity.full_name else [])]
    return names


def normalize(text: str) -> str:
    """Text as queries compare it: NFKC (full-width to ASCII), no whitespace, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _pinyin_keys(name: str) -> tuple[str, str]:
    # pypinyin is imported only for Latin-letter queries: its dictionaries take a third of a second to load.
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name)), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))


def _table_names(entity: Entity) -> list[str]:
    """The names the table and the roster use for an entity: everything but the full name."""
    return [entity.name, *(v.text for v in entity.variants), *(entity.aliases if isinstance(entity, Unit) else ())]


def _full_names(entity: Entity) -> list[str]:
    return [entity.full_name] if isinstance(entity, Unit) and entity.full_name else []


@functools.lru_cache(maxsize=4)
def _compared_names(division: Division) -> list[tuple[Entity, frozenset[str], tuple[str, ...], tuple[str, ...]]]:
    """Each unit and group with its names as `normalize` gives them, worked out once per table (a 台账 read back
    resolves a unit for every row): all its names, the names the table uses, its full names."""
    return [
        (
            e,
            frozenset(map(normalize, names_of(e))),
            tuple(map(normalize, _table_names(e))),
            tuple(map(normalize, _full_names(e))),
        )
        for e in entities(division)
    ]


def _matches(division: Division, wanted: str) -> list[Entity]:
    """The units and groups `wanted` picks, from the strongest way of matching that finds any.

    An exact name first; then a fragment of a name the table uses; then a fragment of a full name (民政 must
    not find every 人民政府 before 市民政局); then, for Latin letters, pinyin and initials in the same order.
    """
    compared = _compared_names(division)
    found = [e for e, names, _, _ in compared if wanted in names]
    found = found or [e for e, _, table, _ in compared if any(wanted in n for n in table)]
    found = found or [e for e, _, _, full in compared if any(wanted in n for n in full)]
    if found or not (wanted.isascii() and wanted.isalpha()):
        return found
    everything = [e for e, *_ in compared]
    found = [e for e in everything if any(_pinyin_matches(wanted, n) for n in _table_names(e))]
    return found or [e for e in everything if any(_pinyin_matches(wanted, n) for n in _full_names(e))]


def _pinyin_matches(wanted: str, name: str) -> bool:
    full, initials = _pinyin_keys(name)
    return wanted in full or initials.startswith(wanted)


def _similarity(query: str, entity: Entity) -> tuple[int, float]:
    """How alike a query and an entity's names look: the longest run of shared characters, then difflib's ratio."""
    import difflib

    best = (0, 0.0)
    for name in names_of(entity):
        matcher = difflib.SequenceMatcher(None, query, name, autojunk=False)
        run = matcher.find_longest_match(0, len(query), 0, len(name)).size
        best = max(best, (run, matcher.ratio()))
    return best


# A suggestion must share at least this many consecutive characters with what was typed: 市公安局 shares only
# 市 and 局 with 市财政局, which is no reason to suggest it.
SUGGESTION_RUN = 2


def group_hint(division: Division) -> str:
    """Where a body missing from the roster still finds what it owes: the groups that take members by kind."""
    open_groups = [g for g in division.units_file.groups if g.member_kinds or g.open_ended]
    if not open_groups:
        return ""
    named = "".join(f"“{g.name}”" for g in open_groups)
    return f"；名册外的部门可查{named}"


def resolve(division: Division, query: str) -> Entity:
    """The unit or group a user means: exact name or form, alias, a unique fragment, or pinyin / initials."""
    wanted = normalize(query)
    if not wanted:
        raise LookupFailedError("单位名称不能为空，请写单位的名称、简称或拼音。")
    found = _matches(division, wanted)
    if len(found) == 1:
        return found[0]
    if found:
        raise LookupFailedError(f"“{query}”可指多个单位，请写得更具体：", [e.name for e in found])
    scored = sorted(
        ((_similarity(wanted, e), e.name) for e in entities(division)), key=lambda pair: pair[0], reverse=True
    )
    close = [name for (run, _), name in scored if run >= SUGGESTION_RUN][:3]
    hint = f"是否指：{'、'.join(close)}？" if close else ""
    raise LookupFailedError(f"未找到“{query}”，请核对名称（可输简称、拼音或首字母）{group_hint(division)}。{hint}")


def roster_unit(division: Division, name: str) -> Unit:
    """The roster unit `name` means (any name `resolve` accepts); LookupFailedError for a group as for an unknown
    name, since only units report."""
    entity = resolve(division, name)
    if not isinstance(entity, Unit):
        raise LookupFailedError(f"“{name}”是统称，不是单位，请写其中一个成员单位的名称。")
    return entity


def co_units(task: Task, entity: Entity) -> list[str]:
    """The other units and groups named by a task."""
    return [name for name in units_of(task) if name != entity.name]


# --- dates ------------------------------------------------------------------------------------------------


class DateWindow(NamedTuple):
    """Inclusive bounds on due dates; None leaves a side open."""

    start: date | None = None
    end: date | None = None

    def includes(self, day: date) -> bool:
        """Whether `day` lies inside the window."""
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


ANY_DATE = DateWindow()


def due_dates(task: Task) -> tuple[date, ...]:
    """When a task falls due: its deadline, every occurrence of a recurring limit (每季度), or never."""
    return _limit_dates(task.time_limit)


def _limit_dates(limit: TimeLimit) -> tuple[date, ...]:
    return (limit.due,) if limit.due is not None else limit.occurrences


# Questions about every task of a large table work each distinct time limit out once: a hundred thousand tasks
# have some seven hundred.
_TIME_LIMIT = attrgetter("time_limit")


def first_due(task: Task, window: DateWindow = ANY_DATE) -> date | None:
    """The first date the task falls due inside the window, if any."""
    return next((day for day in due_dates(task) if window.includes(day)), None)


def _first_days(limits: Iterable[TimeLimit], window: DateWindow) -> dict[TimeLimit, date | None]:
    """The first due date inside the window of each distinct time limit."""
    return {limit: next((d for d in _limit_dates(limit) if window.includes(d)), None) for limit in set(limits)}


def dated(tasks: Iterable[Task], window: DateWindow = ANY_DATE) -> list[Task]:
    """Tasks falling due inside the window, by (first such) date, then in the order given; a recurring task
    appears once."""
    listed = tuple(tasks)
    limits = list(map(_TIME_LIMIT, listed))
    days = list(map(_first_days(limits, window).__getitem__, limits))
    chosen = sorted(compress(zip(days, listed, strict=True), days), key=itemgetter(0))  # a date is never false
    return list(map(itemgetter(1), chosen))


def undated(tasks: Iterable[Task]) -> list[Task]:
    """Tasks that never fall due (ongoing, prompt, or running from a start date), in task order."""
    return [t for t in tasks if not due_dates(t)]


# Whether a task's occurrence (its due date) is reported done, for answers that leave out what is done.
DoneTest = Callable[[Task, date], bool]


def next_deadline(tasks: Iterable[Task], today: date, done: DoneTest | None = None) -> date | None:
    """The first due date on or after today (skipping occurrences reported `done`)."""
    if done is None:
        limits = set(map(_TIME_LIMIT, tasks))
        return min((d for limit in limits for d in _limit_dates(limit) if d >= today), default=None)
    return min((d for t in tasks for d in due_dates(t) if d >= today and not done(t, d)), default=None)


def open_in_window(task: Task, window: DateWindow, done: DoneTest) -> bool:
    """Whether one of the task's due dates inside the window is not reported done."""
    return any(window.includes(day) and not done(task, day) for day in due_dates(task))


def by_month(tasks: Iterable[Task]) -> list[tuple[date, list[Task]]]:
    """Tasks grouped by the months they fall due in (keyed by the month's first day), in date order.

    A recurring task appears in every month one of its occurrences falls in; tasks of one day keep the order given.
    """
    months: dict[date, list[Task]] = {}
    for day, task in sorted(((d, t) for t in tasks for d in due_dates(t)), key=lambda pair: pair[0]):
        tasks_of_month = months.setdefault(day.replace(day=1), [])
        if task not in tasks_of_month:
            tasks_of_month.append(task)
    return sorted(months.items())


# --- sections, search, scoring ----------------------------------------------------------------------------


class SectionRef(NamedTuple):
    """A section, or one subsection of it."""

    number: int
    section: Section
    subsection: Subsection | None = None


def _number(text: str) -> int | None:
    text = text.strip().strip("、.（）()")
    # ASCII digits only, and few of them: int() reads other scripts' digits and refuses 4,300 of them.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else from_chinese(text)


def _flat(text: str) -> str:
    """Text as references are read: NFKC (full-width to ASCII), no whitespace."""
    return unicodedata.normalize("NFKC", "".join(text.split()))


def _section_parts(flat: str) -> tuple[int | None, str]:
    """A section reference (四 / 4 / 四、 / 四.二 / 4.2 / 四（二）) split: the section's number, and the subsection's
    text ("" for none)."""
    head, sep, tail = flat.replace("(", ".").replace("、", ".", 1).partition(".")
    return _number(head), tail.strip(".)") if sep else ""


def find_section(division: Division, ref: str) -> SectionRef:
    """A section by 四 / 4 / 四、, or a subsection by 四.二 / 4.2 / 四（二）."""
    number, tail = _section_parts(_flat(ref))
    sections = division.tasks_file.sections
    if not sections:
        raise LookupFailedError("本表不分部分，请用 gongkai due 或 gongkai search 查找任务。")
    if number is None or not 1 <= number <= len(sections):
        raise LookupFailedError(f"本表只有{to_chinese(len(sections))}个部分。部分写 四 或 4，小标题写 四.二 或 4.2。")
    section = sections[number - 1]
    if not tail:
        return SectionRef(number, section)
    sub_number = _number(tail)
    if sub_number is None or not 1 <= sub_number <= len(section.subsections):
        count = len(section.subsections)
        raise LookupFailedError(f"第{section.numeral or number}部分只有{to_chinese(count)}个小标题，没有“{tail}”。")
    return SectionRef(number, section, section.subsections[sub_number - 1])


def section_tasks(ref: SectionRef) -> list[Task]:
    """The tasks under a section or subsection."""
    if ref.subsection:
        return list(ref.subsection.tasks)
    return [*ref.section.tasks, *(task for sub in ref.section.subsections for task in sub.tasks)]


SEARCH_FIELDS = {"requirement": "具体要求", "title": "标题", "units": "责任单位", "time_limit": "时限"}


def search(division: Division, text: str) -> list[tuple[Task, list[str]]]:
    """Tasks whose requirement, headings, responsibility or time limit contain `text`, with the fields that do."""
    wanted = normalize(text)
    if not wanted:
        raise LookupFailedError("搜索词不能为空，请写要查找的文字。")
    hits = []
    for task in division.tasks:
        place = division.placement(task)
        # Each piece is searched on its own, so that no match straddles two of them.
        fields = {
            "requirement": (task.requirement, *((task.work_item,) if task.work_item else ())),
            "title": tuple(h.title for h in (place.section, place.subsection) if h is not None),
            "units": (*responsibility_cells(task), *units_of(task)),
            "time_limit": (task.time_limit.text,),
        }
        matched = [name for name, pieces in fields.items() if any(wanted in normalize(p) for p in pieces)]
        if matched:
            hits.append((task, matched))
    return hits


# Hyphens and dashes a task identity may be typed with (NFKC already turns the full-width － into -).
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―﹣", "-"))


class TaskRef(NamedTuple):
    """A task as the user names it: its printed number, within a section (and subsection) where given."""

    number: int
    section: int | None = None
    subsection: int | None = None


def task_ref(text: str) -> TaskRef:
    """A task reference as the user typed it: 17, １７, 第17项, or where numbers repeat 4-2, 四-2, 4.2-3, 四.二-3
    (any hyphen or dash); LookupFailedError if it is not one."""
    flat = _flat(text).removeprefix("第").removesuffix("项").translate(_DASHES)
    head, dash, tail = flat.rpartition("-")
    number = _number(tail if dash else flat)
    if not dash and number is not None:
        return TaskRef(number)
    section, subsection = _section_parts(head) if dash else (None, "")
    sub_number = _number(subsection) if subsection else None
    if number is None or section is None or (subsection and sub_number is None):
        raise LookupFailedError(f"“{text}”不是任务编号，请写数字，如 17")
    return TaskRef(number, section, sub_number)


def responsibility_cells(task: Task) -> tuple[str, ...]:
    """The printed responsibility text, or the lead and support cells of a table that prints them apart."""
    return tuple(text for text in (task.responsibility, task.lead_text, task.support_text) if text)


def find_task(division: Division, ref: int | str) -> Task:
    """One task by its number (17) or identity ("17", "4-2", "4.2-3", "四-2", as `task_ref` reads it).

    A plain number names a task where no other task is printed with it; where several are, LookupFailedError
    lists their identities.
    """
    example = division.task_id(division.tasks[0]) if division.tasks else 1
    try:
        wanted = task_ref(ref) if isinstance(ref, str) else TaskRef(ref)
    except LookupFailedError:
        if not division.repeats:
            raise
        raise LookupFailedError(
            f"“{ref}”不是任务编号；本表任务编号分部分重排，请连同部分一起写，如 {example}。"
        ) from None
    if wanted.section is None and not division.repeats:
        found = division.find(wanted.number)
        if found is None:
            numbers = [t.number for t in division.tasks]
            low, high = min(numbers, default=0), max(numbers, default=0)
            raise LookupFailedError(f"没有第 {wanted.number} 项任务，本表任务编号为 {low}～{high}。")
        return found
    candidates = [
        task
        for task in division.tasks
        if task.number == wanted.number
        and (wanted.section is None or division.placement(task).section_number == wanted.section)
        and (wanted.subsection is None or division.placement(task).subsection_number == wanted.subsection)
    ]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        ids = [str(division.task_id(t)) for t in candidates]
        raise LookupFailedError(
            f"有 {len(ids)} 项任务编号为 {wanted.number}：{'、'.join(ids)}；请写明是哪一项，如 {ids[0]}"
        )
    if not division.repeats:
        raise LookupFailedError(f"没有任务“{ref}”：本表任务编号不分部分，请直接写任务编号，如 {example}。")
    raise LookupFailedError(f"没有任务“{ref}”：本表任务编号分部分重排，请连同部分一起写，如 {example}。")


def due_window(
    *,
    before: date | None = None,
    after: date | None = None,
    today: date | None = None,
    within: relativedelta | None = None,
    overdue: bool = False,
) -> DateWindow:
    """The due-date window the `due` options describe together; every bound given narrows it."""
    starts = [after]
    ends = [before]
    if within is not None:
        if today is None:
            raise ValueError("within needs today")
        starts.append(today)
        # A span reaching past the last representable date leaves the window open at the end.
        with contextlib.suppress(OverflowError, ValueError):
            ends.append(today + within)  # calendar-aware: 2024-01-31 + 1 month = 2024-02-29
    if overdue:
        if today is None:
            raise ValueError("overdue needs today")
        if today == date.min:
            return DateWindow(date.max, date.min)  # nothing falls due before the first representable day
        ends.append(today - timedelta(days=1))
    return DateWindow(
        max((d for d in starts if d is not None), default=None),
        min((d for d in ends if d is not None), default=None),
    )


def scoring_rules(division: Division) -> list[tuple[Task, ScoringRule]]:
    """Every assessment bonus and penalty, in task order."""
    return [(task, rule) for task in division.tasks for rule in task.scoring]


def owed_tasks(division: Division, entity: Entity) -> list[Task]:
    """The tasks an entity owes in any role, in task order."""
    return [o.task for o in obligations(division, entity)]


def in_window(found: Iterable[Obligation], window: DateWindow) -> list[Obligation]:
    """The obligations whose task falls due inside the window, in the order given."""
    return [o for o in found if first_due(o.task, window) is not None]


def tasks_for_unit(division: Division, name: str) -> list[Obligation]:
    """What the unit or group called `name` (any form `resolve` accepts) owes, in task order."""
    return obligations(division, resolve(division, name))
