"""All output: rich tables for people, JSON / CSV / Markdown for scripts, check reports. Nothing else prints data."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import IO, TYPE_CHECKING, Any, NoReturn

from .errors import Problem
from .safetext import display_path, visible
from .tuples import NamedTuple

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


class Format(str, Enum):
    """Output formats of the listing commands."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class ReminderFormat(str, Enum):
    """Output formats of `remind`: text to paste into a work chat or a mail first, then the listing formats."""

    text = "text"
    md = "md"
    table = "table"
    json = "json"
    csv = "csv"


class Message(NamedTuple):
    """A message to one addressee: its heading (who), an opening line, and numbered items."""

    heading: str
    opening: str
    items: tuple[str, ...]


class CheckFormat(str, Enum):
    """Output formats of `check`."""

    text = "text"
    github = "github"
    json = "json"


class Column(NamedTuple):
    """A column of a listing: the row key and its Chinese header."""

    key: str
    header: str
    # Relative share of the spare width a wrapping column takes in the rich table; 0 = never wrap.
    ratio: int = 0
    max_width: int | None = None
    # A table shows at most this many lines of the first paragraph (unless asked for whole texts); flat
    # formats always keep the whole text.
    clip: int | None = None
    # Shown on a dim second line of this cell in the table; its own column in CSV and Markdown.
    detail: Column | None = None
    # A numeric column holds numbers, shown with this format spec ("d", "+g") and written to CSV as numbers.
    number_format: str | None = None


def flat_columns(columns: Sequence[Column]) -> list[Column]:
    """The columns of the flat formats (CSV, Markdown): each detail becomes a column of its own."""
    return [c for column in columns for c in (column, column.detail) if c is not None]


# What a table or Markdown answer says when nothing matches; JSON prints [] and CSV just the header.
EMPTY = "无"


# A display cell: text, or a number in a numeric column.
Cell = str | int | float
Row = dict[str, Cell]


class Listing(NamedTuple):
    """What a command answers: display rows for table/CSV/Markdown and a JSON payload with the full contract.

    Both are built on demand, since a command prints only one of them and either can be large.
    """

    columns: Sequence[Column]
    rows: Callable[[], list[Row]]
    payload: Callable[[], Any]
    title: str | None = None
    highlight: Sequence[str] = ()
    # Where the data came from, shown under a table when it is not the bundled copy.
    source: str | None = None
    # Which table the answer comes from (its title, issuer, number, date), shown dim above a table.
    context: str | None = None


def emit(
    listing: Listing,
    fmt: Format,
    console: Console | None = None,
    out: IO[str] | None = None,
    pager: Callable[[str], None] | None = None,
    full: bool = False,
) -> None:
    """Write a listing to stdout (or `out` / `console`) in the chosen format.

    With a `pager`, a table taller than the terminal goes to it instead (the CLI passes one on a terminal only).
    `full` shows whole texts in a table instead of their first lines.
    """
    out = out or sys.stdout
    if fmt is Format.json:
        # orjson writes the same text as json.dumps(..., ensure_ascii=False, indent=2), twenty times faster.
        import orjson

        _write_bytes(out, orjson.dumps(listing.payload(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        return
    rows = listing.rows()
    if fmt is Format.csv:
        columns = flat_columns(listing.columns)
        write_csv(out, [c.header for c in columns], ([row.get(c.key, "") for c in columns] for row in rows))
    elif fmt is Format.md:
        out.write(_markdown(listing, rows))
    else:
        console = console or make_console(out)
        if pager is None:
            _rich_table(listing, rows, console, full)
            return
        with console.capture() as captured:
            _rich_table(listing, rows, console, full)
        text = captured.get()
        if text.count("\n") >= console.height:
            pager(text)
        else:
            console.file.write(text)


def _write_bytes(out: IO[str], data: bytes) -> None:
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8"))
    else:
        out.flush()
        buffer.write(data)
        buffer.flush()


def display(value: Cell, column: Column) -> str:
    """A cell as text for a table or Markdown: numbers in their column's format, texts with unsafe characters shown."""
    if isinstance(value, str):
        return visible(value)
    return format(value, column.number_format or "g")


# Characters that start a formula in Excel, WPS and LibreOffice (OWASP's list; tab and CR become visible escapes
# before this check, so they never reach a cell).
FORMULA_STARTS = ("=", "+", "-", "@")


def csv_text(text: str) -> str:
    """A text cell safe to open in a spreadsheet: no control characters, and never read as a formula."""
    text = visible(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """The one CSV writer: UTF-8 with a BOM (so Excel and WPS read it as UTF-8), numbers as numbers, texts defused.

    Whether a cell is a number is decided by its column's type, never by how its text looks: a text such as
    "-2" is a text and gets the leading quote like any other.
    """
    import csv

    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_text(h) for h in header])
    writer.writerows([csv_text(c) if isinstance(c, str) else format(c, "g") for c in row] for row in rows)


# ASCII punctuation that Markdown (CommonMark, GitHub) would read as markup inside a line: emphasis, code,
# links, raw HTML and entities, table pipes, strikethrough, math; each is shown literally when escaped.
_MARKDOWN_SPECIAL = "\\`*_[]<>&|~$#!"
# GitHub mentions @name after Markdown is rendered, so neither a backslash nor &#64; stops it; an empty comment
# between @ and the name does, and renders as nothing.
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in _MARKDOWN_SPECIAL} | {"@": "@<!-- -->"})


