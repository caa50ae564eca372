"""Read the data files: YAML with line numbers -> validated models, every problem located."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .errors import DataError, Problem
from .io.read import FileRefusedError, read_file
from .models import Division, TaskFile, UnitFile
from .problems import DOCUMENT, TIME_LIMIT
from .tuples import NamedTuple
from .workspace import (
    TASKS_FILE,
    UNITS_FILE,
    Table,
    WorkspaceError,
    bundled_data_dir,
    holding_folder,
    pick_table,
    progress_folder,
    same_id_message,
    tables,
    tables_sharing_ids,
)

if TYPE_CHECKING:
    from . import cache
    from .io.yamlfile import Source
    from .validate import NameIndex

# What is read of a table through the cache: the division itself, or its summary.
T = TypeVar("T")


def one_table_files(data_dir: Path) -> tuple[Path, ...]:
    """The files of a one-table data folder, roster first: the order every loader takes."""
    return (data_dir / UNITS_FILE, data_dir / TASKS_FILE)


def read_files(paths: Sequence[Path]) -> tuple[dict[Path, bytes], list[Problem]]:
    """The raw bytes of the data files that could be read, and a problem for each that could not."""
    contents: dict[Path, bytes] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            contents[path] = read_file(path)
        except FileRefusedError as e:
            hint = (
                f"；用 --data 或 GONGKAI_DATA 指向含 {TASKS_FILE} 和 {UNITS_FILE} 的目录" if str(e) == "不存在" else ""
            )
            problems.append(Problem(path, None, None, f"数据文件{e}{hint}", "file"))
    return contents, problems


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of objects are built that contain no cycles.

    Otherwise the collector rescans the growing heap again and again: at 100,000 tasks it takes most of the
    time spent parsing YAML.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def inspect_data(
    files: Sequence[Path], contents: dict[Path, bytes], *, tolerated: frozenset[str] = frozenset()
) -> tuple[Division | None, list[Problem]]:
    """Parse, validate and cross-check a table's files (roster, tasks.yaml, then the table's roster additions).

    The structure is read from the printed cells. The problems include notices (severity "notice"), which do
    not stop the division from being built; it is None when there is any other problem, except those whose code
    is `tolerated`.
    """
    with collector_paused():
        return _inspect(files, contents, tolerated)


def errors_in(problems: list[Problem]) -> list[Problem]:
    """The problems that stop data from loading (not the notices)."""
    return [p for p in problems if p.severity != "notice"]


def _inspect(
    files: Sequence[Path], contents: dict[Path, bytes], tolerated: frozenset[str]
) -> tuple[Division | None, list[Problem]]:
    from .io.messages import validate_model
    from .io.yamlfile import parse_yaml
    from .validate import check_tasks, check_units

    # Each file is parsed and checked on its own as far as it allows, so that a problem in one file
    # never hides another's; only the checks that need them all wait for them all.
    roster_paths = [files[0], *files[2:]]
    tasks_path = files[1]
    problems: list[Problem] = []
    sources: dict[Path, Source] = {}
    for path in files:
        if path not in contents:
            continue
        try:
            sources[path], found = parse_yaml(path, contents[path])
            problems += found
        except DataError as e:
            problems += e.problems
    rosters = []
    for path in roster_paths:
        if path in sources:
            roster, found = validate_model(sources[path], UnitFile)
            problems += found
            if roster is not None:
                rosters.append((roster, sources[path]))
    units, names = None, None
    if len(rosters) == len(roster_paths):
        names, units, found = check_units(rosters)
        problems += found
    tasks = None
    if tasks_path in sources:
        tasks, found = validate_model(sources[tasks_path], TaskFile)
        problems += found
        if tasks is not None:
            checked = check_tasks(tasks, sources[tasks_path], names)
            tasks = checked.tasks
            problems += checked.problems + checked.notices
            new_names = [n for n in checked.unknown_names if names is None or not _typo_of_known(n, names)]
            if new_names:
                kinds = [(k.name, k.endings) for k in units.kinds] if units is not None else []
                problems.append(_roster_hint(roster_paths[-1], new_names, kinds))
    if errors_in([p for p in problems if p.code not in tolerated]) or tasks is None or units is None:
        return None, problems
    return Division(tasks, units), problems


def _distance(a: str, b: str) -> int:
    """The Levenshtein distance between two names (characters inserted, deleted or replaced)."""
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]


def _typo_of_known(name: str, names: NameIndex) -> bool:
    """Whether `name` is one or two characters away from a name the roster knows (市司法居 for 市司法局).

    Such a name is most likely a slip in the table: check suggests the roster's name and offers no entry to
    paste, so that the table is fixed rather than the roster. The allowance is one character in a name of up to
    four, two in a longer one.
    """
    allowed = 1 if len(name) <= 4 else 2
    known = (*names.canonical, *names.written_forms, *names.aliases)
    return any(abs(len(k) - len(name)) <= allowed and _distance(name, k) <= allowed for k in known)


def _roster_hint(path: Path, names: list[str], kinds: Sequence[tuple[str, Sequence[str]]]) -> Problem:
    """A notice with ready-to-paste units.yaml entries for names the roster lacks, each with a kind guessed from
    the roster's `kinds` and the built-in endings."""
    from .responsibility import aliases_in
    from .vocabulary import guess_kind

    entries = ""
    for written in names:
        # 市府办〔市大数据局〕 is a name with an alias in brackets: one entry answers to both.
        name, alias = aliases_in(written) or (written, None)
        entries += f"\n  - name: {name}\n    kind: {guess_kind(name, kinds)}"
        entries += f"\n    aliases: [{alias}]" if alias else ""
        entries += "\n    review: true"
    return Problem(
        path,
        None,
        None,
        f"可把下面的条目粘贴到 units.yaml 的 units 下，核对类型后删除 review：{entries}",
        "roster",
        "notice",
    )


class TableProblems(NamedTuple):
    """What checking one table of a data folder found."""

    table_id: str | None
    division: Division | None
    problems: list[Problem]


def check_folder(data_dir: Path, *, today: date | None = None) -> list[TableProblems]:
    """Every problem of every table of a data folder, and of its progress records, always validated from source.

    A table folder of a larger data folder (data/2025 beside data/units.yaml) is checked as that folder's table,
    with the roster above it. A problem of a file that several tables share (the folder's roster) is reported
    with the first table only; a subfolder with the root table's id is a problem of the root table. Progress
    records may not be dated after `today` (today in China by default).
    """
    from .progress import read_progress
    from .progress.journal import finish_interrupted
    from .query import today_in_china

    larger = holding_folder(data_dir)
    if larger is not None:
        found_tables: list[Table] = [t for t in tables(larger) if t.folder == data_dir]
    else:
        found_tables = tables(data_dir) or [Table(None, data_dir, one_table_files(data_dir))]
    clashes = {group[0].files[1]: same_id_message(group) for group in tables_sharing_ids(found_tables)}
    reported: set[Problem] = set()
    results = []
    for table in found_tables:
        contents, problems = read_files(table.files)
        division, found = inspect_data(table.files, contents)
        if table.files[1] in clashes:
            found.append(Problem(table.files[1], None, None, clashes[table.files[1]], DOCUMENT))
        if division is not None:
            found += finish_interrupted(progress_folder(table.folder))  # a batch of records a crash cut short
            _, progress_problems = read_progress(
                progress_folder(table.folder), division, today=today or today_in_china()
            )
            found += progress_problems
        fresh = [p for p in problems + found if p not in reported]
        reported.update(fresh)
        results.append(TableProblems(table.id, division, fresh))
    return results


def chosen_table(
    data_dir: Path, *, table: str | None = None, year: int | None = None, today_year: int | None = None
) -> Table:
    """The table of a data folder a query reads: its id, its folder and the files it is read from.

    A folder of several tables gives the one `table` or `year` picks, else the table of `today_year` (the
    current year in China by default), else the latest; a one-table folder gives its one table (id None).
    WorkspaceError when the choice names no table.
    """

    def this_year() -> int:
        if today_year is not None:
            return today_year
        from .query import today_in_china

        return today_in_china().year

    picked = pick_table(data_dir, table_id=table, year=year, today_year=this_year)
    return picked if picked is not None else Table(None, data_dir, one_table_files(data_dir), True)


# The problems of cells that await a person in a fresh import (an unread time limit, kept as its text): they
# stop a table from loading for queries, not from being compared.
AWAITING_PERSON = frozenset({TIME_LIMIT})


def comparable_division(files: Sequence[Path], contents: dict[Path, bytes]) -> Division:
    """A table as `diff` compares it: valid but for cells that await a person; DataError on any other problem."""
    division, problems = inspect_data(files, contents, tolerated=AWAITING_PERSON)
    if division is None:
        raise DataError(errors_in(problems))
    return division


def load_comparable(data_dir: Path, *, table: str | None = None, year: int | None = None) -> Division:
    """One table of a data folder as `diff` compares it (see `comparable_division`); the chosen table as
    `load_data` chooses it. WorkspaceError when the choice names no table, DataError on a problem."""
    try:
        return load_data(data_dir, table=table, year=year)
    except DataError:
        chosen = chosen_table(data_dir, table=table, year=year)
        contents, missing = read_files(chosen.files)
        if missing:
            raise
        return comparable_division(chosen.files, contents)


