"""Appending many records at once (`report --from`): every one of them, or none.

Each unit's file is read and checked once, with all its new records appended in one go, and the ownership
answers are shared by every file; so the cost grows with the rows, not with rows times records. The files are
locked in name order (the locks `report` takes, so both can run at once), checked to be unchanged since they
were read, and written back through a journal (journal.py): a crash cannot leave half of the batch applied.
Only the files of units with new records are read, never through a link: a link, device or pipe in their place
is refused by name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ..models import Division
from .append import (
    NewRecord,
    RecordRefusedError,
    appended,
    checked_record,
    finish_interrupted_batches,
    fresh_problems,
    read_unit_file,
    refusal,
    signature,
)
from .records import CheckContext, ProgressRecord


def _owner(starts: Sequence[int], line: int | None) -> int:
    """Which of the appended records (by their first lines) a problem on `line` belongs to."""
    position = 0
    for i, start in enumerate(starts):
        if line is not None and line >= start:
            position = i
    return position


def append_records(folder: Path, division: Division, reports: Sequence[NewRecord], *, today: date) -> list[Path]:
    """Append every report as a record to its unit's file in `folder`, all or none; the files written.

    RecordRefusedError with nothing written when any report is refused; its `index` is the position of the first
    report refused (the one a person should look at first).
    """
    from ..io.write import make_folders, remove_folders

    if not reports:
        return []
    records: list[ProgressRecord] = []
    for i, report in enumerate(reports):
        try:
            records.append(checked_record(division, report))
        except RecordRefusedError as e:
            raise RecordRefusedError(str(e), e.problems, i) from None
    by_file: dict[Path, list[int]] = {}
    for i, record in enumerate(records):
        by_file.setdefault(folder / f"{record.unit}.yaml", []).append(i)
    created = make_folders(folder)
    try:
        return _append(folder, division, records, by_file, today)
    except BaseException:
        remove_folders(created)
        raise


def _append(
    folder: Path, division: Division, records: Sequence[ProgressRecord], by_file: dict[Path, list[int]], today: date
) -> list[Path]:
    from ..io.write import WriteRefusedError, locked
    from .journal import Change, apply_changes

    finish_interrupted_batches(folder)
    context = CheckContext(division, today)
    with contextlib.ExitStack() as stack:
        for path in sorted(by_file):
            stack.enter_context(locked(path))
        changes: list[Change] = []
        signatures = []
        refused: list[RecordRefusedError] = []
        for path, indexes in by_file.items():
            try:
                old, before = read_unit_file(path)
                new, starts = appended(path, old, [records[i] for i in indexes])
            except RecordRefusedError as e:
                refused.append(RecordRefusedError(str(e), e.problems, indexes[0]))
                continue
            fresh = fresh_problems(path, old, new, division, today, context)
            if fresh:
                first = min(_owner(starts, p.line) for p in fresh)
                refused.append(refusal([p for p in fresh if _owner(starts, p.line) == first], indexes[first]))
                continue
            changes.append(Change(path, old, new))
            signatures.append(before)
        if refused:
            raise min(refused, key=lambda e: e.index or 0)
        changed = [
            change.path.name
            for change, before in zip(changes, signatures, strict=True)
            if signature(change.path) != before
        ]
        if changed:
            raise RecordRefusedError(f"记录未写入：{'、'.join(changed)} 在写入时被其他程序改动；请重新汇总台账")
        try:
            apply_changes(folder, changes)
        except WriteRefusedError as e:
            raise RecordRefusedError(f"记录未写入：{e}") from None
    return [change.path for change in changes]


__all__ = ["append_records"]
