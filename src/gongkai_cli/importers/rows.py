"""The common model every source yields, the cleaning of pasted text, and the rows turned into a lean tasks.yaml.

A reader turns its source into rows (a section heading, a subsection heading or a task) with the place each
came from (`file:line` for text and CSV, `Sheet!B12` for a workbook, `table 1 row 5` for a Word table), and
the notice's facts it could find (DocumentInfo). `to_table` writes the lean tasks.yaml text from them, lists the
units the roster lacks and every cell a person should look at.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import yaml

from ..deadlines import AmbiguousTimeLimitError, TimeLimitError, parse_time_limit
from ..errors import GongkaiError
from ..responsibility import aliases_in, split_names
from ..safetext import unsafe_pattern
from ..scoring import rule_entry, rules_in
from ..tuples import NamedTuple
from ..vocabulary import GROUP_WORDS, UNIT_ENDINGS, Field, field_names, guess_kind


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

    def place(self, field: str) -> str:
        """Where one of the row's cells came from."""
        return dict(self.places).get(field, self.where)


Row = SectionRow | SubsectionRow | TaskRow


class DocumentInfo(NamedTuple):
    """The notice's facts found in the source; None where the source does not give them."""

    title: str | None = None
    number: str | None = None
    date: datetime.date | None = None
    year: int | None = None
    issuer: str | None = None
    date_text: str | None = None
    notice_title: str | None = None
    addressees: str | None = None
    body: str | None = None
    signatory: str | None = None
    columns: tuple[str, ...] = ()


class Note(NamedTuple):
    """A cell that could not be read, or needs a person: where it is, and what to do (Chinese)."""

    where: str
    message: str


class ImportResult(NamedTuple):
    """The lean tasks.yaml text, the roster entries to add (each with review: true), and the notes."""

    tasks_yaml: str
    new_units: list[dict[str, Any]]
    notes: list[Note]
    tasks: int
    sections: int


# --- cleaning ---------------------------------------------------------------------------------------------

# Invisible characters that carry no text: zero-width spaces and joiners, bidi controls, the BOM, the soft
# hyphen, and the control characters other than tab and line breaks.
_DROP = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
)
# Spaces other than the ASCII space: NBSP, the ideographic space U+3000, the typographic spaces.
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]")
_BREAKS = re.compile("[\u2028\u2029\x85]")
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


class Cleaner:
    """Normalises pasted text and counts the characters it had to drop or replace."""

    def __init__(self) -> None:
        self.count = 0

    def tally(self, text: str) -> None:
        """Count the characters of a source's text that cleaning drops or replaces (once per source character)."""
        self.count += sum(len(pattern.findall(text)) for pattern in (_DROP, _SPACES, _BREAKS))

    def raw(self, text: str) -> str:
        """`text` without invisible characters, with unusual spaces as plain spaces and line breaks as \\n."""
        for pattern, replacement in ((_DROP, ""), (_SPACES, " "), (_BREAKS, "\n")):
            text = pattern.sub(replacement, text)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def cell(self, text: str | None, *, paragraphs: bool = False) -> str:
        """A cell's text: layout whitespace dropped, paragraph breaks kept as \\n when `paragraphs`, else joined."""
        if not text:
            return ""
        lines = [collapse(line) for line in self.raw(text).split("\n")]
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


# --- headings and header names ----------------------------------------------------------------------------

_CN_DIGITS = "一二三四五六七八九十百零〇"
SECTION = re.compile(f"([{_CN_DIGITS}]+)[、.．]\\s*(.+)", re.S)
SUBSECTION = re.compile(f"[（(]([{_CN_DIGITS}]+)[）)]\\s*(.+)", re.S)
NUMBER = re.compile(r"(\d{1,5})[.、]?")

# The column a header's field is read into: a column of implementing units (责任单位) is the responsibility text.
_COLUMN_OF: Mapping[Field, str] = {"named": "responsibility"}
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")


def header_role(text: str) -> str | None:
    """The column role a header cell names (number, requirement, lead, responsibility, support …), or None.

    Header names are the in-cell labels of `vocabulary.field_names`: 牵头处室 heads the lead column as it opens
    the list of leads inside a cell.
    """
    flat = "".join(unicodedata.normalize("NFKC", text).split()).rstrip(":：")
    for candidate in (flat, _BRACKETED.sub("", flat)):
        field = field_names().get(candidate)
        if field is not None:
            return _COLUMN_OF.get(field, field)
    return None


def parse_number(text: str) -> int | None:
    """A 序号 cell as a number ("12", "12.", "１２"), or None."""
    m = NUMBER.fullmatch(unicodedata.normalize("NFKC", text).strip())
    return int(m.group(1)) if m else None


