"""The notice around a table: its title, number, date, issuer, addressees and body, from the paragraphs before it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from ..tuples import NamedTuple


class DocumentInfo(NamedTuple):
    """The notice's facts found in the source; None where the source does not give them."""

    title: str | None = None
    number: str | None = None
    date: datetime.date | None = None
    year: int | None = None
    issuer: str | None = None
    date_text: str | None = None
    notice_title: str | None = None
    addressees: str | None = None
    body: str | None = None
    signatory: str | None = None
    columns: tuple[str, ...] = ()


_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,16}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(\d{4})年")
_QUOTED_TITLE = re.compile(r"《([^《》]+)》")


def document_info(lines: Sequence[str], before_header: str | None, columns: Sequence[str] = ()) -> DocumentInfo:
    """The notice's facts from its cleaned paragraphs; `before_header` is the line just before the table's header."""
    lines = _join_notice_title([line for line in lines if line])
    number = date_text = notice_title = addressees = signatory = None
    date = None
    number_at = date_at = notice_at = addressees_at = -1
    for i, line in enumerate(lines):
        m = _DOC_NUMBER.search(line)
        if number is None and m and len(line) <= len(m.group()) + 4:
            number, number_at = m.group(), i
        if notice_title is None and "关于" in line and line.endswith("通知"):
            notice_title, notice_at = line, i
        if notice_title is not None and addressees is None and i > notice_at and line.endswith(("：", ":")):
            addressees, addressees_at = line.rstrip("：:"), i
        d = _DATE.fullmatch(line)
        if d:
            try:
                date = datetime.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
            except ValueError:
                continue
            date_text, date_at = line, i
    if date_at > 0 and date_at - 1 not in (number_at, notice_at, addressees_at):
        signatory = lines[date_at - 1]
    body = None
    if addressees is not None:
        end = date_at - (1 if signatory else 0) if date_at > addressees_at else len(lines)
        paragraphs = lines[addressees_at + 1 : end]
        if before_header in paragraphs:
            paragraphs = paragraphs[: paragraphs.index(before_header)]
        body = "\n".join(paragraphs) or None
    title = None
    if before_header and _looks_like_title(before_header) and before_header not in (signatory, number):
        title = before_header
    if title is None:
        title = next((line for line in reversed(lines) if _looks_like_title(line) and _TITLE_WORDS.search(line)), None)
    if title is None and notice_title is not None:
        quoted = _QUOTED_TITLE.search(notice_title)
        title = quoted.group(1) if quoted else None
    issuer = None
    if notice_title is not None and notice_title.index("关于") > 0:
        issuer = notice_title[: notice_title.index("关于")]
    issuer = issuer or signatory
    year = None
    for text in (title, number):
        y = _YEAR.search(text or "") or re.search(r"〔(\d{4})〕", text or "")
        if y and year is None:
            year = int(y.group(1))
    if year is None and date is not None:
        year = date.year
    return DocumentInfo(
        title=title,
        number=number,
        date=date,
        year=year,
        issuer=issuer,
        date_text=date_text,
        notice_title=notice_title,
        addressees=addressees,
        body=body,
        signatory=signatory,
        columns=tuple(columns),
    )


_TITLE_WORDS = re.compile("任务|分工|要点|清单|台账|计划")


def _looks_like_title(line: str) -> bool:
    """Whether a paragraph may be the table's title: not a date, a bracketed remark, a number or the notice title."""
    bracketed = line[:1] in "（(" and line[-1:] in "）)"
    return not (_DATE.fullmatch(line) or bracketed or _DOC_NUMBER.fullmatch(line) or line.endswith(("通知", "：", ":")))


def _join_notice_title(lines: list[str]) -> list[str]:
    """The lines with a notice title broken over up to four lines (关于印发 / 《…》 / 的通知) joined into one."""
    for i, line in enumerate(lines):
        if "关于" in line and not line.endswith("通知"):
            for j in range(i + 1, min(i + 4, len(lines))):
                if lines[j].endswith("通知"):
                    return [*lines[:i], "".join(lines[i : j + 1]), *lines[j + 1 :]]
    return lines


__all__ = ["DocumentInfo", "document_info"]
