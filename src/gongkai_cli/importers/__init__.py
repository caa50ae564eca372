"""Import a task-division table from the form it was published in: text, CSV, Word (.docx) or Excel (.xlsx).

`read_source` reads any supported source into rows; `import_table` writes a data folder (tasks.yaml in the
lean form, units.yaml with the roster plus an entry marked `review: true` for every name it lacks) and lists
every cell a person should look at. Every source is untrusted: it is read through `io.read.read_file`, and a
Word or Excel file's zip container is checked before any XML parser sees it.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import os_reason
from ..io.read import FileRefusedError, read_file
from ..io.write import write_folder
from ..safetext import display_path
from ..schema import with_schema_line, write_schemas
from ..tuples import NamedTuple
from ..workspace import TASKS_FILE, UNITS_FILE
from .rows import (
    Cleaner,
    DocumentInfo,
    ImportRefusedError,
    Note,
    Row,
    SectionRow,
    SubsectionRow,
    TaskRow,
)
from .table import ImportResult, TaskLines, to_table

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".csv": "delimited",
    ".tsv": "delimited",
    ".docx": "docx",
    ".xlsx": "xlsx",
}
SUPPORTED = "文本（.txt/.text/.md，以制表符分隔）、CSV（.csv/.tsv）、Word（.docx）、Excel（.xlsx）"
# Formats gongkai does not read, and the one to save them as in Office or WPS.
SAVE_AS = {
    ".doc": ".docx",
    ".wps": ".docx",
    ".rtf": ".docx",
    ".xls": ".xlsx",
    ".et": ".xlsx",
    ".ods": ".xlsx",
}


class ImportSummary(NamedTuple):
    """What an import wrote: counts, the new roster names, the characters normalised and the notes.

    The notes are what the source and `check` say of the written table, each once, at the source's cells where
    they come from a task; `reminders` counts the guessed roster entries left for a person (review: true).
    """

    out: Path
    tasks: int
    sections: int
    new_units: tuple[str, ...]
    normalised: int
    notes: tuple[Note, ...]
    # Which part of the source was read, when it had several (读取工作表“任务分工”); None otherwise.
    part: str | None = None
    new_groups: tuple[str, ...] = ()
    reminders: int = 0
    # Where the files the import replaced were kept (with --force), None when it replaced nothing.
    backup: Path | None = None

    @property
    def needs_person(self) -> int:
        """How many cells a person must decide before `check` passes (or the import is right)."""
        return sum(1 for note in self.notes if note.needs_person)

    def closing(self) -> list[str]:
        """The lines that close an import: what was written, and what is left for a person."""
        added = ""
        if self.new_units or self.new_groups:
            groups = f"、统称 {len(self.new_groups)} 个" if self.new_groups else ""
            added = f"，名册中没有的单位 {len(self.new_units)} 个{groups}（已写入 units.yaml，待确认）"
        cleaned = f"，清理了 {self.normalised} 个不可见字符" if self.normalised else ""
        where = display_path(self.out)
        read = f"；{self.part}" if self.part else ""
        lines = [f"已导入到 {where}：{self.tasks} 项任务、{self.sections} 个部分{added}{cleaned}{read}。"]
        if self.needs_person:
            lines.append(f"有 {self.needs_person} 处需要人工确认（见上）；改好后运行 gongkai check {where}。")
        else:
            lines.append(f"gongkai check {where} 可以通过，没有需要人工确认的单元格。")
        if self.reminders:
            lines.append(
                f"名册中有 {self.reminders} 个按猜测写入的条目（review: true）：核对后删除 review，"
                "在此之前 gongkai check --strict 不会通过。"
            )
        return lines


def _read(path: Path, year: int | None, cleaner: Cleaner) -> tuple[list[Row], DocumentInfo, list[Note], str | None]:
    suffix = path.suffix.lower()
    kind = SUFFIXES.get(suffix)
    if suffix in SAVE_AS:
        raise ImportRefusedError(
            f"不能直接读取 {suffix} 文件；请在 Office 或 WPS 中打开，另存为 {SAVE_AS[suffix]} 后再导入"
        )
    if kind is None:
        raise ImportRefusedError(f"不支持的文件类型“{path.suffix or '（无扩展名）'}”；支持：{SUPPORTED}")
    try:
        raw = read_file(path)
    except FileRefusedError as e:
        raise ImportRefusedError(f"{display_path(path)}：{e}") from None
    hint = year or datetime.date.today().year
    name = path.name
    if kind == "text":
        from .text import read_text

        return (*read_text(raw, name, hint, cleaner), None)
    if kind == "delimited":
        from .delimited import read_delimited

        return (*read_delimited(raw, name, hint, cleaner, tab=suffix == ".tsv"), None)
    if kind == "docx":
        from .docx import read_docx

        return (*read_docx(raw, name, hint, cleaner), None)
    from .xlsx import read_xlsx

    return read_xlsx(raw, name, hint, cleaner)


def read_source(path: Path, *, year: int | None = None) -> tuple[list[Row], DocumentInfo, list[Note]]:
    """The rows, the notice's facts and the reader's notes of a source, by its suffix; else ImportRefusedError."""
    rows, info, notes, _ = _read(path, year, Cleaner())
    return rows, info, notes


def roster_names(roster: dict[str, Any]) -> tuple[set[str], dict[str, str]]:
    """The names and written variants a roster knows, and its aliases (alias -> name)."""
    names: set[str] = set()
    aliases: dict[str, str] = {}
    for key in ("units", "groups"):
        for entry in roster.get(key) or ():
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            names.add(entry["name"])
            for variant in entry.get("variants") or ():
                if isinstance(variant, dict) and isinstance(variant.get("text"), str):
                    names.add(variant["text"])
            for alias in [*(entry.get("aliases") or ()), entry.get("full_name")]:
                if isinstance(alias, str):
                    aliases.setdefault(alias, entry["name"])
    return names, aliases


def roster_kinds(roster: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The kinds a roster declares with the endings of their names (`kinds: [{name, label, endings}]`)."""
    kinds = []
    for entry in roster.get("kinds") or ():
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            endings = entry.get("endings") or []
            kinds.append(
                (entry["name"], [e for e in endings if isinstance(e, str) and e] if isinstance(endings, list) else [])
            )
    return kinds


