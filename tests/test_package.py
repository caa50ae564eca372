"""The package as a library and as a program: its names load on first use; `python -m gongkai_cli` runs the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_importing_the_package_loads_none_of_its_modules() -> None:
    loaded = run_python("import sys, gongkai_cli; print(' '.join(m for m in sys.modules if m.startswith('gongkai')))")
    assert loaded.split() == ["gongkai_cli"]


def test_the_library_names_load_on_first_use() -> None:
    import gongkai_cli
    from gongkai_cli import errors, load, query

    assert gongkai_cli.load_data is load.load_data
    assert gongkai_cli.tasks_for_unit is query.tasks_for_unit
    assert gongkai_cli.DataError is errors.DataError
    owed = gongkai_cli.tasks_for_unit(gongkai_cli.load_data(), "市司法局")
    assert [(o.task.number, o.role) for o in owed][:4] == [
        (1, "relevant"),
        (3, "relevant"),
        (4, "relevant"),
        (6, "named"),
    ]
    assert set(gongkai_cli.__all__) - {"__version__"} <= set(dir(gongkai_cli)) | set(gongkai_cli._HOMES)
    with pytest.raises(AttributeError, match="no_such_name"):
        gongkai_cli.no_such_name  # noqa: B018


def test_python_dash_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gongkai_cli", "show", "17", "-f", "csv"], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[1] == "任务编号,17"
