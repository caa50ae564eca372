"""The library entry point `load_data` and the responsibility-text splitter, without the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai_cli.errors import DataError
from gongkai_cli.load import load_data
from gongkai_cli.models import Division
from gongkai_cli.responsibility import split_responsibility


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a data file; fail loudly if the data no longer contains it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the test needs updating for the data"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def position_of(path: Path, marker: str) -> tuple[int, int]:
    """The 1-based line and column where `marker` stands in a file (it must stand exactly once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(marker) == 1, f"marker {marker!r} occurs {text.count(marker)} times in {path.name}"
    before = text[: text.index(marker)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


@pytest.fixture(scope="module")
def bundled() -> Division:
    return load_data()


def test_load_data_without_argument_loads_bundled_data(bundled: Division) -> None:
    assert len(bundled.tasks) == 44


def test_load_data_loads_a_clean_copy(data_copy: Path) -> None:
    assert len(load_data(data_copy).tasks) == 44


def test_load_data_broken_copy_raises_data_error_with_location(data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    edit(path, "- number: 44\n", "- number: 4400\n")
    with pytest.raises(DataError) as caught:
        load_data(data_copy)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column) == (path, *position_of(path, "4400\n"))
    assert "相差过大" in problem.message


def test_load_data_data_error_collects_every_problem(data_copy: Path) -> None:
    edit(data_copy / "tasks.yaml", "- number: 44\n", "- number: 4400\n")
    edit(data_copy / "units.yaml", "青阳县政府]", "青阳区政府]")
    with pytest.raises(DataError) as caught:
        load_data(data_copy)
    assert sorted(p.path.name for p in caught.value.problems) == ["tasks.yaml", "units.yaml"]
    assert all(p.line is not None and p.column is not None for p in caught.value.problems)
    assert all(str(p) in str(caught.value) for p in caught.value.problems)


def test_load_data_reports_an_edit_made_after_a_clean_load(data_copy: Path) -> None:
    load_data(data_copy)
    edit(data_copy / "tasks.yaml", "- number: 44\n", "- number: 4400\n")
    with pytest.raises(DataError):
        load_data(data_copy)


@pytest.mark.parametrize("name", ["tasks.yaml", "units.yaml"])
def test_load_data_missing_file_is_data_error_naming_it(data_copy: Path, name: str) -> None:
    (data_copy / name).unlink()
    with pytest.raises(DataError) as caught:
        load_data(data_copy)
    [problem] = caught.value.problems
    assert problem.path == data_copy / name
    assert "不存在" in problem.message
    assert name in str(caught.value)


def test_load_data_non_utf8_file_is_data_error(data_copy: Path) -> None:
    path = data_copy / "units.yaml"
    text = path.read_text(encoding="utf-8")
    first_chinese_line = next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(DataError) as caught:
        load_data(data_copy)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (path, first_chinese_line)
    assert "UTF-8" in problem.message


@pytest.mark.parametrize(
    ("number", "text", "leads", "implementers"),
    [
        pytest.param(
            1,
            "市政府办公室牵头，市政府有关部门，各县区政府、管委会负责落实",
            ["市政府办公室"],
            ["市政府有关部门", "各县区政府", "管委会"],
            id="task-1-one-lead",
        ),
        pytest.param(
            22,
            "市教育局、市卫健委、市住建局、市生态环境局等行业主管部门，各县区政府负责落实",
            [],
            ["市教育局", "市卫健委", "市住建局", "市生态环境局", "行业主管部门", "各县区政府"],
            id="task-22-deng-names-a-group",
        ),
        pytest.param(
            43,
            "市政府办公室、市政务公开办牵头，各县区政府负责落实",
            ["市政府办公室", "市政务公开办"],
            ["各县区政府"],
            id="task-43-two-leads",
        ),
        pytest.param(28, "各县区政府负责落实", [], ["各县区政府"], id="task-28-single-group"),
    ],
)
def test_split_responsibility_on_the_real_texts(
    bundled: Division, number: int, text: str, leads: list[str], implementers: list[str]
) -> None:
    assert bundled.tasks[number - 1].responsibility == text
    assert split_responsibility(text) == (leads, implementers)
