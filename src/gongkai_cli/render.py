"""All output: rich tables for people, JSON / CSV / Markdown for scripts, check reports. Nothing else prints data."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from enum import Enum
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from .errors import Problem

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


class Format(str, Enum):
    """Output formats of the listing commands."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class CheckFormat(str, Enum):
    """Output formats of `check`."""

    text = "text"
    github = "github"


class Column(NamedTuple):
    """A column of a listing: the row key and its Chinese header."""

    key: str
    header: str
    # Relative share of the spare width a wrapping column takes in the rich table; 0 = never wrap.
    ratio: int = 0
    max_width: int | None = None
    # The table shows at most this many characters of the first paragraph; flat formats keep the whole text.
    clip: int | None = None
    # Shown on a dim second line of this cell in the table; its own column in CSV and Markdown.
    detail: Column | None = None


def flat_columns(columns: Sequence[Column]) -> list[Column]:
    """The columns of the flat formats (CSV, Markdown): each detail becomes a column of its own."""
    return [c for column in columns for c in (column, column.detail) if c is not None]


# What a table or Markdown answer says when nothing matches; JSON prints [] and CSV just the header.
EMPTY = "无"


class Listing(NamedTuple):
    """What a command answers: display rows for table/CSV/Markdown and a JSON payload with the full contract.

    Both are built on demand, since a command prints only one of them and either can be large.
    """

    columns: Sequence[Column]
    rows: Callable[[], list[dict[str, str]]]
    payload: Callable[[], Any]
    title: str | None = None
    highlight: Sequence[str] = ()


def emit(listing: Listing, fmt: Format, console: Console | None = None, out: IO[str] | None = None) -> None:
    """Write a listing to stdout (or `out` / `console`) in the chosen format."""
    out = out or sys.stdout
    if fmt is Format.json:
        # orjson writes the same text as json.dumps(..., ensure_ascii=False, indent=2), twenty times faster.
        import orjson

        _write_bytes(out, orjson.dumps(listing.payload(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        return
    rows = listing.rows()
    if fmt is Format.csv:
        import csv

        writer = csv.writer(out, lineterminator="\n")
        columns = flat_columns(listing.columns)
        writer.writerow([c.header for c in columns])
        writer.writerows([row.get(c.key, "") for c in columns] for row in rows)
    elif fmt is Format.md:
        out.write(_markdown(listing, rows))
    else:
        _rich_table(listing, rows, console or make_console(out))


def _write_bytes(out: IO[str], data: bytes) -> None:
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8"))
    else:
        out.flush()
        buffer.write(data)
        buffer.flush()


def clipped(text: str, limit: int) -> str:
    """The first paragraph, cut to `limit` characters with an ellipsis."""
    first = text.split("\n", 1)[0]
    return first if len(first) <= limit and first == text else first[: limit - 1] + "…"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _markdown(listing: Listing, rows: list[dict[str, str]]) -> str:
    lines = [f"### {listing.title}", ""] if listing.title else []
    columns = flat_columns(listing.columns)
    lines.append("| " + " | ".join(c.header for c in columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in columns) + "|")
    lines += ["| " + " | ".join(_md_cell(row.get(c.key, "")) for c in columns) + " |" for row in rows]
    if not rows:
        lines += ["", EMPTY]  # a blank line first, or Markdown would read it as a table row
    return "\n".join(lines) + "\n"


def make_console(out: IO[str] | None = None, *, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr); colour follows the terminal and NO_COLOR."""
    from rich.console import Console

    return Console(file=out, stderr=stderr, highlight=False, soft_wrap=False)


# A wrapping column never shrinks below this, so that on a very narrow terminal its text still shows.
WRAPPING_MIN_WIDTH = 8


def _cell(row: dict[str, str], column: Column, highlight: Sequence[str]) -> Text:
    from rich.text import Text

    value = row.get(column.key, "")
    text = Text(clipped(value, column.clip) if column.clip else value)
    if column.detail is not None and row.get(column.detail.key):
        text.append("\n" + row[column.detail.key], style="dim")
    if highlight:
        text.highlight_words(highlight, style="bold reverse", case_sensitive=False)
    return text


def _rich_table(listing: Listing, rows: list[dict[str, str]], console: Console) -> None:
    from rich.cells import cell_len
    from rich.table import Table

    table = Table(title=listing.title, title_justify="left", header_style="bold")
    cells = [[_cell(row, column, listing.highlight) for column in listing.columns] for row in rows]
    wrapping = [bool(column.ratio or column.max_width) for column in listing.columns]
    natural = [
        max([cell_len(column.header), *(width for row in cells for width in _line_widths(row[i]))])
        for i, column in enumerate(listing.columns)
    ]
    # Columns that do not wrap keep their full width and only the wrapping ones give way, as long as the
    # terminal is wide enough for that; on a narrower one every column folds rather than any being cut off.
    borders = 3 * len(listing.columns) + 1
    needed = borders + sum(
        WRAPPING_MIN_WIDTH if wraps else width for wraps, width in zip(wrapping, natural, strict=True)
    )
    roomy = needed <= console.width
    for column, wraps, width in zip(listing.columns, wrapping, natural, strict=True):
        table.add_column(
            column.header,
            ratio=column.ratio or None,
            max_width=column.max_width,
            min_width=(WRAPPING_MIN_WIDTH if wraps else width) if roomy else None,
            no_wrap=roomy and not wraps,
            overflow="fold",
        )
    for row_cells in cells:
        table.add_row(*row_cells)
    console.print(table)
    if not rows:
        console.print(EMPTY)


def _line_widths(text: Text) -> list[int]:
    from rich.cells import cell_len

    return [cell_len(line) for line in text.plain.split("\n")]


def _escape_github(text: str, *, property_value: bool = False) -> str:
    # GitHub's workflow-command escaping: data escapes %, CR, LF; property values also ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def emit_problems(problems: Sequence[Problem], fmt: CheckFormat, out: IO[str] | None = None) -> None:
    """Write check problems one per line: `path:line:col: message`, or GitHub Actions annotations."""
    out = out or sys.stdout
    for problem in problems:
        if fmt is CheckFormat.github:
            props = [f"file={_escape_github(str(problem.path), property_value=True)}"]
            if problem.line is not None:
                props.append(f"line={problem.line}")
            if problem.column is not None:
                props.append(f"col={problem.column}")
            out.write(f"::error {','.join(props)},title=gongkai check::{_escape_github(problem.message)}\n")
        else:
            out.write(f"{problem}\n")
