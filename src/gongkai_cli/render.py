"""All output: rich tables for people, JSON / CSV / Markdown for scripts, check reports. Nothing else prints data."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any, Literal, NoReturn

from .errors import Problem
from .safetext import display_path, visible
from .tuples import NamedTuple

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


# Output formats, as the --format values name them (plain strings: an Enum class costs a query a millisecond).
# The listing commands'.
Format = Literal["table", "json", "csv", "md"]
FORMATS: tuple[Format, ...] = ("table", "json", "csv", "md")
# `remind`'s: text to paste into a work chat or a mail first, then the listing formats.
ReminderFormat = Literal["text", "md", "table", "json", "csv"]
REMINDER_FORMATS: tuple[ReminderFormat, ...] = ("text", "md", "table", "json", "csv")
# `check`'s.
CheckFormat = Literal["text", "github", "json"]
CHECK_FORMATS: tuple[CheckFormat, ...] = ("text", "github", "json")


class Message(NamedTuple):
    """A message to one addressee: its heading (who), an opening line, and numbered items."""

    heading: str
    opening: str
    items: tuple[str, ...]


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
    # What a table or Markdown says when nothing matches; a sentence of its own replaces an empty table.
    empty: str = EMPTY
    # The rows after which a table draws a rule: where one record of several ends (show 23 6).
    breaks: frozenset[int] = frozenset()


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
    if fmt == "json":
        # orjson writes the same text as json.dumps(..., ensure_ascii=False, indent=2), twenty times faster.
        import orjson

        _write_bytes(out, orjson.dumps(listing.payload(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        return
    rows = listing.rows()
    if fmt == "csv":
        columns = flat_columns(listing.columns)
        write_csv(out, [c.header for c in columns], ([row.get(c.key, "") for c in columns] for row in rows))
    elif fmt == "md":
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
        lines += ["", listing.empty]  # a blank line first, or Markdown would read it as a table row
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


# Row keys whose cells list unit or group names joined by 、，；: wrapped between names, never inside one. The
# diff's changes are lines of such lists (负责落实：增加 市数据资源局、市住房城乡建设局).
NAME_KEYS = frozenset({"units", "co_units", "via", "name", "unit", "not_reported", "reported", "change"})
# A wrapping column gets at least this many cells (or its natural width, if less): narrower, a text shows a few
# characters a line. A table whose columns cannot all have their least width stacks its records instead.
NARROWEST_TEXT = 14
# ... and a list of names at least its longest name, up to this many cells (a longer name may be split).
NARROWEST_NAMES = 18
# A stacked value is wrapped to at least this many cells, however narrow the terminal.
NARROWEST_VALUE = 8
_ELLIPSIS = "…"


def cell_lines(text: str, width: int, clip: int | None, *, names: bool = False) -> list[str]:
    """A cell's text wrapped to `width` cells; with `clip`, at most that many lines of its first paragraph.

    With `names`, the text is a list of names, wrapped between them.
    """
    from .linebreak import cell_width, wrap

    if clip is None:
        return wrap(text, width, names=names)
    paragraph, _, rest = text.partition("\n")
    lines = wrap(paragraph, width, names=names)
    if len(lines) <= clip and not rest:
        return lines
    # Cut short: the lines shown hold as much as they can.
    lines = wrap(paragraph, width, names=names, balance=False)
    last = lines[clip - 1] if len(lines) >= clip else lines[-1]
    while last and cell_width(last) + cell_width(_ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[: clip - 1], last + _ELLIPSIS] if len(lines) >= clip else [*lines[:-1], last + _ELLIPSIS]


def header_words(header: str) -> list[str]:
    """A column header cut into the words a narrow column may show on lines of their own: before each bracket.

    不再承担（原编号） is 不再承担 and （原编号）; a header is never cut inside a word.
    """
    words: list[str] = []
    start = 0
    for k, ch in enumerate(header):
        if ch in "（(" and k > start:
            words.append(header[start:k])
            start = k
    return [*words, header[start:]]


def header_lines(header: str, width: int) -> list[str]:
    """A header's words on as few lines of `width` cells as they fit."""
    from .linebreak import cell_width

    lines: list[str] = []
    for word in header_words(header):
        if lines and cell_width(lines[-1]) + cell_width(word) <= width:
            lines[-1] += word
        else:
            lines.append(word)
    return lines


