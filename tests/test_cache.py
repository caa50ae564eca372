"""The cache of validated data: used when fresh, ignored and rebuilt when anything is off."""

from __future__ import annotations

import marshal
import os
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gongkai_cli import cache, load
from gongkai_cli.cli.app import app
from gongkai_cli.load import load_data
from gongkai_cli.models import (
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
from tests.conftest import DATA


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(folder))
    return folder


def _only_cache_file(folder: Path) -> Path:
    files = list(folder.iterdir())
    assert len(files) == 1, files
    return files[0]


def _forbid_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("validated from source although the cache was fresh")

    monkeypatch.setattr(load, "inspect_data", fail)


def _same(a: Division, b: Division) -> bool:
    return a.tasks_file == b.tasks_file and a.units_file == b.units_file


def test_payload_round_trip_keeps_every_field() -> None:
    division = load_data(DATA, use_cache=False)
    assert _same(cache.from_payload(cache.to_payload(division)), division)


# Every field of every record set to something other than its default: a field added to a record must be set
# here too (test_the_full_division_sets_every_field says which), and then the round trip below covers it.
FULL_TASK = Task(
    requirement="具体要求",
    time_limit=TimeLimit(
        "每季度",
        "recurring",
        date(2024, 3, 31),
        date(2024, 1, 1),
        True,
        "解读",
        (date(2024, 3, 31), date(2024, 6, 30)),
        7,
        "working_day",
    ),
    number=7,
    responsibility="市甲局牵头，市乙局配合",
    lead_text="市甲局",
    support_text="市乙局",
    work_item="工作任务",
    leads=("市甲局",),
    implementers=("市甲局", "市丙局"),
    supports=("市乙局",),
    scoring=(ScoringRule(-0.5, "未按时公开", "每次", "市甲局"), ScoringRule(2, "获评优秀")),
    notes=("人工核对",),
)
FULL = Division(
    TaskFile(
        Document(
            "标题",
            2024,
            "发文单位",
            "池政公办函〔2024〕14号",
            date(2024, 3, 1),
            "2024年3月1日",
            "通知标题",
            "各单位",
            "正文",
            "署名",
            ("序号", "具体要求"),
            date(2024, 1, 1),
            date(2025, 3, 31),
        ),
        (
            Section(
                "第一部分",
                "一",
                (Subsection("小标题", (FULL_TASK,), "一"),),
                (FULL_TASK._replace(number=8, time_limit=TimeLimit("年底前", "deadline", date(2024, 12, 31))),),
            ),
        ),
        (FULL_TASK._replace(number=9),),
    ),
    UnitFile(
        (
            Unit(
                "市甲局", "station", "市甲管理局", (Variant("甲局", "简称"),), ("甲",), "备注", True, "张三 13800000000"
            ),
        ),
        (Group("各站所", "relevant", ("市甲局",), ("station",), True, (Variant("各站", "简称"),), "备注", True),),
        (KindDefinition("station", "站所", ("站", "所")),),
    ),
)
RECORD_TYPES = {
    TaskFile,
    Document,
    Section,
    Subsection,
    Task,
    TimeLimit,
    ScoringRule,
    UnitFile,
    Unit,
    Group,
    Variant,
    KindDefinition,
}


def _records(value: Any) -> Iterator[Any]:
    """Every record inside `value`, at any depth."""
    if isinstance(value, tuple):
        if hasattr(value, "_fields"):
            yield value
        for item in value:
            yield from _records(item)


def _typed(value: Any) -> Any:
    """`value` with the type of every part beside it: 2 and 2.0, 1 and True compare unequal here."""
    if isinstance(value, tuple):
        return (type(value), tuple(map(_typed, value)))
    return (type(value), value)


def test_the_full_division_sets_every_field() -> None:
    records = [r for part in (FULL.tasks_file, FULL.units_file) for r in _records(part)]
    assert {type(r) for r in records} == RECORD_TYPES
    for kind in RECORD_TYPES:
        for field in kind._fields:
            defaults = kind._field_defaults
            values = [getattr(r, field) for r in records if type(r) is kind]
            assert any(v != defaults[field] for v in values) if field in defaults else values, (
                f"{kind.__name__}.{field}"
            )


