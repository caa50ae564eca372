"""Checks on a Word or Excel file's zip container before any XML parser sees it, and a streaming look at its XML."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any

from .limits import MAX_MEMBER_BYTES, MAX_MEMBERS, MAX_RATIO, MAX_TOTAL_BYTES, RATIO_FROM_BYTES
from .rows import ImportRefusedError

_MARKERS = (b"<!doctype", b"<!entity")


def check_zip(data: bytes, kind: str) -> None:
    """Refuse a container that is not a zip, too many members, a zip bomb, or any XML member with a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefusedError(f"不是有效的 {kind} 文件（压缩结构损坏或不是 {kind} 格式）") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ImportRefusedError(f"{kind} 文件包含 {len(members)} 个内部文件（上限 {MAX_MEMBERS}），拒绝读取")
        total = 0
        for info in members:
            if info.flag_bits & 0x1:
                raise ImportRefusedError(f"{kind} 文件已加密，请先在 Office/WPS 中取消密码后另存")
            size = info.file_size
            total += size
            if size > MAX_MEMBER_BYTES:
                raise ImportRefusedError(
                    f"{kind} 文件内部的“{info.filename}”解压后达 {size / 1024 / 1024:.0f} MB（上限 50 MB），疑似压缩炸弹，拒绝读取"
                )
            if size >= RATIO_FROM_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
                raise ImportRefusedError(
                    f"{kind} 文件内部的“{info.filename}”压缩比异常（超过 {MAX_RATIO} 倍），疑似压缩炸弹，拒绝读取"
                )
        if total > MAX_TOTAL_BYTES:
            raise ImportRefusedError(f"{kind} 文件解压后总计超过 {MAX_TOTAL_BYTES // 1024 // 1024} MB，拒绝读取")
        for info in members:
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(info) as member:
                    content = member.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
                raise ImportRefusedError(f"{kind} 文件内部的“{info.filename}”无法解压，文件可能已损坏") from None
            if len(content) > MAX_MEMBER_BYTES:
                raise ImportRefusedError(f"{kind} 文件内部的“{info.filename}”解压后超过 50 MB，拒绝读取")
            if _has_dtd(content):
                raise ImportRefusedError(
                    f"{kind} 文件内部的“{info.filename}”含有 DTD（<!DOCTYPE 或 <!ENTITY），可能是恶意构造的文件，拒绝读取"
                )


def _has_dtd(content: bytes) -> bool:
    lowered = content.lower()
    if any(marker in lowered for marker in _MARKERS):
        return True
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or content[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        text = content.decode("utf-16", "ignore").lower()
        return "<!doctype" in text or "<!entity" in text
    return False


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive of a container `check_zip` accepted."""
    return zipfile.ZipFile(io.BytesIO(data))


def local_name(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rpartition("}")[2]


def xml_events(archive: zipfile.ZipFile, name: str, kind: str) -> Iterator[tuple[str, str, Any]]:
    """("start" or "end", local tag name, element) for each element of the member `name`, streamed.

    defusedxml parses in bounded reads and refuses a DTD; each element is dropped from its parent when it
    ends, so a member of millions of elements takes no more memory than its deepest branch.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

    open_elements: list[Any] = []
    try:
        with archive.open(name) as stream:
            for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    open_elements.append(element)
                    yield event, local_name(element.tag), element
                    continue
                open_elements.pop()
                yield event, local_name(element.tag), element
                if open_elements:
                    open_elements[-1].remove(element)
    except (ParseError, DefusedXmlException, zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ImportRefusedError(f"{kind} 文件内部的“{name}”不是有效的 XML，文件可能已损坏") from None


def root_name(archive: zipfile.ZipFile, name: str) -> str | None:
    """The local name of a member's root element; None if the member is not XML."""
    try:
        for _, tag, _ in xml_events(archive, name, ""):
            return tag
    except ImportRefusedError:
        return None
    return None


def relationships(archive: zipfile.ZipFile, part: str, kind: str) -> list[tuple[str, str, str]]:
    """(id, type, target member) of each relationship of the member `part` (from its _rels/….rels)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in archive.NameToInfo:
        return []
    found = []
    for event, tag, element in xml_events(archive, rels, kind):
        if event != "start" or tag != "Relationship":
            continue
        target = element.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((element.get("Id", ""), element.get("Type", ""), member))
    return found
