"""Cross-field checks over validated models, and the structure read from the printed cells.

A task in the file holds its printed cells; this module reads its units from the responsibility text and
its dates from the time-limit text, checks whatever is stored beside them, and returns the records with
every derived field filled in. Problems stop a table from loading; notices (a stored value that equals
what the text says, a roster entry still marked for review) do not.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import problems as codes
from .deadlines import (
    Meaning,
    TimeLimitError,
    describe,
    far_date,
    parse_date_arg,
    parse_time_limit,
)
from .errors import Problem
from .io.yamlfile import Source
from .models import KindDefinition, Task, TaskFile, TimeLimit, UnitFile, plan_period
from .numerals import to_chinese
from .responsibility import Roles, aliases_in, parse_columns, parse_responsibility
from .safetext import name_key, visible
from .tuples import NamedTuple
from .vocabulary import KIND_LABELS

# Dates further than this from the plan year are almost certainly a mistyped year, unless the text names it.
YEAR_SLACK = 1


@dataclass
class NameIndex:
    """Every name units.yaml knows, mapped to the canonical unit or group name it stands for."""

    canonical: set[str] = field(default_factory=set)
    written_forms: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def suggest(self, name: str) -> str:
        """A did-you-mean hint for an unknown name, or an empty string."""
        close = difflib.get_close_matches(name, sorted(self.canonical), n=3, cutoff=0.5)
        return f"（是否指：{'、'.join(close)}？）" if close else ""


def check_units(rosters: Sequence[tuple[UnitFile, Source]]) -> tuple[NameIndex, UnitFile, list[Problem]]:
    """Problems within the roster files (a folder's units.yaml, then a table's additions), the index of every
    name they define, and the merged roster with kinds as keys."""
    index = NameIndex()
    problems: list[Problem] = []
    # name key -> (the entry that claimed it, the canonical name it stands for, where, the name as written)
    owners: dict[str, tuple[tuple[int, str, int], str, tuple[Source, tuple[str | int, ...]], str]] = {}
    Where = tuple[Source, tuple[str | int, ...]]

    def claim(name: str, entry: tuple[int, str, int], owner: str, where: Where, table: dict[str, str]) -> None:
        src, loc = where
        if any(char.isspace() for char in name):
            problems.append(src.problem(loc, f"名称“{visible(name, newlines=False)}”中有空格或换行，请删除"))
            return
        # Names that differ only in width, case or invisible characters would be one name to a reader.
        key = name_key(name)
        if key in owners and owners[key][0] != entry:
            first_src, first_loc = owners[key][2]
            first_line, _ = first_src.locate(first_loc)
            place = f"第 {first_line} 行" if first_src is src else f"{first_src.path} 第 {first_line} 行"
            earlier = owners[key][3]
            same = "" if earlier == name else f"（与“{earlier}”只差全角半角或大小写，看起来是同一个名称）"
            problems.append(
                src.problem(
                    loc, f"名称“{name}”已用于“{owners[key][1]}”（{place}）{same}，查询时无法区分，请改用别的名称"
                )
            )
            return
        owners[key] = (entry, owner, where, name)
        table[name] = owner

    entries = [
        ((f, "units", i), src, u.name, u.variants, u.aliases, u.full_name)
        for f, (units, src) in enumerate(rosters)
        for i, u in enumerate(units.units)
    ]
    entries += [
        ((f, "groups", i), src, g.name, g.variants, (), None)
        for f, (units, src) in enumerate(rosters)
        for i, g in enumerate(units.groups)
    ]
    # Names first, then the forms the table writes, then aliases: a clash is blamed on the weaker name.
    for entry, src, name, _, _, _ in entries:
        index.canonical.add(name)
        claim(name, entry, name, (src, (*entry[1:], "name")), index.written_forms)
    for entry, src, name, variants, _, _ in entries:
        for j, variant in enumerate(variants):
            claim(variant.text, entry, name, (src, (*entry[1:], "variants", j, "text")), index.written_forms)
    for entry, src, name, _, aliases, full_name in entries:
        for j, alias in enumerate(aliases):
            claim(alias, entry, name, (src, (*entry[1:], "aliases", j)), index.aliases)
        if full_name:
            claim(full_name, entry, name, (src, (*entry[1:], "full_name")), index.aliases)

    merged = UnitFile(
        tuple(u for units, _ in rosters for u in units.units),
        tuple(g for units, _ in rosters for g in units.groups),
        tuple(k for units, _ in rosters for k in units.kinds),
    )
    unit_names = {u.name for u in merged.units}
    fixed = []
    for units, src in rosters:
        for i, group in enumerate(units.groups):
            if bool(group.members) == bool(group.member_kinds):
                message = f"统称“{group.name}”需写 members 或 member_kinds 之一（只写一个）"
                problems.append(src.problem(("groups", i, "name"), message))
            for j, member in enumerate(group.members):
                if member not in unit_names:
                    message = f"成员“{member}”不是 units 中的单位{index.suggest(member)}"
                    problems.append(src.problem(("groups", i, "members", j), message))
        keyed, found = _check_kinds(units, src, merged.kinds)
        fixed.append(keyed)
        problems += found
        reviewed = [("units", i, u.name) for i, u in enumerate(units.units) if u.review]
        reviewed += [("groups", i, g.name) for i, g in enumerate(units.groups) if g.review]
        problems += [
            src.problem((kind, i, "review"), f"“{name}”是按猜测写入的条目，请核对后删除 review: true")._replace(
                severity="notice"
            )
            for kind, i, name in reviewed
        ]
    merged = merged._replace(
        units=tuple(u for units in fixed for u in units.units), groups=tuple(g for units in fixed for g in units.groups)
    )
    return index, merged, _coded(problems, codes.ROSTER)


def _check_kinds(units: UnitFile, src: Source, declared: Sequence[KindDefinition]) -> tuple[UnitFile, list[Problem]]:
    """Every unit kind is a built-in or declared one, written as its key or its label; keys are returned."""
    labels = {**KIND_LABELS, **{k.name: k.label for k in declared}}
    keys = {label: key for key, label in labels.items()} | {key: key for key in labels}
    problems = []
    known = "、".join(f"{key}（{label}）" for key, label in labels.items())

    def key_of(kind: str, loc: tuple[str | int, ...]) -> str:
        if kind in keys:
            return keys[kind]
        problems.append(src.problem(loc, f"单位类型“{kind}”未定义：可用 {known}；或在 kinds 中声明"))
        return kind

    fixed_units = tuple(
        unit._replace(kind=key_of(unit.kind, ("units", i, "kind"))) for i, unit in enumerate(units.units)
    )
    fixed_groups = tuple(
        group._replace(
            member_kinds=tuple(key_of(k, ("groups", i, "member_kinds", j)) for j, k in enumerate(group.member_kinds))
        )
        for i, group in enumerate(units.groups)
    )
    return units._replace(units=fixed_units, groups=fixed_groups), problems


def _check_document(tasks: TaskFile, src: Source) -> list[Problem]:
    doc = tasks.document
    problems = []
    if doc.date_text is not None and doc.date is not None:
        try:
            printed = parse_date_arg(doc.date_text, doc.year)
        except TimeLimitError:
            printed = None
        if printed != doc.date:
            problems.append(src.problem(("document", "date"), f"date {doc.date} 与 date_text“{doc.date_text}”不一致"))
    if doc.date is not None and not doc.year - YEAR_SLACK <= doc.date.year <= doc.year:
        problems.append(
            src.problem(("document", "year"), f"计划年度 {doc.year} 与印发日期 {doc.date} 相差过大，请核对 year")
        )
    start, end = plan_period(doc)
    if start > end:
        where = ("document", "period_end" if doc.period_end is not None else "period_start")
        problems.append(
            src.problem(where, f"表的期间自 {start} 至 {end}：开始晚于结束，请核对 period_start 与 period_end")
        )
    elif start.year > doc.year or end.year < doc.year:
        where = ("document", "period_start" if start.year > doc.year else "period_end")
        problems.append(src.problem(where, f"表的期间自 {start} 至 {end}，不含计划年度 {doc.year}，请核对"))
    return problems


def _check_numeral(
    numeral: str | None, position: int, loc: tuple[str | int, ...], src: Source, what: str
) -> list[Problem]:
    if numeral is None or numeral == to_chinese(position):
        return []
    return [src.problem(loc, f"{what}序号应为“{to_chinese(position)}”，实为“{numeral}”")]


def _check_headings(tasks: TaskFile, src: Source) -> list[Problem]:
    # Emptiness is checked here rather than in the schema: pydantic would also call a list "too short"
    # when its only item is invalid, burying the real problem under a false one.
    problems = []
    if not tasks.sections and not tasks.tasks:
        problems.append(src.problem((), "tasks.yaml 需要 sections（部分）或 tasks（任务）"))
    if tasks.sections and tasks.tasks:
        problems.append(src.problem(("tasks",), "tasks.yaml 的任务要么都在 sections 中，要么都在顶层 tasks 中"))
    for i, section in enumerate(tasks.sections):
        problems += _check_numeral(section.numeral, i + 1, ("sections", i, "numeral"), src, f"第 {i + 1} 个部分的")
        if not section.subsections and not section.tasks:
            problems.append(src.problem(("sections", i), "部分需要 subsections（小标题）或 tasks（任务）"))
        if section.subsections and section.tasks:
            problems.append(src.problem(("sections", i, "tasks"), "一个部分的任务要么都在小标题下，要么都直接列出"))
        for j, sub in enumerate(section.subsections):
            here = ("sections", i, "subsections", j)
            if not sub.tasks:
                problems.append(src.problem((*here, "tasks"), "tasks 至少需要一项任务"))
            if sub.numeral is None and any(s.numeral is not None for s in section.subsections):
                problems.append(src.problem((*here, "numeral"), "同一部分的小标题要么都有序号，要么都没有"))
            problems += _check_numeral(sub.numeral, j + 1, (*here, "numeral"), src, "小标题")
    return problems


TaskLoc = tuple[str | int, ...]


def located_tasks(tasks: TaskFile) -> Iterable[tuple[TaskLoc, Task]]:
    """Every task with its path in the YAML document, in table order."""
    for k, task in enumerate(tasks.tasks):
        yield ("tasks", k), task
    for i, section in enumerate(tasks.sections):
        for k, task in enumerate(section.tasks):
            yield ("sections", i, "tasks", k), task
        for j, sub in enumerate(section.subsections):
            for k, task in enumerate(sub.tasks):
                yield ("sections", i, "subsections", j, "tasks", k), task


# A jump over more numbers than this inside a run is a slip (4400 for 44), not a gap the table prints.
MOST_SKIPPED = 9


def _check_numbering(located: Sequence[tuple[TaskLoc, Task]], src: Source) -> list[Problem]:
    """Numbers as printed: rising inside a run, with gaps, and restarting at 1 at a section or subsection.

    A run is the tasks from one restart to the next. A number repeated inside a run, one going backwards, one
    below 1, or a jump over more than MOST_SKIPPED numbers is a slip; a restart or a small gap is what tables print.
    """
    if all(task.number is None for _, task in located):
        return []  # numbered by position
    unnumbered = [loc for loc, task in located if task.number is None]
    if unnumbered:
        return [
            src.problem(
                unnumbered[0], "有的任务写了任务编号（number），有的没有：原表印有任务编号就都写上，没有就都不写"
            )
        ]
    problems = []
    run: dict[int, TaskLoc] = {}
    previous = 0
    container: TaskLoc = ()
    for loc, task in located:
        number, number_loc = task.number, (*loc, "number")
        if loc[:-1] != container:
            container = loc[:-1]
            if number == 1:
                run, previous = {}, 0  # the section or subsection restarts the numbers
        if number in run:
            first_line = src.locate(run[number])[0]  # located only when needed: it walks the tree
            problems.append(src.problem(number_loc, f"任务编号 {number} 重复（首次出现在第 {first_line} 行）"))
            continue
        run[number] = number_loc
        if number < 1:
            problems.append(src.problem(number_loc, f"任务编号应从 1 开始，实为 {number}"))
        elif number < previous:
            problems.append(src.problem(number_loc, f"任务编号 {number} 不按顺序（前一个是 {previous}）"))
        elif number - previous - 1 > MOST_SKIPPED:
            problems.append(
                src.problem(
                    number_loc,
                    f"任务编号 {number} 与前一个任务编号 {previous} 相差过大（跳过 {number - previous - 1} 个），是否写错？",
                )
            )
        previous = max(previous, number)
    return problems


def _known_name(written: str, names: NameIndex) -> str | None:
    """The roster name a written name stands for; a name with an alias in brackets (市府办〔市大数据局〕) by either."""
    if written in names.written_forms:
        return names.written_forms[written]
    pair = aliases_in(written)
    if pair is not None:
        for part in pair:
            found = names.written_forms.get(part) or names.aliases.get(part)
            if found is not None:
                return found
    return None


ROLE_FIELDS = (("leads", "牵头单位"), ("implementers", "负责落实单位"), ("supports", "配合单位"))


class _Readings:
    """What each distinct responsibility and time-limit text of one table reads as, read once: a table of
    thousands of tasks repeats a few thousand texts."""

    def __init__(self, year: int) -> None:
        self.year = year
        self._roles: dict[tuple[str | None, str | None, str | None], Roles | None] = {}
        self._limits: dict[str, tuple[Meaning | None, str]] = {}

    def roles(self, task: Task) -> Roles | None:
        key = (task.responsibility, task.lead_text, task.support_text)
        if key not in self._roles:
            self._roles[key] = _read_roles(task)
        return self._roles[key]

    def time_limit(self, text: str) -> tuple[Meaning | None, str]:
        """The meaning of a time-limit text, or None and why it cannot be read."""
        if text not in self._limits:
            try:
                self._limits[text] = parse_time_limit(text, self.year), ""
            except TimeLimitError as e:  # AmbiguousTimeLimitError included
                self._limits[text] = None, str(e)
        return self._limits[text]


def _read_roles(task: Task) -> Roles | None:
    if task.responsibility is not None:
        return parse_responsibility(task.responsibility)
    if task.lead_text is not None or task.support_text is not None:
        return parse_columns(lead=task.lead_text, support=task.support_text)
    return None


def _resolve_units(
    task: Task, loc: TaskLoc, src: Source, names: NameIndex, unknown: list[str], readings: _Readings
) -> tuple[dict[str, tuple[str, ...]], list[Problem], list[Problem]]:
    """The task's units per role: read from its responsibility cells, or stored as an interpretation."""
    problems: list[Problem] = []
    notices: list[Problem] = []
    roles = readings.roles(task)
    text_loc = (*loc, "responsibility" if task.responsibility is not None else "lead_text")
    if roles is None:
        return (
            {},
            [src.problem(loc, "任务需要 responsibility（责任单位），或 lead_text（牵头）与 support_text（配合单位）")],
            [],
        )
    written = {"leads": roles.leads, "implementers": roles.named, "supports": roles.supports}
    derived: dict[str, tuple[str, ...]] = {}
    for role, forms in written.items():
        found = []
        for form in forms:
            name = _known_name(form, names)
            if name is None:
                if form not in unknown:
                    unknown.append(form)
                problems.append(
                    src.problem(
                        text_loc, f"责任单位文字中的“{form}”不是 units.yaml 中的名称或写法{names.suggest(form)}"
                    )
                )
            elif name not in found:
                found.append(name)
        derived[role] = tuple(found)
    stored_problems = []
    for role, _ in ROLE_FIELDS:
        stored = getattr(task, role)
        if stored is None:
            continue
        for k, name in enumerate(stored):
            if name in names.canonical:
                continue
            target = names.written_forms.get(name) or names.aliases.get(name)
            hint = (
                f"是“{target}”的另一写法，请写 units.yaml 中的名称“{target}”"
                if target
                else f"不在 units.yaml 中{names.suggest(name)}"
            )
            stored_problems.append(src.problem((*loc, role, k), f"“{name}”{hint}"))
    if problems or stored_problems:
        return derived, problems + stored_problems, notices
    text = task.responsibility or "、".join(t for t in (task.lead_text, task.support_text) if t)
    result = dict(derived)
    for role, label in ROLE_FIELDS:
        stored = getattr(task, role)
        if stored is None:
            continue
        if tuple(stored) == derived[role]:
            notices.append(src.problem((*loc, role), f"{role} 与责任单位文字读出的相同，可以删除"))
            continue
        if task.notes:  # a recorded interpretation: the stored list stands
            result[role] = tuple(stored)
            continue
        before = len(problems)
        for name in stored:
            if name not in derived[role]:
                elsewhere = any(name in derived[r] for r, _ in ROLE_FIELDS if r != role)
                where = "在责任单位文字中属于另一类" if elsewhere else "未出现在责任单位文字中"
                problems.append(src.problem((*loc, role), f"{role} 中的“{name}”{where}（文字：{text}）"))
        for name in derived[role]:
            if name not in stored:
                problems.append(src.problem((*loc, role), f"责任单位文字写明“{name}”为{label}，{role} 中缺少它"))
        if len(problems) == before:
            problems.append(src.problem((*loc, role), f"{role} 应与责任单位文字同序：[{', '.join(derived[role])}]"))
        problems[-1] = problems[-1]._replace(
            message=problems[-1].message + "；如确为解读，请在任务的 notes 中写明，否则删除 " + role
        )
    return result, problems, notices


