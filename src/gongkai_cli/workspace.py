"""Which data folder an invocation uses, and which tables it holds: found the way git finds a repository.

Layout of a data folder (DIR)::

    DIR/units.yaml                 the roster shared by every table of the folder
    DIR/tasks.yaml                 a table at the folder's root (the shipped layout: the first year's table)
    DIR/progress/<单位>.yaml       the root table's progress records
    DIR/2025/tasks.yaml            a table in a subfolder: table id = the subfolder name
    DIR/2025/units.yaml            that table's roster additions (optional)
    DIR/2025/progress/<单位>.yaml  its progress records

A *table subfolder* is a visible, real (not symlinked) directory holding ``tasks.yaml``. A *data folder* is a
directory holding

- ``units.yaml`` and ``tasks.yaml``, or ``units.yaml`` and at least one table subfolder, or both: a table at
  the root may sit beside table subfolders, so that the shipped layout takes a second year by importing it
  into ``DIR/2025`` with nothing moved; or
- no roster of its own but two or more year subfolders (names beginning with four digits) each holding both
  ``tasks.yaml`` and ``units.yaml``: a folder of complete tables, each of which is also a data folder by
  itself.

The rosters of a table: the data folder's ``units.yaml`` when it has one, then the table folder's own
``units.yaml``, which adds to it (names, aliases, groups and kinds of its own; a name in both is a problem
``check`` reports). A folder is known to be *a table of a larger folder* when it holds ``tasks.yaml`` and the
folder above it holds ``units.yaml``: it needs that roster, so it is never a data folder by itself. ``check
DIR/2025``, ``diff … DIR/2025`` and ``--data`` hints treat it as the table ``2025`` of DIR.

The id of a table in a subfolder is the subfolder's name. The root table's id is its document's plan year
(``document: year: 2024``, read from the start of its ``tasks.yaml``) when table subfolders sit beside it, so
that ``--year 2024`` finds it; alone, it has no id (a one-table folder, where ``--table`` and ``--year`` have
nothing to choose). A subfolder with the root table's id is a problem ``check`` reports. The root table keeps
its place, its progress folder and its 台账 key (`Table.key`) whatever tables are added beside it.

Which folder is used, first match wins:

1. the ``--data`` option;
2. the ``GONGKAI_DATA`` environment variable (an empty value counts as unset);
3. a data folder found from the working directory upward: at each level D, D itself and then D/data are
   tried, and the search stops at the first data folder. A table of a larger folder (``DIR/2025``) or anything
   below it is never a data folder by itself, so from inside ``DIR/2025/progress`` the search finds DIR and,
   having found it, climbs no further. The working directory itself is always tried; above it the search does
   not reach the filesystem root, nor the parent of the user's home directory (so a query run anywhere under
   the home directory looks no higher than the home directory itself). A directory that cannot be read is
   passed over silently. When the working directory cannot be determined (it was deleted), there is no
   search;
4. the copy bundled with the package.

A path given explicitly (1 or 2) must be a data folder: otherwise `WorkspaceError`, a usage error.

This module is on every query's start-up path: it imports only small standard modules and costs a few stat
calls per directory level.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from .errors import GongkaiError, os_reason
from .safetext import display_path
from .tuples import NamedTuple

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"
DATA_FILES = (TASKS_FILE, UNITS_FILE)
DATA_ENV = "GONGKAI_DATA"
DATA_SUBFOLDER = "data"
# A table's progress records: one file per unit in this folder beside its tasks.yaml.
PROGRESS_FOLDER = "progress"
# Separates the table id from the task and unit in a 台账 row's key: a table id may not contain it.
TABLE_KEY_SEPARATOR = "|"

Origin = Literal["option", "env", "discovered", "bundled"]

_FOLDER_RULE = f"数据目录须含 {UNITS_FILE}，以及 {TASKS_FILE} 或含 {TASKS_FILE} 的子目录（如 2025/{TASKS_FILE}）"
_ORIGIN_NAMES: dict[Origin, str] = {"option": "--data", "env": f"环境变量 {DATA_ENV}"}


def bundled_data_dir() -> Path:
    """The data shipped with the package (the repository's data/ when run from a checkout)."""
    # Path(__file__) rather than importlib.resources: the package is always installed as plain files, and
    # importing importlib.resources costs every query a few milliseconds.
    packaged = Path(__file__).parent / "data"
    if (packaged / TASKS_FILE).is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def progress_folder(table_folder: Path) -> Path:
    """Where a table's progress records live."""
    return table_folder / PROGRESS_FOLDER


class WorkspaceError(GongkaiError):
    """The data folder or table asked for does not exist or is not usable: a usage error."""


class DataLocation(NamedTuple):
    """The data folder an invocation uses and how it was chosen."""

    folder: Path
    origin: Origin

    @property
    def is_bundled(self) -> bool:
        """True when no data folder was named or found and the package's own copy is used."""
        return self.origin == "bundled"


class Table(NamedTuple):
    """One task-division table of a data folder."""

    id: str | None
    """The subfolder name; the root table's plan year beside subfolders; None in a one-table folder."""
    folder: Path
    """The directory holding the table's tasks.yaml."""
    files: tuple[Path, ...]
    """Every file the table is read from: the folder's units.yaml, the table's tasks.yaml, its own units.yaml."""
    at_root: bool = False
    """Whether the table's tasks.yaml sits in the data folder itself."""

    @property
    def key(self) -> str | None:
        """The id that keys the table's 台账 workbooks and calendars: None (its title) for the root table, so that
        workbooks handed out before a second table arrived keep matching."""
        return None if self.at_root else self.id


def _mode(path: Path | str) -> int | None:
    """The st_mode of `path` (symlinks followed), or None when it cannot be examined for any reason."""
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return None


def _is_file(path: Path | str) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode)


