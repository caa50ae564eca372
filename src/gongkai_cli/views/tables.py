"""The tables of a data folder, and the heading naming the table an answer comes from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..models import Division
from ..render import Column, Listing, Row
from ..vocabulary import HEADERS

if TYPE_CHECKING:
    from ..load import TableSummary


def table_heading(division: Division) -> str:
    """The table an answer comes from: 《title》 and, where the file gives them, issuer, number and date."""
    doc = division.document
    details = "，".join(str(part) for part in (doc.issuer, doc.number, doc.date) if part)
    return f"《{doc.title}》" + (f"（{details}）" if details else "")


TABLES_COLUMNS = (
    Column("id", HEADERS["table"]),
    Column("title", HEADERS["title"], ratio=1),
    Column("year", HEADERS["year"], number_format="d"),
    Column("tasks", HEADERS["count"], number_format="d"),
    Column("state", HEADERS["status"]),
)


def tables_listing(rows: Sequence[tuple[Any, TableSummary | None, int]], default: str | None) -> Listing:
    """The tables of a data folder, with the one queries use by default."""

    def display() -> list[Row]:
        shown: list[Row] = []
        for table, summary, problems in rows:
            state = f"有 {problems} 个问题" if summary is None else ("默认" if table.id == default else "")
            row: Row = {"id": table.id or "（唯一）", "state": state}
            if summary is not None:
                row |= {"title": summary.title, "year": summary.year, "tasks": summary.tasks}
            shown.append(row)
        return shown

    def payload() -> list[dict[str, Any]]:
        return [
            {
                "id": table.id,
                "title": summary.title if summary else None,
                "year": summary.year if summary else None,
                "tasks": summary.tasks if summary else None,
                "problems": problems,
                "default": table.id == default,
            }
            for table, summary, problems in rows
        ]

    return Listing(TABLES_COLUMNS, display, payload)