def reads_as_time_limit(text: str, year: int) -> bool:
    """Whether `text` is a phrase the time-limit reader knows (an ambiguous one counts)."""
    try:
        parse_time_limit(text, year)
    except AmbiguousTimeLimitError:
        return True
    except TimeLimitError:
        return False
    return True


# --- the notice ---------------------------------------------------------------------------------------------

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,16}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(\d{4})年")
_QUOTED_TITLE = re.compile(r"《([^《》]+)》")


def document_info(lines: Sequence[str], before_header: str | None, columns: Sequence[str] = ()) -> DocumentInfo:
    """The notice's facts from its cleaned paragraphs; `before_header` is the line just before the table's header."""
    lines = _join_notice_title([line for line in lines if line])
    number = date_text = notice_title = addressees = signatory = None
    date = None
    number_at = date_at = notice_at = addressees_at = -1
    for i, line in enumerate(lines):
        m = _DOC_NUMBER.search(line)
        if number is None and m and len(line) <= len(m.group()) + 4:
            number, number_at = m.group(), i
        if notice_title is None and "关于" in line and line.endswith("通知"):
            notice_title, notice_at = line, i
        if notice_title is not None and addressees is None and i > notice_at and line.endswith(("：", ":")):
            addressees, addressees_at = line.rstrip("：:"), i
        d = _DATE.fullmatch(line)
        if d:
            try:
                date = datetime.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
            except ValueError:
                continue
            date_text, date_at = line, i
    if date_at > 0 and date_at - 1 not in (number_at, notice_at, addressees_at):
        signatory = lines[date_at - 1]
    body = None
    if addressees is not None:
        end = date_at - (1 if signatory else 0) if date_at > addressees_at else len(lines)
        paragraphs = lines[addressees_at + 1 : end]
        if before_header in paragraphs:
            paragraphs = paragraphs[: paragraphs.index(before_header)]
        body = "\n".join(paragraphs) or None
    title = None
    if before_header and _looks_like_title(before_header) and before_header not in (signatory, number):
        title = before_header
    if title is None:
        title = next((line for line in reversed(lines) if _looks_like_title(line) and _TITLE_WORDS.search(line)), None)
    if title is None and notice_title is not None:
        quoted = _QUOTED_TITLE.search(notice_title)
        title = quoted.group(1) if quoted else None
    issuer = None
    if notice_title is not None and notice_title.index("关于") > 0:
        issuer = notice_title[: notice_title.index("关于")]
    issuer = issuer or signatory
    year = None
    for text in (title, number):
        y = _YEAR.search(text or "") or re.search(r"〔(\d{4})〕", text or "")
        if y and year is None:
            year = int(y.group(1))
    if year is None and date is not None:
        year = date.year
    return DocumentInfo(
        title=title,
        number=number,
        date=date,
        year=year,
        issuer=issuer,
        date_text=date_text,
        notice_title=notice_title,
        addressees=addressees,
        body=body,
        signatory=signatory,
        columns=tuple(columns),
    )


_TITLE_WORDS = re.compile("任务|分工|要点|清单|台账|计划")


def _looks_like_title(line: str) -> bool:
    """Whether a paragraph may be the table's title: not a date, a bracketed remark, a number or the notice title."""
    bracketed = line[:1] in "（(" and line[-1:] in "）)"
    return not (_DATE.fullmatch(line) or bracketed or _DOC_NUMBER.fullmatch(line) or line.endswith(("通知", "：", ":")))


def _join_notice_title(lines: list[str]) -> list[str]:
    """The lines with a notice title broken over up to four lines (关于印发 / 《…》 / 的通知) joined into one."""
    for i, line in enumerate(lines):
        if "关于" in line and not line.endswith("通知"):
            for j in range(i + 1, min(i + 4, len(lines))):
                if lines[j].endswith("通知"):
                    return [*lines[:i], "".join(lines[i : j + 1]), *lines[j + 1 :]]
    return lines


# --- a grid of cells (CSV, a workbook, a Word table) into rows ------------------------------------------------


class GridRow(NamedTuple):
    """One row of a source's grid: raw cell texts, where each cell is, and where the row is."""

    cells: list[str]
    places: list[str]
    where: str


class Columns(NamedTuple):
    """Which column holds what, found from the header row by names."""

    roles: dict[str, int]
    names: tuple[str, ...]