def load_data(
    data_dir: Path | None = None,
    *,
    table: str | None = None,
    year: int | None = None,
    today_year: int | None = None,
    use_cache: bool = True,
) -> Division:
    """Load and fully validate one table of a data folder (the bundled data by default); DataError on a problem.

    A folder of several tables gives the one `table` or `year` picks, else the table of `today_year` (the
    current year in China by default), else the latest. Validated data is cached (see `cache`), so that only
    the first query after an edit pays for validation.
    """
    chosen = chosen_table(data_dir or bundled_data_dir(), table=table, year=year, today_year=today_year)
    return load_table(chosen, use_cache=use_cache)


class TableSummary(NamedTuple):
    """What a listing of a folder's tables shows of one table."""

    title: str
    year: int
    tasks: int


def _cache_store() -> Path | None:
    """The cache folder; None without a usable one (turned off, or others can write to it)."""
    from . import cache

    wanted = cache.cache_dir()
    return cache.private_folder(wanted) if wanted is not None else None


def _cache_of(chosen: Table, store: Path | None) -> Path | None:
    """Where the table's entry is in the cache folder `store`; None without one."""
    from . import cache

    return cache.cache_file(store, chosen.folder) if store is not None else None


def _contents(chosen: Table) -> dict[Path, bytes]:
    contents, missing = read_files(chosen.files)
    if missing:
        raise DataError(missing)
    return contents


def _validated(
    chosen: Table, contents: dict[Path, bytes], stored_at: Path | None, key: bytes, current: cache.Stamp | None
) -> Division:
    from . import cache

    division, problems = inspect_data(chosen.files, contents)
    if division is None:
        raise DataError(errors_in(problems))
    if stored_at is not None:
        cache.write(stored_at, key, division, current)
    return division


def load_table(chosen: Table, *, use_cache: bool = True) -> Division:
    """Load and fully validate one table (see `tables`, `chosen_table`), from the cache when it is current."""
    from . import cache

    store = _cache_store() if use_cache else None
    return _through_cache(chosen, store, cache.read_unchanged, cache.read, lambda division: division)


def _through_cache(
    chosen: Table,
    store: Path | None,
    unchanged: Callable[[Path, cache.Stamp | None], T | None],
    hashed: Callable[[Path, bytes], T | None],
    made: Callable[[Division], T],
) -> T:
    """What is read of a table from its entry in the cache folder `store`, when the entry is current; else `made`
    of the table validated from its files (and cached); DataError on a problem.

    The entry is current when the files' metadata are those it records (`unchanged` reads it, and the files are not
    even read), else when their bytes hash to its key (`hashed` reads it, and the entry is stamped afresh).
    """
    from . import cache

    stored_at = _cache_of(chosen, store)
    if stored_at is None:
        return made(_validated(chosen, _contents(chosen), None, b"", None))
    current = cache.stamp(chosen.files)
    with collector_paused():
        found = unchanged(stored_at, current)
    if found is not None:
        return found
    contents = _contents(chosen)
    key = cache.data_key(contents)
    with collector_paused():
        found = hashed(stored_at, key)
    if found is not None:
        cache.restamp(stored_at, key, current)
        return found
    return made(_validated(chosen, contents, stored_at, key, current))


def summarize_table(chosen: Table) -> TableSummary:
    """A table's title, plan year and number of tasks: from the cache without rebuilding the table when it is
    current (as `load_table` judges it), else validated (and cached) as `load_table` does; DataError on a problem."""
    return _summarized(chosen, _cache_store())


def summarize_tables(found: Sequence[Table]) -> list[tuple[Table, TableSummary | None, int]]:
    """Each table with its summary (see `summarize_table`), or with None and the number of problems that keep it
    from being read; the cache folder is found and checked once for all of them."""
    store = _cache_store()
    summaries: list[tuple[Table, TableSummary | None, int]] = []
    for table in found:
        try:
            summary = _summarized(table, store)
        except DataError as e:
            summaries.append((table, None, len(e.problems)))
        except WorkspaceError:
            summaries.append((table, None, 1))
        else:
            summaries.append((table, summary, 0))
    return summaries


def _summarized(chosen: Table, store: Path | None) -> TableSummary:
    from . import cache

    def unchanged(at: Path, current: cache.Stamp | None) -> TableSummary | None:
        return _as_summary(cache.read_unchanged_summary(at, current))

    def hashed(at: Path, key: bytes) -> TableSummary | None:
        return _as_summary(cache.read_summary(at, key))

    return _through_cache(chosen, store, unchanged, hashed, _summary_of)


def _as_summary(found: tuple[str, int, int] | None) -> TableSummary | None:
    return None if found is None else TableSummary(*found)


def _summary_of(division: Division) -> TableSummary:
    return TableSummary(division.document.title, division.year, len(division.tasks))


__all__ = [
    "AWAITING_PERSON",
    "TableProblems",
    "TableSummary",
    "check_folder",
    "chosen_table",
    "collector_paused",
    "comparable_division",
    "errors_in",
    "inspect_data",
    "load_comparable",
    "load_data",
    "load_table",
    "one_table_files",
    "read_files",
    "summarize_table",
    "summarize_tables",
]