def _unit_kinds(roster: dict[str, Any]) -> set[str]:
    """The kinds a roster has units of, by key (a unit may write its kind's label: 县直部门)."""
    labels: dict[str, str] = {
        e["label"]: e["name"] for e in roster.get("kinds") or () if isinstance(e, dict) and "label" in e
    }
    return {
        labels.get(u["kind"]) or u["kind"]
        for u in roster.get("units") or ()
        if isinstance(u, dict) and isinstance(u.get("kind"), str)
    }


def new_entries_yaml(entries: list[dict[str, Any]], indent: str = "  ") -> str:
    """Roster entries as YAML list items at `indent`."""
    if not entries:
        return ""
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=10**6)
    return "".join(f"{indent}{line}\n" if line else "\n" for line in text.splitlines())


def merge_roster(roster_text: str, entries: list[dict[str, Any]], key: str = "units") -> str:
    """The roster's text with `entries` added at the end of its `key` list (units, groups, kinds), comments kept."""
    if not entries:
        return roster_text
    lines = roster_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == f"{key}:"), None)
    if start is None:
        if any(line.startswith(f"{key}:") for line in lines):
            data = yaml.safe_load(roster_text) or {}
            data[key] = [*(data.get(key) or []), *entries]
            return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
        tail = "" if not roster_text or roster_text.endswith("\n") else "\n"
        return roster_text + tail + f"{key}:\n" + new_entries_yaml(entries)
    end = start + 1
    indent = "  "
    for i in range(start + 1, len(lines)):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith("- ") and end == start + 1:
            indent = line[: len(line) - len(stripped)]
        if stripped and not stripped.startswith("#") and not line[0].isspace() and not stripped.startswith("- "):
            break
        if stripped and not stripped.startswith("#"):
            end = i + 1
    block = new_entries_yaml(entries, indent)
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return (
        "".join(lines[:end])
        + "  # 以下条目由导入补充，请核对类型后删除 review\n".replace("  ", indent, 1)
        + block
        + "".join(lines[end:])
    )


