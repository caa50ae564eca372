"""Every write gongkai makes: the one writer's rules, locks on appends, `report --from` all or nothing, imports that
never overwrite, and `init` that quotes what it is given.

Device files are made with mknod in a temporary folder (the tests run as root); the real /dev is never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import DATA, EXAMPLES_PER_COMMAND
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_year import fill
from typer.testing import CliRunner

from gongkai_cli import progress as P
from gongkai_cli.cli.app import app
from gongkai_cli.importers import ImportRefusedError, import_table
from gongkai_cli.io import write
from gongkai_cli.load import check_folder, load_data
from gongkai_cli.skeleton import InitError, write_skeleton

TODAY = "2024-10-01"
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
needs_root = pytest.mark.skipif(not ROOT, reason="mknod of a device needs root")
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file types")


def run(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def office(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    return data


def device(folder: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7), made in `folder`."""
    path = folder / name
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- the one writer -------------------------------------------------------------------------------------------


def test_a_regular_file_is_replaced_keeping_its_mode_and_a_new_one_gets_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "kept.yaml"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o640)
    write.write_file(kept, b"new")
    assert kept.read_bytes() == b"new" and stat.S_IMODE(kept.stat().st_mode) == 0o640
    old_umask = os.umask(0o027)
    try:
        write.write_file(tmp_path / "fresh.yaml", b"x")
        write.write_folder(tmp_path / "a" / "b", {"f.yaml": b"y"})
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "fresh.yaml").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o750
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o750
    assert leftovers(tmp_path) == []


@posix
def test_an_export_writes_through_a_link_and_a_data_file_refuses_one(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.csv"
    target.write_bytes(b"old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write.write_file(link, b"new", export=True)
    assert link.is_symlink() and target.read_bytes() == b"new"
    with pytest.raises(write.WriteRefusedError, match="符号链接"):
        write.write_file(link, b"data")
    assert link.is_symlink() and target.read_bytes() == b"new"
    dangling = tmp_path / "dangling.ics"
    dangling.symlink_to(tmp_path / "made.ics")
    write.write_file(dangling, b"made", export=True)
    assert dangling.is_symlink() and (tmp_path / "made.ics").read_bytes() == b"made"


@needs_root
def test_export_csv_to_a_full_device_reports_the_error_and_keeps_the_node(office: Path, tmp_path: Path) -> None:
    full = device(tmp_path, "full", 7)
    failed = run("--data", str(office), "export", "csv", str(full), "--today", TODAY, code=1)
    assert failed.stderr.startswith(f"错误：无法写出 {full}（")
    assert stat.S_ISCHR(os.lstat(full).st_mode)
    null = device(tmp_path, "null", 3)
    run("--data", str(office), "export", "xlsx", str(null), "--today", TODAY)
    run("--data", str(office), "export", "ics", str(null), "--today", TODAY)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    with pytest.raises(write.WriteRefusedError, match="不是普通文件"):
        write.write_file(null, b"data file")


@posix
def test_export_xlsx_into_a_fifo_writes_into_it(office: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    received: list[bytes] = []
    # A daemon: were the pipe replaced, the reader would wait on it for ever.
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    written = run("--data", str(office), "export", "xlsx", str(fifo), "--today", TODAY)
    reader.join(timeout=60)
    assert written.stderr == f"已写出 {fifo}：690 行（总表）。\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    import io

    book = openpyxl.load_workbook(io.BytesIO(received[0]))
    assert book.sheetnames[0] == "总表" and book["总表"].max_row == 691


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), write.open_for_write(path) as out:
        out.write(b"half")
        raise RuntimeError
    assert path.read_bytes() == b"old" and leftovers(tmp_path) == []


@posix
def test_sigterm_while_writing_removes_the_temp(tmp_path: Path) -> None:
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from gongkai_cli.io.write import open_for_write\n"
        "with open_for_write(Path(sys.argv[1])) as out:\n"
        "    out.write(b'half')\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "f.yaml")], timeout=60, check=False)
    assert done.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_stale_temps_of_our_pattern_are_swept_by_the_next_write(tmp_path: Path) -> None:
    stale, fresh = tmp_path / ".gongkai-0123456789abcdef.tmp", tmp_path / ".gongkai-fedcba9876543210.tmp"
    foreign, stale_folder = tmp_path / ".report.yaml.tmp", tmp_path / ".gongkai-00000000000000aa.tmp"
    for path in (stale, fresh, foreign):
        path.write_bytes(b"left by kill -9")
    stale_folder.mkdir()
    (stale_folder / "0").write_bytes(b"x")
    old = time.time() - write.STALE_AFTER - 60
    for path in (stale, foreign, stale_folder):
        os.utime(path, (old, old))
    write.write_file(tmp_path / "f.yaml", b"x")
    assert leftovers(tmp_path) == sorted([fresh.name, foreign.name])


def test_the_cache_is_written_private_through_the_writer(tmp_path: Path) -> None:
    from gongkai_cli import cache

    old_umask = os.umask(0)
    try:
        cache.write_payload(tmp_path / "x.cache", b"k" * cache.DIGEST_SIZE, (1, 2))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "x.cache").stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


# --- locks ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("take", ["flock", "exclusive"])
def test_the_lock_serialises_threads_and_leaves_no_lock_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, take: str
) -> None:
    if take == "exclusive":
        monkeypatch.setattr(write, "_take", write._exclusive)
    counter = tmp_path / "n.yaml"
    counter.write_text("0")

    def bump() -> None:
        for _ in range(20):
            with write.locked(counter):
                value = int(counter.read_text())
                time.sleep(0.0005)
                write.write_file(counter, str(value + 1).encode())

    threads = [threading.Thread(target=bump) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.read_text() == "100"
    assert leftovers(tmp_path) == []


def _invoke_in_child(args: list[str]) -> tuple[int, str]:
    """Run one command in this forked process (its imports already loaded) and say how it ended."""
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.mark.stress
@pytest.mark.skipif(not hasattr(os, "fork"), reason="the processes are forked")
def test_fifty_concurrent_reports_and_a_report_from_all_land(office: Path, tmp_path: Path) -> None:
    # Fifty separate processes append at once, as fifty clerks' `report` runs would. They are forked from this one
    # (spawning fifty interpreters costs a minute of start-up on two cores); each holds its own file
    # descriptions, so the locks are exercised exactly as between separate runs of the command.
    import multiprocessing

    base = ["--data", str(office)]
    workbook, filled = tmp_path / "台账.xlsx", tmp_path / "填好的台账.xlsx"
    run(*base, "export", "xlsx", str(workbook), "--today", TODAY)
    fill(
        workbook,
        filled,
        {
            (6, "市司法局"): ("已完成", "已建立机制", "2024-05-30"),
            (6, "市政务公开办"): ("已完成", "已建立", "2024-05-28"),
        },
    )
    run(*base, "units", "-f", "json")  # warm the cache
    one_report = [*base, "report", "12", "--unit", "市司法局", "--status", "按序时推进", "--date", "2024-06-30"]
    commands = [[*one_report, "--note", f"第 {i} 次报送", "--today", TODAY] for i in range(50)]
    commands.insert(25, [*base, "report", "--from", str(filled), "--today", TODAY])
    with multiprocessing.get_context("fork").Pool(len(commands)) as pool:
        ended = pool.map(_invoke_in_child, commands, chunksize=1)
    for code, output in ended:
        assert code == 0, output
    assert sum("已追加" in output for _, output in ended) == 50
    division = load_data(office, use_cache=False)
    records, problems = P.read_progress(office / "progress", division, today=date(2024, 10, 1))
    assert problems == []
    notes = sorted(r.progress for r in records if r.task == 12)
    assert notes == sorted(f"第 {i} 次报送" for i in range(50))
    assert sorted((r.task, r.unit) for r in records if r.task == 6) == [(6, "市司法局"), (6, "市政务公开办")]
    assert leftovers(office / "progress") == []


# --- report --from ----------------------------------------------------------------------------------------------


def filled_for_two_units(office: Path, tmp_path: Path) -> Path:
    workbook, filled = tmp_path / "台账.xlsx", tmp_path / "填好的台账.xlsx"
    run("--data", str(office), "export", "xlsx", str(workbook), "--today", TODAY)
    fill(
        workbook,
        filled,
        {
            (6, "市司法局"): ("已完成", "已建立机制", "2024-05-30"),
            (35, "市司法局"): ("已完成", "已修订", "2024-08-20"),
            (6, "市政务公开办"): ("已完成", "已建立", "2024-05-28"),
        },
    )
    return filled


@posix
def test_report_from_never_follows_links_in_progress(office: Path, tmp_path: Path) -> None:
    filled = filled_for_two_units(office, tmp_path)
    progress = office / "progress"
    progress.mkdir()
    secret = tmp_path / "secret"
    secret.write_text("password: hunter2\n")
    (progress / "x.yaml").symlink_to(secret)
    (progress / "loop").symlink_to(".")  # copytree recursed into this until RecursionError
    run("--data", str(office), "report", "--from", str(filled), "--today", TODAY)
    assert (progress / "x.yaml").is_symlink() and (progress / "loop").is_symlink()
    assert sorted(p.name for p in progress.iterdir()) == ["loop", "x.yaml", "市司法局.yaml", "市政务公开办.yaml"]
    assert not any("hunter2" in p.read_text() for p in progress.glob("市*.yaml"))


@posix
def test_report_from_refuses_a_unit_file_that_is_a_link_and_names_it(office: Path, tmp_path: Path) -> None:
    filled = filled_for_two_units(office, tmp_path)
    progress = office / "progress"
    progress.mkdir()
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("unit: 市司法局\nrecords: []\n", encoding="utf-8")
    (progress / "市司法局.yaml").symlink_to(elsewhere)
    refused = run("--data", str(office), "report", "--from", str(filled), "--today", TODAY, code=1)
    assert "市司法局.yaml 是符号链接" in refused.stderr and "一条记录也没有写入" in refused.stderr
    assert sorted(p.name for p in progress.iterdir()) == ["市司法局.yaml"]
    assert elsewhere.read_text(encoding="utf-8") == "unit: 市司法局\nrecords: []\n"


def test_report_from_failing_midway_writes_nothing(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled = filled_for_two_units(office, tmp_path)
    progress = office / "progress"
    progress.mkdir()
    (progress / "市政务公开办.yaml").write_text("unit: 市政务公开办\nrecords: []\n", encoding="utf-8")
    real = write.write_file
    written: list[str] = []

    def full_disk(path: Path, data: bytes, **options: Any) -> None:
        if path.parent == progress and path.suffix == ".yaml":
            written.append(path.name)
            if len(written) == 2:
                raise OSError(28, "No space left on device")
        real(path, data, **options)

    monkeypatch.setattr(write, "write_file", full_disk)
    failed = run("--data", str(office), "report", "--from", str(filled), "--today", TODAY, code=1)
    assert "一条记录也没有写入" in failed.stderr
    assert sorted(p.name for p in progress.iterdir()) == ["市政务公开办.yaml"]  # 市司法局.yaml, written first, is gone
    assert (progress / "市政务公开办.yaml").read_text(encoding="utf-8") == "unit: 市政务公开办\nrecords: []\n"


CRASH = """\
import os, sys
from datetime import date
from pathlib import Path
from gongkai_cli.io import write
from gongkai_cli.load import load_data
from gongkai_cli.progress import NewRecord, append_records

data = Path(sys.argv[1])
real, seen = write.write_file, []
def crash(path, content, **options):
    if path.parent.name == "progress":
        seen.append(path)
        if len(seen) == 2:
            os._exit(9)  # as kill -9 would: no cleanup at all
    real(path, content, **options)
write.write_file = crash
division = load_data(data, use_cache=False)
reports = [NewRecord("市司法局", 12, date(2024, 6, 30), "已完成", "a"), NewRecord("市政务公开办", 6, date(2024, 5, 28), "已完成", "b")]
append_records(data / "progress", division, reports, today=date(2024, 10, 1))
"""


@pytest.mark.parametrize("next_run", ["check", "report"])
def test_a_batch_cut_short_is_finished_by_the_next_run(office: Path, next_run: str) -> None:
    from gongkai_cli.progress import journal

    done = subprocess.run([sys.executable, "-c", CRASH, str(office)], timeout=120, check=False)
    assert done.returncode == 9
    progress = office / "progress"
    journals = [p for p in progress.iterdir() if p.name.startswith(journal.JOURNAL_PREFIX)]
    assert len(journals) == 1
    assert not (progress / "市政务公开办.yaml").exists()  # half applied
    if next_run == "check":
        run("check", str(office), "--today", TODAY)
    else:
        run("--data", str(office), "report", "17", "--unit", "市政务公开办", "--status", "已完成", "--today", TODAY)
    assert leftovers(progress) == []
    division = load_data(office, use_cache=False)
    records, problems = P.read_progress(progress, division, today=date(2024, 10, 1))
    assert problems == []
    assert {(r.unit, r.task) for r in records} >= {("市司法局", 12), ("市政务公开办", 6)}


def test_report_from_checks_each_unit_file_once(office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai_cli.progress import append

    filled = filled_for_two_units(office, tmp_path)
    progress = office / "progress"
    progress.mkdir()
    (progress / "市司法局.yaml").write_text("unit: 市司法局\nrecords: []\n", encoding="utf-8")
    calls: list[str] = []
    real = append.file_problems

    def counted(path: Path, *args: Any) -> Any:
        calls.append(path.name)
        return real(path, *args)

    monkeypatch.setattr(append, "file_problems", counted)
    run("--data", str(office), "report", "--from", str(filled), "--today", TODAY)
    # Before and after for 市司法局 (two rows), after only for the new 市政务公开办 file.
    assert sorted(calls) == ["市司法局.yaml", "市司法局.yaml", "市政务公开办.yaml"]


# --- import -----------------------------------------------------------------------------------------------------

SOURCE = "某县2025年任务\n序号\t具体要求\t责任单位\t时限\n1\t公开预算。\t县财政局\t年底前\n"


def test_import_refuses_a_folder_of_tables_and_force_keeps_a_copy(office: Path, tmp_path: Path) -> None:
    source = tmp_path / "表.txt"
    source.write_text(SOURCE, encoding="utf-8")
    (office / "2024").mkdir()
    shutil.move(office / "tasks.yaml", office / "2024" / "tasks.yaml")
    roster = (office / "units.yaml").read_bytes()
    refused = run("import", str(source), "--out", str(office), "--year", "2025", code=1)
    assert "已有 units.yaml、表文件夹 2024" in refused.stderr and "--force" in refused.stderr
    assert (office / "units.yaml").read_bytes() == roster and not (office / "tasks.yaml").exists()
    with pytest.raises(ImportRefusedError, match=r"已有 units\.yaml"):
        import_table(source, office, year=2025, roster=None, force=False)
    forced = run("import", str(source), "--out", str(office), "--year", "2025", "--force")
    backups = list((office / ".gongkai-backup").iterdir())
    assert len(backups) == 1 and (backups[0] / "units.yaml").read_bytes() == roster
    assert f"原有的文件已备份到 {backups[0]}" in forced.stderr
    assert (office / "2024" / "tasks.yaml").exists()


def test_import_creates_folders_with_the_umask(tmp_path: Path) -> None:
    source = tmp_path / "表.txt"
    source.write_text(SOURCE, encoding="utf-8")
    old_umask = os.umask(0o022)
    try:
        import_table(source, tmp_path / "new" / "2025", year=2025, roster=None, force=False)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "new" / "2025").stat().st_mode) == 0o755
    assert leftovers(tmp_path / "new") == []


# --- init -------------------------------------------------------------------------------------------------------


def _without_title(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("  title: ")]


@settings(max_examples=EXAMPLES_PER_COMMAND, deadline=None)
@given(st.text(max_size=40))
@example("C#语言 2026 # 草稿")
@example("A: B")
@example("2026")
@example("[x")
@example("- x")
@example("标题\nyear: 1999\nsections: []")
@example("'\"{}&*!|>%@`")
@example("a\x85b\u2028c")
@example("\x1b[31m")
def test_init_quotes_any_title(title: str) -> None:
    import tempfile

    from gongkai_cli.schema import schema_line
    from gongkai_cli.skeleton import TASKS_SKELETON

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "table"
        try:
            write_skeleton(folder, title=title, year=2026)
        except InitError:
            assert not folder.exists()  # refused: a title check would refuse too
            return
        text = (folder / "tasks.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(text)["document"] == {"title": title, "year": 2026}
        # Every line of the template, comments included, is there as it was; the title takes one line.
        template = schema_line("tasks.yaml") + TASKS_SKELETON.format(title="T", year=2026)
        assert _without_title(text) == _without_title(template)
        assert [p for t in check_folder(folder, today=date(2026, 3, 1)) for p in t.problems] == []


def test_init_on_failure_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "write_file", no_space)
    with pytest.raises(InitError, match="无法写入"):
        write_skeleton(tmp_path / "a" / "b" / "2026", title="某市2026年任务", year=2026)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InitError, match="UTF-8"):
        write_skeleton(tmp_path / "c", title="\udcff", year=2026)
    assert list(tmp_path.iterdir()) == []
