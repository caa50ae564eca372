"""A cache of validated data, so that queries pay for YAML parsing and validation once per edit.

One file per data folder, in the user's own cache directory. It is keyed by a hash of the package version
and code and of the name and exact bytes of every file the table is read from, so any edit (or upgrade)
invalidates it. The payload is the division as nested tuples in `marshal` format, guarded by a CRC-32
checksum: a file that is truncated, corrupt, written by another version or for other data is ignored and
rebuilt, and every value's type is checked while records are rebuilt from it.

Trust: the folder is created 0700 and files 0600. On POSIX a folder that is not owned by the current user
or that others can write to is not used at all, and an entry that is not a regular file owned by the user
and closed to others' writes is ignored, so another user cannot plant a cache file that changes an answer.
(On Windows the per-user LOCALAPPDATA folder's ACLs do this.) Writes go to a temporary file that is renamed
into place, so a reader sees either the old file or the new one, never half of one. Any I/O failure means
"no cache", never an error.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import marshal
import os
import stat
import sys
import zlib
from sys import intern

try:  # hashlib would also load OpenSSL: a few milliseconds on every query for nothing
    from _blake2 import blake2b
except ImportError:  # Pythons built without the bundled BLAKE2
    from hashlib import blake2b
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

from . import __version__
from .deadlines import Kind, LagUnit
from .io.read import FileRefusedError, read_file
from .models import (
    Coverage,
    Division,
    Document,
    Group,
    KindDefinition,
    ScoringRule,
    Section,
    Subsection,
    Task,
    TaskFile,
    TimeLimit,
    Unit,
    UnitFile,
    Variant,
)

MAGIC = b"GONGKAI-CACHE\x00"
# Bump when the payload layout below changes.
FORMAT = 5
DIGEST_SIZE = 32
CHECKSUM_SIZE = 4
# After the checksum: the marshalled payload, then a small marshalled head (a summary read without the payload)
# and the head's length; marshal.loads reads the payload and ignores what follows it.
HEAD_LENGTH_SIZE = 4
HEADER_SIZE = len(MAGIC) + 1 + DIGEST_SIZE + CHECKSUM_SIZE


# Values of GONGKAI_CACHE_DIR that turn the cache off, compared case-insensitively.
OFF_SETTINGS = frozenset({"", "0", "off", "false", "no", "none"})


def cache_dir() -> Path | None:
    """Where caches live: $GONGKAI_CACHE_DIR, else the platform's user cache folder; None when disabled."""
    configured = os.environ.get("GONGKAI_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in OFF_SETTINGS else Path(configured)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gongkai"


@functools.cache
def _code_stamp() -> str:
    # The size and modification time of every module, subpackages included: validation rules edited in a working
    # copy (where the version does not change) must invalidate data that older rules passed. Stat calls, no reads.
    package = os.path.dirname(__file__)
    skip = len(package) + 1  # the path below the package: os.path.relpath costs more than the stat
    stamps = []
    folders = [package]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    stamps.append(f"{entry.path[skip:]}:{info.st_size}:{info.st_mtime_ns}")
                elif entry.is_dir() and entry.name.isidentifier() and not entry.name.startswith("_"):
                    folders.append(entry.path)  # a subpackage; not __pycache__ or the bundled data
    return ";".join(sorted(stamps))


def data_key(contents: Mapping[str, bytes]) -> bytes:
    """The cache key: the package version and code, the cache format and the exact bytes of every data file."""
    digest = blake2b(f"{__version__}\x00{FORMAT}\x00{_code_stamp()}".encode(), digest_size=DIGEST_SIZE)
    for name in sorted(contents):
        digest.update(f"\x00{name}\x00{len(contents[name])}\x00".encode())
        digest.update(contents[name])
    return digest.digest()


def cache_file(folder: Path, data_dir: Path) -> Path:
    """The cache file of one data folder."""
    # fsencode: a folder name need not be valid UTF-8.
    where = blake2b(os.fsencode(data_dir.resolve()), digest_size=16).hexdigest()
    return folder / f"{where}.cache"


def _is_private(info: os.stat_result) -> bool:
    """Owned by the current user and not writable by anyone else (always true where there are no POSIX owners)."""
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def private_folder(folder: Path) -> Path | None:
    """The cache folder, created 0700 if missing; None if it is not a folder only this user can write to."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    return folder if stat.S_ISDIR(info.st_mode) and _is_private(info) else None


# --- the payload: nested tuples of str, int, float, bool and None; dates as ordinals --------------------


def _ordinal(day: datetime.date | None) -> int | None:
    return day.toordinal() if day else None


def _day(ordinal: int | None) -> datetime.date | None:
    return datetime.date.fromordinal(ordinal) if ordinal is not None else None


def _variants(variants: tuple[Variant, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((v.text, v.note) for v in variants)


def _interned(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(intern, names))


def _task_row(t: Task) -> tuple[Any, ...]:
    limit = t.time_limit
    return (
        t.requirement,
        (
            intern(limit.text),
            intern(limit.kind or ""),
            _ordinal(limit.due),
            _ordinal(limit.start),
            limit.override,
            limit.note,
            tuple(map(_ordinal, limit.occurrences)),
            limit.lag,
            limit.lag_unit,
        ),
        t.number,
        intern(t.responsibility) if t.responsibility else None,
        t.lead_text,
        t.support_text,
        t.work_item,
        _interned(t.leads or ()),
        _interned(t.implementers or ()),
        _interned(t.supports or ()),
        tuple((r.points, r.condition, r.per, r.who) for r in t.scoring),
        t.notes,
    )


def to_payload(division: Division) -> tuple[Any, ...]:
    """A division as plain nested tuples that marshal can store.

    The strings that recur from task to task (unit names, responsibility texts, time-limit phrases) are
    interned: marshal then stores each once, which makes the file smaller and loading it faster.
    """
    doc = division.document
    document = (
        *(getattr(doc, name) for name in _DOCUMENT_TEXT),
        _ordinal(doc.date),
        doc.year,
        doc.columns,
        _ordinal(doc.period_start),
        _ordinal(doc.period_end),
    )
    sections = tuple(
        (
            section.title,
            section.numeral,
            tuple((sub.title, tuple(map(_task_row, sub.tasks)), sub.numeral) for sub in section.subsections),
            tuple(map(_task_row, section.tasks)),
        )
        for section in division.tasks_file.sections
    )
    tasks = tuple(map(_task_row, division.tasks_file.tasks))
    units = tuple(
        (u.name, u.kind, u.full_name, _variants(u.variants), u.aliases, u.note, u.review, u.contact)
        for u in division.units_file.units
    )
    groups = tuple(
        (g.name, g.coverage, g.members, g.member_kinds, g.open_ended, _variants(g.variants), g.note, g.review)
        for g in division.units_file.groups
    )
    kinds = tuple((k.name, k.label, k.endings) for k in division.units_file.kinds)
    return document, sections, tasks, units, groups, kinds


_DOCUMENT_TEXT = ("title", "issuer", "number", "date_text", "notice_title", "addressees", "body", "signatory")


class _ForgedError(Exception):
    """A payload value of the wrong type: the file was not written by `write`."""


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _ForgedError
    return value


def _maybe_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(values: Any) -> tuple[str, ...]:
    if type(values) is not tuple or not all(type(v) is str for v in values):
        raise _ForgedError
    return values


def _whole(value: Any) -> int:
    if type(value) is not int:
        raise _ForgedError
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise _ForgedError
    return value


def _choice(value: Any, allowed: frozenset[str]) -> Any:
    if value not in allowed or type(value) is not str:
        raise _ForgedError
    return value


def _maybe_day(value: Any) -> datetime.date | None:
    return None if value is None else _day(_whole(value))


def _days(values: Any) -> tuple[datetime.date, ...]:
    if type(values) is not tuple:
        raise _ForgedError
    return tuple(_day(_whole(v)) for v in values)  # type: ignore[misc]


_KINDS = frozenset(get_args(Kind))
_LAG_UNITS = frozenset(get_args(LagUnit))
_COVERAGES = frozenset(get_args(Coverage))


def _scoring_rule(row: Any) -> ScoringRule:
    points, condition, per, who = row
    if type(points) not in (int, float):
        raise _ForgedError
    return ScoringRule._make((points, _text(condition), _maybe_text(per), _maybe_text(who)))


def _task(row: Any) -> Task:
    # _make skips the keyword handling of a NamedTuple's __new__: it matters a hundred thousand times over.
    (
        requirement,
        limit,
        number,
        responsibility,
        lead_text,
        support_text,
        work_item,
        leads,
        implementers,
        supports,
        scoring,
        notes,
    ) = row
    text, kind, due, start, override, note, occurrences, lag, lag_unit = limit
    time_limit = TimeLimit._make(
        (
            _text(text),
            _choice(kind, _KINDS),
            _maybe_day(due),
            _maybe_day(start),
            _flag(override),
            _maybe_text(note),
            _days(occurrences),
            None if lag is None else _whole(lag),
            None if lag_unit is None else _choice(lag_unit, _LAG_UNITS),
        )
    )
    rules = tuple(map(_scoring_rule, scoring)) if scoring else ()
    return Task._make(
        (
            _text(requirement),
            time_limit,
            _whole(number),
            _maybe_text(responsibility),
            _maybe_text(lead_text),
            _maybe_text(support_text),
            _maybe_text(work_item),
            _texts(leads),
            _texts(implementers),
            _texts(supports),
            rules,
            _texts(notes),
        )
    )


def _variants_of(rows: Any) -> tuple[Variant, ...]:
    return tuple(Variant(_text(text), _text(note)) for text, note in rows)


def from_payload(payload: Any) -> Division:
    """Rebuild a division from `to_payload`'s tuples; a value of the wrong type raises an error."""
    document, sections, tasks, units, groups, kinds = payload
    *texts, date, year, columns, period_start, period_end = document
    text_fields = dict(zip(_DOCUMENT_TEXT, texts, strict=True))
    title = _text(text_fields.pop("title"))
    optional_texts: dict[str, Any] = {name: _maybe_text(value) for name, value in text_fields.items()}
    tasks_file = TaskFile(
        Document(
            title=title,
            year=_whole(year),
            date=_maybe_day(date),
            columns=_texts(columns),
            period_start=_maybe_day(period_start),
            period_end=_maybe_day(period_end),
            **optional_texts,
        ),
        tuple(
            Section(
                _text(title),
                _maybe_text(numeral),
                tuple(Subsection(_text(t), tuple(map(_task, rows)), _maybe_text(n)) for t, rows, n in subs),
                tuple(map(_task, direct)),
            )
            for title, numeral, subs, direct in sections
        ),
        tuple(map(_task, tasks)),
    )
    units_file = UnitFile(
        tuple(
            Unit(
                _text(name),
                _text(kind),
                _maybe_text(full_name),
                _variants_of(variants),
                _texts(aliases),
                _maybe_text(note),
                _flag(review),
                _maybe_text(contact),
            )
            for name, kind, full_name, variants, aliases, note, review, contact in units
        ),
        tuple(
            Group(
                _text(name),
                _choice(coverage, _COVERAGES),
                _texts(members),
                _texts(kinds_of),
                _flag(open_ended),
                _variants_of(variants),
                _maybe_text(note),
                _flag(review),
            )
            for name, coverage, members, kinds_of, open_ended, variants, note, review in groups
        ),
        tuple(KindDefinition(_text(name), _text(label), _texts(endings)) for name, label, endings in kinds),
    )
    return Division(tasks_file, units_file)


# --- reading and writing ---------------------------------------------------------------------------------


def _checksum(payload: bytes) -> bytes:
    # CRC-32 catches a damaged file (truncation, flipped bits) at a tenth of the cost of a cryptographic
    # hash; what it guards is the cache's own bytes, and the key already ties them to the data files.
    return zlib.crc32(payload).to_bytes(CHECKSUM_SIZE, "big")


def _stored(path: Path, key: bytes) -> bytes | None:
    """The checked bytes after the header (payload, head, head length), or None when the file is missing, foreign,
    stale, damaged or not private."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or not _is_private(info):
        return None
    try:
        blob = read_file(path)
    except FileRefusedError:
        return None
    header = MAGIC + bytes([FORMAT]) + key
    if len(blob) < HEADER_SIZE or not blob.startswith(header):
        return None
    stored = blob[HEADER_SIZE:]
    if _checksum(stored) != blob[len(header) : HEADER_SIZE]:
        return None
    return stored


def _loaded(data: bytes) -> Any:
    try:
        return marshal.loads(data)
    except Exception:  # a damaged payload is treated as absent, like any other
        return None


def read_payload(path: Path, key: bytes) -> Any:
    """The stored payload for `key`, or None when the file is missing, foreign, stale, damaged or not private."""
    stored = _stored(path, key)
    return None if stored is None else _loaded(stored)


def read_head(path: Path, key: bytes) -> Any:
    """The head stored after the payload for `key` (see `write_payload`), read without the payload; None as
    `read_payload` gives None."""
    stored = _stored(path, key)
    if stored is None or len(stored) < HEAD_LENGTH_SIZE:
        return None
    head_length = int.from_bytes(stored[-HEAD_LENGTH_SIZE:], "big")
    if head_length > len(stored) - HEAD_LENGTH_SIZE:
        return None
    return _loaded(stored[-HEAD_LENGTH_SIZE - head_length : -HEAD_LENGTH_SIZE])


def read(path: Path, key: bytes) -> Division | None:
    """The cached division for `key`, or None when the file is missing, foreign, stale, damaged or not private."""
    payload = read_payload(path, key)
    if payload is None:
        return None
    try:
        return from_payload(payload)
    except Exception:  # a checksum-valid file that still does not rebuild is treated as absent, like any other
        return None


def read_summary(path: Path, key: bytes) -> tuple[str, int, int] | None:
    """The title, plan year and number of tasks of the cached division for `key`, read without the division (a
    folder of a thousand tables is listed from these), or None as `read` gives None."""
    head = read_head(path, key)
    try:
        title, year, count = head
        return _text(title), _whole(year), _whole(count)
    except Exception:  # not what `write` stores: treated as absent, like any other
        return None


def write_payload(path: Path, key: bytes, payload: Any, head: Any = None) -> None:
    """Store plain nested tuples atomically, readable by this user only, followed by a small `head` that
    `read_head` reads without them; failing to write is silently no cache."""
    marshalled = marshal.dumps(head)
    data = marshal.dumps(payload) + marshalled + len(marshalled).to_bytes(HEAD_LENGTH_SIZE, "big")
    blob = MAGIC + bytes([FORMAT]) + key + _checksum(data) + data
    # A name no other writer uses, in the same folder so that the rename is atomic.
    temporary = path.with_name(f"{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with open(fd, "wb") as handle:
            handle.write(blob)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def write(path: Path, key: bytes, division: Division) -> None:
    """Store a division atomically, readable by this user only; failing to write is silently no cache."""
    write_payload(path, key, to_payload(division), (division.document.title, division.year, len(division.tasks)))