def _subfolders(folder: Path) -> list[tuple[str, str | None]]:
    """The visible subfolders of `folder` (unsorted), each with why it is not a table subfolder (None if it is)."""
    found: list[tuple[str, str | None]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.name.startswith(".") or not entry.is_dir():
                        continue
                    linked = entry.is_symlink()
                except OSError:
                    continue
                if linked:
                    found.append((entry.name, "是符号链接"))
                elif _holds_table(folder, entry.name):
                    found.append((entry.name, None))
                else:
                    found.append((entry.name, f"没有 {TASKS_FILE}"))
    except (OSError, ValueError):
        return []
    return found


def _subfolder_names(folder: Path) -> list[str]:
    """The names of the visible real (not symlinked) directories in `folder`, unsorted.

    No stat calls: the directory listing says which entries are directories, so that a folder of a thousand
    tables is cheap to list; whether each holds a table is asked only of the names that matter (`_holds_table`).
    """
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                        names.append(entry.name)
                except OSError:
                    continue
    except (OSError, ValueError):
        return []
    return names


def _holds_table(folder: Path, name: str) -> bool:
    """Whether subfolder `name` of `folder` (one of `_subfolder_names`) is a table subfolder: it holds tasks.yaml."""
    return _is_file(os.path.join(folder, name, TASKS_FILE))


_YEAR_NAME = re.compile(r"[0-9]{4}")


def _holds_tables(folder: Path) -> bool:
    if _is_file(folder / UNITS_FILE):
        return _is_file(folder / TASKS_FILE) or any(_holds_table(folder, name) for name in _subfolder_names(folder))
    # Two year subfolders that hold a whole table (tasks.yaml and their own units.yaml) are enough.
    complete = (
        name
        for name in _subfolder_names(folder)
        if _YEAR_NAME.match(name) and _holds_table(folder, name) and _is_file(os.path.join(folder, name, UNITS_FILE))
    )
    return next(complete, None) is not None and next(complete, None) is not None


def holding_folder(folder: Path) -> Path | None:
    """The larger data folder `folder` is a table of (its parent holds the roster it needs), or None."""
    try:
        absolute = Path(os.path.abspath(folder))
    except (OSError, ValueError):
        return None
    parent = absolute.parent
    if parent == absolute or absolute.name.startswith(".") or os.path.islink(absolute):
        return None
    if _is_file(absolute / TASKS_FILE) and _is_file(parent / UNITS_FILE):
        return folder.parent if folder.name else parent
    return None


def is_data_folder(folder: Path) -> bool:
    """True when `folder` is a data folder by the module's rules (and not a table of a larger one)."""
    return _holds_tables(folder) and holding_folder(folder) is None


_PLAN_YEAR = re.compile(rb"(?:^|[\s{,])year:\s*[\"']?([0-9]{4})[\"']?\s*(?:[,}#]|$)")
# The document block opens tasks.yaml; a root table whose plan year is not within this much has no id.
DOCUMENT_BYTES = 65536


def document_year(text: bytes) -> str | None:
    """The plan year of the `document:` block at the start of a tasks.yaml's text, as written, or None.

    A light read, not a validation: `check` validates the year with the rest of the table.
    """
    inside = False
    for line in text.removeprefix(b"\xef\xbb\xbf").splitlines():
        if not inside:
            if line.startswith(b"document:"):
                inside = True
                line = line[len(b"document:") :]
            else:
                continue
        elif line[:1] not in (b" ", b"\t", b"#", b""):
            return None  # the next top-level key: the block has ended
        found = None if line.lstrip().startswith(b"#") else _PLAN_YEAR.search(line)
        if found:
            return found.group(1).decode()
    return None


def root_year_of(tasks_file: Path) -> str | None:
    """The plan year written at the start of a root table's tasks.yaml (see `document_year`), or None."""
    try:
        with open(tasks_file, "rb") as handle:
            return document_year(handle.read(DOCUMENT_BYTES))
    except (OSError, ValueError):
        return None


def arrange(
    folder: Path, *, root: set[str], subfolders: Mapping[str, set[str]], root_year: Callable[[], str | None]
) -> list[Table]:
    """The tables of a data folder laid out as given: `root` names the data files in the folder itself,
    `subfolders` those in each table subfolder, `root_year` reads the root table's plan year when it is needed.
    """
    found = [
        _subfolder_table(folder, name, UNITS_FILE in root, UNITS_FILE in present)
        for name, present in subfolders.items()
    ]
    if TASKS_FILE in root:
        found.append(_root_table(folder, root_year() if found else None))
    return sorted(found, key=_table_key)


def _subfolder_table(folder: Path, name: str, shared_roster: bool, own_roster: bool) -> Table:
    """The table in subfolder `name`: read with the folder's roster and its own additions, else with its own roster."""
    sub = folder / name
    own = (sub / UNITS_FILE,) if own_roster else ()
    files = (folder / UNITS_FILE, sub / TASKS_FILE, *own) if shared_roster else (sub / UNITS_FILE, sub / TASKS_FILE)
    return Table(name, sub, files)


def _root_table(folder: Path, table_id: str | None) -> Table:
    return Table(table_id, folder, (folder / UNITS_FILE, folder / TASKS_FILE), True)


def _root_files(folder: Path) -> set[str]:
    """The data files in the data folder itself."""
    return {name for name in DATA_FILES if _is_file(folder / name)}


def _refuse_separator(folder: Path, name: str) -> None:
    """WorkspaceError when table subfolder `name` cannot be a table id."""
    if TABLE_KEY_SEPARATOR in name:
        raise WorkspaceError(
            f"表目录“{display_path(folder / name)}”的名称含有“{TABLE_KEY_SEPARATOR}”，不能用作表的标识"
            f"（台账每行的键以“{TABLE_KEY_SEPARATOR}”分隔表、任务和单位）；请给目录改名"
        )


def tables(folder: Path) -> list[Table]:
    """The tables of a data folder: the root table (if any) and one per table subfolder, ordered by id.

    Empty when the folder holds no tasks.yaml at all.
    """
    return survey(folder).tables


class Survey(NamedTuple):
    """What a data folder holds (see `survey`)."""

    tables: list[Table]
    """As `tables` gives them."""
    ignored: list[tuple[str, str]]
    """The visible subfolders that hold no table, each with why, sorted by name."""


def survey(folder: Path) -> Survey:
    """The tables of a data folder and the visible subfolders that hold none, from one listing of the folder.

    The root table's progress folder belongs to it and is not among the ignored.
    """
    found = _subfolders(folder)
    subfolders = {
        name: {n for n in DATA_FILES if n == TASKS_FILE or _is_file(os.path.join(folder, name, n))}
        for name, why in found
        if why is None
    }
    for name in subfolders:
        _refuse_separator(folder, name)
    root = _root_files(folder)
    ignored = sorted(
        (name, why) for name, why in found if why is not None and not (TASKS_FILE in root and name == PROGRESS_FOLDER)
    )
    own_year = functools.partial(root_year_of, folder / TASKS_FILE)
    return Survey(arrange(folder, root=root, subfolders=subfolders, root_year=own_year), ignored)


def pick_table(
    folder: Path,
    *,
    table_id: str | None = None,
    year: int | None = None,
    today_year: Callable[[], int],
) -> Table | None:
    """`choose_table(tables(folder), …)`, or None when the folder holds no table, looking only at the subfolders
    whose names can be the answer, so that a query in one of a province's thousand tables examines that one.

    The table ids a choice can match all begin with the id or year asked for (today's year by default, else the
    latest table, found by walking the names from the last); a choice that fails is made again over every table,
    so that its message lists them. `today_year` is called only when the default has several tables to choose from.
    """
    names = _subfolder_names(folder)
    for name in names:
        if TABLE_KEY_SEPARATOR in name and _holds_table(folder, name):
            _refuse_separator(folder, name)
    root = _root_files(folder)
    shared = UNITS_FILE in root

    def subfolder_table(name: str) -> Table:
        return _subfolder_table(folder, name, shared, shared and _is_file(os.path.join(folder, name, UNITS_FILE)))

    if (table_id is not None and year is not None) or not any(_holds_table(folder, name) for name in names):
        available = tables(folder)  # at most the root table (or a choice choose_table refuses)
        if not available or (table_id is None and year is None):
            return available[0] if available else None
        own_year = functools.partial(root_year_of, folder / TASKS_FILE)
        return choose_table(available, table_id=table_id, year=year, today_year=0, root_year=own_year)
    roots = [_root_table(folder, root_year_of(folder / TASKS_FILE))] if TASKS_FILE in root else []
    if table_id is not None:
        found = [subfolder_table(table_id)] if table_id in names and _holds_table(folder, table_id) else []
        wanted_year = 0  # not used: the id decides
    else:
        wanted_year = year if year is not None else today_year()
        prefix = str(wanted_year)
        found = [subfolder_table(name) for name in names if name.startswith(prefix) and _holds_table(folder, name)]
        if year is None and not _by_year([t for t in roots + found if t.id is not None], wanted_year):
            # Nothing of this year: the latest table, which is the root table or the last subfolder holding one.
            last = next(name for name in sorted(names, key=natural_key, reverse=True) if _holds_table(folder, name))
            found = [subfolder_table(last)]
    try:
        return choose_table(roots + found, table_id=table_id, year=year, today_year=wanted_year)
    except WorkspaceError:
        return choose_table(tables(folder), table_id=table_id, year=year, today_year=wanted_year)


def _checked(path: Path, origin: Origin) -> DataLocation:
    """`path` as the data folder when it is one; otherwise a WorkspaceError saying what is wrong."""
    where = f"{_ORIGIN_NAMES[origin]} 指定的"
    shown = display_path(path)
    try:
        mode: int | None = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except ValueError:
        raise WorkspaceError(f"{where}路径无效：{shown}。{_FOLDER_RULE}") from None
    except OSError as e:
        raise WorkspaceError(f"{where}目录无法访问（{os_reason(e)}）：{shown}。{_FOLDER_RULE}") from None
    if mode is None:
        raise WorkspaceError(f"{where}目录不存在：{shown}。{_FOLDER_RULE}")
    if not stat.S_ISDIR(mode):
        raise WorkspaceError(f"{where}路径不是目录：{shown}。{_FOLDER_RULE}")
    if not is_data_folder(path):
        hint = ""
        if is_data_folder(path / DATA_SUBFOLDER):
            hint = f"（是否指 {display_path(path / DATA_SUBFOLDER)}？）"
        elif _is_file(path / TASKS_FILE) and is_data_folder(path.parent):
            hint = f"（这是一张表的目录，数据目录是 {display_path(path.parent)}）"
        raise WorkspaceError(f"{where}目录不是数据目录：{shown}。{_FOLDER_RULE}{hint}")
    return DataLocation(path, origin)


def _home(environ: Mapping[str, str]) -> Path | None:
    home = environ.get("HOME") or environ.get("USERPROFILE")
    return Path(os.path.abspath(home)) if home else None


def discover(start: Path, *, home: Path | None = None) -> Path | None:
    """The data folder found from `start` upward (see the module's rules), or None."""
    try:
        level = Path(os.path.abspath(start))
    except (OSError, ValueError):
        return None
    stop = home.parent if home is not None else None
    first = True
    while True:
        is_root = level.parent == level
        if not first and (is_root or level == stop):
            return None
        for candidate in (level, level / DATA_SUBFOLDER):
            if is_data_folder(candidate):
                return candidate
        if is_root:
            return None
        level = level.parent
        first = False


def locate_data(
    option: Path | None, *, environ: Mapping[str, str] = os.environ, cwd: Path | None = None
) -> DataLocation:
    """The data folder to use: --data, then GONGKAI_DATA, then one found from `cwd` upward, then the bundled copy.

    `cwd` defaults to the process's working directory. Raises WorkspaceError when --data or GONGKAI_DATA names
    something that is not a data folder.
    """
    if option is not None:
        return _checked(option, "option")
    from_env = environ.get(DATA_ENV)
    if from_env:
        return _checked(Path(from_env), "env")
    start = cwd
    if start is None:
        try:
            start = Path(os.getcwd())
        except OSError:  # the working directory was deleted
            start = None
    if start is not None:
        found = discover(start, home=_home(environ))
        if found is not None:
            return DataLocation(found, "discovered")
    return DataLocation(bundled_data_dir(), "bundled")


def natural_key(name: str) -> tuple[tuple[tuple[int, int, str], ...], str]:
    """A sort key that orders digit runs by value: "2024" < "2025" < "2025b" < "2025c" < "10000"."""
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.split(r"(\d+)", name) if part
    )
    return parts, name