def add_variant(roster_text: str, name: str, written: str) -> str:
    """The roster's text with `written` recorded as a variant of the unit `name` (an alias the table writes)."""
    lines = roster_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.fullmatch(rf"\s*- name: {re.escape(name)}\s*", line)), None)
    if start is None:
        return roster_text
    indent = " " * (len(lines[start]) - len(lines[start].lstrip()) + 2)
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith(indent)):
        end += 1
    note = f"导入的表写作“{written}”（名册中的别名），按同一单位理解（解读）。"
    item = f"{indent}  - text: {written}\n{indent}    note: {note}\n"
    has = next((i for i in range(start, end) if lines[i].rstrip() == f"{indent}variants:"), None)
    if has is not None:
        lines.insert(has + 1, item)
    else:
        lines.insert(end, f"{indent}variants:\n{item}")
    return "".join(lines)


def import_table(source: Path, out: Path, *, year: int | None, roster: Path | None, force: bool) -> ImportSummary:
    """Import `source` into the folder `out` (tasks.yaml and units.yaml).

    A folder holding units.yaml, tasks.yaml or table subfolders is refused without `force`; with it, the files
    replaced are first copied into `out/.gongkai-backup/<time>/` (hidden: never read as a table), named in
    the summary. The written table is then checked as `check` checks it, and what check would refuse is among
    the notes.
    """
    held = _held_data(out)
    if held and not force:
        raise ImportRefusedError(
            f"{display_path(out)} 中已有 {'、'.join(held)}；导入会写入 units.yaml 和 tasks.yaml，"
            "确需覆盖时请加 --force（原有文件会先备份）"
        )
    if out.exists() and not out.is_dir():
        raise ImportRefusedError(f"{display_path(out)} 已存在且不是文件夹")
    cleaner = Cleaner()
    rows, info, notes, part = _read(source, year, cleaner)
    if year is not None:
        info = info._replace(year=year)
    roster_text = ""
    loaded: dict[str, Any] = {}
    if roster is not None:
        try:
            roster_text = read_file(roster).decode("utf-8-sig")
            loaded = yaml.safe_load(roster_text) or {}
        except FileRefusedError as e:
            raise ImportRefusedError(f"名单 {display_path(roster)}：{e}") from None
        except (UnicodeDecodeError, yaml.YAMLError):
            raise ImportRefusedError(
                f"名单 {display_path(roster)} 不是有效的 UTF-8 YAML 文件；请先用 gongkai check 检查"
            ) from None
        if not isinstance(loaded, dict):
            raise ImportRefusedError(f"名单 {display_path(roster)} 不是 units.yaml 的格式")
    names, aliases = roster_names(loaded)
    declared = roster_kinds(loaded)
    result: ImportResult = to_table(
        rows,
        info,
        names,
        roster_aliases=aliases,
        roster_kinds=declared,
        roster_unit_kinds=_unit_kinds(loaded) | {name for name, _ in declared},
        source_name=display_path(source.name),
    )
    # A table of a folder of several tables (data/2026) shares the folder's roster: its own units.yaml holds
    # only what it adds. Elsewhere the given roster is copied, with the new entries appended.
    shared = roster is not None and roster.resolve() == (out.resolve().parent / "units.yaml")
    if roster is not None and not shared:
        units_text = roster_text
        for key, entries in (("units", result.new_units), ("groups", result.new_groups), ("kinds", result.new_kinds)):
            units_text = merge_roster(units_text, entries, key)
        for written, name in result.new_variants:
            units_text = add_variant(units_text, name, written)
    else:
        units_text = _units_only(result)
    tables = {UNITS_FILE: units_text, TASKS_FILE: result.tasks_yaml}
    files = {name: with_schema_line(name, text).encode("utf-8") for name, text in tables.items()}
    try:
        backup = _back_up(out, files)
        write_folder(out, files)
        write_schemas(out)
    except OSError as e:
        raise ImportRefusedError(f"无法写入 {display_path(out)}（{os_reason(e)}）") from None
    checked = (roster, out / TASKS_FILE, out / UNITS_FILE) if shared and roster else None
    found, reminders = verdict(checked or (out / UNITS_FILE, out / TASKS_FILE), result.lines)
    return ImportSummary(
        out=out,
        tasks=result.tasks,
        sections=result.sections,
        new_units=tuple(e["name"] for e in result.new_units),
        normalised=cleaner.count,
        notes=tuple(_once([*notes, *result.notes, *found])),
        new_groups=tuple(e["name"] for e in result.new_groups),
        reminders=reminders,
        part=part,
        backup=backup,
    )