def _fixes(stored: Meaning, parsed: Meaning, here: TaskLoc, src: Source) -> list[str]:
    """What to change so that the stored meaning is the text's: 把第 N 行的 due 改为 2024-10-31."""
    fixes = []
    for name in ("kind", "due", "start"):
        old, new = getattr(stored, name), getattr(parsed, name)
        if old == new:
            continue
        line = src.locate((*here, name))[0]
        if new is None:
            fixes.append(f"删去第 {line} 行的 {name}")
        elif old is None:
            fixes.append(f"加上 {name}: {new}")
        else:
            fixes.append(f"把第 {line} 行的 {name} 改为 {new}")
    return fixes


def _resolve_time_limit(
    limit: TimeLimit, loc: TaskLoc, src: Source, readings: _Readings
) -> tuple[TimeLimit, list[Problem], list[Problem]]:
    """The time limit with its meaning: read from the text, or stored as an interpretation (override + note)."""
    here = (*loc, "time_limit")
    year = readings.year
    read, unreadable = readings.time_limit(limit.text)
    if limit.kind is None:
        if limit.due is not None or limit.start is not None:
            return limit, [src.problem(here, "写了 due 或 start 就要写 kind（deadline、from …）")], []
        if read is None:
            advice = "；请改写成 time_limit: {text, kind, due, override, note}：kind 与 due 写含义，override: true，note 写理由（见 docs/录入指南.md）"
            return limit, [src.problem((*here, "text"), unreadable + advice)], []
        if limit.override:
            return limit, [src.problem((*here, "override"), "此处无需 override: true（未另填 kind/due），请删除。")], []
        return _with_meaning(limit, read), _far_dates(read, limit, here, src, year), []
    stored = Meaning(limit.kind, limit.due, limit.start)
    needed = {"deadline": "due", "from": "start"}.get(limit.kind)
    for name in ("due", "start"):
        value = getattr(limit, name)
        if name == needed and value is None:
            return (
                limit,
                [src.problem((*here, "kind"), f"kind 为 {limit.kind} 时需要写 {name}（日期，如 2024-09-30）")],
                [],
            )
        if name != needed and value is not None:
            return limit, [src.problem((*here, name), f"kind 为 {limit.kind} 时不应写 {name}")], []
    if read is not None and Meaning(read.kind, read.due, read.start) == stored:
        if limit.override:
            return (
                limit,
                [
                    src.problem(
                        (*here, "override"), "此处无需 override: true（时限文字本身就读作所填的 kind/due），请删除。"
                    )
                ],
                [],
            )
        notice = src.problem((*here, "kind"), "kind 与日期与时限文字读出的相同，可以删除，只留 text")
        return _with_meaning(limit, read), [], [notice]
    if not limit.override:
        if read is not None:
            fix = "；".join(_fixes(stored, read, here, src))
            reading = f"时限“{limit.text}”读作{describe(read)}，与存储的{describe(stored)}不一致：{fix}"
        else:
            reading = unreadable
        message = (
            f"{reading}；如确需按{describe(stored)}理解，请写成 time_limit: {{text, kind, due, override, note}}，"
            "override: true，note 写理由（见 docs/录入指南.md）"
        )
        return limit, [src.problem((*here, "text"), message)], []
    if limit.note is None:
        return (
            limit,
            [
                src.problem(
                    (*here, "override"),
                    "写了 override: true，还需在 note 中写明为何不按文字理解（见 docs/录入指南.md）。",
                )
            ],
            [],
        )
    return limit, [], []  # an interpretation, recorded: its dates may lie anywhere


