"""Finding the data folder (--data, GONGKAI_DATA, upward search, bundled copy) and choosing its table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gongkai_cli import workspace
from gongkai_cli.errors import GongkaiError
from gongkai_cli.workspace import (
    DataLocation,
    Table,
    WorkspaceError,
    bundled_data_dir,
    choose_table,
    data_files,
    discover,
    display_path,
    is_data_folder,
    locate_data,
    natural_key,
    pick_table,
    tables,
)

RULE = "数据目录须含 units.yaml，以及 tasks.yaml 或含 tasks.yaml 的子目录（如 2025/tasks.yaml）"


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")
    return path


def one_table(folder: Path) -> Path:
    """A data folder in today's layout: units.yaml and tasks.yaml side by side."""
    touch(folder / "units.yaml")
    touch(folder / "tasks.yaml")
    return folder


def several_tables(folder: Path, *ids: str) -> Path:
    """A data folder holding one table per id."""
    touch(folder / "units.yaml")
    for table_id in ids:
        touch(folder / table_id / "tasks.yaml")
    return folder


def env(home: Path, **extra: str) -> dict[str, str]:
    """An environment whose home directory bounds the upward search."""
    return {"HOME": str(home), **extra}


def search(start: Path, home: Path) -> DataLocation:
    return locate_data(None, environ=env(home), cwd=start)


def bundled() -> DataLocation:
    return DataLocation(bundled_data_dir(), "bundled")


# --- which folder: option, environment, discovery, bundled --------------------------------------------------


def test_option_beats_env_beats_discovery_beats_bundled(tmp_path: Path) -> None:
    home = tmp_path / "home"
    option = one_table(tmp_path / "opt")
    from_env = one_table(tmp_path / "env")
    project = one_table(home / "proj" / "data").parent
    environ = env(home, GONGKAI_DATA=str(from_env))

    assert locate_data(option, environ=environ, cwd=project) == DataLocation(option, "option")
    assert locate_data(None, environ=environ, cwd=project) == DataLocation(from_env, "env")
    assert locate_data(None, environ=env(home), cwd=project) == DataLocation(project / "data", "discovered")
    assert locate_data(None, environ=env(home), cwd=home) == bundled()
    assert bundled().is_bundled
    assert not DataLocation(option, "option").is_bundled


def test_empty_environment_variable_counts_as_unset(tmp_path: Path) -> None:
    project = one_table(tmp_path / "proj")
    location = locate_data(None, environ=env(tmp_path, GONGKAI_DATA=""), cwd=project)
    assert location == DataLocation(project, "discovered")


def test_option_and_env_paths_are_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one_table(tmp_path / "d")
    monkeypatch.chdir(tmp_path)
    assert locate_data(Path("d"), environ={}) == DataLocation(Path("d"), "option")
    assert locate_data(None, environ={"GONGKAI_DATA": "d"}) == DataLocation(Path("d"), "env")


def test_the_process_working_directory_is_the_default_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "proj"
    one_table(project / "data")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    assert locate_data(None, environ=env(tmp_path)) == DataLocation(project / "data", "discovered")


# --- discovery ------------------------------------------------------------------------------------------------


def test_discovery_finds_the_data_subfolder_from_the_project_and_below(tmp_path: Path) -> None:
    project = tmp_path / "X"
    one_table(project / "data")
    (project / "sub" / "dir").mkdir(parents=True)
    expected = DataLocation(project / "data", "discovered")
    assert search(project, tmp_path) == expected
    assert search(project / "sub" / "dir", tmp_path) == expected
    assert search(project / "data", tmp_path) == expected


def test_discovery_tries_a_level_itself_before_its_data_subfolder(tmp_path: Path) -> None:
    project = one_table(tmp_path / "X")
    one_table(project / "data")
    assert search(project, tmp_path) == DataLocation(project, "discovered")