def test_every_field_survives_the_round_trip_with_its_type() -> None:
    stored = marshal.loads(marshal.dumps(cache.to_payload(FULL)))
    rebuilt = cache.from_payload(stored)
    assert _typed(rebuilt.tasks_file) == _typed(FULL.tasks_file)
    assert _typed(rebuilt.units_file) == _typed(FULL.units_file)
    assert [t.number for t in rebuilt.tasks] == [9, 8, 7]


def _places(payload: Any, where: tuple[int, ...] = ()) -> Iterator[tuple[int, ...]]:
    """The position of every value in a payload: each scalar, each empty tuple, and each non-empty tuple itself."""
    if where:
        yield where
    if isinstance(payload, tuple):
        for i, item in enumerate(payload):
            yield from _places(item, (*where, i))


def _replaced(payload: Any, where: tuple[int, ...], value: object) -> Any:
    if not where:
        return value
    first, *rest = where
    return (*payload[:first], _replaced(payload[first], tuple(rest), value), *payload[first + 1 :])


def test_a_value_of_the_wrong_type_anywhere_is_refused() -> None:
    """A forged cache: bytes are never a field's type, so each replacement must be caught by a field's check."""
    payload = cache.to_payload(FULL)
    places = list(_places(payload))
    assert len(places) > 150
    for where in places:
        with pytest.raises(Exception):  # noqa: B017 - any error: `cache.read` treats every one as no cache
            cache.from_payload(_replaced(payload, where, b"forged"))


def _task_field_path(field: str) -> tuple[int, ...]:
    """Where the column of `field` of the tasks directly under the table lies in a payload: the table is
    (count, columns), its `tasks` column (lengths, the tasks as (count, columns))."""
    return (0, 1, TaskFile._fields.index("tasks"), 1, 1, Task._fields.index(field))


def _at(payload: Any, where: tuple[int, ...]) -> Any:
    for i in where:
        payload = payload[i]
    return payload


def test_recurring_values_are_stored_once_and_shared() -> None:
    twins = (FULL_TASK, FULL_TASK._replace(number=8), FULL_TASK._replace(number=9, time_limit=TimeLimit("年底前")))
    division = Division(FULL.tasks_file._replace(sections=(), tasks=twins), FULL.units_file)
    payload = cache.to_payload(division)
    limits, index = _at(payload, _task_field_path("time_limit"))
    assert limits[0] == 2 and index == (0, 0, 1)  # (count, columns) of the distinct time limits; each task's
    seven, eight, nine = cache.from_payload(marshal.loads(marshal.dumps(payload))).tasks
    assert seven.time_limit is eight.time_limit and seven.leads is eight.leads and seven.scoring is eight.scoring
    assert nine.time_limit is not eight.time_limit and nine.time_limit == TimeLimit("年底前")
    assert seven is not eight


@pytest.mark.parametrize(
    ("where", "value"),
    [
        pytest.param((*_task_field_path("time_limit"), 1, 0), -1, id="none-for-a-required-time-limit"),
        pytest.param((*_task_field_path("time_limit"), 1, 0), 1, id="time-limit-past-the-table"),
        pytest.param((*_task_field_path("leads"), 1, 0), -2, id="leads-before-the-table"),
        pytest.param((*_task_field_path("leads"), 1, 0), 5, id="leads-past-the-table"),
        pytest.param((0, 1, TaskFile._fields.index("tasks"), 0, 0), 2, id="more-tasks-than-stored"),
        pytest.param((0, 1, TaskFile._fields.index("tasks"), 0, 0), -1, id="negative-length"),
        pytest.param((0, 0), 2, id="two-tables"),
        pytest.param((0, 1, TaskFile._fields.index("tasks"), 1, 0), 0, id="count-below-the-columns"),
    ],
)
def test_an_index_length_or_count_out_of_place_is_refused(where: tuple[int, ...], value: int) -> None:
    """Well-typed numbers that do not fit the layout: each must be caught, not read as another value."""
    payload = cache.to_payload(FULL)
    assert type(_at(payload, where)) is int
    with pytest.raises(Exception):  # noqa: B017 - any error: `cache.read` treats every one as no cache
        cache.from_payload(_replaced(payload, where, value))