def _with_meaning(limit: TimeLimit, meaning: Meaning) -> TimeLimit:
    return limit._replace(
        kind=meaning.kind,
        due=meaning.due,
        start=meaning.start,
        occurrences=meaning.occurrences,
        lag=meaning.lag,
        lag_unit=meaning.lag_unit,
    )


def _far_dates(meaning: Meaning, limit: TimeLimit, here: TaskLoc, src: Source, year: int) -> list[Problem]:
    """A date far from the plan year is a likely typo, unless the text names its year (2027年3月底前)."""
    day = far_date(meaning, limit.text, year)
    return [] if day is None else [src.problem((*here, "text"), f"日期 {day} 离计划年度 {year} 太远，请核对年份")]


def _check_scoring(task: Task, loc: TaskLoc, src: Source) -> list[Problem]:
    problems = []
    requirement = task.requirement.replace("\n", "")
    for k, rule in enumerate(task.scoring):
        here = (*loc, "scoring", k)
        if rule.condition not in requirement:
            problems.append(src.problem((*here, "condition"), "condition 应逐字引自本任务的具体要求，未找到这段文字"))
            continue
        verb = "加" if rule.points > 0 else "[减扣]"
        if rule.points == 0 or not re.search(f"{verb}(分|[0-9])", rule.condition):
            problems.append(
                src.problem((*here, "points"), f"points {rule.points:g} 的正负与条件不符（加分为正数，减分为负数）")
            )
        if f"{abs(rule.points):g}分" not in rule.condition:
            problems.append(src.problem((*here, "points"), f"条件中没有“{abs(rule.points):g}分”，请核对 points"))
        per = rule.per and (f"分/{rule.per}" if f"分/{rule.per}" in rule.condition else f"每{rule.per}")
        for name, text in (("per", per), ("who", rule.who)):
            if text is not None and text not in rule.condition:
                problems.append(src.problem((*here, name), f"条件中没有“{text}”，请核对 {name}"))
    return problems


