"""The common model every source yields, the cleaning of pasted text, and a grid of cells read into rows.

A reader turns its source into rows (a section heading, a subsection heading or a task) with the place each
came from (`file:line` for text and CSV, `Sheet!B12` for a workbook, `table 1 row 5` for a Word table), and
the notice's facts it could find (DocumentInfo). A grid's columns are found by `columns`; a cell merged down
several rows applies to every row it spans, whether the source repeats it (Word, Excel) or prints it once (a
CSV saved from Excel, text copied from a browser). `table.to_table` writes the lean tasks.yaml from the rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations

from ..deadlines import reads_as_time_limit
from ..errors import GongkaiError
from ..responsibility import split_names
from ..tuples import NamedTuple
from ..vocabulary import UNIT_ENDINGS
from .columns import Columns, find_columns, header_role, parse_number
from .groups import reads_as_group
from .notice import DocumentInfo, document_info


class ImportRefusedError(GongkaiError):
    """A source that cannot or must not be read (unsupported, hostile, malformed); str(e) is the Chinese reason."""


class SectionRow(NamedTuple):
    """一、… heading."""

    numeral: str | None
    title: str
    where: str = ""


class SubsectionRow(NamedTuple):
    """（一）… heading."""

    numeral: str | None
    title: str
    where: str = ""


class TaskRow(NamedTuple):
    """One task's cells as printed (cleaned of invisible characters and layout whitespace)."""

    number: int | None
    work_item: str | None
    requirement: str | None
    responsibility: str | None
    lead_text: str | None
    support_text: str | None
    time_limit: str | None
    where: str
    # Where each cell came from, by field name, where it differs from the row's place (a workbook's cells).
    places: tuple[tuple[str, str], ...] = ()
    # The row's cells look shifted: said once for its run of rows, and nothing is read from its unit cells.
    shifted: bool = False

    def place(self, field: str) -> str:
        """Where one of the row's cells came from."""
        return dict(self.places).get(field, self.where)


Row = SectionRow | SubsectionRow | TaskRow


class Note(NamedTuple):
    """A cell that could not be read, or needs a person: where it is, and what to do (Chinese).

    A note that only says what import did (the table prints no time limits) does not need a person.
    """

    where: str
    message: str
    needs_person: bool = True


# --- cleaning ---------------------------------------------------------------------------------------------

# Invisible characters that carry no text: zero-width spaces and joiners, bidi controls, the BOM, the soft
# hyphen, and the control characters other than tab and line breaks.
_DROP = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
)
# Spaces other than the ASCII space: NBSP, the ideographic space U+3000, the typographic spaces.
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]")
_BREAKS = re.compile("[\u2028\u2029\x85]")
# Any of the three, or a carriage return: most cells hold none, and one search tells them from the rest.
_UNCLEAN = re.compile(f"{_DROP.pattern}|{_SPACES.pattern}|{_BREAKS.pattern}|\r")
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")
_WHITESPACE = re.compile(r"\s")


class Cleaner:
    """Normalises pasted text and counts the characters it had to drop or replace."""

    def __init__(self) -> None:
        self.count = 0

    def tally(self, text: str) -> None:
        """Count the characters of a source's text that cleaning drops or replaces (once per source character)."""
        if _UNCLEAN.search(text) is not None:
            self.count += sum(len(pattern.findall(text)) for pattern in (_DROP, _SPACES, _BREAKS))

    def raw(self, text: str) -> str:
        """`text` without invisible characters, with unusual spaces as plain spaces and line breaks as \\n."""
        if _UNCLEAN.search(text) is None:
            return text
        for pattern, replacement in ((_DROP, ""), (_SPACES, " "), (_BREAKS, "\n")):
            text = pattern.sub(replacement, text)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def cell(self, text: str | None, *, paragraphs: bool = False) -> str:
        """A cell's text: layout whitespace dropped, paragraph breaks kept as \\n when `paragraphs`, else joined."""
        if not text:
            return ""
        text = self.raw(text)
        if _WHITESPACE.search(text) is None:  # one line without layout whitespace: most cells
            return text
        lines = [collapse(line) for line in text.split("\n")]
        lines = [line for line in lines if line]
        return "\n".join(lines) if paragraphs else join_pieces(lines)


def join_pieces(pieces: Iterable[str]) -> str:
    """Pieces joined without a separator, except one space between two ASCII words (Word 2024, not 政务 公开)."""
    out = ""
    for piece in pieces:
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(piece[0]):
            out += " "
        out += piece
    return out


