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
    errno.EEXIST: "已存在",
    errno.ENOTEMPTY: "文件夹不为空",
    errno.EXDEV: "不能跨文件系统移动",
    errno.EBUSY: "正被占用",
    errno.ETXTBSY: "正被占用",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "打开的文件过多",
    errno.EFBIG: "文件过大",
    errno.EDQUOT: "超出磁盘配额",
    errno.EINVAL: "参数无效",
    errno.ENXIO: "设备不存在",
    errno.ENODEV: "设备不存在",
    errno.EAGAIN: "暂时不可用",
    errno.EINTR: "被中断",
    errno.ETIMEDOUT: "超时",
}


def os_reason(error: OSError) -> str:
    """A short Chinese reason for an operating-system error; the error number where there is no translation.

    The English strerror is never shown: a user of a Chinese tool should not meet "File exists".
    """
    known = _OS_REASONS.get(error.errno or -1)
    if known is not None:
        return known
    return f"系统错误，错误号 {error.errno}" if error.errno is not None else "系统错误"


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


class LookupFailedError(GongkaiError, LookupError):
    """A name or number given by the user matches nothing, or more than one thing."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []
