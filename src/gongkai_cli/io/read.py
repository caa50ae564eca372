"""The one way gongkai reads a file it did not write: regular files only, never more than a set size.

A data file arrives in a pull request. As a symlink to /dev/zero it would fill memory; as a FIFO it would
block forever; as a huge file it would take CI down. Every file the tool reads from outside (tables,
rosters, the cache) goes through `read_file`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import GongkaiError, os_reason

LIMIT_VARIABLE = "GONGKAI_MAX_FILE_MB"
# Room for the 100,000-task benchmark table (about 64 MB) twice over.
DEFAULT_LIMIT_MB = 128
_MB = 1024 * 1024


class FileRefusedError(GongkaiError):
    """A file that is missing, unreadable, not a regular file or too large; str(e) is the Chinese reason."""


def limit_bytes() -> int:
    """The size limit in bytes: $GONGKAI_MAX_FILE_MB megabytes, else the default; a bad setting is the default."""
    configured = os.environ.get(LIMIT_VARIABLE, "").strip()
    if configured.isdigit() and len(configured) <= 6 and int(configured) > 0:
        return int(configured) * _MB
    return DEFAULT_LIMIT_MB * _MB


def _too_large(size: int, limit: int) -> FileRefusedError:
    return FileRefusedError(
        f"过大（{size / _MB:.1f} MB，上限 {limit // _MB} MB）；确属需要时可设置环境变量 {LIMIT_VARIABLE} 调高上限"
    )


def read_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (a symlink to one is fine) of at most `limit` bytes; else FileRefusedError."""
    limit = limit_bytes() if limit is None else limit
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer that never comes.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefusedError("不存在") from None
    except IsADirectoryError:
        raise FileRefusedError("是文件夹，不是文件") from None
    except OSError as e:
        raise FileRefusedError(f"无法读取（{os_reason(e)}）") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefusedError("是文件夹，不是文件")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefusedError("不是普通文件（是设备、管道或套接字），拒绝读取")
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        chunks = []
        remaining = limit + 1  # one byte more than allowed tells a file that grew while being read
        # The first read asks for the whole file and a byte more: a file read at once is one chunk, which the join
        # below returns without copying (a 100,000-task cache is 32 MB).
        size = info.st_size + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, size))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
            size = 4 * _MB
        data = b"".join(chunks)
        if len(data) > limit:
            raise _too_large(len(data), limit)
        return data
    except OSError as e:
        raise FileRefusedError(f"无法读取（{os_reason(e)}）") from None
    finally:
        os.close(fd)


__all__ = ["DEFAULT_LIMIT_MB", "LIMIT_VARIABLE", "FileRefusedError", "limit_bytes", "read_file"]