def collapse(line: str) -> str:
    """One line with its layout whitespace removed: Chinese text has no spaces between words."""
    return join_pieces(line.split())


# --- headings -----------------------------------------------------------------------------------------------

_CN_DIGITS = "一二三四五六七八九十百零〇"
SECTION = re.compile(f"([{_CN_DIGITS}]+)[、.．]\\s*(.+)", re.S)
SUBSECTION = re.compile(f"[（(]([{_CN_DIGITS}]+)[）)]\\s*(.+)", re.S)


def _heading(text: str, rows: Sequence[Row], where: str) -> SectionRow | SubsectionRow:
    """A heading row: 一、 is a section, （一） a subsection; an unnumbered one is a subsection inside a section."""
    flat = text.replace("\n", "")
    sec, sub = SECTION.fullmatch(flat), SUBSECTION.fullmatch(flat)
    if sec:
        return SectionRow(sec.group(1), sec.group(2), where)
    if sub:
        return SubsectionRow(sub.group(1), sub.group(2), where)
    in_section = any(isinstance(r, SectionRow) for r in rows)
    return SubsectionRow(None, flat, where) if in_section else SectionRow(None, flat, where)


# --- a grid of cells (CSV, a workbook, a Word table) into rows ------------------------------------------------


class GridRow(NamedTuple):
    """One row of a source's grid: raw cell texts, where each cell is, and where the row is."""

    cells: list[str]
    places: list[str]
    where: str


def _row_texts(row: GridRow, cleaner: Cleaner) -> list[str]:
    return [cleaner.cell(c) for c in row.cells]


def find_header(grid: Sequence[GridRow], cleaner: Cleaner) -> tuple[int, Columns] | None:
    """The index of the header row (the first with two or more known column names) and its columns."""
    return find_columns([_row_texts(row, cleaner) for row in grid])


def grid_rows(grid: Sequence[GridRow], cleaner: Cleaner, year: int) -> tuple[list[Row], DocumentInfo, list[Note]]:
    """Rows from a grid whose header row is found by its names (not its position), and the notice before it."""
    found = find_header(grid, cleaner)
    if found is None:
        raise ImportRefusedError(
            "未找到表头行：需要至少两列可识别的列名，如 序号、工作任务、具体要求、责任单位、配合单位、时限要求、备注"
        )
    start, columns = found
    preamble = []
    for row in grid[:start]:
        seen: list[str] = []
        for c in row.cells:
            text = cleaner.cell(c)
            if text and text not in seen:
                seen.append(text)
        if seen:
            preamble.append(join_pieces(seen))
    before_header = preamble[-1] if preamble else None
    info = document_info(preamble, before_header, columns.names)
    rows, notes = _classify(grid[start + columns.depth :], columns, cleaner, info.year or year)
    return rows, info, notes


def rebuild_by_position(grid: Sequence[GridRow], cleaner: Cleaner, year: int) -> list[GridRow]:
    """The grid with each short row rebuilt to the header's width, as text copied from a browser needs.

    A cell that spans several rows (rowspan) is copied with its first row only; the rows below it lack that cell,
    and their other cells shift left. Each short row's cells are laid out again over the columns in the one
    order that reads best (numbers under 序号, time limits under 时限, names under the unit columns), and the
    columns left over take the value of the row above, as the spanning cell gives it. Headings and the rows
    of the notice before the header are kept as they are.
    """
    found = find_header(grid, cleaner)
    if found is None:
        return list(grid)
    start, columns = found
    width = len(grid[start].cells)
    role_of = {j: role for role, j in columns.roles.items()}
    out = list(grid[: start + columns.depth])
    above: list[str] = [""] * width
    for row in grid[start + columns.depth :]:
        texts = _row_texts(row, cleaner)
        while texts and not texts[-1]:
            texts.pop()
        cells = row.cells[: len(texts)]
        if len(set(filter(None, texts))) <= 1 or len(texts) >= width:
            out.append(row)
            if len(set(filter(None, texts))) > 1:
                above = [*row.cells, *[""] * width][:width]
            continue
        best = max(
            combinations(range(width), width - len(texts)),
            key=lambda missing: _layout_score(texts, [j for j in range(width) if j not in missing], role_of, year),
        )
        full: list[str] = []
        places: list[str] = []
        given = iter(zip(cells, [*row.places, *[row.where] * width], strict=False))
        for j in range(width):
            if j in best:
                full.append(above[j])
                places.append(row.where)
            else:
                cell, place = next(given)
                full.append(cell)
                places.append(place)
        above = full
        out.append(GridRow(full, places, row.where))
    return out


