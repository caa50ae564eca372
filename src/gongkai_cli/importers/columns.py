"""Which column holds what, found the way a reader finds it: by the header's names, then by what the cells hold.

A header row is the first with two known column names (`vocabulary.field_names`, the same list that names the
labels inside a cell). A second header row under it (责任单位 over 牵头单位 | 配合单位) names the columns it splits.
A header merged over several columns (主要工作任务 over section | subsection | number) is read column by column:
the one holding numbers is the 序号, the others are the headings the rows belong to. A column of numbers without
a header cell of its own is the 序号 too; and a table with one text column (任务 | 责任单位 | 时限) has it as the
requirement. Everything here works on cleaned cell texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from ..tuples import NamedTuple
from ..vocabulary import Field, field_names

NUMBER = re.compile(r"(\d{1,5})[.、]?")

# The column a header's field is read into: a column of implementing units (责任单位) is the responsibility text.
_COLUMN_OF: Mapping[Field, str] = {"named": "responsibility"}
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
# Roles that make a row the header: a table names at least one of these columns.
_TABLE_ROLES = frozenset(("requirement", "responsibility", "lead"))


class Columns(NamedTuple):
    """Which column holds what (role -> index), the header's names, and each unit column's header as a label."""

    roles: dict[str, int]
    names: tuple[str, ...]
    # The header of each unit column as printed (牵头处室, 责任处室), to label the cells it holds when a table
    # gives the roles in columns of their own.
    labels: tuple[tuple[str, str], ...] = ()
    # How many header rows the table has (a second row splits a merged header: 责任单位 / 牵头单位 | 配合单位).
    depth: int = 1


def header_role(text: str) -> str | None:
    """The column role a header cell names (number, requirement, lead, responsibility, support …), or None.

    Header names are the in-cell labels of `vocabulary.field_names`: 牵头处室 heads the lead column as it opens
    the list of leads inside a cell.
    """
    flat = _flat(text)
    for candidate in (flat, _BRACKETED.sub("", flat)):
        field = field_names().get(candidate)
        if field is not None:
            return _COLUMN_OF.get(field, field)
    return None


def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).rstrip(":：")


def parse_number(text: str) -> int | None:
    """A 序号 cell as a number ("12", "12.", "１２"), or None."""
    m = NUMBER.fullmatch(unicodedata.normalize("NFKC", text).strip())
    return int(m.group(1)) if m else None


def _names(cells: Sequence[str]) -> tuple[str, ...]:
    names: list[str] = []
    for text in cells:
        if text and (not names or names[-1] != text):
            names.append(text)
    return tuple(names)


def find_columns(grid: Sequence[Sequence[str]]) -> tuple[int, Columns] | None:
    """The index of the (first) header row of a grid of cleaned cell texts, and its columns; None if none."""
    for i, cells in enumerate(grid):
        roles = [header_role(text) if text else None for text in cells]
        found = {role for role in roles if role is not None}
        if len(found) >= 2 and found & _TABLE_ROLES:
            body = grid[i + 1 :]
            depth = 1
            if body and _splits_header(cells, body[0]):
                for j, text in enumerate(body[0]):
                    role = header_role(text) if text else None
                    if role is not None and j < len(roles):
                        roles[j] = role
                cells = [below or above for above, below in zip(cells, [*body[0], *[""] * len(cells)], strict=False)]
                body, depth = body[1:], 2
            return i, _columns(list(cells), roles, body, depth)
    return None


def _splits_header(header: Sequence[str], row: Sequence[str]) -> bool:
    """Whether `row` is a second header row: every cell a header name or the cell above repeated (merged)."""
    named = 0
    for j, text in enumerate(row):
        if not text or (j < len(header) and text == header[j]):
            continue
        if header_role(text) is None:
            return False
        named += 1
    return named > 0


def _columns(cells: list[str], roles: list[str | None], body: Sequence[Sequence[str]], depth: int) -> Columns:
    width = len(cells)

    def values(j: int) -> list[str]:
        return [row[j] for row in body if j < len(row) and row[j] and len(set(filter(None, row))) > 1]

    def numeric(j: int) -> bool:
        found = values(j)
        return bool(found) and sum(parse_number(v) is not None for v in found) >= 0.8 * len(found)

    column_roles: list[str | None] = list(roles)
    # A header merged over several columns: the column of numbers is the 序号, the others are headings.
    j = 0
    while j < width:
        k = j
        while k + 1 < width and cells[k + 1] == cells[j] and cells[j]:
            k += 1
        if k > j and roles[j] is not None:
            span = range(j, k + 1)
            texts = [c for c in span if not (numeric(c) and "number" not in roles)]
            for c in span:
                if c not in texts:
                    column_roles[c] = "number"
            role = roles[j]
            kept = texts[-1:] if role != "work_item" or len(texts) == 1 else []
            headings = [c for c in texts if c not in kept]
            names: tuple[str, ...] = ("section", "subsection", "work_item")
            if role != "work_item":
                names = ("work_item",) if len(headings) == 1 else ("section", "work_item")
            for c, heading in zip(headings, names, strict=False):
                column_roles[c] = heading
            for c in kept:
                column_roles[c] = role
        j = k + 1
    # A column of numbers without a header cell of its own is the 序号.
    if "number" not in column_roles:
        for j in range(width):
            if not cells[j] and numeric(j):
                column_roles[j] = "number"
                break
    # One text column (任务 | 责任单位 | 时限) is the requirement, whatever its header calls it.
    if "requirement" not in column_roles and column_roles.count("work_item") == 1:
        column_roles[column_roles.index("work_item")] = "requirement"
    found: dict[str, int] = {}
    labels: list[tuple[str, str]] = []
    for j, role in enumerate(column_roles):
        if role is not None and role not in found:
            found[role] = j
            if role in ("lead", "responsibility", "support"):
                labels.append((role, _BRACKETED.sub("", _flat(cells[j]))))
    return Columns(found, _names(cells), tuple(labels), depth)


__all__ = ["NUMBER", "Columns", "find_columns", "header_role", "parse_number"]