def test_discovery_from_inside_a_table_finds_the_data_folder(tmp_path: Path) -> None:
    one_table(tmp_path / "data")  # a data folder further up must not be reached
    folder = several_tables(tmp_path / "proj" / "DIR", "2024", "2025")
    progress = folder / "2025" / "progress"
    touch(progress / "司法局.yaml")
    assert not is_data_folder(folder / "2025")
    for start in (progress, folder / "2025", folder):
        assert search(start, tmp_path) == DataLocation(folder, "discovered")


def test_discovery_does_not_climb_past_the_nearest_data_folder(tmp_path: Path) -> None:
    outer = one_table(tmp_path / "data")
    inner = one_table(tmp_path / "a" / "data")
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    assert search(tmp_path / "a" / "b" / "c", tmp_path) == DataLocation(inner, "discovered")
    assert search(tmp_path / "x", tmp_path) == DataLocation(outer, "discovered")


def test_tasks_without_units_is_not_a_data_folder(tmp_path: Path) -> None:
    touch(tmp_path / "proj" / "data" / "tasks.yaml")
    touch(tmp_path / "proj" / "tasks.yaml")
    assert not is_data_folder(tmp_path / "proj")
    assert not is_data_folder(tmp_path / "proj" / "data")
    assert search(tmp_path / "proj", tmp_path) == bundled()


def test_units_without_any_table_is_not_a_data_folder(tmp_path: Path) -> None:
    touch(tmp_path / "d" / "units.yaml")
    touch(tmp_path / "d" / "empty" / "notes.txt")
    touch(tmp_path / "d" / ".hidden" / "tasks.yaml")
    touch(tmp_path / "d" / "plain" / "tasks.yaml" / "x")  # a directory named tasks.yaml
    assert not is_data_folder(tmp_path / "d")
    touch(tmp_path / "d" / "2025" / "tasks.yaml")
    assert is_data_folder(tmp_path / "d")


def test_discovery_stops_at_the_home_directory(tmp_path: Path) -> None:
    one_table(tmp_path / "data")  # beside the home directory: out of reach
    home = tmp_path / "home" / "me"
    (home / "work").mkdir(parents=True)
    assert search(home / "work", home) == bundled()
    assert discover(home / "work", home=home) is None
    one_table(home / "data")  # in the home directory itself: found
    assert search(home / "work", home) == DataLocation(home / "data", "discovered")


