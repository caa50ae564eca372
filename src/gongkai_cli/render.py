"""All output: rich tables for people, JSON / CSV / Markdown for scripts, check reports. Nothing else prints data."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import IO, TYPE_CHECKING, Any

from .errors import Problem

if TYPE_CHECKING:
    from rich.console import Console


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


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a listing: the row key and its Chinese header."""

    key: str
    header: str
    # Relative share of the spare width a wrapping column takes in the rich table; 0 = never wrap.
    ratio: int = 0


@dataclass
class Listing:
    """What a command answers: display rows for table/CSV/Markdown and a JSON payload with the full contract."""

    columns: Sequence[Column]
    rows: list[dict[str, str]]
    payload: Any
    title: str | None = None
    empty_message: str = "无"
    highlight: Sequence[str] = ()


def emit(listing: Listing, fmt: Format, console: Console | None = None, out: IO[str] | None = None) -> None:
    """Write a listing to stdout (or `out` / `console`) in the chosen format."""
    out = out or sys.stdout
    if fmt is Format.json:
        json.dump(listing.payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.header for c in listing.columns])
        writer.writerows([row.get(c.key, "") for c in listing.columns] for row in listing.rows)
    elif fmt is Format.md:
        out.write(_markdown(listing))
    else:
        _rich_table(listing, console or make_console(out))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _markdown(listing: Listing) -> str:
    lines = [f"### {listing.title}", ""] if listing.title else []
    lines.append("| " + " | ".join(c.header for c in listing.columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in listing.columns) + "|")
    lines += ["| " + " | ".join(_md_cell(row.get(c.key, "")) for c in listing.columns) + " |" for row in listing.rows]
    if not listing.rows:
        lines.append(listing.empty_message)
    return "\n".join(lines) + "\n"


def make_console(out: IO[str] | None = None, *, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr); colour follows the terminal and NO_COLOR."""
    from rich.console import Console

    return Console(file=out, stderr=stderr, highlight=False, soft_wrap=False)


def _rich_table(listing: Listing, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=listing.title, title_justify="left", show_lines=False, header_style="bold", expand=False)
    for column in listing.columns:
        table.add_column(column.header, ratio=column.ratio or None, no_wrap=not column.ratio, overflow="fold")
    for row in listing.rows:
        cells = []
        for column in listing.columns:
            text = Text(row.get(column.key, ""))
            for word in listing.highlight:
                text.highlight_words([word], style="bold reverse", case_sensitive=False)
            cells.append(text)
        table.add_row(*cells)
    console.print(table)
    if not listing.rows:
        console.print(listing.empty_message)


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
