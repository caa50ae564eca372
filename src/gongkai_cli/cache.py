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

try:  # hashlib would also load OpenSSL: a few milliseconds on every query for nothing
    from _blake2 import blake2b
except ImportError:  # Pythons built without the bundled BLAKE2
    from hashlib import blake2b
from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from . import __version__
from .bounded import FileRefusedError, read_file
from .models import Division, TaskFile, UnitFile

MAGIC = b"GONGKAI-CACHE\x00"
# Bump when the way records become tuples changes (the fields themselves are covered by the code stamp).
FORMAT = 5
DIGEST_SIZE = 32
CHECKSUM_SIZE = 4
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


def _code_stamp() -> str:
    # The size and modification time of every module: validation rules edited in a working copy (where the
    # version does not change) must invalidate data that older rules passed. A few stat calls, no reads.
    package = Path(__file__).parent
    return ";".join(f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}" for e in sorted(package.glob("*.py")))


def data_key(contents: Mapping[Path, bytes]) -> bytes:
    """The cache key of what is read from these files: the package version and code, the cache format, and the
    files' order, names and exact bytes.

    The cache file itself is named after the data's folder, so the names need not say where the files lie.
    """
    digest = blake2b(f"{__version__}\x00{FORMAT}\x00{_code_stamp()}".encode(), digest_size=DIGEST_SIZE)
    for i, (path, data) in enumerate(contents.items()):
        digest.update(f"\x00{i}/{path.name}\x00{len(data)}\x00".encode())
        digest.update(data)
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
#
# The layout is the records' own: a record is the tuple of its fields in order, a tuple of records a tuple of
# such tuples. The code that writes and checks the tuples is generated from the records' annotations, so a
# field added to a record in models.py is stored and checked with no change here (the code stamp in the key
# retires the caches of the old layout). Generated code, not a loop over the fields, because rebuilding a
# hundred thousand tasks is what a cached query on a large table spends its time on.


class _ForgedError(Exception):
    """A payload value of the wrong type: the file was not written by `write`."""


def _forged() -> Any:
    raise _ForgedError


def _day(value: Any) -> datetime.date:
    if type(value) is not int:
        raise _ForgedError
    return datetime.date.fromordinal(value)


class _Codec:
    """Source code of an encoder and a decoder per record class, written from the classes' annotations."""

    def __init__(self) -> None:
        self.names: dict[type, str] = {}
        self.sources: list[str] = []
        self.namespace: dict[str, Any] = {"_forged": _forged, "_day": _day}

    def record(self, record: type) -> str:
        """The name suffix of `record`'s encoder and decoder, written on first use (with those of its fields)."""
        name = self.names.get(record)
        if name is not None:
            return name
        name = self.names[record] = record.__name__
        if list(self.names.values()).count(name) > 1:
            raise TypeError(f"two record classes named {name}")
        module = vars(sys.modules[record.__module__])
        # Postponed annotations, evaluated as typing.get_type_hints would, at a fraction of its cost.
        types = [_bare(eval(annotation, module)) for annotation in record.__annotations__.values()]
        fields = [f"f{i}" for i in range(len(types))]
        unpack = f"({', '.join(fields)},)"
        encoded = ", ".join(self.encode(t, f) for t, f in zip(types, fields, strict=True))
        decoded = ", ".join(self.decode(t, f) for t, f in zip(types, fields, strict=True))
        self.namespace[f"_make_{name}"] = record._make  # type: ignore[attr-defined]
        self.sources.append(
            f"def encode_{name}(record, share):\n    {unpack} = record\n    return ({encoded},)\n"
            f"def decode_{name}(row):\n    {unpack} = row if type(row) is tuple else _forged()\n"
            # _make skips the keyword handling of a NamedTuple's __new__: it matters a hundred thousand times over.
            f"    return _make_{name}(({decoded},))\n"
        )
        return name

    def encode(self, kind: Any, value: str) -> str:
        """An expression giving the plain form of `value`, a variable holding a `kind`."""
        inner = _optional(kind)
        if inner is not None:
            return f"(None if {value} is None else {self.encode(inner, value)})"
        if _is_record(kind):
            return f"encode_{self.record(kind)}({value}, share)"
        if get_origin(kind) is tuple:  # the comprehension's own `v` hides an outer one only inside it
            return f"tuple([{self.encode(_item(kind), 'v')} for v in {value}])"
        if kind is datetime.date:
            return f"{value}.toordinal()"
        if kind is str or get_origin(kind) is Literal:
            return f"share({value}, {value})"
        return value

    def decode(self, kind: Any, value: str) -> str:
        """An expression rebuilding a `kind` from the plain `value`, or raising _ForgedError for a wrong type."""
        scalars = _scalars(kind)
        if scalars is not None:  # checked and kept as it is
            return f"({value} if {' or '.join(_is(t, value) for t in scalars)} else _forged())"
        inner = _optional(kind)
        if inner is not None:
            return f"(None if {value} is None else {self.decode(inner, value)})"
        if _is_record(kind):
            return f"decode_{self.record(kind)}({value})"
        if kind is datetime.date:
            return f"_day({value})"
        if get_origin(kind) is tuple:
            item = _item(kind)
            scalars = _scalars(item)
            if scalars is not None:  # a tuple of texts (the most common) is checked and kept as it is
                types = self.constant(frozenset(scalars))
                return f"({value} if type({value}) is tuple and (not {value} or set(map(type, {value})) <= {types}) else _forged())"
            if _is_record(item):
                each = f"decode_{self.record(item)}"
            else:
                each = "_day" if item is datetime.date else f"lambda v: {self.decode(item, 'v')}"
            return f"((tuple(map({each}, {value})) if {value} else {value}) if type({value}) is tuple else _forged())"
        if get_origin(kind) is Literal:
            return f"({value} if type({value}) is str and {value} in {self.constant(frozenset(get_args(kind)))} else _forged())"
        raise TypeError(f"the cache cannot store a field of type {kind!r}")

    def constant(self, value: object) -> str:
        """A name for `value` in the generated code."""
        name = f"_constant_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def functions(self) -> dict[str, Any]:
        """Compile the encoders and decoders written so far."""
        exec("".join(self.sources), self.namespace)
        return self.namespace


