"""Cross-field checks over validated models: what a schema alone cannot say about the data."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .deadlines import Meaning, TimeLimitError, parse_date_arg, parse_time_limit
from .errors import Problem
from .load import Source
from .models import Task, TaskFile, TimeLimit, UnitFile
from .numerals import to_chinese
from .safetext import name_key, visible

LEAD_MARK = "牵头"
IMPLEMENT_MARK = "负责落实"
# Dates further than this from the plan year are almost certainly a mistyped year.
YEAR_SLACK = 1


def split_responsibility(text: str) -> tuple[list[str], list[str]]:
    """The names a 责任单位 text gives as leads (before 牵头) and as implementers (the rest), as written."""
    body = text.removesuffix(IMPLEMENT_MARK)
    lead_part, _, rest = body.partition(LEAD_MARK) if LEAD_MARK in body else ("", "", body)

    def names(part: str) -> list[str]:
        found: list[str] = []
        for token in re.split(r"[、，,；;]", part):
            # "市生态环境局等行业主管部门" names one unit and an open-ended group.
            found += [name for name in token.split("等") if name]
        return found

    return names(lead_part), names(rest)


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


def check_units(units: UnitFile, src: Source) -> tuple[NameIndex, list[Problem]]:
    """Problems within units.yaml, and the index of every name it defines."""
    index = NameIndex()
    problems: list[Problem] = []
    # name key -> (the entry that claimed it, the canonical name it stands for, where, the name as written)
    owners: dict[str, tuple[tuple[str, int], str, tuple[str | int, ...], str]] = {}

    def claim(name: str, entry: tuple[str, int], owner: str, loc: tuple[str | int, ...], table: dict[str, str]) -> None:
        if any(char.isspace() for char in name):
            problems.append(src.problem(loc, f"名称“{visible(name, newlines=False)}”中有空格或换行，请删除"))
            return
        # Names that differ only in width, case or invisible characters would be one name to a reader.
        key = name_key(name)
        if key in owners and owners[key][0] != entry:
            first_line, _ = src.locate(owners[key][2])
            earlier = owners[key][3]
            same = "" if earlier == name else f"（与“{earlier}”只差全角半角或大小写，看起来是同一个名称）"
            problems.append(
                src.problem(
                    loc,
                    f"名称“{name}”已用于“{owners[key][1]}”（第 {first_line} 行）{same}，查询时无法区分，请改用别的名称",
                )
            )
            return
        owners[key] = (entry, owner, loc, name)
        table[name] = owner

    entries = [("units", i, u.name, u.variants, u.aliases, u.full_name) for i, u in enumerate(units.units)]
    entries += [("groups", i, g.name, g.variants, (), None) for i, g in enumerate(units.groups)]
    # Names first, then the forms the table writes, then aliases: a clash is blamed on the weaker name.
    for kind, i, name, _, _, _ in entries:
        index.canonical.add(name)
        claim(name, (kind, i), name, (kind, i, "name"), index.written_forms)
    for kind, i, name, variants, _, _ in entries:
        for j, variant in enumerate(variants):
            claim(variant.text, (kind, i), name, (kind, i, "variants", j, "text"), index.written_forms)
    for kind, i, name, _, aliases, full_name in entries:
        for j, alias in enumerate(aliases):
            claim(alias, (kind, i), name, (kind, i, "aliases", j), index.aliases)
        if full_name:
            claim(full_name, (kind, i), name, (kind, i, "full_name"), index.aliases)

    unit_names = {u.name for u in units.units}
    for i, group in enumerate(units.groups):
        if bool(group.members) == bool(group.member_kinds):
            problems.append(
                src.problem(("groups", i, "name"), f"群体“{group.name}”需写 members 或 member_kinds 之一（只写一个）")
            )
        for j, member in enumerate(group.members):
            if member not in unit_names:
                problems.append(
                    src.problem(
                        ("groups", i, "members", j), f"成员“{member}”不是 units 中的单位{index.suggest(member)}"
                    )
                )
    return index, _coded(problems, "roster")


def _check_document(tasks: TaskFile, src: Source) -> list[Problem]:
    doc = tasks.document
    problems = []
    try:
        printed = parse_date_arg(doc.date_text, doc.year)
    except TimeLimitError:
        printed = None
    if printed != doc.date:
        problems.append(src.problem(("document", "date"), f"date {doc.date} 与 date_text“{doc.date_text}”不一致"))
    if not doc.year - YEAR_SLACK <= doc.date.year <= doc.year:
        problems.append(
            src.problem(("document", "year"), f"计划年度 {doc.year} 与印发日期 {doc.date} 相差过大，请核对 year")
        )
    return problems


def _check_headings(tasks: TaskFile, src: Source) -> list[Problem]:
    # Emptiness is checked here rather than in the schema: pydantic would also call a list "too short"
    # when its only item is invalid, burying the real problem under a false one.
    problems = [] if tasks.sections else [src.problem(("sections",), "sections 至少需要一个部分")]
    for i, section in enumerate(tasks.sections):
        if not section.subsections:
            problems.append(src.problem(("sections", i, "subsections"), "subsections 至少需要一个小标题"))
        for j, sub in enumerate(section.subsections):
            if not sub.tasks:
                problems.append(src.problem(("sections", i, "subsections", j, "tasks"), "tasks 至少需要一项任务"))
        expected = to_chinese(i + 1)
        if section.numeral != expected:
            problems.append(
                src.problem(
                    ("sections", i, "numeral"), f"第 {i + 1} 个部分的序号应为“{expected}”，实为“{section.numeral}”"
                )
            )
        for j, sub in enumerate(section.subsections):
            loc = ("sections", i, "subsections", j, "numeral")
            if sub.numeral is None:
                if len(section.subsections) > 1:
                    problems.append(src.problem(loc, "只有一个小标题的部分才可不写序号（numeral: null）"))
            elif sub.numeral != to_chinese(j + 1):
                problems.append(src.problem(loc, f"小标题序号应为“{to_chinese(j + 1)}”，实为“{sub.numeral}”"))
    return problems


TaskLoc = tuple[str | int, ...]


def located_tasks(tasks: TaskFile) -> Iterable[tuple[TaskLoc, Task]]:
    """Every task with its path in the YAML document, in table order."""
    for i, section in enumerate(tasks.sections):
        for j, sub in enumerate(section.subsections):
            for k, task in enumerate(sub.tasks):
                yield ("sections", i, "subsections", j, "tasks", k), task


def _describe_gap(previous: int, number: int, seen: Iterable[int]) -> str:
    """The numbers between previous and number not yet seen, listed when few, as a range when many."""
    seen_inside = {n for n in seen if previous < n < number}
    missing = number - previous - 1 - len(seen_inside)
    if missing <= 0:
        return ""
    if missing <= 5:
        return "、".join(str(n) for n in range(previous + 1, number) if n not in seen_inside)
    return f"{previous + 1}…{number - 1} 中的 {missing} 个"


# More misnumbered tasks than this are reported as one renumbering (a task inserted mid-table, say).
RENUMBERING_AFTER = 2
# How many of the changes a renumbering problem spells out.
RENUMBERING_SHOWN = 8


def _check_numbering(located: Sequence[tuple[TaskLoc, Task]], src: Source) -> list[Problem]:
    problems = _numbering_problems(located, src)
    changes = [
        (loc, task.number, position) for position, (loc, task) in enumerate(located, 1) if task.number != position
    ]
    # Fixing one duplicate at a time would take a round of check per task after an insertion: say it all at once.
    if not problems or len(changes) <= RENUMBERING_AFTER:
        return problems
    lines = [src.locate((*loc, "number"))[0] for loc, _, _ in changes[:RENUMBERING_SHOWN]]
    listed = "、".join(
        f"第 {line} 行 {number}→{position}" for line, (_, number, position) in zip(lines, changes, strict=False)
    )
    more = f" 等 {len(changes)} 处" if len(changes) > RENUMBERING_SHOWN else f"，共 {len(changes)} 处"
    first = changes[0][0]
    return [
        src.problem(
            (*first, "number"),
            f"任务编号应按顺序为 1…{len(located)}，需要重新编号：{listed}{more}",
        )
    ]


def _numbering_problems(located: Sequence[tuple[TaskLoc, Task]], src: Source) -> list[Problem]:
    problems = []
    first_seen: dict[int, TaskLoc] = {}
    previous = 0
    for loc, task in located:
        number_loc = (*loc, "number")
        if task.number in first_seen:
            first_line = src.locate(first_seen[task.number])[0]  # located only when needed: it walks the tree
            problems.append(src.problem(number_loc, f"任务编号 {task.number} 重复（首次出现在第 {first_line} 行）"))
            continue
        first_seen[task.number] = number_loc
        if task.number < 1:
            problems.append(src.problem(number_loc, f"任务编号应从 1 开始，实为 {task.number}"))
        elif task.number < previous:
            problems.append(src.problem(number_loc, f"任务编号 {task.number} 不按顺序（前一个是 {previous}）"))
        elif task.number > previous + 1:
            gap = _describe_gap(previous, task.number, first_seen.keys())
            if gap:
                problems.append(src.problem(number_loc, f"缺少任务编号 {gap}（编号应为 1…N 连续）"))
        previous = max(previous, task.number)
    return problems


def _check_responsibility(task: Task, loc: TaskLoc, src: Source, names: NameIndex) -> list[Problem]:
    problems = []
    for role in ("leads", "implementers"):
        for k, name in enumerate(getattr(task, role)):
            if name in names.canonical:
                continue
            target = names.written_forms.get(name) or names.aliases.get(name)
            hint = (
                f"是“{target}”的另一写法，请写 units.yaml 中的名称“{target}”"
                if target
                else f"不在 units.yaml 中{names.suggest(name)}"
            )
            problems.append(src.problem((*loc, role, k), f"“{name}”{hint}"))
    # The text is checked even when the lists have problems, so that one run shows a typo in both.
    structured_ok = not problems

    written_leads, written_implementers = split_responsibility(task.responsibility)
    for form in written_leads + written_implementers:
        if form not in names.written_forms:
            problems.append(
                src.problem(
                    (*loc, "responsibility"),
                    f"责任单位文字中的“{form}”不是 units.yaml 中的名称或写法{names.suggest(form)}",
                )
            )
    if problems or not structured_ok:
        return problems

    expected = {
        "leads": [names.written_forms[form] for form in written_leads],
        "implementers": [names.written_forms[form] for form in written_implementers],
    }
    for role, other, label in (("leads", "implementers", "牵头单位"), ("implementers", "leads", "负责落实单位")):
        stored: list[str] = list(getattr(task, role))
        for name in stored:
            if name not in expected[role]:
                where = "在责任单位文字中属于另一类" if name in expected[other] else "未出现在责任单位文字中"
                problems.append(src.problem((*loc, role), f"{role} 中的“{name}”{where}（文字：{task.responsibility}）"))
        for name in expected[role]:
            if name not in stored:
                problems.append(src.problem((*loc, role), f"责任单位文字写明“{name}”为{label}，{role} 中缺少它"))
        if not problems and stored != expected[role]:
            problems.append(src.problem((*loc, role), f"{role} 应与责任单位文字同序：[{', '.join(expected[role])}]"))
    return problems


def _meaning_text(meaning: Meaning) -> str:
    if meaning.kind == "deadline":
        return f"截止 {meaning.due}"
    if meaning.kind == "from":
        return f"自 {meaning.start} 起"
    return "持续推进（无截止日期）"


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


def _check_time_limit(limit: TimeLimit, loc: TaskLoc, src: Source, year: int) -> list[Problem]:
    here = (*loc, "time_limit")
    needed = {"deadline": "due", "from": "start", "ongoing": None}[limit.kind]
    dates: dict[str, date | None] = {"due": limit.due, "start": limit.start}
    for name, value in dates.items():
        if name == needed and value is None:
            return [src.problem((*here, "kind"), f"kind 为 {limit.kind} 时需要写 {name}（日期，如 2024-09-30）")]
        if name != needed and value is not None:
            return [src.problem((*here, name), f"kind 为 {limit.kind} 时不应写 {name}")]
    problems = []
    for name, value in dates.items():
        if value is not None and not year - YEAR_SLACK <= value.year <= year + YEAR_SLACK:
            problems.append(src.problem((*here, name), f"日期 {value} 离计划年度 {year} 太远，请核对年份"))
    stored = Meaning(limit.kind, limit.due, limit.start)
    parsed: Meaning | None
    try:
        parsed = read = parse_time_limit(limit.text, year)
    except TimeLimitError as e:
        parsed, reading = None, str(e)
    else:
        fix = "；".join(_fixes(stored, read, here, src))
        reading = f"时限“{limit.text}”读作{_meaning_text(read)}，与存储的{_meaning_text(stored)}不一致：{fix}"
    if parsed == stored:
        if limit.override:
            problems.append(
                src.problem((*here, "override"), "override 多余：时限文字本身即读作存储的含义，请删除 override")
            )
    elif not limit.override:
        problems.append(
            src.problem(
                (*here, "text"),
                f"{reading}；如确需按{_meaning_text(stored)}理解，也可改为加 override: true 并在 note 中写明理由",
            )
        )
    elif limit.note is None:
        problems.append(src.problem((*here, "override"), "override: true 需要 note 写明为何不按文字理解"))
    return problems


def _check_scoring(task: Task, loc: TaskLoc, src: Source) -> list[Problem]:
    problems = []
    requirement = task.requirement.replace("\n", "")
    for k, rule in enumerate(task.scoring):
        here = (*loc, "scoring", k)
        if rule.condition not in requirement:
            problems.append(src.problem((*here, "condition"), "condition 应逐字引自本任务的具体要求，未找到这段文字"))
            continue
        verb = "加" if rule.points > 0 else "减"
        if rule.points == 0 or not re.search(f"{verb}(分|[0-9])", rule.condition):
            problems.append(
                src.problem((*here, "points"), f"points {rule.points:g} 的正负与条件不符（加分为正数，减分为负数）")
            )
        if f"{abs(rule.points):g}分" not in rule.condition:
            problems.append(src.problem((*here, "points"), f"条件中没有“{abs(rule.points):g}分”，请核对 points"))
        for name, text in (("per", rule.per and f"分/{rule.per}"), ("who", rule.who)):
            if text is not None and text not in rule.condition:
                problems.append(src.problem((*here, name), f"条件中没有“{text}”，请核对 {name}"))
    return problems


def _coded(problems: list[Problem], code: str) -> list[Problem]:
    return [problem._replace(code=code) for problem in problems]


def check_tasks(tasks: TaskFile, src: Source, names: NameIndex | None) -> list[Problem]:
    """Problems within tasks.yaml; its units are checked against `names` when units.yaml could be read."""
    problems = _coded(_check_document(tasks, src), "document")
    problems += _coded(_check_headings(tasks, src), "heading")
    located = list(located_tasks(tasks))
    problems += _coded(_check_numbering(located, src), "numbering")
    year = tasks.document.year
    for loc, task in located:
        if names is not None:
            problems += _coded(_check_responsibility(task, loc, src, names), "unit")
        problems += _coded(_check_time_limit(task.time_limit, loc, src, year), "time-limit")
        problems += _coded(_check_scoring(task, loc, src), "scoring")
    return problems
