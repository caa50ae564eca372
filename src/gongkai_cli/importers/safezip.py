"""Checks on a Word or Excel file's zip container before any XML parser sees it."""

from __future__ import annotations

import io
import zipfile

from .rows import ImportRefusedError

MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
# Tiny members compress absurdly well without harm; the ratio counts from this size on.
RATIO_FROM_BYTES = 1024 * 1024
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
