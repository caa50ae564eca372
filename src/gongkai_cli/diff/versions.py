"""Loading a version of a table to compare: a folder, a table id or year of a data folder, or a git revision."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..errors import DataError, GongkaiError
from ..models import Division


class VersionNotFoundError(GongkaiError):
    """A version argument names no folder, table or git revision; str(e) lists what was tried."""


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


def _not_in_git(where: Path, done: subprocess.CompletedProcess[bytes] | None) -> str:
    """Why `where` has no repository to read: none, no git, or one that git refuses as another user's."""
    said = done.stderr.decode("utf-8", "replace") if done is not None else ""
    if "dubious ownership" in said:
        advice = [line.strip() for line in said.splitlines() if "safe.directory" in line]
        command = advice[0] if advice else f"git config --global --add safe.directory {where}"
        return f"{where} 所在的 git 仓库属于另一个用户，git 为安全起见不读取它；如信任这个仓库，请运行：{command}"
    return f"{where} 不在 git 仓库中（或找不到 git）"


def _from_revision(revision: str, data_dir: Path, cwd: Path) -> Division | str:
    """The table of `data_dir` as committed at `revision`, or why it cannot be read."""
    from ..io.read import limit_bytes
    from ..load import errors_in, inspect_data
    from ..workspace import TASKS_FILE, UNITS_FILE

    if not revision or revision.startswith("-"):
        return "不是有效的修订版本名"
    where = data_dir if data_dir.is_dir() else cwd
    found = _git(["rev-parse", "--show-toplevel"], where)
    if found is None or found.returncode != 0:
        return _not_in_git(where, found)
    top = found.stdout.decode("utf-8", "surrogateescape").strip()
    try:
        relative = data_dir.resolve().relative_to(Path(top).resolve())
    except (OSError, ValueError):
        return f"数据目录 {data_dir} 不在仓库 {top} 中"
    if _git_text(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], where) is None:
        return "仓库中没有这个修订版本"
    prefix = "" if relative == Path() else relative.as_posix() + "/"
    limit = limit_bytes()
    files: list[Path] = []
    contents: dict[Path, bytes] = {}
    for name in (UNITS_FILE, TASKS_FILE):
        spec = f"{revision}:{prefix}{name}"
        shown = Path(spec)
        files.append(shown)
        size = _git_text(["cat-file", "-s", spec], where)
        if size is None or not size.isdigit():
            return f"该版本中没有 {prefix}{name}"
        if int(size) > limit:
            return f"{spec} 过大（{int(size)} 字节，上限 {limit} 字节）"
        done = _git(["cat-file", "blob", spec], where)
        if done is None or done.returncode != 0:
            return f"无法读取 {spec}"
        if len(done.stdout) > limit:
            return f"{spec} 过大（上限 {limit} 字节）"
        contents[shown] = done.stdout
    division, problems = inspect_data(files, contents)
    if division is None:
        raise DataError(errors_in(problems))
    return division


def _from_folder(folder: Path) -> Division | str:
    from ..load import load_data
    from ..workspace import TASKS_FILE, is_data_folder

    if is_data_folder(folder):
        return load_data(folder)
    if (folder / TASKS_FILE).is_file() and is_data_folder(folder.parent):
        return load_data(folder.parent, table=folder.name)
    return f"{folder} 不是数据目录或表目录"


def _from_table(spec: str, data_dir: Path) -> Division | str:
    from ..load import load_data
    from ..workspace import WorkspaceError, tables

    available = tables(data_dir)
    if any(t.id == spec for t in available):
        return load_data(data_dir, table=spec)
    if spec.isascii() and spec.isdigit() and len(spec) == 4:
        try:
            return load_data(data_dir, year=int(spec))
        except WorkspaceError as e:
            return str(e)
    ids = "、".join(t.id for t in available if t.id is not None)
    return f"数据目录 {data_dir} 中没有表“{spec}”" + (f"（可用的表：{ids}）" if ids else "")


def load_version(spec: str, *, data_dir: Path, cwd: Path) -> Division:
    """The table a version argument names: a folder, a table id or year of `data_dir`, or a git revision.

    A trailing colon (HEAD~1:) makes it a revision only. A revision is read from git's object store (nothing is
    checked out) at the data folder's place in the repository. VersionNotFoundError lists what was tried;
    DataError when the version is found but invalid.
    """
    tried: list[str] = []
    revision = spec[:-1] if spec.endswith(":") else None
    if revision is None and spec:
        try:
            folder = Path(spec).expanduser()
        except RuntimeError:  # ~name of no such user: a name like any other, as the shell leaves it
            folder = Path(spec)
        folder = folder if folder.is_absolute() else cwd / folder
        if folder.is_dir():
            found = _from_folder(folder)
            if isinstance(found, Division):
                return found
            tried.append(found)
        else:
            tried.append(f"没有目录 {folder}")
        found = _from_table(spec, data_dir)
        if isinstance(found, Division):
            return found
        tried.append(found)
    found = _from_revision(spec if revision is None else revision, data_dir, cwd)
    if isinstance(found, Division):
        return found
    tried.append(f"作为 git 修订版本：{found}")
    raise VersionNotFoundError(f"找不到版本“{spec}”：" + "；".join(tried))
