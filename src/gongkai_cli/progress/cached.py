"""Progress as queries read it: the deciding records, cached as plain tuples until a record or the table changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ..errors import Problem
from ..io.read import FileRefusedError, read_file
from ..models import Division
from ..tuples import NamedTuple
from ..vocabulary import STATUSES
from .records import ProgressRecord, read_progress
from .status import deciding_records


class ProgressReading(NamedTuple):
    """What queries read of a progress folder: the deciding records dated up to today, or the problems found.

    `later` counts the records dated after today (a past --today, say): an answer as of today leaves them out.
    """

    records: list[ProgressRecord]
    problems: list[Problem]
    later: int = 0


def cached_progress(folder: Path, division: Division, *, today: date, table_files: Sequence[Path]) -> ProgressReading:
    """The deciding records (see `deciding_records`) of the records dated up to `today`, from the cache when neither
    the records nor the table's files have changed.

    Only a clean reading is cached, so a problem is always reported from source. A record after today is not a
    problem here (`check` reports it): it is left out and counted.
    """
    from .. import cache

    try:
        names = sorted(p for p in folder.glob("*.yaml")) if folder.is_dir() else []
        contents = {path: read_file(path) for path in [*table_files, *names]}
    except (OSError, FileRefusedError):
        return _reading_from_source(folder, division, today, None, b"")
    if not names:
        return ProgressReading([], [])
    wanted = cache.cache_dir()
    store = cache.private_folder(wanted) if wanted is not None else None
    # Today is not part of the key, so that queries with different --today share the cache: the cache holds the
    # deciding records of all records, which hold each task and unit's latest, so if none is after today they
    # are the answer; otherwise the answer is worked out from source.
    key = cache.data_key(contents)
    stored_at = cache.cache_file(store, folder) if store is not None else None
    if stored_at is not None:
        payload = cache.read_payload(stored_at, key)
        if payload is not None:
            try:
                records = _records_from(payload)
            except Exception:  # a payload of the wrong shape is treated as absent
                records = None
            if records is not None and all(r.date <= today for r in records):
                return ProgressReading(records, [])
    return _reading_from_source(folder, division, today, stored_at, key)


def _reading_from_source(
    folder: Path, division: Division, today: date, stored_at: Path | None, key: bytes
) -> ProgressReading:
    from .. import cache

    everything, problems = read_progress(folder, division, today=date.max)
    if problems:
        return ProgressReading(everything, problems)
    deciding = deciding_records(division, everything)
    if stored_at is not None:
        cache.write_payload(stored_at, key, tuple(_record_row(r) for r in deciding))
    current = [r for r in everything if r.date <= today]
    if len(current) == len(everything):
        return ProgressReading(deciding, [])
    return ProgressReading(deciding_records(division, current), [], len(everything) - len(current))


def _record_row(record: ProgressRecord) -> tuple[object, ...]:
    return (
        record.unit,
        record.task,
        record.fingerprint,
        record.date.toordinal(),
        record.status,
        record.progress,
        record.evidence,
        record.reported_by,
        record.period,
        str(record.path) if record.path is not None else None,
        record.line,
    )


# The type each column of a cached record must have (None allowed where a field is optional).
_COLUMN_TYPES: tuple[frozenset[type], ...] = (
    frozenset({str}),  # unit
    frozenset({int}),  # task
    frozenset({str}),  # fingerprint
    frozenset({int}),  # date as an ordinal
    frozenset({str}),  # status
    frozenset({str}),  # progress
    frozenset({tuple}),  # evidence
    frozenset({str, type(None)}),  # reported_by
    frozenset({str, type(None)}),  # period
    frozenset({str, type(None)}),  # path
    frozenset({int, type(None)}),  # line
)


def _records_from(payload: Sequence[Sequence[object]]) -> list[ProgressRecord]:
    """Rebuild cached records column by column, checking every value's type; TypeError on a forged payload."""
    if not payload:
        return []
    columns = list(zip(*payload, strict=True))
    if len(columns) != len(_COLUMN_TYPES):
        raise TypeError("a cached progress record of the wrong shape")
    for column, allowed in zip(columns, _COLUMN_TYPES, strict=True):
        if not set(map(type, column)) <= allowed:
            raise TypeError("a cached progress record of the wrong type")
    units, tasks, prints, ordinals, statuses, texts, evidence, by, periods, paths, lines = columns
    if not set(statuses) <= STATUSES.keys() or not all(set(map(type, e)) <= {str} for e in evidence if e):
        raise TypeError("a cached progress record of the wrong value")
    files = {name: Path(name) for name in set(paths) if name is not None}  # one Path per file, not per record
    dates = map(date.fromordinal, ordinals)
    where = map(files.get, paths)
    rows = zip(units, tasks, prints, dates, statuses, texts, evidence, by, periods, where, lines, strict=True)
    # _make skips the keyword handling of a NamedTuple's __new__: it matters ten thousand times over.
    return list(map(ProgressRecord._make, rows))


__all__ = ["ProgressReading", "cached_progress"]