def _bare(kind: Any) -> Any:
    """The type under Annotated[...] metadata, at any depth of unions and tuples."""
    if get_origin(kind) is Annotated:
        return _bare(get_args(kind)[0])
    if get_origin(kind) in (Union, UnionType):
        return Union[tuple(map(_bare, get_args(kind)))]  # noqa: UP007 - a Union built from a tuple of types
    if get_origin(kind) is tuple:
        return tuple[tuple(map(_bare, get_args(kind)))]  # type: ignore[misc]
    return kind


def _scalars(kind: Any) -> tuple[type, ...] | None:
    """The types a value of `kind` may have when it is stored as it is (str, int, bool, float, or one or None)."""
    inner = _optional(kind)
    if inner is not None:
        types = _scalars(inner)
        return None if types is None else (*types, type(None))
    if kind is float:  # pydantic keeps a whole number written for a float field as an int
        return (float, int)
    return (kind,) if kind in (str, int, bool) else None


def _is(kind: type, value: str) -> str:
    return f"{value} is None" if kind is type(None) else f"type({value}) is {kind.__name__}"


def _item(kind: Any) -> Any:
    """X for tuple[X, ...]."""
    item, *rest = get_args(kind)
    if rest != [Ellipsis]:
        raise TypeError(f"the cache stores tuples of one type, not {kind!r}")
    return item


def _optional(kind: Any) -> Any:
    """T for T | None, else None."""
    if get_origin(kind) in (Union, UnionType):
        rest = [arg for arg in get_args(kind) if arg is not type(None)]
        if len(rest) == 1 and len(get_args(kind)) == 2:
            return rest[0]
        raise TypeError(f"the cache stores unions with None only, not {kind!r}")
    return None


def _is_record(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")


@functools.cache
def _functions() -> dict[str, Any]:
    """encode_TaskFile, decode_TaskFile, encode_UnitFile, decode_UnitFile and what they call."""
    codec = _Codec()
    codec.record(TaskFile)
    codec.record(UnitFile)
    return codec.functions()


def to_payload(division: Division) -> tuple[Any, ...]:
    """A division as plain nested tuples that marshal can store: the fields of its TaskFile, then its UnitFile's.

    Equal strings are stored as one object (unit names, responsibility texts and time-limit phrases recur from
    task to task): marshal then writes each once, which makes the file smaller and loading it faster.
    """
    functions = _functions()
    shared: dict[str, str] = {}
    tasks: tuple[Any, ...] = functions["encode_TaskFile"](division.tasks_file, shared.setdefault)
    units: tuple[Any, ...] = functions["encode_UnitFile"](division.units_file, shared.setdefault)
    return tasks + units


def from_payload(payload: Any) -> Division:
    """Rebuild a division from `to_payload`'s tuples; a value of the wrong type raises an error."""
    functions = _functions()
    if type(payload) is not tuple:
        raise _ForgedError
    split = len(TaskFile._fields)
    return Division(functions["decode_TaskFile"](payload[:split]), functions["decode_UnitFile"](payload[split:]))


# --- reading and writing ---------------------------------------------------------------------------------


def _checksum(payload: bytes) -> bytes:
    # CRC-32 catches a damaged file (truncation, flipped bits) at a tenth of the cost of a cryptographic
    # hash; what it guards is the cache's own bytes, and the key already ties them to the data files.
    return zlib.crc32(payload).to_bytes(CHECKSUM_SIZE, "big")


def read_payload(path: Path, key: bytes) -> Any:
    """The stored payload for `key`, or None when the file is missing, foreign, stale, damaged or not private."""
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
    payload = blob[HEADER_SIZE:]
    if _checksum(payload) != blob[len(header) : HEADER_SIZE]:
        return None
    try:
        return marshal.loads(payload)
    except Exception:  # a damaged payload is treated as absent, like any other
        return None


def read(path: Path, key: bytes) -> Division | None:
    """The cached division for `key`, or None when the file is missing, foreign, stale, damaged or not private."""
    payload = read_payload(path, key)
    if payload is None:
        return None
    try:
        return from_payload(payload)
    except Exception:  # a checksum-valid file that still does not rebuild is treated as absent, like any other
        return None


def write_payload(path: Path, key: bytes, payload: Any) -> None:
    """Store plain nested tuples atomically, readable by this user only; failing to write is silently no cache."""
    data = marshal.dumps(payload)
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
    write_payload(path, key, to_payload(division))
