"""Which data folder an invocation uses, and which tables it holds: found the way git finds a repository.

Layout of a data folder (DIR)::

    DIR/units.yaml                 the roster; with tasks.yaml it marks a data folder
    DIR/tasks.yaml                 a one-table folder (today's layout)
    DIR/2025/tasks.yaml            a folder of several tables: table id = the subfolder name
    DIR/2025/units.yaml            that table's roster additions (optional)
    DIR/2025/progress/<单位>.yaml  its progress records (later)

A *data folder* is a directory holding ``units.yaml`` and either ``tasks.yaml`` or at least one table
subfolder: a visible, real (not symlinked) directory holding ``tasks.yaml``. When ``DIR/tasks.yaml`` exists the
folder is a one-table folder and its subfolders are not tables.

Which folder is used, first match wins:

1. the ``--data`` option;
2. the ``GONGKAI_DATA`` environment variable (an empty value counts as unset);
3. a data folder found from the working directory upward: at each level D, D itself and then D/data are
   tried, and the search stops at the first data folder. A table subfolder (``DIR/2025``) or anything below
   it is never a data folder by itself, so from inside ``DIR/2025/progress`` the search finds DIR and, having
   found it, climbs no further. The working directory itself is always tried; above it the search does not
   reach the filesystem root, nor the parent of the user's home directory (so a query run anywhere under
   the home directory looks no higher than the home directory itself). A directory that cannot be read is
   passed over silently. When the working directory cannot be determined (it was deleted), there is no
   search;
4. the copy bundled with the package.

A path given explicitly (1 or 2) must be a data folder: otherwise `WorkspaceError`, a usage error.

This module is on every query's start-up path: it imports only small standard modules and costs a few stat
calls per directory level.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Mapping, Sequence
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

Origin = Literal["option", "env", "discovered", "bundled"]

_FOLDER_RULE = f"数据目录须含 {UNITS_FILE}，以及 {TASKS_FILE} 或含 {TASKS_FILE} 的子目录（如 2025/{TASKS_FILE}）"
_ORIGIN_NAMES: dict[Origin, str] = {"option": "参数 --data", "env": f"环境变量 {DATA_ENV}"}


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
    """The subfolder name, or None in a one-table folder."""
    folder: Path
    """The directory holding the table's tasks.yaml."""
    files: tuple[Path, ...]
    """Every file the table is read from: the folder's units.yaml, the table's tasks.yaml, its own units.yaml."""


def _mode(path: Path) -> int | None:
    """The st_mode of `path` (symlinks followed), or None when it cannot be examined for any reason."""
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return None


def _is_file(path: Path) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode)


def _subfolder_names(folder: Path) -> list[str]:
    """The names of the visible real (not symlinked) directories in `folder`, unsorted: no stat calls (the
    directory listing says which entries are directories), so that a folder of a thousand tables is cheap to list."""
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


def _table(folder: Path, name: str) -> Table | None:
    """The table in subfolder `name` of a several-table folder, or None when it holds no tasks.yaml."""
    sub = folder / name
    tasks = sub / TASKS_FILE
    if not _is_file(tasks):
        return None
    files: tuple[Path, ...] = (folder / UNITS_FILE, tasks)
    if _is_file(sub / UNITS_FILE):
        files += (sub / UNITS_FILE,)
    return Table(name, sub, files)


def is_data_folder(folder: Path) -> bool:
    """True when `folder` holds units.yaml and tasks.yaml, or units.yaml and a table subfolder."""
    if not _is_file(folder / UNITS_FILE):
        return False
    return _is_file(folder / TASKS_FILE) or any(
        _is_file(folder / name / TASKS_FILE) for name in _subfolder_names(folder)
    )


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


def tables(folder: Path) -> list[Table]:
    """The tables of a data folder: one with id None in a one-table folder, else one per subfolder by id.

    Empty when the folder holds no tasks.yaml at all.
    """
    if _is_file(folder / TASKS_FILE):
        return [Table(None, folder, (folder / UNITS_FILE, folder / TASKS_FILE))]
    found = [table for table in (_table(folder, name) for name in _subfolder_names(folder)) if table is not None]
    return sorted(found, key=_table_key)


def holds_one_table(folder: Path) -> bool:
    """Whether `folder` is a one-table folder (its tasks.yaml directly inside)."""
    return _is_file(folder / TASKS_FILE)


def pick_table(folder: Path, *, table_id: str | None = None, year: int | None = None, today_year: int) -> Table | None:
    """`choose_table(tables(folder), …)`, or None when the folder holds no table at all; it looks only at the
    subfolders whose names can be the answer, so that a query in one table of a province's thousand examines
    that one. When nothing fits, every table is listed for choose_table's message."""
    if holds_one_table(folder) or (table_id is not None and year is not None):
        available = tables(folder)
        return choose_table(available, table_id=table_id, year=year, today_year=today_year) if available else None
    names = _subfolder_names(folder)
    wanted = str(year if year is not None else today_year)
    candidates = (
        [n for n in names if n == table_id] if table_id is not None else [n for n in names if n.startswith(wanted)]
    )
    found = [table for table in (_table(folder, name) for name in candidates) if table is not None]
    if table_id is None and year is None:
        current = _by_year(found, today_year)
        if current:
            return max(current, key=_table_key)
        # Not this year's: the latest table there is.
        for name in sorted(names, key=natural_key, reverse=True):
            table = _table(folder, name)
            if table is not None:
                return table
    elif found:
        with contextlib.suppress(WorkspaceError):
            return choose_table(found, table_id=table_id, year=year, today_year=today_year)
    available = tables(folder)
    return choose_table(available, table_id=table_id, year=year, today_year=today_year) if available else None


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
    available: Sequence[Table], *, table_id: str | None = None, year: int | None = None, today_year: int
) -> Table:
    """The table a query uses: by --table id, by --year, else today's year's table, else the latest.

    Raises WorkspaceError when nothing matches (the message lists the tables there are), when --year matches
    several tables, when both --table and --year are given, or when a one-table folder is asked for a table.
    """
    if not available:
        raise WorkspaceError(f"数据目录中没有任何表。{_FOLDER_RULE}")
    if table_id is not None and year is not None:
        raise WorkspaceError("参数 --table 和 --year 只能使用其一")
    numbered = [t for t in available if t.id is not None]
    if (table_id is not None or year is not None) and not numbered:
        asked = "--table" if table_id is not None else "--year"
        raise WorkspaceError(f"参数 {asked}：此数据目录只有一张表（{TASKS_FILE} 直接放在数据目录中），无需也无法选择")
    if table_id is not None:
        for table in numbered:
            if table.id == table_id:
                return table
        raise WorkspaceError(f"参数 --table 指定的表“{display_path(table_id)}”不存在；可用的表：{_listing(numbered)}")
    if year is not None:
        matches = _by_year(numbered, year)
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise WorkspaceError(f"参数 --year {year} 对应多张表：{_listing(matches)}；请用 --table 指定其一")
        raise WorkspaceError(f"参数 --year 指定的年份 {year} 没有对应的表；可用的表：{_listing(numbered)}")
    current = _by_year(numbered, today_year)
    return max(current or available, key=_table_key)


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
    "PROGRESS_FOLDER",
    "TASKS_FILE",
    "UNITS_FILE",
    "DataLocation",
    "Table",
    "WorkspaceError",
    "bundled_data_dir",
    "choose_table",
    "data_files",
    "discover",
    "display_path",
    "holds_one_table",
    "is_data_folder",
    "locate_data",
    "natural_key",
    "pick_table",
    "progress_folder",
    "tables",
]
