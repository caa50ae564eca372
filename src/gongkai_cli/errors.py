"""Exceptions raised by the library; only the CLI turns them into exit codes."""

from __future__ import annotations

import errno
from pathlib import Path

from .problems import INVALID
from .tuples import NamedTuple

# What the operating system's English strerror means, for the errors a user can meet and act on.
_OS_REASONS = {
    errno.ENOENT: "不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "文件系统只读",
    errno.EISDIR: "是文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ELOOP: "符号链接循环",
    errno.ENAMETOOLONG: "路径过长",
    errno.EIO: "输入输出错误",
    errno.EBADF: "文件已关闭",
    errno.EPIPE: "管道已关闭",
}


def os_reason(error: OSError) -> str:
    """A short Chinese reason for an operating-system error, with the English one where there is no translation."""
    return _OS_REASONS.get(error.errno or -1) or error.strerror or str(error)


class GongkaiError(Exception):
    """Base class of every error gongkai reports to a user."""


class Problem(NamedTuple):
    """One thing wrong with a data file, located as precisely as the file allows."""

    path: Path
    line: int | None
    column: int | None
    message: str
    # A stable name for the kind of problem, for editors and CI tools (check --format json): see problems.py.
    code: str = INVALID
    # "error" stops the data from loading; "notice" is a reminder (check --strict makes it an error).
    severity: str = "error"

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class DataError(GongkaiError):
    """The data files are unreadable or invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class LookupFailedError(GongkaiError):
    """A name or number given by the user matches nothing, or more than one thing."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []
