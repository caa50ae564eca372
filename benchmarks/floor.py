"""The floor of our stack: a one-command Typer program that prints given rows as a rich table.

It does what any Typer + rich implementation of a gongkai query must do, and nothing of gongkai's own: start
Python, import Typer and rich, parse one argument, and lay out and print a table. The benchmark hands it the
very rows gongkai prints (taken from gongkai's CSV answer, saved as JSON), so that a query's ratio to it
measures what gongkai adds: finding and loading the data, answering the query, typesetting the cells.

    python benchmarks/floor.py ROWS.json
"""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table


def show(rows_file: str) -> None:
    """Print the rows of ROWS_FILE ({"title": …, "header": […], "rows": [[…], …]}) as a table."""
    with open(rows_file, encoding="utf-8") as handle:
        data = json.load(handle)
    table = Table(title=data["title"], title_justify="left", header_style="bold")
    for header in data["header"]:
        table.add_column(header)
    for row in data["rows"]:
        table.add_row(*row)
    Console().print(table)


if __name__ == "__main__":
    typer.run(show)