def _layout_score(texts: Sequence[str], at: Sequence[int], role_of: dict[int, str], year: int) -> float:
    """How well the cells `texts`, laid over the columns `at`, fit those columns' roles."""
    score = 0.0
    for text, j in zip(texts, at, strict=True):
        role = role_of.get(j)
        timely = reads_as_time_limit(text, year) if text else False
        if role == "number":
            score += 2 if parse_number(text) is not None else -2
        elif role == "time_limit":
            score += 2 if timely else -1
        elif role in ("lead", "responsibility", "support"):
            score += 1 if text and _names_like(text) else -1
        elif role == "requirement":
            score += 1 if len(text) >= 10 else 0
        if timely and role != "time_limit":
            score -= 1
        if parse_number(text) is not None and role != "number":
            score -= 2
    return score


def _names_like(text: str) -> bool:
    """Whether a cell reads as a list of unit names (each ending as a unit does, or a group)."""
    names = split_names(text)
    return bool(names) and all(n.endswith(UNIT_ENDINGS) or reads_as_group(n) for n in names)


_ROW_NUMBER = re.compile(r"(\d+)行?$")
_LEADING_NUMBER = re.compile(r"(\d{1,4})[.、．]\s*([^\d\s].*)", re.S)


def _shifted(time_limit: str | None, units: str | None, year: int) -> bool:
    """Whether a row's cells look shifted: a time limit in a unit column, or names in the time-limit column."""
    if units and reads_as_time_limit(units, year):
        return True
    return bool(time_limit and not reads_as_time_limit(time_limit, year) and _names_like(time_limit))


def _shift_notes(runs: list[list[str]]) -> list[Note]:
    notes = []
    for run in runs:
        first, last = (_ROW_NUMBER.search(w) for w in (run[0], run[-1]))
        span = f"第 {first.group(1)}～{last.group(1)} 行" if first and last and run[0] != run[-1] else run[0]
        if len(run) == 1:
            span = f"第 {first.group(1)} 行" if first else run[0]
        message = f"{span}的列似乎错位（时限或单位不在各自的列中），请对照原表改正这几行，改好前 check 不会通过"
        notes.append(Note(run[0], message))
    return notes