def test_second_load_reads_the_cache(data_copy: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_data(data_copy)
    assert _only_cache_file(cache_folder).stat().st_size > 0
    _forbid_validation(monkeypatch)
    assert _same(load_data(data_copy), first)


def test_edit_invalidates_the_cache(data_copy: Path, cache_folder: Path) -> None:
    load_data(data_copy)
    tasks = data_copy / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("time_limit: 8月底前", "time_limit: 7月底前"), "utf-8")
    division = load_data(data_copy)
    assert next(t for t in division.tasks if t.number == 35).time_limit.text == "7月底前"


def test_an_invalid_edit_is_reported_not_served_from_cache(data_copy: Path, cache_folder: Path) -> None:
    load_data(data_copy)
    tasks = data_copy / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("number: 44", "number: 4400"), encoding="utf-8")
    with pytest.raises(load.DataError, match="相差过大"):
        load_data(data_copy)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
        pytest.param(lambda blob: blob[:-5] + bytes([blob[-5] ^ 0xFF]) + blob[-4:], id="payload-bit-flip"),
        pytest.param(lambda blob: b"not a cache file at all", id="foreign"),
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(
            lambda blob: blob[: len(cache.MAGIC)] + bytes([cache.FORMAT + 1]) + blob[len(cache.MAGIC) + 1 :],
            id="other-format",
        ),
    ],
)
def test_damaged_cache_is_ignored_and_rebuilt(
    data_copy: Path, cache_folder: Path, damage: Callable[[bytes], bytes]
) -> None:
    expected = load_data(data_copy)
    path = _only_cache_file(cache_folder)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert _same(load_data(data_copy), expected)
    # Rebuilt: a sound file again (marshal's bytes vary with how the objects it writes are shared).
    assert path.read_bytes() != damage(good)
    rebuilt = cache.read(path, cache.data_key(load.read_files(load.one_table_files(data_copy))[0]))
    assert rebuilt is not None and _same(rebuilt, expected)


