"""Write a copy of the shipped data with N progress records, for the benchmark's progress part.

    python benchmarks/progress_records.py 10000 OUTDIR

The records are spread over every (task, unit) a unit owes, dated through the plan year, with every status.
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date, timedelta
from pathlib import Path

from gongkai_cli.load import load_data
from gongkai_cli.progress import fingerprint, owed_units
from gongkai_cli.workspace import bundled_data_dir

STATUSES = ("按序时推进", "未达预期", "已完成", "未开始")


def write(count: int, out: Path) -> None:
    """The shipped data in `out`, with `count` records under out/progress/."""
    shutil.copytree(bundled_data_dir(), out)
    division = load_data(out, use_cache=False)
    pairs = [(task, unit) for task in division.tasks for unit in owed_units(division, task)]
    files: dict[str, list[str]] = {}
    for i in range(count):
        task, unit = pairs[i % len(pairs)]
        day = date(division.year, 1, 1) + timedelta(days=(i * 7) % 270)
        files.setdefault(unit, []).append(
            f'  - task: {task.number}\n    fingerprint: "{fingerprint(task)}"\n    date: {day}\n'
            f"    status: {STATUSES[i % len(STATUSES)]}\n    progress: 第{i}次报送\n"
        )
    (out / "progress").mkdir()
    for unit, rows in files.items():
        text = f'unit: "{unit}"\nrecords:\n' + "".join(rows)
        (out / "progress" / f"{unit}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    arguments = parser.parse_args()
    write(arguments.count, arguments.out)
