"""The one writer: every file gongkai writes goes through `open_for_write` (or `write_file`, `write_folder`).

What happens depends on what stands at the path:

- Nothing, or a regular file: the content goes to a temporary file in the same folder (`.gongkai-<hex>.tmp`),
  is fsync'd, takes the old file's permissions (a new file gets 0666 less the umask, or the `mode` asked for)
  and replaces the path in one step; the folder is fsync'd too. A reader sees the old file or the whole new one.
- A symlink: an export is written through to the link's target, which then follows these same rules; a data
  file that is a link is refused (`WriteRefusedError`).
- A device, a named pipe or a socket: an export is written into it directly, as a shell redirection would, so
  `/dev/null` or a pipe work and a full device is reported; a data file is refused. A folder is refused.

Folders are created with the user's umask. A temporary file is removed on every exit the process sees (an
exception, Ctrl-C, SIGTERM or SIGHUP while writing); those a `kill -9` leaves are swept by the next write in the
same folder once they are older than `STALE_AFTER` seconds (only names of our own pattern).

`locked(path)` serialises the writers of one file with an advisory lock on a separate lock file beside it
(`.<stem>.lock`): fcntl.flock on POSIX, an O_EXCL lock file elsewhere. A lock taken on the file itself would be
lost when os.replace puts a new inode at the path; the lock file is removed by its holder, and a waiter checks,
once it holds the lock, that the file it locked is still the one at the path.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

TEMP_PREFIX = ".gongkai-"
TEMP_SUFFIX = ".tmp"
# A temporary file this long unchanged belongs to a process that died without cleaning up.
STALE_AFTER = 15 * 60


class WriteRefusedError(OSError):
    """The path holds something this kind of file is never written into; str(e) says what, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message)

    def __str__(self) -> str:
        return str(self.strerror)


def temporary_path(folder: Path) -> Path:
    """A fresh name of our own temporary pattern in `folder` (short, so that any file name's folder takes it)."""
    return folder / f"{TEMP_PREFIX}{os.urandom(8).hex()}{TEMP_SUFFIX}"


def _is_temporary(name: str) -> bool:
    token = name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)]
    return (
        name.startswith(TEMP_PREFIX)
        and name.endswith(TEMP_SUFFIX)
        and len(token) == 16
        and all(c in "0123456789abcdef" for c in token)
    )