def _table_key(table: Table) -> tuple[bool, tuple[tuple[tuple[int, int, str], ...], str]]:
    return (table.id is not None, natural_key(table.id or ""))


def _listing(available: Sequence[Table]) -> str:
    ids = [t.id for t in sorted(available, key=_table_key) if t.id is not None]
    return "、".join(display_path(i) for i in ids)


def _by_year(available: Sequence[Table], year: int) -> list[Table]:
    """The tables whose id is `year`, or else those whose id starts with it followed by a non-digit."""
    text = str(year)
    exact = [t for t in available if t.id == text]
    if exact:
        return exact
    return [
        t
        for t in available
        if t.id is not None and t.id.startswith(text) and len(t.id) > len(text) and not t.id[len(text)].isdigit()
    ]


def choose_table(
    available: Sequence[Table],
    *,
    table_id: str | None = None,
    year: int | None = None,
    today_year: int,
    root_year: Callable[[], str | None] | None = None,
) -> Table:
    """The table a query uses: by --table id, by --year, else today's year's table, else the latest.

    A one-table folder's table answers to its plan year (`root_year` reads it), so that a choice made for the
    folder of several tables it grows into holds before the second table arrives. Raises WorkspaceError when
    nothing matches (the message lists the tables there are), when --year matches several tables, when both
    --table and --year are given, or when a one-table folder is asked for another table.
    """
    if not available:
        raise WorkspaceError(f"数据目录中没有任何表。{_FOLDER_RULE}")
    if table_id is not None and year is not None:
        raise WorkspaceError("--table 和 --year 只能写其一。")
    numbered = [t for t in available if t.id is not None]
    if (table_id is not None or year is not None) and not numbered:
        own_year = root_year() if root_year is not None and available[0].at_root else None
        if own_year is not None and own_year in (table_id, str(year)):
            return available[0]
        asked = "--table" if table_id is not None else "--year"
        raise WorkspaceError(f"此数据目录只有一张表（{TASKS_FILE} 直接放在数据目录中），无需选择，请去掉 {asked}。")
    if table_id is not None:
        named = [t for t in numbered if t.id == table_id]
        if named:
            return _only(named)
        raise WorkspaceError(f"没有“{display_path(table_id)}”这张表，--table 可写：{_listing(numbered)}。")
    if year is not None:
        matches = _by_year(numbered, year)
        if len({t.id for t in matches}) == 1:
            return _only(matches)
        if matches:
            raise WorkspaceError(f"{year} 年有多张表：{_listing(matches)}，请用 --table 指定其一。")
        raise WorkspaceError(f"没有 {year} 年的表，可用的表：{_listing(numbered)}。")
    current = _by_year(numbered, today_year)
    latest = max(current or available, key=_table_key)
    return _only([t for t in available if t.id == latest.id])


