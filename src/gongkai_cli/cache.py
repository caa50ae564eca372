"""A cache of validated data, so that queries pay for YAML parsing and validation once per edit.

One file per data folder, in the user's own cache directory. It is keyed by a hash of the package version
and code and of the name and exact bytes of every file the table is read from, so any edit (or upgrade)
invalidates it. The payload is the division as nested tuples in `marshal` format, guarded by a CRC-32
checksum: a file that is truncated, corrupt, written by another version or for other data is ignored and
rebuilt, and every value's type is checked while records are rebuilt from it.

Beside the key, an entry records the files' metadata as git's index does (`stamp`: path, size, mtime_ns,
ctime_ns, inode and device of each file, and when they were taken). When every file's metadata is what the
entry records, the entry is used without reading the files, so that listing a thousand tables does not hash
them all. A file modified less than `RACY_NS` before its metadata were taken is *racy*: a later edit within the
same tick of a coarse clock could leave its metadata unchanged, so its stamp is not trusted, and the files are
hashed and compared with the key, as they are whenever any metadata changed. An entry whose key still matches
is stamped afresh once no file is racy. The content hash stays the truth: metadata only ever skip the hashing
of files that provably have not changed since the key was computed.

Trust: the folder is created 0700 and files 0600. On POSIX a folder that is not owned by the current user
or that others can write to is not used at all, and an entry that is not a regular file owned by the user
and closed to others' writes is ignored, so another user cannot plant a cache file that changes an answer.
(On Windows the per-user LOCALAPPDATA folder's ACLs do this.) Writes go to a temporary file that is renamed
into place, so a reader sees either the old file or the new one, never half of one. Any I/O failure means
"no cache", never an error.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime
import functools
import marshal
import os
import stat
import sys
import time
import zlib

try:  # hashlib would also load OpenSSL: a few milliseconds on every query for nothing
    from _blake2 import blake2b
except ImportError:  # Pythons built without the bundled BLAKE2
    from hashlib import blake2b
from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from . import __version__
from .io.read import FileRefusedError, read_file
from .models import Division, TaskFile, UnitFile
from .tuples import NamedTuple

MAGIC = b"GONGKAI-CACHE\x00"
# Bump when the way records become tuples changes (the fields themselves are covered by the code stamp).
FORMAT = 8
DIGEST_SIZE = 32
CHECKSUM_SIZE = 4
# After the checksum: the marshalled payload, then a trailer read without the payload (a small marshalled
# (head, stamp) pair: a summary of the payload and the files' metadata), the trailer's own checksum and its
# length; marshal.loads reads the payload and ignores what follows it.
LENGTH_SIZE = 4
HEADER_SIZE = len(MAGIC) + 1 + DIGEST_SIZE + CHECKSUM_SIZE
TRAILER_FIXED = CHECKSUM_SIZE + LENGTH_SIZE
# A file modified this close to (or after) the moment its metadata were taken is racy (see the module's
# docstring): two seconds covers the coarsest timestamps in use (FAT's) and a coarse kernel clock.
RACY_NS = 2_000_000_000


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


@functools.cache
def _code_digest(version: str, code_stamp: str) -> bytes:
    return blake2b(f"{version}\x00{FORMAT}\x00{code_stamp}".encode(), digest_size=DIGEST_SIZE).digest()


def _code_id() -> bytes:
    """The package version and code and the cache format, as a digest."""
    return _code_digest(__version__, _code_stamp())


def data_key(contents: Mapping[Path, bytes]) -> bytes:
    """The cache key of what is read from these files: the package version and code, the cache format, and the
    files' order, names and exact bytes.

    The cache file itself is named after the data's folder, so the names need not say where the files lie.
    """
    digest = blake2b(_code_id(), digest_size=DIGEST_SIZE)
    for i, (path, data) in enumerate(contents.items()):
        digest.update(f"\x00{i}/{path.name}\x00{len(data)}\x00".encode())
        digest.update(data)
    return digest.digest()


FileStamp = tuple[str, int, int, int, int, int]


class Stamp(NamedTuple):
    """The metadata of the files an entry was computed from, as `stamp` takes them."""

    code: bytes
    """`_code_id()`: metadata say nothing of the code that validated the files."""
    taken_ns: int
    """When the metadata were taken (before the files were read), in nanoseconds since the epoch."""
    files: tuple[FileStamp, ...]
    """Each file's path, size, mtime_ns, ctime_ns, inode and device, in order."""

    @property
    def racy(self) -> bool:
        """Whether a file was modified within `RACY_NS` of `taken_ns`: its metadata cannot vouch for its bytes."""
        since = self.taken_ns - RACY_NS
        return any(mtime >= since or ctime >= since for _, _, mtime, ctime, _, _ in self.files)