def sweep(folder: Path) -> None:
    """Remove the temporary files and folders of our pattern in `folder` that are older than STALE_AFTER."""
    import time

    cutoff = time.time() - STALE_AFTER
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not _is_temporary(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if info.st_mtime >= cutoff:
                continue
            if stat.S_ISDIR(info.st_mode):
                import shutil

                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _signals_exit() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP (left at their default) exit through Python, so cleanup runs."""
    import signal
    import threading

    saved: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is signal.SIG_DFL:
                saved[number] = signal.signal(number, _exit_on_signal)
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename in it survives a crash (POSIX; elsewhere, and where unsupported, skipped)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _target(path: Path, export: bool) -> tuple[Path, os.stat_result | None]:
    """The path to write, and what stands there (None when nothing does), by the rules above."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path, None
    if stat.S_ISLNK(info.st_mode):
        if not export:
            raise WriteRefusedError(f"{path.name} 是符号链接；数据文件不经链接写入")
        try:
            resolved = Path(os.path.realpath(path, strict=True))
        except FileNotFoundError:
            resolved = Path(os.path.realpath(path))  # a dangling link: its target is created
        try:
            info = os.lstat(resolved)
        except FileNotFoundError:
            return resolved, None
        path = resolved
    if stat.S_ISDIR(info.st_mode):
        import errno

        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(info.st_mode) and not export:
        raise WriteRefusedError(f"{path.name} 不是普通文件（设备、管道或套接字）；数据文件只写入普通文件")
    return path, info


@contextlib.contextmanager
def open_for_write(
    path: Path, *, export: bool = False, mode: int | None = None, sync: bool = True
) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces `path` when the block ends without an exception (see the rules above).

    `export`: the file is an export (links written through, devices and pipes written directly); otherwise a
    data file. `mode`: the permissions of the file written, whatever they were (the cache's 0600). `sync=False`
    skips the fsyncs, for a file that may be lost in a crash (the cache: it is rebuilt). On an
    exception nothing at the path changes (a device or pipe may have received part of the content).
    """
    target, info = _target(Path(path), export)
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A device, pipe or socket: opened without O_CREAT or O_TRUNC, as `>` would; errors on close propagate.
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "wb") as direct:
            yield direct
        return
    folder = target.parent
    sweep(folder)
    temporary = temporary_path(folder)
    kept = mode if mode is not None else (stat.S_IMODE(info.st_mode) if info is not None else None)
    with _signals_exit():
        fd = os.open(
            temporary,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
            0o600 if mode is not None else 0o666,
        )
        try:
            with os.fdopen(fd, "wb") as out:
                yield out
                out.flush()
                if sync:
                    os.fsync(out.fileno())
            if kept is not None:
                os.chmod(temporary, kept)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    if sync:
        _sync_folder(folder)


def write_file(path: Path, data: bytes, *, export: bool = False, mode: int | None = None, sync: bool = True) -> None:
    """Write `data` to `path` by the rules above (see open_for_write)."""
    with open_for_write(path, export=export, mode=mode, sync=sync) as out:
        out.write(data)


def make_folders(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents with the user's umask; the folders created, outermost first."""
    missing: list[Path] = []
    current = Path(folder)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    created: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            created.append(path)
    except BaseException:
        remove_folders(created)
        raise
    return created


def remove_folders(created: list[Path]) -> None:
    """Remove the folders make_folders created, innermost first, where they are still empty."""
    for path in reversed(created):
        with contextlib.suppress(OSError):
            path.rmdir()


def write_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write `files` (name -> bytes) into `folder`.

    A new folder appears at once and whole: it is built under a temporary name beside it, then renamed. In an
    existing folder each file is replaced on its own, by the rules above. When anything fails, no folder this
    call created is left behind.
    """
    folder = Path(folder)
    if folder.is_dir():
        for name, data in files.items():
            write_file(folder / name, data)
        return
    created = make_folders(folder.parent)
    try:
        sweep(folder.parent)
        temporary = temporary_path(folder.parent)
        with _signals_exit():
            os.mkdir(temporary)
            try:
                for name, data in files.items():
                    write_file(temporary / name, data)
                os.rename(temporary, folder)
            except BaseException:
                import shutil

                shutil.rmtree(temporary, ignore_errors=True)
                raise
    except BaseException:
        remove_folders(created)
        raise
    _sync_folder(folder.parent)


def lock_path(path: Path) -> Path:
    """The lock file of `path`: `.<stem>.lock` beside it (no longer than the name itself, so it always fits)."""
    return path.with_name(f".{path.stem}.lock")


def _flock(lock: Path, fcntl: ModuleType) -> Callable[[], None]:
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock))
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)  # the holder before us removed the file we waited on: lock the one at the path now

    def release() -> None:
        with contextlib.suppress(OSError):
            os.unlink(lock)  # before unlocking, so that a waiter on this inode sees it gone and starts again
        os.close(fd)

    return release


def _exclusive(lock: Path) -> Callable[[], None]:
    """The portable lock: whoever creates the lock file (O_EXCL) holds it; one older than STALE_AFTER is taken
    to belong to a process that died."""
    import time

    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - os.stat(lock).st_mtime > STALE_AFTER:
                    os.unlink(lock)
            time.sleep(0.02)
            continue
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        break

    def release() -> None:
        with contextlib.suppress(OSError):
            os.unlink(lock)

    return release


def _take(lock: Path) -> Callable[[], None]:
    try:
        import fcntl
    except ImportError:
        return _exclusive(lock)
    return _flock(lock, fcntl)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the advisory lock of `path` (see the rules above) for the block; waits while another writer holds it."""
    release = _take(lock_path(Path(path)))
    try:
        yield
    finally:
        release()


__all__ = [
    "STALE_AFTER",
    "WriteRefusedError",
    "lock_path",
    "locked",
    "make_folders",
    "open_for_write",
    "remove_folders",
    "sweep",
    "temporary_path",
    "write_file",
    "write_folder",
]