def test_discovery_outside_home_stops_before_the_filesystem_root(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[Path] = []
    monkeypatch.setattr(workspace, "is_data_folder", lambda folder: tried.append(folder) and False)
    assert discover(Path("/nonexistent-gongkai/a"), home=None) is None
    assert tried == [
        Path("/nonexistent-gongkai/a"),
        Path("/nonexistent-gongkai/a/data"),
        Path("/nonexistent-gongkai"),
        Path("/nonexistent-gongkai/data"),
    ]


def test_the_working_directory_is_tried_even_at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[Path] = []
    monkeypatch.setattr(workspace, "is_data_folder", lambda folder: tried.append(folder) and False)
    assert discover(Path("/"), home=Path("/root")) is None
    assert tried == [Path("/"), Path("/data")]


def test_discovery_skips_an_untraversable_directory(tmp_path: Path) -> None:
    locked = tmp_path / "proj" / "locked"
    one_table(locked / "data")
    inside = locked / "inside"
    inside.mkdir()
    locked.chmod(0)
    try:
        if os.geteuid() == 0 or os.access(locked / "data", os.R_OK):
            pytest.skip("permissions are not enforced for this user")
        assert search(inside, tmp_path) == bundled()
    finally:
        locked.chmod(0o755)


def test_discovery_passes_over_permission_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as above for any user: every look inside the locked folder fails as the kernel would."""
    locked = tmp_path / "proj" / "locked"
    one_table(locked / "data")
    one_table(tmp_path / "proj" / "data")
    real_stat, real_scandir = os.stat, os.scandir

    def refuse(path: os.PathLike[str] | str) -> None:
        if str(path).startswith(f"{locked}{os.sep}"):
            raise PermissionError(13, "Permission denied", str(path))

    def fake_stat(path: os.PathLike[str] | str, *args: object, **kwargs: object) -> os.stat_result:
        refuse(path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    def fake_scandir(path: os.PathLike[str] | str) -> object:
        refuse(f"{path}{os.sep}")
        return real_scandir(path)

    monkeypatch.setattr(os, "stat", fake_stat)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    assert not is_data_folder(locked / "data")
    assert tables(locked / "data") == []
    assert search(locked / "inside", tmp_path) == DataLocation(tmp_path / "proj" / "data", "discovered")
    with pytest.raises(WorkspaceError) as caught:
        locate_data(locked / "data", environ={})
    assert str(caught.value) == f"--data 指定的目录无法访问（没有权限）：{locked / 'data'}。{RULE}"


def test_deleted_working_directory_falls_back_to_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    with pytest.raises(FileNotFoundError):
        os.getcwd()
    assert locate_data(None, environ=env(tmp_path)) == bundled()


def test_discovery_never_raises_on_odd_paths(tmp_path: Path) -> None:
    assert discover(tmp_path / "nul\0byte", home=tmp_path) is None
    assert discover(tmp_path / ("x" * 300) / "y", home=tmp_path) is None
    assert not is_data_folder(Path("nul\0byte"))


def test_discovery_in_a_folder_with_non_utf8_name(tmp_path: Path) -> None:
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe"))
    one_table(odd / "data")
    assert search(odd, tmp_path) == DataLocation(odd / "data", "discovered")


# --- explicit paths that are not data folders -----------------------------------------------------------------


def test_nonexistent_option_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as caught:
        locate_data(tmp_path / "missing", environ={})
    assert str(caught.value) == f"--data 指定的目录不存在：{tmp_path / 'missing'}。{RULE}"
    assert isinstance(caught.value, GongkaiError)


def test_nonexistent_environment_variable_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as caught:
        locate_data(None, environ={"GONGKAI_DATA": str(tmp_path / "missing")}, cwd=tmp_path)
    assert str(caught.value) == f"环境变量 GONGKAI_DATA 指定的目录不存在：{tmp_path / 'missing'}。{RULE}"


def test_a_file_as_option_is_a_usage_error(tmp_path: Path) -> None:
    file = touch(tmp_path / "tasks.yaml")
    with pytest.raises(WorkspaceError) as caught:
        locate_data(file, environ={})
    assert str(caught.value) == f"--data 指定的路径不是目录：{file}。{RULE}"
    with pytest.raises(WorkspaceError) as caught:
        locate_data(file / "below", environ={})
    assert str(caught.value) == f"--data 指定的目录不存在：{file / 'below'}。{RULE}"


def test_a_folder_that_is_not_a_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(WorkspaceError) as caught:
        locate_data(None, environ={"GONGKAI_DATA": str(tmp_path / "empty")})
    assert str(caught.value) == f"环境变量 GONGKAI_DATA 指定的目录不是数据目录：{tmp_path / 'empty'}。{RULE}"


def test_the_not_a_data_folder_message_points_to_the_likely_folder(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    several_tables(project / "data", "2025")
    with pytest.raises(WorkspaceError) as caught:
        locate_data(project, environ={})
    assert str(caught.value) == (f"--data 指定的目录不是数据目录：{project}。{RULE}（是否指 {project / 'data'}？）")
    with pytest.raises(WorkspaceError) as caught:
        locate_data(project / "data" / "2025", environ={})
    assert str(caught.value) == (
        f"--data 指定的目录不是数据目录：{project / 'data' / '2025'}。{RULE}"
        f"（这是一张表的目录，数据目录是 {project / 'data'}）"
    )


def test_a_non_utf8_path_gives_a_printable_message() -> None:
    odd = Path(os.fsdecode(b"/tmp/x\xff"))
    with pytest.raises(WorkspaceError) as caught:
        locate_data(odd, environ={})
    message = str(caught.value)
    assert message == f"--data 指定的目录不存在：/tmp/x\\xff。{RULE}"
    assert message.encode("utf-8").decode("utf-8") == message


def test_display_path_escapes_what_a_terminal_would_act_on() -> None:
    assert display_path(Path("/数据/2025")) == "/数据/2025"
    assert display_path(os.fsdecode(b"/a\xff\xfe/b")) == "/a\\xff\\xfe/b"
    assert display_path("/a\x1b[31m\nb\u202e") == "/a\\x1b[31m\\x0ab\\u202e"
    assert display_path("/lone\ud800") == "/lone\\ud800"


# --- tables ---------------------------------------------------------------------------------------------------


def test_one_table_folder_has_one_table_without_id(tmp_path: Path) -> None:
    folder = one_table(tmp_path / "d")
    touch(folder / "notes" / "readme.txt")  # a subfolder without tasks.yaml is no table
    assert tables(folder) == [Table(None, folder, (folder / "units.yaml", folder / "tasks.yaml"), at_root=True)]
    assert data_files(DataLocation(folder, "option")) == (folder / "units.yaml", folder / "tasks.yaml")


def test_several_tables_are_listed_in_natural_order_with_their_files(tmp_path: Path) -> None:
    folder = several_tables(tmp_path / "d", "2025b", "2025", "2024", "10000")
    touch(folder / "2025" / "units.yaml")
    touch(folder / "2025" / "progress" / "司法局.yaml")
    touch(folder / ".2026" / "tasks.yaml")  # hidden
    touch(folder / "notes" / "readme.txt")  # no tasks.yaml
    touch(folder / "2027")  # a file, not a folder
    (folder / "2028").symlink_to(folder / "2025")  # not a real directory
    roster = folder / "units.yaml"
    assert tables(folder) == [
        Table("2024", folder / "2024", (roster, folder / "2024" / "tasks.yaml")),
        Table("2025", folder / "2025", (roster, folder / "2025" / "tasks.yaml", folder / "2025" / "units.yaml")),
        Table("2025b", folder / "2025b", (roster, folder / "2025b" / "tasks.yaml")),
        Table("10000", folder / "10000", (roster, folder / "10000" / "tasks.yaml")),
    ]
    assert data_files(DataLocation(folder, "discovered")) == (
        roster,
        folder / "2024" / "tasks.yaml",
        folder / "2025" / "tasks.yaml",
        folder / "2025" / "units.yaml",
        folder / "2025b" / "tasks.yaml",
        folder / "10000" / "tasks.yaml",
    )


def test_a_folder_without_tables(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    assert tables(tmp_path / "d") == []
    assert tables(tmp_path / "missing") == []
    assert data_files(DataLocation(tmp_path / "d", "option")) == (
        tmp_path / "d" / "units.yaml",
        tmp_path / "d" / "tasks.yaml",
    )


def test_natural_key_orders_numbers_by_value() -> None:
    names = ["2025b", "10000", "2025", "2024", "2025-春", "B", "a"]
    assert sorted(names, key=natural_key) == ["2024", "2025", "2025-春", "2025b", "10000", "a", "B"]


# --- choosing a table -----------------------------------------------------------------------------------------


def numbered(*ids: str) -> list[Table]:
    return [Table(i, Path("d") / i, (Path("d/units.yaml"), Path("d") / i / "tasks.yaml")) for i in ids]


def test_choose_table_by_id() -> None:
    available = numbered("2024", "2025", "2025b")
    assert choose_table(available, table_id="2025b", today_year=2025) == available[2]
    assert choose_table(available, table_id="2024", today_year=2025) == available[0]


def test_choose_table_by_year() -> None:
    available = numbered("2023", "2024-春", "2025", "2025b", "20251")
    assert choose_table(available, year=2025, today_year=2030) == available[2]  # the exact id wins
    assert choose_table(available, year=2024, today_year=2030) == available[1]  # the only id starting with it


def test_choose_table_by_year_that_matches_several_tables() -> None:
    with pytest.raises(WorkspaceError) as caught:
        choose_table(numbered("2025a", "2025b", "2024"), year=2025, today_year=2025)
    assert str(caught.value) == "2025 年有多张表：2025a、2025b，请用 --table 指定其一。"


def test_choose_table_defaults_to_the_current_year() -> None:
    available = numbered("2024", "2025", "2026")
    assert choose_table(available, today_year=2025) == available[1]
    assert choose_table(numbered("2025a", "2025b", "2026"), today_year=2025).id == "2025b"


def test_choose_table_defaults_to_the_latest() -> None:
    available = numbered("2025", "2023", "2024")
    assert choose_table(available, today_year=2030) == available[0]
    assert choose_table(numbered("9", "10"), today_year=2030).id == "10"


def test_choose_table_in_a_one_table_folder(tmp_path: Path) -> None:
    available = tables(one_table(tmp_path / "d"))
    assert choose_table(available, today_year=2025) == available[0]
    with pytest.raises(WorkspaceError) as caught:
        choose_table(available, year=2025, today_year=2025)
    assert str(caught.value) == "此数据目录只有一张表（tasks.yaml 直接放在数据目录中），无需选择，请去掉 --year。"


def test_choose_table_unknown_id_lists_the_tables() -> None:
    with pytest.raises(WorkspaceError) as caught:
        choose_table(numbered("2025", "2024", "2025b"), table_id="2030", today_year=2025)
    assert str(caught.value) == "没有“2030”这张表，--table 可写：2024、2025、2025b。"


def test_choose_table_unknown_year_lists_the_tables() -> None:
    with pytest.raises(WorkspaceError) as caught:
        choose_table(numbered("2024", "2025"), year=2030, today_year=2025)
    assert str(caught.value) == "没有 2030 年的表，可用的表：2024、2025。"


def test_choose_table_rejects_both_selections_and_no_tables() -> None:
    with pytest.raises(WorkspaceError) as caught:
        choose_table(numbered("2025"), table_id="2025", year=2025, today_year=2025)
    assert str(caught.value) == "--table 和 --year 只能写其一。"
    with pytest.raises(WorkspaceError) as caught:
        choose_table([], today_year=2025)
    assert str(caught.value) == f"数据目录中没有任何表。{RULE}"


# --- picking a table without looking at every subfolder -------------------------------------------------------

LAYOUTS = {
    "several": lambda d: several_tables(d, "2023", "2024", "2025a", "2025b", "20251", "2026-春", "notes"),
    "root and years": lambda d: several_tables(one_table(d), "2023", "2025"),
    "root and its own year": lambda d: several_tables(one_table(d), "2024", "2026"),
    "complete years": lambda d: [touch(d / y / "units.yaml") and touch(d / y / "tasks.yaml") for y in ("2022", "2023")],
    "one table": one_table,
    "empty": lambda d: d.mkdir(),
}
CHOICES = [
    {},
    *({"table_id": i} for i in ("2024", "2025a", "2025", "2026-春", "notes", "missing", "../2024")),
    *({"year": y} for y in (2023, 2024, 2025, 2026, 2030)),
    {"table_id": "2024", "year": 2024},
]


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_pick_table_chooses_what_choose_table_chooses_from_every_table(tmp_path: Path, layout: object) -> None:
    folder = tmp_path / "d"
    layout(folder)  # type: ignore[operator]
    (tmp_path / "d" / "notes").mkdir(exist_ok=True)
    if (folder / "tasks.yaml").is_file():
        (folder / "tasks.yaml").write_text("document:\n  year: 2024\n", encoding="utf-8")
    for choice in CHOICES:
        for today in (2024, 2025, 2026, 2031):
            try:
                available = tables(folder)
                expected: object = (
                    choose_table(available, **choice, today_year=today, root_year=lambda: "2024")  # type: ignore[arg-type]
                    if available
                    else None
                )
            except WorkspaceError as e:
                expected = str(e)
            try:
                picked: object = pick_table(folder, **choice, today_year=lambda: today)  # type: ignore[arg-type]  # noqa: B023
            except WorkspaceError as e:
                picked = str(e)
            assert picked == expected, (choice, today)
