"""Checks on a Word or Excel file's zip container before any XML parser sees it, and a streaming look at its XML."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from typing import Any, NoReturn

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
                    f"{kind} 文件内部的“{info.filename}”解压后达 {size / 1024 / 1024:.0f} MB（上限 {MAX_MEMBER_BYTES // 1024 // 1024} MB），疑似压缩炸弹，拒绝读取"
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
                raise ImportRefusedError(
                    f"{kind} 文件内部的“{info.filename}”解压后超过 {MAX_MEMBER_BYTES // 1024 // 1024} MB，拒绝读取"
                )
            if _has_dtd(content):
                raise ImportRefusedError(_dtd_refused(kind, info.filename))


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
    """An XML name without its namespace (streamed names are "uri}name")."""
    return tag.rpartition("}")[2]


class _Forbidden(Exception):
    """A DTD or an entity declaration met while streaming."""


class _Found(Exception):
    """The root element's name, found."""


def _forbid(*_: Any) -> NoReturn:
    raise _Forbidden


CHUNK = 64 * 1024


def _stream(
    archive: zipfile.ZipFile,
    name: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None,
) -> None:
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


_BROKEN = (zipfile.BadZipFile, OSError, EOFError, ValueError)


def _dtd_refused(kind: str, name: str) -> str:
    return f"{kind} 文件内部的“{name}”含有 DTD（<!DOCTYPE 或 <!ENTITY），可能是恶意构造的文件，拒绝读取"


def scan_xml(
    archive: zipfile.ZipFile,
    name: str,
    kind: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
) -> None:
    """Call `start(name, attributes)` and `end(name)` for each element of the member `name`, as it streams.

    Names are "namespace}local" (attributes without a namespace are plain). Expat parses the member in bounded
    reads and keeps nothing, so memory stays flat however many elements it holds. A DTD or an entity is
    refused, as defusedxml does; so is anything that is not well-formed XML.
    """
    from xml.parsers import expat

    try:
        _stream(archive, name, start, end)
    except _Forbidden:
        raise ImportRefusedError(_dtd_refused(kind, name)) from None
    except (expat.ExpatError, *_BROKEN):
        raise ImportRefusedError(f"{kind} 文件内部的“{name}”不是有效的 XML，文件可能已损坏") from None


def root_name(archive: zipfile.ZipFile, name: str, kind: str) -> str | None:
    """The local name of a member's root element; None if the member is not XML (an image, say)."""
    from xml.parsers import expat

    def found(tag: str, _: dict[str, str]) -> None:
        raise _Found(local_name(tag))

    try:
        _stream(archive, name, found, None)
    except _Found as root:
        return str(root)
    except _Forbidden:
        raise ImportRefusedError(_dtd_refused(kind, name)) from None
    except (expat.ExpatError, *_BROKEN):
        return None
    return None


def relationships(archive: zipfile.ZipFile, part: str, kind: str) -> list[tuple[str, str, str]]:
    """(id, type, target member) of each relationship of the member `part` (from its _rels/….rels)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    found: list[tuple[str, str, str]] = []

    def relationship(tag: str, attributes: dict[str, str]) -> None:
        if local_name(tag) != "Relationship":
            return
        target = attributes.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((attributes.get("Id", ""), attributes.get("Type", ""), member))

    if rels in archive.NameToInfo:
        scan_xml(archive, rels, kind, relationship)
    return found