def test_cache_of_another_version_is_ignored(
    data_copy: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_data(data_copy)
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    validations: list[Sequence[Path]] = []
    real = load.inspect_data

    def spy(files: Sequence[Path], contents: dict[Path, bytes]) -> tuple[Division | None, list[load.Problem]]:
        validations.append(files)
        return real(files, contents)

    monkeypatch.setattr(load, "inspect_data", spy)
    load_data(data_copy)
    assert validations == [load.one_table_files(data_copy)]


def test_cache_file_of_other_data_is_ignored(tmp_path: Path, cache_folder: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, time_limit in ((first, "8月底前"), (second, "7月底前")):
        folder.mkdir()
        (folder / "units.yaml").write_bytes((DATA / "units.yaml").read_bytes())
        text = (DATA / "tasks.yaml").read_text(encoding="utf-8")
        if time_limit == "7月底前":
            text = text.replace("time_limit: 8月底前", "time_limit: 7月底前", 1)
        (folder / "tasks.yaml").write_text(text, encoding="utf-8")
    load_data(first)
    # Put first's cache where second's belongs: the key inside no longer matches second's bytes.
    cache.cache_file(cache_folder, first).replace(cache.cache_file(cache_folder, second))
    division = load_data(second)
    assert next(t for t in division.tasks if t.number == 35).time_limit.text == "7月底前"


def test_unwritable_cache_folder_means_no_cache(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(blocker / "cache"))
    assert len(load_data(data_copy).tasks) == 44
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("setting", ["", "off", "0"])
def test_cache_can_be_disabled(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv("GONGKAI_CACHE_DIR", setting)
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() is None
    load_data(data_copy)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_write_leaves_no_temporary_file(data_copy: Path, cache_folder: Path) -> None:
    load_data(data_copy)
    assert [p.suffix for p in cache_folder.iterdir()] == [".cache"]


def test_concurrent_writer_leftovers_do_not_matter(data_copy: Path, cache_folder: Path) -> None:
    expected = load_data(data_copy)
    path = _only_cache_file(cache_folder)
    # A writer that died before its rename leaves a temporary file behind; readers never look at it.
    (path.parent / f"{path.name}.{os.getpid()}-deadbeef.tmp").write_bytes(path.read_bytes()[:10])
    path.unlink()
    assert _same(load_data(data_copy), expected)
    assert path.exists()


def test_check_always_validates_from_source(
    data_copy: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    load_data(data_copy)

    def fail(*args: object) -> None:
        raise AssertionError("check must not read the cache")

    monkeypatch.setattr(cache, "read", fail)
    result = runner.invoke(app, ["check", str(data_copy)])
    assert result.exit_code == 0, result.output


def test_edited_package_code_invalidates_the_cache(
    data_copy: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_data(data_copy)
    key = cache.data_key(load.read_files(load.one_table_files(data_copy))[0])
    monkeypatch.setattr(cache, "_code_stamp", lambda: "validate.py:1:1")
    assert cache.data_key(load.read_files(load.one_table_files(data_copy))[0]) != key


# --- metadata: files not read while they provably have not changed ----------------------------------------------

LATER_NS = 10 * 10**9


def _clock_ahead(monkeypatch: pytest.MonkeyPatch, by_ns: int) -> None:
    """Take every stamp `by_ns` after now: as if the query ran that long after the files were last written."""
    real = time.time_ns
    monkeypatch.setattr(cache.time, "time_ns", lambda: real() + by_ns)


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    reads: list[object] = []
    real = load.read_files

    def spy(paths: Sequence[Path]) -> tuple[dict[Path, bytes], list[load.Problem]]:
        reads.append(paths)
        return real(paths)

    monkeypatch.setattr(load, "read_files", spy)
    return reads


def test_files_whose_metadata_are_unchanged_are_not_read(
    data_copy: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clock_ahead(monkeypatch, LATER_NS)
    first = load_data(data_copy)
    reads = _count_reads(monkeypatch)
    _forbid_validation(monkeypatch)
    assert _same(load_data(data_copy), first)
    table = load.chosen_table(data_copy)
    assert load.summarize_table(table) == (first.document.title, 2024, 44)
    assert reads == []


def test_a_file_edited_in_place_keeping_its_size_and_mtime_is_read_again(
    data_copy: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clock_ahead(monkeypatch, LATER_NS)
    table = load.chosen_table(data_copy)
    load_data(data_copy)
    tasks = data_copy / "tasks.yaml"
    before = tasks.stat()
    text = tasks.read_text(encoding="utf-8")
    edited = text.replace("time_limit: 8月底前", "time_limit: 7月底前").replace("  title: 池州市", "  title: 宣州市", 1)
    with open(tasks, "r+b") as handle:  # in place: the same inode
        handle.write(edited.encode())
    os.utime(tasks, ns=(before.st_atime_ns, before.st_mtime_ns))
    # The kernel sets ctime on every change, utime included; within one tick of its clock it may not move yet.
    while tasks.stat().st_ctime_ns == before.st_ctime_ns:
        os.utime(tasks, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = tasks.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    division = load_data(data_copy)
    assert next(t for t in division.tasks if t.number == 35).time_limit.text == "7月底前"
    assert load.summarize_table(table).title == "宣州市2024年政务公开重点任务分工"


def test_racy_files_are_hashed_until_they_settle(
    data_copy: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = data_copy / "tasks.yaml"
    soon = time.time_ns() + LATER_NS  # modified "after" the stamp is taken, as a clock skewed ahead gives
    os.utime(tasks, ns=(soon, soon))
    first = load_data(data_copy)
    reads = _count_reads(monkeypatch)
    _forbid_validation(monkeypatch)
    assert _same(load_data(data_copy), first)
    assert len(reads) == 1, "a racy file's metadata cannot vouch for its bytes: they are hashed"
    _clock_ahead(monkeypatch, 2 * LATER_NS)  # the file has settled: the entry is stamped afresh
    load_data(data_copy)
    assert len(reads) == 2
    assert _same(load_data(data_copy), first)
    assert len(reads) == 2