def find_header(grid: Sequence[GridRow], cleaner: Cleaner) -> tuple[int, Columns] | None:
    """The index of the header row (the first with two or more known column names) and its columns."""
    for i, row in enumerate(grid):
        roles: dict[str, int] = {}
        names: list[str] = []
        for j, raw in enumerate(row.cells):
            text = cleaner.cell(raw)
            role = header_role(text) if text else None
            if role is not None and role not in roles:
                roles[role] = j
            if text and (not names or names[-1] != text):
                names.append(text)
        if len(roles) >= 2 and ({"requirement", "responsibility", "lead"} & roles.keys()):
            return i, Columns(roles, tuple(names))
    return None


def _row_texts(row: GridRow, cleaner: Cleaner) -> list[str]:
    return [cleaner.cell(c) for c in row.cells]


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
    rows, notes = _classify(grid[start + 1 :], columns, cleaner, info.year or year)
    return rows, info, notes


def _classify(grid: Sequence[GridRow], columns: Columns, cleaner: Cleaner, year: int) -> tuple[list[Row], list[Note]]:
    roles = columns.roles
    # A lead column (牵头单位, 牵头处室), alone or beside a support column, holds leads; a 责任单位 column beside a
    # support column holds the leads too, and alone it is the responsibility text, read by its role words.
    units_role = "lead" if "lead" in roles else "responsibility"
    separate = "support" in roles or units_role == "lead"
    rows: list[Row] = []
    notes: list[Note] = []
    subsection_title: str | None = None
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

        number_text = get("number")
        work_item = get("work_item", paragraphs=True)
        if number_text is None and "number" not in roles and work_item is not None and parse_number(work_item):
            number_text, work_item = work_item, None  # the number printed in the 工作任务 column
        if number_text is None and "number" not in roles and texts[0] and parse_number(texts[0]) is not None:
            number_text = texts[0]
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
        places = tuple(p for p in (place("requirement"), place(units_role), time_place) if p is not None)
        renamed = {"remark": "time_limit", "lead": "responsibility"}
        places = tuple((renamed.get(r, r), w) for r, w in places)
        rows.append(
            TaskRow(
                number=number,
                work_item=work_item,
                requirement=get("requirement", paragraphs=True),
                responsibility=None if separate else responsibility,
                lead_text=responsibility if separate else None,
                support_text=support if separate else None,
                time_limit=time_limit,
                where=grid_row.where,
                places=places,
            )
        )
    return rows, notes