def verdict(files: tuple[Path, ...], lines: tuple[TaskLines, ...]) -> tuple[list[Note], int]:
    """What `check` refuses in a written table, each at the source cell of the task it concerns, and the count
    of its reminders of guessed roster entries (review: true)."""
    from ..load import inspect_data, read_files
    from ..problems import ROSTER

    contents, unreadable = read_files(files)
    _, problems = inspect_data(files, contents)
    notes: list[Note] = []
    reminders = 0
    for problem in unreadable + problems:
        if problem.severity == "notice":
            reminders += problem.code == ROSTER and problem.message.endswith("review: true")
            continue
        where = f"{display_path(problem.path)}:{problem.line}" if problem.line else display_path(problem.path)
        if problem.path == files[1] and problem.line is not None:
            task = next((t for t in lines if t.first <= problem.line <= t.last), None)
            if task is not None and task.row.shifted:
                continue  # said once for the run of shifted rows
            where = task.place(problem.line) if task is not None else where
        notes.append(Note(where, problem.message))
    return notes, reminders


def _once(notes: list[Note]) -> list[Note]:
    seen: set[tuple[str, str]] = set()
    out = []
    for note in notes:
        if (note.where, note.message) not in seen:
            seen.add((note.where, note.message))
            out.append(note)
    return out


def _units_only(result: ImportResult) -> str:
    header = "# 导入时名单中没有的单位与统称，类型与成员按名称推测：请逐条核对后删除 review。\n"
    text = header + ("units:\n" + new_entries_yaml(result.new_units) if result.new_units else "units: []\n")
    if result.new_groups:
        text += "groups:\n" + new_entries_yaml(result.new_groups)
    if result.new_kinds:
        text += "kinds:\n" + new_entries_yaml(result.new_kinds)
    return text


BACKUP_FOLDER = ".gongkai-backup"


def _held_data(out: Path) -> list[str]:
    """What in `out` an import would replace or hide: its units.yaml, its tasks.yaml, its table subfolders."""
    from ..workspace import tables

    held = [name for name in (TASKS_FILE, UNITS_FILE) if os.path.lexists(out / name)]
    return held + [f"表文件夹 {table.folder.name}" for table in tables(out) if table.id is not None]


def _back_up(out: Path, files: dict[str, bytes]) -> Path | None:
    """Copy the files of `out` that `files` will replace into a new hidden folder in `out`; that folder, if any."""
    kept = {}
    for name in files:
        if os.path.lexists(out / name):
            try:
                kept[name] = read_file(out / name)
            except FileRefusedError as e:
                raise ImportRefusedError(f"无法备份 {display_path(out / name)}：{e}") from None
    if not kept:
        return None
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = out / BACKUP_FOLDER / stamp
    number = 1
    while os.path.lexists(backup):
        number += 1
        backup = out / BACKUP_FOLDER / f"{stamp}-{number}"
    write_folder(backup, kept)
    return backup


__all__ = [
    "DocumentInfo",
    "ImportRefusedError",
    "ImportResult",
    "ImportSummary",
    "Note",
    "Row",
    "SectionRow",
    "SubsectionRow",
    "TaskRow",
    "import_table",
    "read_source",
    "to_table",
    "verdict",
]
