"""gongkai diff: matching tasks across versions, the per-unit impact, sources (folders, git) and the output."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DATA, REPO

from gongkai_cli.diff import (
    Segment,
    TableDiff,
    VersionNotFoundError,
    diff_divisions,
    load_version,
    markup,
    match_tasks,
    wording_diff,
)
from gongkai_cli.load import load_data
from gongkai_cli.render import emit
from gongkai_cli.views.diff import diff_listing, diff_markdown, diff_payload, emit_diff

NEW_TASK = (
    "          - number: 44\n"
    "            requirement: 建立政务公开工作台账，按月通报各县区重点任务落实进展情况。\n"
    "            responsibility: 市政务公开办牵头，各县区政府、管委会负责落实\n"
    "            time_limit: 12月底前\n"
)

DEPARTMENTS = [
    "市数据资源局",
    "市发展改革委",
    "市财政局",
    "市教体局",
    "市人社局",
    "市卫健委",
    "市民政局",
    "市司法局",
    "市自然资源和规划局",
    "市住房城乡建设局",
    "市生态环境局",
]
COUNTIES = ["贵池区政府", "东至县政府", "石台县政府", "青阳县政府", "各县区政府"]
COMMITTEES = ["江南新兴产业集中区管委会", "九华山风景区管委会", "开发区管委会", "管委会"]


def _edit_task(text: str, number: int, old: str, new: str) -> str:
    """Replace `old` by `new` inside the block of task `number` only."""
    start = text.index(f"- number: {number}\n")
    end = text.find("- number:", start + 1)
    end = len(text) if end < 0 else end
    block = text[start:end]
    assert old in block, (number, old)
    return text[:start] + block.replace(old, new, 1) + text[end:]


def _version_b(text: str) -> str:
    """The bundled table with task 6 removed (7…44 become 6…43), one task added, reworded, rescheduled, reassigned."""
    text = _edit_task(text, 20, "持续做好动态更新", "每季度做好动态更新")
    text = _edit_task(text, 35, "time_limit: 8月底前", "time_limit: 10月底前")
    text = _edit_task(text, 23, "市政务公开办、市司法局牵头", "市政务公开办、市司法局、市数据资源局牵头")
    text = _edit_task(text, 43, "市政府办公室、市政务公开办牵头", "市政府办公室、市政务公开办、市数据资源局牵头")
    start = text.index("          - number: 6\n")
    text = text[:start] + text[text.index("      - numeral: 二", start) :]

    def renumber(match: re.Match[str]) -> str:
        number = int(match.group(2))
        return match.group(1) + str(number - 1 if number > 6 else number)

    text = re.sub(r"^(\s+- number: )(\d+)$", renumber, text, flags=re.MULTILINE)
    return text.rstrip("\n") + "\n" + NEW_TASK


def _write(folder: Path, tasks: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "units.yaml", folder / "units.yaml")
    (folder / "tasks.yaml").write_text(tasks, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("versions")
    original = (DATA / "tasks.yaml").read_text(encoding="utf-8")
    return _write(root / "a", original), _write(root / "b", _version_b(original))


@pytest.fixture(scope="module")
def table_diff(versions: tuple[Path, Path]) -> TableDiff:
    a, b = versions
    return diff_divisions(load_data(a), load_data(b))


def _expected_impacts() -> dict[str, dict[str, tuple[int, ...]]]:
    nothing: dict[str, tuple[int, ...]] = {
        "newly_owes": (),
        "no_longer_owes": (),
        "deadline_moved": (),
        "role_changed": (),
    }
    # Task 6 (removed) and task 35 (now 34, deadline moved) name the same units: 市政务公开办, every department
    # through 市政府各部门 (市司法局 by name), every county and committee. The new task 44 names 市政务公开办,
    # 各县区政府 and 管委会. 市数据资源局 joins the leads of 23 (now 22; it owed it through 市政府各部门) and
    # of 43 (now 42; it did not owe it).
    lost_and_moved = nothing | {"no_longer_owes": (6,), "deadline_moved": (34,)}
    expected = {name: nothing for name in ("市政府办公室", "市政府有关部门", "行业主管部门")}
    expected |= {name: lost_and_moved for name in [*DEPARTMENTS, "市政府各部门"]}
    expected |= {name: lost_and_moved | {"newly_owes": (44,)} for name in [*COUNTIES, *COMMITTEES, "市政务公开办"]}
    expected["市数据资源局"] = lost_and_moved | {"newly_owes": (42,), "role_changed": (22,)}
    return expected


def test_tasks_are_matched_across_renumbering(table_diff: TableDiff) -> None:
    assert table_diff.renumbered == {n: n - 1 for n in range(7, 45)}
    assert [t.number for t in table_diff.removed] == [6]
    assert table_diff.removed[0].requirement.startswith("政务公开办、司法局建立政策解读沟通机制")
    assert [t.number for t in table_diff.added] == [44]
    assert table_diff.added[0].requirement == "建立政务公开工作台账，按月通报各县区重点任务落实进展情况。"


def test_changed_tasks_task_by_task(table_diff: TableDiff) -> None:
    changes = {(c.old.number, c.new.number): c for c in table_diff.changed}
    assert sorted(changes) == [(20, 19), (23, 22), (35, 34), (43, 42)]

    reworded = changes[20, 19]
    assert reworded.units == () and not reworded.time_limit_changed
    assert [s for s in reworded.wording if s.op != "equal"] == [Segment("delete", "持续"), Segment("insert", "每季度")]
    assert "[-持续-]{+每季度+}做好动态更新" in markup(reworded.wording)

    for key in ((23, 22), (43, 42)):
        change = changes[key]
        assert not change.wording and not change.time_limit_changed
        assert [(u.field, u.added, u.removed) for u in change.units] == [("leads", ("市数据资源局",), ())]

    moved = changes[35, 34]
    assert not moved.wording and moved.units == () and moved.time_limit_changed
    assert (moved.old.time_limit.text, moved.new.time_limit.text) == ("8月底前", "10月底前")
    assert (moved.old.time_limit.due.isoformat(), moved.new.time_limit.due.isoformat()) == ("2024-08-31", "2024-10-31")  # type: ignore[union-attr]


def test_impact_unit_by_unit(table_diff: TableDiff) -> None:
    expected = _expected_impacts()
    found = {
        i.name: {
            "newly_owes": i.newly_owes,
            "no_longer_owes": i.no_longer_owes,
            "deadline_moved": i.deadline_moved,
            "role_changed": i.role_changed,
        }
        for i in table_diff.units
    }
    assert found == expected
    assert len(table_diff.units) == len(expected)  # every unit and group once


def test_one_unit(versions: tuple[Path, Path]) -> None:
    a, b = versions
    only = diff_divisions(load_data(a), load_data(b), unit="数据局")
    assert [(i.name, i.newly_owes, i.no_longer_owes, i.deadline_moved) for i in only.units] == [
        ("市数据资源局", (42,), (6,), (34,))
    ]


def test_json_contract(table_diff: TableDiff) -> None:
    out = io.StringIO()
    emit_diff(table_diff, "json", out=out)
    data = json.loads(out.getvalue())
    assert list(data) == ["renumbered", "added", "removed", "changed", "units"]
    assert data["renumbered"] == {str(n): n - 1 for n in range(7, 45)}
    assert [t["number"] for t in data["added"]] == [44]
    assert [t["number"] for t in data["removed"]] == [6]
    moved = next(c for c in data["changed"] if c["old_number"] == 35)
    assert list(moved) == ["number", "old_number", "requirement", "units", "time_limit"]
    assert moved["time_limit"]["old"]["due"] == "2024-08-31" and moved["time_limit"]["new"]["due"] == "2024-10-31"
    assert moved["requirement"] is None
    reworded = next(c for c in data["changed"] if c["old_number"] == 20)
    ops = [op for op in reworded["requirement"]["ops"] if op["op"] != "equal"]
    assert ops == [{"op": "delete", "text": "持续"}, {"op": "insert", "text": "每季度"}]
    assert "".join(op["text"] for op in reworded["requirement"]["ops"] if op["op"] != "delete") == "".join(
        reworded["requirement"]["new"].split()
    )
    lead = next(c for c in data["changed"] if c["old_number"] == 43)
    assert lead["units"] == {
        "leads": {"added": ["市数据资源局"], "removed": []},
        "implementers": {"added": [], "removed": []},
        "supports": {"added": [], "removed": []},
    }
    bureau = next(u for u in data["units"] if u["name"] == "市数据资源局")
    assert bureau["counts"] == {"newly_owes": 1, "no_longer_owes": 1, "deadline_moved": 1, "role_changed": 1}


def test_markdown_reads_as_a_comment(table_diff: TableDiff) -> None:
    text = diff_markdown(table_diff)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "## 任务表变化：池州市2024年政务公开重点任务分工",
        "### 任务编号变化",
        "### 新增任务",
        "### 删除任务",
        "### 修改的任务",
        "### 各单位的变化",
    ]
    sections = dict(re.findall(r"### (\S+)\n\n(.*?)(?=\n### |\Z)", text, flags=re.DOTALL))
    bullets = {name: [line for line in body.splitlines() if line.startswith("- ")] for name, body in sections.items()}
    assert bullets["任务编号变化"] == ["- 第7～44项 → 第6～43项"]
    assert bullets["新增任务"] == [
        "- 第44项（12月底前（2024-12-31））：建立政务公开工作台账，按月通报各县区重点任务落实进展情况。"
    ]
    assert len(bullets["删除任务"]) == 1 and bullets["删除任务"][0].startswith("- 原第6项：")
    assert bullets["修改的任务"] == [
        "- 第19项（原第20项）：具体要求：…和运行信息公开，\\[-持续-\\]{+每季度+}做好动态更新，推…",
        "- 第22项（原第23项）：牵头：增加 市数据资源局",
        "- 第34项（原第35项）：时限：8月底前（2024-08-31） → 10月底前（2024-10-31）",
        "- 第42项（原第43项）：牵头：增加 市数据资源局",
    ]
    affected = sum(1 for expected in _expected_impacts().values() if any(expected.values()))
    assert len(bullets["各单位的变化"]) == affected
    assert (
        "- 市数据资源局：新增承担 1 项（第42项）；不再承担 1 项（原第6项）；时限变动 1 项（第34项）；角色变动 1 项（第22项）"
        in (bullets["各单位的变化"])
    )


def test_table_and_csv_render(table_diff: TableDiff) -> None:
    listings = diff_listing(table_diff, "table")
    assert len(listings) == 2
    out = io.StringIO()
    emit_diff(table_diff, "table", out=out)
    assert "市数据资源局" in out.getvalue() and "任务编号" in out.getvalue()
    csv_out = io.StringIO()
    (changes,) = diff_listing(table_diff, "csv")
    emit(changes, "csv", out=csv_out)
    assert csv_out.getvalue().startswith("\ufeff类别,任务编号,原编号,变化\n重排,6～43,7～44,任务编号 -1\n")


def test_data_text_is_shown_literally(tmp_path: Path) -> None:
    original = (DATA / "tasks.yaml").read_text(encoding="utf-8")
    a = _write(tmp_path / "a", original)
    b = _write(tmp_path / "b", _edit_task(original, 4, "一样便捷。", "一样便捷 **<b>x</b>** |。"))
    text = diff_markdown(diff_divisions(load_data(a), load_data(b)))
    # Whitespace is layout and ignored; Markdown markup in the data is escaped.
    assert "- 第4项：具体要求：…“网购”一样便捷{+\\*\\*\\<b\\>x\\</b\\>\\*\\*\\|+}。\n" in text


def test_wording_diff_by_clause_then_character() -> None:
    assert wording_diff("甲乙丙，丁戊。", "甲 乙\n丙，丁戊。") == ()
    segments = wording_diff("第一句话，第二句话要改，第三句话。", "第一句话，第二句话已改，第三句话。")
    assert segments == (
        Segment("equal", "第一句话，第二句话"),
        Segment("delete", "要"),
        Segment("insert", "已"),
        Segment("equal", "改，第三句话。"),
    )
    assert markup(segments) == "…一句话，第二句话[-要-]{+已+}改，第三句话。"
    added_clause = wording_diff("甲，乙。", "甲，新增的分句，乙。")
    assert added_clause == (Segment("equal", "甲，"), Segment("insert", "新增的分句，"), Segment("equal", "乙。"))


# --- git revisions ----------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("repo")
    _git(root, "init", "-q")
    original = (DATA / "tasks.yaml").read_text(encoding="utf-8")
    data = _write(root / "data", original)
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "A")
    (data / "tasks.yaml").write_text(_version_b(original), encoding="utf-8")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "B")
    return root


def _summary(d: TableDiff) -> tuple[object, ...]:
    return (
        d.renumbered,
        [t.number for t in d.added],
        [t.number for t in d.removed],
        [(c.old.number, c.new.number) for c in d.changed],
        d.units,
    )


def test_git_revisions(repo: Path, table_diff: TableDiff) -> None:
    data = repo / "data"
    old = load_version("HEAD~1", data_dir=data, cwd=repo)
    working = load_version("data", data_dir=data, cwd=repo)
    assert _summary(diff_divisions(old, working)) == _summary(table_diff)
    forced = diff_divisions(
        load_version("HEAD~1:", data_dir=data, cwd=repo), load_version("HEAD:", data_dir=data, cwd=repo)
    )
    assert _summary(forced) == _summary(table_diff)
    # From a subfolder, and with git run where the data lies.
    assert len(load_version("HEAD~1:", data_dir=data, cwd=data).tasks) == 44


def test_unknown_versions(repo: Path) -> None:
    data = repo / "data"
    with pytest.raises(VersionNotFoundError) as caught:
        load_version("no-such-rev", data_dir=data, cwd=repo)
    assert str(caught.value) == "找不到“no-such-rev”：它不是目录、不是本数据目录中的表，也不是 git 提交（如 HEAD~1）。"
    with pytest.raises(VersionNotFoundError, match="不是有效的修订版本名"):
        load_version("--output=x:", data_dir=data, cwd=repo)


def test_folder_outside_any_repository(tmp_path: Path) -> None:
    outside = _write(tmp_path / "outside", (DATA / "tasks.yaml").read_text(encoding="utf-8"))
    if _in_git(outside):
        pytest.skip("the temporary folder lies inside a git repository")
    with pytest.raises(VersionNotFoundError, match="不在 git 仓库中"):
        load_version("HEAD:", data_dir=outside, cwd=outside)


def _in_git(folder: Path) -> bool:
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, check=False)
    return done.returncode == 0


def test_invalid_revision_is_a_data_error(repo: Path, tmp_path: Path) -> None:
    from gongkai_cli.errors import DataError

    data = repo / "data"
    (data / "tasks.yaml").write_text("document: [\n", encoding="utf-8")
    try:
        _git(repo, "commit", "-q", "-am", "broken")
        with pytest.raises(DataError, match=r"HEAD:data/tasks\.yaml"):
            load_version("HEAD:", data_dir=data, cwd=repo)
    finally:
        _git(repo, "reset", "-q", "--hard", "HEAD~1")


def test_table_and_year_of_a_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    _write(folder / "2024", (DATA / "tasks.yaml").read_text(encoding="utf-8"))
    shutil.move(folder / "2024" / "units.yaml", folder / "units.yaml")
    assert len(load_version("2024", data_dir=folder, cwd=tmp_path).tasks) == 44
    assert len(load_version("ws/2024", data_dir=folder, cwd=tmp_path).tasks) == 44


# --- a thousand tasks -------------------------------------------------------------------------------------


def _tasks_of(data: dict[str, object]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for section in data.get("sections") or []:  # type: ignore[attr-defined]
        found += section.get("tasks") or []
        for subsection in section.get("subsections") or []:
            found += subsection["tasks"]
    return found


@pytest.mark.stress
def test_thousand_tasks(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "1000", str(tmp_path / "a"), "--seed", "1"],
        check=True,
        capture_output=True,
    )
    data = yaml.safe_load((tmp_path / "a" / "tasks.yaml").read_text(encoding="utf-8"))
    removed_number = None
    for section in data["sections"]:
        for subsection in section.get("subsections") or []:
            if removed_number is None and len(subsection["tasks"]) >= 2:
                removed_number = subsection["tasks"].pop(0)["number"]
    assert removed_number is not None
    tasks = _tasks_of(data)
    perturbed = set()
    for position, task in enumerate(tasks):
        original = task["number"]
        task["number"] = position + 1
        if position % 20 == 7:
            task["requirement"] = str(task["requirement"]) + "并按季度报送落实进展。"
            perturbed.add(original)
    _write(tmp_path / "b", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    old, new = load_data(tmp_path / "a"), load_data(tmp_path / "b")

    pairs = match_tasks(old.tasks, new.tasks)
    matched = [(o, n) for o, n in pairs if o is not None and n is not None]
    assert len(matched) == 999
    assert [o.number for o, n in pairs if n is None] == [removed_number]
    assert all(o.number == n.number + (o.number > removed_number) for o, n in matched)
    assert {o.number for o, n in matched if o.requirement != n.requirement} == perturbed
    assert len(perturbed) == 50

    d = diff_divisions(old, new)
    assert len(d.renumbered) == 1000 - removed_number
    assert {c.old.number for c in d.changed} == perturbed
    assert not d.added


def test_emit_json_through_render(table_diff: TableDiff) -> None:
    (listing,) = diff_listing(table_diff, "json")
    out = io.StringIO()
    emit(listing, "json", out=out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(diff_payload(table_diff), default=str))


# --- the command ---------------------------------------------------------------------------------------------


def test_diff_command_exit_codes_follow_diff(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from gongkai_cli.cli.app import app

    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(DATA, old)
    shutil.copytree(DATA, new)
    tasks = new / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("time_limit: 8月底前", "time_limit: 10月底前"), "utf-8")
    runner = CliRunner()
    same = runner.invoke(app, ["diff", str(old), str(old), "--exit-code", "-f", "json"])
    assert same.exit_code == 0, same.output
    changed = runner.invoke(app, ["diff", str(old), str(new), "--exit-code", "-f", "md"])
    assert changed.exit_code == 1, changed.output
    assert "- 第35项：时限：8月底前（2024-08-31） → 10月底前（2024-10-31）" in changed.stdout
    assert runner.invoke(app, ["diff", str(old), str(new), "-f", "md"]).exit_code == 0
    missing = runner.invoke(app, ["diff", str(tmp_path / "nowhere"), str(new)])
    assert missing.exit_code == 2
    assert (
        missing.stderr
        == f"错误：找不到“{tmp_path / 'nowhere'}”：它不是目录、不是本数据目录中的表，也不是 git 提交（如 HEAD~1）。\n"
    )


# --- equal tables, one unit, two plan years ---------------------------------------------------------------


def _invoke(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from gongkai_cli.cli.app import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def test_equal_tables_give_one_line(tmp_path: Path) -> None:
    same = _write(tmp_path / "same", (DATA / "tasks.yaml").read_text(encoding="utf-8"))
    for fmt in ("table", "md"):
        assert _invoke("diff", str(same), str(same), "-f", fmt) == (0, "两个版本相同：没有任务增删或改动。\n")
    code, out = _invoke("diff", str(same), str(same), "-f", "json")
    data = json.loads(out)
    assert code == 0 and list(data) == ["renumbered", "added", "removed", "changed", "units"]
    assert (data["renumbered"], data["added"], data["removed"], data["changed"]) == ({}, [], [], [])
    assert not any(any(unit["counts"].values()) for unit in data["units"])


def test_unit_limits_the_task_changes(versions: tuple[Path, Path]) -> None:
    a, b = versions
    only = diff_divisions(load_data(a), load_data(b), unit="市司法局")
    # 市司法局 owes the removed task 6 and the changed tasks 20, 23 and 35, not 43 (the city office's) nor the new
    # task 44 (the counties'); of the renumbered tasks 7…44, the 30 it owes (43 not among them, 44 now 43 is).
    assert [t.number for t in only.removed] == [6] and not only.added
    assert [(c.old.number, c.new.number) for c in only.changed] == [(20, 19), (23, 22), (35, 34)]
    assert len(only.renumbered) == 30 and 43 not in only.renumbered and only.renumbered[44] == 43
    code, out = _invoke("diff", str(a), str(b), "--unit", "市司法局", "-f", "json")
    assert code == 0
    assert [c["old_number"] for c in json.loads(out)["changed"]] == [20, 23, 35]
    # A unit whose tasks did not change gets one line.
    code, out = _invoke("diff", str(a), str(a), "--unit", "市司法局")
    assert (code, out) == (0, "两个版本中 市司法局 承担的任务相同：没有增删或改动。\n")


def _two_years(folder: Path, tasks_2025: str) -> Path:
    _write(folder / "2024", (DATA / "tasks.yaml").read_text(encoding="utf-8"))
    (folder / "2024" / "units.yaml").rename(folder / "units.yaml")
    (folder / "2025").mkdir()
    (folder / "2025" / "tasks.yaml").write_text(tasks_2025.replace("\n  year: 2024\n", "\n  year: 2025\n"), "utf-8")
    return folder


def test_same_texts_a_year_apart_are_the_same(tmp_path: Path) -> None:
    original = (DATA / "tasks.yaml").read_text(encoding="utf-8")
    folder = _two_years(tmp_path / "same", original)
    # 年底前 is 2024-12-31 in the one table and 2025-12-31 in the other; 2024年5月底前 is 2024-05-31 in both.
    assert _invoke("--data", str(folder), "diff", "2024", "2025", "-f", "md") == (
        0,
        "两个版本相同：没有任务增删或改动。\n",
    )
    moved = _two_years(tmp_path / "moved", _edit_task(original, 35, "time_limit: 8月底前", "time_limit: 9月底前"))
    code, out = _invoke("--data", str(moved), "diff", "2024", "2025", "-f", "md")
    assert code == 0
    assert "- 第35项：时限：8月底前（2024-08-31） → 9月底前（2025-09-30）" in out
    assert "新增 0 项，删除 0 项，修改 1 项，0 项改了任务编号" in out
    assert "- 市司法局：时限变动 1 项（第35项）" in out


def test_new_numbers_under_the_number_column_old_under_the_old_one(table_diff: TableDiff) -> None:
    csv_out = io.StringIO()
    (changes,) = diff_listing(table_diff, "csv")
    emit(changes, "csv", out=csv_out)
    rows = csv_out.getvalue().lstrip("\ufeff").splitlines()
    assert rows[0] == "类别,任务编号,原编号,变化"
    assert "新增,44,,建立政务公开工作台账，按月通报各县区重点任务落实进展情况。" in rows
    assert any(row.startswith("删除,,6,") for row in rows)
    assert "修改,34,35,时限：8月底前（2024-08-31） → 10月底前（2024-10-31）" in rows
    moved = next(c for c in diff_payload(table_diff)["changed"] if c["old_number"] == 35)
    assert moved["number"] == 34
    assert "- 第34项（原第35项）：时限：" in diff_markdown(table_diff)