def _dedupe(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


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


# --- rows into the lean tasks.yaml --------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing a text with line breaks as a literal block (|-) where YAML allows it."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _name_notes(name: str, where: str) -> list[Note]:
    notes = []
    if len(name) < 2 or len(name) > 30:
        notes.append(Note(where, f"单位名称“{name}”长度异常，请核对是否分隔有误"))
    elif any(ch.isdigit() for ch in name) or re.search(r"[^\u4e00-\u9fff（）()〔〕A-Za-z]", name):
        notes.append(Note(where, f"单位名称“{name}”含数字或符号，请核对"))
    elif name.startswith(GROUP_WORDS) or "有关" in name or "各" in name:
        notes.append(Note(where, f"“{name}”像是群体名称，请核对后移到 units.yaml 的 groups（写明 coverage 与成员）"))
    elif not name.endswith(UNIT_ENDINGS):
        notes.append(Note(where, f"单位名称“{name}”的结尾不常见，请核对"))
    return notes


def to_table(
    rows: Sequence[Row],
    document: DocumentInfo,
    roster_names: Collection[str],
    *,
    roster_aliases: Collection[str] = (),
    roster_kinds: Sequence[tuple[str, Sequence[str]]] = (),
    source_name: str = "",
) -> ImportResult:
    """The lean tasks.yaml text, the roster entries for unknown names, and the notes, from a source's rows.

    `roster_names` are the names and written variants the roster knows; `roster_aliases` its other names, which
    count for a name written with an alias in brackets (市府办〔市大数据局〕), as `check` reads them.
    `roster_kinds` are the kinds the roster declares with the endings of their names (township: 镇, 乡): a new
    name's kind is guessed from them first.
    """
    if document.year is None:
        raise ImportRefusedError("无法从来源中确定计划年度，请用 --year 指定")
    year = document.year
    notes: list[Note] = []
    sections: list[dict[str, Any]] = []
    flat: list[dict[str, Any]] = []
    section: dict[str, Any] | None = None
    subsection: dict[str, Any] | None = None
    new_units: list[dict[str, Any]] = []
    seen_new: set[str] = set()
    numbered = unnumbered = 0
    task_count = 0
    for row in rows:
        if isinstance(row, SectionRow):
            section = _heading_dict(row.numeral, row.title)
            sections.append(section)
            subsection = None
            continue
        if isinstance(row, SubsectionRow):
            if section is None:
                notes.append(Note(row.where, f"小标题“{row.title}”之前没有部分标题，已作为部分导入"))
                section = _heading_dict(row.numeral, row.title)
                sections.append(section)
                continue
            subsection = _heading_dict(row.numeral, row.title)
            section.setdefault("subsections", []).append(subsection)
            continue
        task_count += 1
        task: dict[str, Any] = {}
        if row.number is not None:
            task["number"] = row.number
            numbered += 1
        else:
            unnumbered += 1
        if row.work_item:
            task["work_item"] = row.work_item
        if row.requirement:
            task["requirement"] = row.requirement
        else:
            notes.append(Note(row.place("requirement"), "这一行没有具体要求，请补上或删除这一任务"))
        units_text = [t for t in (row.responsibility, row.lead_text, row.support_text) if t]
        if row.responsibility:
            task["responsibility"] = row.responsibility
        if row.lead_text:
            task["lead_text"] = row.lead_text
        if row.support_text:
            task["support_text"] = row.support_text
        if not units_text:
            notes.append(Note(row.place("responsibility"), "这一行没有责任单位，请补上"))
        if row.time_limit:
            task["time_limit"] = row.time_limit
            notes += _time_limit_notes(row.time_limit, year, row.place("time_limit"))
        else:
            notes.append(Note(row.place("time_limit"), "这一行没有时限，请补上（如 持续推进、9月底前）"))
        if scoring := [rule_entry(rule) for rule in rules_in(row.requirement or "")]:
            task["scoring"] = scoring
        for text in units_text:
            for written in split_names(text):
                name = unsafe_pattern(newlines=True).sub("", written)
                if name in roster_names or name in seen_new:
                    continue
                pair = aliases_in(name)
                if pair is not None and any(p in roster_names or p in roster_aliases for p in pair):
                    continue
                base, alias = pair or (name, None)
                if base in seen_new:
                    continue
                seen_new.update((name, base))
                entry: dict[str, Any] = {"name": base, "kind": guess_kind(base, roster_kinds)}
                if alias:
                    entry["aliases"] = [alias]
                entry["review"] = True
                new_units.append(entry)
                notes += _name_notes(base, row.place("responsibility"))
        if subsection is not None:
            subsection.setdefault("tasks", []).append(task)
        elif section is not None:
            section.setdefault("tasks", []).append(task)
        else:
            flat.append(task)
    if numbered and unnumbered:
        notes.append(Note(source_name, f"{numbered} 个任务有序号，{unnumbered} 个没有：序号要么都有，要么都没有"))
    if flat and sections:
        notes.append(Note(source_name, "有的任务在部分标题之前：请把它们移入某个部分"))
    if task_count == 0:
        raise ImportRefusedError("表中没有找到任何任务行")
    doc: dict[str, Any] = {}
    for key in ("issuer", "notice_title", "number", "addressees", "body", "signatory", "date_text", "date"):
        value = getattr(document, key)
        if value:
            doc[key] = value
    doc["title"] = document.title or f"{year}年政务公开重点任务分工"
    if not document.title:
        notes.append(Note(source_name, "未找到表格标题，已暂用“{}”，请改为原文标题".format(doc["title"])))
    doc["year"] = year
    if document.columns:
        doc["columns"] = list(document.columns)
    data: dict[str, Any] = {"document": doc}
    if sections:
        data["sections"] = sections
    if flat:
        data["tasks"] = flat
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
    header = (
        f"# {doc['title']} — 由 gongkai import 从{('“' + source_name + '”') if source_name else '原表'}导入。\n"
        "# 每个任务保存原表的单元格文字；牵头、负责落实、配合单位和时限含义由 gongkai 从文字读出。\n"
        "# 导入后请逐条核对导入时列出的提示，再运行 gongkai check。\n"
    )
    return ImportResult(header + body, new_units, notes, task_count, len(sections))


def _heading_dict(numeral: str | None, title: str) -> dict[str, Any]:
    heading: dict[str, Any] = {}
    if numeral is not None:
        heading["numeral"] = numeral
    heading["title"] = title
    return heading


def _time_limit_notes(text: str, year: int, where: str) -> list[Note]:
    try:
        parse_time_limit(text, year)
    except AmbiguousTimeLimitError as e:
        return [Note(where, f"时限{e}（在 time_limit 下写 kind、due、override: true 与 note）")]
    except TimeLimitError as e:
        return [Note(where, f"{e}；请核对原文，并在 time_limit 下记录解读（override: true 与 note）")]
    return []


__all__ = [
    "Cleaner",
    "DocumentInfo",
    "GridRow",
    "ImportRefusedError",
    "ImportResult",
    "Note",
    "Row",
    "SectionRow",
    "SubsectionRow",
    "TaskRow",
    "document_info",
    "grid_rows",
    "to_table",
]
