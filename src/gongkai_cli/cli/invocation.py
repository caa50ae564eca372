"""One invocation of `gongkai`: the options given before the command, the table they choose, and the answer.

The app's global options store a `State` in the context; a command asks this module for the data it reads
(`division`, `chosen_table`, `records_of`) and hands its answer to `answer`, which says where the data came
from and pages a long table.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .. import views
from ..errors import DataError
from ..load import chosen_table as table_of
from ..load import errors_in, load_data
from ..models import Division
from ..render import Format, Listing, emit
from ..safetext import display_path
from ..tuples import NamedTuple
from ..workspace import DataLocation, Table, WorkspaceError, locate_data, progress_folder
from .args import parse_year
from .errors import EXIT_DATA, EXIT_USAGE, fail, fail_with_problems, note

if TYPE_CHECKING:
    from ..progress import ProgressRecord

# Where a command leaves, in the context's meta, what the answer's heading says.
_LOCATION = "gongkai.location"
_DIVISION = "gongkai.division"


class State(NamedTuple):
    """Options given before the command."""

    data_option: Path | None = None
    paging: bool = True
    table: str | None = None
    year: str | None = None

    def location(self) -> DataLocation:
        """The data folder this invocation reads: --data, GONGKAI_DATA, found upward from here, or bundled."""
        try:
            return locate_data(self.data_option)
        except WorkspaceError as e:
            fail(str(e), EXIT_USAGE)


def location(ctx: typer.Context) -> DataLocation:
    """The data folder this invocation reads, noted for the answer's heading."""
    state: State = ctx.obj
    found = state.location()
    ctx.meta[_LOCATION] = found
    return found


def division(ctx: typer.Context) -> Division:
    """The table this invocation reads, loaded; a problem in its data ends the command (exit 1)."""
    state: State = ctx.obj
    folder = location(ctx)
    try:
        loaded = load_data(folder.folder, table=state.table, year=parse_year(state.year))
    except WorkspaceError as e:
        fail(str(e), EXIT_USAGE)
    except DataError as e:
        fail_with_problems(
            e.problems, f"数据有 {len(e.problems)} 个问题，先运行 {_check_command(folder)} 查看并改正。", EXIT_DATA
        )
    ctx.meta[_DIVISION] = loaded
    return loaded


def _check_command(location: DataLocation) -> str:
    """The check command that reports the problems of the data this invocation reads."""
    import shlex

    return "gongkai check" if location.is_bundled else f"gongkai check {shlex.quote(display_path(location.folder))}"


def chosen_table(ctx: typer.Context) -> Table:
    """The table this invocation reads (as queries choose it): its id, folder and files."""
    state: State = ctx.obj
    try:
        return table_of(state.location().folder, table=state.table, year=parse_year(state.year))
    except WorkspaceError as e:
        fail(str(e), EXIT_USAGE)


def records_of(ctx: typer.Context, division: Division, today: date) -> list[ProgressRecord]:
    """The table's progress records as of today (those that decide a status); a problem in them stops the command,
    as a data problem does."""
    table = chosen_table(ctx)
    folder = progress_folder(table.folder)
    if not folder.is_dir():
        return []  # a table nobody reports on yet: no need to load the progress code
    from ..progress import cached_progress

    reading = cached_progress(folder, division, today=today, table_files=table.files)
    errors = errors_in(reading.problems)
    if errors:
        fail_with_problems(errors, f"进展记录有 {len(errors)} 个问题，先运行 gongkai check 查看并改正。", EXIT_DATA)
    if reading.later:
        note(f"提示：有 {reading.later} 条进展记录的日期晚于今天（{today.isoformat()}），未计入")
    return reading.records


def answer(ctx: typer.Context, listing: Listing, fmt: Format, *, full: bool = False) -> None:
    """Print a command's answer; a table read from data other than the bundled copy says which folder it read."""
    found: DataLocation | None = ctx.meta.get(_LOCATION)
    if fmt == "table" and found is not None and not found.is_bundled:
        listing = listing._replace(source=f"数据：{display_path(found.folder)}")
    state: State = ctx.obj
    read: Division | None = ctx.meta.get(_DIVISION)
    if fmt == "table" and read is not None:
        listing = listing._replace(context=views.table_heading(read))
    page = None
    if state.paging and fmt == "table":
        from .pager import pager

        page = pager()
    emit(listing, fmt, pager=page, full=full)


__all__ = ["State", "answer", "chosen_table", "division", "location", "records_of"]
