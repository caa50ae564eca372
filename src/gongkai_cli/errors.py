"""Exceptions raised by the library; only the CLI turns them into exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class GongkaiError(Exception):
    """Base class of every error gongkai reports to a user."""


class Problem(NamedTuple):
    """One thing wrong with a data file, located as precisely as the file allows."""

    path: Path
    line: int | None
    column: int | None
    message: str

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
