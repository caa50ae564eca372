"""The package as a library and as a program: its names load on first use; `python -m gongkai_cli` runs the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize(
    ("code", "status", "stderr"),
    [
        pytest.param("None", 0, "", id="none"),
        pytest.param("0", 0, "", id="zero"),
        pytest.param("3", 3, "", id="a-status"),
        pytest.param("'已取消。'", 1, "已取消。\n", id="a-message"),
    ],
)
def test_the_program_ends_as_system_exit_would_with_exit_handlers_run(code: str, status: int, stderr: str) -> None:
    """The program ends without freeing its objects (os._exit), but as SystemExit(code) would end it: the same
    status and message, exit handlers run (openpyxl removes its temporary files in one), buffered output written."""
    program = (
        "import atexit, sys\n"
        "from gongkai_cli.__main__ import _leave\n"
        "atexit.register(lambda: sys.stdout.write('exit handler ran\\n'))\n"
        "sys.stdout.write('buffered')\n"
        f"_leave({code})\n"
    )
    ended = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert (ended.returncode, ended.stdout, ended.stderr) == (status, "bufferedexit handler ran\n", stderr)


def test_an_export_leaves_no_temporary_files(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "台账.xlsx"
    env = {**os.environ, "TMPDIR": str(scratch), "GONGKAI_CACHE_DIR": "off"}
    command = [sys.executable, "-m", "gongkai_cli", "export", "xlsx", str(out), "--today", "2024-06-01"]
    subprocess.run(command, capture_output=True, env=env, check=True)
    assert out.stat().st_size > 0
    assert list(scratch.iterdir()) == []