def stamp(paths: Sequence[Path]) -> Stamp | None:
    """The metadata of `paths` now (symlinks followed), or None when one cannot be examined; take it before the
    files are read, so that an edit made while they are read shows as changed metadata."""
    taken = time.time_ns()
    files = []
    for path in paths:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        files.append((os.fspath(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev))
    return Stamp(_code_id(), taken, tuple(files))


def cache_file(folder: Path, data_dir: Path) -> Path:
    """The cache file of one data folder, named after its absolute path.

    Not its real path: resolving symlinks examines every folder on the way (three calls for each of a province's
    thousand tables), and a folder reached through a symlink merely has an entry of its own. Nothing is trusted
    by name: an entry is used only for the files whose metadata or bytes it records.
    """
    # fsencode: a folder name need not be valid UTF-8.
    where = blake2b(os.fsencode(os.path.abspath(data_dir)), digest_size=16).hexdigest()
    return folder / f"{where}.cache"


def _is_private(info: os.stat_result) -> bool:
    """Owned by the current user and not writable by anyone else (always true where there are no POSIX owners)."""
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def private_folder(folder: Path) -> Path | None:
    """The cache folder, created 0700 if missing; None if it is not a folder only this user can write to."""
    try:
        info = os.stat(folder)  # there already, as for every table after a folder's first: no mkdir call
    except FileNotFoundError:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.stat()
        except OSError:
            return None
    except (OSError, ValueError):
        return None
    return folder if stat.S_ISDIR(info.st_mode) and _is_private(info) else None


# --- the payload: nested tuples of str, int, float, bool and None; dates as ordinals --------------------
#
# The layout is column-wise: the records of one class are (count, columns), one column per field in the order of
# the record's annotations, read from them, so a field added to a record in models.py is stored and checked with
# no change here (the code stamp in the key retires the caches of the old layout). A column is checked and
# converted at once: checking the type of a hundred thousand values is a set of the types that `map` builds in C,
# and the records are built from their columns by one zip, with no Python code run per record.
#
# Values that recur from record to record (a time limit, the units a task names, a scoring rule: a hundred
# thousand tasks have some seven hundred time limits and a few thousand unit lists) are stored as a table: the
# distinct values, and for each record the index of its value (-1 for None). Each is then stored, checked and
# rebuilt once, and the records share it.


class _ForgedError(Exception):
    """A payload value of the wrong type or shape: the file was not written by `write`."""


_FIELD_TYPES: dict[type, tuple[Any, ...]] = {}


def _field_types(record: type) -> tuple[Any, ...]:
    """The type of each field of a record class, in the terms of `_field_type`."""
    types = _FIELD_TYPES.get(record)
    if types is None:
        module = vars(sys.modules[record.__module__])
        types = _FIELD_TYPES[record] = tuple(_field_type(a, module) for a in record.__annotations__.values())
    return types


class _Optional(NamedTuple):
    kind: Any


class _Tuple(NamedTuple):
    item: Any


def _field_type(annotation: str, module: dict[str, Any]) -> Any:
    """The type a field's annotation names: a class, a Literal, _Optional(T) for `T | None`, _Tuple(T) for
    `tuple[T, ...]`; T a name or a dotted name of the record's module, its Annotated metadata dropped.

    Read from the annotation's text rather than evaluated as typing.get_type_hints would: compiling some sixty
    annotations would cost every cached query a millisecond or two.
    """
    text = annotation.strip()
    if text.endswith("| None"):
        return _Optional(_field_type(text.removesuffix("| None"), module))
    if text.startswith("tuple[") and text.endswith(", ...]"):
        return _Tuple(_field_type(text.removeprefix("tuple[").removesuffix(", ...]"), module))
    first, *rest = text.split(".")
    if first in module:
        kind = module[first]
    elif first in vars(builtins):
        kind = vars(builtins)[first]
    else:
        raise TypeError(f"the cache cannot read the annotation {annotation!r}")
    for name in rest:
        kind = getattr(kind, name)
    while get_origin(kind) is Annotated:
        kind = get_args(kind)[0]
    return kind


def _is_record(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")


@functools.cache
def _holds_no_records(record: type) -> bool:
    """Whether no field of a record class is a record or a tuple of them (optional or not)."""
    kinds = [t.kind if type(t) is _Optional else t for t in _field_types(record)]
    return not any(_is_record(t.item if type(t) is _Tuple else t) for t in kinds)


def _is_tabled(kind: Any) -> bool:
    """Whether values of `kind` are stored as a table of distinct values: records that hold no records, and tuples
    of anything but records that do (tasks hold records, and are told apart by object: two must never share one)."""
    if type(kind) is _Tuple:
        return not _is_record(kind.item) or _holds_no_records(kind.item)
    return _is_record(kind) and _holds_no_records(kind)


def _encode_records(record: type, records: Sequence[Any], share: Callable[[Any, Any], Any]) -> tuple[int, Any]:
    """Records of one class as (count, columns); `share` gives one object for equal values (see `to_payload`)."""
    types = _field_types(record)
    columns = list(zip(*records, strict=True)) or [()] * len(types)
    return len(records), tuple(_encode_column(t, c, share) for t, c in zip(types, columns, strict=True))


def _encode_column(kind: Any, column: Sequence[Any], share: Callable[[Any, Any], Any]) -> Any:
    optional = type(kind) is _Optional
    base = kind.kind if optional else kind
    if _is_tabled(base):
        return _encode_table(base, column, share)
    if optional and (_is_record(base) or type(base) is _Tuple):
        raise TypeError(f"the cache cannot store an optional field of type {base!r}")
    if type(base) is _Tuple:
        return _encode_tuples(base, column, share)
    if _is_record(base):
        return _encode_records(base, column, share)
    if base is datetime.date:
        return tuple(None if day is None else day.toordinal() for day in column)
    if base is str or get_origin(base) is Literal:
        return tuple(map(share, column, column))
    return tuple(column)


def _encode_table(kind: Any, column: Sequence[Any], share: Callable[[Any, Any], Any]) -> tuple[Any, tuple[int, ...]]:
    positions: dict[Any, int] = {}
    distinct: list[Any] = []
    index = []
    for value in column:
        if value is None:
            index.append(-1)
            continue
        # Keyed by the values' types too: 1 == 1.0 == True, and a field keeps the type it was read with.
        key = (value, tuple(map(type, value)))  # a tuple of records: their types, not their fields' types
        at = positions.get(key)
        if at is None:
            at = positions[key] = len(distinct)
            distinct.append(value)
        index.append(at)
    values = _encode_records(kind, distinct, share) if _is_record(kind) else _encode_tuples(kind, distinct, share)
    return values, tuple(index)


def _encode_tuples(kind: _Tuple, tuples: Sequence[Any], share: Callable[[Any, Any], Any]) -> tuple[Any, Any]:
    """Tuples as (the length of each, the items of all of them as one column)."""
    return tuple(map(len, tuples)), _encode_column(kind.item, tuple(chain.from_iterable(tuples)), share)


def _decode_records(record: type, encoded: Any) -> list[Any]:
    """Records of one class rebuilt from (count, columns), every value's type checked; _ForgedError if one is wrong."""
    count, columns = _pair(encoded)
    types = _field_types(record)
    if type(count) is not int or count < 0 or type(columns) is not tuple or len(columns) != len(types):
        raise _ForgedError
    decoded = [_decode_column(t, c, count) for t, c in zip(types, columns, strict=True)]
    # tuple.__new__ builds each record in C, where a NamedTuple's __new__ or _make would run Python code a hundred
    # thousand times; every column has `count` values (checked), so every record has one value per field.
    return list(map(tuple.__new__, repeat(record), zip(*decoded, strict=True)))


def _pair(value: Any) -> tuple[Any, Any]:
    if type(value) is not tuple or len(value) != 2:
        raise _ForgedError
    return value


def _sized(column: Any, count: int | None, allowed: Collection[type]) -> tuple[Any, ...]:
    """`column`; _ForgedError unless it is a tuple of `count` values (any number where None) whose types are
    among `allowed`."""
    if type(column) is not tuple or count not in (None, len(column)) or not set(map(type, column)) <= set(allowed):
        raise _ForgedError
    return column


def _decode_column(kind: Any, column: Any, count: int) -> Sequence[Any]:
    optional = type(kind) is _Optional
    base = kind.kind if optional else kind
    none = {type(None)} if optional else set()
    if _is_tabled(base):
        return _decode_table(base, column, count, optional)
    if type(base) is _Tuple:
        return _decode_tuples(base, column, count)
    if _is_record(base):
        records = _decode_records(base, column)
        if len(records) != count:
            raise _ForgedError
        return records
    if base is datetime.date:
        _sized(column, count, {int, *none})
        # Each distinct day once: a table's tasks fall due on a few hundred days.
        days: dict[int | None, datetime.date | None] = {
            ordinal: datetime.date.fromordinal(ordinal) for ordinal in set(column) if ordinal is not None
        }
        days[None] = None
        return list(map(days.__getitem__, column))
    if get_origin(base) is Literal:
        words = _sized(column, count, {str, *none})
        if not set(words) <= {*get_args(base), *((None,) if optional else ())}:
            raise _ForgedError
        return words
    if base is float:  # pydantic keeps a whole number written for a float field as an int
        return _sized(column, count, {float, int, *none})
    if base in (str, int, bool):
        return _sized(column, count, {base, *none})
    raise TypeError(f"the cache cannot store a field of type {base!r}")


def _decode_table(kind: Any, column: Any, count: int, optional: bool) -> list[Any]:
    """The values of a tabled column (see the layout above): each distinct value rebuilt once, and shared."""
    values, index = _pair(column)
    _sized(index, count, {int})
    distinct: list[Any] = _decode_records(kind, values) if _is_record(kind) else _decode_tuples(kind, values, None)
    # An index past the end raises IndexError below, which a reader treats as damage like any other error.
    if index and min(index) < (-1 if optional else 0):
        raise _ForgedError
    if optional:
        distinct.append(None)  # index -1
    return list(map(distinct.__getitem__, index))


def _decode_tuples(kind: _Tuple, encoded: Any, count: int | None) -> list[tuple[Any, ...]]:
    """`count` tuples (any number where None) rebuilt from `_encode_tuples`' (lengths, items)."""
    lengths, items = _pair(encoded)
    if _sized(lengths, count, {int}) and min(lengths) < 0:
        raise _ForgedError
    flow = iter(_decode_column(kind.item, items, sum(lengths)))
    return list(map(tuple, map(islice, repeat(flow), lengths)))


def to_payload(division: Division) -> tuple[Any, ...]:
    """A division as plain nested tuples that marshal can store: its TaskFile, then its UnitFile (see the layout
    above).

    Equal strings are stored as one object (unit names, responsibility texts and time-limit phrases recur from
    task to task): marshal then writes each once, which makes the file smaller and loading it faster.
    """
    shared: dict[Any, Any] = {}
    return (
        _encode_records(TaskFile, [division.tasks_file], shared.setdefault),
        _encode_records(UnitFile, [division.units_file], shared.setdefault),
    )


def from_payload(payload: Any) -> Division:
    """Rebuild a division from `to_payload`'s tuples; a value of the wrong type or shape raises an error."""
    tasks, units = _pair(payload)
    (tasks_file,) = _decode_records(TaskFile, tasks)
    (units_file,) = _decode_records(UnitFile, units)
    return Division(tasks_file, units_file)


# --- reading and writing ---------------------------------------------------------------------------------


def _checksum(payload: bytes | memoryview) -> bytes:
    # CRC-32 catches a damaged file (truncation, flipped bits) at a tenth of the cost of a cryptographic
    # hash; what it guards is the cache's own bytes, and the key already ties them to the data files.
    return zlib.crc32(payload).to_bytes(CHECKSUM_SIZE, "big")


def _blob(path: Path) -> bytes | None:
    """The bytes of a cache file of this format, or None when it is missing, foreign or not private."""
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
    if len(blob) < HEADER_SIZE or not blob.startswith(MAGIC + bytes([FORMAT])):
        return None
    return blob


def _key_of(blob: bytes) -> bytes:
    return blob[len(MAGIC) + 1 : len(MAGIC) + 1 + DIGEST_SIZE]


def _sound(blob: bytes) -> bool:
    """Whether the bytes after the header are those its checksum was computed from."""
    return _checksum(memoryview(blob)[HEADER_SIZE:]) == blob[HEADER_SIZE - CHECKSUM_SIZE : HEADER_SIZE]


def _stored(path: Path, key: bytes) -> bytes | None:
    """The sound cache file for `key`, or None when it is missing, foreign, stale, damaged or not private."""
    blob = _blob(path)
    if blob is None or _key_of(blob) != key or not _sound(blob):
        return None
    return blob


def _trailer(blob: bytes) -> tuple[int, Any, Any] | None:
    """Where the trailer begins, its head and its stamp; None when it is missing or damaged."""
    if len(blob) < HEADER_SIZE + TRAILER_FIXED:
        return None
    length = int.from_bytes(blob[-LENGTH_SIZE:], "big")
    start = len(blob) - TRAILER_FIXED - length
    if start < HEADER_SIZE:
        return None
    trailer = memoryview(blob)[start : start + length]
    if _checksum(trailer) != blob[-TRAILER_FIXED:-LENGTH_SIZE]:
        return None
    pair = _loaded(trailer)
    if type(pair) is not tuple or len(pair) != 2:
        return None
    return start, pair[0], pair[1]


def _loaded(data: bytes | memoryview) -> Any:
    try:
        return marshal.loads(data)
    except Exception:  # a damaged payload is treated as absent, like any other
        return None


def _unchanged(path: Path, current: Stamp | None) -> tuple[bytes, Any] | None:
    """The cache file and its head when the stamp it records is `current` and was not racy: its files have not
    changed since its key was computed. None otherwise (the files must be hashed)."""
    if current is None:
        return None
    blob = _blob(path)
    found = _trailer(blob) if blob is not None else None
    if blob is None or found is None:
        return None
    _, head, recorded = found
    try:
        kept = Stamp(*recorded)
    except TypeError:  # not a stamp at all: none was recorded
        return None
    if type(kept.taken_ns) is not int or kept.code != current.code or kept.files != current.files or kept.racy:
        return None
    return blob, head


def read_payload(path: Path, key: bytes) -> Any:
    """The stored payload for `key`, or None when the file is missing, foreign, stale, damaged or not private."""
    blob = _stored(path, key)
    return None if blob is None else _loaded(memoryview(blob)[HEADER_SIZE:])


def _division(blob: bytes) -> Division | None:
    payload = _loaded(memoryview(blob)[HEADER_SIZE:])
    if payload is None:
        return None
    try:
        return from_payload(payload)
    except Exception:  # a checksum-valid file that still does not rebuild is treated as absent, like any other
        return None


def read(path: Path, key: bytes) -> Division | None:
    """The cached division for `key`, or None when the file is missing, foreign, stale, damaged or not private."""
    blob = _stored(path, key)
    return None if blob is None else _division(blob)


def read_unchanged(path: Path, current: Stamp | None) -> Division | None:
    """The cached division when its files' metadata are `current` (see the module's docstring), read without
    the files; None when they must be hashed, or as `read` gives None."""
    found = _unchanged(path, current)
    if found is None or not _sound(found[0]):
        return None
    return _division(found[0])


def _summary(head: Any) -> tuple[str, int, int] | None:
    try:
        title, year, count = head
    except Exception:  # not what `write` stores: treated as absent, like any other
        return None
    if type(title) is not str or type(year) is not int or type(count) is not int or count < 0:
        return None
    return title, year, count


def read_summary(path: Path, key: bytes) -> tuple[str, int, int] | None:
    """The title, plan year and number of tasks of the cached division for `key`, read without the division (a
    folder of a thousand tables is listed from these), or None as `read` gives None."""
    blob = _blob(path)
    found = _trailer(blob) if blob is not None and _key_of(blob) == key else None
    return None if found is None else _summary(found[1])


def read_unchanged_summary(path: Path, current: Stamp | None) -> tuple[str, int, int] | None:
    """`read_summary` without the files, when their metadata are `current` (see `read_unchanged`)."""
    found = _unchanged(path, current)
    return None if found is None else _summary(found[1])


def _blob_of(key: bytes, payload: bytes | memoryview, head: Any, current: Stamp | None) -> bytes:
    trailer = marshal.dumps((head, None if current is None else tuple(current)))
    data = b"".join((payload, trailer, _checksum(trailer), len(trailer).to_bytes(LENGTH_SIZE, "big")))
    return MAGIC + bytes([FORMAT]) + key + _checksum(data) + data


def _store(path: Path, blob: bytes) -> None:
    from .io.write import write_file

    with contextlib.suppress(OSError):
        write_file(path, blob, mode=0o600, sync=False)  # a cache lost in a crash is rebuilt: no fsync


def write_payload(path: Path, key: bytes, payload: Any, head: Any = None, current: Stamp | None = None) -> None:
    """Store plain nested tuples atomically, readable by this user only, followed by a small `head` that
    `read_summary` reads without them and the files' metadata; failing to write is silently no cache."""
    _store(path, _blob_of(key, marshal.dumps(payload), head, current))


def write(path: Path, key: bytes, division: Division, current: Stamp | None = None) -> None:
    """Store a division atomically, readable by this user only; failing to write is silently no cache."""
    head = (division.document.title, division.year, len(division.tasks))
    write_payload(path, key, to_payload(division), head, current)


def restamp(path: Path, key: bytes, current: Stamp | None) -> None:
    """Record `current` as the metadata of the entry for `key` (its files were just hashed and found unchanged), so
    that the next reading need not hash them; nothing when a file is still racy."""
    if current is None or current.racy:
        return
    blob = _stored(path, key)
    found = _trailer(blob) if blob is not None else None
    if blob is None or found is None:
        return
    start, head, _ = found
    _store(path, _blob_of(key, memoryview(blob)[HEADER_SIZE:start], head, current))