def _cell(row: Row, column: Column, width: int, full: bool, highlight: Sequence[str]) -> Text:
    """One table cell, wrapped here (rich is told not to wrap it): the value, then its detail dimmed."""
    from rich.text import Text

    clip = None if full else column.clip
    lines = cell_lines(display(row.get(column.key, ""), column), width, clip, names=column.key in NAME_KEYS)
    text = Text("\n".join(lines))
    detail = column.detail
    if detail is not None and row.get(detail.key):
        shown = cell_lines(display(row[detail.key], detail), width, None, names=detail.key in NAME_KEYS)
        text.append("\n" + "\n".join(shown), style="dim")
    if highlight:
        text.highlight_words(highlight, style="bold reverse", case_sensitive=False)
    return text


class Fit(NamedTuple):
    """How wide a column may be: the least it can take, the width it aims at, and its widest line."""

    least: int
    target: int
    natural: int


def column_fit(column: Column, rows: Sequence[Row]) -> Fit:
    """The widths a column can take, from its header and its cells (its detail's included).

    A column that does not wrap (no ratio, no max_width) takes its natural width. A short column (a max_width
    and no ratio: a date, a label) aims at its natural width up to max_width and may shrink to its widest word.
    A wrapping column (a ratio) may shrink to NARROWEST_TEXT, or for names to its longest name; no column is
    narrower than the widest word of its header.
    """
    from .linebreak import cell_width, longest_word

    parts = [column] if column.detail is None else [column, column.detail]
    texts = [(display(row.get(c.key, ""), c), c.key in NAME_KEYS) for row in rows for c in parts]
    header = max(map(cell_width, header_words(column.header)))
    natural = max([cell_width(column.header), *(cell_width(line) for text, _ in texts for line in text.split("\n"))])
    if not column.ratio and not column.max_width:
        return Fit(natural, natural, natural)
    if not column.ratio:
        word = max((longest_word(text, names=names) for text, names in texts), default=0)
        least = max(header, word)
        return Fit(least, max(least, min(natural, column.max_width or natural)), natural)
    least = max(header, min(natural, NARROWEST_TEXT))
    if column.key in NAME_KEYS:
        longest = max((longest_word(text, names=True) for text, _ in texts), default=0)
        least = max(least, min(longest, NARROWEST_NAMES))
    return Fit(least, natural, natural)


def column_widths(columns: Sequence[Column], fits: Sequence[Fit], available: int) -> list[int] | None:
    """Each column's width within `available` cells, or None when their least widths do not fit (stack the records).

    Every column gets its least width; the short columns then grow to their target, and the wrapping columns
    share what is left by their ratio, none wider than its widest line.
    """
    widths = [fit.least for fit in fits]
    spare = available - sum(widths)
    if spare < 0:
        return None
    for i, (column, fit) in enumerate(zip(columns, fits, strict=True)):
        if not column.ratio:
            grown = min(fit.target - widths[i], spare)
            widths[i] += grown
            spare -= grown
    shared = [i for i, column in enumerate(columns) if column.ratio]
    room = spare + sum(widths[i] for i in shared)

    def filled(level: float) -> dict[int, int]:
        return {i: min(max(int(level * columns[i].ratio), fits[i].least), fits[i].natural) for i in shared}

    # The highest level of ratio shares that fits the room, each share held between least and natural.
    low, high = 0.0, float(max((fits[i].natural for i in shared), default=0))
    for _ in range(40):
        middle = (low + high) / 2
        if sum(filled(middle).values()) <= room:
            low = middle
        else:
            high = middle
    share = filled(low)
    # Cells left over by rounding (less than one a column) go to the wider ratios first.
    left = room - sum(share.values())
    for i in sorted(shared, key=lambda i: -columns[i].ratio):
        if left and share[i] < fits[i].natural:
            share[i] += 1
            left -= 1
    for i, width in share.items():
        widths[i] = width
    return widths