def md_text(text: str, *, line_break: str = "<br>") -> str:
    """Data text for a Markdown line or cell: shown literally, its line breaks as `line_break`."""
    return line_break.join(visible(line).translate(_MARKDOWN_ESCAPES) for line in text.split("\n"))


def _markdown(listing: Listing, rows: list[Row]) -> str:
    lines = [f"### {md_text(listing.title, line_break=' ')}", ""] if listing.title else []
    columns = flat_columns(listing.columns)
    lines.append("| " + " | ".join(md_text(c.header) for c in columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in columns) + "|")
    lines += ["| " + " | ".join(_md_cell(row.get(c.key, ""), c) for c in columns) + " |" for row in rows]
    if not rows:
        lines += ["", EMPTY]  # a blank line first, or Markdown would read it as a table row
    return "\n".join(lines) + "\n"


def write_messages(out: IO[str], title: str, messages: Sequence[Message], *, markdown: bool) -> None:
    """Messages as text to paste into a work chat or a mail (no table, no markup), or as Markdown.

    Data text is shown literally: control characters as escapes, and in Markdown every markup character escaped.
    """

    def shown(text: str, indent: str = "") -> str:
        # A line break in data text continues the line (Markdown) or the item, indented (text).
        return md_text(text, line_break=" ") if markdown else visible(text).replace("\n", "\n" + indent)

    lines = [f"### {shown(title)}" if markdown else shown(title)]
    for message in messages:
        lines += ["", f"#### {shown(message.heading)}" if markdown else shown(message.heading), shown(message.opening)]
        if markdown:
            lines.append("")
        for number, item in enumerate(message.items, start=1):
            prefix = f"{number}. "
            lines.append(prefix + shown(item, " " * len(prefix)))
    if not messages:
        lines += ["", EMPTY]
    out.write("\n".join(lines) + "\n")


def _md_cell(value: Cell, column: Column) -> str:
    return md_text(value) if isinstance(value, str) else display(value, column)


def make_console(out: IO[str] | None = None, *, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr); colour follows the terminal and NO_COLOR."""
    from rich.console import Console

    # emoji=False: a location such as tasks.yaml:100:27 must not print as tasks.yaml💯27.
    console = Console(file=out, stderr=stderr, highlight=False, soft_wrap=False, emoji=False)
    # rich's own handler exits 1 when the reader goes away; for gongkai that is success, as in every format.
    console.on_broken_pipe = reader_gone  # type: ignore[method-assign]
    return console


def silence_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit cannot fail on a closed pipe or a full disk again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def reader_gone() -> NoReturn:
    """The reader of stdout went away (| head, a pager quit): the answer is done, and that is success."""
    silence_stdout()
    raise SystemExit(0)


# A wrapping column never shrinks below this, so that on a very narrow terminal its text still shows.
WRAPPING_MIN_WIDTH = 8
# Below this many columns a table becomes a stack of records: five columns would leave each a few characters.
STACKED_BELOW = 60
_ELLIPSIS = "…"


def cell_lines(text: str, width: int, clip: int | None) -> list[str]:
    """A cell's text wrapped to `width` cells; with `clip`, at most that many lines of its first paragraph."""
    from .linebreak import cell_width, wrap

    if clip is None:
        return wrap(text, width)
    paragraph, _, rest = text.partition("\n")
    lines = wrap(paragraph, width)
    if len(lines) <= clip and not rest:
        return lines
    last = lines[clip - 1] if len(lines) >= clip else lines[-1]
    while last and cell_width(last) + cell_width(_ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[: clip - 1], last + _ELLIPSIS] if len(lines) >= clip else [*lines[:-1], last + _ELLIPSIS]


def _cell(row: Row, column: Column, width: int, full: bool, highlight: Sequence[str]) -> Text:
    """One table cell, wrapped here (rich is told not to wrap it): the value, then its detail dimmed."""
    from rich.text import Text

    lines = cell_lines(display(row.get(column.key, ""), column), width, None if full else column.clip)
    text = Text("\n".join(lines))
    detail = column.detail
    if detail is not None and row.get(detail.key):
        text.append("\n" + "\n".join(cell_lines(display(row[detail.key], detail), width, None)), style="dim")
    if highlight:
        text.highlight_words(highlight, style="bold reverse", case_sensitive=False)
    return text


def _natural_width(column: Column, rows: Sequence[Row]) -> int:
    """The width a column would take with nothing wrapped: its widest line, header included."""
    from .linebreak import cell_width

    texts = [display(row.get(column.key, ""), column) for row in rows]
    if column.detail is not None:
        texts += [display(row.get(column.detail.key, ""), column.detail) for row in rows]
    lines = [line for text in texts for line in text.split("\n")]
    return max([cell_width(column.header), *map(cell_width, lines)])


