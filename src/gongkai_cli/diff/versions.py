"""Loading a version of a table to compare: a folder, a table id or year of a data folder, or a git revision."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GongkaiError
from ..models import Division

if TYPE_CHECKING:
    from ..workspace import Table


class VersionNotFoundError(GongkaiError):
    """A version argument names no folder, table or git revision; str(e) says why."""


class _Absent(str):
    """Why a version is not found when nothing of one kind (folder, table, commit) bears its name: the reason
    every unknown name shares, which the message says once for all three kinds."""


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes] | None:
    # git's own messages in English, so that the ones with a meaning here can be recognised.
    env = {**os.environ, "LC_ALL": "C"}
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=20, check=False, env=env)
    except (OSError, subprocess.SubprocessError):
        return None


def _git_text(args: Sequence[str], cwd: Path) -> str | None:
    done = _git(args, cwd)
    if done is None or done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogateescape").strip()


def _blob(spec: str, where: Path, limit: int) -> bytes | str:
    """The content of the blob `spec` (rev:path), or why it cannot be read."""
    size = _git_text(["cat-file", "-s", spec], where)
    if size is None or not size.isdigit():
        return f"无法读取 {spec}"
    if int(size) > limit:
        return f"{spec} 过大（{int(size)} 字节，上限 {limit} 字节）"
    done = _git(["cat-file", "blob", spec], where)
    if done is None or done.returncode != 0:
        return f"无法读取 {spec}"
    if len(done.stdout) > limit:
        return f"{spec} 过大（上限 {limit} 字节）"
    return done.stdout


def _committed_tables(tree: str, where: Path) -> list[Table] | str:
    """The tables of the data folder committed as the tree `tree` (rev:path), laid out as on disk."""
    from ..workspace import DATA_FILES, TASKS_FILE, arrange

    done = _git(["ls-tree", "-r", "-z", "--full-tree", tree], where)
    if done is None or done.returncode != 0:
        return f"该版本中没有目录 {tree.split(':', 1)[1] or '（仓库根目录）'}"
    root: set[str] = set()
    subfolders: dict[str, set[str]] = {}
    for entry in done.stdout.split(b"\0"):
        info, _, name_bytes = entry.partition(b"\t")
        mode = info.split(b" ", 1)[0]
        if mode not in (b"100644", b"100755"):  # regular files only: no symlinks, no submodules
            continue
        name = name_bytes.decode("utf-8", "surrogateescape")
        parts = name.split("/")
        if len(parts) == 1 and name in DATA_FILES:
            root.add(name)
        elif len(parts) == 2 and parts[1] in DATA_FILES and not parts[0].startswith("."):
            subfolders.setdefault(parts[0], set()).add(parts[1])
    subfolders = {name: present for name, present in subfolders.items() if TASKS_FILE in present}

    return arrange(Path(tree), root=root, subfolders=subfolders, root_year=lambda: _root_year(tree, where))


def _root_year(tree: str, where: Path) -> str | None:
    """The plan year of the root table committed in `tree` (see workspace.document_year)."""
    from ..workspace import DOCUMENT_BYTES, TASKS_FILE, document_year

    head = _git(["cat-file", "blob", f"{tree}{TASKS_FILE}"], where)
    return document_year(head.stdout[:DOCUMENT_BYTES]) if head is not None and head.returncode == 0 else None


def _not_in_git(where: Path, done: subprocess.CompletedProcess[bytes] | None) -> str:
    """Why `where` has no repository to read: none, no git, or one that git refuses as another user's."""
    said = done.stderr.decode("utf-8", "replace") if done is not None else ""
    if "dubious ownership" in said:
        advice = [line.strip() for line in said.splitlines() if "safe.directory" in line]
        command = advice[0] if advice else f"git config --global --add safe.directory {where}"
        return f"{where} 所在的 git 仓库属于另一个用户，git 为安全起见不读取它；如信任这个仓库，请运行：{command}"
    return _Absent(f"{where} 不在 git 仓库中（或找不到 git）")


