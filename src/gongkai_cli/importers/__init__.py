"""Import a task-division table from the form it was published in: text, CSV, Word (.docx) or Excel (.xlsx).

`read_source` reads any supported source into rows; `import_table` writes a data folder (tasks.yaml in the
lean form, units.yaml with the roster plus an entry marked `review: true` for every name it lacks) and lists
every cell a person should look at. Every source is untrusted: it is read through `io.read.read_file`, and a
Word or Excel file's zip container is checked before any XML parser sees it.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..io.read import FileRefusedError, read_file
from ..safetext import display_path
from ..tuples import NamedTuple
from .rows import (
    Cleaner,
    DocumentInfo,
    ImportRefusedError,
    ImportResult,
    Note,
    Row,
    SectionRow,
    SubsectionRow,
    TaskRow,
    to_table,
)

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
    """What an import wrote: counts, the new roster names, the characters normalised and the notes."""

    out: Path
    tasks: int
    sections: int
    new_units: tuple[str, ...]
    normalised: int
    notes: tuple[Note, ...]
    # Which part of the source was read, when it had several (读取工作表“任务分工”); None otherwise.
    part: str | None = None


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


def roster_names(roster: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The names and written variants a roster knows, and its aliases."""
    names: set[str] = set()
    aliases: set[str] = set()
    for key in ("units", "groups"):
        for entry in roster.get(key) or ():
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("name"), str):
                names.add(entry["name"])
            for variant in entry.get("variants") or ():
                if isinstance(variant, dict) and isinstance(variant.get("text"), str):
                    names.add(variant["text"])
            aliases.update(a for a in entry.get("aliases") or () if isinstance(a, str))
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


def new_entries_yaml(entries: list[dict[str, Any]], indent: str = "  ") -> str:
    """Roster entries as YAML list items at `indent`."""
    if not entries:
        return ""
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=10**6)
    return "".join(f"{indent}{line}\n" if line else "\n" for line in text.splitlines())


def merge_roster(roster_text: str, entries: list[dict[str, Any]]) -> str:
    """The roster's text with `entries` added at the end of its `units:` list, its comments kept."""
    if not entries:
        return roster_text
    lines = roster_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "units:"), None)
    if start is None:
        if any(line.startswith("units:") for line in lines):
            data = yaml.safe_load(roster_text) or {}
            data["units"] = [*(data.get("units") or []), *entries]
            return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
        tail = "" if not roster_text or roster_text.endswith("\n") else "\n"
        return roster_text + tail + "units:\n" + new_entries_yaml(entries)
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


def import_table(source: Path, out: Path, *, year: int | None, roster: Path | None, force: bool) -> ImportSummary:
    """Import `source` into the folder `out` (tasks.yaml and units.yaml); never overwrites a table without force."""
    if (out / "tasks.yaml").exists() and not force:
        raise ImportRefusedError(f"{display_path(out)} 中已有 tasks.yaml；确需覆盖时请加 --force")
    if out.exists() and not out.is_dir():
        raise ImportRefusedError(f"{display_path(out)} 已存在且不是文件夹")
    cleaner = Cleaner()
    rows, info, notes, part = _read(source, year, cleaner)
    if year is not None:
        info = info._replace(year=year)
    roster_text = ""
    names: set[str] = set()
    aliases: set[str] = set()
    kinds: list[tuple[str, list[str]]] = []
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
        kinds = roster_kinds(loaded)
    result: ImportResult = to_table(
        rows, info, names, roster_aliases=aliases, roster_kinds=kinds, source_name=display_path(source.name)
    )
    # A table of a folder of several tables (data/2026) shares the folder's roster: its own units.yaml holds
    # only what it adds. Elsewhere the given roster is copied, with the new entries appended.
    shared = roster is not None and roster.resolve() == (out.resolve().parent / "units.yaml")
    units_text = (
        merge_roster(roster_text, result.new_units) if roster is not None and not shared else _units_only(result)
    )
    _write_folder(out, {"units.yaml": units_text, "tasks.yaml": result.tasks_yaml})
    return ImportSummary(
        out=out,
        tasks=result.tasks,
        sections=result.sections,
        new_units=tuple(e["name"] for e in result.new_units),
        normalised=cleaner.count,
        notes=tuple(notes + result.notes),
        part=part,
    )


def _units_only(result: ImportResult) -> str:
    header = "# 导入时名单中没有的单位，类型按名称结尾推测：请逐条核对 kind 后删除 review。\n"
    return header + ("units:\n" + new_entries_yaml(result.new_units) if result.new_units else "units: []\n")


def _write_folder(out: Path, files: dict[str, str]) -> None:
    """Write the files into a temporary sibling folder, then move them into place (the folder at once if new)."""
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=parent))
    try:
        for name, text in files.items():
            with open(temporary / name, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
        if not out.exists():
            os.rename(temporary, out)
            return
        for name in files:
            os.replace(temporary / name, out / name)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


__all__ = [
    "DocumentInfo",
    "ImportRefusedError",
    "ImportSummary",
    "Note",
    "Row",
    "SectionRow",
    "SubsectionRow",
    "TaskRow",
    "import_table",
    "read_source",
    "to_table",
]