def column_widths(columns: Sequence[Column], natural: Sequence[int], available: int) -> list[int] | None:
    """Each column's width within `available` cells, or None when the table cannot fit (stack the records).

    Columns that do not wrap keep their natural width, and so do short ones (a max_width and no ratio: a date,
    a label) as long as they fit it; the ratio columns share what is left by their ratio, none wider than it
    needs, none narrower than WRAPPING_MIN_WIDTH.
    """
    widths = list(natural)
    shared = [i for i, c in enumerate(columns) if c.ratio]
    for i, column in enumerate(columns):
        if column.max_width and not column.ratio:
            widths[i] = min(natural[i], column.max_width)
    room = available - sum(w for i, w in enumerate(widths) if i not in shared)
    if room < WRAPPING_MIN_WIDTH * len(shared):
        return None
    # Columns that need less than their share get what they need; the others split the rest.
    remaining = set(shared)
    while remaining:
        total = sum(columns[i].ratio for i in remaining)
        satisfied = {i for i in remaining if natural[i] * total <= room * columns[i].ratio}
        if not satisfied:
            for i in sorted(remaining):
                widths[i] = max(WRAPPING_MIN_WIDTH, room * columns[i].ratio // total)
            break
        for i in satisfied:
            widths[i] = natural[i]
            room -= natural[i]
        remaining -= satisfied
    return widths


def _print_lines(console: Console, text: str, style: str = "") -> None:
    """Text wrapped to the console's width by the Chinese rules, each line printed as it is (never as markup)."""
    from rich.text import Text

    from .linebreak import wrap

    for line in wrap(visible(text), console.width):
        console.print(Text(line, style=style), no_wrap=True, overflow="ignore", crop=False)


def _rich_table(listing: Listing, rows: list[Row], console: Console, full: bool = False) -> None:
    from rich.table import Table

    if listing.context:
        _print_lines(console, listing.context, style="dim")
    if listing.title:
        _print_lines(console, listing.title)
    columns = listing.columns
    natural = [_natural_width(column, rows) for column in columns]
    widths = (
        None if console.width < STACKED_BELOW else column_widths(columns, natural, console.width - 3 * len(columns) - 1)
    )
    if widths is None:
        _stacked(listing, rows, console, full)
    else:
        table = Table(header_style="bold")
        for column, width in zip(columns, widths, strict=True):
            table.add_column(column.header, width=width, no_wrap=True, overflow="ignore")
        for row in rows:
            table.add_row(*(_cell(row, c, w, full, listing.highlight) for c, w in zip(columns, widths, strict=True)))
        console.print(table)
    if not rows:
        console.print(EMPTY)
    if listing.source:
        _print_lines(console, listing.source, style="dim")


def _stacked(listing: Listing, rows: list[Row], console: Console, full: bool) -> None:
    """One record per block, `label：value` with the value wrapped under itself: for narrow terminals."""
    from rich.text import Text

    from .linebreak import cell_width

    fields = flat_columns(listing.columns)
    label_width = max(cell_width(c.header) for c in fields) + 2  # the header and a full-width colon
    value_width = max(console.width - label_width, WRAPPING_MIN_WIDTH)
    for row in rows:
        console.print(Text("─" * min(console.width, 40), style="dim"))
        for column in fields:
            value = display(row.get(column.key, ""), column)
            if not value:
                continue
            lines = cell_lines(value, value_width, None if full else column.clip)
            label = column.header + "：" + " " * (label_width - cell_width(column.header) - 2)
            for number, line in enumerate(lines):
                text = Text(label if number == 0 else " " * label_width, style="bold" if number == 0 else "")
                text.append(line)
                if listing.highlight:
                    text.highlight_words(listing.highlight, style="bold reverse", case_sensitive=False)
                console.print(text, no_wrap=True, overflow="ignore", crop=False)


def _escape_github(text: str, *, property_value: bool = False) -> str:
    # GitHub's workflow-command escaping: data escapes %, CR, LF; property values also ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def emit_problems(problems: Sequence[Problem], fmt: CheckFormat, out: IO[str] | None = None) -> None:
    """Write check problems one per line: `path:line:col: message`, or GitHub Actions annotations."""
    out = out or sys.stdout
    if fmt is CheckFormat.json:
        import orjson

        # Paths as the user gave them (a name that is not UTF-8 keeps its bytes as \xNN escapes).
        rows = [
            {"file": display_path(p.path), "line": p.line, "column": p.column, "message": p.message, "code": p.code}
            for p in problems
        ]
        _write_bytes(out, orjson.dumps(rows, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        return
    for problem in problems:
        if fmt is CheckFormat.github:
            props = [f"file={_escape_github(visible(str(problem.path)), property_value=True)}"]
            if problem.line is not None:
                props.append(f"line={problem.line}")
            if problem.column is not None:
                props.append(f"col={problem.column}")
            message = _escape_github(visible(problem.message))
            out.write(f"::error {','.join(props)},title=gongkai check::{message}\n")
        else:
            # One problem, one line: a line break in the data must not start a line a CI runner would obey.
            out.write(visible(str(problem), newlines=False) + "\n")
