"""Progress records: plain YAML beside a table, one file per unit, and the status computed from them.

records.py holds the file format, reading and checking; append.py appends a record, batch.py many at once
(all or none, through journal.py); status.py works out status,
summaries and reminders; cached.py gives queries the records that decide them, from the cache when it can.
"""

from __future__ import annotations

from ..vocabulary import STATUSES, Status
from .append import NewRecord, RecordRefusedError, append_record
from .batch import append_records
from .cached import ProgressReading, cached_progress
from .records import (
    STATUS_KEYS,
    ProgressRecord,
    fingerprint,
    period_bounds,
    read_progress,
    table_period,
)
from .status import (
    STATE_LABELS,
    STATES,
    RecordIndex,
    Records,
    Reminder,
    State,
    TaskReports,
    UnitProgress,
    deciding_records,
    done_by_all,
    done_test,
    index_records,
    is_done,
    latest_record,
    latest_status,
    occurrence_of,
    owed_units,
    progress_summary,
    reminders,
    task_reports,
    task_state,
)

__all__ = [
    "STATES",
    "STATE_LABELS",
    "STATUSES",
    "STATUS_KEYS",
    "NewRecord",
    "ProgressReading",
    "ProgressRecord",
    "RecordIndex",
    "RecordRefusedError",
    "Records",
    "Reminder",
    "State",
    "Status",
    "TaskReports",
    "UnitProgress",
    "append_record",
    "append_records",
    "cached_progress",
    "deciding_records",
    "done_by_all",
    "done_test",
    "fingerprint",
    "index_records",
    "is_done",
    "latest_record",
    "latest_status",
    "occurrence_of",
    "owed_units",
    "period_bounds",
    "progress_summary",
    "read_progress",
    "reminders",
    "table_period",
    "task_reports",
    "task_state",
]