def _classify(grid: Sequence[GridRow], columns: Columns, cleaner: Cleaner, year: int) -> tuple[list[Row], list[Note]]:
    roles = columns.roles
    labels = dict(columns.labels)
    # Lead and implementing columns side by side (牵头处室 | 责任处室): each cell is labelled with its header and
    # the cells joined, as the table would write them in one cell. A lead column alone or beside a support
    # column holds leads; a 责任单位 column beside a support column holds the leads too, and alone it is the
    # responsibility text, read by its role words.
    labelled = "lead" in roles and "responsibility" in roles
    units_role = "lead" if "lead" in roles else "responsibility"
    separate = not labelled and ("support" in roles or units_role == "lead")
    rows: list[Row] = []
    notes: list[Note] = []
    subsection_title: str | None = None
    # The cell of a heading column merged down several rows, printed once (a CSV saved from Excel).
    carried: dict[str, str] = {}
    shifted: list[list[str]] = []
    last_shifted = False
    for grid_row in grid:
        texts = _row_texts(grid_row, cleaner)
        values = [t for t in texts if t]
        if not values:
            continue
        if tuple(_dedupe(values)) == columns.names:
            continue  # the header repeated on a new page
        distinct = _dedupe(values)
        requirement_col = roles.get("requirement")
        first = next(j for j, t in enumerate(texts) if t)
        if len(distinct) == 1 and parse_number(distinct[0]) is None:
            text = distinct[0]
            merged = len(values) > 1
            heading_place = first != requirement_col or merged
            sec, sub = SECTION.fullmatch(text), SUBSECTION.fullmatch(text)
            if heading_place and (sec or sub or merged or first == 0):
                row = _heading(text, rows, grid_row.where)
                rows.append(row)
                subsection_title = row.title if isinstance(row, SubsectionRow) else None
                carried.clear()
                continue

        def get(role: str, paragraphs: bool = False, grid_row: GridRow = grid_row) -> str | None:
            j = roles.get(role)
            if j is None or j >= len(grid_row.cells):
                return None
            return cleaner.cell(grid_row.cells[j], paragraphs=paragraphs) or None

        def place(role: str, grid_row: GridRow = grid_row) -> tuple[str, str] | None:
            j = roles.get(role)
            if j is None or j >= len(grid_row.places):
                return None
            return (role, grid_row.places[j])

        for level in ("section", "subsection"):
            cell = get(level)
            if cell is None or cell == carried.get(level):
                continue
            carried[level] = cell
            carried.pop("work_item", None)
            flat = cell.replace("\n", "")
            if level == "section":
                carried.pop("subsection", None)
                sec = SECTION.fullmatch(flat)
                rows.append(
                    SectionRow(sec.group(1), sec.group(2), grid_row.where)
                    if sec
                    else SectionRow(None, flat, grid_row.where)
                )
            else:
                sub = SUBSECTION.fullmatch(flat)
                heading = SubsectionRow(sub.group(1), sub.group(2)) if sub else SubsectionRow(None, flat)
                rows.append(heading._replace(where=grid_row.where))
                subsection_title = heading.title
        number_text = get("number")
        work_item = get("work_item", paragraphs=True)
        if number_text is None and "number" not in roles and work_item is not None and parse_number(work_item):
            number_text, work_item = work_item, None  # the number printed in the 工作任务 column
        if number_text is None and "number" not in roles and texts[0] and parse_number(texts[0]) is not None:
            number_text = texts[0]
        requirement = get("requirement", paragraphs=True)
        printed = _LEADING_NUMBER.match(requirement or "") if "number" not in roles and not number_text else None
        if printed is not None:
            number_text, requirement = printed.group(1), printed.group(2)  # 1.围绕… in the one text column
        number = parse_number(number_text) if number_text else None
        if number_text and number is None:
            notes.append(Note(grid_row.where, f"序号“{number_text}”不是数字，已略去，请核对"))
        if work_item is not None:
            sub = SUBSECTION.fullmatch(work_item)
            if sub and join_pieces(sub.group(2).split()) != subsection_title:
                heading = SubsectionRow(sub.group(1), collapse(sub.group(2)), grid_row.where)
                rows.append(heading)
                subsection_title = heading.title
                work_item = None
            elif work_item.replace("\n", "") == subsection_title or sub:
                work_item = None
            if work_item is None:
                carried.pop("work_item", None)
            else:
                carried["work_item"] = work_item
        elif "work_item" in roles:
            work_item = carried.get("work_item")  # merged down, printed in its first row only
        responsibility = get(units_role)
        support = get("support")
        time_limit = get("time_limit")
        remark = get("remark")
        time_place = place("time_limit")
        if "time_limit" not in roles and remark is not None:
            if reads_as_time_limit(remark, year):
                time_limit, time_place = remark, place("remark")
            else:
                notes.append(Note(grid_row.where, f"备注“{remark}”不是可识别的时限，未作为时限导入"))
        if labelled:
            cells = [(labels[r], get(r)) for r in ("lead", "responsibility", "support") if r in roles]
            responsibility = "；".join(f"{label}：{cell}" for label, cell in cells if cell) or None
        is_shifted = _shifted(time_limit, responsibility, year)
        if is_shifted:
            if not last_shifted:
                shifted.append([])
            shifted[-1].append(grid_row.where)
        last_shifted = is_shifted
        places = tuple(p for p in (place("requirement"), place(units_role), time_place) if p is not None)
        renamed = {"remark": "time_limit", "lead": "responsibility"}
        places = tuple((renamed.get(r, r), w) for r, w in places)
        rows.append(
            TaskRow(
                number=number,
                work_item=work_item,
                requirement=requirement,
                responsibility=None if separate else responsibility,
                lead_text=responsibility if separate else None,
                support_text=support if separate else None,
                time_limit=time_limit,
                where=grid_row.where,
                places=places,
                shifted=is_shifted,
            )
        )
    return rows, notes + _shift_notes(shifted)


def _dedupe(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


__all__ = [
    "Cleaner",
    "DocumentInfo",
    "GridRow",
    "ImportRefusedError",
    "Note",
    "Row",
    "SectionRow",
    "SubsectionRow",
    "TaskRow",
    "grid_rows",
    "header_role",
    "rebuild_by_position",
]