def _from_revision(revision: str, data_dir: Path, cwd: Path, table_id: str | None, year: int | None) -> Division | str:
    """The table of `data_dir` as committed at `revision` (the one `table_id` or `year` picks, as queries pick
    it), or why it cannot be read."""
    from ..io.read import limit_bytes
    from ..load import comparable_division
    from ..query import today_in_china
    from ..workspace import WorkspaceError, choose_table

    if not revision or revision.startswith("-"):
        return _Absent("不是有效的修订版本名")
    where = data_dir if data_dir.is_dir() else cwd
    toplevel = _git(["rev-parse", "--show-toplevel"], where)
    if toplevel is None or toplevel.returncode != 0:
        return _not_in_git(where, toplevel)
    top = toplevel.stdout.decode("utf-8", "surrogateescape").strip()
    try:
        relative = data_dir.resolve().relative_to(Path(top).resolve())
    except (OSError, ValueError):
        return f"数据目录 {data_dir} 不在仓库 {top} 中"
    if _git_text(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], where) is None:
        return _Absent("仓库中没有这个修订版本")
    prefix = "" if relative == Path() else relative.as_posix() + "/"
    found = _committed_tables(f"{revision}:{prefix}", where)
    if isinstance(found, str):
        return found
    if not found:
        return f"该版本中 {prefix or '仓库根目录'} 下没有任务表（tasks.yaml）"
    tree = f"{revision}:{prefix}"
    try:
        chosen = choose_table(
            found,
            table_id=table_id,
            year=year,
            today_year=today_in_china().year,
            root_year=lambda: _root_year(tree, where),
        )
    except WorkspaceError as e:
        return str(e)
    limit = limit_bytes()
    contents: dict[Path, bytes] = {}
    for shown in chosen.files:
        content = _blob(shown.as_posix(), where, limit)
        if isinstance(content, str):
            return content
        contents[shown] = content
    return comparable_division(chosen.files, contents)


def _from_folder(folder: Path, table_id: str | None, year: int | None) -> Division | str:
    from ..load import load_comparable
    from ..workspace import holding_folder, is_data_folder

    if is_data_folder(folder):
        return load_comparable(folder, table=table_id, year=year)
    larger = holding_folder(folder)
    if larger is not None:
        return load_comparable(larger, table=folder.name)
    return f"{folder} 不是数据目录或表目录"


def _from_table(spec: str, data_dir: Path) -> Division | str:
    from ..load import load_comparable
    from ..workspace import tables

    available = tables(data_dir)
    if any(t.id == spec for t in available):
        return load_comparable(data_dir, table=spec)
    if spec.isascii() and spec.isdigit() and len(spec) == 4:
        return load_comparable(data_dir, year=int(spec))
    ids = "、".join(t.id for t in available if t.id is not None)
    return _Absent(f"数据目录 {data_dir} 中没有表“{spec}”" + (f"（可用的表：{ids}）" if ids else ""))


def load_version(
    spec: str, *, data_dir: Path, cwd: Path, table_id: str | None = None, year: int | None = None
) -> Division:
    """The table a version argument names: a folder, a table id or year of `data_dir`, or a git revision.

    A data folder or a revision gives the table `table_id` or `year` picks (--table, --year), else the one
    queries use by default. A trailing colon (HEAD~1:) makes it a revision only. A revision is read from git's
    object store (nothing is checked out) at the data folder's place in the repository, in any layout. A table
    whose cells await a person (an unread time limit) is compared as written. VersionNotFoundError says why none was found; DataError when the version is found but invalid.
    """
    from ..workspace import WorkspaceError

    tried: list[str] = []
    revision = spec[:-1] if spec.endswith(":") else None
    if revision is None and spec:
        try:
            folder = Path(spec).expanduser()
        except RuntimeError:  # ~name of no such user: a name like any other, as the shell leaves it
            folder = Path(spec)
        folder = folder if folder.is_absolute() else cwd / folder
        try:
            if folder.is_dir():
                found = _from_folder(folder, table_id, year)
                if isinstance(found, Division):
                    return found
                tried.append(found)
            else:
                tried.append(_Absent(f"没有目录 {folder}"))
            found = _from_table(spec, data_dir)
        except WorkspaceError as e:
            found = str(e)
        if isinstance(found, Division):
            return found
        tried.append(found)
    found = _from_revision(spec if revision is None else revision, data_dir, cwd, table_id, year)
    if isinstance(found, Division):
        return found
    if revision is not None:
        raise VersionNotFoundError(f"找不到 git 提交“{revision}”：{found.rstrip('。')}。")
    tried.append(found)
    particular = [reason.rstrip("。") for reason in tried if not isinstance(reason, _Absent)]
    if particular:
        raise VersionNotFoundError(f"找不到“{spec}”：" + "；".join(particular) + "。")
    raise VersionNotFoundError(f"找不到“{spec}”：它不是目录、不是本数据目录中的表，也不是 git 提交（如 HEAD~1）。")