def print_wrapped(console: Console, text: str, style: str = "", *, lead: str = "", lead_style: str = "") -> None:
    """Text wrapped to the console's width by the Chinese rules, each line printed as it is (never as markup).

    `lead` starts the text in its own style: a mark such as ✓, or the count of problems in red.
    """
    from rich.text import Text

    from .linebreak import wrap

    lead = visible(lead)
    for number, line in enumerate(wrap(lead + visible(text), console.width)):
        shown = Text(line, style=style)
        if number == 0 and lead:
            shown.stylize(lead_style, 0, len(lead))
        console.print(shown, no_wrap=True, overflow="ignore", crop=False)


def print_note(console: Console, text: str, *, lead: str = "", lead_style: str = "") -> None:
    """A hint or a summary for the person at the terminal: wrapped to its width there (see print_wrapped).

    Written to a file or a pipe it stays one line, as errors do, so that a log keeps it whole for grep.
    """
    if console.is_terminal:
        print_wrapped(console, text, lead=lead, lead_style=lead_style)
        return
    from rich.text import Text

    shown = Text(visible(lead), style=lead_style)
    shown.append(visible(text))
    console.print(shown, soft_wrap=True)


def _rich_table(listing: Listing, rows: list[Row], console: Console, full: bool = False) -> None:
    from rich.table import Table
    from rich.text import Text

    if listing.context:
        print_wrapped(console, listing.context, style="dim")
    if listing.title:
        print_wrapped(console, listing.title)
    if not rows and listing.empty != EMPTY:
        print_wrapped(console, listing.empty)
        return
    columns = listing.columns
    widths = column_widths(columns, [column_fit(c, rows) for c in columns], console.width - 3 * len(columns) - 1)
    if widths is None:
        _stacked(listing, rows, console, full)
    else:
        table = Table(header_style="bold")
        for column, width in zip(columns, widths, strict=True):
            header = Text("\n".join(header_lines(column.header, width)))
            table.add_column(header, width=width, no_wrap=True, overflow="ignore")
        for number, row in enumerate(rows):
            cells = (_cell(row, c, w, full, listing.highlight) for c, w in zip(columns, widths, strict=True))
            table.add_row(*cells, end_section=number in listing.breaks)
        console.print(table)
    if not rows:
        console.print(EMPTY)
    if listing.source:
        print_wrapped(console, listing.source, style="dim")


def _stacked(listing: Listing, rows: list[Row], console: Console, full: bool) -> None:
    """One record per block, `label：value` with the value wrapped under itself: for narrow terminals."""
    from rich.text import Text

    from .linebreak import cell_width

    fields = flat_columns(listing.columns)
    label_width = max(cell_width(c.header) for c in fields) + 2  # the header and a full-width colon
    value_width = max(console.width - label_width, NARROWEST_VALUE)
    # One Text printed once: a console.print per line costs more than the wrapping, with hundreds of records.
    shown: list[Text] = []
    for row in rows:
        shown.append(Text("─" * min(console.width, 40), style="dim"))
        for column in fields:
            value = display(row.get(column.key, ""), column)
            if not value:
                continue
            lines = cell_lines(value, value_width, None if full else column.clip, names=column.key in NAME_KEYS)
            label = column.header + "：" + " " * (label_width - cell_width(column.header) - 2)
            for number, line in enumerate(lines):
                text = Text()
                text.append(label if number == 0 else " " * label_width, style="bold" if number == 0 else "")
                text.append(line)
                if listing.highlight:
                    text.highlight_words(listing.highlight, style="bold reverse", case_sensitive=False)
                shown.append(text)
    if shown:
        console.print(Text("\n").join(shown), no_wrap=True, overflow="ignore", crop=False)


def _escape_github(text: str, *, property_value: bool = False) -> str:
    # GitHub's workflow-command escaping: data escapes %, CR, LF; property values also ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def emit_problems(problems: Sequence[Problem], fmt: CheckFormat, out: IO[str] | None = None) -> None:
    """Write check problems one per line: `path:line:col: message`, or GitHub Actions annotations."""
    out = out or sys.stdout
    if fmt == "json":
        import orjson

        # Paths as the user gave them (a name that is not UTF-8 keeps its bytes as \xNN escapes).
        rows = [
            {"file": display_path(p.path), "line": p.line, "column": p.column, "message": p.message, "code": p.code}
            for p in problems
        ]
        _write_bytes(out, orjson.dumps(rows, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        return
    for problem in problems:
        if fmt == "github":
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