def _only(same_id: Sequence[Table]) -> Table:
    """The one table of an id; WorkspaceError when the root table and a subfolder both have it."""
    if len(same_id) == 1:
        return same_id[0]
    raise WorkspaceError(same_id_message(same_id))


def same_id_message(same_id: Sequence[Table]) -> str:
    """Why tables that share an id (the root table's plan year and a subfolder's name) cannot be told apart."""
    places = "、".join(display_path(t.files[1]) for t in same_id)
    return f"表“{display_path(same_id[0].id or '')}”有 {len(same_id)} 张：{places}；请把子目录改名或移走其中一张"


def tables_sharing_ids(available: Sequence[Table]) -> list[list[Table]]:
    """The groups of tables that share an id (at most the root table and one subfolder each)."""
    by_id: dict[str, list[Table]] = {}
    for table in available:
        if table.id is not None:
            by_id.setdefault(table.id, []).append(table)
    return [group for group in by_id.values() if len(group) > 1]


def data_files(location: DataLocation) -> tuple[Path, ...]:
    """Every file a query on this data folder may read, each once: the roster first, then table by table."""
    files: list[Path] = []
    for table in tables(location.folder):
        for path in table.files:
            if path not in files:
                files.append(path)
    if not files:  # no tasks.yaml anywhere: name the files of today's layout so that they are reported missing
        files = [location.folder / UNITS_FILE, location.folder / TASKS_FILE]
    return tuple(files)


__all__ = [
    "DATA_ENV",
    "DATA_FILES",
    "DOCUMENT_BYTES",
    "PROGRESS_FOLDER",
    "TABLE_KEY_SEPARATOR",
    "TASKS_FILE",
    "UNITS_FILE",
    "DataLocation",
    "Survey",
    "Table",
    "WorkspaceError",
    "arrange",
    "bundled_data_dir",
    "choose_table",
    "data_files",
    "discover",
    "display_path",
    "document_year",
    "holding_folder",
    "is_data_folder",
    "locate_data",
    "natural_key",
    "pick_table",
    "progress_folder",
    "root_year_of",
    "same_id_message",
    "survey",
    "tables",
    "tables_sharing_ids",
]
