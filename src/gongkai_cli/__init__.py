"""gongkai: what each office owes under a city's annual 政务公开 task-division table, and by when."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
