"""A work plan written as prose: numbered paragraphs, each followed by labelled lines (责任单位：…, 完成时限：…).

一、… and （一）… are headings; "1." or "1、" opens a task whose text runs to the first label; a label line (or a
label inside the paragraph, often in brackets: "（牵头单位：A；完成时限：6月底前）") gives a field. The labels are
the column names of `vocabulary.field_names`. Unit labels are kept with their cells in the responsibility text,
so that 牵头单位：A；配合单位：B reads as a table's cell would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..vocabulary import field_names
from .columns import header_role
from .notice import document_info
from .rows import SECTION, SUBSECTION, Cleaner, DocumentInfo, Note, Row, SectionRow, SubsectionRow, TaskRow

_TASK = re.compile(r"(\d{1,4})\s*[.、．]\s*(.*)", re.S)
_UNIT_ROLES = ("lead", "responsibility", "support")


def _label_pattern() -> re.Pattern[str]:
    words = sorted(field_names(), key=len, reverse=True)
    return re.compile(f"[（(]?({'|'.join(map(re.escape, words))})[:：]")


def reads_as_prose(lines: Sequence[str]) -> bool:
    """Whether a text is a prose plan: numbered paragraphs and at least two labelled lines."""
    pattern = _label_pattern()
    labelled = sum(1 for line in lines if pattern.match(line.strip()))
    numbered = sum(1 for line in lines if _TASK.fullmatch(line.strip()))
    return labelled >= 2 and numbered >= 1


def read_prose(
    lines: Sequence[str], name: str, year: int, cleaner: Cleaner
) -> tuple[list[Row], DocumentInfo, list[Note]]:
    """The rows and the notice of a prose plan."""
    pattern = _label_pattern()
    preamble: list[str] = []
    rows: list[Row] = []
    task: dict[str, list[str]] | None = None
    where = ""

    def close() -> None:
        if task is not None:
            rows.append(_task_row(task, where))

    for i, raw in enumerate(lines, 1):
        line = cleaner.cell(raw)
        if not line:
            continue
        sec, sub, numbered = SECTION.fullmatch(line), SUBSECTION.fullmatch(line), _TASK.fullmatch(line)
        if sec or sub:
            close()
            task = None
            heading = sec or sub
            assert heading is not None
            kind = SectionRow if sec else SubsectionRow
            rows.append(kind(heading.group(1), heading.group(2).rstrip("。"), f"{name}:{i}"))
            continue
        if numbered and not pattern.match(line):
            close()
            task, where = {"number": [numbered.group(1)]}, f"{name}:{i}"
            line = numbered.group(2)
        if task is None:
            if not rows:
                preamble.append(line)
            continue
        field = "requirement"
        pieces = pattern.split(line)
        # pieces: text before the first label, then (label, text) pairs.
        if pieces[0].strip("（( "):
            task.setdefault(field, []).append(pieces[0].strip())
        for label, text in zip(pieces[1::2], pieces[2::2], strict=True):
            role = header_role(label) or "requirement"
            text = text.strip().rstrip("）)；;。").strip()
            if role in _UNIT_ROLES:
                task.setdefault("units", []).append(f"{label}：{text}" if role != "responsibility" else text)
            elif text:
                task.setdefault(role, []).append(text)
    close()
    info = document_info(preamble, preamble[-1] if preamble else None)
    return rows, info, []


def _task_row(task: dict[str, list[str]], where: str) -> TaskRow:
    units = task.get("units", [])
    number = int(task["number"][0])
    return TaskRow(
        number=number,
        work_item="".join(task["work_item"]) if "work_item" in task else None,
        requirement="".join(task.get("requirement", [])) or None,
        responsibility="；".join(units) or None,
        lead_text=None,
        support_text=None,
        time_limit="".join(task["time_limit"]) if "time_limit" in task else None,
        where=where,
    )


__all__ = ["read_prose", "reads_as_prose"]
