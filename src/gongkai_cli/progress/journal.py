"""Writing several progress files as one: all of them or, whatever happens, none of them for good.

Each file is replaced atomically on its own, so a set of files needs a journal. Before the first file is
touched, the new content of every file and a manifest (file name, digest of the content it replaces, digest of
the new content) are written into a folder `.gongkai-journal-<hex>` beside them; the folder appears at once and
whole (io.write.write_folder), and from that moment the change is decided. The files are then replaced one by
one, and the journal removed; a failure the process sees on the way puts the old contents back. A crash in
between leaves the journal; the next writer of the folder, and `check`,
finish it (finish_interrupted) under the same per-file locks `report` takes. A crash before the journal appears
leaves the files as they were (and a stale temporary folder, swept later).

Every file of the journal is either as it was (its old digest) or done (its new one) unless someone edited it
without taking the lock: then the journal is kept, and the file named, rather than overwrite that edit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from .. import problems
from ..errors import Problem
from ..tuples import NamedTuple

JOURNAL_PREFIX = ".gongkai-journal-"
MANIFEST = "manifest.json"


class Change(NamedTuple):
    """One file of a batch: what it held when read (None when missing) and what it is to hold."""

    path: Path
    old: bytes | None
    new: bytes


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _current(path: Path) -> bytes | None:
    """The bytes at `path`, None when nothing is there; OSError for a link or anything not a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        from ..io.write import WriteRefusedError

        raise WriteRefusedError(f"{path.name} 不是普通文件")
    return path.read_bytes()


def _discard(journal: Path) -> None:
    """Remove a journal: renamed to a temporary name first, so that it is gone at once even if removal stops."""
    import shutil

    from ..io.write import temporary_path

    doomed = temporary_path(journal.parent)
    os.rename(journal, doomed)
    shutil.rmtree(doomed, ignore_errors=True)


def apply_changes(folder: Path, changes: Sequence[Change]) -> None:
    """Write every change, all or none (see above). The caller holds the lock of every file and has checked that
    each still holds `old`."""
    from ..io.write import write_file, write_folder

    if len(changes) == 1:
        write_file(changes[0].path, changes[0].new)  # one file is replaced atomically without a journal
        return
    entries = [
        {"name": change.path.name, "old": _digest(change.old), "new": _digest(change.new), "data": str(i)}
        for i, change in enumerate(changes)
    ]
    files = {str(i): change.new for i, change in enumerate(changes)}
    files[MANIFEST] = json.dumps(entries, ensure_ascii=False).encode("utf-8")
    journal = folder / f"{JOURNAL_PREFIX}{os.urandom(8).hex()}"
    write_folder(journal, files)
    done: list[Change] = []
    try:
        for change in changes:
            write_file(change.path, change.new)
            done.append(change)
    except BaseException:
        _roll_back(journal, done)
        raise
    _discard(journal)


def _roll_back(journal: Path, done: Sequence[Change]) -> None:
    """After a failure the process saw, put back what the files held; if even that fails, the journal stays for
    the next writer to finish."""
    from ..io.write import write_file

    try:
        for change in reversed(done):
            if change.old is None:
                change.path.unlink()
            else:
                write_file(change.path, change.old)
        _discard(journal)
    except OSError:
        pass


def _entries(journal: Path) -> list[dict[str, str | None]] | None:
    """The manifest's entries, checked for shape and safe names; None when it cannot be trusted."""
    try:
        entries = json.loads((journal / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"name", "old", "new", "data"}:
            return None
        name, data = entry["name"], entry["data"]
        if not (isinstance(name, str) and name.endswith(".yaml") and not name.startswith(".")):
            return None
        if not (isinstance(data, str) and data.isdigit()) or any(sep in name for sep in ("/", "\\", "\0")):
            return None
    return entries


def finish_interrupted(folder: Path) -> list[Problem]:
    """Complete every journal an interrupted batch left in `folder`; a problem for each that cannot be completed."""
    from ..io.write import locked, write_file

    try:
        journals = sorted(p for p in folder.iterdir() if p.name.startswith(JOURNAL_PREFIX) and p.is_dir())
    except OSError:
        return []
    problems: list[Problem] = []
    for journal in journals:
        entries = _entries(journal)
        if entries is None:
            problems.append(_problem(journal, "未完成的批量写入记录已损坏，无法完成；请核对各单位的进展文件后删除它"))
            continue
        paths = sorted(folder / str(entry["name"]) for entry in entries)
        with contextlib.ExitStack() as stack:
            for path in paths:
                stack.enter_context(locked(path))
            if not journal.exists():
                continue  # the batch that wrote it was still running, and has finished it
            try:
                edited = []
                for entry in entries:
                    path = folder / str(entry["name"])
                    now = _digest(_current(path))
                    if now == entry["new"]:
                        continue
                    data = (journal / str(entry["data"])).read_bytes()
                    if now != entry["old"] or _digest(data) != entry["new"]:
                        edited.append(path.name)
                        continue
                    write_file(path, data)
                if edited:
                    problems.append(
                        _problem(
                            journal,
                            f"一次未完成的批量写入无法完成：{'、'.join(edited)} 已被改动；请核对后删除这个文件夹",
                        )
                    )
                    continue
                _discard(journal)
            except OSError as e:
                from ..errors import os_reason

                problems.append(_problem(journal, f"无法完成一次未完成的批量写入（{os_reason(e)}）"))
    return problems


def _problem(journal: Path, message: str) -> Problem:
    return Problem(journal, None, None, message, problems.PROGRESS_JOURNAL)


__all__ = ["JOURNAL_PREFIX", "Change", "apply_changes", "finish_interrupted"]