def _coded(problems: list[Problem], code: str) -> list[Problem]:
    return [problem._replace(code=code) for problem in problems]


class TableCheck(NamedTuple):
    """What checking a tasks.yaml gives: the records with every derived field, problems and notices."""

    tasks: TaskFile
    problems: list[Problem]
    notices: list[Problem]
    unknown_names: list[str]


def check_tasks(tasks: TaskFile, src: Source, names: NameIndex | None) -> TableCheck:
    """Check tasks.yaml and read its structure; its units are checked against `names` when units.yaml was read."""
    problems = _coded(_check_document(tasks, src), codes.DOCUMENT)
    problems += _coded(_check_headings(tasks, src), codes.HEADING)
    located = list(located_tasks(tasks))
    problems += _coded(_check_numbering(located, src), codes.NUMBERING)
    notices: list[Problem] = []
    unknown: list[str] = []
    readings = _Readings(tasks.document.year)
    resolved: dict[TaskLoc, Task] = {}
    for position, (loc, task) in enumerate(located, 1):
        changes: dict[str, object] = {"number": task.number if task.number is not None else position}
        if names is not None:
            units, found, noted = _resolve_units(task, loc, src, names, unknown, readings)
            problems += _coded(found, codes.UNIT)
            notices += _coded([n._replace(severity="notice") for n in noted], codes.UNIT)
            changes |= {role: units.get(role, ()) for role, _ in ROLE_FIELDS}
        limit, found, noted = _resolve_time_limit(task.time_limit, loc, src, readings)
        problems += _coded(found, codes.TIME_LIMIT)
        notices += _coded([n._replace(severity="notice") for n in noted], codes.TIME_LIMIT)
        problems += _coded(_check_scoring(task, loc, src), codes.SCORING)
        resolved[loc] = task._replace(time_limit=limit, **changes)  # type: ignore[arg-type]
    return TableCheck(_rebuild(tasks, resolved), problems, notices, unknown)


def _rebuild(tasks: TaskFile, resolved: dict[TaskLoc, Task]) -> TaskFile:
    """The task file with each task replaced by its resolved record."""
    return tasks._replace(
        tasks=tuple(resolved[("tasks", k)] for k in range(len(tasks.tasks))),
        sections=tuple(
            section._replace(
                tasks=tuple(resolved[("sections", i, "tasks", k)] for k in range(len(section.tasks))),
                subsections=tuple(
                    sub._replace(
                        tasks=tuple(
                            resolved[("sections", i, "subsections", j, "tasks", k)] for k in range(len(sub.tasks))
                        )
                    )
                    for j, sub in enumerate(section.subsections)
                ),
            )
            for i, section in enumerate(tasks.sections)
        ),
    )
